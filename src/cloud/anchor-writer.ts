/**
 * Writes `onPremisesImmutableId` to cloud users: `PATCH /users/{id}` in `$batch`
 * requests of up to 20, each user's answer read on its own.
 *
 * Rules (learn.microsoft.com/graph/throttling, learn.microsoft.com/graph/json-batching):
 * - 429 items wait for their own Retry-After (fractions of a second honoured)
 *   and go again; the adaptive limiter cuts the write rate (by at most 15 % per
 *   episode when Graph sent Retry-After, halving without: rate-limiter.ts) and,
 *   when most of a batch was refused, pauses every sender for Retry-After.
 *   Throttling is slowness, not failure: up to `maxThrottledAttempts`.
 * - 5xx items and whole batches lost to a dropped connection or timeout go again
 *   with backoff (`maxTransientAttempts`). Such items are "ambiguous": the
 *   change may have been stored and only its answer lost (a gateway's 504, a
 *   connection dropped after the backend committed). Before an ambiguous item is
 *   sent again its user is read back (`GET /users/{id}`, 20 per `$batch`): when it
 *   already holds our value the earlier send landed and the item is `written`
 *   without a second PATCH. Re-sending would be harmless (PATCH of the same value
 *   changes nothing) but costs a write from the budget and hides what happened.
 * - 500 is retried at most `maxServerErrorAttempts` times: Graph has been
 *   reported answering a duplicate onPremisesImmutableId with 500 instead of
 *   400 (github.com/microsoftgraph/microsoft-graph-docs/issues/1508), which no
 *   retry cures. Then the value is looked up (`$filter=onPremisesImmutableId eq`):
 *   held by another user -> `conflict` naming that user; held by ours -> `written`;
 *   by nobody -> `failed` with reason SERVER_ERROR.
 * - A conflict answer is checked with a GET: if the user already carries exactly
 *   our value (our own earlier, ambiguous write, or a previous run), the outcome
 *   is `already-set`, not `conflict`.
 * - Permanent answers (refusals, invalid value, 403, 404) end the item at once.
 * - Every item gets exactly one result; nothing is thrown away, not even on abort.
 *
 * `AnchorWriter` is streaming: the apply pipeline enqueues users as their AD accounts
 * are created, rollback enqueues its clears.
 */
import { MAX_BATCH_SIZE, postBatch, type BatchItemRequest, type BatchItemResponse } from './batch.js';
import { withPermissionNamed } from './permissions.js';
import { CloudError, classifyFailure, cloudErrorFrom, failureFromBody, translateGraphError, type CloudErrorReason, type GraphFailure } from './errors.js';
import type { Graph } from './graph-client.js';
import { AdaptiveRateLimiter, type RateLimiterOptions } from './rate-limiter.js';
import { graphGet } from './request.js';
import { backoffDelay, type RetryPolicy } from './retry.js';
import { encodeQueryValue } from './users-reader.js';

export interface AnchorWriteItem {
  cloudId: string;
  userPrincipalName: string;
  immutableId: string;
}

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

export interface AnchorWriterOptions {
  /** `$batch` requests in flight at once; default 4. The rate limiter bounds writes/s regardless. */
  concurrency?: number;
  /** Items per `$batch`, 1..20; default 20. */
  batchSize?: number;
  /** How long a partial batch waits for company before it is sent; default 25 ms. */
  flushDelayMs?: number;
  signal?: AbortSignal;
  /** Called once per item as soon as its outcome is final. */
  onResult?: (result: AnchorWriteResult) => void;
  /** A shared limiter, or options for this writer's own (writes per second). */
  rateLimiter?: AdaptiveRateLimiter | Partial<RateLimiterOptions>;
  retryPolicy?: Partial<AnchorRetryPolicy>;
  /** Counts HTTP requests (batches and conflict GETs). */
  counter?: { requests: number };
}

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

export interface AnchorWriterStats {
  enqueued: number;
  settled: number;
  batches: number;
  /** Item answers that were 429. */
  throttled: number;
  /** Item or batch failures that were transient (5xx, dropped, timeout). */
  transient: number;
  /** Ambiguous items read back before a re-send. */
  readBack: number;
  /** ... of which the user already held our value: a send had landed, its answer was lost. */
  landedUnseen: number;
  outcomes: Record<AnchorWriteOutcome, number>;
  rate: number;
}

interface Pending {
  item: AnchorWriteItem;
  /** What goes on the wire: the immutableId, or null to clear. */
  value: string | null;
  attempts: number;
  throttledAttempts: number;
  transientAttempts: number;
  /** Sends answered 500 (a subset of transientAttempts). */
  serverErrorAttempts: number;
  /** A send may have landed without us seeing the answer. */
  ambiguous: boolean;
  notBefore: number;
  enqueuedAt: number;
  settled: boolean;
  resolve: (result: AnchorWriteResult) => void;
}

export class AnchorWriter {
  private readonly graph: Graph;
  private readonly concurrency: number;
  private readonly batchSize: number;
  private readonly flushDelayMs: number;
  private readonly policy: AnchorRetryPolicy;
  private readonly limiter: AdaptiveRateLimiter;
  private readonly options: AnchorWriterOptions;
  private readonly ready: Pending[] = [];
  private readonly waiting: Pending[] = [];
  private inFlight = 0;
  private closing = false;
  private aborted = false;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private idleWaiters: (() => void)[] = [];
  private roomWaiters: { below: number; resolve: () => void }[] = [];
  private readonly counts: AnchorWriterStats;
  private callbackError: unknown;

  constructor(graph: Graph, options: AnchorWriterOptions = {}) {
    this.graph = graph;
    this.options = options;
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.batchSize = Math.min(MAX_BATCH_SIZE, Math.max(1, options.batchSize ?? MAX_BATCH_SIZE));
    this.flushDelayMs = Math.max(0, options.flushDelayMs ?? 25);
    this.policy = { ...ANCHOR_RETRY_DEFAULTS, ...options.retryPolicy };
    this.limiter = options.rateLimiter instanceof AdaptiveRateLimiter ? options.rateLimiter : new AdaptiveRateLimiter(options.rateLimiter ?? {});
    this.counts = { enqueued: 0, settled: 0, batches: 0, throttled: 0, transient: 0, readBack: 0, landedUnseen: 0, outcomes: { written: 0, 'already-set': 0, conflict: 0, refused: 0, failed: 0 }, rate: this.limiter.rate };
    options.signal?.addEventListener('abort', () => this.abort(), { once: true });
    if (options.signal?.aborted) this.aborted = true;
  }

  /** Queues one user; resolves with its final outcome (never rejects). */
  enqueue(item: AnchorWriteItem): Promise<AnchorWriteResult> {
    return this.add(item, item.immutableId);
  }

  /** Queues a clear (`onPremisesImmutableId: null`), e.g. for rollback. Clearing may be refused: read the outcome. */
  enqueueClear(item: { cloudId: string; userPrincipalName: string }): Promise<AnchorWriteResult> {
    return this.add({ ...item, immutableId: '' }, null);
  }

  /** Items queued or waiting for a retry (not in flight). */
  get backlog(): number {
    return this.ready.length + this.waiting.length;
  }

  get stats(): AnchorWriterStats {
    return { ...this.counts, outcomes: { ...this.counts.outcomes }, rate: this.limiter.rate };
  }

  /** Resolves when the backlog is below `count`: backpressure for producers. */
  waitForRoom(count: number): Promise<void> {
    if (this.backlog < count || this.aborted) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push({ below: count, resolve }));
  }

  /** Sends what is queued without waiting for full batches, and resolves when every item has its outcome. */
  async close(): Promise<void> {
    this.closing = true;
    this.pump();
    if (this.counts.settled !== this.counts.enqueued) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    this.clearTimer();
    // A throwing onResult must not lose other users' outcomes; it surfaces here, after all are settled.
    if (this.callbackError !== undefined) throw this.callbackError;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private add(item: AnchorWriteItem, value: string | null): Promise<AnchorWriteResult> {
    return new Promise<AnchorWriteResult>((resolve) => {
      const now = Date.now();
      const pending: Pending = { item, value, attempts: 0, throttledAttempts: 0, transientAttempts: 0, serverErrorAttempts: 0, ambiguous: false, notBefore: 0, enqueuedAt: now, settled: false, resolve };
      this.counts.enqueued++;
      if (this.aborted) {
        this.settle(pending, { outcome: 'failed', reason: 'ABORTED', message: 'aborted before it was sent' });
        return;
      }
      this.ready.push(pending);
      this.pump();
    });
  }

  private abort(): void {
    this.aborted = true;
    for (const pending of [...this.ready.splice(0), ...this.waiting.splice(0)]) {
      this.settle(pending, {
        outcome: 'failed',
        reason: 'ABORTED',
        message: pending.ambiguous ? 'aborted while waiting to re-send; an earlier send may have been applied: verify' : 'aborted before it was sent',
      });
    }
    this.clearTimer();
  }

  /** The scheduler: moves due retries forward, fills batches, respects concurrency and the rate limiter. */
  private pump(): void {
    if (this.aborted) return;
    const now = Date.now();
    for (let i = this.waiting.length - 1; i >= 0; i--) {
      const pending = this.waiting[i] as Pending;
      if (pending.notBefore <= now) {
        this.waiting.splice(i, 1);
        this.ready.unshift(pending);
      }
    }
    let wakeAt = Number.POSITIVE_INFINITY;
    while (this.inFlight < this.concurrency && this.ready.length > 0) {
      const oldest = Math.min(...this.ready.slice(0, this.batchSize).map((p) => p.enqueuedAt));
      if (this.ready.length < this.batchSize && !this.closing && now - oldest < this.flushDelayMs) {
        wakeAt = Math.min(wakeAt, oldest + this.flushDelayMs);
        break;
      }
      const want = Math.min(this.batchSize, this.ready.length);
      const delay = this.limiter.delayFor(want);
      if (delay > 0) {
        wakeAt = Math.min(wakeAt, now + delay);
        break;
      }
      const count = this.limiter.tryTake(want);
      const batch = this.ready.splice(0, count);
      this.inFlight++;
      this.counts.batches++;
      void this.send(batch)
        .catch((error: unknown) => {
          // A bug, not a Graph answer: still give every item of the batch an outcome.
          for (const pending of batch) {
            this.settle(pending, { outcome: 'failed', reason: 'GRAPH_ERROR', message: `internal error: ${error instanceof Error ? error.message : String(error)}` });
          }
        })
        .finally(() => {
          this.inFlight--;
          this.pump();
        });
    }
    for (const pending of this.waiting) wakeAt = Math.min(wakeAt, pending.notBefore);
    this.schedule(wakeAt);
    this.notifyRoom();
  }

  private schedule(at: number): void {
    if (at === Number.POSITIVE_INFINITY) {
      this.clearTimer();
      return;
    }
    if (this.timer !== undefined && this.timerAt <= at) return;
    this.clearTimer();
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Number.POSITIVE_INFINITY;
      this.pump();
    }, Math.max(1, at - Date.now()));
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
  }

  private async send(sending: Pending[]): Promise<void> {
    // Only a batch with ambiguous items waits for a read-back; the others go out in this same tick.
    const batch = sending.some((pending) => pending.ambiguous) ? await this.withoutLanded(sending) : sending;
    if (batch.length === 0) return;
    const requests: BatchItemRequest[] = batch.map((pending, index) => ({
      id: String(index + 1),
      method: 'PATCH',
      url: `/users/${encodeURIComponent(pending.item.cloudId)}`,
      body: { onPremisesImmutableId: pending.value },
    }));
    for (const pending of batch) pending.attempts++;
    let answers: Map<string, BatchItemResponse>;
    try {
      answers = await postBatch(this.graph, requests, { ...(this.options.counter ? { counter: this.options.counter } : {}) });
    } catch (raw) {
      const error = translateGraphError(raw, { operation: 'POST $batch' });
      if (error.reason === 'THROTTLED') {
        this.counts.throttled += batch.length;
        this.limiter.onThrottle(error.retryAfterMs, 1);
        for (const pending of batch) this.retryOrFail(pending, error, failureOf(error));
      } else if (error.reason === 'TRANSIENT') {
        this.counts.transient += batch.length;
        for (const pending of batch) {
          pending.ambiguous = true;
          this.retryOrFail(pending, error, failureOf(error));
        }
      } else {
        for (const pending of batch) this.settleWithError(pending, error.reason, failureOf(error));
      }
      return;
    }

    let written = 0;
    let throttleAfter: number | undefined;
    let throttled = 0;
    const conflicts: { pending: Pending; failure: GraphFailure }[] = [];
    batch.forEach((pending, index) => {
      const answer = answers.get(String(index + 1));
      if (answer === undefined) {
        // Graph answered the batch but not this item: treat like a lost response.
        this.counts.transient++;
        pending.ambiguous = true;
        const failure: GraphFailure = { status: 0, code: 'NetworkError', message: 'the $batch response had no answer for this item' };
        this.retryOrFail(pending, cloudErrorFrom(failure), failure);
        return;
      }
      if (answer.status >= 200 && answer.status < 300) {
        written++;
        this.settle(pending, { outcome: 'written' });
        return;
      }
      const failure = withPermissionNamed(failureFromBody(answer.status, answer.body, answer.headers['retry-after']), 'PATCH', requests[index]!.url);
      const reason = classifyFailure(failure);
      if (reason === 'THROTTLED') {
        this.counts.throttled++;
        throttled++;
        throttleAfter = Math.max(throttleAfter ?? 0, failure.retryAfterMs ?? 0);
        this.retryOrFail(pending, cloudErrorFrom(failure), failure);
      } else if (reason === 'TRANSIENT') {
        this.counts.transient++;
        pending.ambiguous = true;
        this.retryOrFail(pending, cloudErrorFrom(failure), failure);
      } else if (reason === 'CONFLICT' && pending.value !== null) {
        conflicts.push({ pending, failure });
      } else {
        this.settleWithError(pending, reason, failure);
      }
    });
    this.limiter.onSuccess(written);
    if (throttled > 0) this.limiter.onThrottle(throttleAfter && throttleAfter > 0 ? throttleAfter : undefined, throttled / batch.length);
    await Promise.all(conflicts.map(({ pending, failure }) => this.resolveConflict(pending, failure)));
  }

  /**
   * Reads back the ambiguous items of a batch (one `$batch` of GETs) and settles
   * those whose user already holds our value; returns the items still to send.
   * A read that fails leaves the item to be sent again: PATCH of the same value
   * is harmless, only not free.
   */
  private async withoutLanded(batch: Pending[]): Promise<Pending[]> {
    const ambiguous = batch.filter((pending) => pending.ambiguous);
    if (ambiguous.length === 0) return batch;
    this.counts.readBack += ambiguous.length;
    const current = await this.readCurrent(ambiguous);
    const landed = new Set<Pending>();
    for (const pending of ambiguous) {
      if (current.has(pending) && current.get(pending) === pending.value) landed.add(pending);
    }
    for (const pending of landed) {
      this.counts.landedUnseen++;
      this.settle(pending, { outcome: 'written', confirmedByReadBack: true, message: 'the answer to a send was lost; read back: the write had landed' });
    }
    if (landed.size > 0) this.limiter.onSuccess(landed.size);
    return batch.filter((pending) => !landed.has(pending));
  }

  /** Each item's user's onPremisesImmutableId now, for the items whose read succeeded. */
  private async readCurrent(items: Pending[]): Promise<Map<Pending, string | null>> {
    const out = new Map<Pending, string | null>();
    const requests: BatchItemRequest[] = items.map((pending, index) => ({
      id: String(index + 1),
      method: 'GET',
      url: `/users/${encodeURIComponent(pending.item.cloudId)}?$select=id,onPremisesImmutableId`,
    }));
    let answers: Map<string, BatchItemResponse>;
    try {
      answers = await postBatch(this.graph, requests, { ...(this.options.counter ? { counter: this.options.counter } : {}), context: { operation: 'read back after a lost answer' } });
    } catch {
      return out;
    }
    items.forEach((pending, index) => {
      const answer = answers.get(String(index + 1));
      if (answer === undefined || answer.status !== 200 || typeof answer.body !== 'object' || answer.body === null) return;
      const value = (answer.body as { onPremisesImmutableId?: unknown }).onPremisesImmutableId;
      out.set(pending, typeof value === 'string' ? value : null);
    });
    return out;
  }

  /**
   * After `maxServerErrorAttempts` 500s: who holds the value? Another user: the
   * 500 was Graph's answer to a duplicate (conflict, naming that user). Ours: the
   * write landed. Nobody (or the lookup failed): failed, SERVER_ERROR.
   */
  private async diagnoseServerErrors(pending: Pending, failure: GraphFailure): Promise<void> {
    const value = pending.value;
    const said = `Graph answered ${failure.status} ${failure.code ?? ''}`.trim() + ` to ${pending.serverErrorAttempts} sends ("${failure.message ?? 'no message'}")`;
    if (value === null) {
      this.settle(pending, { ...errorFields('SERVER_ERROR', failure), outcome: 'failed', message: `${said}; not retried further: quote the request-id to Microsoft support` });
      return;
    }
    let holders: { id: string; userPrincipalName?: string; onPremisesImmutableId?: string | null }[];
    try {
      const page = await graphGet<{ value?: { id: string; userPrincipalName?: string; onPremisesImmutableId?: string | null }[] }>(
        this.graph,
        `/users?$filter=${encodeQueryValue(`onPremisesImmutableId eq '${value.replace(/'/g, "''")}'`)}&$count=true&$select=id,userPrincipalName,onPremisesImmutableId`,
        // $filter on onPremisesImmutableId is an advanced query (learn.microsoft.com/graph/aad-advanced-queries).
        // Its index may lag recent writes; a holder of a duplicate usually holds it for long.
        { headers: { ConsistencyLevel: 'eventual' }, context: { user: pending.item.userPrincipalName, operation: 'look up who holds the immutableId' }, ...(this.options.counter ? { counter: this.options.counter } : {}) },
      );
      holders = (page.value ?? []).filter((user) => user.onPremisesImmutableId === value);
    } catch (error) {
      const translated = translateGraphError(error);
      this.settle(pending, {
        ...errorFields('SERVER_ERROR', failure),
        outcome: 'failed',
        message: `${said}; not retried further. Could not look up who holds ${value} (${translated.message}): check whether another user holds this onPremisesImmutableId (a duplicate has been answered with 500), else quote the request-id to Microsoft support`,
      });
      return;
    }
    const other = holders.find((user) => user.id.toLowerCase() !== pending.item.cloudId.toLowerCase());
    if (other) {
      const name = other.userPrincipalName ?? other.id;
      this.settle(pending, {
        ...errorFields('CONFLICT', failure),
        outcome: 'conflict',
        heldBy: { id: other.id, ...(other.userPrincipalName ? { userPrincipalName: other.userPrincipalName } : {}) },
        message: `${said}: another user, ${name} (${other.id}), already holds onPremisesImmutableId ${value} (Graph has been seen to answer a duplicate with 500 instead of 400). Check ${name}: which of the two is the AD account's cloud user`,
      });
    } else if (holders.length > 0) {
      this.settle(pending, { outcome: 'written', confirmedByReadBack: true, message: `${said}, yet the user holds the value: the write had landed` });
    } else {
      this.settle(pending, {
        ...errorFields('SERVER_ERROR', failure),
        outcome: 'failed',
        message: `${said}; not retried further. No other user holds ${value}: quote the request-id to Microsoft support, then re-run apply (it resumes)`,
      });
    }
  }

  /** A conflict may be our own value (an earlier send that landed): read the user and compare. */
  private async resolveConflict(pending: Pending, failure: GraphFailure): Promise<void> {
    try {
      const user = await graphGet<{ onPremisesImmutableId?: string | null }>(
        this.graph,
        `/users/${encodeURIComponent(pending.item.cloudId)}?$select=id,onPremisesImmutableId`,
        { context: { user: pending.item.userPrincipalName, operation: 'GET user after conflict' }, ...(this.options.counter ? { counter: this.options.counter } : {}) },
      );
      const current = user.onPremisesImmutableId ?? null;
      if (current === pending.value) {
        this.settle(pending, { outcome: 'already-set', message: 'the user already holds this immutableId' });
      } else {
        this.settle(pending, { ...errorFields('CONFLICT', failure), outcome: 'conflict', currentImmutableId: current });
      }
    } catch (error) {
      const translated = translateGraphError(error);
      this.settle(pending, { ...errorFields('CONFLICT', failure), outcome: 'conflict', message: `${failure.message ?? 'conflict'} (could not re-read the user: ${translated.message})` });
    }
  }

  private retryOrFail(pending: Pending, error: CloudError, failure: GraphFailure): void {
    let delay: number | undefined;
    if (error.reason === 'THROTTLED') {
      pending.throttledAttempts++;
      if (pending.throttledAttempts < this.policy.maxThrottledAttempts) delay = failure.retryAfterMs ?? backoffDelay(pending.throttledAttempts, this.policy);
    } else {
      pending.transientAttempts++;
      if (failure.status === 500) pending.serverErrorAttempts++;
      if (failure.status === 500 && pending.serverErrorAttempts >= this.policy.maxServerErrorAttempts && !this.aborted) {
        // Settles the item itself (close() waits for it like for any other).
        void this.diagnoseServerErrors(pending, failure);
        return;
      }
      if (pending.transientAttempts < this.policy.maxTransientAttempts) delay = Math.max(failure.retryAfterMs ?? 0, backoffDelay(pending.transientAttempts, this.policy));
    }
    if (delay === undefined || this.aborted) {
      const fields = errorFields(error.reason, failure);
      if (pending.ambiguous && error.reason !== 'THROTTLED') fields.message = `${fields.message ?? ''} (an earlier send may have been applied: verify)`.trim();
      this.settle(pending, { ...fields, outcome: 'failed', ...(this.aborted ? { reason: 'ABORTED' as const } : {}) });
      return;
    }
    pending.notBefore = Date.now() + delay;
    this.waiting.push(pending);
  }

  private settleWithError(pending: Pending, reason: CloudErrorReason, failure: GraphFailure): void {
    const refused = reason === 'REFUSED_SYNCED' || reason === 'REFUSED_FEDERATED' || reason === 'INVALID_VALUE';
    const conflict = reason === 'CONFLICT';
    this.settle(pending, { ...errorFields(reason, failure), outcome: refused ? 'refused' : conflict ? 'conflict' : 'failed' });
  }

  private settle(pending: Pending, fields: Omit<AnchorWriteResult, 'cloudId' | 'userPrincipalName' | 'immutableId' | 'attempts'>): void {
    if (pending.settled) return;
    pending.settled = true;
    const result: AnchorWriteResult = {
      cloudId: pending.item.cloudId,
      userPrincipalName: pending.item.userPrincipalName,
      immutableId: pending.value,
      attempts: pending.attempts,
      ...fields,
    };
    this.counts.settled++;
    this.counts.outcomes[result.outcome]++;
    try {
      this.options.onResult?.(result);
    } catch (error) {
      this.callbackError ??= error;
    }
    pending.resolve(result);
    this.notifyRoom();
    if (this.counts.settled === this.counts.enqueued) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  private notifyRoom(): void {
    if (this.roomWaiters.length === 0) return;
    const backlog = this.backlog;
    this.roomWaiters = this.roomWaiters.filter((waiter) => {
      if (backlog < waiter.below || this.aborted) {
        waiter.resolve();
        return false;
      }
      return true;
    });
  }
}

function failureOf(error: CloudError): GraphFailure {
  const failure: GraphFailure = { status: error.status, message: error.graphMessage ?? error.message };
  if (error.graphCode !== undefined) failure.code = error.graphCode;
  if (error.requestId !== undefined) failure.requestId = error.requestId;
  if (error.retryAfterMs !== undefined) failure.retryAfterMs = error.retryAfterMs;
  return failure;
}

function errorFields(reason: CloudErrorReason, failure: GraphFailure): Pick<AnchorWriteResult, 'reason' | 'graphCode' | 'message' | 'requestId'> {
  const fields: Pick<AnchorWriteResult, 'reason' | 'graphCode' | 'message' | 'requestId'> = { reason };
  if (failure.code) fields.graphCode = failure.code;
  if (failure.message) fields.message = failure.message;
  if (failure.requestId) fields.requestId = failure.requestId;
  return fields;
}
