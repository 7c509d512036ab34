/**
 * When the connection to the DC is lost: which failures mean "the connection
 * is gone" (as opposed to an answer from the DC), and how long to wait between
 * attempts to reopen it. Pure decisions; the waiting and connecting happen in
 * session.ts.
 *
 * A DC drops its connections when it restarts, and AD closes connections idle
 * for longer than MaxConnIdleTime (900 s by default,
 * learn.microsoft.com/troubleshoot/windows-server/active-directory/view-set-ldap-policy-using-ntdsutil).
 * Neither is an answer about the request in flight: the request may or may not
 * have been carried out (RFC 4511 section 5.3: after a disconnect the client
 * "may not assume" the outcome of outstanding operations).
 */
import type { DirectoryReason } from './directory-error.js';

/**
 * Failures that say nothing about the request, only that the connection (or
 * the DC behind it) is not there: reconnect and ask again.
 * TIMEOUT is one: ldapts destroys the socket when an answer is late.
 */
const CONNECTION_LOSS: ReadonlySet<DirectoryReason> = new Set(['CONNECTION_LOST', 'UNREACHABLE', 'TIMEOUT']);

/**
 * Failures of a reconnect attempt worth trying again while the DC comes back:
 * a DC that is starting refuses connections, can fail the TLS handshake and can
 * answer busy/unavailable (RFC 4511 section 4.1.9, codes 51 and 52) before it
 * serves binds. A refused bind or an untrusted certificate will not get better.
 */
const RETRY_WHILE_REOPENING: ReadonlySet<DirectoryReason> = new Set([...CONNECTION_LOSS, 'TLS_FAILED', 'BUSY', 'UNAVAILABLE']);

/** True when `reason` means the connection is gone rather than the DC answering. */
export function isConnectionLoss(reason: DirectoryReason): boolean {
  return CONNECTION_LOSS.has(reason);
}

/** True when a failed reopen is worth another attempt (until the outage limit). */
export function isRetryableWhileReopening(reason: DirectoryReason): boolean {
  return RETRY_WHILE_REOPENING.has(reason);
}

export interface BackoffPolicy {
  /** Wait after the first failed attempt. */
  initialMs: number;
  /** Each further wait is the previous one times this. */
  factor: number;
  /** No wait is longer than this. */
  maxMs: number;
}

/**
 * 0.25 s, 0.5 s, 1 s, then every 2 s: a DC back after a restart of a few
 * seconds is found within 2 s of answering (measured: a 3 s stop of the lab
 * Samba DC cost 8 s with a 5 s cap, the last wait 4 s), and an attempt every
 * 2 s (a refused TCP connect) is no load on a DC that is down.
 */
export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 250, factor: 2, maxMs: 2_000 };

/** The default time a run waits for a DC that went away before it stops (apply --dc-outage-limit). */
export const DEFAULT_OUTAGE_LIMIT_MS = 300_000;

/** The wait after failed attempt number `attempt` (1 = the first). */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be a positive integer, got ${attempt}`);
  return Math.min(policy.maxMs, policy.initialMs * policy.factor ** (attempt - 1));
}

export type ReconnectStep = { action: 'wait'; ms: number } | { action: 'give-up' };

/**
 * After attempt `attempt` failed, `elapsedMs` after the connection was lost:
 * wait (never past the limit, so the last attempt happens at the limit) or
 * give up once the limit is reached.
 */
export function nextReconnectStep(attempt: number, elapsedMs: number, limitMs: number, policy: BackoffPolicy = DEFAULT_BACKOFF): ReconnectStep {
  const left = limitMs - elapsedMs;
  if (left <= 0) return { action: 'give-up' };
  return { action: 'wait', ms: Math.min(backoffDelayMs(attempt, policy), left) };
}
