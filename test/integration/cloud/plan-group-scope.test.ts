/**
 * `entra2ad plan --group ID` end to end against the HTTPS simulator and no DC:
 * the built command line (the harness's runCli) or planCommand in process -> config +
 * flags -> the users listing -> the group's transitive user members read from
 * Graph -> buildPlan. Members (direct or through a nested group) are planned
 * (CREATE_NEW); everyone else is SKIP_NOT_IN_GROUP.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudError } from '../../../src/cloud/index.js';
import { planCommand, type PlanCommandArgs } from '../../../src/commands/plan.js';
import { UsageError } from '../../../src/errors.js';
import type { Plan } from '../../../src/plan/types.js';
import { parsePlan } from '../../../src/plan/plan-json.js';
import { startSimulator, type RunningSimulator } from '../../../src/sim/index.js';
import type { TenantSnapshot } from '../../../src/graph/tenant-snapshot.js';
import { describeRun, runCli } from '../../harness/run-cli.js';
import { buildTenant, cloudUser, guid } from '../../harness/tenant.js';

const TARGET_OU = 'OU=Cloud Users,DC=corp,DC=example,DC=test';
const ALICE = guid(1, 'c'); // direct member of SALES
const BOB = guid(2, 'c'); // member of EMEA, nested in SALES
const CAROL = guid(3, 'c'); // member of both
const DAVE = guid(4, 'c'); // in no group
const ERIN = guid(5, 'c'); // member of OTHER only
const GINA = guid(6, 'c'); // synced, member of SALES: never listed as a cloud-only user
const SALES = guid(1, 'e');
const EMEA = guid(2, 'e');
const OTHER = guid(3, 'e');

function tenant(): TenantSnapshot {
  const person = (id: string, name: string, extra = {}) =>
    cloudUser(id, `${name}@contoso.example`, { givenName: name[0]?.toUpperCase() + name.slice(1), surname: 'Example', displayName: `${name} Example`, ...extra });
  return buildTenant({
    users: [
      person(ALICE, 'alice'),
      person(BOB, 'bob'),
      person(CAROL, 'carol'),
      person(DAVE, 'dave'),
      person(ERIN, 'erin'),
      person(GINA, 'gina', { onPremisesSyncEnabled: true, onPremisesImmutableId: 'Z2luYQ==' }),
    ],
    groups: [
      { id: SALES, displayName: 'Sales', members: [ALICE, CAROL, GINA, EMEA] },
      { id: EMEA, displayName: 'Sales EMEA', members: [BOB, CAROL] },
      { id: OTHER, displayName: 'Other', members: [ERIN] },
    ],
  });
}

let sim: RunningSimulator;
let refusing: RunningSimulator;
let dir: string;
let runs = 0;

beforeAll(async () => {
  sim = await startSimulator({ tenant: tenant(), throttle: false });
  refusing = await startSimulator({ tenant: tenant(), throttle: false, refuseAdvancedQuery: true });
  dir = await mkdtemp(join(tmpdir(), 'entra2ad-plan-group-'));
});
afterAll(async () => {
  await sim?.close();
  await refusing?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Sign-in flags as an admin would type them for the simulator (the secret in a file, no LDAP flags: no DC). */
async function connection(target: RunningSimulator): Promise<string[]> {
  const secretFile = join(dir, `secret-${target.clientId}`);
  await writeFile(secretFile, `${target.clientSecret}\n`, { mode: 0o600 });
  return [
    '--tenant-id', target.tenantId,
    '--client-id', target.clientId,
    '--client-secret-file', secretFile,
    '--graph-url', target.url,
    '--authority-host', target.authorityHost,
    '--graph-ca-file', target.caFile,
  ];
}

function argsOf(flags: string[]): PlanCommandArgs {
  const args: Record<string, unknown> = { output: 'none' };
  for (let i = 0; i < flags.length; i += 2) {
    const key = (flags[i] as string).replace(/^--/, '');
    const value = flags[i + 1];
    args[key] = key === 'group' ? [...((args.group as string[] | undefined) ?? []), value] : value;
  }
  return args as unknown as PlanCommandArgs;
}

async function outDir(): Promise<string> {
  return join(dir, `run-${++runs}`);
}

/** planCommand, and the plan it streamed to plan.json, read back. */
async function planned(args: PlanCommandArgs): Promise<{ plan: Plan }> {
  const { files } = await planCommand(args);
  return { plan: parsePlan(await readFile(files.find((f) => f.endsWith('plan.json'))!, 'utf8')) };
}

/** --group SALES: its direct and nested members are created, the others skipped (gina, synced, is never listed). */
const SALES_DECISIONS = {
  alice: 'create CREATE_NEW',
  bob: 'create CREATE_NEW',
  carol: 'create CREATE_NEW',
  dave: 'skip SKIP_NOT_IN_GROUP',
  erin: 'skip SKIP_NOT_IN_GROUP',
};

function decisions(plan: Plan): Record<string, string> {
  return Object.fromEntries(plan.entries.map((e) => [e.userPrincipalName.split('@')[0], `${e.action} ${e.reason}`]));
}

describe('plan --group', () => {
  it('from the command line: members, direct or through a nested group, are created; others are SKIP_NOT_IN_GROUP', async () => {
    const out = await outDir();
    const args = ['plan', ...(await connection(sim)), '--target-ou', TARGET_OU, '--group', SALES, '--out', out, '--output', 'none'];
    // The built CLI through the harness, as an admin runs it. A developer's shell must not reach it: an
    // ENTRA2AD_LDAP_URL would make plan read a DC (this one refuses connections).
    const saved = process.env.ENTRA2AD_LDAP_URL;
    process.env.ENTRA2AD_LDAP_URL = 'ldaps://127.0.0.1:9';
    const run = await runCli(args).finally(() => {
      if (saved === undefined) delete process.env.ENTRA2AD_LDAP_URL;
      else process.env.ENTRA2AD_LDAP_URL = saved;
    });
    expect(run.code, describeRun(run)).toBe(0);
    const plan = JSON.parse(await readFile(join(out, 'plan.json'), 'utf8')) as Plan;
    expect(plan.directoryChecked, 'no DC read').toBe(false);
    expect(decisions(plan)).toEqual(SALES_DECISIONS);
    expect(plan.entries.find((e) => e.cloudId === DAVE)?.message).toMatch(/scoping group/);
    expect(sim.stats().perPath['GET /v1.0/groups/{id}/transitiveMembers/microsoft.graph.user']).toBe(1);
  });

  it('--group is repeatable: the union of the groups', async () => {
    const { plan } = await planned(argsOf([...(await connection(sim)), '--target-ou', TARGET_OU, '--group', EMEA, '--group', OTHER, '--out', await outDir()]));
    expect(decisions(plan)).toEqual({
      alice: 'skip SKIP_NOT_IN_GROUP',
      bob: 'create CREATE_NEW',
      carol: 'create CREATE_NEW',
      dave: 'skip SKIP_NOT_IN_GROUP',
      erin: 'create CREATE_NEW',
    });
  });

  it('plan.scope.groups in the config file does the same, and --group overrides it', async () => {
    const config = join(dir, 'config.json');
    await writeFile(config, JSON.stringify({ plan: { targetOu: TARGET_OU, scope: { groups: [OTHER] } } }));
    const fromFile = await planned(argsOf([...(await connection(sim)), '--config', config, '--out', await outDir()]));
    expect(fromFile.plan.entries.filter((e) => e.action === 'create').map((e) => e.cloudId)).toEqual([ERIN]);
    const overridden = await planned(argsOf([...(await connection(sim)), '--config', config, '--group', EMEA, '--out', await outDir()]));
    expect(overridden.plan.entries.filter((e) => e.action === 'create').map((e) => e.cloudId).sort()).toEqual([BOB, CAROL].sort());
  });

  it('with groupMemberIds given too, only users in both are planned', async () => {
    const config = join(dir, 'config-both.json');
    await writeFile(config, JSON.stringify({ plan: { targetOu: TARGET_OU, scope: { groups: [SALES], groupMemberIds: [ALICE, DAVE] } } }));
    const { plan } = await planned(argsOf([...(await connection(sim)), '--config', config, '--out', await outDir()]));
    expect(decisions(plan)).toMatchObject({ alice: 'create CREATE_NEW', bob: 'skip SKIP_NOT_IN_GROUP', dave: 'skip SKIP_NOT_IN_GROUP' });
  });

  it('a group id that is not a GUID is a usage error naming the path, before anything is read', async () => {
    const before = sim.stats().requests;
    const error = await planCommand(argsOf([...(await connection(sim)), '--target-ou', TARGET_OU, '--group', 'Sales', '--out', await outDir()])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).problems).toEqual([expect.stringMatching(/^plan\.scope\.groups\[0\]: must be a group object id/)]);
    expect(sim.stats().requests).toBe(before);
  });

  it('a group that does not exist fails the plan with NOT_FOUND naming it, and writes no files', async () => {
    const missing = guid(9, 'e');
    const out = await outDir();
    const error = await planCommand(argsOf([...(await connection(sim)), '--target-ou', TARGET_OU, '--group', missing, '--out', out])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudError);
    expect((error as CloudError).reason).toBe('NOT_FOUND');
    expect((error as CloudError).message).toContain(missing);
    expect(await readdir(out).catch(() => [])).toEqual([]);
  });

  it('works against a tenant that refuses advanced queries: users filtered on the client, members read without the header', async () => {
    const { plan } = await planned(argsOf([...(await connection(refusing)), '--target-ou', TARGET_OU, '--group', SALES, '--out', await outDir()]));
    expect(decisions(plan)).toEqual(SALES_DECISIONS);
    // gina (synced) was read in the fallback listing and dropped on the client, never planned.
    expect(plan.entries.some((e) => e.cloudId === GINA)).toBe(false);
  });
});
