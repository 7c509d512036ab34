/**
 * What a user's Exchange Online mailbox needs on its AD object so that, after the
 * hard match, on-premises tools see a remote mailbox (and nobody runs Enable-Mailbox
 * to make a second, empty one), mail keeps flowing and no address is lost:
 * targetAddress, msExchRecipientTypeDetails / msExchRecipientDisplayType /
 * msExchRemoteRecipientType (recipient-values.ts), msExchMailboxGuid = the cloud
 * ExchangeGuid and msExchArchiveGuid (Exchange Team blog, "On provisioning mailboxes
 * in Exchange Online when in Hybrid": `Set-RemoteMailbox -ExchangeGuid` so the
 * mailbox can be offboarded), and `X500:<cloud LegacyExchangeDN>` among the
 * proxyAddresses (replies to old messages address it;
 * learn.microsoft.com/troubleshoot/exchange/email-delivery/imceaex-ndr).
 * mail, proxyAddresses and mailNickname come from the attribute table (map-attributes.ts).
 *
 * Only attributes the forest's schema has are returned; the others are listed in
 * `notInSchema` so the plan can say what a forest without the Exchange schema misses.
 * Pure: no I/O.
 */
import type { GraphUser } from '../graph/user.js';
import type { ExchangeSchema } from './attributes.js';
import type { ExoMailboxRow } from './exo-csv.js';
import { recipientValues, type MailboxKind } from './recipient-values.js';

/** What Graph said about the user's mailbox (src/cloud/mailbox-reader.ts). */
export type MailboxFact =
  | { status: 'mailbox'; userPurpose: string; kind: MailboxKind | null }
  /** 404 MailboxNotEnabledForRESTAPI / ErrorInvalidUser: no Exchange Online mailbox. */
  | { status: 'none'; code: string }
  /** Could not be read (403, throttled...): unknown, never taken as "no mailbox". */
  | { status: 'unknown'; code: string; message: string };

/**
 * A mailbox warning, in the shape of the plan's PlanWarning (src/plan/types.ts) so
 * the planner adds it to the entry as is; declared here so that the Exchange rules
 * do not depend on the plan that uses them.
 */
export interface MailboxWarning {
  code: string;
  field?: string;
  message: string;
}

export interface MailboxPlan {
  /** The mailbox kind used for the values, or null: no mailbox / unknown. */
  kind: MailboxKind | null;
  /** Exchange attributes to write (beside the table's mail/proxyAddresses/mailNickname). */
  attributes: Record<string, string>;
  /** proxyAddresses values to add (the X500 of the cloud LegacyExchangeDN). */
  extraProxyAddresses: string[];
  /** Attributes this mailbox needs that the forest's schema does not have. */
  notInSchema: string[];
  warnings: MailboxWarning[];
}

/** The user's `*.mail.onmicrosoft.com` address (the hybrid remote routing address), if Exchange Online gave it one. */
export function routingAddressOf(proxyAddresses: readonly string[]): string | null {
  for (const p of proxyAddresses) {
    const m = /^smtp:(.+@[^@]+\.mail\.onmicrosoft\.(com|us|de|cn))$/i.exec(p.trim());
    if (m) return m[1]!;
  }
  return null;
}

export function planMailbox(user: Pick<GraphUser, 'proxyAddresses' | 'userPrincipalName'>, fact: MailboxFact | undefined, row: ExoMailboxRow | undefined, schema: ExchangeSchema): MailboxPlan {
  const have = new Set(schema.attributes.map((a) => a.toLowerCase()));
  const out: MailboxPlan = { kind: null, attributes: {}, extraProxyAddresses: [], notInSchema: [], warnings: [] };
  const put = (attr: string, value: string): void => {
    if (have.has(attr.toLowerCase())) out.attributes[attr] = value;
    else out.notInSchema.push(attr);
  };

  let kind: MailboxKind | null = null;
  if (fact?.status === 'mailbox') {
    kind = fact.kind;
    if (kind === null)
      out.warnings.push({ code: 'WARN_MAILBOX_KIND_UNSUPPORTED', message: `the mailbox's userPurpose is "${fact.userPurpose}"; only addresses are carried over, no remote-mailbox type` });
    if (row?.kind && kind && row.kind !== kind)
      out.warnings.push({ code: 'WARN_MAILBOX_KIND_DIFFERS', message: `Graph says a ${kind} mailbox, the Exchange CSV (row ${row.row}) says ${row.recipientTypeDetails}; Graph's is used` });
  } else if (row) {
    // No answer from Graph (not read, or refused): the export is Exchange's own word.
    kind = row.kind;
    if (fact?.status === 'none')
      out.warnings.push({ code: 'WARN_MAILBOX_KIND_DIFFERS', message: `Graph says no mailbox (${fact.code}) but the Exchange CSV (row ${row.row}) lists one; the CSV is used` });
  } else if (fact?.status === 'unknown') {
    out.warnings.push({ code: 'WARN_MAILBOX_UNKNOWN', message: `whether the user has a mailbox could not be read (${fact.code}); no Exchange attribute is planned` });
  }
  out.kind = kind;
  if (kind === null && !row) return out;

  if (kind !== null) {
    const routing = routingAddressOf(user.proxyAddresses ?? []);
    if (routing) put('targetAddress', `SMTP:${routing}`);
    else
      out.warnings.push({
        code: 'WARN_NO_ROUTING_ADDRESS',
        field: 'targetAddress',
        message: 'the mailbox has no *.mail.onmicrosoft.com address to route to; add one in Exchange Online (the hybrid email address policy does), then plan again',
      });
    const values = recipientValues(kind, Boolean(row?.archiveGuid));
    put('msExchRecipientTypeDetails', values.msExchRecipientTypeDetails);
    put('msExchRecipientDisplayType', values.msExchRecipientDisplayType);
    put('msExchRemoteRecipientType', values.msExchRemoteRecipientType);
  }
  if (row) {
    put('msExchMailboxGuid', row.exchangeGuid);
    if (row.archiveGuid) put('msExchArchiveGuid', row.archiveGuid);
    if (row.legacyExchangeDn) {
      const x500 = `X500:${row.legacyExchangeDn}`;
      if (!(user.proxyAddresses ?? []).some((p) => p.trim().toLowerCase() === x500.toLowerCase())) out.extraProxyAddresses.push(x500);
    }
  } else if (kind !== null && have.has('msexchmailboxguid')) {
    out.warnings.push({
      code: 'WARN_NO_EXCHANGE_GUID',
      field: 'msExchMailboxGuid',
      message: 'no Exchange CSV row for this mailbox: msExchMailboxGuid (and the X500 of its LegacyExchangeDN) cannot be set; give --exchange-csv and re-run to stamp them',
    });
  }
  return out;
}

/** One attribute where AD already holds something else than the cloud says. */
export interface StampDifference {
  attribute: string;
  ad: string[];
  planned: string[];
}

export interface StampDecision {
  /** Attribute -> values to add (absent attributes; for proxyAddresses only the missing X500 values). */
  add: Record<string, string[]>;
  /** Set by hand (or by someone else) to another value: reported, never touched. */
  differences: StampDifference[];
  /** Cloud addresses the AD object lacks and that will be lost at the match (not added: proxyAddresses is already set). */
  lostAddresses: string[];
}

const norm = (attr: string, v: string): string => (/guid$/i.test(attr) ? v.toLowerCase() : attr.toLowerCase() === 'proxyaddresses' ? v : v.toLowerCase());

/**
 * The stamp for an AD object that exists (adopted, or made by an earlier run): add what
 * is absent, report what differs. `planned` and `existing` are attribute -> values;
 * attribute names compare case-insensitively. Pure.
 */
export function decideStamp(planned: Readonly<Record<string, string | string[]>>, existing: Readonly<Record<string, readonly string[]>>): StampDecision {
  const existingLower = new Map(Object.entries(existing).map(([k, v]) => [k.toLowerCase(), v]));
  const decision: StampDecision = { add: {}, differences: [], lostAddresses: [] };
  for (const [attr, value] of Object.entries(planned)) {
    const want = Array.isArray(value) ? value : [value];
    if (want.length === 0) continue;
    const have = existingLower.get(attr.toLowerCase()) ?? [];
    if (have.length === 0) {
      decision.add[attr] = [...want];
      continue;
    }
    if (attr.toLowerCase() === 'proxyaddresses') {
      // proxyAddresses equality ignores the SMTP:/smtp: case only for the prefix (src/directory/README.md); compare addresses case-insensitively.
      const key = (p: string): string => p.trim().toLowerCase();
      const haveKeys = new Set(have.map(key));
      const missing = want.filter((p) => !haveKeys.has(key(p)));
      const x500 = missing.filter((p) => /^x500:/i.test(p));
      if (x500.length) decision.add[attr] = x500;
      decision.lostAddresses.push(...missing.filter((p) => !/^x500:/i.test(p)));
      continue;
    }
    const haveSet = new Set(have.map((v) => norm(attr, v)));
    if (!want.every((v) => haveSet.has(norm(attr, v)))) decision.differences.push({ attribute: attr, ad: [...have], planned: [...want] });
  }
  return decision;
}
