/**
 * Per-entry fingerprint: sha256 over the inputs a reviewer approved (cloud id, UPN,
 * current immutableId, the decision and the planned names). Apply recomputes it from
 * the plan entry and compares with the live cloud user's UPN and immutableId, so a
 * plan whose inputs changed since review is refused instead of executed.
 */
import { createHash } from 'node:crypto';
import type { PlanEntry } from './types.js';

export const FINGERPRINT_VERSION = 1;

export type FingerprintInput = Pick<
  PlanEntry,
  | 'cloudId'
  | 'userPrincipalName'
  | 'currentImmutableId'
  | 'action'
  | 'reason'
  | 'sAMAccountName'
  | 'cn'
  | 'dn'
  | 'existingObjectGuid'
  | 'recoverConsistencyGuid'
>;

export function entryFingerprint(e: FingerprintInput): string {
  const fields = [
    FINGERPRINT_VERSION,
    e.cloudId,
    e.userPrincipalName,
    e.currentImmutableId,
    e.action,
    e.reason,
    e.sAMAccountName ?? null,
    e.cn ?? null,
    e.dn ?? null,
    e.existingObjectGuid ?? null,
    e.recoverConsistencyGuid ?? null,
  ];
  return createHash('sha256').update(JSON.stringify(fields), 'utf8').digest('hex');
}
