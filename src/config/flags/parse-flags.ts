/**
 * The flags yargs read, checked against the command's schema before anything is
 * read or written: `--directory-concurrency abc` (yargs' NaN) or `0` is refused
 * here, not after the run started. Every problem at once, each naming the flag,
 * what was given and what it takes (FLAGS_INVALID, exit 2).
 */
import { z } from 'zod';
import { UsageError } from '../../errors.js';
import { FLAGS, shown } from './flag.js';

/** Generic wording for a flag schema that sets none of its own (flag.ts's helpers do). */
function wording(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code === 'invalid_type') {
    const takes = issue.expected === 'number' ? 'a number' : issue.expected === 'boolean' ? 'no value (it is a switch)' : issue.expected === 'array' ? 'one or more values' : 'a value';
    return `${shown(issue.input)}; it takes ${takes}`;
  }
  if (issue.code === 'invalid_value') return `${shown(issue.input)}; it takes one of ${issue.values.map(String).join(', ')}`;
  return undefined;
}

/** `--flag` for a flag's key, `<name>` for a positional; a check across flags (no path) names them itself. */
function where(schema: z.ZodObject, path: readonly PropertyKey[]): string | undefined {
  const key = path[0];
  if (key === undefined) return undefined;
  const flagSchema = schema.shape[String(key)];
  return flagSchema && FLAGS.get(flagSchema)?.positional ? `<${String(key)}>` : `--${String(key)}`;
}

/** `--flag: problem` lines, at most one per flag (the first: later ones repeat it). */
export function flagProblems(schema: z.ZodObject, issues: readonly z.core.$ZodIssue[]): string[] {
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const issue of issues) {
    const name = where(schema, issue.path);
    if (name !== undefined) {
      if (seen.has(name)) continue;
      seen.add(name);
    }
    problems.push(name === undefined ? issue.message : `${name}: ${issue.message}`);
  }
  return problems;
}

/**
 * The command's args from what yargs parsed (its camelCase copies, `_` and `$0`
 * are dropped), or FLAGS_INVALID with every problem.
 */
export function parseFlags<S extends z.ZodObject>(schema: S, parsed: unknown): z.output<S> {
  const result = schema.safeParse(parsed, { error: wording });
  if (result.success) return result.data;
  const problems = flagProblems(schema, result.error.issues);
  // The problems travel as the error's list, which main prints one per line (src/cli.ts), not in the message as well.
  throw new UsageError('FLAGS_INVALID', `${problems.length} invalid flag value(s); nothing was done:`, problems, {
    field: problems[0]!.split(':')[0]!,
  });
}
