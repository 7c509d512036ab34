import type { GraphUser } from '../../../src/graph/user.js';
import type { DirectoryObject, DirectorySnapshot } from '../../../src/directory/types.js';
import { buildPlan } from '../../../src/plan/build-plan.js';
import { loadPlanSettings, type PlanSettings, type PlanSettingsInput } from '../../../src/plan/settings.js';
import type { Plan } from '../../../src/plan/types.js';

export const TARGET_OU = 'OU=Cloud Users,DC=corp,DC=example,DC=test';

let seq = 0;
/** A cloud-only member user with every property Graph returns, overridable. */
export function makeUser(overrides: Partial<GraphUser> = {}): GraphUser {
  seq++;
  const id = overrides.id ?? `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`;
  return {
    id,
    userPrincipalName: `user${seq}@contoso.com`,
    displayName: `User ${seq}`,
    givenName: 'User',
    surname: String(seq),
    mail: null,
    mailNickname: null,
    proxyAddresses: [],
    businessPhones: [],
    mobilePhone: null,
    faxNumber: null,
    officeLocation: null,
    streetAddress: null,
    city: null,
    state: null,
    postalCode: null,
    country: null,
    usageLocation: null,
    jobTitle: null,
    department: null,
    companyName: null,
    employeeId: null,
    employeeType: null,
    accountEnabled: true,
    userType: 'Member',
    onPremisesSyncEnabled: null,
    onPremisesImmutableId: null,
    onPremisesExtensionAttributes: null,
    ...overrides,
  };
}

export function person(given: string | null, surname: string | null, upn: string, more: Partial<GraphUser> = {}): GraphUser {
  const displayName = [given, surname].filter(Boolean).join(' ') || null;
  return makeUser({ givenName: given, surname, displayName, userPrincipalName: upn, ...more });
}

export function settings(overrides: Partial<PlanSettingsInput> = {}): PlanSettings {
  return loadPlanSettings({ targetOu: TARGET_OU, ...overrides });
}

export function adObject(overrides: Partial<DirectoryObject> & { dn: string }): DirectoryObject {
  return {
    objectClass: ['top', 'person', 'organizationalperson', 'user'],
    proxyAddresses: [],
    objectGuid: 'f7cc07d7-7c15-447d-876d-c01b0e5a9e38',
    ...overrides,
  };
}

export function directory(objects: DirectoryObject[] = [], cnsInTargetOu: string[] = [], targetOuExists = true): DirectorySnapshot {
  return { domainDn: 'DC=corp,DC=example,DC=test', targetOu: TARGET_OU, targetOuExists, objects, cnsInTargetOu };
}

export const NOW = new Date('2026-03-01T12:00:00.000Z');

/** buildPlan with the tests' fixed inputs: `s` (default settings()), tenant-1, NOW, tool 1.2.3, and `dir` when given (else no directory). */
export function planFor(users: GraphUser[], opts: { s?: PlanSettings; dir?: DirectorySnapshot } = {}): Plan {
  return buildPlan({ users, settings: opts.s ?? settings(), tenantId: 'tenant-1', now: NOW, toolVersion: '1.2.3', ...(opts.dir ? { directory: opts.dir } : {}) });
}
