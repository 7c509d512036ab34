/**
 * The vocabulary of a command's flags: a zod schema per flag, with what yargs needs
 * beside the type (the help text, an alias, the help group) registered on it. One
 * object schema per command (src/config/flags/<command>.ts) is then both the yargs
 * options (to-yargs.ts) and the validation (parse-flags.ts); its output type is the
 * command's args type. The keys are the flag names as typed (`target-ou`), so an
 * args object reads like the command line.
 *
 * Shared groups (sign-in, LDAP, planning, output) are plain shapes spread into each
 * command's object.
 */
import { z } from 'zod';

export interface FlagMeta {
  /** The help text. A default the code applies later (not a yargs default) is said here, `[default: ...]`. */
  describe: string;
  alias?: string;
  /** The heading the flag is listed under in --help. */
  group?: string;
  /** A `<name>` positional of the command string rather than a `--flag`. */
  positional?: boolean;
  /** Flags that may not be given together with this one (yargs refuses the pair). */
  conflicts?: string;
}

/** The flag metadata, kept beside the schemas rather than in zod's global registry. */
export const FLAGS = z.registry<FlagMeta>();

/** `schema` with its help text and yargs details; the schema itself is returned (typed as given). */
export function flag<S extends z.ZodType>(schema: S, meta: FlagMeta): S {
  FLAGS.add(schema, meta);
  return schema;
}

/** The flags of one command: a shape of flag schemas. */
export type FlagShape = Record<string, z.ZodType>;

/** What the command's function receives: the parsed, checked flags. */
export type ArgsOf<S extends z.ZodType> = z.output<S>;

/** One command: its yargs command string, help, flags and examples. */
export interface CommandSpec<S extends z.ZodObject = z.ZodObject> {
  /** yargs' command string: `plan`, `anchor <value>`. */
  command: string;
  describe: string;
  flags: S;
  /** `[command line, what it does]`; `$0` is the program's name. */
  examples: readonly (readonly [string, string])[];
}

export function defineCommand<S extends z.ZodObject>(spec: CommandSpec<S>): CommandSpec<S> {
  return spec;
}

/** `latency-ms` -> `latencyMs`, `rate-429` -> `rate429`, as a type. */
type Camel<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<Camel<Tail>>}` : S;
export type CamelKeys<T> = { [K in keyof T as K extends string ? Camel<K> : K]: T[K] };

/** The args with camelCase keys, for a function whose options are named so (the simulator's). */
export function camelKeys<T extends object>(args: T): CamelKeys<T> {
  return Object.fromEntries(Object.entries(args).map(([key, value]) => [key.replace(/-(.)/g, (_, c: string) => c.toUpperCase()), value])) as CamelKeys<T>;
}

/** How a given value reads in a problem: `not a number` for NaN (yargs' reading of `--n abc`), JSON otherwise. */
export function shown(value: unknown): string {
  if (typeof value === 'number') return Number.isNaN(value) ? 'not a number' : String(value);
  if (value === undefined) return 'nothing';
  return JSON.stringify(value) ?? String(value);
}

/** A whole number from `min` to `max`; the problem says what was given and what it takes. */
export function wholeNumber(min: number, max: number) {
  const error = (issue: { input?: unknown }) => `${shown(issue.input)}; it takes a whole number from ${min} to ${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

/** One of `values`; yargs lists them in --help as choices. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: (issue) => `${shown(issue.input)}; it takes one of ${values.join(', ')}` });
}
