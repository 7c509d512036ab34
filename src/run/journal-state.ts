/**
 * Folds journal records into per-user progress (pure). This is the only place
 * that interprets the journal, so "what is left to do for this user" has one
 * definition for apply, resume and rollback alike.
 */
import type { JournalRecord, UserStep } from './journal-records.js';

export interface UserProgress {
  cloudId: string;
  /** A create was started for this DN; the object may or may not exist. */
  createStartedDn?: string;
  /** The AD object exists and is complete (password set, enabled as planned). */
  created?: { dn: string; adopted: boolean };
  objectGuid?: string;
  anchorStarted?: string;
  anchored?: { immutableId: string; outcome: string };
  managerDn?: string;
  lastFailure?: { step: UserStep; reason: string; message: string };
}

export interface RunState {
  users: Map<string, UserProgress>;
  runs: number;
  completedRuns: number;
  planFingerprints: string[];
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
      case 'create-start':
        user(record.cloudId).createStartedDn = record.dn;
        break;
      case 'created':
        user(record.cloudId).created = { dn: record.dn, adopted: record.adopted ?? false };
        break;
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
      case 'failed':
        user(record.cloudId).lastFailure = { step: record.step, reason: record.reason, message: record.message };
        break;
    }
  }
  return state;
}
