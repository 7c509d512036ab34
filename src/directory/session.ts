/**
 * One bound LDAP connection at a time, plus the rules that every call on it is
 * timed in the debug trail, every failure leaves as a DirectoryError, and a
 * lost connection is reopened instead of failing the work.
 *
 * Reconnecting (decisions in reconnect.ts):
 * - a call that finds its connection closed (the DC dropped it while idle, AD's
 *   MaxConnIdleTime) reopens it first, silently when the first attempt works;
 * - a call that loses its connection (DC restart, network) waits for one shared
 *   reconnect with back-off, so all work pauses while the DC is gone, and is
 *   then asked again, except where the caller said the answer must be resolved
 *   by reading (an add whose answer was lost may have happened: createUser);
 * - past the outage limit the session is dead: every call, waiting or new,
 *   fails with DC_UNAVAILABLE, so the run can stop cleanly and be resumed.
 *
 * Each reconnect opens a new ldapts Client through `open` (connect, StartTLS,
 * bind): a Client never reopens its own socket (client.ts), because ldapts
 * would do that without StartTLS and without the bind.
 */
import type { Client, Entry, SearchOptions } from 'ldapts';
import { setTimeout as sleep } from 'node:timers/promises';
import { discard, isClosed } from './client.js';
import { debug } from './debug.js';
import { DirectoryError, toDirectoryError, type ErrorSite } from './errors.js';
import type { ResolvedTransport } from './options.js';
import { DEFAULT_BACKOFF, DEFAULT_OUTAGE_LIMIT_MS, isConnectionLoss, isRetryableWhileReopening, nextReconnectStep, type BackoffPolicy } from './reconnect.js';

/** What the session tells the person running the tool while the DC is away. */
export type ConnectionEvent =
  | { kind: 'lost'; url: string; reason: string; limitMs: number }
  | { kind: 'retrying'; url: string; attempt: number; waitMs: number; downMs: number; reason: string }
  | { kind: 'restored'; url: string; downMs: number; attempts: number }
  | { kind: 'gave-up'; url: string; downMs: number; attempts: number; reason: string };

export interface SessionOptions {
  /** Opens a new connected, encrypted and bound Client (connect + StartTLS + bind). */
  open?: () => Promise<Client>;
  /** How long the DC may stay away before the session gives up (DC_UNAVAILABLE). Default 300 s. */
  outageLimitMs?: number;
  backoff?: BackoffPolicy;
  onConnectionEvent?: (event: ConnectionEvent) => void;
  /** Injected by tests. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export interface RunOptions {
  /**
   * `retry` (default): after a lost connection, reconnect and ask again; right
   * for reads and for modifies that replace (doing them twice is doing them once).
   * `throw`: reconnect, then throw the CONNECTION_LOST error so the caller can
   * find out by reading whether the request happened (an add).
   */
  onLost?: 'retry' | 'throw';
}

/** How often one call is asked again after losing its connection before its failure stands. */
const MAX_LOST_PER_CALL = 5;

export class Session {
  #client: Client;
  #generation = 0;
  #reconnecting: Promise<void> | undefined;
  #dead: DirectoryError | undefined;
  #closed = false;
  readonly #options: SessionOptions;

  constructor(
    client: Client,
    readonly transport: ResolvedTransport,
    options: SessionOptions = {},
  ) {
    this.#client = client;
    this.#options = options;
  }

  /** The current connection (it changes when the session reconnects). */
  get client(): Client {
    return this.#client;
  }

  /** How many times the connection was reopened. */
  get reconnects(): number {
    return this.#generation;
  }

  /** Runs one protocol exchange; `site` names it in the debug trail and in errors. */
  async run<T>(site: ErrorSite, exchange: (client: Client) => Promise<T>, options: RunOptions = {}): Promise<T> {
    for (let lost = 0; ; ) {
      const { client, generation } = await this.#ready(site);
      const started = performance.now();
      try {
        const result = await exchange(client);
        debug('directory: %s %s ok %dms', site.operation, site.dn ?? '', Math.round(performance.now() - started));
        return result;
      } catch (error) {
        const translated = toDirectoryError(error, site);
        debug('directory: %s %s failed %dms: %s', site.operation, site.dn ?? '', Math.round(performance.now() - started), translated.reason);
        if (!isConnectionLoss(translated.reason) || this.#closed || this.#options.open === undefined) throw translated;
        lost++;
        await this.#recover(generation, translated, site);
        if (options.onLost === 'throw' || lost >= MAX_LOST_PER_CALL) throw translated;
      }
    }
  }

  /** A search; `paged` lets the DC answer in pages (RFC 2696) so MaxPageSize (1000 on AD) never truncates. */
  async search(base: string, options: SearchOptions, site: ErrorSite): Promise<Entry[]> {
    const result = await this.run(site, (client) => client.search(base, options));
    return result.searchEntries;
  }

  /** Unbinds and stops reconnecting. */
  async close(): Promise<void> {
    this.#closed = true;
    await discard(this.#client);
  }

  /** A connection to send on: waits for a reconnect under way, reopens one the DC closed while idle. */
  async #ready(site: ErrorSite): Promise<{ client: Client; generation: number }> {
    // One silent reopen per call at most: a fresh connection that already looks closed is used as is, and fails if it is.
    for (let reopened = false; ; ) {
      if (this.#dead) throw this.#deadFor(site);
      if (this.#reconnecting) {
        await this.#reconnecting;
        continue;
      }
      if (this.#closed || this.#options.open === undefined || reopened || !isClosed(this.#client)) {
        return { client: this.#client, generation: this.#generation };
      }
      debug('directory: the connection to %s was closed (idle or dropped); reopening', this.transport.url);
      reopened = true;
      await this.#recover(this.#generation, undefined, site);
    }
  }

  /** Reopens the connection lost at `generation`, once however many calls noticed it. */
  async #recover(generation: number, cause: DirectoryError | undefined, site: ErrorSite): Promise<void> {
    if (this.#dead) throw this.#deadFor(site);
    if (generation !== this.#generation) return; // already reopened since that call was sent
    this.#reconnecting ??= this.#reconnect(cause).finally(() => {
      this.#reconnecting = undefined;
    });
    await this.#reconnecting;
  }

  async #reconnect(cause: DirectoryError | undefined): Promise<void> {
    const open = this.#options.open!;
    const now = this.#options.now ?? (() => performance.now());
    const wait = this.#options.sleep ?? ((ms: number) => sleep(ms));
    const limitMs = this.#options.outageLimitMs ?? DEFAULT_OUTAGE_LIMIT_MS;
    const notify = this.#options.onConnectionEvent ?? (() => undefined);
    const url = this.transport.url;
    const lostAt = now();
    // The connection is gone or going: no unbind round trip that may never be answered.
    (this.#client as unknown as { socket?: { destroy(): void } }).socket?.destroy();
    let announced = false;
    for (let attempt = 1; ; attempt++) {
      try {
        this.#client = await open();
        this.#generation++;
        const downMs = Math.round(now() - lostAt);
        debug('directory: reconnected to %s after %d attempt(s), %dms', url, attempt, downMs);
        if (announced) notify({ kind: 'restored', url, downMs, attempts: attempt });
        return;
      } catch (error) {
        const failure = toDirectoryError(error, { operation: 'reconnect' });
        const downMs = Math.round(now() - lostAt);
        const step = isRetryableWhileReopening(failure.reason) ? nextReconnectStep(attempt, downMs, limitMs, this.#options.backoff ?? DEFAULT_BACKOFF) : { action: 'give-up' as const };
        if (step.action === 'give-up') {
          notify({ kind: 'gave-up', url, downMs, attempts: attempt, reason: failure.reason });
          this.#dead = new DirectoryError(
            'DC_UNAVAILABLE',
            `the DC at ${url} could not be reached again for ${Math.round(downMs / 1000)} s (${attempt} attempt(s), last: ${failure.reason}: ${failure.message})`,
            { operation: 'reconnect', transient: true, cause: failure },
          );
          throw this.#dead;
        }
        if (!announced) {
          announced = true;
          notify({ kind: 'lost', url, reason: cause?.reason ?? failure.reason, limitMs });
        }
        notify({ kind: 'retrying', url, attempt, waitMs: step.ms, downMs, reason: failure.reason });
        await wait(step.ms);
      }
    }
  }

  #deadFor(site: ErrorSite): DirectoryError {
    const dead = this.#dead!;
    return new DirectoryError('DC_UNAVAILABLE', `${site.operation}${site.user ?? site.dn ? ` ${site.user ?? site.dn}` : ''}: not sent: ${dead.message}`, {
      operation: site.operation,
      ...(site.dn !== undefined ? { dn: site.dn } : {}),
      ...(site.user !== undefined ? { user: site.user } : {}),
      transient: true,
      cause: dead,
    });
  }
}
