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
import { readPerUser, type PerUserBatchOptions } from './per-user-batch.js';
import type { Graph } from './graph-client.js';
import { callPermissionOf, permissionHint } from './permissions.js';

export type ReadMailboxesOptions = PerUserBatchOptions;

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
export function readMailboxes(graph: Graph, userIds: Iterable<string>, options: ReadMailboxesOptions = {}): Promise<Map<string, MailboxFact>> {
  return readPerUser<MailboxFact>(
    graph,
    userIds,
    {
      url: (id) => `/users/${encodeURIComponent(id)}/mailboxSettings?$select=userPurpose`,
      operation: 'read mailboxes',
      itemOperation: 'GET mailboxSettings',
      read: (answer) => {
        const fact = mailboxFactOf(answer.status, answer.body);
        return fact === 'retry' ? 'retry' : { value: fact };
      },
      givenUp: (error) => ({ status: 'unknown', code: error.graphCode ?? error.reason, message: error.message }),
      // A 403 is the app's missing permission: every other user would be refused the same.
      stopsAll: (answer) => answer.status === 403,
    },
    options,
  );
}
