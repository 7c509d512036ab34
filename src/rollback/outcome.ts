/**
 * What happened to each user in a rollback, and the exit code that follows (pure).
 */
import { ExitCode } from '../errors.js';

export type RollbackOutcomeKind =
  /** Cloud anchor cleared (or not ours to clear) and the AD object deleted/disabled, in this run. */
  | 'rolled-back'
  /** Rolled back by an earlier run: nothing to do. */
  | 'unchanged'
  /** Created by this run but left in place: something changed since apply (reason says what). Needs a person. */
  | 'skipped'
  | 'failed'
  /** Never this run's to roll back: adopted users, or a create that never happened. */
  | 'excluded';

export type RollbackCloudStep = 'cleared' | 'already-clear' | 'cleared-earlier' | 'not-written' | 'left' | 'refused' | 'failed';
export type RollbackDirectoryStep = 'deleted' | 'disabled' | 'already-absent' | 'already-disabled' | 'left';

export interface RollbackUserOutcome {
  cloudId: string;
  userPrincipalName: string;
  outcome: RollbackOutcomeKind;
  /** Stable code: ROLLED_BACK, ALREADY_ROLLED_BACK, ADOPTED_NOT_TOUCHED, IMMUTABLE_ID_CHANGED, CLEAR_REFUSED, ... */
  reason: string;
  message: string;
  dn?: string;
  objectGuid?: string;
  /** The immutableId this run wrote to the cloud user (what rollback clears). */
  immutableId?: string;
  cloud?: RollbackCloudStep;
  directory?: RollbackDirectoryStep;
}

export function summariseRollback(outcomes: readonly RollbackUserOutcome[]): Record<RollbackOutcomeKind, number> {
  const counts: Record<RollbackOutcomeKind, number> = { 'rolled-back': 0, unchanged: 0, skipped: 0, failed: 0, excluded: 0 };
  for (const o of outcomes) counts[o.outcome]++;
  return counts;
}

/**
 * 0: every user this run created is rolled back. 3: some user failed or was
 * left in place (skipped); the report says which and why. A per-user problem
 * never gives 1: a refused clear leaves that user consistent (anchor and
 * object both still there). 1 is for the run itself failing (sign-in, DC,
 * journal), which surfaces as a thrown error.
 */
export function rollbackExitCode(outcomes: readonly RollbackUserOutcome[]): ExitCode {
  const counts = summariseRollback(outcomes);
  return counts.failed + counts.skipped === 0 ? ExitCode.Ok : ExitCode.Partial;
}
