/**
 * GET /users/{id}/mailboxSettings (learn.microsoft.com/graph/api/user-get-mailboxsettings;
 * resource: learn.microsoft.com/graph/api/resources/mailboxsettings): 200 with the
 * mailboxSettings complex type (v1.0 CSDL: archiveFolder, automaticRepliesSetting,
 * dateFormat, delegateMeetingMessageDeliveryOptions, language, timeFormat, timeZone,
 * userPurpose, workingHours). userPurpose is the mailbox's kind (CSDL enum userPurpose:
 * user, linked, shared, room, equipment, others, unknownFutureValue).
 *
 * The snapshot says per user `mailboxSettings: {userPurpose, ...}`; absent or null: the
 * user has no Exchange Online mailbox, and Graph answers 404 MailboxNotEnabledForRESTAPI
 * "The mailbox is either inactive, soft-deleted, or is hosted on-premise." (the body
 * reported in microsoftgraph/msgraph-sdk-powershell#3531 and microsoftgraph/microsoft-graph-docs#5888;
 * the reference page does not show it). Unknown user: 404 Request_ResourceNotFound.
 * Permission (src/sim/permissions.ts): MailboxSettings.Read; without it 403 ErrorAccessDenied.
 */
import { GraphHttpError, resourceNotFound } from './graph-error.js';
import { ok, versionRoot, type SimContext, type SimRequest, type SimResponse } from './request.js';

export const MAILBOX_NOT_ENABLED = { code: 'MailboxNotEnabledForRESTAPI', message: 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.' } as const;

export function getMailboxSettings(req: SimRequest, ctx: SimContext, idOrUpn: string): SimResponse {
  const user = ctx.state.findUser(idOrUpn);
  if (!user) throw resourceNotFound(idOrUpn);
  const settings = user.mailboxSettings as Record<string, unknown> | null | undefined;
  if (settings === undefined || settings === null) throw new GraphHttpError(404, MAILBOX_NOT_ENABLED.code, MAILBOX_NOT_ENABLED.message);
  return ok({
    '@odata.context': `${versionRoot(ctx, req)}/$metadata#users('${user.id}')/mailboxSettings`,
    archiveFolder: null,
    timeZone: 'UTC',
    dateFormat: 'yyyy-MM-dd',
    timeFormat: 'HH:mm',
    delegateMeetingMessageDeliveryOptions: 'sendToDelegateOnly',
    ...settings,
  });
}
