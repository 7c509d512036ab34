/**
 * The directory adapter: one bound, encrypted LDAP connection to one DC, and
 * everything entra2ad reads from and writes to AD.
 *
 * Use with `await using dir = await connect(...)`, or call `close()` in a
 * `finally`. Operations may be issued concurrently: ldapts multiplexes them on
 * the one socket (ldapts src/Client.ts: message ids, one socket per Client).
 */
import type { ClientTimeouts } from './client.js';
import { completeUser, createUser, probePasswordOnAdd, type CreateUserOptions, type CreateUserResult } from './create-user.js';
import { debug } from './debug.js';
import { ensureOu } from './ensure-ou.js';
import { findByMailOrProxy, findUserByUpn, readObjectGuid, readUser, type DirectoryEntry } from './lookup.js';
import { addValues, deleteEntry, disableUser, setConsistencyGuid, setManager } from './modify.js';
import { readRootDse, type RootDse } from './root-dse.js';
import type { Session } from './session.js';
import { readScopedSnapshot, type ReadScopedSnapshotOptions } from './scoped-snapshot.js';
import { readSnapshot, type ReadSnapshotOptions } from './snapshot.js';
import type { DirectoryObject, DirectorySnapshot, NewUserEntry } from './types.js';

export interface Directory extends AsyncDisposable {
  /** The URL connected to. */
  readonly url: string;
  /** How many times the connection was reopened (the DC restarted, dropped it, or closed it while idle): session.ts. */
  readonly reconnects: number;
  rootDse(): Promise<RootDse>;
  /** The domain naming context (rootDSE defaultNamingContext), read once. */
  domainDn(): Promise<string>;
  readSnapshot(options: ReadSnapshotOptions): Promise<DirectorySnapshot>;
  /** The snapshot of only the objects holding the scope's names or anchors (scoped-snapshot.ts): what apply's drift check and verify after apply need. */
  readScopedSnapshot(options: ReadScopedSnapshotOptions): Promise<DirectorySnapshot>;
  /** Creates the missing OUs of `dn` top-down; returns the DNs created. Idempotent. */
  ensureOu(dn: string): Promise<string[]>;
  createUser(entry: NewUserEntry, password?: string, options?: CreateUserOptions): Promise<CreateUserResult>;
  /** Sets the password and final userAccountControl of a user whose add already happened (resume after a crash). */
  completeUser(entry: NewUserEntry, password?: string): Promise<CreateUserResult>;
  /** Whether this DC sets a password sent inside the add (see CreateUserOptions.passwordOnAdd). Creates and deletes one probe user in `ou`. */
  probePasswordOnAdd(ou: string): Promise<boolean>;
  /** The 16 raw objectGUID bytes; immutableId = their base64. */
  readObjectGuid(dn: string): Promise<Buffer>;
  /** Searches the domain (or `baseDn`) for the user with this UPN. */
  findUserByUpn(upn: string, baseDn?: string): Promise<DirectoryObject | undefined>;
  /** Objects whose mail or proxyAddresses hold this SMTP address. */
  findByMailOrProxy(smtpAddress: string, baseDn?: string): Promise<DirectoryObject[]>;
  /** Sets or (null) clears `manager`. */
  setManager(dn: string, managerDn: string | null): Promise<void>;
  setConsistencyGuid(dn: string, bytes: Uint8Array): Promise<void>;
  deleteEntry(dn: string): Promise<void>;
  /** Sets ACCOUNTDISABLE; returns the new userAccountControl. */
  disableUser(dn: string): Promise<number>;
  readUser(dn: string, attributes: string[]): Promise<DirectoryEntry>;
  /** Adds values (never replaces): the Exchange stamp of an existing object. */
  addValues(dn: string, add: Readonly<Record<string, readonly string[]>>): Promise<void>;
  /** Unbinds and closes the socket. Safe to call twice. */
  close(): Promise<void>;
}

export class LdapDirectory implements Directory {
  #session: Session;
  #timeouts: ClientTimeouts;
  #rootDse: Promise<RootDse> | undefined;
  #closed = false;

  constructor(session: Session, timeouts: ClientTimeouts) {
    this.#session = session;
    this.#timeouts = timeouts;
  }

  get url(): string {
    return this.#session.transport.url;
  }

  get reconnects(): number {
    return this.#session.reconnects;
  }

  rootDse(): Promise<RootDse> {
    this.#rootDse ??= readRootDse(this.#session).catch((error: unknown) => {
      this.#rootDse = undefined;
      throw error;
    });
    return this.#rootDse;
  }

  async domainDn(): Promise<string> {
    return (await this.rootDse()).defaultNamingContext;
  }

  async readSnapshot(options: ReadSnapshotOptions): Promise<DirectorySnapshot> {
    const domainDn = options.domainDn ?? (await this.domainDn());
    return readSnapshot(this.#session, { ...options, domainDn });
  }

  async readScopedSnapshot(options: ReadScopedSnapshotOptions): Promise<DirectorySnapshot> {
    const domainDn = options.domainDn ?? (await this.domainDn());
    return readScopedSnapshot(this.#session, { ...options, domainDn });
  }

  ensureOu(dn: string): Promise<string[]> {
    return ensureOu(this.#session, dn);
  }

  createUser(entry: NewUserEntry, password?: string, options?: CreateUserOptions): Promise<CreateUserResult> {
    return createUser(this.#session, entry, password, options);
  }

  completeUser(entry: NewUserEntry, password?: string): Promise<CreateUserResult> {
    return completeUser(this.#session, entry, password);
  }

  probePasswordOnAdd(ou: string): Promise<boolean> {
    return probePasswordOnAdd(this.#session, ou, this.#timeouts);
  }

  readObjectGuid(dn: string): Promise<Buffer> {
    return readObjectGuid(this.#session, dn);
  }

  async findUserByUpn(upn: string, baseDn?: string): Promise<DirectoryObject | undefined> {
    return findUserByUpn(this.#session, baseDn ?? (await this.domainDn()), upn);
  }

  async findByMailOrProxy(smtpAddress: string, baseDn?: string): Promise<DirectoryObject[]> {
    return findByMailOrProxy(this.#session, baseDn ?? (await this.domainDn()), smtpAddress);
  }

  setManager(dn: string, managerDn: string | null): Promise<void> {
    return setManager(this.#session, dn, managerDn);
  }

  setConsistencyGuid(dn: string, bytes: Uint8Array): Promise<void> {
    return setConsistencyGuid(this.#session, dn, bytes);
  }

  deleteEntry(dn: string): Promise<void> {
    return deleteEntry(this.#session, dn);
  }

  disableUser(dn: string): Promise<number> {
    return disableUser(this.#session, dn);
  }

  readUser(dn: string, attributes: string[]): Promise<DirectoryEntry> {
    return readUser(this.#session, dn, attributes);
  }

  addValues(dn: string, add: Readonly<Record<string, readonly string[]>>): Promise<void> {
    return addValues(this.#session, dn, add);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    debug('directory: unbind %s', this.url);
    await this.#session.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
