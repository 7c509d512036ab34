/**
 * The write-ahead journal's record types. One JSON object per line, appended,
 * never rewritten. A `*-start` record is made durable BEFORE the step it names
 * runs; the matching done record after. On resume a start without its done
 * means "this step may or may not have happened": the step is made idempotent
 * (look before you write) rather than trusted or blindly repeated.
 */

export type JournalRecord =
  | { kind: 'run-start'; at: string; planFingerprint: string; toolVersion: string; pid: number }
  /**
   * A password this run made, before it went to credentials.csv and the DC: a salted
   * sha256 of it (src/journal/password-digest.ts), never the password. A resume reuses a
   * credentials.csv password only when it matches (else CREDENTIALS_UNTRUSTED).
   */
  | { kind: 'password-filed'; at: string; cloudId: string; salt: string; digest: string }
  | { kind: 'create-start'; at: string; cloudId: string; dn: string }
  | { kind: 'created'; at: string; cloudId: string; dn: string; adopted?: boolean }
  | { kind: 'guid'; at: string; cloudId: string; dn: string; objectGuid: string }
  | { kind: 'anchor-start'; at: string; cloudId: string; immutableId: string }
  | { kind: 'anchored'; at: string; cloudId: string; immutableId: string; outcome: 'written' | 'already-set' | 'not-needed' }
  | { kind: 'manager-set'; at: string; cloudId: string; managerDn: string }
  /** Exchange attributes added to an existing object (src/apply/stamp-pass.ts): names only, values are in the plan. */
  | { kind: 'exchange-stamped'; at: string; cloudId: string; dn: string; attributes: string[] }
  | { kind: 'failed'; at: string; cloudId: string; step: UserStep; reason: string; message: string }
  | { kind: 'run-end'; at: string; summary: Record<string, number> }
  // apply --clear-object-identifier (src/apply/identifier-clear.ts): start before the PATCH, done after.
  | { kind: 'identifier-clear-start'; at: string; cloudId: string; objectGuid: string }
  | { kind: 'identifier-cleared'; at: string; cloudId: string; outcome: 'cleared' | 'already-clear' }
  | { kind: 'identifier-clear-failed'; at: string; cloudId: string; reason: string; message: string }
  // entra2ad rollback (src/rollback/user.ts). Each step looks before it
  // writes (cloud value, object by GUID), so no *-start record is needed: a
  // step that ran without its record is found done on the next run.
  | { kind: 'rollback-start'; at: string; mode: RollbackMode; toolVersion: string; pid: number; directory?: string }
  /** The cloud user no longer holds the immutableId this run wrote. */
  | { kind: 'cleared'; at: string; cloudId: string; immutableId: string; outcome: 'cleared' | 'already-clear' }
  | { kind: 'deleted'; at: string; cloudId: string; dn: string; objectGuid: string; outcome: 'deleted' | 'already-absent' }
  | { kind: 'disabled'; at: string; cloudId: string; dn: string; objectGuid: string; outcome: 'disabled' | 'already-disabled' | 'already-absent'; userAccountControl?: number }
  | { kind: 'rollback-failed'; at: string; cloudId: string; step: RollbackStep; reason: string; message: string }
  | { kind: 'rollback-end'; at: string; summary: Record<string, number> };

export type UserStep = 'create' | 'guid' | 'anchor' | 'manager' | 'exchange';

/** `rollback --delete` removes the AD objects this run created; `--disable` sets ACCOUNTDISABLE on them. */
export type RollbackMode = 'delete' | 'disable';
/** `lookup`: finding the journaled object by objectGUID, before any delete or disable. */
export type RollbackStep = 'check' | 'lookup' | 'clear' | 'delete' | 'disable';

/** Distributive Omit: keeps each union member's own fields. */
export type JournalEntry = JournalRecord extends infer R ? (R extends JournalRecord ? Omit<R, 'at'> : never) : never;
