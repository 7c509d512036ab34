/**
 * What apply needs from the outside world, as small interfaces. The LDAP
 * adapter (src/directory) and the Graph adapter (src/cloud) satisfy them; apply
 * never imports ldapts or the Graph client.
 */
import type { NewUserEntry } from '../directory/types.js';

export interface FoundUser {
  dn: string;
  /** GUID string form. */
  objectGuid: string;
  /** base64 of mS-DS-ConsistencyGuid when set. */
  consistencyGuid?: string;
  /** The directory adapter always reports it; a resume finishes an unconfirmed add only when it is the add's (decide.ts decideAdd). */
  sAMAccountName?: string;
}

export interface DirectoryWriter {
  ensureOu(dn: string): Promise<void>;
  /** Adds the user disabled, sets the password, then enables it as planned (the portable sequence). */
  createUser(entry: NewUserEntry, password?: string): Promise<void>;
  /** Finishes a user whose add happened but whose password/enable steps may not have (resume). */
  finishUser(entry: NewUserEntry, password?: string): Promise<void>;
  findUserByUpn(userPrincipalName: string): Promise<FoundUser | undefined>;
  readObjectGuid(dn: string): Promise<Uint8Array>;
  setManager(dn: string, managerDn: string): Promise<void>;
  setConsistencyGuid(dn: string, bytes: Uint8Array): Promise<void>;
  /** The object's values of these attributes (GUID attributes as GUID strings); absent ones as []. */
  readValues?(dn: string, names: readonly string[]): Promise<Record<string, string[]>>;
  /** Adds values, never replaces (src/apply/stamp-pass.ts). */
  addValues?(dn: string, add: Readonly<Record<string, readonly string[]>>): Promise<void>;
}

export interface AnchorItem {
  cloudId: string;
  userPrincipalName: string;
  immutableId: string;
}

export interface AnchorResult {
  outcome: 'written' | 'already-set' | 'conflict' | 'refused' | 'failed';
  reason?: string;
  message?: string;
  /** `written`, learned by reading the user back after the answer to the write was lost. */
  confirmedByReadBack?: boolean;
}

export interface AnchorSink {
  /** Resolves when this item's write has a final outcome (batched and retried inside). */
  enqueue(item: AnchorItem): Promise<AnchorResult>;
}

/** Supplies initial passwords (random, fixed or none); injected so tests are deterministic. */
export type PasswordSource = (entry: { userPrincipalName: string; sAMAccountName: string; displayName: string | null }) => string | undefined;
