import { describe, expect, it } from 'vitest';
import { parseExoCsv } from '../../../src/exchange/exo-csv.js';

const HEADER = '"UserPrincipalName","ExchangeGuid","ArchiveGuid","LegacyExchangeDN","RecipientTypeDetails","PrimarySmtpAddress"';
const LEGACY = '/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=0a1b2c3d4e5f-ada';
const row = (upn: string, guid = '3f2504e0-4f89-11d3-9a0c-0305e82c3301', archive = '00000000-0000-0000-0000-000000000000', type = 'UserMailbox', legacy = LEGACY): string =>
  [upn, guid, archive, legacy, type, upn].map((c) => `"${c.replace(/"/g, '""')}"`).join(',');

describe('parseExoCsv', () => {
  it('reads what Export-Csv writes: BOM, #TYPE line, quoted fields, CRLF', () => {
    const text = '\uFEFF#TYPE Selected.Microsoft.Exchange.Management.RestApiClient.EXOMailbox\r\n' + [HEADER, row('ada@contoso.test'), row('box@contoso.test', '{AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE}', '11111111-2222-3333-4444-555555555555', 'SharedMailbox')].join('\r\n') + '\r\n';
    const csv = parseExoCsv(text);
    expect(csv.problems).toEqual([]);
    expect(csv.rows.get('ada@contoso.test')).toMatchObject({ row: 3, exchangeGuid: '3f2504e0-4f89-11d3-9a0c-0305e82c3301', archiveGuid: null, kind: 'user', legacyExchangeDn: LEGACY });
    expect(csv.rows.get('box@contoso.test')).toMatchObject({ row: 4, exchangeGuid: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', archiveGuid: '11111111-2222-3333-4444-555555555555', kind: 'shared' });
  });

  it('reads a file without BOM or #TYPE, with LF line ends', () => {
    const csv = parseExoCsv([HEADER, row('ada@contoso.test')].join('\n'));
    expect(csv.problems).toEqual([]);
    expect(csv.rows.size).toBe(1);
  });

  it('refuses a file with the wrong columns as a whole, naming them', () => {
    const csv = parseExoCsv('"Name","Guid"\r\n"ada","x"\r\n');
    expect(csv.rows.size).toBe(0);
    expect(csv.problems).toHaveLength(1);
    expect(csv.problems[0]).toMatchObject({ code: 'EXO_CSV_COLUMNS', row: 1 });
    expect(csv.problems[0]!.message).toContain('UserPrincipalName, ExchangeGuid, RecipientTypeDetails');
  });

  it('reports bad rows by row and user and keeps every good row', () => {
    const text = [
      HEADER,
      row('ada@contoso.test'),
      row('bad@contoso.test', 'not-a-guid'),
      row('dup@contoso.test'),
      row('dup@contoso.test', '11111111-2222-3333-4444-555555555555'),
      row('dup@contoso.test'),
      row('=HYPERLINK("http://evil")'),
      row('formula@contoso.test', '3f2504e0-4f89-11d3-9a0c-0305e82c3301', '', '+cmd|calc'),
      row('legacy@contoso.test', '3f2504e0-4f89-11d3-9a0c-0305e82c3301', '', 'UserMailbox', 'not a dn'),
      row('bob@contoso.test'),
    ].join('\r\n');
    const csv = parseExoCsv(text);
    expect([...csv.rows.keys()].sort()).toEqual(['ada@contoso.test', 'bob@contoso.test']);
    const summary = csv.problems.map((p) => [p.code, p.row, p.user ?? null, p.field ?? null]);
    expect(summary).toEqual([
      ['EXO_CSV_BAD_GUID', 3, 'bad@contoso.test', 'ExchangeGuid'],
      ['EXO_CSV_DUPLICATE_UPN', 5, 'dup@contoso.test', 'UserPrincipalName'],
      ['EXO_CSV_DUPLICATE_UPN', 6, 'dup@contoso.test', 'UserPrincipalName'],
      ['EXO_CSV_FORMULA', 7, null, 'UserPrincipalName'],
      ['EXO_CSV_FORMULA', 8, 'formula@contoso.test', 'RecipientTypeDetails'],
      ['EXO_CSV_BAD_VALUE', 9, 'legacy@contoso.test', 'LegacyExchangeDN'],
    ]);
  });

  it('says so when the text is not CSV at all, instead of throwing', () => {
    const csv = parseExoCsv(`${HEADER}\r\n"ada@contoso.test,"unterminated\r\n`);
    expect(csv.problems[0]?.code).toBe('EXO_CSV_UNREADABLE');
  });
});
