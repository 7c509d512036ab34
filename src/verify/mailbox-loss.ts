/**
 * What a mailbox user loses when Entra Connect matches it to an AD object: after the
 * match the AD object is the source of truth for the synced attributes, so an address
 * the object lacks is removed from the cloud mailbox ("cloud e-mail addresses that are
 * not in AD are lost": learn.microsoft.com/entra/identity/hybrid/connect/how-to-connect-install-existing-tenant,
 * "Sync of proxyAddresses"), and an object without the Exchange attributes looks like a
 * user without a mailbox to on-premises tools (an Enable-Mailbox then makes a second,
 * empty one). Only the attributes the forest's schema has are asked for: where it has
 * none, only the addresses count. Pure.
 */
import type { GraphUser } from '../graph/user.js';
import type { DirectoryObject } from '../directory/types.js';
import type { PlanWarning } from '../plan/types.js';
import type { ExchangeSchema } from '../exchange/attributes.js';
import type { MailboxFact } from '../exchange/mailbox-attributes.js';

/** The attributes a remote mailbox's AD object carries whatever the CSV says (src/exchange/mailbox-attributes.ts). */
export const REMOTE_MAILBOX_ATTRIBUTES = ['mailNickname', 'targetAddress', 'msExchRecipientTypeDetails', 'msExchRecipientDisplayType', 'msExchRemoteRecipientType'] as const;

export interface MailboxLoss {
  addresses: string[];
  attributes: string[];
}

export function mailboxLoss(
  cloud: Pick<GraphUser, 'mail' | 'proxyAddresses'>,
  fact: MailboxFact | undefined,
  ad: Pick<DirectoryObject, 'mail' | 'proxyAddresses' | 'exchange'>,
  schema: ExchangeSchema,
): MailboxLoss | null {
  if (fact?.status !== 'mailbox') return null;
  const have = new Set(ad.proxyAddresses.map((p) => p.trim().toLowerCase()));
  const addresses = (cloud.proxyAddresses ?? []).filter((p) => p.trim() !== '' && !have.has(p.trim().toLowerCase()));
  if (cloud.mail && !ad.mail) addresses.unshift(`mail ${cloud.mail}`);
  const inSchema = new Set(schema.attributes.map((a) => a.toLowerCase()));
  const held = new Set(Object.keys(ad.exchange ?? {}).map((a) => a.toLowerCase()));
  const attributes = REMOTE_MAILBOX_ATTRIBUTES.filter((a) => inSchema.has(a.toLowerCase()) && !held.has(a.toLowerCase()));
  return addresses.length || attributes.length ? { addresses, attributes } : null;
}

export function mailboxLossWarning(kind: string | null, dn: string, loss: MailboxLoss): PlanWarning {
  const parts = [
    ...(loss.addresses.length ? [`the address(es) ${loss.addresses.join(', ')} (removed from the mailbox at the match)`] : []),
    ...(loss.attributes.length ? [`the Exchange attribute(s) ${loss.attributes.join(', ')} (without them on-premises tools see no mailbox)`] : []),
  ];
  return {
    code: 'WARN_MAILBOX_LOSS',
    message: `this ${kind ?? ''}${kind ? ' ' : ''}mailbox will be matched to ${dn}, which lacks ${parts.join(' and ')}; add them to the AD object before the next sync (see the README section "Exchange Online mailboxes")`,
  };
}
