/**
 * What each Graph answer to an `onPremisesImmutableId` write means: the rules
 * alone, no I/O. The scheduler (anchor-writer.ts) sends, waits and reads back;
 * this file says what to do with what came back.
 *
 * Rules (learn.microsoft.com/graph/throttling, learn.microsoft.com/graph/json-batching,
 * learn.microsoft.com/graph/errors, learn.microsoft.com/graph/api/user-update):
 * - 2xx: written (PATCH of a value the user already holds is a 204 too).
 * - 429: throttled: wait for the item's own Retry-After (fractions of a second
 *   honoured) and go again. Throttling is slowness, not failure: up to
 *   `maxThrottledAttempts`, then failed THROTTLED.
 * - 5xx, and an item the `$batch` answer left out: transient and "ambiguous":
 *   the change may have been stored and only its answer lost (a gateway's 504,
 *   a connection dropped after the backend committed). Retried with backoff
 *   (`maxTransientAttempts`); the user is read back before the re-send, and a
 *   user already holding our value is `written`, confirmed by read-back.
 * - 500 is sent at most `maxServerErrorAttempts` times: Graph has been reported
 *   answering a duplicate onPremisesImmutableId with 500 instead of 400
 *   (github.com/microsoftgraph/microsoft-graph-docs/issues/1508), which no retry
 *   cures. Then who holds the value decides: another user -> `conflict` naming
 *   that user; ours -> `written`; nobody -> `failed` with reason SERVER_ERROR.
 * - 400 "Another object with the same value..." (details ObjectConflict) or 409:
 *   the user is read; if it already carries exactly our value (our own earlier,
 *   ambiguous write, or a previous run) the outcome is `already-set`, else
 *   `conflict` with the value it holds.
 * - Refusals of the value or the user (synced, federated domain, invalid value):
 *   `refused` at once. 403, 404 and anything else: `failed` at once.
 */
import type { BatchItemResponse } from './batch.js';
import { classifyFailure, failureFromBody, graphFailureOf, type CloudError, type CloudErrorReason, type GraphFailure } from './errors.js';
import { withPermissionNamed } from './permissions.js';
import { backoffDelay, type RetryPolicy } from './retry.js';

export type AnchorWriteOutcome = 'written' | 'already-set' | 'conflict' | 'refused' | 'failed';

export interface AnchorWriteResult {
  cloudId: string;
  userPrincipalName: string;
  /** The value we meant to write (null for a clear). */
  immutableId: string | null;
  outcome: AnchorWriteOutcome;
  /** Why it was not written: a CloudErrorReason, or ABORTED. */
  reason?: CloudErrorReason | 'ABORTED';
  graphCode?: string;
  message?: string;
  requestId?: string;
  /** Sends of this item's PATCH (1 when it went through first time). */
  attempts: number;
  /** On `conflict`: the value the user holds now, when it could be read. */
  currentImmutableId?: string | null;
  /** `written` learned by reading the user back after the answer to a send was lost. */
  confirmedByReadBack?: boolean;
  /** On `conflict` found after repeated 500s: the user who holds the value. */
  heldBy?: { id: string; userPrincipalName?: string };
}

/** A result's fields other than who it is about and how often it was sent. */
export type AnchorVerdict = Omit<AnchorWriteResult, 'cloudId' | 'userPrincipalName' | 'immutableId' | 'attempts'>;

export interface AnchorRetryPolicy extends RetryPolicy {
  /** Sends of one item answered 500 before it is diagnosed instead of retried (see the header). */
  maxServerErrorAttempts: number;
}

export const ANCHOR_RETRY_DEFAULTS: AnchorRetryPolicy = {
  maxThrottledAttempts: 50,
  maxTransientAttempts: 8,
  maxServerErrorAttempts: 3,
  baseDelayMs: 500,
  maxDelayMs: 60_000,
};

/** Throttled: the same write later. Transient: later too, but it may have landed (ambiguous). */
export type RetryCause = 'throttled' | 'transient';

/** What the writer does next with one item. */
export type AnswerStep =
  | { step: 'settle'; verdict: AnchorVerdict }
  | { step: 'retry'; cause: RetryCause; failure: GraphFailure }
  /** A conflict on a write: read the user, then `conflictVerdict`. */
  | { step: 'read-user'; failure: GraphFailure };

/** A step the writer takes at once, without reading anything first. */
export type DirectStep = Exclude<AnswerStep, { step: 'read-user' }>;

const WRITTEN: DirectStep = { step: 'settle', verdict: { outcome: 'written' } };

/** The failure of an item that the `$batch` answer did not mention (json-batching: every request is answered). */
export const MISSING_ANSWER: GraphFailure = { status: 0, code: 'NetworkError', message: 'the $batch response had no answer for this item' };

/**
 * One `$batch` item's answer to `PATCH {url}` with `{ onPremisesImmutableId: value }`
 * (`undefined`: the batch answer left it out).
 */
export function stepForItemAnswer(answer: BatchItemResponse | undefined, write: { url: string; value: string | null }): AnswerStep {
  if (answer === undefined) return { step: 'retry', cause: 'transient', failure: MISSING_ANSWER };
  if (answer.status >= 200 && answer.status < 300) return WRITTEN;
  const failure = withPermissionNamed(failureFromBody(answer.status, answer.body, answer.headers['retry-after']), 'PATCH', write.url);
  const reason = classifyFailure(failure);
  if (reason === 'THROTTLED') return { step: 'retry', cause: 'throttled', failure };
  if (reason === 'TRANSIENT') return { step: 'retry', cause: 'transient', failure };
  // A clear has no value of ours to find on the user: the conflict stands.
  if (reason === 'CONFLICT' && write.value !== null) return { step: 'read-user', failure };
  return { step: 'settle', verdict: { ...errorFields(reason, failure), outcome: outcomeOf(reason) } };
}

/** The whole `POST /$batch` failed (thrown, translated): the same step for every item in it. */
export function stepForBatchFailure(error: CloudError): DirectStep {
  const failure = graphFailureOf(error);
  if (error.reason === 'THROTTLED') return { step: 'retry', cause: 'throttled', failure };
  if (error.reason === 'TRANSIENT') return { step: 'retry', cause: 'transient', failure };
  return { step: 'settle', verdict: { ...errorFields(error.reason, failure), outcome: outcomeOf(error.reason) } };
}

/** The outcome of a final (not retried) failure. */
export function outcomeOf(reason: CloudErrorReason): 'refused' | 'conflict' | 'failed' {
  if (reason === 'REFUSED_SYNCED' || reason === 'REFUSED_FEDERATED' || reason === 'INVALID_VALUE') return 'refused';
  return reason === 'CONFLICT' ? 'conflict' : 'failed';
}

/**
 * What one batch's item answers tell the rate limiter: successes, and the share of
 * the batch throttled with the longest Retry-After among them (undefined when none
 * gave one: the limiter halves instead of cutting 15 %, rate-limiter.ts).
 */
export function limiterFeedback(steps: readonly AnswerStep[]): { written: number; throttled: number; share: number; retryAfterMs: number | undefined } {
  let written = 0;
  let throttled = 0;
  let retryAfterMs = 0;
  for (const step of steps) {
    if (step.step === 'settle' && step.verdict.outcome === 'written') written++;
    if (step.step === 'retry' && step.cause === 'throttled') {
      throttled++;
      retryAfterMs = Math.max(retryAfterMs, step.failure.retryAfterMs ?? 0);
    }
  }
  return { written, throttled, share: steps.length === 0 ? 0 : throttled / steps.length, retryAfterMs: retryAfterMs > 0 ? retryAfterMs : undefined };
}

/** An item's failed sends so far, by kind. */
export interface AttemptCounts {
  throttled: number;
  /** 5xx, dropped, timed out, left out of the answer. */
  transient: number;
  /** Answered 500 (a subset of transient). */
  serverErrors: number;
}

export type RetryDecision = { next: 'wait'; delayMs: number } | { next: 'diagnose-server-errors' } | { next: 'give-up' };

/**
 * After one more retryable failure: the new counts and whether to wait and send
 * again (Retry-After when Graph gave one: learn.microsoft.com/graph/throttling#best-practices-to-handle-throttling;
 * else backoff), find out who holds the value (the 500 cap), or give up.
 */
export function retryDecision(
  counts: Readonly<AttemptCounts>,
  cause: RetryCause,
  failure: GraphFailure,
  policy: AnchorRetryPolicy,
  random: () => number = Math.random,
): { counts: AttemptCounts; decision: RetryDecision } {
  if (cause === 'throttled') {
    const next = { ...counts, throttled: counts.throttled + 1 };
    if (next.throttled >= policy.maxThrottledAttempts) return { counts: next, decision: { next: 'give-up' } };
    return { counts: next, decision: { next: 'wait', delayMs: failure.retryAfterMs ?? backoffDelay(next.throttled, policy, random) } };
  }
  const next = { ...counts, transient: counts.transient + 1, serverErrors: counts.serverErrors + (failure.status === 500 ? 1 : 0) };
  if (failure.status === 500 && next.serverErrors >= policy.maxServerErrorAttempts) return { counts: next, decision: { next: 'diagnose-server-errors' } };
  if (next.transient >= policy.maxTransientAttempts) return { counts: next, decision: { next: 'give-up' } };
  return { counts: next, decision: { next: 'wait', delayMs: Math.max(failure.retryAfterMs ?? 0, backoffDelay(next.transient, policy, random)) } };
}

/** The verdict on an item whose retries ran out (or were cut short by an abort). */
export function gaveUpVerdict(cause: RetryCause, failure: GraphFailure, item: { ambiguous: boolean; aborted: boolean }): AnchorVerdict {
  const fields = errorFields(cause === 'throttled' ? 'THROTTLED' : 'TRANSIENT', failure);
  if (item.ambiguous && cause !== 'throttled') fields.message = `${fields.message ?? ''} (an earlier send may have been applied: verify)`.trim();
  return { ...fields, outcome: 'failed', ...(item.aborted ? { reason: 'ABORTED' as const } : {}) };
}

/** The verdict on an item the writer never got to send (again) before an abort. */
export function abortedVerdict(ambiguous: boolean): AnchorVerdict {
  return {
    outcome: 'failed',
    reason: 'ABORTED',
    message: ambiguous ? 'aborted while waiting to re-send; an earlier send may have been applied: verify' : 'aborted before it was sent',
  };
}

/**
 * A user's onPremisesImmutableId from one answer to `GET /users/{id}?$select=id,onPremisesImmutableId`:
 * the value, null when it holds none, undefined when the answer does not say (not read).
 */
export function immutableIdInAnswer(answer: BatchItemResponse | undefined): string | null | undefined {
  if (answer === undefined || answer.status !== 200 || typeof answer.body !== 'object' || answer.body === null) return undefined;
  const value = (answer.body as { onPremisesImmutableId?: unknown }).onPremisesImmutableId;
  return typeof value === 'string' ? value : null;
}

/** Read back before a re-send: the user already holds our value, so an earlier send landed unseen. */
export function landedUnseen(value: string | null, current: string | null | undefined): boolean {
  return current !== undefined && current === value;
}

export const LANDED_UNSEEN: AnchorVerdict = { outcome: 'written', confirmedByReadBack: true, message: 'the answer to a send was lost; read back: the write had landed' };

/** A conflict answer, then the user read (its current value) or not (why not). */
export function conflictVerdict(failure: GraphFailure, value: string | null, read: { current: string | null } | { error: string }): AnchorVerdict {
  if ('error' in read) return { ...errorFields('CONFLICT', failure), outcome: 'conflict', message: `${failure.message ?? 'conflict'} (could not re-read the user: ${read.error})` };
  if (read.current === value) return { outcome: 'already-set', message: 'the user already holds this immutableId' };
  return { ...errorFields('CONFLICT', failure), outcome: 'conflict', currentImmutableId: read.current };
}

export interface ListedUser {
  id: string;
  userPrincipalName?: string;
  onPremisesImmutableId?: string | null;
}

/**
 * After `maxServerErrorAttempts` 500s: who holds the value? `lookup` is the users
 * the `$filter=onPremisesImmutableId eq` listing returned, or why it failed, or
 * `clear` when the write was a clear (nothing to look up). Another user holds it:
 * the 500 was Graph's answer to a duplicate (conflict, naming that user). Ours:
 * the write landed. Nobody (or the lookup failed): failed, SERVER_ERROR.
 */
export function serverErrorVerdict(
  failure: GraphFailure,
  write: { cloudId: string; value: string | null; sends: number },
  lookup: { users: readonly ListedUser[] } | { error: string } | 'clear',
): AnchorVerdict {
  const said = `Graph answered ${failure.status} ${failure.code ?? ''}`.trim() + ` to ${write.sends} sends ("${failure.message ?? 'no message'}")`;
  const failed = (message: string): AnchorVerdict => ({ ...errorFields('SERVER_ERROR', failure), outcome: 'failed', message });
  const value = write.value;
  if (lookup === 'clear' || value === null) return failed(`${said}; not retried further: quote the request-id to Microsoft support`);
  if ('error' in lookup) {
    return failed(
      `${said}; not retried further. Could not look up who holds ${value} (${lookup.error}): check whether another user holds this onPremisesImmutableId (a duplicate has been answered with 500), else quote the request-id to Microsoft support`,
    );
  }
  // The listing is eventually consistent (an advanced query): only exact holders count.
  const holders = lookup.users.filter((user) => user.onPremisesImmutableId === value);
  const other = holders.find((user) => user.id.toLowerCase() !== write.cloudId.toLowerCase());
  if (other) {
    const name = other.userPrincipalName ?? other.id;
    return {
      ...errorFields('CONFLICT', failure),
      outcome: 'conflict',
      heldBy: { id: other.id, ...(other.userPrincipalName ? { userPrincipalName: other.userPrincipalName } : {}) },
      message: `${said}: another user, ${name} (${other.id}), already holds onPremisesImmutableId ${value} (Graph has been seen to answer a duplicate with 500 instead of 400). Check ${name}: which of the two is the AD account's cloud user`,
    };
  }
  if (holders.length > 0) return { outcome: 'written', confirmedByReadBack: true, message: `${said}, yet the user holds the value: the write had landed` };
  return failed(`${said}; not retried further. No other user holds ${value}: quote the request-id to Microsoft support, then re-run apply (it resumes)`);
}

/** A bug in the writer, not a Graph answer: every item of the batch still gets an outcome. */
export function internalErrorVerdict(error: unknown): AnchorVerdict {
  return { outcome: 'failed', reason: 'GRAPH_ERROR', message: `internal error: ${error instanceof Error ? error.message : String(error)}` };
}

function errorFields(reason: CloudErrorReason, failure: GraphFailure): Pick<AnchorWriteResult, 'reason' | 'graphCode' | 'message' | 'requestId'> {
  const fields: Pick<AnchorWriteResult, 'reason' | 'graphCode' | 'message' | 'requestId'> = { reason };
  if (failure.code) fields.graphCode = failure.code;
  if (failure.message) fields.message = failure.message;
  if (failure.requestId) fields.requestId = failure.requestId;
  return fields;
}
