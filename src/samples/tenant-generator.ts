/**
 * Synthetic tenants in the snapshot format (src/graph/tenant-snapshot.ts), deterministic
 * for a seed: the committed sample (samples/tenant.contoso.json) and tenants of
 * any size for tests and benchmarks.
 *
 * `generateTenant({ users: N, seed })` gives N users: first the hand-written
 * edge cases (edge-cases.ts: scripts, apostrophes, commas, long names, John
 * Smiths, guests, synced and previously synced users, admins, federated UPNs,
 * shared mailboxes...), then synthetic users with a realistic fill rate of
 * optional attributes, recurring names (collisions), a few guests, a share of
 * synced users, and a manager hierarchy (CEO -> VPs -> managers -> staff).
 *
 * Only reserved example domains are used (RFC 2606: *.example).
 */
import { guidToImmutableId } from '../anchor/index.js';
import { EXTENSION_ATTRIBUTE_NAMES, USER_SELECT, type OnPremisesExtensionAttributes } from '../graph/user.js';
import type { GraphDomain, SnapshotUser, TenantSnapshot, UnifiedRoleAssignment, UnifiedRoleDefinition } from '../graph/tenant-snapshot.js';
import { EDGE_CASE_USERS, type EdgeCaseUser } from './edge-cases.js';
import { COMMON_NAMES, DEPARTMENTS, EMPLOYEE_TYPES, GIVEN_NAMES, OFFICES, SURNAMES, TITLES, type Office } from './pools.js';
import { createPrng, type Prng } from './prng.js';

export interface GenerateTenantOptions {
  /** Total users (edge cases included). */
  users: number;
  seed: number;
  /** Include the hand-written edge cases (default true). */
  edgeCases?: boolean;
  /** Share of synthetic users that are synced from AD (default 0.1). */
  syncedFraction?: number;
  /** Share of synthetic users that are guests (default 0.03). */
  guestFraction?: number;
  initialDomain?: string;
  /** The managed, verified, default domain (default contoso.example). */
  domain?: string;
  /** A federated domain (default fabrikam.example). */
  federatedDomain?: string;
  tenantId?: string;
  displayName?: string;
}

export const ROLE_TEMPLATES = {
  globalAdministrator: { id: '62e90394-69f5-4237-9190-012177145e10', displayName: 'Global Administrator', isPrivileged: true },
  privilegedRoleAdministrator: { id: 'e8611ab8-c189-46e8-94e1-60213ab1f814', displayName: 'Privileged Role Administrator', isPrivileged: true },
  userAdministrator: { id: 'fe930be7-5e62-47db-91af-98c3a49a38b1', displayName: 'User Administrator', isPrivileged: true },
  helpdeskAdministrator: { id: '729827e3-9c14-49f7-bb1b-9608f156bbb8', displayName: 'Helpdesk Administrator', isPrivileged: true },
  reportsReader: { id: '4a5d8f65-41da-4de4-8968-e035b65339cf', displayName: 'Reports Reader', isPrivileged: false },
  messageCenterReader: { id: '790c1fb9-7f7d-4f88-86a1-ef1f95c05c1b', displayName: 'Message Center Reader', isPrivileged: false },
} as const;
export type RoleKey = keyof typeof ROLE_TEMPLATES;

const SYNC_BASE = Date.UTC(2026, 0, 15, 6, 0, 0);
const AD_DN_SUFFIX = 'OU=Users,OU=Corp,DC=corp,DC=example,DC=test';

export function generateTenant(options: GenerateTenantOptions): TenantSnapshot {
  const random = createPrng(options.seed);
  const initialDomain = options.initialDomain ?? 'contoso.onmicrosoft.com';
  const domain = options.domain ?? 'contoso.example';
  const federatedDomain = options.federatedDomain ?? 'fabrikam.example';
  const tenantId = options.tenantId ?? random.guid();
  const context: BuildContext = { random, initialDomain, domain, federatedDomain, usedLocals: new Map(), usedUpns: new Set() };

  const users: SnapshotUser[] = [];
  const assignments: UnifiedRoleAssignment[] = [];
  const eligibilities: UnifiedRoleAssignment[] = [];
  const byKey = new Map<string, SnapshotUser>();
  const managerKeys: [SnapshotUser, string][] = [];

  if (options.edgeCases !== false) {
    for (const edge of EDGE_CASE_USERS) {
      if (users.length >= options.users) break;
      const user = buildEdgeUser(edge, context);
      users.push(user);
      byKey.set(edge.key, user);
      if (edge.manager) managerKeys.push([user, edge.manager]);
      for (const role of edge.roles ?? []) assignments.push(roleLink(random, user.id, role));
      for (const role of edge.eligibleRoles ?? []) eligibilities.push(roleLink(random, user.id, role));
    }
    for (const [user, key] of managerKeys) {
      const manager = byKey.get(key);
      if (manager) user.manager = { id: manager.id };
    }
  }

  const synthetic = Math.max(0, options.users - users.length);
  const hierarchy = buildHierarchy(synthetic);
  const syntheticUsers: SnapshotUser[] = [];
  for (let i = 0; i < synthetic; i++) {
    const user = buildSyntheticUser(i, hierarchy.level(i), context, {
      synced: random.chance(options.syncedFraction ?? 0.1),
      guest: hierarchy.level(i) === 'staff' && random.chance(options.guestFraction ?? 0.03),
    });
    syntheticUsers.push(user);
    users.push(user);
  }
  // Managers: each synthetic user reports to someone one level up; a few have none.
  const ceo = byKey.get('ceo') ?? syntheticUsers[0];
  syntheticUsers.forEach((user, i) => {
    if (user.userType === 'Guest') return;
    const parent = hierarchy.parentOf(i, random);
    const manager = parent === undefined ? (user === ceo ? undefined : ceo) : syntheticUsers[parent];
    if (manager && manager !== user && random.next() > 0.03) user.manager = { id: manager.id };
  });

  const roleDefinitions: UnifiedRoleDefinition[] = Object.values(ROLE_TEMPLATES).map((role) => ({
    id: role.id,
    displayName: role.displayName,
    isPrivileged: role.isPrivileged,
    isBuiltIn: true,
    templateId: role.id,
  }));
  const domains: GraphDomain[] = [
    { id: initialDomain, authenticationType: 'Managed', isVerified: true, isDefault: false, isInitial: true },
    { id: domain, authenticationType: 'Managed', isVerified: true, isDefault: true, isInitial: false },
    { id: federatedDomain, authenticationType: 'Federated', isVerified: true, isDefault: false, isInitial: false },
  ];
  return {
    tenant: { id: tenantId, initialDomain, displayName: options.displayName ?? 'Contoso (sample)' },
    users,
    domains,
    roleDefinitions,
    roleAssignments: assignments,
    roleEligibilityScheduleInstances: eligibilities,
    onPremisesSynchronization: [
      {
        id: tenantId,
        features: {
          blockCloudObjectTakeoverThroughHardMatchEnabled: false,
          blockSoftMatchEnabled: false,
          passwordSyncEnabled: true,
          softMatchOnUpnEnabled: true,
          userWritebackEnabled: false,
        },
      },
    ],
  };
}

interface BuildContext {
  random: Prng;
  initialDomain: string;
  domain: string;
  federatedDomain: string;
  /** Local part -> times used, for john.smith, john.smith2, ... */
  usedLocals: Map<string, number>;
  usedUpns: Set<string>;
}

/** Every USER_SELECT property present: null for unset scalars, [] for collections (Graph's own shape). */
export function emptyUser(id: string, userPrincipalName: string): SnapshotUser {
  const user: Record<string, unknown> = { id, userPrincipalName };
  for (const property of USER_SELECT) {
    if (property === 'id' || property === 'userPrincipalName') continue;
    user[property] = property === 'proxyAddresses' || property === 'businessPhones' ? [] : null;
  }
  return user as SnapshotUser;
}

export function emptyExtensionAttributes(): OnPremisesExtensionAttributes {
  return Object.fromEntries(EXTENSION_ATTRIBUTE_NAMES.map((name) => [name, null])) as unknown as OnPremisesExtensionAttributes;
}

function buildEdgeUser(edge: EdgeCaseUser, context: BuildContext): SnapshotUser {
  const { random } = context;
  const domain = edge.domain === 'federated' ? context.federatedDomain : edge.domain === 'initial' ? context.initialDomain : context.domain;
  const upn = edge.guestOf ? guestUpn(uniqueUpn(edge.local, edge.guestOf, context), context.initialDomain) : uniqueUpn(edge.local, domain, context);
  const user = emptyUser(random.guid(), upn);
  const guest = edge.guestOf !== undefined;
  Object.assign(user, {
    displayName: edge.displayName,
    givenName: edge.givenName ?? null,
    surname: edge.surname ?? null,
    accountEnabled: edge.accountEnabled ?? true,
    userType: guest ? 'Guest' : 'Member',
    creationType: guest ? 'Invitation' : null,
    mailNickname: guest ? upn.slice(0, upn.indexOf('#EXT#')) : upn.slice(0, upn.indexOf('@')),
    mail: edge.mail === undefined ? (guest ? `${edge.local}@${edge.guestOf}` : upn) : edge.mail,
    jobTitle: edge.jobTitle ?? null,
    department: edge.department ?? null,
    companyName: edge.companyName ?? (guest ? null : 'Contoso'),
    employeeId: edge.employeeId ?? null,
    employeeType: edge.employeeType ?? null,
  });
  if (edge.office) applyOffice(user, edge.office, random);
  if (edge.country !== undefined) user.country = edge.country;
  const mail = user.mail as string | null;
  if (edge.proxyAddresses) user.proxyAddresses = edge.proxyAddresses.map((address) => address.replace('{upn}', upn).replace('{initial}', context.initialDomain));
  else if (mail && !guest) user.proxyAddresses = [`SMTP:${mail}`];
  if (edge.extensionAttributes) user.onPremisesExtensionAttributes = { ...emptyExtensionAttributes(), ...edge.extensionAttributes } as OnPremisesExtensionAttributes;
  else user.onPremisesExtensionAttributes = emptyExtensionAttributes();

  const sync = edge.sync ?? 'cloud';
  if (sync === 'synced' || sync === 'previously-synced') {
    const sam = (edge.local.split('.')[0] ?? edge.local).slice(0, 12) + String(random.int(90) + 10);
    user.onPremisesImmutableId = guidToImmutableId(random.guid());
    user.onPremisesSyncEnabled = sync === 'synced' ? true : false;
    user.onPremisesLastSyncDateTime = new Date(SYNC_BASE - random.int(30 * 24) * 3_600_000).toISOString().replace('.000Z', 'Z');
    user.onPremisesDistinguishedName = `CN=${escapeCn(edge.displayName)},${AD_DN_SUFFIX}`;
    user.onPremisesSamAccountName = sam;
  }
  if (edge.immutableId === 'guid') user.onPremisesImmutableId = guidToImmutableId(random.guid());
  else if (typeof edge.immutableId === 'string') user.onPremisesImmutableId = edge.immutableId.replace('{upn}', Buffer.from(upn).toString('base64'));
  if (edge.onPremisesObjectIdentifier) user.onPremisesObjectIdentifier = random.guid();
  return user;
}

type Level = 'ceo' | 'vp' | 'manager' | 'staff';

interface Hierarchy {
  level(index: number): Level;
  /** Index of the manager among synthetic users; undefined = report to the CEO (or nobody for the CEO). */
  parentOf(index: number, random: Prng): number | undefined;
}

function buildHierarchy(count: number): Hierarchy {
  const vps = Math.max(1, Math.ceil(count * 0.01));
  const managers = Math.max(1, Math.ceil(count * 0.08));
  const firstManager = 1 + vps;
  const firstStaff = firstManager + managers;
  return {
    level: (i) => (i === 0 ? 'ceo' : i < firstManager ? 'vp' : i < firstStaff ? 'manager' : 'staff'),
    parentOf: (i, random) => {
      if (i === 0) return undefined;
      if (i < firstManager) return 0;
      if (i < firstStaff) return 1 + random.int(Math.min(vps, count - 1));
      const available = Math.min(managers, Math.max(0, count - firstManager));
      return available > 0 ? firstManager + random.int(available) : 0;
    },
  };
}

function buildSyntheticUser(index: number, level: Level, context: BuildContext, kind: { synced: boolean; guest: boolean }): SnapshotUser {
  const { random } = context;
  const [given, surname] = random.chance(0.04) ? random.pick(COMMON_NAMES) : [random.pick(GIVEN_NAMES), random.pick(SURNAMES)];
  const local = `${asciiFold(given)}.${asciiFold(surname)}`.toLowerCase().replace(/[^a-z0-9.'-]/g, '');
  if (kind.guest) {
    const partner = random.pick(['partner.example', 'supplier.example', 'agency.example']);
    const external = uniqueUpn(local, partner, context);
    const upn = guestUpn(external, context.initialDomain);
    const user = emptyUser(random.guid(), upn);
    Object.assign(user, {
      displayName: `${given} ${surname} (${partner.split('.')[0]})`,
      givenName: random.chance(0.6) ? given : null,
      surname: random.chance(0.6) ? surname : null,
      mail: external,
      mailNickname: upn.slice(0, upn.indexOf('#EXT#')),
      accountEnabled: true,
      userType: 'Guest',
      creationType: 'Invitation',
      onPremisesExtensionAttributes: emptyExtensionAttributes(),
    });
    return user;
  }
  const upn = uniqueUpn(local, context.domain, context);
  const user = emptyUser(random.guid(), upn);
  const office = random.pick(OFFICES);
  const department = random.pick(DEPARTMENTS);
  const title = level === 'ceo' ? 'Chief Executive Officer' : level === 'vp' ? `VP ${department}` : level === 'manager' ? `${department} Manager` : random.pick(TITLES);
  const mail = random.chance(0.92) ? upn : null;
  Object.assign(user, {
    displayName: random.chance(0.05) ? `${surname}, ${given}` : `${given} ${surname}`,
    givenName: random.chance(0.97) ? given : null,
    surname: random.chance(0.96) ? surname : null,
    mail,
    mailNickname: upn.slice(0, upn.indexOf('@')),
    accountEnabled: random.chance(0.95),
    userType: 'Member',
    jobTitle: random.chance(0.88) ? title : null,
    department: random.chance(0.85) ? department : null,
    companyName: random.chance(0.6) ? 'Contoso' : null,
    employeeId: random.chance(0.65) ? String(100000 + index) : null,
    employeeType: random.chance(0.4) ? random.pick(EMPLOYEE_TYPES) : null,
    onPremisesExtensionAttributes: emptyExtensionAttributes(),
  });
  if (random.chance(0.8)) applyOffice(user, office, random);
  if (mail) {
    const proxies = [`SMTP:${mail}`, `smtp:${upn.slice(0, upn.indexOf('@'))}@${context.initialDomain}`];
    if (random.chance(0.2)) proxies.push(`smtp:${asciiFold(given).toLowerCase()}@${context.domain}`);
    user.proxyAddresses = proxies;
  }
  if (random.chance(0.2)) {
    (user.onPremisesExtensionAttributes as OnPremisesExtensionAttributes).extensionAttribute1 = `CC-${1000 + random.int(9000)}`;
  }
  if (kind.synced) {
    user.onPremisesSyncEnabled = true;
    user.onPremisesImmutableId = guidToImmutableId(random.guid());
    user.onPremisesLastSyncDateTime = new Date(SYNC_BASE - random.int(72) * 3_600_000).toISOString().replace('.000Z', 'Z');
    user.onPremisesDistinguishedName = `CN=${escapeCn(user.displayName as string)},${AD_DN_SUFFIX}`;
    user.onPremisesSamAccountName = `${asciiFold(given).toLowerCase().slice(0, 1)}${asciiFold(surname).toLowerCase().replace(/[^a-z]/g, '').slice(0, 12)}${index % 1000}`;
  }
  return user;
}

function applyOffice(user: SnapshotUser, office: Office, random: Prng): void {
  user.officeLocation = office.officeLocation;
  user.streetAddress = office.streetAddress === '' ? null : office.streetAddress;
  user.city = office.city;
  user.state = office.state;
  user.postalCode = office.postalCode;
  user.country = office.country;
  user.usageLocation = office.usageLocation;
  if (random.chance(0.75)) user.businessPhones = [`${office.phonePrefix}${String(random.int(100)).padStart(2, '0')}`];
  if (random.chance(0.5)) user.mobilePhone = `${office.phonePrefix}${String(50 + random.int(50))}`;
  if (random.chance(0.03)) user.faxNumber = `${office.phonePrefix}99`;
}

function uniqueUpn(local: string, domain: string, context: BuildContext): string {
  const key = `${local}@${domain}`.toLowerCase();
  let count = context.usedLocals.get(key) ?? 0;
  let upn = `${local}@${domain}`;
  while (context.usedUpns.has(upn.toLowerCase())) {
    count++;
    upn = `${local}${count + 1}@${domain}`;
  }
  context.usedLocals.set(key, count);
  context.usedUpns.add(upn.toLowerCase());
  return upn;
}

/** How Entra names an invited guest: external address with @ -> _, then #EXT# in the home tenant. */
export function guestUpn(externalAddress: string, initialDomain: string): string {
  return `${externalAddress.replace('@', '_')}#EXT#@${initialDomain}`;
}

function roleLink(random: Prng, principalId: string, role: RoleKey): UnifiedRoleAssignment {
  return {
    id: random.chars(43, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-') + '-1',
    principalId,
    roleDefinitionId: ROLE_TEMPLATES[role].id,
    directoryScopeId: '/',
  };
}

const FOLD: Record<string, string> = { ß: 'ss', ø: 'o', Ø: 'O', ł: 'l', Ł: 'L', æ: 'ae', Æ: 'AE', đ: 'd', Đ: 'D', ı: 'i', œ: 'oe', Œ: 'OE', þ: 'th', å: 'a', Å: 'A' };

/** Latin letters without diacritics, for UPN local parts (the plan module has the real transliteration). */
export function asciiFold(text: string): string {
  return text
    .replace(/[ßøØłŁæÆđĐıœŒþåÅ]/g, (ch) => FOLD[ch] ?? ch)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\s+/g, '');
}

/** RFC 4514 escaping for the CN of a synthetic onPremisesDistinguishedName. */
function escapeCn(value: string): string {
  return value.replace(/[\\,+"<>;=]/g, (ch) => `\\${ch}`).replace(/^([ #])/, '\\$1').replace(/ $/, '\\ ');
}
