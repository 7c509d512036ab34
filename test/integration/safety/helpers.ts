/**
 * Fixtures for the safety tests (guards, tenant stop, recovery, verify): a small
 * tenant built inline in the simulator's snapshot format, the harness DC, and the
 * BUILT CLI (`node dist/bin.js`, test/harness/run-cli.ts) run as an admin would.
 *
 * Every test gets its own tag: UPNs `<name>-<tag>@contoso.example` and a target OU
 * `OU=s-<tag>,<baseDn>` that does not exist before the run (apply creates it), so
 * "nothing was written" can be checked as "the OU is not even there".
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'ldapts';
import { afterAll } from 'vitest';
import { childDn } from '../../../src/directory/index.js';
import type { Plan } from '../../../src/plan/types.js';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../../src/sim/index.js';
import type { SnapshotUser, TenantSnapshot } from '../../../src/graph/tenant-snapshot.js';
import { cliConnection, dcInfo, deleteTree } from '../../harness/dc.js';
import { runCli, type CliResult } from '../../harness/run-cli.js';

export const MANAGED = 'contoso.example';
export const FEDERATED = 'fed.contoso.example';
export const INITIAL = 'contoso.onmicrosoft.com';
export const GLOBAL_ADMIN = '62e90394-69f5-4237-9190-012177145e10';
export const USER_ADMIN = 'fe930be7-5e62-47db-91af-98c3a49a38b1';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

export const tag = (): string => randomBytes(3).toString('hex');

/** A cloud-only member user with the shape Graph returns. */
export function cloudUser(name: string, t: string, extra: Partial<SnapshotUser> = {}, domain = MANAGED): SnapshotUser {
  const upn = `${name}-${t}@${domain}`;
  const n = parseInt(randomBytes(4).toString('hex'), 16);
  return {
    id: `${t}${'0'.repeat(8 - t.length)}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
    userPrincipalName: upn,
    displayName: `${name} ${t}`,
    givenName: name,
    surname: t,
    accountEnabled: true,
    userType: 'Member',
    onPremisesSyncEnabled: null,
    onPremisesImmutableId: null,
    proxyAddresses: [`SMTP:${upn}`],
    mail: upn,
    businessPhones: [],
    ...extra,
  };
}

export interface TenantParts {
  users: SnapshotUser[];
  /** principalId -> role template id, active assignments. */
  active?: Array<[string, string]>;
  /** principalId -> role template id, PIM eligibilities. */
  eligible?: Array<[string, string]>;
  features?: Record<string, boolean>;
}

export function tenant(parts: TenantParts): TenantSnapshot {
  return {
    tenant: { id: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b', initialDomain: INITIAL, displayName: 'Contoso (safety tests)' },
    users: parts.users,
    domains: [
      { id: INITIAL, authenticationType: 'Managed', isVerified: true, isDefault: false, isInitial: true },
      { id: MANAGED, authenticationType: 'Managed', isVerified: true, isDefault: true, isInitial: false },
      { id: FEDERATED, authenticationType: 'Federated', isVerified: true, isDefault: false, isInitial: false },
    ],
    roleDefinitions: [
      { id: GLOBAL_ADMIN, displayName: 'Global Administrator', isPrivileged: true, isBuiltIn: true, templateId: GLOBAL_ADMIN },
      { id: USER_ADMIN, displayName: 'User Administrator', isPrivileged: true, isBuiltIn: true, templateId: USER_ADMIN },
    ],
    roleAssignments: (parts.active ?? []).map(([principalId, role], i) => ({ id: `ra-${i}`, principalId, roleDefinitionId: role, directoryScopeId: '/' })),
    roleEligibilityScheduleInstances: (parts.eligible ?? []).map(([principalId, role], i) => ({ id: `re-${i}`, principalId, roleDefinitionId: role, directoryScopeId: '/' })),
    onPremisesSynchronization: [{ id: 'sync-0001', features: parts.features ?? {} }],
  };
}

export interface Rig {
  sim: RunningSimulator;
  ou: string;
  dir: string;
  /** `env`: extra environment for this run only (e.g. ENTRA2AD_CRASH_AT). */
  run(command: string, extra?: string[], env?: Record<string, string>): Promise<CliResult>;
}

/**
 * Simulator on `snapshot`, a fresh (absent) target OU and run folder; all removed after the file.
 * The app-only CLI reads the tenant's sync features here (`syncFeaturesForApps`, not Graph's behaviour:
 * these suites test what entra2ad does with the flags); pass `syncFeaturesForApps: false` for Graph's 403.
 */
export async function rig(snapshot: TenantSnapshot, t: string, options: Omit<SimulatorOptions, 'tenant'> = {}): Promise<Rig> {
  const sim = await startSimulator({ tenant: snapshot, throttle: false, syncFeaturesForApps: true, ...options });
  const dir = await mkdtemp(join(tmpdir(), `e2a-safety-${t}-`));
  const dc = dcInfo();
  const ou = childDn(dc.baseDn, 'OU', `s-${t}`);
  cleanups.push(async () => {
    await sim.close();
    await deleteTree(ou);
    await rm(dir, { recursive: true, force: true });
  });
  const connection = await cliConnection(sim, dir);
  const flags = [...connection.flags, '--target-ou', ou];
  const { env } = connection;
  return { sim, ou, dir, run: (command, extra = [], more = {}) => runCli([command, ...flags, ...extra], { env: { ...env, ...more } }) };
}

export function describeRun(r: CliResult): string {
  return `entra2ad ${r.args.slice(0, 1).join(' ')} exited ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
}

export async function readPlanFile(dir: string): Promise<Plan> {
  return JSON.parse(await readFile(join(dir, 'plan.json'), 'utf8')) as Plan;
}

export function entryOf(plan: Plan, upn: string) {
  const e = plan.entries.find((x) => x.userPrincipalName.toLowerCase() === upn.toLowerCase());
  if (!e) throw new Error(`no plan entry for ${upn}`);
  return e;
}

/** Every entry under `base` (the base included); [] when `base` does not exist. */
export async function entriesUnder(base: string, filter = '(objectClass=*)', attributes: string[] = ['dn']): Promise<Array<Record<string, unknown>>> {
  const dc = dcInfo();
  const client = new Client({ url: dc.url, tlsOptions: { ...(dc.caPem ? { ca: dc.caPem } : {}), ...(dc.servername ? { servername: dc.servername } : {}) } });
  try {
    await client.bind(dc.bindDn, dc.bindPassword);
    const { searchEntries } = await client.search(base, { scope: 'sub', filter, attributes });
    return searchEntries as Array<Record<string, unknown>>;
  } catch (error) {
    if ((error as { code?: unknown }).code === 32) return []; // no such object
    throw error;
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

/** Users anywhere in the domain with this UPN. */
export async function usersWithUpn(upn: string): Promise<number> {
  return (await entriesUnder(dcInfo().baseDn, `(userPrincipalName=${upn})`)).length;
}

/** The simulator's accepted or refused PATCHes that concern `userId`. */
export function writesTo(sim: RunningSimulator, userId: string) {
  return (sim.state().writes ?? []).filter((w) => w.userId?.toLowerCase() === userId.toLowerCase());
}
