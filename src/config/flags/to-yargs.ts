/**
 * zod shape -> yargs options: the one place that reads a flag's schema to tell
 * yargs its type, choices, default, whether it repeats and whether it is
 * required, and takes the help text, alias and group from its metadata (flag.ts).
 * Pure: yargs is only given the result (withFlags).
 *
 * yargs reads the command line (types, --no-x, repeats, unknown flags, choices,
 * required ones); parse-flags.ts then checks every value against the same schema.
 */
import type { Argv, Options, PositionalOptions } from 'yargs';
import type { z } from 'zod';
import { FLAGS, type CommandSpec, type FlagMeta, type FlagShape } from './flag.js';

export interface YargsFlags {
  options: Record<string, Options>;
  positionals: Record<string, PositionalOptions>;
  /** Pairs yargs must refuse together (`--delete` with `--disable`). */
  conflicts: Record<string, string>;
}

/** What a flag's schema says once optional and default wrappers are taken off. */
interface Reading {
  kind: 'string' | 'number' | 'boolean' | 'enum';
  choices?: string[];
  array: boolean;
  required: boolean;
  default?: unknown;
}

type Def = { type: string; innerType?: z.ZodType; element?: z.ZodType; entries?: Record<string, string>; defaultValue?: unknown; in?: z.ZodType };
const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

function read(name: string, schema: z.ZodType): Reading {
  let required = true;
  let array = false;
  let dflt: unknown;
  let current = schema;
  for (;;) {
    const def = defOf(current);
    switch (def.type) {
      case 'optional':
        required = false;
        current = def.innerType!;
        continue;
      case 'default':
        required = false;
        dflt = def.defaultValue;
        current = def.innerType!;
        continue;
      case 'pipe':
        current = def.in!;
        continue;
      case 'array':
        if (array) throw new Error(`--${name}: an array of arrays is not a flag`);
        array = true;
        current = def.element!;
        continue;
      case 'string':
      case 'number':
      case 'boolean':
        return { kind: def.type as 'string' | 'number' | 'boolean', array, required, ...(dflt !== undefined ? { default: dflt } : {}) };
      case 'enum':
        return { kind: 'enum', choices: Object.values(def.entries!), array, required, ...(dflt !== undefined ? { default: dflt } : {}) };
      default:
        throw new Error(`--${name}: a ${def.type} schema is not a flag yargs can read`);
    }
  }
}

/** yargs options for every flag of `shape`, in the shape's order. Throws on a flag without metadata (a bug). */
export function yargsFlags(shape: FlagShape): YargsFlags {
  const out: YargsFlags = { options: {}, positionals: {}, conflicts: {} };
  for (const [name, schema] of Object.entries(shape)) {
    const meta: FlagMeta | undefined = FLAGS.get(schema);
    if (!meta) throw new Error(`--${name} has no help text: declare it with flag()`);
    const r = read(name, schema);
    // An enum gets no `type`: yargs then shows only its choices, as the help always has.
    const base = {
      describe: meta.describe,
      ...(r.kind === 'enum' ? { choices: r.choices } : { type: r.kind }),
      ...(r.default !== undefined ? { default: r.default } : {}),
      ...(meta.alias ? { alias: meta.alias } : {}),
    };
    if (meta.positional) {
      out.positionals[name] = { ...base, ...(r.required ? { demandOption: true } : {}) } as PositionalOptions;
      continue;
    }
    out.options[name] = {
      ...base,
      ...(r.array ? { array: true } : {}),
      ...(r.required && r.default === undefined ? { demandOption: true } : {}),
      ...(meta.group ? { group: meta.group } : {}),
    } as Options;
    if (meta.conflicts) out.conflicts[name] = meta.conflicts;
  }
  return out;
}

/** `y` with the flags of `shape` (and a command's examples) declared. */
export function withFlags<T>(y: Argv<T>, shape: FlagShape, examples: CommandSpec['examples'] = []): Argv<T> {
  const { options, positionals, conflicts } = yargsFlags(shape);
  let out = y;
  for (const [name, options_] of Object.entries(positionals)) out = out.positional(name, options_) as Argv<T>;
  out = out.options(options) as Argv<T>;
  for (const [a, b] of Object.entries(conflicts)) out = out.conflicts(a, b);
  for (const [command, description] of examples) out = out.example(command, description);
  return out;
}
