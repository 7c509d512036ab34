import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isGuidImmutableId } from '../../../src/anchor/index.js';
import { USER_SELECT } from '../../../src/graph/user.js';
import { SAMPLE_TENANT_FILE, SAMPLE_TENANT_OPTIONS, generateTenant, ROLE_TEMPLATES } from '../../../src/samples/index.js';
import type { SnapshotUser, TenantSnapshot } from '../../../src/graph/tenant-snapshot.js';

const generated = generateTenant(SAMPLE_TENANT_OPTIONS);
const serialized = `${JSON.stringify(generated, null, 2)}\n`;
if (process.env.ENTRA2AD_UPDATE_SAMPLES === '1') writeFileSync(SAMPLE_TENANT_FILE, serialized);
const committed = JSON.parse(readFileSync(SAMPLE_TENANT_FILE, 'utf8')) as TenantSnapshot;
const users = committed.users;
const byName = (displayName: string) => users.filter((u) => u.displayName === displayName);
const one = (displayName: string): SnapshotUser => {
  const found = byName(displayName);
  expect(found, displayName).toHaveLength(1);
  return found[0] as SnapshotUser;
};

describe('samples/tenant.contoso.json', () => {
  it('is exactly what the generator makes from the recipe (regenerate with ENTRA2AD_UPDATE_SAMPLES=1)', () => {
    expect(readFileSync(SAMPLE_TENANT_FILE, 'utf8')).toBe(serialized);
  });

  it('is deterministic for a seed and differs for another seed', () => {
    expect(JSON.stringify(generateTenant(SAMPLE_TENANT_OPTIONS))).toBe(JSON.stringify(generated));
    expect(JSON.stringify(generateTenant({ ...SAMPLE_TENANT_OPTIONS, seed: 1 }))).not.toBe(JSON.stringify(generated));
  });

  it('is accepted by the simulator loader', async () => {
    const { normalizeTenant } = await import('../../../src/sim/normalize.js');
    expect(() => normalizeTenant(committed)).not.toThrow();
  });

  it('has at least 60 users, each with every USER_SELECT property, collections as []', () => {
    expect(users.length).toBeGreaterThanOrEqual(60);
    for (const user of users) {
      for (const property of USER_SELECT) expect(user, `${user.userPrincipalName}.${property}`).toHaveProperty(property);
      expect(Array.isArray(user.proxyAddresses)).toBe(true);
      expect(Array.isArray(user.businessPhones)).toBe(true);
    }
    expect(new Set(users.map((u) => u.id)).size).toBe(users.length);
    expect(new Set(users.map((u) => u.userPrincipalName.toLowerCase())).size).toBe(users.length);
  });

  it('covers scripts and diacritics', () => {
    for (const name of ['Zoë Martin', 'Łukasz Żółć', 'Ørjan Sæther', 'José Ñúñez', 'Jürgen Straße', 'Ğülşen Yıldız', 'Αλέξανδρος Παπαδόπουλος', 'Дмитрий Иванов', '王小明', '山田 太郎', 'محمد العلي']) {
      one(name);
    }
  });

  it('covers apostrophes, commas, very long names, missing names', () => {
    one("Conor O'Brien");
    expect(one("Gianluca D'Angelo").userPrincipalName).toContain("d'angelo");
    expect(one('Smith, John').givenName).toBe('John');
    const long = users.find((u) => (u.displayName ?? '').length >= 70);
    expect(long).toBeDefined();
    expect(users.some((u) => (u.surname ?? '').length >= 30)).toBe(true);
    expect(users.some((u) => u.givenName === null && u.surname === null && u.userType === 'Member')).toBe(true);
  });

  it('has 5+ "John Smith" with unique UPNs', () => {
    const smiths = byName('John Smith');
    expect(smiths.length).toBeGreaterThanOrEqual(5);
    expect(new Set(smiths.map((u) => u.userPrincipalName)).size).toBe(smiths.length);
  });

  it('has guests, disabled users and a shared-mailbox-style account', () => {
    const guests = users.filter((u) => u.userType === 'Guest');
    expect(guests.length).toBeGreaterThanOrEqual(2);
    for (const guest of guests) expect(guest.userPrincipalName).toMatch(/#EXT#@contoso\.onmicrosoft\.com$/);
    expect(users.filter((u) => u.accountEnabled === false).length).toBeGreaterThanOrEqual(3);
    const shared = one('Shared Mailbox - Accounts Payable');
    expect(shared.accountEnabled).toBe(false);
    expect(shared.proxyAddresses?.length).toBeGreaterThan(1);
  });

  it('has synced, previously synced, non-GUID and pre-set immutableIds', () => {
    const synced = users.filter((u) => u.onPremisesSyncEnabled === true);
    expect(synced.length).toBeGreaterThanOrEqual(4);
    for (const user of synced) {
      expect(isGuidImmutableId(user.onPremisesImmutableId as string)).toBe(true);
      expect(user.onPremisesDistinguishedName).toMatch(/^CN=.+,OU=Users,/);
    }
    const previously = users.filter((u) => u.onPremisesSyncEnabled === false && u.onPremisesImmutableId);
    expect(previously.length).toBeGreaterThanOrEqual(2);
    for (const user of previously) expect(isGuidImmutableId(user.onPremisesImmutableId as string)).toBe(true);
    expect(isGuidImmutableId(one('Mark Jones').onPremisesImmutableId as string)).toBe(false);
    const cloudWithId = one('Nora Quinn');
    expect(cloudWithId.onPremisesSyncEnabled).toBeNull();
    expect(isGuidImmutableId(cloudWithId.onPremisesImmutableId as string)).toBe(true);
  });

  it('has a Global Administrator, a PIM-eligible holder and a non-privileged role', () => {
    const ga = committed.roleAssignments.filter((a) => a.roleDefinitionId === ROLE_TEMPLATES.globalAdministrator.id);
    expect(ga.map((a) => users.find((u) => u.id === a.principalId)?.displayName)).toContain('Ada Admin');
    const eligible = committed.roleEligibilityScheduleInstances.map((a) => users.find((u) => u.id === a.principalId)?.displayName);
    expect(eligible).toContain('Priya Patel');
    expect(committed.roleDefinitions.some((d) => d.isPrivileged === false)).toBe(true);
  });

  it('has a federated fabrikam.example domain with users, and the managed contoso.example', () => {
    expect(committed.domains.find((d) => d.id === 'fabrikam.example')?.authenticationType).toBe('Federated');
    expect(committed.domains.find((d) => d.id === 'contoso.example')).toMatchObject({ authenticationType: 'Managed', isVerified: true, isDefault: true });
    expect(committed.tenant.initialDomain).toBe('contoso.onmicrosoft.com');
    expect(users.filter((u) => u.userPrincipalName.endsWith('@fabrikam.example')).length).toBeGreaterThanOrEqual(3);
  });

  it('has a manager hierarchy without cycles, proxy aliases with X500, extension attributes, phones, countries as names and codes', () => {
    const ids = new Map(users.map((u) => [u.id, u]));
    const withManager = users.filter((u) => u.manager);
    expect(withManager.length).toBeGreaterThan(users.length / 2);
    for (const user of withManager) {
      const seen = new Set<string>();
      let cursor: SnapshotUser | undefined = user;
      while (cursor?.manager) {
        expect(seen.has(cursor.id), `cycle at ${user.userPrincipalName}`).toBe(false);
        seen.add(cursor.id);
        cursor = ids.get(cursor.manager.id);
        expect(cursor).toBeDefined();
      }
    }
    expect(users.some((u) => u.proxyAddresses?.some((p) => p.startsWith('X500:')))).toBe(true);
    expect(users.some((u) => (u.proxyAddresses?.filter((p) => p.startsWith('smtp:')).length ?? 0) >= 2)).toBe(true);
    expect(users.some((u) => u.onPremisesExtensionAttributes?.extensionAttribute1)).toBe(true);
    expect(users.some((u) => (u.businessPhones?.length ?? 0) > 0 && u.mobilePhone && u.streetAddress && u.postalCode)).toBe(true);
    const countries = new Set(users.map((u) => u.country).filter(Boolean));
    expect([...countries].some((c) => (c as string).length === 2)).toBe(true);
    expect([...countries].some((c) => (c as string).length > 2)).toBe(true);
  });
});

describe('generateTenant at scale', () => {
  it('makes N users with unique ids/UPNs, name collisions and managers that exist', () => {
    const tenant = generateTenant({ users: 3000, seed: 7 });
    expect(tenant.users).toHaveLength(3000);
    expect(new Set(tenant.users.map((u) => u.userPrincipalName.toLowerCase())).size).toBe(3000);
    const ids = new Set(tenant.users.map((u) => u.id));
    expect(ids.size).toBe(3000);
    for (const user of tenant.users) if (user.manager) expect(ids.has(user.manager.id)).toBe(true);
    const names = new Map<string, number>();
    for (const user of tenant.users) names.set(user.displayName ?? '', (names.get(user.displayName ?? '') ?? 0) + 1);
    expect(Math.max(...names.values())).toBeGreaterThanOrEqual(5);
    const synced = tenant.users.filter((u) => u.onPremisesSyncEnabled === true).length;
    expect(synced).toBeGreaterThan(150);
    expect(synced).toBeLessThan(600);
  });

  it('can leave the edge cases out', () => {
    const tenant = generateTenant({ users: 10, seed: 3, edgeCases: false });
    expect(tenant.users).toHaveLength(10);
    expect(tenant.users.some((u) => u.displayName === 'Zoë Martin')).toBe(false);
  });
});
