/**
 * One user through apply, the decisions (pure): given the plan entry, what the
 * journal says this run did for the user (UserProgress, src/journal/state.ts),
 * and what the directory and the cloud say now, the next step.
 * src/apply/user.ts (and the manager and stamp passes after it) gather those
 * facts, ask here, perform the step and journal it.
 *
 * The journal is write-ahead (src/journal/records.ts): a `*-start` without its
 * done record means the step may or may not have happened. Such a step is
 * settled by looking (the UPN in AD, the GUID at the DN, the cloud's value read
 * at the start of the run), never trusted and never blindly repeated.
 */
import { bytesToImmutableId, canonicalId, guidToBytes } from '../anchor/index.js';
import { dnKeyOrText } from '../directory/dn.js';
import { Entra2adError } from '../errors.js';
import { isExchangeAttribute } from '../exchange/attributes.js';
import { matchesDigest } from '../journal/password-digest.js';
import type { UserStep } from '../journal/records.js';
import type { UserProgress } from '../journal/state.js';
import type { PlanEntry } from '../plan/types.js';
import type { AnchorResult, FoundUser } from './ports.js';

/** The user cannot go on: user.ts throws it as a StepFailure of `step`, journaled `failed`. */
export interface Refusal {
  action: 'fail';
  step: UserStep;
  reason: string;
  message: string;
}

export type StartDecision =
  /** An earlier run anchored this user: report it unchanged, touch nothing. */
  | { action: 'done'; dn: string | undefined; objectGuid: string | undefined; immutableId: string; reason: 'ALREADY_DONE'; message: string }
  | { action: 'continue' };

export function decideStart(entry: PlanEntry, progress: UserProgress): StartDecision {
  if (!progress.anchored) return { action: 'continue' };
  return {
    action: 'done',
    dn: progress.created?.dn ?? entry.dn,
    objectGuid: progress.objectGuid,
    immutableId: progress.anchored.immutableId,
    reason: 'ALREADY_DONE',
    message: 'completed by an earlier run; nothing to do',
  };
}

export type ObjectDecision =
  /** The journal says the object exists and is complete (`created`): go on to its GUID. */
  | { action: 'known'; dn: string }
  /** Look the existing object up by UPN (decideAdopt). */
  | { action: 'adopt' }
  /** Settle the password (decidePassword), then decideAdd; `addStarted`: look the UPN up first. */
  | { action: 'create'; addStarted: boolean };

export function decideObject(entry: PlanEntry, progress: UserProgress): ObjectDecision {
  if (progress.created) return { action: 'known', dn: progress.created.dn };
  if (entry.action === 'adopt') return { action: 'adopt' };
  return { action: 'create', addStarted: progress.createStartedDn !== undefined };
}

/** Adopt: the object the plan found by UPN must still be there; its DN is journaled as `created` (adopted). */
export function decideAdopt(entry: PlanEntry, found: FoundUser | undefined): { action: 'adopt'; dn: string } | Refusal {
  if (!found) return { action: 'fail', step: 'create', reason: 'AD_OBJECT_GONE', message: `the AD user to adopt (${entry.dn}) no longer exists` };
  return { action: 'adopt', dn: found.dn };
}

export type PasswordDecision =
  /** The password this run filed before a crash: the resumed add or finish must set that same one. */
  | { action: 'reuse'; password: string }
  /** None on file: ask the password source, journal its digest, file it, THEN send it to the DC. */
  | { action: 'new' }
  | Refusal;

/**
 * credentials.csv is read back as untrusted input: a password on file is set only
 * when this run made it (its digest journaled as `password-filed` before it was
 * filed), never one someone placed in the file.
 */
export function decidePassword(entry: PlanEntry, progress: UserProgress, onFile: string | undefined): PasswordDecision {
  if (onFile === undefined) return { action: 'new' };
  if (progress.passwordDigest && matchesDigest(onFile, progress.passwordDigest)) return { action: 'reuse', password: onFile };
  return {
    action: 'fail',
    step: 'create',
    reason: 'CREDENTIALS_UNTRUSTED',
    message: `credentials.csv holds a password for ${entry.userPrincipalName} that this run did not make; it is not set`,
  };
}

export type AddDecision =
  /**
   * A crashed run's add landed: the object with the UPN is ours (the plan saw the UPN
   * free, and it is at the DN create-start journaled, carrying what the add carried:
   * notOwnUnconfirmedAdd), so finish it (password, enable) instead of adding a second
   * one. Its manager is left to the manager pass.
   */
  | { action: 'finish' }
  /** Journal `create-start`, then add (with the manager when its object exists: managerForAdd). */
  | { action: 'add' }
  | Refusal;

/**
 * `found`: the AD user with the entry's UPN, looked up only when an add was started
 * (decideObject's addStarted). An add whose result was never journaled is settled by
 * looking, and what is found by UPN is finished (password set, enabled) and then
 * anchored only when it can be this run's add; anything else at that UPN is someone
 * else's object: refused, no second add, nothing written to it or the cloud.
 */
export function decideAdd(entry: PlanEntry, progress: UserProgress, found: FoundUser | undefined): AddDecision {
  const startedDn = progress.createStartedDn;
  if (startedDn === undefined || !found) return { action: 'add' };
  const notOurs = notOwnUnconfirmedAdd(entry, startedDn, found);
  if (notOurs === undefined) return { action: 'finish' };
  return { action: 'fail', step: 'create', reason: notOurs.reason, message: notOurs.message };
}

/**
 * Why `found` cannot be the object this run's unconfirmed add made, or undefined
 * when it can. Its DN must be the one create-start journaled (compared as AD compares
 * DNs: dnKey), and it must carry what the add carried: the planned sAMAccountName
 * (AD compares it case-insensitively) and, for a recovery add, the cloud's immutableId
 * as mS-DS-ConsistencyGuid. No GUID can be compared: the add's answer, and so the
 * object's GUID, never reached the journal.
 */
function notOwnUnconfirmedAdd(entry: PlanEntry, startedDn: string, found: FoundUser): { reason: string; message: string } | undefined {
  const unconfirmed = `an add of ${entry.userPrincipalName} at ${startedDn} was started by an earlier run and not confirmed`;
  if (!sameDn(found.dn, startedDn)) {
    return {
      reason: 'NAME_TAKEN',
      message:
        `${unconfirmed}, and the AD user with that userPrincipalName is ${found.dn}, not at ${startedDn}: it is not finished or anchored. ` +
        'If it is the object that run added, moved since, move it back to the expected DN and run apply again; ' +
        "otherwise it is someone else's: take the userPrincipalName off it (or leave the user out), plan again and review",
    };
  }
  const differs: string[] = [];
  if (entry.sAMAccountName !== undefined && found.sAMAccountName?.toLowerCase() !== entry.sAMAccountName.toLowerCase()) {
    differs.push(`${found.sAMAccountName === undefined ? 'no sAMAccountName' : `sAMAccountName ${found.sAMAccountName}`}, not the ${entry.sAMAccountName}`);
  }
  if (entry.recoverConsistencyGuid !== undefined && (found.consistencyGuid === undefined || canonicalId(found.consistencyGuid) !== canonicalId(entry.recoverConsistencyGuid))) {
    differs.push(`${found.consistencyGuid === undefined ? 'no mS-DS-ConsistencyGuid' : `mS-DS-ConsistencyGuid ${found.consistencyGuid}`}, not the ${entry.recoverConsistencyGuid}`);
  }
  if (differs.length === 0) return undefined;
  return {
    reason: 'AD_OBJECT_REPLACED',
    message:
      `${unconfirmed}, and the AD user at ${found.dn} carries ${differs.join(', and ')} that add carried: it is not finished or anchored. ` +
      'Find out who made that object; when it is not wanted, delete it and run apply again',
  };
}

/** As AD compares DNs (dnKey); a DN that does not parse is compared by its lower-cased text (dnKeyOrText). */
function sameDn(a: string, b: string): boolean {
  return dnKeyOrText(a) === dnKeyOrText(b);
}

/**
 * The manager's DN when its object exists already (an earlier run, or earlier in
 * this one), so `manager` goes in the add and saves the manager pass a modify.
 */
export function managerForAdd(entry: PlanEntry, objectDns: ReadonlyMap<string, string> | undefined): string | undefined {
  return entry.managerCloudId ? objectDns?.get(entry.managerCloudId) : undefined;
}

/**
 * The add named a manager whose object is gone after all (a DN-valued attribute
 * must name an existing object: REFERENCED_OBJECT_MISSING, Samba 000020B5,
 * src/directory/errors.ts): a failed add leaves nothing behind, so add again
 * without it and let the manager pass report the link.
 */
export function addAgainWithoutManager(error: unknown): boolean {
  return error instanceof Entra2adError && error.reason === 'REFERENCED_OBJECT_MISSING';
}

/** Where the GUID comes from: an adopted object may carry its own mS-DS-ConsistencyGuid, which only a search returns. */
export function guidSource(entry: PlanEntry): 'by-upn' | 'at-dn' {
  return entry.action === 'adopt' ? 'by-upn' : 'at-dn';
}

/** What the directory says now: the user with the entry's UPN (adopt), or the objectGUID at the user's DN (create). */
export type GuidFact = { source: 'by-upn'; found: FoundUser | undefined } | { source: 'at-dn'; objectGuid: string };

export type GuidDecision =
  /** Journal `guid`, then go on. */
  | { action: 'record'; objectGuid: string; consistencyGuid?: string }
  /** The journaled GUID is still the object's: nothing to journal. */
  | { action: 'confirmed'; objectGuid: string }
  | Refusal;

export function decideGuid(entry: PlanEntry, progress: UserProgress, dn: string, fact: GuidFact): GuidDecision {
  const journaled = progress.objectGuid;
  if (fact.source === 'by-upn') {
    if (!fact.found) return { action: 'fail', step: 'guid', reason: 'AD_OBJECT_GONE', message: `no AD user with userPrincipalName ${entry.userPrincipalName} any more` };
    // Resumed with a GUID from the journal: the user with the UPN must still be the object adopted then.
    if (journaled !== undefined && fact.found.objectGuid !== journaled) {
      return {
        action: 'fail',
        step: 'guid',
        reason: 'AD_OBJECT_REPLACED',
        message: `the AD user with userPrincipalName ${entry.userPrincipalName} is now ${fact.found.dn} with objectGUID ${fact.found.objectGuid}, not the ${journaled} this run adopted`,
      };
    }
    return { action: 'record', objectGuid: fact.found.objectGuid, ...(fact.found.consistencyGuid !== undefined ? { consistencyGuid: fact.found.consistencyGuid } : {}) };
  }
  if (journaled === undefined) return { action: 'record', objectGuid: fact.objectGuid };
  // Resumed with a GUID from the journal: the object must still be that one before its GUID goes to the cloud.
  if (fact.objectGuid !== journaled) {
    return { action: 'fail', step: 'guid', reason: 'AD_OBJECT_REPLACED', message: `${dn} now has objectGUID ${fact.objectGuid}, not the ${journaled} this run created` };
  }
  return { action: 'confirmed', objectGuid: journaled };
}

/**
 * The immutableId the cloud user must carry, and whether to stamp
 * mS-DS-ConsistencyGuid = objectGUID on the object (`setConsistencyGuid`: so
 * either sourceAnchor matches). Entra Connect uses mS-DS-ConsistencyGuid when
 * set, else objectGUID
 * (learn.microsoft.com/entra/identity/hybrid/connect/plan-connect-design-concepts#using-ms-ds-consistencyguid-as-sourceanchor).
 * Recovery: the object was added with the cloud's existing value as its ConsistencyGuid.
 */
export function decideAnchorValue(entry: PlanEntry, guid: { objectGuid: string; consistencyGuid?: string }, setConsistencyGuid: boolean): { immutableId: string; stampConsistencyGuid: boolean } {
  if (entry.recoverConsistencyGuid !== undefined) return { immutableId: entry.recoverConsistencyGuid, stampConsistencyGuid: false };
  return {
    immutableId: guid.consistencyGuid ?? bytesToImmutableId(guidToBytes(guid.objectGuid)),
    stampConsistencyGuid: setConsistencyGuid && guid.consistencyGuid === undefined,
  };
}

/**
 * The cloud user's onPremisesImmutableId now: as read at the start of this run when
 * it was (after a crash, a write that landed but was not journaled shows up there),
 * else as planned.
 */
export function cloudImmutableIdNow(entry: PlanEntry, readAtStart: ReadonlyMap<string, string | null> | undefined): string | null {
  return readAtStart?.has(entry.cloudId) ? (readAtStart.get(entry.cloudId) ?? null) : entry.currentImmutableId;
}

export type AnchorDecision =
  /** Journal `anchored` with this outcome; no write. */
  | { action: 'record'; outcome: 'not-needed' | 'already-set'; reason: 'RECOVERED' | 'ANCHOR_ALREADY_SET'; message: string }
  /** Send the value; journal `anchor-start` first unless the journal already has it for this value. */
  | { action: 'write'; journalStart: boolean };

export function decideAnchor(entry: PlanEntry, progress: UserProgress, immutableId: string, cloudNow: string | null): AnchorDecision {
  if (entry.recoverConsistencyGuid !== undefined) {
    // Recovery: the cloud already holds this immutableId and Graph will not let us change it; nothing to write.
    return { action: 'record', outcome: 'not-needed', reason: 'RECOVERED', message: 'mS-DS-ConsistencyGuid stamped with the existing immutableId; no cloud write needed' };
  }
  if (cloudNow === immutableId) return { action: 'record', outcome: 'already-set', reason: 'ANCHOR_ALREADY_SET', message: 'the cloud user already carries this immutableId' };
  // None, or another value: send ours; what Graph answers is the writer's outcome (decideAnchorResult).
  // A write of this same value that was started and not confirmed is sent again: PATCHing the same value twice is harmless.
  return { action: 'write', journalStart: progress.anchorStarted !== immutableId };
}

/** What the anchor writer's answer means for the user: anchored (journal `anchored` with `outcome`), or failed. */
export function decideAnchorResult(entry: PlanEntry, result: AnchorResult): { action: 'anchored'; outcome: 'written' | 'already-set'; reason: string; message: string } | Refusal {
  if (result.outcome !== 'written' && result.outcome !== 'already-set') {
    return { action: 'fail', step: 'anchor', reason: result.reason ?? `ANCHOR_${result.outcome.toUpperCase()}`, message: result.message ?? result.outcome };
  }
  return {
    action: 'anchored',
    outcome: result.outcome,
    reason: entry.action === 'adopt' ? 'ADOPTED_AND_ANCHORED' : 'CREATED_AND_ANCHORED',
    message: `onPremisesImmutableId ${result.outcome === 'written' ? (result.confirmedByReadBack ? "written (Graph's answer was lost; read back: it had landed)" : 'written') : 'was already set'}`,
  };
}

/**
 * The manager pass (src/apply/manager-pass.ts), after every user of the plan went
 * through the steps above: link a created user to its manager when both objects
 * exist now (anchored or done earlier) and the link is not there yet, from this
 * run's add (`own.managerDn`) or an earlier run (`manager-set` journaled).
 * `manager` is DN-valued, so it can only name an object that exists.
 */
export function decideManagerLink(
  entry: PlanEntry,
  own: { dn?: string; managerDn?: string } | undefined,
  manager: { dn?: string } | undefined,
  progress: UserProgress | undefined,
): { action: 'link'; dn: string; managerDn: string } | { action: 'none' } {
  if (entry.action !== 'create' || !entry.managerCloudId || !own?.dn) return { action: 'none' };
  const managerDn = manager?.dn;
  if (!managerDn || own.managerDn === managerDn || progress?.managerDn === managerDn) return { action: 'none' };
  return { action: 'link', dn: own.dn, managerDn };
}

/**
 * The Exchange stamp pass (src/apply/stamp-pass.ts): which existing object gets the
 * plan's mail and Exchange values checked and what it lacks added. Adopted in this
 * run (anchored, or done by an earlier one), or skipped because an earlier run
 * created or adopted it (the plan's DN); once per run folder (`exchange-stamped`).
 * Only mail and Exchange attributes are taken, whatever plan.json holds: it is read
 * back as untrusted input.
 */
export function decideExchangeStamp(
  entry: PlanEntry,
  own: { outcome: string; dn?: string },
  progress: UserProgress | undefined,
): { action: 'stamp'; dn: string; planned: Record<string, string | string[]> } | { action: 'none' } {
  const planned = entry.exchange?.planned && Object.fromEntries(Object.entries(entry.exchange.planned).filter(([attr]) => attr === 'mail' || attr === 'proxyAddresses' || isExchangeAttribute(attr)));
  if (!planned || progress?.exchangeStamped) return { action: 'none' };
  const dn = entry.action === 'adopt' ? (own.outcome === 'anchored' || own.outcome === 'unchanged' ? (own.dn ?? entry.dn) : undefined) : entry.action === 'skip' ? entry.dn : undefined;
  return dn ? { action: 'stamp', dn, planned } : { action: 'none' };
}
