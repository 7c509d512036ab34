/**
 * The Exchange attributes entra2ad may stamp on a user, as Microsoft's Exchange
 * schema extension defines them (lDAPDisplayName, syntax, single/multi-valued,
 * rangeUpper). They exist only in a forest prepared with `Setup /PrepareSchema`
 * (learn.microsoft.com/exchange/plan-and-deploy/prepare-ad-and-domains); the planner
 * asks the forest's schema which of them it has (src/directory/exchange-schema.ts)
 * and never writes one that is missing (AD would answer noSuchAttribute / 16).
 *
 * `mail` and `proxyAddresses` are base-schema attributes (MS-ADA2 "Proxy-Addresses",
 * MS-ADA3 "E-mail-Addresses"): every forest has them.
 *
 * Syntaxes are MS-ADTS 3.1.1.2.2.2 attributeSyntax / oMSyntax pairs. The OID is given
 * only where a source was found (`oidSource`); the test schema extension
 * (test/harness/exchange-schema.ts) uses a private test arc for the others.
 */

export type AttributeSyntax = 'unicode' | 'teletex' | 'integer' | 'largeInteger' | 'octetString';

export interface ExchangeAttribute {
  name: string;
  /** The schema object's cn, as Exchange names it. */
  cn: string;
  syntax: AttributeSyntax;
  singleValued: boolean;
  rangeUpper?: number;
  oid?: string;
  oidSource?: string;
}

/** attributeSyntax and oMSyntax per syntax, MS-ADTS 3.1.1.2.2.2 (learn.microsoft.com/openspecs/windows_protocols/ms-adts/7cda533e-d7a4-4aec-a517-91d02ff4a1aa). */
export const SYNTAX_OIDS: Readonly<Record<AttributeSyntax, { attributeSyntax: string; oMSyntax: number }>> = {
  unicode: { attributeSyntax: '2.5.5.12', oMSyntax: 64 },
  teletex: { attributeSyntax: '2.5.5.4', oMSyntax: 20 },
  integer: { attributeSyntax: '2.5.5.9', oMSyntax: 2 },
  largeInteger: { attributeSyntax: '2.5.5.16', oMSyntax: 65 },
  octetString: { attributeSyntax: '2.5.5.10', oMSyntax: 4 },
};

const a = (name: string, cn: string, syntax: AttributeSyntax, singleValued: boolean, extra: Partial<ExchangeAttribute> = {}): ExchangeAttribute => ({
  name,
  cn,
  syntax,
  singleValued,
  ...extra,
});

export const EXCHANGE_ATTRIBUTES: readonly ExchangeAttribute[] = [
  // The alias; Entra Connect's "In from AD - User Exchange" rule applies only when it is set
  // (learn.microsoft.com/troubleshoot/azure/entra/entra-id/user-prov-sync/exchange-online-attributes-not-synced, KB4042820).
  a('mailNickname', 'ms-Exch-Mail-Nickname', 'unicode', true, { rangeUpper: 64 }),
  // The remote routing address (Enable-RemoteMailbox -RemoteRoutingAddress: "the SMTP address of the mailbox in the cloud service").
  a('targetAddress', 'ms-Exch-Target-Address', 'teletex', true, { rangeUpper: 1123 }),
  a('msExchRecipientTypeDetails', 'ms-Exch-Recipient-Type-Details', 'largeInteger', true, {
    oid: '1.2.840.113556.1.4.7000.102.50855',
    oidSource: 'community: OpenChange\'s directory migration (an Exchange forest\'s schema entry, copied); no Microsoft page found',
  }),
  a('msExchRecipientDisplayType', 'ms-Exch-Recipient-Display-Type', 'integer', true, {
    oid: '1.2.840.113556.1.4.7000.102.50730',
    oidSource: 'community: OpenChange\'s directory migration (an Exchange forest\'s schema entry, copied); no Microsoft page found',
  }),
  a('msExchRemoteRecipientType', 'ms-Exch-Remote-Recipient-Type', 'largeInteger', true),
  a('msExchMailboxGuid', 'ms-Exch-Mailbox-Guid', 'octetString', true, {
    rangeUpper: 16,
    oid: '1.2.840.113556.1.4.7000.102.11058',
    oidSource: 'community: the web2ldap LDAP client\'s Exchange plugin (web2ldap.de); no Microsoft page found',
  }),
  a('msExchArchiveGuid', 'ms-Exch-Archive-Guid', 'octetString', true, { rangeUpper: 16 }),
  // Exchange's custom attributes 1-15 (Graph onPremisesExtensionAttributes).
  ...Array.from({ length: 15 }, (_, i) =>
    a(`extensionAttribute${i + 1}`, `ms-Exch-Extension-Attribute-${i + 1}`, 'unicode', true, { rangeUpper: i < 10 ? 1024 : 2048 }),
  ),
];

/** Exchange attributes holding a GUID as 16 raw bytes (the objectGUID byte order, MS-DTYP 2.3.4.2): plan.json keeps the string form. */
export const GUID_ATTRIBUTES: ReadonlySet<string> = new Set(['msexchmailboxguid', 'msexcharchiveguid']);

export const EXCHANGE_ATTRIBUTE_NAMES: readonly string[] = EXCHANGE_ATTRIBUTES.map((x) => x.name);

const byLower = new Map(EXCHANGE_ATTRIBUTES.map((x) => [x.name.toLowerCase(), x]));

/** Is this an attribute that only the Exchange schema extension defines? */
export function isExchangeAttribute(name: string): boolean {
  return byLower.has(name.toLowerCase());
}

export function isGuidAttribute(name: string): boolean {
  return GUID_ATTRIBUTES.has(name.toLowerCase());
}

/** What the forest's schema holds of the Exchange attributes (the plan records it). */
export interface ExchangeSchema {
  /** `directory`: read from the schema naming context; `settings`: planned without a DC, taken from settings.exchangeSchema. */
  source: 'directory' | 'settings';
  /** Canonical names of the Exchange attributes entra2ad may write (EXCHANGE_ATTRIBUTES order). */
  attributes: string[];
  /** settings.exchangeSchema false on a forest that has some: what the schema held (none of it is written). */
  turnedOff?: string[];
}

/** The canonical names, in table order, of those in `present` (any case). */
export function exchangeSchemaOf(source: ExchangeSchema['source'], present: Iterable<string>): ExchangeSchema {
  const have = new Set([...present].map((p) => p.toLowerCase()));
  return { source, attributes: EXCHANGE_ATTRIBUTE_NAMES.filter((n) => have.has(n.toLowerCase())) };
}

/** The schema a plan made without a directory assumes from settings.exchangeSchema. */
export function assumedExchangeSchema(exchangeSchema: boolean): ExchangeSchema {
  return exchangeSchemaOf('settings', exchangeSchema ? EXCHANGE_ATTRIBUTE_NAMES : []);
}

/**
 * What the plan stamps: the forest's own answer when the directory was read
 * (`settings.exchangeSchema: true` cannot add what the schema lacks: AD would refuse
 * the write with noSuchAttribute); `settings.exchangeSchema: false` turns stamping the
 * Exchange attributes off whatever the forest has (an override, e.g. while another
 * tool owns them). Planned without a directory, the setting is all there is (default:
 * no Exchange schema). Pure.
 */
export function effectiveExchangeSchema(read: ExchangeSchema | undefined, setting: boolean | undefined): ExchangeSchema {
  if (!read) return assumedExchangeSchema(setting ?? false);
  if (setting === false) return { source: 'settings', attributes: [], turnedOff: [...read.attributes] };
  return read;
}

/** One sentence for the plan output and README: what the forest's schema means for mailboxes. */
export function describeExchangeSchema(schema: ExchangeSchema): string {
  if (schema.turnedOff) return `Exchange schema: turned off by settings.exchangeSchema=false (the forest has ${schema.turnedOff.length} of ${EXCHANGE_ATTRIBUTE_NAMES.length} attributes); only mail and proxyAddresses are written`;
  const where = schema.source === 'directory' ? 'read from the forest\'s schema' : 'assumed from settings.exchangeSchema (no directory read)';
  if (schema.attributes.length === 0)
    return (
      `Exchange schema: none (${where}): only mail and proxyAddresses are written. Mailbox users will look like users without a mailbox to on-premises Exchange tools; ` +
      'extend the schema (Exchange Setup /PrepareSchema) and re-run entra2ad to stamp the Exchange attributes, or manage them from the cloud ' +
      '(per-mailbox Exchange source of authority, Entra Connect 2.5.76 or later)'
    );
  const missing = EXCHANGE_ATTRIBUTE_NAMES.filter((n) => !schema.attributes.includes(n));
  return `Exchange schema: ${schema.attributes.length} of ${EXCHANGE_ATTRIBUTE_NAMES.length} attributes (${where})${missing.length ? `; missing: ${missing.join(', ')}` : ''}`;
}
