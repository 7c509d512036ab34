/**
 * `entra2ad snapshot` run through the built CLI (the harness's runCli: environment
 * scrubbed of AZURE_* and ENTRA2AD_*, a timeout) against a simulator
 * loaded with the sample tenant: the file it writes equals the simulator's
 * state for the properties entra2ad selects, and loads into a second simulator.
 */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USER_SELECT, listAllUsers, readSnapshot } from '../../../src/cloud/index.js';
import { SAMPLE_TENANT_FILE } from '../../../src/samples/index.js';
import { loadTenant, normalizeTenant, startSimulator, type RunningSimulator } from '../../../src/sim/index.js';
import type { SnapshotUser, TenantSnapshot } from '../../../src/graph/tenant-snapshot.js';
import { describeRun, runCli } from '../../harness/run-cli.js';
import { graphFor } from '../../harness/graph.js';
import { buildTenant, cloudUser, GLOBAL_ADMIN, guid, ROLE_DEFINITIONS } from '../../harness/tenant.js';

let sim: RunningSimulator;
let dir: string;

beforeAll(async () => {
  // The features are read app-only here (syncFeaturesForApps: not Graph's behaviour) to test their round trip.
  sim = await startSimulator({ tenant: SAMPLE_TENANT_FILE, throttle: false, syncFeaturesForApps: true });
  dir = mkdtempSync(join(tmpdir(), 'entra2ad-snapshot-'));
});
afterAll(async () => {
  await sim?.close();
});

function cliArgs(running: RunningSimulator, out: string): string[] {
  const secretFile = join(dir, `secret-${running.clientId}`);
  writeFileSync(secretFile, `${running.clientSecret}\n`, { mode: 0o600 });
  return [
    'snapshot',
    '--out', out,
    '--tenant-id', running.tenantId,
    '--client-id', running.clientId,
    '--client-secret-file', secretFile,
    '--graph-url', running.url,
    '--authority-host', running.authorityHost,
    '--graph-ca-file', running.caFile,
    '--output', 'json',
  ];
}

const pick = (user: SnapshotUser) => {
  const out: Record<string, unknown> = {};
  for (const property of [...USER_SELECT, 'onPremisesObjectIdentifier']) out[property] = user[property] ?? null;
  out.manager = user.manager?.id ?? null;
  return out;
};
const byId = <T extends { id: string }>(items: readonly T[]) => [...items].sort((a, b) => a.id.localeCompare(b.id));

describe('entra2ad snapshot', () => {
  it('writes the tenant the simulator holds, for every selected property, and the file loads back', async () => {
    const out = join(dir, 'tenant.json');
    const run = await runCli(cliArgs(sim, out));
    const { stdout, stderr } = run;
    expect(stderr).not.toContain(sim.clientSecret);
    expect(stdout).not.toContain(sim.clientSecret);
    expect(run.code, describeRun(run)).toBe(0);
    const summary = JSON.parse(stdout) as { users: number; file: string; syncFeaturesKnown: boolean; eligibilityKnown: boolean };
    expect(summary).toMatchObject({ file: out, syncFeaturesKnown: true, eligibilityKnown: true });
    expect(statSync(out).mode & 0o777).toBe(0o600);

    const written = JSON.parse(readFileSync(out, 'utf8')) as TenantSnapshot;
    const truth = sim.state();
    expect(summary.users).toBe(truth.users.length);
    expect(written.tenant).toEqual({ id: truth.tenant.id, initialDomain: truth.tenant.initialDomain, displayName: truth.tenant.displayName });
    expect(byId(written.users).map(pick)).toEqual(byId(truth.users).map(pick));
    expect(byId(written.domains)).toEqual(byId(truth.domains));
    expect(byId(written.roleDefinitions)).toEqual(byId(truth.roleDefinitions));
    expect(byId(written.roleAssignments)).toEqual(byId(truth.roleAssignments));
    expect(byId(written.roleEligibilityScheduleInstances)).toEqual(byId(truth.roleEligibilityScheduleInstances));
    expect(written.onPremisesSynchronization.map((s) => s.features)).toEqual(truth.onPremisesSynchronization.map((s) => s.features));

    // Round trip: a second simulator serves the same users from the snapshot.
    const loaded = await loadTenant(out);
    const second = await startSimulator({ tenant: loaded, throttle: false });
    try {
      const again = await listAllUsers(graphFor(second), { cloudOnly: false, expandManager: true });
      const first = await listAllUsers(graphFor(sim), { cloudOnly: false, expandManager: true });
      expect(byId(again.users)).toEqual(byId(first.users));
    } finally {
      await second.close();
    }
  });

  it("writes sync features as [] (unknown) and warns on Graph's 403 to an app-only caller", async () => {
    const blocked = await startSimulator({ tenant: SAMPLE_TENANT_FILE, throttle: false });
    try {
      const out = join(dir, 'blocked.json');
      const run = await runCli(cliArgs(blocked, out));
      expect(run.code, describeRun(run)).toBe(0);
      expect(run.stderr).toMatch(/warning: onPremisesSynchronization not read \(FORBIDDEN\)/);
      expect((JSON.parse(readFileSync(out, 'utf8')) as TenantSnapshot).onPremisesSynchronization).toEqual([]);
    } finally {
      await blocked.close();
    }
  });

  it('fails with AUTH_FAILED and exit code 1 on a wrong secret, leaving no file and no secret in the output', async () => {
    const out = join(dir, 'never.json');
    const args = cliArgs(sim, out);
    const secretFile = join(dir, 'wrong-secret');
    writeFileSync(secretFile, 'WRONG-SECRET-456\n', { mode: 0o600 });
    args[args.indexOf('--client-secret-file') + 1] = secretFile;
    const run = await runCli(args);
    const { stderr, stdout } = run;
    expect(run.code, describeRun(run)).toBe(1);
    expect(stderr).toMatch(/AUTH_FAILED/);
    expect(stderr + stdout).not.toContain('WRONG-SECRET-456');
    expect(() => statSync(out)).toThrow();
  });

  it('readSnapshot (in memory) gives the same users as the file', async () => {
    const { snapshot, summary } = await readSnapshot(graphFor(sim));
    expect(summary.objectIdentifierRead).toBe(true);
    expect(byId(snapshot.users).map(pick)).toEqual(byId(sim.state().users).map(pick));
  });
});

describe('snapshot of roles held through groups and of restricted management units', () => {
  it('keeps role-assignable groups (members, owners), their assignments and eligibilities, and restricted units; the file loads back', async () => {
    const users = [cloudUser(guid(1, 'c'), 'member@contoso.example'), cloudUser(guid(2, 'c'), 'owner@contoso.example'), cloudUser(guid(3, 'c'), 'exec@contoso.example')];
    const tier0 = guid(10, 'd');
    const tenant = buildTenant({
      users,
      roleDefinitions: ROLE_DEFINITIONS.filter((r) => r.id === GLOBAL_ADMIN),
      groups: [
        { id: tier0, displayName: 'Tier 0', isAssignableToRole: true, members: [guid(1, 'c')], owners: [guid(2, 'c')] },
        { id: guid(11, 'd'), displayName: 'Plain', isAssignableToRole: false, members: [guid(3, 'c')] },
      ],
      administrativeUnits: [
        { id: guid(20, 'd'), displayName: 'Executives', isMemberManagementRestricted: true, members: [guid(3, 'c')] },
        { id: guid(21, 'd'), displayName: 'Open', isMemberManagementRestricted: false, members: [guid(1, 'c')] },
      ],
      active: [[tier0, GLOBAL_ADMIN]],
      eligible: [[tier0, GLOBAL_ADMIN]],
    });
    const source = await startSimulator({ tenant, throttle: false });
    try {
      const { snapshot, summary } = await readSnapshot(graphFor(source));
      expect(summary.warnings.filter((w) => /groups|administrative|principals/.test(w))).toEqual([]);
      expect(snapshot.groups).toEqual([{ id: guid(10, 'd'), displayName: 'Tier 0', isAssignableToRole: true, members: [guid(1, 'c')], owners: [guid(2, 'c')] }]);
      expect(snapshot.administrativeUnits).toEqual([{ id: guid(20, 'd'), displayName: 'Executives', isMemberManagementRestricted: true, members: [guid(3, 'c')] }]);
      expect(snapshot.roleAssignments.map((a) => a.principalId)).toEqual([guid(10, 'd')]);
      expect(snapshot.roleEligibilityScheduleInstances.map((a) => a.principalId)).toEqual([guid(10, 'd')]);
      expect(() => normalizeTenant(JSON.parse(JSON.stringify(snapshot)))).not.toThrow();
    } finally {
      await source.close();
    }
  });
});
