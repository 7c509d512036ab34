/**
 * verify's per-user mailbox warning: every hard or soft match of a user with an
 * Exchange Online mailbox to an AD object that lacks its addresses, or the Exchange
 * attributes the forest supports, gets WARN_MAILBOX_LOSS naming what will be lost
 * (src/verify/mailbox-loss.ts). Pure: the facts are read by the command.
 */
import type { GraphUser } from '../graph/user.js';
import type { DirectoryObject } from '../directory/types.js';
import type { ExchangeSchema } from '../exchange/attributes.js';
import type { MailboxFact } from '../exchange/mailbox-attributes.js';
import { mailboxLoss, mailboxLossWarning } from './mailbox-loss.js';
import type { VerifyResult } from './types.js';

export function withMailboxWarnings(
  result: VerifyResult,
  adObjects: readonly DirectoryObject[],
  cloudUsers: readonly GraphUser[],
  mailboxes: ReadonlyMap<string, MailboxFact>,
  schema: ExchangeSchema,
): VerifyResult {
  const byDn = new Map(adObjects.map((o) => [o.dn.toLowerCase(), o]));
  const byId = new Map(cloudUsers.map((u) => [u.id, u]));
  const predictions = result.predictions.map((p) => {
    if ((p.kind !== 'hard-match' && p.kind !== 'soft-match') || !p.cloudId || !p.adDn) return p;
    const ad = byDn.get(p.adDn.toLowerCase());
    const user = byId.get(p.cloudId);
    const fact = mailboxes.get(p.cloudId);
    if (!ad || !user || fact?.status !== 'mailbox') return p;
    const loss = mailboxLoss(user, fact, ad, schema);
    return loss ? { ...p, warnings: [...(p.warnings ?? []), mailboxLossWarning(fact.kind, ad.dn, loss)] } : p;
  });
  return { ...result, predictions };
}
