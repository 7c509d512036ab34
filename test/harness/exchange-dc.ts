/**
 * A second lab DC whose forest has the Exchange schema extension, for the tests of a
 * forest "with Exchange" (the harness's default DC stays without it: the forest most
 * admins of a cloud-first tenant have).
 *
 * Started by the test file that needs it, not by global-setup: only those files pay
 * for a second DC on a shared machine. Samba lets the schema be changed only with
 * `dsdb:schema update allowed` (smb.conf; Samba's dsdb schema module refuses schema
 * writes otherwise), so this DC runs with it on.
 *
 * The extension (exchangeSchemaOperations) adds the attributes of
 * src/exchange/attributes.ts as Exchange's `Setup /PrepareSchema` defines them:
 * lDAPDisplayName, cn, syntax (attributeSyntax/oMSyntax, MS-ADTS 3.1.1.2.2.2),
 * single-valued, rangeUpper; the attributeID where a source was found (`oidSource`),
 * else one under 1.2.840.113556.1.8000.2554, the arc Microsoft's schema-extension
 * guidance has administrators derive their own OIDs from
 * (learn.microsoft.com/windows/win32/ad/obtaining-an-object-identifier-from-microsoft).
 * Exchange puts them on the mail-Recipient auxiliary class, which `user` includes
 * (MS-ADSC "User" systemAuxiliaryClass mailRecipient), so this does too.
 */
import { Attribute, Change, Client } from 'ldapts';
import { startSambaDc, type SambaDc } from '../../src/lab/index.js';
import { EXCHANGE_ATTRIBUTES, SYNTAX_OIDS } from '../../src/exchange/attributes.js';
import { dcInfoOfSamba, type DcInfo } from './dc-info.js';

/** Test-only OIDs: 1.2.840.113556.1.8000.2554 + a fixed tail made for these tests + the attribute's index. */
const TEST_ARC = '1.2.840.113556.1.8000.2554.47101.31415.27182';

export interface ExchangeSchemaEntry {
  dn: string;
  attributes: Record<string, string>;
}

/** The attributeSchema entries to add under `schemaDn`. Pure. */
export function exchangeSchemaEntries(schemaDn: string): ExchangeSchemaEntry[] {
  return EXCHANGE_ATTRIBUTES.map((x, i) => ({
    dn: `CN=${x.cn},${schemaDn}`,
    attributes: {
      objectClass: 'attributeSchema',
      cn: x.cn,
      lDAPDisplayName: x.name,
      adminDisplayName: x.cn,
      attributeID: x.oid ?? `${TEST_ARC}.${i + 1}`,
      attributeSyntax: SYNTAX_OIDS[x.syntax].attributeSyntax,
      oMSyntax: String(SYNTAX_OIDS[x.syntax].oMSyntax),
      isSingleValued: x.singleValued ? 'TRUE' : 'FALSE',
      ...(x.rangeUpper !== undefined ? { rangeUpper: String(x.rangeUpper) } : {}),
    },
  }));
}

/** Extends the schema of the DC at `dc` (which must allow schema updates). */
export async function extendSchemaForExchange(dc: Pick<DcInfo, 'url' | 'bindDn' | 'bindPassword' | 'caPem' | 'servername'>): Promise<void> {
  const client = new Client({ url: dc.url, tlsOptions: { ...(dc.caPem ? { ca: dc.caPem } : {}), ...(dc.servername ? { servername: dc.servername } : {}) } });
  try {
    await client.bind(dc.bindDn, dc.bindPassword);
    const { searchEntries } = await client.search('', { scope: 'base', attributes: ['schemaNamingContext'] });
    const schemaDn = String(searchEntries[0]!['schemaNamingContext']);
    for (const e of exchangeSchemaEntries(schemaDn)) await client.add(e.dn, e.attributes);
    // Make the new attributes usable before the class may contain them ([MS-ADTS] 3.1.1.3.3.14 schemaUpdateNow).
    await client.modify('', new Change({ operation: 'add', modification: new Attribute({ type: 'schemaUpdateNow', values: ['1'] }) }));
    await client.modify(
      `CN=Mail-Recipient,${schemaDn}`,
      new Change({ operation: 'add', modification: new Attribute({ type: 'mayContain', values: EXCHANGE_ATTRIBUTES.map((x) => x.name) }) }),
    );
    await client.modify('', new Change({ operation: 'add', modification: new Attribute({ type: 'schemaUpdateNow', values: ['1'] }) }));
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

/** A fresh lab DC (its own realm, so its objects never mix with the default DC's) with the Exchange schema extension. */
export async function startExchangeDc(): Promise<{ dc: SambaDc; info: DcInfo }> {
  const dc = await startSambaDc({ realm: 'EXO.EXAMPLE.TEST', domain: 'EXO', smbOptions: { 'dsdb:schema update allowed': 'yes' } });
  const info = dcInfoOfSamba(dc);
  try {
    await extendSchemaForExchange(info);
  } catch (error) {
    await dc.stop();
    throw error;
  }
  return { dc, info };
}
