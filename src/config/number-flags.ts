/**
 * Numeric flags checked before anything else runs: yargs hands `--directory-concurrency abc`
 * over as NaN and `0` as 0, which used to surface only after the run had started (its
 * run-start journaled, the create-mode probe user made and deleted). The same bounds
 * as the config file's schema (config-file.ts). Pure.
 */
import { UsageError } from '../errors.js';

export interface IntegerFlag {
  flag: string;
  min: number;
  max: number;
}

export const DIRECTORY_CONCURRENCY_FLAG: IntegerFlag = { flag: 'directory-concurrency', min: 1, max: 32 };
export const DC_OUTAGE_LIMIT_FLAG: IntegerFlag = { flag: 'dc-outage-limit', min: 0, max: 86_400 };

/** Every problem with the given flags, each naming the flag and what it takes. */
export function integerFlagProblems(args: object, flags: readonly IntegerFlag[]): string[] {
  const problems: string[] = [];
  for (const { flag, min, max } of flags) {
    const value = (args as Record<string, unknown>)[flag];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      const given = typeof value === 'number' && Number.isNaN(value) ? 'not a number' : String(value);
      problems.push(`--${flag}: ${given}; it takes a whole number from ${min} to ${max}`);
    }
  }
  return problems;
}

/** FLAGS_INVALID (exit 2) with every problem, before anything is read or written. */
export function refuseInvalidIntegerFlags(args: object, flags: readonly IntegerFlag[]): void {
  const problems = integerFlagProblems(args, flags);
  if (problems.length > 0) throw new UsageError('FLAGS_INVALID', `${problems.length} invalid flag value(s); nothing was done:\n  ${problems.join('\n  ')}`, problems, { field: problems[0]!.split(':')[0]! });
}
