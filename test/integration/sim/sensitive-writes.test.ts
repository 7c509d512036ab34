/**
 * The simulator's own refusal of sensitive writes (src/graph/sensitive-actions.ts):
 * an app-only PATCH of onPremisesImmutableId answers 403 Authorization_RequestDenied
 * "Insufficient privileges to complete the operation." for an administrator, a
 * member or owner of a role-assignable group, and a member of a restricted
 * management administrative unit; a role on the app's service principal lifts the
 * first two as the "Who can perform sensitive actions" table says, never the third.
 * Also the reads the guard makes: group owners, administrative units and their members.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../../src/sim/index.js';
import type { TenantSnapshot } from '../../../src/graph/tenant-snapshot.js';
import { raw, tokenFor, trustSimulator } from '../../harness/graph.js';
import { castTenant, GLOBAL_ADMIN, guid, USER_ADMIN } from '../../harness/tenant.js';

const PRIVILEGED_AUTH_ADMIN = '7be44c8a-adaf-4e2a-84d6-ab2649e08a13';
const ADMIN = guid(6, 'b');
const GROUP_MEMBER = guid(1);
const GROUP_OWNER = guid(2);
const RESTRICTED = guid(3);
const PLAIN = guid(4);
const VIA_GROUP = guid(5);
const SCOPED = guid(6);
const READER = guid(7);
const REPORTS_READER = '4a5d8f65-41da-4de4-8968-e035b65339cf';
const ANCHOR = '1wfM9xV8fUSHbcAbDlqeOA==';

function tenantWithProtectedUsers(): TenantSnapshot {
  const base = castTenant({ users: 8 });
  return {
    ...base,
    groups: [
      { id: guid(1, 'c'), displayName: 'Tier 0', isAssignableToRole: true, members: [GROUP_MEMBER], owners: [GROUP_OWNER] },
      { id: guid(2, 'c'), displayName: 'GA group', isAssignableToRole: true, members: [VIA_GROUP] },
      { id: guid(3, 'c'), displayName: 'Plain', isAssignableToRole: false, members: [PLAIN], owners: [PLAIN] },
    ],
    administrativeUnits: [
      { id: guid(1, 'd'), displayName: 'Executives', isMemberManagementRestricted: true, members: [RESTRICTED] },
      { id: guid(2, 'd'), displayName: 'Open', isMemberManagementRestricted: false, members: [PLAIN] },
    ],
    roleDefinitions: [...base.roleDefinitions, { id: REPORTS_READER, displayName: 'Reports Reader', isPrivileged: false, isBuiltIn: true, templateId: REPORTS_READER }],
    roleAssignments: [
      ...base.roleAssignments,
      { id: 'ra-g', principalId: guid(2, 'c'), roleDefinitionId: GLOBAL_ADMIN, directoryScopeId: '/' },
      // Reports Reader: every column may act on it tenant-wide; scoped to a restricted unit, only PAA/GA may.
      { id: 'ra-s', principalId: SCOPED, roleDefinitionId: REPORTS_READER, directoryScopeId: `/administrativeUnits/${guid(1, 'd')}` },
      { id: 'ra-r', principalId: READER, roleDefinitionId: REPORTS_READER, directoryScopeId: '/' },
    ],
  };
}

let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function start(directoryRoles: string[] = []): Promise<RunningSimulator> {
  sim = await startSimulator({
    tenant: { ...tenantWithProtectedUsers(), ...(directoryRoles.length ? { app: { directoryRoles } } : {}) },
    throttle: false,
  });
  trustSimulator(sim);
  return sim;
}

/** A distinct anchor per user (one value held twice is an ObjectConflict). */
const anchorOf = (id: string) => Buffer.from(id.replace(/-/g, '').slice(0, 32), 'hex').toString('base64');

async function patchAnchor(s: RunningSimulator, id: string) {
  return raw(s, 'PATCH', `/v1.0/users/${id}`, { token: await tokenFor(s), body: { onPremisesImmutableId: anchorOf(id) } });
}

const immutableIdOf = (s: RunningSimulator, id: string) => s.state().users.find((u) => u.id === id)?.onPremisesImmutableId;

describe('PATCH onPremisesImmutableId by an app with User.ReadWrite.All and no Entra role', () => {
  it.each([
    ['a Global Administrator (direct assignment)', ADMIN],
    ['a member of a role-assignable group that holds Global Administrator', VIA_GROUP],
    ['a member of a role-assignable group', GROUP_MEMBER],
    ['an owner of a role-assignable group', GROUP_OWNER],
    ['a member of a restricted management administrative unit', RESTRICTED],
    ['a holder of a role scoped to a restricted management administrative unit', SCOPED],
  ])('%s: 403 with Graph error body, nothing changed, the refusal recorded', async (_what, id) => {
    const s = await start();
    const res = await patchAnchor(s, id);
    expect(res.status).toBe(403);
    expect(res.json).toMatchObject({ error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } });
    expect(immutableIdOf(s, id)).toBeNull();
    expect(s.state().writes).toEqual([expect.objectContaining({ userId: id, status: 403, errorCode: 'Authorization_RequestDenied' })]);
  });

  it('a user in a plain group and an unrestricted unit: 204', async () => {
    const s = await start();
    expect((await patchAnchor(s, PLAIN)).status).toBe(204);
    expect(immutableIdOf(s, PLAIN)).toBe(anchorOf(PLAIN));
  });

  it('a tenant-wide Reports Reader (a row every column covers): 204', async () => {
    const s = await start();
    expect((await patchAnchor(s, READER)).status).toBe(204);
  });

  it('other sensitive properties are refused too (accountEnabled), non-sensitive ones are not (jobTitle)', async () => {
    const s = await start();
    const token = await tokenFor(s);
    expect((await raw(s, 'PATCH', `/v1.0/users/${ADMIN}`, { token, body: { accountEnabled: false } })).status).toBe(403);
    expect((await raw(s, 'PATCH', `/v1.0/users/${ADMIN}`, { token, body: { jobTitle: 'CEO' } })).status).toBe(204);
  });

  it('inside $batch the item is refused alone', async () => {
    const s = await start();
    const res = await raw(s, 'POST', '/v1.0/$batch', {
      token: await tokenFor(s),
      body: {
        requests: [
          { id: '1', method: 'PATCH', url: `/users/${ADMIN}`, headers: { 'Content-Type': 'application/json' }, body: { onPremisesImmutableId: ANCHOR } },
          { id: '2', method: 'PATCH', url: `/users/${PLAIN}`, headers: { 'Content-Type': 'application/json' }, body: { onPremisesImmutableId: anchorOf(PLAIN) } },
        ],
      },
    });
    const byId = new Map((res.json as { responses: { id: string; status: number }[] }).responses.map((r) => [r.id, r.status]));
    expect(byId).toEqual(new Map([['1', 403], ['2', 204]]));
  });
});

describe('a role on the app\'s service principal (the table\'s columns)', () => {
  it('Privileged Authentication Administrator may write administrators and role-assignable group members, never a restricted unit\'s members', async () => {
    const s = await start([PRIVILEGED_AUTH_ADMIN]);
    expect((await patchAnchor(s, ADMIN)).status).toBe(204);
    expect((await patchAnchor(s, GROUP_MEMBER)).status).toBe(204);
    expect((await patchAnchor(s, RESTRICTED)).status).toBe(403);
  });

  it('User Administrator may not write a Global Administrator', async () => {
    const s = await start([USER_ADMIN]);
    expect((await patchAnchor(s, ADMIN)).status).toBe(403);
    expect((await patchAnchor(s, PLAIN)).status).toBe(204);
  });
});

describe('the reads the guard makes', () => {
  it('GET /groups/{id}/owners, /directory/administrativeUnits and their members', async () => {
    const s = await start();
    const token = await tokenFor(s);
    const owners = await raw(s, 'GET', `/v1.0/groups/${guid(1, 'c')}/owners/microsoft.graph.user?$select=id`, { token });
    expect((owners.json as { value: unknown[] }).value).toEqual([{ '@odata.type': '#microsoft.graph.user', id: GROUP_OWNER }]);
    const units = await raw(s, 'GET', '/v1.0/directory/administrativeUnits?$select=id,displayName,isMemberManagementRestricted', { token });
    expect((units.json as { value: unknown[] }).value).toEqual([
      { id: guid(1, 'd'), displayName: 'Executives', isMemberManagementRestricted: true },
      { id: guid(2, 'd'), displayName: 'Open', isMemberManagementRestricted: false },
    ]);
    const members = await raw(s, 'GET', `/v1.0/directory/administrativeUnits/${guid(1, 'd')}/members/microsoft.graph.user?$select=id`, { token });
    expect((members.json as { value: unknown[] }).value).toEqual([{ '@odata.type': '#microsoft.graph.user', id: RESTRICTED }]);
    expect((await raw(s, 'GET', `/v1.0/directory/administrativeUnits/${guid(9, 'd')}`, { token })).status).toBe(404);
  });

  it("GET /users/{id}/transitiveMemberOf lists the role-assignable group and the role held through it", async () => {
    const s = await start();
    const res = await raw(s, 'GET', `/v1.0/users/${VIA_GROUP}/transitiveMemberOf`, { token: await tokenFor(s) });
    const value = (res.json as { value: { '@odata.type': string; displayName: string }[] }).value;
    expect(value.map((o) => [o['@odata.type'], o.displayName])).toEqual([
      ['#microsoft.graph.directoryRole', 'Global Administrator'],
      ['#microsoft.graph.group', 'GA group'],
    ]);
  });

  it('an app without AdministrativeUnit.Read.All or Directory.Read.All is refused the unit listing (403)', async () => {
    sim = await startSimulator({ tenant: { ...tenantWithProtectedUsers(), app: { applicationPermissions: ['User.ReadWrite.All'] } }, throttle: false });
    trustSimulator(sim);
    const res = await raw(sim, 'GET', '/v1.0/directory/administrativeUnits', { token: await tokenFor(sim) });
    expect(res.status).toBe(403);
  });
});
