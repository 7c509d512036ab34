/**
 * The zod shape -> yargs options adapter, as a table: each kind of flag schema and
 * the options yargs gets for it. Then the same flags read by a real yargs.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { flag, oneOf, wholeNumber } from '../../../../src/config/flags/flag.js';
import { yargsFlags } from '../../../../src/config/flags/to-yargs.js';
import { readFlags } from '../../cli/in-process.js';

const d = 'help text';

describe('yargsFlags', () => {
  it.each<[string, z.ZodType, Record<string, unknown>]>([
    ['an optional string', flag(z.string().optional(), { describe: d }), { describe: d, type: 'string' }],
    ['a required string', flag(z.string(), { describe: d }), { describe: d, type: 'string', demandOption: true }],
    ['a switch', flag(z.boolean().optional(), { describe: d }), { describe: d, type: 'boolean' }],
    ['a switch on by default', flag(z.boolean().default(true), { describe: d }), { describe: d, type: 'boolean', default: true }],
    ['a checked number', flag(wholeNumber(1, 32).optional(), { describe: d }), { describe: d, type: 'number' }],
    ['choices, no type (the help shows only the choices)', flag(oneOf(['a', 'b']).optional(), { describe: d }), { describe: d, choices: ['a', 'b'] }],
    ['choices with a default', flag(oneOf(['text', 'json']).default('text'), { describe: d, alias: 'o' }), { describe: d, choices: ['text', 'json'], default: 'text', alias: 'o' }],
    ['a repeatable string', flag(z.array(z.string()).optional(), { describe: d, group: 'G:' }), { describe: d, type: 'string', array: true, group: 'G:' }],
    ['a required repeatable string', flag(z.array(z.string()), { describe: d }), { describe: d, type: 'string', array: true, demandOption: true }],
    ['a transformed string reads as its input', flag(z.string().transform((s) => s.trim()).optional(), { describe: d }), { describe: d, type: 'string' }],
  ])('%s', (_what, schema, expected) => {
    expect(yargsFlags({ x: schema }).options).toEqual({ x: expected });
  });

  it('a positional goes to positionals, a conflict to conflicts', () => {
    const out = yargsFlags({
      value: flag(z.string(), { describe: d, positional: true }),
      delete: flag(z.boolean().optional(), { describe: d, conflicts: 'disable' }),
      disable: flag(z.boolean().optional(), { describe: d }),
    });
    expect(out.positionals).toEqual({ value: { describe: d, type: 'string', demandOption: true } });
    expect(Object.keys(out.options)).toEqual(['delete', 'disable']);
    expect(out.conflicts).toEqual({ delete: 'disable' });
  });

  it.each<[string, z.ZodType, RegExp]>([
    ['no metadata', z.string(), /--x has no help text/],
    ['an object', flag(z.object({ a: z.string() }), { describe: d }), /--x: a object schema/],
    ['an array of arrays', flag(z.array(z.array(z.string())), { describe: d }), /--x: an array of arrays/],
  ])('refuses a flag with %s (a bug, not a user error)', (_what, schema, message) => {
    expect(() => yargsFlags({ x: schema })).toThrow(message);
  });
});

describe('withFlags: what a real yargs reads', () => {
  const shape = {
    name: flag(z.string().optional(), { describe: d, alias: 'n' }),
    count: flag(wholeNumber(1, 5).optional(), { describe: d }),
    on: flag(z.boolean().default(true), { describe: d }),
    mode: flag(oneOf(['a', 'b']).default('a'), { describe: d }),
    tag: flag(z.array(z.string()).optional(), { describe: d }),
  };
  const read = (argv: string[]) => readFlags(shape, argv);

  it('types, aliases, defaults, --no-x and repeats', () => {
    expect(read(['-n', 'x', '--count', '3', '--no-on', '--tag', 'a', '--tag', 'b'])).toMatchObject({ name: 'x', count: 3, on: false, mode: 'a', tag: ['a', 'b'] });
  });

  it('a number yargs cannot read is NaN, left for the schema to refuse', () => {
    expect(read(['--count', 'abc']).count).toBeNaN();
  });

  it('refuses a value outside the choices and an unknown flag', () => {
    expect(() => read(['--mode', 'c'])).toThrow(/Invalid values/);
    expect(() => read(['--colour', 'red'])).toThrow(/Unknown argument/);
  });
});
