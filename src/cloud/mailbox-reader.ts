/**
 * Which users have an Exchange Online mailbox, and of which kind:
 * `GET /users/{id}/mailboxSettings?$select=userPurpose`, 20 per `$batch`
 * (learn.microsoft.com/graph/api/user-get-mailboxsettings; permission MailboxSettings.Read).
 * userPurpose is user, linked, shared, room, equipment or others
 * (learn.microsoft.com/graph/api/resources/mailboxsettings).
 *
 * The three answers are kept apart, because they mean different things for the plan:
 * - 200: a mailbox, of that kind;
 * - 404 MailboxNotEnabledForRESTAPI (or ErrorInvalidUser / MailboxNotFound): no Exchange
 *   Online mailbox (Graph's answer for a user without one, or whose mailbox is on-premises;
 *   reported in microsoftgraph/msgraph-sdk-powershell#3531);
 * - 403 (any code): the app lacks MailboxSettings.Read. That is NOT "no mailbox": the
 *   fact is `unknown` and names the permission; after the first 403 nobody else is asked
 *   (every answer would be the same refusal).
 * Throttling and 5xx are retried as elsewhere; what stays unanswered is `unknown`.
 *
 * Only users with a `mail` value are asked: Exchange Online gives every mailbox a
 * primary SMTP address, which Graph shows as `mail` (learn.microsoft.com/graph/api/resources/user,
 * property mail), so a user without one has no mailbox to lose.
 */
import { kindOfUserPurpose } from '../exchange/recipient-values.js';
import type { MailboxFact } from '../exchange/mailbox-attributes.js';
import { MAX_BATCH_SIZE, postBatch, type BatchItemResponse } from './batch.js';
import { cloudErrorFrom, failureFromBody, type CloudError } from './errors.js';
import type { Graph } from './graph-client.js';
import { callPermissionOf, permissionHint } from './permissions.js';
import { DEFAULT_RETRY_POLICY, retryDelay, withRetry, type RetryPolicy } from './retry.js';
import { sleep } from './sleep.js';

export interface ReadMailboxesOptions {
  concurrency?: number;
  signal?: AbortSignal;
  counter?: { requests: number };
  retryPolicy?: Partial<RetryPolicy>;
}

/** 404 codes that mean "this user has no Exchange Online mailbox". */
export const NO_MAILBOX_CODES: ReadonlySet<string> = new Set(['MailboxNotEnabledForRESTAPI', 'ErrorInvalidUser', 'MailboxNotFound', 'ErrorNonExistentMailbox']);

/** The fact for one answer (pure). */
export function mailboxFactOf(status: number, body: unknown): MailboxFact | 'retry' {
  if (status >= 200 && status < 300) {
    const purpose = (body as { userPurpose?: unknown } | undefined)?.userPurpose;
    const userPurpose = typeof purpose === 'string' ? purpose : '';
    return { status: 'mailbox', userPurpose, kind: kindOfUserPurpose(userPurpose) };
  }
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  const code = typeof error?.code === 'string' ? error.code : `HTTP ${status}`;
  if (status === 404 && NO_MAILBOX_CODES.has(code)) return { status: 'none', code };
  if (status === 403) {
    const call = callPermissionOf('GET', '/users/x/mailboxSettings');
    return { status: 'unknown', code, message: `refused (${code}): ${call ? permissionHint(call) : 'MailboxSettings.Read is needed'}` };
  }
  if (status === 429 || status >= 500) return 'retry';
  return { status: 'unknown', code, message: `${code}${typeof error?.message === 'string' ? `: ${error.message}` : ''}` };
}

/** userId -> what Graph said about the mailbox. Never throws for one user's answer. */
export async function readMailboxes(graph: Graph, userIds: Iterable<string>, options: ReadMailboxesOptions = {}): Promise<Map<string, MailboxFact>> {
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.retryPolicy };
  const result = new Map<string, MailboxFact>();
  const queue = [...new Set(userIds)];
  let refused: MailboxFact | undefined;
  const workers = Array.from({ length: Math.max(1, options.concurrency ?? 4) }, async () => {
    while (queue.length > 0 && !refused) await readChunk(queue.splice(0, MAX_BATCH_SIZE));
  });
  await Promise.all(workers);
  if (refused) for (const id of queue.splice(0)) result.set(id, refused);
  return result;

  async function readChunk(ids: string[]): Promise<void> {
    let pending = ids.map((id) => ({ id, attempt: 0 }));
    while (pending.length > 0) {
      const answers = await withRetry(
        () =>
          postBatch(
            graph,
            pending.map((p, index) => ({ id: String(index), method: 'GET' as const, url: `/users/${encodeURIComponent(p.id)}/mailboxSettings?$select=userPurpose` })),
            { ...(options.signal ? { signal: options.signal } : {}), ...(options.counter ? { counter: options.counter } : {}) },
          ),
        { policy, ...(options.signal ? { signal: options.signal } : {}), context: { operation: 'read mailboxes' } },
      );
      const again: typeof pending = [];
      let wait = 0;
      pending.forEach((p, index) => {
        const answer: BatchItemResponse | undefined = answers.get(String(index));
        const attempt = p.attempt + 1;
        const fact = answer ? mailboxFactOf(answer.status, answer.body) : 'retry';
        if (fact !== 'retry') {
          result.set(p.id, fact);
          if (answer?.status === 403) refused ??= fact;
          return;
        }
        const error: CloudError = answer
          ? cloudErrorFrom(failureFromBody(answer.status, answer.body, answer.headers['retry-after']), { user: p.id, operation: 'GET mailboxSettings' })
          : cloudErrorFrom({ status: 0, code: 'NetworkError', message: 'no answer for this item in the $batch response' }, { user: p.id, operation: 'GET mailboxSettings' });
        const delay = retryDelay(error, attempt, policy);
        if (delay === undefined) {
          result.set(p.id, { status: 'unknown', code: error.graphCode ?? error.reason, message: error.message });
          return;
        }
        wait = Math.max(wait, delay);
        again.push({ id: p.id, attempt });
      });
      pending = again;
      if (pending.length > 0) await sleep(wait, options.signal);
    }
  }
}
