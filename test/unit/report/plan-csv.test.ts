import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvRecords, neutraliseFormula, showInvisible } from '../../../src/csv.js';
import { pageRow } from '../../../src/report/html/page.js';
import { PLAN_CSV_COLUMNS, planToCsv } from '../../../src/report/plan-csv.js';
import { samplePlan } from './fixtures.js';

describe('plan.csv', () => {
  const plan = samplePlan();
  const csv = planToCsv(plan);

  it('is UTF-8 with a BOM, CRLF, every field quoted', () => {
    expect(csv.startsWith('\uFEFF"userPrincipalName","displayName",')).toBe(true);
    expect(csv.split('\r\n')[0]).toBe(`\uFEFF${PLAN_CSV_COLUMNS.map((c) => `"${c}"`).join(',')}`);
    // every record's first field is quoted (records end with CRLF)
    const records = parse(csv, { bom: true, raw: true, columns: false }) as unknown as { raw: string }[];
    for (const r of records) expect(r.raw.startsWith('"')).toBe(true);
  });

  it('parses back to the same values (commas, quotes, newlines, Unicode)', () => {
    const rows = parse(csv, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(plan.entries.length);
    rows.forEach((row, i) => {
      const e = plan.entries[i]!;
      expect(Object.keys(row)).toEqual([...PLAN_CSV_COLUMNS]);
      expect(row['userPrincipalName']).toBe(e.userPrincipalName);
      expect(row['displayName']).toBe(e.displayName ?? '');
      expect(row['action']).toBe(e.action);
      expect(row['reason']).toBe(e.reason);
      expect(row['message']).toBe(e.message);
      expect(row['sAMAccountName']).toBe(e.sAMAccountName ?? '');
      expect(row['cn']).toBe(e.cn ?? '');
      expect(row['distinguishedName']).toBe(e.dn ?? '');
      expect(row['id']).toBe(e.cloudId);
      expect(row['accountEnabled']).toBe(String(e.cloud!.accountEnabled));
    });
    const john = rows.find((r) => r['userPrincipalName'] === 'john@contoso.com')!;
    expect(john['displayName']).toBe('Smith, John "Q"\nSecond line');
    expect(john['givenName']).toBe('Smith, John');
    expect(john['surname']).toBe('Quote "Q"');
    expect(rows.find((r) => r['userPrincipalName'] === 'lukasz@contoso.com')!['displayName']).toBe('Łukasz Żółć');
  });

  it('neutralises formula injection', () => {
    const rows = parse(csv, { bom: true, columns: true }) as Record<string, string>[];
    const byUpn = (u: string) => rows.find((r) => r['userPrincipalName'] === u)!;
    expect(byUpn('lukasz@contoso.com')['department']).toBe("'=cmd|' /C calc'!A0");
    expect(byUpn('lukasz@contoso.com')['jobTitle']).toBe("'+SUM(1,2)");
    expect(byUpn('john@contoso.com')['department']).toBe("'-2+3");
    expect(byUpn('john@contoso.com')['jobTitle']).toBe("'@SUM(A1)");
    expect(byUpn('space@contoso.com')['department']).toBe("'\tTabbed");
    expect(byUpn('space@contoso.com')['jobTitle']).toBe("'\rCR");
    for (const r of rows) for (const v of Object.values(r)) expect(v).not.toMatch(/^[=+\-@\t\r]/);
    expect(neutraliseFormula('plain')).toBe('plain');
    expect(neutraliseFormula('a=b')).toBe('a=b');
  });

  it('shows NUL, other controls, bidi overrides and zero-width characters visibly; never writes a NUL', () => {
    expect(showInvisible('a\u0000b')).toBe('a\u2400b');
    expect(showInvisible('evil\u202Etxt.exe')).toBe('evil<U+202E>txt.exe');
    expect(showInvisible('zero\u200Bwidth\uFEFF')).toBe('zero<U+200B>width<U+FEFF>');
    expect(showInvisible('\u0007bell\u007F')).toBe('\u2407bell\u2421');
    expect(showInvisible('tab\tand\r\nlines')).toBe('tab\tand\r\nlines');
    const out = csvRecords([['x\u0000y', '\u202E=1+1', 'Ł\u200Dukasz']]);
    expect(out).not.toContain('\u0000');
    expect(out).toBe('"x\u2400y","<U+202E>=1+1","Ł<U+200D>ukasz"\r\n');
  });

  it('plan.html rows show them the same way (the page script never sees a NUL or an override)', () => {
    const row = pageRow(['evil\u202Etxt', 'a\u0000b', [['x\u200By', 'ok']]], 0);
    expect(row).not.toMatch(/\u202E|\u0000|\u200B/);
    expect(JSON.parse(row.trim())).toEqual(['evil<U+202E>txt', 'a\u2400b', [['x<U+200B>y', 'ok']]]);
  });
});

