/**
 * Folds journal records into per-user progress (pure). This is the only place
 * that interprets the journal, so "what is left to do for this user" has one
 * definition for apply, resume and rollback alike.
 */
import type { JournalRecord, RollbackMode, RollbackStep, UserStep } from './records.js';

export interface UserProgress {
  cloudId: string;
  /** The last password this run made for the user, as a salted digest (password-filed). */
  passwordDigest?: { salt: string; digest: string };
  /** A create was started for this DN; the object may or may not exist. */
  createStartedDn?: string;
  /** The AD object exists and is complete (password set, enabled as planned). */
  created?: { dn: string; adopted: boolean };
  /** When the `created` record was written (rollback compares it with the cloud's last sync). */
  createdAt?: string;
  objectGuid?: string;
  anchorStarted?: string;
  anchored?: { immutableId: string; outcome: string };
  managerDn?: string;
  /** The Exchange stamp of this user's existing object was checked (and what it lacked added): src/apply/stamp-pass.ts. */
  exchangeStamped?: boolean;
  lastFailure?: { step: UserStep; reason: string; message: string };
  /** apply --clear-object-identifier: a PATCH was started (it may or may not have landed). */
  identifierClearStarted?: boolean;
  /** onPremisesObjectIdentifier is known clear for this user (cleared by us, or found clear). */
  identifierCleared?: { outcome: 'cleared' | 'already-clear'; at: string };
  identifierClearFailure?: { reason: string; message: string };
  /** Set by `entra2ad rollback`; see foldRollback below. */
  rollback?: UserRollback;
}

/**
 * What a rollback undid for one user. Each record undoes apply's progress for
 * the part it names, so nothing reading the fold takes a rolled-back user for
 * done: `cleared` drops `anchorStarted`/`anchored` (the cloud no longer holds
 * our value), `deleted`/`disabled` drop everything apply recorded (the object
 * is gone or out of service). A later `create-start`/`created` (a new apply of
 * that user) drops `rollback` again.
 */
export interface UserRollback {
  cleared?: { immutableId: string; outcome: 'cleared' | 'already-clear' };
  /** The AD object this run created, after it was deleted or disabled. */
  removed?: { mode: RollbackMode; dn: string; objectGuid: string; outcome: string };
  lastFailure?: { step: RollbackStep; reason: string; message: string };
}

export interface RunState {
  users: Map<string, UserProgress>;
  runs: number;
  completedRuns: number;
  planFingerprints: string[];
  /** Present once `entra2ad rollback` has started on this run folder. */
  rollback?: { runs: number; completedRuns: number; modes: RollbackMode[]; firstStartedAt: string };
}

export function foldJournal(records: readonly JournalRecord[]): RunState {
  const users = new Map<string, UserProgress>();
  const state: RunState = { users, runs: 0, completedRuns: 0, planFingerprints: [] };
  const user = (cloudId: string): UserProgress => {
    let progress = users.get(cloudId);
    if (!progress) users.set(cloudId, (progress = { cloudId }));
    return progress;
  };
  for (const record of records) {
    switch (record.kind) {
      case 'run-start':
        state.runs++;
        state.planFingerprints.push(record.planFingerprint);
        break;
      case 'run-end':
        state.completedRuns++;
        break;
      case 'password-filed':
        user(record.cloudId).passwordDigest = { salt: record.salt, digest: record.digest };
        break;
      case 'create-start': {
        const progress = user(record.cloudId);
        progress.createStartedDn = record.dn;
        delete progress.rollback;
        break;
      }
      case 'created': {
        const progress = user(record.cloudId);
        progress.created = { dn: record.dn, adopted: record.adopted ?? false };
        progress.createdAt = record.at;
        delete progress.rollback;
        break;
      }
      case 'guid':
        user(record.cloudId).objectGuid = record.objectGuid;
        break;
      case 'anchor-start':
        user(record.cloudId).anchorStarted = record.immutableId;
        break;
      case 'anchored':
        user(record.cloudId).anchored = { immutableId: record.immutableId, outcome: record.outcome };
        break;
      case 'manager-set':
        user(record.cloudId).managerDn = record.managerDn;
        break;
      case 'exchange-stamped':
        user(record.cloudId).exchangeStamped = true;
        break;
      case 'failed':
        user(record.cloudId).lastFailure = { step: record.step, reason: record.reason, message: record.message };
        break;
      case 'identifier-clear-start':
        user(record.cloudId).identifierClearStarted = true;
        break;
      case 'identifier-cleared': {
        const progress = user(record.cloudId);
        progress.identifierCleared = { outcome: record.outcome, at: record.at };
        delete progress.identifierClearFailure;
        break;
      }
      case 'identifier-clear-failed':
        user(record.cloudId).identifierClearFailure = { reason: record.reason, message: record.message };
        break;
      default:
        foldRollback(state, user, record);
    }
  }
  return state;
}

/** The rollback records (journal-records.ts); apply's are handled above. */
function foldRollback(state: RunState, user: (cloudId: string) => UserProgress, record: JournalRecord): void {
  switch (record.kind) {
    case 'rollback-start':
      state.rollback ??= { runs: 0, completedRuns: 0, modes: [], firstStartedAt: record.at };
      state.rollback.runs++;
      state.rollback.modes.push(record.mode);
      break;
    case 'rollback-end':
      if (state.rollback) state.rollback.completedRuns++;
      break;
    case 'cleared': {
      const progress = user(record.cloudId);
      (progress.rollback ??= {}).cleared = { immutableId: record.immutableId, outcome: record.outcome };
      delete progress.rollback.lastFailure;
      delete progress.anchorStarted;
      delete progress.anchored;
      break;
    }
    case 'deleted':
    case 'disabled': {
      const progress = user(record.cloudId);
      const rollback = progress.rollback ?? {};
      rollback.removed = { mode: record.kind === 'deleted' ? 'delete' : 'disable', dn: record.dn, objectGuid: record.objectGuid, outcome: record.outcome };
      delete rollback.lastFailure;
      state.users.set(record.cloudId, { cloudId: record.cloudId, rollback });
      break;
    }
    case 'rollback-failed':
      (user(record.cloudId).rollback ??= {}).lastFailure = { step: record.step, reason: record.reason, message: record.message };
      break;
  }
}
