/**
 * A small applied run for the rollback tests: a tenant built inline (8 users
 * to create, one to adopt, optionally one whose immutableId is changed after
 * apply) on the harness rig (test/harness/rig.ts: the Graph simulator, the
 * harness DC, and the REAL CLI run as child processes), as an admin would.
 * Build first: `npm run build`.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { guidToImmutableId } from '../../../src/anchor/index.js';
import { childDn, UAC, type Directory } from '../../../src/directory/index.js';
import type { JournalRecord } from '../../../src/journal/records.js';
import { readJournal } from '../../../src/journal/journal.js';
import type { RollbackReport } from '../../../src/rollback/report.js';
import type { RunningSimulator } from '../../../src/sim/index.js';
import type { SnapshotUser } from '../../../src/graph/tenant-snapshot.js';
import { afterAll, beforeAll } from 'vitest';
import { connectDirectory, uniqueSuffix, useTestOu } from '../../harness/dc.js';
import { raw, tokenFor, trustSimulator } from '../../harness/graph.js';
import { planThenApply, startRig } from '../../harness/rig.js';
import type { CliResult } from '../../harness/run-cli.js';
import { buildTenant, graphUser, MANAGED as DOMAIN } from '../../harness/tenant.js';
import { strongPassword } from '../../harness/users.js';

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
  const user = (id: string, prefix: string, extra: Partial<SnapshotUser> = {}): SnapshotUser =>
    graphUser(id, `${tag}-${prefix}@${DOMAIN}`, { displayName: `${tag} ${prefix}`, givenName: prefix, surname: tag, ...extra });
  const created = Array.from({ length: CREATED }, (_, i) => ({ id: randomUUID(), upn: `${tag}-u${i}@${DOMAIN}` }));
  const users = created.map((u, i) => user(u.id, `u${i}`, i === 1 ? { manager: { id: created[0]!.id } } : {}));
  const adoptedId = randomUUID();
  users.push(user(adoptedId, 'adopt'));
  let changed: AppliedRun['changed'];
  if (shape.changed) {
    changed = { id: randomUUID(), upn: `${tag}-chg@${DOMAIN}`, newImmutableId: guidToImmutableId(randomUUID()) };
    users.push(user(changed.id, 'chg'));
  }
  const adoptedUpn = `${tag}-adopt@${DOMAIN}`;
  const adoptedDn = childDn(testOu, 'CN', `${tag} adoptee`);
  {
    await using dir = await connectDirectory();
    await dir.createUser({ dn: adoptedDn, attributes: { sAMAccountName: `${tag}-adoptee`, userPrincipalName: adoptedUpn }, userAccountControl: UAC.NORMAL_ACCOUNT, mustChangePassword: false }, strongPassword());
  }
  const adoptedGuid = (await withDirectory((dir) => dir.findUserByUpn(adoptedUpn)))!.objectGuid;

  const rig = await startRig({
    tenant: buildTenant({ users }),
    ou: childDn(testOu, 'OU', 'cloud'),
    label: 'rollback',
    sim: { throttle: false, ...(shape.refuseImmutableIdClear ? { refuseImmutableIdClear: true } : {}) },
  });
  const { sim, dir: runDir, ou: targetOu } = rig;
  trustSimulator(sim);
  const cli = ([command, ...args]: string[], extraEnv: Record<string, string> = {}) => rig.run(command!, args, extraEnv);
  const close = () => rig.close();
  try {
    await planThenApply(rig);
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

/**
 * Registers, in the calling file or describe: a test OU (useTestOu), the applied run made in it
 * before the tests (appliedRun) and its close after them. The object returned is that run once
 * the hooks have run.
 */
export function useAppliedRun(shape: RunShape = {}): AppliedRun {
  const ou = useTestOu();
  const run = {} as AppliedRun;
  beforeAll(async () => {
    Object.assign(run, await appliedRun(ou.dn, shape));
  });
  afterAll(async () => {
    await run.close?.();
  });
  return run;
}

export async function withDirectory<T>(use: (dir: Directory) => Promise<T>): Promise<T> {
  await using dir = await connectDirectory();
  return await use(dir);
}
