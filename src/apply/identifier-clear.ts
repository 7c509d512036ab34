/**
 * `apply --clear-object-identifier`: the last step of a recovery in place.
 *
 * Since July 2026 Entra ID refuses to hard-match a cloud user whose
 * onPremisesObjectIdentifier is set (it names the lost AD object): "Hard match
 * operation blocked due to security hardening. Review OnPremisesObjectIdentifier
 * mapping." (message center MC1263280; learn.microsoft.com/entra/fundamentals/whats-new).
 * The way out Microsoft documents is to clear it: Graph beta PATCH /users/{id}
 * {"onPremisesObjectIdentifier": null}, permission User-OnPremisesSyncBehavior.ReadWrite.All
 * (learn.microsoft.com/entra/identity/hybrid/connect/tshoot-clear-on-premises-attributes).
 * Only null is accepted: the old value can never be written back. So the clear is
 * done last, per user, and only when that user's new AD object exists with the
 * right mS-DS-ConsistencyGuid and has been read back now: a user whose object is
 * missing keeps its identifier (and stays recoverable by restoring the old object).
 *
 * Journaled like apply's other writes (journal-records.ts): `identifier-clear-start`
 * before the PATCH, `identifier-cleared` after. On resume a start without its done
 * is settled by reading the identifier: null means the PATCH landed (recorded as
 * `already-clear`, no second write). One user at a time, so a crash leaves at most
 * one user uncertain.
 *
 * A 403 stops the step at once (every later user would get the same answer) with
 * the permission and role named; nothing else was written for the remaining users.
 */
import { canonicalId } from '../anchor/index.js';
import { ExitCode } from '../errors.js';
import type { Plan, PlanEntry } from '../plan/types.js';
import { crashPoint } from '../journal/crash-point.js';
import { RunError } from '../journal/errors.js';
import type { Journal } from '../journal/journal.js';
import type { RunState, UserProgress } from '../journal/state.js';

export const SYNC_BEHAVIOR_PERMISSION = 'User-OnPremisesSyncBehavior.ReadWrite.All';
export const CLEAR_DOC = 'https://learn.microsoft.com/entra/identity/hybrid/connect/tshoot-clear-on-premises-attributes';

export interface IdentifierClearPorts {
  /** The AD object with this objectGUID and its mS-DS-ConsistencyGuid (base64); undefined when there is none. */
  readAd(objectGuid: string): Promise<{ dn: string; consistencyGuid: string | undefined } | undefined>;
  /** The cloud user's onPremisesObjectIdentifier now (null: not set). */
  readIdentifier(cloudId: string, userPrincipalName: string): Promise<string | null>;
  /** PATCH {"onPremisesObjectIdentifier": null}. Throws a CloudError on refusal. */
  clear(cloudId: string, userPrincipalName: string): Promise<void>;
  /** Whether an error is Graph's 403 (missing permission or role). */
  isForbidden(error: unknown): boolean;
}

export type ClearOutcomeKind = 'cleared' | 'already-clear' | 'done-earlier' | 'not-ready' | 'failed';

export interface ClearOutcome {
  cloudId: string;
  userPrincipalName: string;
  outcome: ClearOutcomeKind;
  reason: string;
  message: string;
}

/** A recovered user of the plan and where it stands in the journal (pure). */
export type ClearCandidate =
  | { kind: 'ready'; entry: PlanEntry; objectGuid: string; dn: string; consistencyGuid: string }
  | { kind: 'done'; entry: PlanEntry }
  | { kind: 'not-ready'; entry: PlanEntry; why: string };

/** The plan's recovered users (stamped mS-DS-ConsistencyGuid, no cloud write), each with what the journal says. */
export function clearCandidates(plan: Plan, state: RunState): ClearCandidate[] {
  const out: ClearCandidate[] = [];
  for (const entry of plan.entries) {
    if (entry.action !== 'create' || entry.recoverConsistencyGuid === undefined) continue;
    const progress: UserProgress | undefined = state.users.get(entry.cloudId);
    if (progress?.identifierCleared) out.push({ kind: 'done', entry });
    else if (!progress?.created || !progress.objectGuid || !progress.anchored) {
      out.push({ kind: 'not-ready', entry, why: 'its AD object has not been completed by apply yet' });
    } else out.push({ kind: 'ready', entry, objectGuid: progress.objectGuid, dn: progress.created.dn, consistencyGuid: entry.recoverConsistencyGuid });
  }
  return out;
}

/** Users a run would send a PATCH for at most (for the confirmation). */
export const pendingClears = (candidates: readonly ClearCandidate[]): number => candidates.filter((c) => c.kind === 'ready').length;

export function clearConfirmation(count: number, tenantId: string): string {
  return (
    `apply: clear onPremisesObjectIdentifier of up to ${count} recovered user(s) in tenant ${tenantId} (Graph beta PATCH /users/{id}), ` +
    `each only after its new AD object is read back with the right mS-DS-ConsistencyGuid.\n` +
    'This cannot be undone: Graph accepts only null for onPremisesObjectIdentifier, so the old value can never be written back ' +
    '(the next Entra Connect sync stamps the new AD object\'s). rollback cannot restore it either.'
  );
}

export function forbiddenMessage(detail: string): string {
  return (
    `Graph refused to clear onPremisesObjectIdentifier (403): the app needs the Microsoft Graph application permission ${SYNC_BEHAVIOR_PERMISSION} ` +
    `(admin-consented) besides User.ReadWrite.All; a delegated sign-in needs that scope and the Hybrid Identity Administrator or Global Administrator role (${CLEAR_DOC}). ` +
    `No other identifier was touched: every user is still recoverable; grant it and run apply --clear-object-identifier again. (${detail})`
  );
}

export async function clearObjectIdentifiers(
  ports: IdentifierClearPorts,
  journal: Journal,
  candidates: readonly ClearCandidate[],
): Promise<ClearOutcome[]> {
  const outcomes: ClearOutcome[] = [];
  for (const c of candidates) {
    const base = { cloudId: c.entry.cloudId, userPrincipalName: c.entry.userPrincipalName };
    if (c.kind === 'done') {
      outcomes.push({ ...base, outcome: 'done-earlier', reason: 'ALREADY_DONE', message: 'cleared by an earlier run; nothing to do' });
      continue;
    }
    if (c.kind === 'not-ready') {
      outcomes.push({ ...base, outcome: 'not-ready', reason: 'OBJECT_IDENTIFIER_KEPT_NOT_RECOVERED', message: `identifier kept: ${c.why}; run apply first` });
      continue;
    }
    try {
      outcomes.push(await clearOne(ports, journal, c));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const forbidden = ports.isForbidden(error);
      const reason = forbidden ? 'OBJECT_IDENTIFIER_CLEAR_FORBIDDEN' : 'OBJECT_IDENTIFIER_CLEAR_FAILED';
      await journal.append({ kind: 'identifier-clear-failed', cloudId: c.entry.cloudId, reason, message });
      if (forbidden) throw new RunError(reason, forbiddenMessage(message), { user: c.entry.userPrincipalName }, ExitCode.Failure);
      outcomes.push({ ...base, outcome: 'failed', reason, message });
    }
  }
  return outcomes;
}

async function clearOne(ports: IdentifierClearPorts, journal: Journal, c: Extract<ClearCandidate, { kind: 'ready' }>): Promise<ClearOutcome> {
  const base = { cloudId: c.entry.cloudId, userPrincipalName: c.entry.userPrincipalName };
  // Read back now, by objectGUID: the object apply made must still be there and carry the anchor.
  const ad = await ports.readAd(c.objectGuid);
  if (!ad) {
    return { ...base, outcome: 'not-ready', reason: 'OBJECT_IDENTIFIER_KEPT_NO_AD_OBJECT', message: `identifier kept: no AD object with objectGUID ${c.objectGuid} (created as ${c.dn}) any more` };
  }
  if (ad.consistencyGuid === undefined || canonicalId(ad.consistencyGuid) !== canonicalId(c.consistencyGuid)) {
    return {
      ...base,
      outcome: 'not-ready',
      reason: 'OBJECT_IDENTIFIER_KEPT_ANCHOR_DIFFERS',
      message: `identifier kept: ${ad.dn} has mS-DS-ConsistencyGuid ${ad.consistencyGuid ?? '(empty)'}, not the immutableId ${c.consistencyGuid}`,
    };
  }
  const current = await ports.readIdentifier(c.entry.cloudId, c.entry.userPrincipalName);
  if (current === null) {
    // Never set (older Connect), or a PATCH of a crashed run landed: no write either way.
    await journal.append({ kind: 'identifier-cleared', cloudId: c.entry.cloudId, outcome: 'already-clear' });
    return { ...base, outcome: 'already-clear', reason: 'OBJECT_IDENTIFIER_ALREADY_CLEAR', message: 'onPremisesObjectIdentifier is not set; nothing to write' };
  }
  await journal.append({ kind: 'identifier-clear-start', cloudId: c.entry.cloudId, objectGuid: c.objectGuid });
  await ports.clear(c.entry.cloudId, c.entry.userPrincipalName);
  crashPoint('after-identifier-clear');
  await journal.append({ kind: 'identifier-cleared', cloudId: c.entry.cloudId, outcome: 'cleared' });
  return { ...base, outcome: 'cleared', reason: 'OBJECT_IDENTIFIER_CLEARED', message: `onPremisesObjectIdentifier ${current} cleared; ${ad.dn} can now be hard-matched` };
}

export function summariseClears(outcomes: readonly ClearOutcome[]): Record<ClearOutcomeKind, number> {
  const counts: Record<ClearOutcomeKind, number> = { cleared: 0, 'already-clear': 0, 'done-earlier': 0, 'not-ready': 0, failed: 0 };
  for (const o of outcomes) counts[o.outcome]++;
  return counts;
}
