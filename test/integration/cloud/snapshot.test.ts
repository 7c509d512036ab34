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
import { baseTenant, cloudUser, graphFor, guidOf } from './helpers.js';

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
    const users = [cloudUser(guidOf(1), 'member@contoso.example'), cloudUser(guidOf(2), 'owner@contoso.example'), cloudUser(guidOf(3), 'exec@contoso.example')];
    const base = baseTenant(users);
    const ga = '62e90394-69f5-4237-9190-012177145e10';
    const tenant: TenantSnapshot = {
      ...base,
      roleDefinitions: [{ id: ga, displayName: 'Global Administrator', isPrivileged: true, isBuiltIn: true, templateId: ga }],
      groups: [
        { id: guidOf(10, 'd'), displayName: 'Tier 0', isAssignableToRole: true, members: [guidOf(1)], owners: [guidOf(2)] },
        { id: guidOf(11, 'd'), displayName: 'Plain', isAssignableToRole: false, members: [guidOf(3)] },
      ],
      administrativeUnits: [
        { id: guidOf(20, 'd'), displayName: 'Executives', isMemberManagementRestricted: true, members: [guidOf(3)] },
        { id: guidOf(21, 'd'), displayName: 'Open', isMemberManagementRestricted: false, members: [guidOf(1)] },
      ],
      roleAssignments: [{ id: 'ra-g', principalId: guidOf(10, 'd'), roleDefinitionId: ga, directoryScopeId: '/' }],
      roleEligibilityScheduleInstances: [{ id: 're-g', principalId: guidOf(10, 'd'), roleDefinitionId: ga, directoryScopeId: '/' }],
    };
    const source = await startSimulator({ tenant, throttle: false });
    try {
      const { snapshot, summary } = await readSnapshot(graphFor(source));
      expect(summary.warnings.filter((w) => /groups|administrative|principals/.test(w))).toEqual([]);
      expect(snapshot.groups).toEqual([{ id: guidOf(10, 'd'), displayName: 'Tier 0', isAssignableToRole: true, members: [guidOf(1)], owners: [guidOf(2)] }]);
      expect(snapshot.administrativeUnits).toEqual([{ id: guidOf(20, 'd'), displayName: 'Executives', isMemberManagementRestricted: true, members: [guidOf(3)] }]);
      expect(snapshot.roleAssignments.map((a) => a.principalId)).toEqual([guidOf(10, 'd')]);
      expect(snapshot.roleEligibilityScheduleInstances.map((a) => a.principalId)).toEqual([guidOf(10, 'd')]);
      expect(() => normalizeTenant(JSON.parse(JSON.stringify(snapshot)))).not.toThrow();
    } finally {
      await source.close();
    }
  });
});
