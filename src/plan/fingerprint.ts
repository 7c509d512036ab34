/**
 * Per-entry fingerprint: sha256 over every field of the entry as planned (all but the
 * fingerprint itself), in a canonical form (fixed field order, nested keys sorted, absent
 * fields as null), so it is the same for the entry in memory and the entry read back from plan.json.
 * Apply recomputes it for every entry before it writes anything and refuses the plan
 * (PLAN_EDITED) when one no longer matches: plan.json is what the reviewer approved,
 * and an edit after review (a planned immutableId, a userAccountControl, an attribute)
 * must never turn into a write.
 *
 * This catches an edit, not an attacker who recomputes the hash: the run folder is
 * the reviewer's to protect (mode 0700, src/journal/run-lock.ts).
 */
import { createHash } from 'node:crypto';
import type { Plan, PlanEntry } from './types.js';

/**
 * 3: the plan-level fields too (headFingerprints), and the recovery fields oldSAMAccountName
 * and oldDn counted from the start (recovery in place added them under 2).
 * 2: the whole entry. (1 covered only the ids, names and decision: attributes and the planned anchor were editable.)
 */
export const FINGERPRINT_VERSION = 3;

export function entryFingerprint(e: PlanEntry): string {
  return entryFingerprintOfVersion(e, FINGERPRINT_VERSION);
}

/** The fingerprint as entra2ad version `version` of this scheme made it (tests: an older plan is refused). */
export function entryFingerprintOfVersion(e: PlanEntry, version: number): string {
  // A fixed list rather than a walk over the entry's keys: 100,000 entries are hashed in every plan and apply.
  const fields: Record<Exclude<keyof PlanEntry, 'fingerprint'>, unknown> = {
    cloudId: e.cloudId,
    userPrincipalName: e.userPrincipalName,
    displayName: e.displayName,
    action: e.action,
    reason: e.reason,
    message: e.message,
    sAMAccountName: e.sAMAccountName,
    cn: e.cn,
    dn: e.dn,
    oldSAMAccountName: e.oldSAMAccountName,
    oldDn: e.oldDn,
    attributes: e.attributes && sortedEntries(e.attributes),
    userAccountControl: e.userAccountControl,
    mustChangePassword: e.mustChangePassword,
    passwordMode: e.passwordMode,
    managerCloudId: e.managerCloudId,
    existingObjectGuid: e.existingObjectGuid,
    plannedImmutableId: e.plannedImmutableId,
    currentImmutableId: e.currentImmutableId,
    recoverConsistencyGuid: e.recoverConsistencyGuid,
    cloud: e.cloud && [e.cloud.givenName, e.cloud.surname, e.cloud.mail, e.cloud.department, e.cloud.jobTitle, e.cloud.accountEnabled],
    warnings: e.warnings?.map((w) => [w.code, w.field ?? null, w.message]),
    exchange: e.exchange && [e.exchange.mailbox, e.exchange.stamp, e.exchange.notInSchema, e.exchange.planned ? sortedEntries(e.exchange.planned) : null],
    // Last, and only when present: entries without it hash as before it existed (no version bump).
    ousToCreate: e.ousToCreate,
  };
  const values = Object.values(fields).map((v) => v ?? null);
  if (e.ousToCreate === undefined) values.pop();
  return createHash('sha256').update(JSON.stringify([version, values]), 'utf8').digest('hex');
}

/** [name, value] pairs in name order: the same whatever order plan.json lists the attributes in. */
function sortedEntries(attributes: Readonly<Record<string, unknown>>): [string, unknown][] {
  return Object.keys(attributes)
    .sort()
    .map((name) => [name, attributes[name]]);
}

export interface EditedEntry {
  /** Position in plan.entries. */
  index: number;
  userPrincipalName: string;
}

/** The entries whose fingerprint no longer matches their fields (pure). */
export function editedEntries(entries: readonly PlanEntry[]): EditedEntry[] {
  const edited: EditedEntry[] = [];
  entries.forEach((entry, index) => {
    if (entry.fingerprint !== entryFingerprint(entry)) edited.push({ index, userPrincipalName: entry.userPrincipalName });
  });
  return edited;
}

/**
 * The plan-level fields apply acts on: where it writes (targetOu, domainDn), which
 * tenant it anchors in (tenantId), what it may write (attributeNames) and where a
 * recovered user may go (recover). Each gets its own hash so PLAN_EDITED can name it.
 */
export const HEAD_FIELDS = ['tenantId', 'domainDn', 'targetOu', 'directoryChecked', 'targetOuExists', 'attributeNames', 'recover'] as const;
export type HeadField = (typeof HEAD_FIELDS)[number];

type Head = Pick<Plan, HeadField>;

function headFieldFingerprint(field: HeadField, head: Head): string {
  const value = field === 'recover' && head.recover ? [head.recover.placement, sortedEntries(head.recover.dnMap)] : head[field];
  return createHash('sha256')
    .update(JSON.stringify([FINGERPRINT_VERSION, field, value ?? null]), 'utf8')
    .digest('hex');
}

/** headFingerprints for a plan head (pure). */
export function headFingerprints(head: Head): Record<HeadField, string> {
  return Object.fromEntries(HEAD_FIELDS.map((f) => [f, headFieldFingerprint(f, head)])) as Record<HeadField, string>;
}

/** The plan-level fields whose hash is missing or no longer matches (pure). */
export function editedHeadFields(plan: Head & Pick<Plan, 'headFingerprints'>): HeadField[] {
  const recorded = plan.headFingerprints ?? {};
  return HEAD_FIELDS.filter((f) => recorded[f] !== headFieldFingerprint(f, plan));
}
