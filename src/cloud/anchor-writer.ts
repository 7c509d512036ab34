/**
 * Writes `onPremisesImmutableId` to cloud users: `PATCH /users/{id}` in `$batch`
 * requests of up to 20, each user's answer read on its own. This file is the
 * scheduler and its I/O; what each answer means is anchor-answer.ts.
 *
 * Scheduling (learn.microsoft.com/graph/throttling, learn.microsoft.com/graph/json-batching):
 * - 429 items wait for their own Retry-After and go again; the adaptive limiter
 *   cuts the write rate (by at most 15 % per episode when Graph sent Retry-After,
 *   halving without: rate-limiter.ts) and, when most of a batch was refused,
 *   pauses every sender for Retry-After.
 * - 5xx items and whole batches lost to a dropped connection or timeout go again
 *   with backoff. Before such an ambiguous item is sent again its user is read
 *   back (`GET /users/{id}`, 20 per `$batch`): when it already holds our value
 *   the earlier send landed and the item is `written` without a second PATCH.
 *   Re-sending would be harmless (PATCH of the same value changes nothing) but
 *   costs a write from the budget and hides what happened.
 * - After the 500 cap the value is looked up (`$filter=onPremisesImmutableId eq`);
 *   a conflict answer is checked with a GET of the user.
 * - Every item gets exactly one result; nothing is thrown away, not even on abort.
 *
 * `AnchorWriter` is streaming: the apply pipeline enqueues users as their AD accounts
 * are created, rollback enqueues its clears.
 */
import {
  ANCHOR_RETRY_DEFAULTS,
  LANDED_UNSEEN,
  abortedVerdict,
  conflictVerdict,
  gaveUpVerdict,
  immutableIdInAnswer,
  internalErrorVerdict,
  landedUnseen,
  limiterFeedback,
  retryDecision,
  serverErrorVerdict,
  stepForBatchFailure,
  stepForItemAnswer,
  type AnchorRetryPolicy,
  type AnchorVerdict,
  type AnchorWriteOutcome,
  type AnchorWriteResult,
  type DirectStep,
  type AttemptCounts,
  type ListedUser,
  type RetryCause,
} from './anchor-answer.js';
import { MAX_BATCH_SIZE, postBatch, type BatchItemRequest, type BatchItemResponse } from './batch.js';
import { translateGraphError, type GraphFailure } from './errors.js';
import type { Graph } from './graph-client.js';
import { AdaptiveRateLimiter, type RateLimiterOptions } from './rate-limiter.js';
import { graphGet } from './request.js';
import { encodeQueryValue } from './users-reader.js';

export { ANCHOR_RETRY_DEFAULTS, type AnchorRetryPolicy, type AnchorWriteOutcome, type AnchorWriteResult } from './anchor-answer.js';

export interface AnchorWriteItem {
  cloudId: string;
  userPrincipalName: string;
  immutableId: string;
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
  failures: AttemptCounts;
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
      const pending: Pending = { item, value, attempts: 0, failures: { throttled: 0, transient: 0, serverErrors: 0 }, ambiguous: false, notBefore: 0, enqueuedAt: now, settled: false, resolve };
      this.counts.enqueued++;
      if (this.aborted) {
        this.settle(pending, abortedVerdict(false));
        return;
      }
      this.ready.push(pending);
      this.pump();
    });
  }

  private abort(): void {
    this.aborted = true;
    for (const pending of [...this.ready.splice(0), ...this.waiting.splice(0)]) {
      this.settle(pending, abortedVerdict(pending.ambiguous));
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
          for (const pending of batch) this.settle(pending, internalErrorVerdict(error));
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
      const step = stepForBatchFailure(error);
      // A whole batch refused with 429 is the budget wall: the limiter hears it once, for all of it.
      if (step.step === 'retry' && step.cause === 'throttled') this.limiter.onThrottle(error.retryAfterMs, 1);
      for (const pending of batch) this.take(pending, step);
      return;
    }

    const steps = batch.map((pending, index) => stepForItemAnswer(answers.get(String(index + 1)), { url: requests[index]!.url, value: pending.value }));
    const feedback = limiterFeedback(steps);
    const conflicts: { pending: Pending; failure: GraphFailure }[] = [];
    batch.forEach((pending, index) => {
      const step = steps[index]!;
      if (step.step === 'read-user') conflicts.push({ pending, failure: step.failure });
      else this.take(pending, step);
    });
    this.limiter.onSuccess(feedback.written);
    if (feedback.throttled > 0) this.limiter.onThrottle(feedback.retryAfterMs, feedback.share);
    await Promise.all(conflicts.map(({ pending, failure }) => this.resolveConflict(pending, failure)));
  }

  /** Settles an item, or puts it back for a retry. */
  private take(pending: Pending, step: DirectStep): void {
    if (step.step === 'settle') {
      this.settle(pending, step.verdict);
      return;
    }
    if (step.cause === 'throttled') this.counts.throttled++;
    else {
      this.counts.transient++;
      pending.ambiguous = true;
    }
    this.retryOrFail(pending, step.cause, step.failure);
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
    const landed = new Set(ambiguous.filter((pending) => landedUnseen(pending.value, current.get(pending))));
    for (const pending of landed) {
      this.counts.landedUnseen++;
      this.settle(pending, LANDED_UNSEEN);
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
      const current = immutableIdInAnswer(answers.get(String(index + 1)));
      if (current !== undefined) out.set(pending, current);
    });
    return out;
  }

  /** After `maxServerErrorAttempts` 500s: looks up who holds the value; serverErrorVerdict says what that means. */
  private async diagnoseServerErrors(pending: Pending, failure: GraphFailure): Promise<void> {
    const value = pending.value;
    const write = { cloudId: pending.item.cloudId, value, sends: pending.failures.serverErrors };
    if (value === null) {
      this.settle(pending, serverErrorVerdict(failure, write, 'clear'));
      return;
    }
    let users: ListedUser[];
    try {
      const page = await graphGet<{ value?: ListedUser[] }>(
        this.graph,
        `/users?$filter=${encodeQueryValue(`onPremisesImmutableId eq '${value.replace(/'/g, "''")}'`)}&$count=true&$select=id,userPrincipalName,onPremisesImmutableId`,
        // $filter on onPremisesImmutableId is an advanced query (learn.microsoft.com/graph/aad-advanced-queries).
        // Its index may lag recent writes; a holder of a duplicate usually holds it for long.
        { headers: { ConsistencyLevel: 'eventual' }, context: { user: pending.item.userPrincipalName, operation: 'look up who holds the immutableId' }, ...(this.options.counter ? { counter: this.options.counter } : {}) },
      );
      users = page.value ?? [];
    } catch (error) {
      this.settle(pending, serverErrorVerdict(failure, write, { error: translateGraphError(error).message }));
      return;
    }
    this.settle(pending, serverErrorVerdict(failure, write, { users }));
  }

  /** A conflict may be our own value (an earlier send that landed): read the user and compare. */
  private async resolveConflict(pending: Pending, failure: GraphFailure): Promise<void> {
    let read: { current: string | null } | { error: string };
    try {
      const user = await graphGet<{ onPremisesImmutableId?: string | null }>(
        this.graph,
        `/users/${encodeURIComponent(pending.item.cloudId)}?$select=id,onPremisesImmutableId`,
        { context: { user: pending.item.userPrincipalName, operation: 'GET user after conflict' }, ...(this.options.counter ? { counter: this.options.counter } : {}) },
      );
      read = { current: user.onPremisesImmutableId ?? null };
    } catch (error) {
      read = { error: translateGraphError(error).message };
    }
    this.settle(pending, conflictVerdict(failure, pending.value, read));
  }

  private retryOrFail(pending: Pending, cause: RetryCause, failure: GraphFailure): void {
    const { counts, decision } = retryDecision(pending.failures, cause, failure, this.policy);
    pending.failures = counts;
    if (decision.next === 'diagnose-server-errors' && !this.aborted) {
      // Settles the item itself (close() waits for it like for any other).
      void this.diagnoseServerErrors(pending, failure);
      return;
    }
    if (decision.next !== 'wait' || this.aborted) {
      this.settle(pending, gaveUpVerdict(cause, failure, { ambiguous: pending.ambiguous, aborted: this.aborted }));
      return;
    }
    pending.notBefore = Date.now() + decision.delayMs;
    this.waiting.push(pending);
  }

  private settle(pending: Pending, fields: AnchorVerdict): void {
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
