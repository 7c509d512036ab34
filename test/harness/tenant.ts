/**
 * The one builder of simulator tenants for the integration tests: users in Graph's
 * shape, and a tenant around them (domains, roles and who holds them, groups,
 * administrative units, the app, the sync features), in the snapshot format of
 * src/graph/tenant-snapshot.ts. Tests build their tenants inline from these parts:
 *
 *   const t = tag();
 *   const admin = taggedUser('admin', t);
 *   const snapshot = buildTenant({ users: [admin, taggedUser('ann', t)], active: [[admin.id, GLOBAL_ADMIN]] });
 *
 * plus the few ready-made tenants several folders share (the simulator tests'
 * cast, the generated plain tenant, the sample).
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  GraphDomain,
  SnapshotAdministrativeUnit,
  SnapshotApp,
  SnapshotGroup,
  SnapshotUser,
  TenantSnapshot,
  UnifiedRoleDefinition,
} from '../../src/graph/tenant-snapshot.js';
import { generateTenant, SAMPLE_TENANT_FILE } from '../../src/samples/index.js';
import { uniqueSuffix } from './dc.js';
import { REPO_ROOT } from './run-cli.js';

export const TENANT_ID = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
export const INITIAL = 'contoso.onmicrosoft.com';
export const MANAGED = 'contoso.example';
export const FEDERATED = 'fed.contoso.example';
/** Role template ids (learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference). */
export const GLOBAL_ADMIN = '62e90394-69f5-4237-9190-012177145e10';
export const USER_ADMIN = 'fe930be7-5e62-47db-91af-98c3a49a38b1';

/** A short random tag for the names of one test: lower-case hex, 6 characters. */
export const tag = (): string => uniqueSuffix(3);

/** A GUID that is stable per number and prefix (so tests can name users, groups, units). */
export function guid(n: number, prefix = 'a'): string {
  return `${prefix.repeat(8)}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/** base64 of 16 bytes derived from n: a well-formed immutableId ('+' and '/' included, as Graph allows). */
export function immutableIdOf(n: number): string {
  const bytes = Buffer.alloc(16);
  bytes.writeUInt32LE(n, 0);
  bytes.writeUInt32LE(0x5eed5eed, 4);
  bytes.writeUInt32LE((n ^ 0xa5a5a5a5) >>> 0, 8);
  bytes.writeUInt32LE(0x12345678, 12);
  return bytes.toString('base64');
}

/**
 * A cloud-only user with the few properties every test relies on (enabled, not
 * synced, no immutableId, its UPN as primary SMTP address); display name the
 * UPN's local part. No userType, no businessPhones: the simulator serves what
 * Graph would for them (null, []).
 */
export function graphUser(id: string, upn: string, extra: Partial<SnapshotUser> = {}): SnapshotUser {
  return {
    id,
    userPrincipalName: upn,
    displayName: upn.split('@')[0] ?? upn,
    accountEnabled: true,
    onPremisesSyncEnabled: null,
    onPremisesImmutableId: null,
    proxyAddresses: [`SMTP:${upn}`],
    ...extra,
  };
}

/** A cloud-only member (userType Member), with Graph's shape for the properties entra2ad selects. */
export function cloudUser(id: string, upn: string, extra: Partial<SnapshotUser> = {}): SnapshotUser {
  return graphUser(id, upn, { userType: 'Member', businessPhones: [], ...extra });
}

/**
 * A member named for one test: UPN and mail `<name>-<tag>@<domain>`, given name `name`,
 * surname `tag`, and an id that starts with the tag (the rest random).
 */
export function taggedUser(name: string, t: string, extra: Partial<SnapshotUser> = {}, domain = MANAGED): SnapshotUser {
  const upn = `${name}-${t}@${domain}`;
  const n = parseInt(randomBytes(4).toString('hex'), 16);
  const id = `${t}${'0'.repeat(8 - t.length)}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
  return cloudUser(id, upn, { displayName: `${name} ${t}`, givenName: name, surname: t, mail: upn, ...extra });
}

export interface TenantParts {
  users: SnapshotUser[];
  /** [principalId, role template id, scope]: active role assignments; scope default '/' (tenant-wide). */
  active?: Array<[string, string, string?]>;
  /** [principalId, role template id]: PIM eligibilities, tenant-wide. */
  eligible?: Array<[string, string]>;
  /** The tenant's sync features (those not named are false). */
  features?: Record<string, boolean>;
  groups?: SnapshotGroup[];
  administrativeUnits?: SnapshotAdministrativeUnit[];
  app?: SnapshotApp;
  /** Default: the initial domain, MANAGED (default) and FEDERATED. */
  domains?: GraphDomain[];
  /** Default: Global Administrator and User Administrator. */
  roleDefinitions?: UnifiedRoleDefinition[];
}

export const DOMAINS: readonly GraphDomain[] = [
  { id: INITIAL, authenticationType: 'Managed', isVerified: true, isDefault: false, isInitial: true },
  { id: MANAGED, authenticationType: 'Managed', isVerified: true, isDefault: true, isInitial: false },
  { id: FEDERATED, authenticationType: 'Federated', isVerified: true, isDefault: false, isInitial: false },
];

export const ROLE_DEFINITIONS: readonly UnifiedRoleDefinition[] = [
  { id: GLOBAL_ADMIN, displayName: 'Global Administrator', isPrivileged: true, isBuiltIn: true, templateId: GLOBAL_ADMIN },
  { id: USER_ADMIN, displayName: 'User Administrator', isPrivileged: true, isBuiltIn: true, templateId: USER_ADMIN },
];

/** The Contoso test tenant around `parts.users`; its one sync settings object is `sync-0001`. */
export function buildTenant(parts: TenantParts): TenantSnapshot {
  const scoped = (prefix: string, held: Array<[string, string, string?]> = []) =>
    held.map(([principalId, role, scope], i) => ({ id: `${prefix}-${i}`, principalId, roleDefinitionId: role, directoryScopeId: scope ?? '/' }));
  return {
    tenant: { id: TENANT_ID, initialDomain: INITIAL, displayName: 'Contoso (test)' },
    ...(parts.app ? { app: parts.app } : {}),
    users: parts.users,
    domains: [...(parts.domains ?? DOMAINS)],
    roleDefinitions: [...(parts.roleDefinitions ?? ROLE_DEFINITIONS)],
    roleAssignments: scoped('ra', parts.active),
    roleEligibilityScheduleInstances: scoped('re', parts.eligible),
    onPremisesSynchronization: [{ id: 'sync-0001', features: parts.features ?? {} }],
    ...(parts.groups ? { groups: parts.groups } : {}),
    ...(parts.administrativeUnits ? { administrativeUnits: parts.administrativeUnits } : {}),
  };
}

// ---------------------------------------------------------------- ready-made tenants

/**
 * The simulator tests' cast: `users` cloud-only users u0..u(n-1) at MANAGED, plus named ones:
 * - synced (onPremisesSyncEnabled true), wassynced (false),
 * - fed (UPN in the federated domain),
 * - taken (already holds immutableId 'TAKEN+id=='),
 * - boss (manager of u0 and u1), admin (Global Administrator), eligible (PIM-eligible User Administrator).
 */
export function castTenant(shape: { users?: number } = {}): TenantSnapshot {
  const n = shape.users ?? 10;
  const boss = graphUser(guid(1, 'b'), `boss@${MANAGED}`, { givenName: 'Bea', surname: 'Boss', jobTitle: 'Chief' });
  const numbered = Array.from({ length: n }, (_, i) =>
    graphUser(guid(i), `u${i}@${MANAGED}`, {
      givenName: `Given${i}`,
      surname: `Sur${i}`,
      department: i % 2 === 0 ? 'Sales' : 'Engineering',
      ...(i < 2 ? { manager: { id: boss.id } } : {}),
    }),
  );
  const admin = graphUser(guid(6, 'b'), `admin@${MANAGED}`);
  const eligible = graphUser(guid(7, 'b'), `eligible@${MANAGED}`);
  const users = [
    boss,
    ...numbered,
    graphUser(guid(2, 'b'), `synced@${MANAGED}`, { onPremisesSyncEnabled: true, onPremisesImmutableId: 'c3luY2Vk' }),
    graphUser(guid(3, 'b'), `wassynced@${MANAGED}`, { onPremisesSyncEnabled: false }),
    graphUser(guid(4, 'b'), `fed@${FEDERATED}`),
    graphUser(guid(5, 'b'), `taken@${MANAGED}`, { onPremisesImmutableId: 'TAKEN+id==' }),
    admin,
    eligible,
  ];
  return buildTenant({ users, active: [[admin.id, GLOBAL_ADMIN]], eligible: [[eligible.id, USER_ADMIN]] });
}

/**
 * `users` plain cloud-only members in the managed domain `domain` (generated: no edge
 * cases, guests or synced users): every one is planned for creation. A domain of the
 * test's own keeps its UPNs from meeting another test's in the DC.
 */
export function plainTenant(users: number, seed: number, domain: string): TenantSnapshot {
  const generated = generateTenant({ users, seed, domain, edgeCases: false, syncedFraction: 0, guestFraction: 0 });
  for (const user of generated.users) {
    user.onPremisesImmutableId = null;
    user.onPremisesSyncEnabled = null;
    user.userType = 'Member';
  }
  return generated;
}

/** samples/tenant.contoso.json as stored (a fresh copy each call: tests change it). */
export async function loadSampleTenant(): Promise<TenantSnapshot> {
  return JSON.parse(await readFile(join(REPO_ROOT, SAMPLE_TENANT_FILE), 'utf8')) as TenantSnapshot;
}
