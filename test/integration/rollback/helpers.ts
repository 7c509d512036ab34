/**
 * A small applied run for the rollback tests: a tenant built inline (8 users
 * to create, one to adopt, optionally one whose immutableId is changed after
 * apply), the Graph simulator, the harness DC, and the REAL CLI (dist/bin.js)
 * run as child processes through the harness's runCli (inherited AZURE_* and
 * ENTRA2AD_* scrubbed, a timeout), as an admin would. Build first: `npm run build`.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { guidToImmutableId } from '../../../src/anchor/index.js';
import { childDn, UAC, type Directory } from '../../../src/directory/index.js';
import type { JournalRecord } from '../../../src/journal/records.js';
import { readJournal } from '../../../src/journal/journal.js';
import type { RollbackReport } from '../../../src/rollback/report.js';
import { startSimulator, type RunningSimulator } from '../../../src/sim/index.js';
import type { SnapshotUser, TenantSnapshot } from '../../../src/graph/tenant-snapshot.js';
import { cliConnection, connectDirectory, dcInfo, uniqueSuffix } from '../../harness/dc.js';
import { runCli, type CliResult } from '../../harness/run-cli.js';
import { strongPassword } from '../../harness/users.js';
import { raw, tokenFor, trustSimulator } from '../sim/helpers.js';

const DOMAIN = 'contoso.example';
export const CREATED = 8;

export type { CliResult };

export interface AppliedRun {
  sim: RunningSimulator;
  runDir: string;
  targetOu: string;
  /** Cloud ids and UPNs of the users apply created (u0..u7, and chg when asked). */
  created: { id: string; upn: string }[];
  adopted: { id: string; upn: string; dn: string; objectGuid: string };
  changed?: { id: string; upn: string; newImmutableId: string };
  cli(args: string[], extraEnv?: Record<string, string>): Promise<CliResult>;
  rollback(mode: 'delete' | 'disable', extraEnv?: Record<string, string>): Promise<CliResult>;
  journal(): Promise<JournalRecord[]>;
  report(): Promise<RollbackReport>;
  cloudUser(id: string): SnapshotUser;
  /** Null PATCHes the simulator accepted or refused for this user. */
  clears(id: string): number;
  close(): Promise<void>;
}

export interface RunShape {
  /** Add a user whose onPremisesImmutableId is changed (by PATCH) after apply. */
  changed?: boolean;
  refuseImmutableIdClear?: boolean;
}

/**
 * Plans and applies a fresh tenant into `OU=cloud,<testOu>`; the adopted AD user
 * is made beforehand in `testOu` itself (outside the target OU).
 */
export async function appliedRun(testOu: string, shape: RunShape = {}): Promise<AppliedRun> {
  const tag = `rb${uniqueSuffix(3)}`;
  const user = (id: string, prefix: string, extra: Partial<SnapshotUser> = {}): SnapshotUser => ({
    id,
    userPrincipalName: `${tag}-${prefix}@${DOMAIN}`,
    displayName: `${tag} ${prefix}`,
    givenName: prefix,
    surname: tag,
    accountEnabled: true,
    onPremisesSyncEnabled: null,
    onPremisesImmutableId: null,
    proxyAddresses: [`SMTP:${tag}-${prefix}@${DOMAIN}`],
    ...extra,
  });
  const created = Array.from({ length: CREATED }, (_, i) => ({ id: randomUUID(), upn: `${tag}-u${i}@${DOMAIN}` }));
  const users = created.map((u, i) => user(u.id, `u${i}`, i === 1 ? { manager: { id: created[0]!.id } } : {}));
  const adoptedId = randomUUID();
  users.push(user(adoptedId, 'adopt'));
  let changed: AppliedRun['changed'];
  if (shape.changed) {
    changed = { id: randomUUID(), upn: `${tag}-chg@${DOMAIN}`, newImmutableId: guidToImmutableId(randomUUID()) };
    users.push(user(changed.id, 'chg'));
  }
  const tenant: TenantSnapshot = {
    tenant: { id: randomUUID(), initialDomain: 'contoso.onmicrosoft.com', displayName: 'Rollback test' },
    users,
    domains: [
      { id: 'contoso.onmicrosoft.com', authenticationType: 'Managed', isVerified: true, isDefault: false, isInitial: true },
      { id: DOMAIN, authenticationType: 'Managed', isVerified: true, isDefault: true, isInitial: false },
    ],
    roleDefinitions: [],
    roleAssignments: [],
    roleEligibilityScheduleInstances: [],
    onPremisesSynchronization: [],
  };

  const adoptedUpn = `${tag}-adopt@${DOMAIN}`;
  const adoptedDn = childDn(testOu, 'CN', `${tag} adoptee`);
  {
    await using dir = await connectDirectory();
    await dir.createUser({ dn: adoptedDn, attributes: { sAMAccountName: `${tag}-adoptee`, userPrincipalName: adoptedUpn }, userAccountControl: UAC.NORMAL_ACCOUNT, mustChangePassword: false }, strongPassword());
  }
  const adoptedGuid = (await withDirectory((dir) => dir.findUserByUpn(adoptedUpn)))!.objectGuid;

  const sim = await startSimulator({ tenant, throttle: false, ...(shape.refuseImmutableIdClear ? { refuseImmutableIdClear: true } : {}) });
  trustSimulator(sim);
  const runDir = await mkdtemp(join(tmpdir(), 'entra2ad-rollback-'));
  const targetOu = childDn(testOu, 'OU', 'cloud');
  const { flags, env } = await cliConnection(sim, runDir);
  const cli = (args: string[], extraEnv: Record<string, string> = {}) => runCli([...args, ...flags], { env: { ...env, ...extraEnv } });

  const close = async () => {
    await sim.close();
    await rm(runDir, { recursive: true, force: true });
  };
  try {
    const planned = await cli(['plan', '--target-ou', targetOu, '--out', runDir]);
    if (planned.code !== 0) throw new Error(`plan failed (${planned.code}): ${planned.stderr}`);
    const applied = await cli(['apply', '--plan', join(runDir, 'plan.json'), '--yes']);
    if (applied.code !== 0) throw new Error(`apply failed (${applied.code}): ${applied.stderr}`);
    if (changed) {
      const answer = await raw(sim, 'PATCH', `/v1.0/users/${changed.id}`, { token: await tokenFor(sim), body: { onPremisesImmutableId: changed.newImmutableId } });
      if (answer.status !== 204) throw new Error(`could not change the immutableId: ${answer.status} ${answer.text}`);
    }
  } catch (error) {
    await close();
    throw error;
  }

  const run: AppliedRun = {
    sim,
    runDir,
    targetOu,
    created: changed ? [...created, { id: changed.id, upn: changed.upn }] : created,
    adopted: { id: adoptedId, upn: adoptedUpn, dn: adoptedDn, objectGuid: adoptedGuid },
    ...(changed ? { changed } : {}),
    cli,
    rollback: (mode, extraEnv) => cli(['rollback', '--run', runDir, `--${mode}`, '--yes'], extraEnv),
    journal: () => readJournal(join(runDir, 'journal.jsonl')),
    report: async () => JSON.parse(await readFile(join(runDir, 'rollback-report.json'), 'utf8')) as RollbackReport,
    cloudUser: (id) => sim.state().users.find((u) => u.id === id)!,
    clears: (id) => (sim.state().writes ?? []).filter((w) => w.userId === id && 'onPremisesImmutableId' in w.body && w.body.onPremisesImmutableId === null).length,
    close,
  };
  return run;
}

export async function withDirectory<T>(use: (dir: Directory) => Promise<T>): Promise<T> {
  await using dir = await connectDirectory();
  return await use(dir);
}
