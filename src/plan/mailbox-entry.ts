/**
 * What a plan entry says about the user's mailbox (pure): the Exchange attributes
 * (src/exchange/mailbox-attributes.ts) added to what is written, their warnings, and
 * plan.csv's mailbox columns. A created user gets them with its other attributes; an
 * adopted or re-run one gets them as `exchange.planned`, which apply stamps where the
 * object lacks them (src/apply/stamp-pass.ts).
 */
import type { GraphUser } from '../graph/user.js';
import { isExchangeAttribute } from '../exchange/attributes.js';
import { planMailbox } from '../exchange/mailbox-attributes.js';
import { mapAttributes } from './map-attributes.js';
import type { PlanningContext } from './planning-context.js';
import type { PlanEntryExchange, PlanWarning } from './types.js';

/** mail, proxyAddresses and the Exchange attributes: what the mailbox columns of plan.csv list. */
export function isMailAttribute(attr: string): boolean {
  return attr === 'mail' || attr === 'proxyAddresses' || isExchangeAttribute(attr);
}

/**
 * The mailbox's attributes (src/exchange/mailbox-attributes.ts) added to `attributes`
 * (the X500 of the cloud LegacyExchangeDN appended to proxyAddresses), its warnings to
 * `warnings`, and what the entry says about it (plan.csv).
 */
export function mailboxOf(planning: PlanningContext, user: GraphUser, attributes: Record<string, string | string[]>, notInSchema: readonly string[], warnings: PlanWarning[]): PlanEntryExchange {
  const fact = planning.mailboxes?.get(user.id);
  const row = planning.exchangeCsv?.rows.get(user.userPrincipalName.toLowerCase());
  const mailbox = planMailbox(user, fact, row, planning.exchangeSchema);
  Object.assign(attributes, mailbox.attributes);
  if (mailbox.extraProxyAddresses.length > 0) {
    const current = attributes['proxyAddresses'];
    attributes['proxyAddresses'] = [...(Array.isArray(current) ? current : current ? [current] : []), ...mailbox.extraProxyAddresses];
  }
  warnings.push(...mailbox.warnings);
  const missing = [...new Set([...notInSchema, ...mailbox.notInSchema])];
  if (mailbox.kind !== null && missing.length > 0)
    warnings.push({
      code: 'WARN_EXCHANGE_NOT_IN_SCHEMA',
      message:
        `the ${mailbox.kind} mailbox needs ${missing.join(', ')}, which this forest's schema does not have: only mail and proxyAddresses are written. ` +
        'Extend the schema (Exchange Setup /PrepareSchema) and re-run entra2ad to stamp them, or manage the Exchange attributes from the cloud (Exchange source of authority, Entra Connect 2.5.76 or later)',
    });
  return { mailbox: mailbox.kind, stamp: Object.keys(attributes).filter(isMailAttribute), notInSchema: missing };
}

/**
 * What an existing AD object (adopted, or created by an earlier run) should carry of
 * the user's mail attributes: `planned` (mail, proxyAddresses, the mailbox's Exchange
 * attributes) and what the entry says about the mailbox. Warnings go to `warnings`.
 */
export function plannedMailAttributes(planning: PlanningContext, user: GraphUser, warnings: PlanWarning[]): { exchange: PlanEntryExchange; planned: Record<string, string | string[]> } {
  const mapped = mapAttributes(user, { rules: planning.rules, exchangeSchema: planning.exchangeSchema, passwordMode: planning.settings.password.mode });
  const planned: Record<string, string | string[]> = {};
  for (const [attr, value] of Object.entries(mapped.attributes)) if (isMailAttribute(attr)) planned[attr] = value;
  const exchange = mailboxOf(planning, user, planned, mapped.notInSchema, warnings);
  return { exchange, planned };
}
