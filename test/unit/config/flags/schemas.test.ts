/**
 * Each command's schema as its own validator: a bad value is refused with
 * FLAGS_INVALID (exit 2), and the problem names the flag, what was given and what
 * it takes. The values are what yargs hands over (a number it cannot read is NaN).
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { SimCommandOptions } from '../../../../src/commands/sim.js';
import {
  camelKeys,
  anchorSpec,
  applySpec,
  parseFlags,
  planSpec,
  preflightSpec,
  rollbackSpec,
  simSpec,
  snapshotSpec,
  verifySpec,
  type CamelKeys,
  type SimArgs,
} from '../../../../src/config/flags/index.js';
import { UsageError } from '../../../../src/errors.js';

function problems(schema: z.ZodObject, args: Record<string, unknown>): string[] {
  try {
    parseFlags(schema, args);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect(error).toMatchObject({ reason: 'FLAGS_INVALID', exitCode: 2 });
    return [...(error as UsageError).problems];
  }
  return [];
}

const plan = { out: 'run-1' };
const rollback = { run: 'run-1', delete: true };

describe('a bad value names the flag and what it takes', () => {
  it.each<[string, z.ZodObject, Record<string, unknown>, string[]]>([
    ['anchor: no value', anchorSpec.flags, {}, ['<value>: nothing; it takes a value']],
    ['anchor: --output csv (anchor lists no users)', anchorSpec.flags, { value: 'x', output: 'csv' }, ['--output: "csv"; it takes one of text, json, none']],
    ['plan: no --out', planSpec.flags, {}, ['--out: nothing; it takes a value']],
    ['plan: --password-mode weak', planSpec.flags, { ...plan, 'password-mode': 'weak' }, ['--password-mode: "weak"; it takes one of random, fixed, none']],
    ['plan: --upn-domain not repeated', planSpec.flags, { ...plan, 'upn-domain': 'contoso.com' }, ['--upn-domain: "contoso.com"; it takes one or more values']],
    ['plan: --recover with a value', planSpec.flags, { ...plan, recover: 'yes' }, ['--recover: "yes"; it takes no value (it is a switch)']],
    ['plan: --auth and --cloud', planSpec.flags, { ...plan, auth: 'password', cloud: 'Mars' }, [
      '--auth: "password"; it takes one of secret, certificate, device-code, managed-identity, azure-cli, environment',
      '--cloud: "Mars"; it takes one of Public, USGov, USGovDoD, China',
    ]],
    ['apply: --directory-concurrency 0', applySpec.flags, { 'directory-concurrency': 0 }, ['--directory-concurrency: 0; it takes a whole number from 1 to 32']],
    ['apply: --directory-concurrency abc', applySpec.flags, { 'directory-concurrency': Number('abc') }, ['--directory-concurrency: not a number; it takes a whole number from 1 to 32']],
    ['apply: --directory-concurrency 33', applySpec.flags, { 'directory-concurrency': 33 }, ['--directory-concurrency: 33; it takes a whole number from 1 to 32']],
    ['apply: 2.5 and -1, every problem', applySpec.flags, { 'directory-concurrency': 2.5, 'dc-outage-limit': -1 }, [
      '--directory-concurrency: 2.5; it takes a whole number from 1 to 32',
      '--dc-outage-limit: -1; it takes a whole number from 0 to 86400',
    ]],
    ['apply: -1.5 is one problem, not two', applySpec.flags, { 'dc-outage-limit': -1.5 }, ['--dc-outage-limit: -1.5; it takes a whole number from 0 to 86400']],
    ['apply: --create-mode fast', applySpec.flags, { 'create-mode': 'fast' }, ['--create-mode: "fast"; it takes one of auto, portable, password-on-add']],
    ['rollback: no --run', rollbackSpec.flags, { delete: true }, ['--run: nothing; it takes a value']],
    ['rollback: --directory-concurrency 40', rollbackSpec.flags, { ...rollback, 'directory-concurrency': 40 }, ['--directory-concurrency: 40; it takes a whole number from 1 to 32']],
    ['preflight: --output xml', preflightSpec.flags, { output: 'xml' }, ['--output: "xml"; it takes one of text, json, csv, md, none']],
    ['verify: --scope forest', verifySpec.flags, { scope: 'forest' }, ['--scope: "forest"; it takes one of ou, domain']],
    ['verify: --source-anchor guid', verifySpec.flags, { 'source-anchor': 'guid' }, ['--source-anchor: "guid"; it takes one of ms-DS-ConsistencyGuid, objectGUID']],
    ['sim: --port abc', simSpec.flags, { tenant: 't.json', port: Number('abc') }, ['--port: not a number; it takes a number']],
    ['sim: --retry-after never', simSpec.flags, { tenant: 't.json', 'retry-after': 'never' }, ['--retry-after: "never"; it takes one of fractional, whole']],
    ['snapshot: no --out, bad --cloud', snapshotSpec.flags, { cloud: 'Mars' }, ['--cloud: "Mars"; it takes one of Public, USGov, USGovDoD, China', '--out: nothing; it takes a value']],
  ])('%s', (_what, schema, args, expected) => {
    expect(problems(schema, args).sort()).toEqual([...expected].sort());
  });

  it('FLAGS_INVALID names the first flag as its field and lists every problem (once: main prints the list)', () => {
    let error: unknown;
    try {
      parseFlags(applySpec.flags, { 'directory-concurrency': 0, 'dc-outage-limit': Number.NaN });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ reason: 'FLAGS_INVALID', exitCode: 2, field: '--directory-concurrency' });
    expect((error as UsageError).message).toBe('2 invalid flag value(s); nothing was done:');
    expect((error as UsageError).problems).toEqual([
      '--directory-concurrency: 0; it takes a whole number from 1 to 32',
      '--dc-outage-limit: not a number; it takes a whole number from 0 to 86400',
    ]);
  });
});

describe('good values: the args the command gets', () => {
  it('drops what yargs adds (camelCase copies, _ and $0) and fills the defaults', () => {
    const args = parseFlags(verifySpec.flags, { _: ['verify'], $0: 'entra2ad', 'target-ou': 'OU=x,DC=y', targetOu: 'OU=x,DC=y', 'upn-domain': ['a.example'] });
    expect(args).toEqual({ 'target-ou': 'OU=x,DC=y', 'upn-domain': ['a.example'], scope: 'ou', 'source-anchor': 'ms-DS-ConsistencyGuid', output: 'text' });
  });

  it.each<[string, z.ZodObject, Record<string, unknown>]>([
    ['anchor', anchorSpec.flags, { value: 'f7cc07d7-7c15-447d-876d-c01b0e5a9e38' }],
    ['plan', planSpec.flags, { out: 'run-1', recover: true, 'map-dn': ['DC=a=DC=b'] }],
    ['apply', applySpec.flags, { plan: 'run-1/plan.json', yes: true, 'directory-concurrency': 32, 'dc-outage-limit': 0 }],
    ['rollback', rollbackSpec.flags, { run: 'run-1', disable: true, 'directory-concurrency': 1 }],
    ['preflight', preflightSpec.flags, { output: 'md' }],
    ['verify', verifySpec.flags, { output: 'csv', scope: 'domain' }],
    ['sim', simSpec.flags, { tenant: 't.json', port: 0, 'rate-429': 0.5 }],
    ['snapshot', snapshotSpec.flags, { out: 'tenant.json', cloud: 'USGov' }],
  ])('%s accepts good flags', (_what, schema, args) => {
    expect(parseFlags(schema, args)).toMatchObject(args);
  });
});

describe('sim: the flags are the simulator options, key for key', () => {
  it('camelKeys names them as the simulator does (the types are checked to match both ways)', () => {
    type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
    const sameKeys: Same<keyof CamelKeys<SimArgs>, keyof SimCommandOptions> = true;
    expect(sameKeys).toBe(true);
    const args = parseFlags(simSpec.flags, { tenant: 't.json', 'rate-429': 0.1, 'after-commit-504-rate': 0.2, 'duplicate-immutable-id-as-500': true, 'client-certificate': ['a.pem'] });
    expect(camelKeys(args)).toEqual({
      tenant: 't.json',
      rate429: 0.1,
      afterCommit504Rate: 0.2,
      duplicateImmutableIdAs500: true,
      clientCertificate: ['a.pem'],
      eventualLagAllListings: false,
      syncFeaturesForbidden: false,
      syncFeaturesForApps: false,
      refuseAdvancedQuery: false,
      throttle: true,
    });
  });
});
