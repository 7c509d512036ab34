/**
 * Each Graph call entra2ad makes, against a simulator whose app registration
 * lacks the permission Microsoft's page names for it: the error (or the
 * per-user reason) names the permission to grant. The simulator's app
 * registration decides the token's `roles` claim (src/sim/token-claims.ts);
 * each route checks it (src/sim/permissions.ts).
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  CloudError,
  listAllUsers,
  readDomains,
  readGroupUserIds,
  readManagers,
  readObjectIdentifierListing,
  readPrivilegedRoleHolders,
  readRoleAssignments,
  readRoleDefinitions,
  readRoleEligibilities,
  readSnapshot,
  readSyncFeatures,
  requireImmutableIdWrite,
  tokenGrants,
} from '../../../src/cloud/index.js';
import { SAMPLE_TENANT_FILE } from '../../../src/samples/index.js';
import { DEFAULT_APP_PERMISSIONS } from '../../../src/sim/permissions.js';
import { loadTenant, startSimulator, type RunningSimulator } from '../../../src/sim/index.js';
import { graphFor } from '../../harness/graph.js';
import { writeImmutableIds } from './helpers.js';

const sims: RunningSimulator[] = [];
afterAll(async () => {
  for (const sim of sims) await sim.close();
});

/** The sample tenant, its app holding the README's permissions minus `missing`. */
async function simWithout(...missing: string[]): Promise<RunningSimulator> {
  const tenant = await loadTenant(SAMPLE_TENANT_FILE);
  tenant.app = { applicationPermissions: DEFAULT_APP_PERMISSIONS.filter((p) => !missing.includes(p)) };
  const sim = await startSimulator({ tenant, throttle: false });
  sims.push(sim);
  return sim;
}

async function refusal(promise: Promise<unknown>): Promise<CloudError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CloudError);
  expect((error as CloudError).reason).toBe('FORBIDDEN');
  return error as CloudError;
}

const USER_READERS = ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All'];

describe('a missing application permission is named, per call', () => {
  it('GET /users (listing): User.Read.All', async () => {
    const graph = graphFor(await simWithout(...USER_READERS));
    expect((await refusal(listAllUsers(graph, { cloudOnly: true }))).message).toMatch(/Authorization_RequestDenied.*list users.*application permission User\.Read\.All.*user-list/s);
  });

  it('GET /beta/users (onPremisesObjectIdentifier): User.Read.All', async () => {
    const graph = graphFor(await simWithout(...USER_READERS));
    expect((await refusal(readObjectIdentifierListing(graph))).message).toMatch(/application permission User\.Read\.All/);
  });

  it('GET /users/{id}/manager ($batch items): User.Read.All, per user', async () => {
    const sim = await simWithout(...USER_READERS);
    const id = sim.state().users[0]!.id;
    const error = await refusal(readManagers(graphFor(sim), [id]));
    expect(error.user).toBe(id);
    expect(error.message).toMatch(/read a user's manager.*application permission User\.Read\.All/s);
  });

  it('GET /domains: Domain.Read.All', async () => {
    const graph = graphFor(await simWithout('Domain.Read.All'));
    expect((await refusal(readDomains(graph))).message).toMatch(/application permission Domain\.Read\.All.*domain-list/s);
  });

  it('GET roleDefinitions and roleAssignments: RoleManagement.Read.Directory', async () => {
    const graph = graphFor(await simWithout('RoleManagement.Read.Directory', 'Directory.Read.All'));
    expect((await refusal(readRoleDefinitions(graph))).message).toMatch(/list role definitions.*RoleManagement\.Read\.Directory/s);
    expect((await refusal(readRoleAssignments(graph))).message).toMatch(/list role assignments.*RoleManagement\.Read\.Directory/s);
  });

  it('GET roleEligibilityScheduleInstances: RoleManagement.Read.Directory (Directory.Read.All does not cover it)', async () => {
    const graph = graphFor(await simWithout('RoleManagement.Read.Directory'));
    expect((await refusal(readRoleEligibilities(graph))).message).toMatch(/PIM role eligibilities.*RoleManagement\.Read\.Directory/s);
  });

  it('POST /directoryObjects/getByIds: Directory.Read.All (the role guard reports it as a gap)', async () => {
    const holders = await readPrivilegedRoleHolders(graphFor(await simWithout('Directory.Read.All')));
    expect(holders.groupsExpanded).toBe(false);
    expect(holders.groupsWhy).toMatch(/getByIds.*application permission Directory\.Read\.All/s);
  });

  it('GET /groups/{id}/transitiveMembers: Directory.Read.All', async () => {
    const graph = graphFor(await simWithout('Directory.Read.All'));
    expect((await refusal(readGroupUserIds(graph, '0d7c5a1e-3b9f-4c2d-8e6a-1f2b3c4d5e6f'))).message).toMatch(/transitive members.*Directory\.Read\.All/s);
  });

  it('GET /organization (snapshot): Directory.Read.All', async () => {
    const graph = graphFor(await simWithout('Directory.Read.All'));
    expect((await refusal(readSnapshot(graph))).message).toMatch(/read the organization.*Directory\.Read\.All/s);
  });

  it('GET /directory/onPremisesSynchronization: no application permission exists, whatever the app holds', async () => {
    const tenant = await loadTenant(SAMPLE_TENANT_FILE);
    tenant.app = { applicationPermissions: [...DEFAULT_APP_PERMISSIONS, 'OnPremDirectorySynchronization.Read.All', 'OnPremDirectorySynchronization.ReadWrite.All', 'Directory.ReadWrite.All'] };
    const sim = await startSimulator({ tenant, throttle: false });
    sims.push(sim);
    const features = await readSyncFeatures(graphFor(sim));
    expect(features).toMatchObject({ known: false, reason: 'FORBIDDEN' });
    if (!features.known) expect(features.message).toMatch(/supports no application permission.*Global Administrator/s);
  });

  it('PATCH /users/{id} ($batch items): User.ReadWrite.All, as a per-user reason', async () => {
    const sim = await simWithout('User.ReadWrite.All');
    const user = sim.state().users.find((u) => u.onPremisesSyncEnabled == null && !u.onPremisesImmutableId)!;
    const [result] = await writeImmutableIds(graphFor(sim), [{ cloudId: user.id, userPrincipalName: user.userPrincipalName, immutableId: 'AAAAAAAAAAAAAAAAAAAAAA==' }]);
    expect(result).toMatchObject({ outcome: 'failed', reason: 'FORBIDDEN' });
    expect(result!.message).toMatch(/write onPremisesImmutableId.*application permission User\.ReadWrite\.All.*user-update/s);
    expect(sim.state().users.find((u) => u.id === user.id)!.onPremisesImmutableId ?? null).toBeNull();
  });

  it('before apply writes anything: the token holds no write permission -> FORBIDDEN naming it', async () => {
    const graph = graphFor(await simWithout('User.ReadWrite.All'));
    const grants = await tokenGrants(graph);
    expect(grants?.kind).toBe('app');
    expect(grants?.granted.has('User.Read.All')).toBe(true);
    expect(() => requireImmutableIdWrite(grants)).toThrow(/holds none of User\.ReadWrite\.All, Directory\.ReadWrite\.All.*nothing was written.*User\.ReadWrite\.All/s);
    const full = graphFor(await simWithout());
    expect(() => requireImmutableIdWrite(undefined)).not.toThrow();
    await expect(tokenGrants(full).then((g) => requireImmutableIdWrite(g))).resolves.toBeUndefined();
  });
});
