/**
 * Plans built by hand, for the tests that feed apply's drift check and verify a
 * reviewed plan without running the planner (one builder instead of a copy per test file).
 */
import { childDn } from '../../src/directory/dn.js';
import type { Plan, PlanEntry } from '../../src/plan/types.js';

/** A create entry whose names (sAMAccountName, CN, UPN local part) are all `id`, at CN=id under `ou`. */
export function createEntry(id: string, at: { ou: string; upnDomain: string }, overrides: Partial<PlanEntry> = {}): PlanEntry {
  return {
    cloudId: id,
    userPrincipalName: `${id}@${at.upnDomain}`,
    displayName: id,
    action: 'create',
    reason: 'CREATE_NEW',
    message: '',
    sAMAccountName: id,
    cn: id,
    dn: childDn(at.ou, 'CN', id),
    attributes: {},
    currentImmutableId: null,
    fingerprint: id,
    ...overrides,
  };
}

/** A plan holding `entries`, with the head fields apply reads; its summary is not the entries' (no test here reads it). */
export function planOf(entries: PlanEntry[], at: { targetOu: string; domainDn: string }): Plan {
  return {
    formatVersion: 1,
    createdAt: '',
    tool: { name: 'entra2ad', version: '0' },
    tenantId: 't',
    domainDn: at.domainDn,
    targetOu: at.targetOu,
    directoryChecked: true,
    entries,
    summary: { total: entries.length, byAction: { create: 0, adopt: 0, skip: 0, blocked: 0 }, byReason: {} },
  };
}
