/**
 * `--output csv|md` of the commands that list users: CSV in the one dialect
 * (src/csv.ts), Markdown as a GitHub table whose cells show the text they hold.
 */
import { describe, expect, it } from 'vitest';
import { markdownCell, markdownTable } from '../../../src/markdown.js';
import { writeOutput, type Table } from '../../../src/output.js';
import { preflightTable, type PreflightResult } from '../../../src/commands/preflight.js';

describe('markdownCell', () => {
  it.each([
    ['alice@contoso.com', 'alice@contoso.com'],
    ['a|b', 'a\\|b'],
    ['CN=Doe\\, John,OU=Sales', 'CN=Doe\\\\, John,OU=Sales'],
    ['*bold* _it_ `code`', '\\*bold\\* \\_it\\_ \\`code\\`'],
    ['BLOCKED_PRIVILEGED_ROLE john_doe@x.example __init__', 'BLOCKED_PRIVILEGED_ROLE john_doe@x.example \\_\\_init\\_\\_'],
    ['<img src=x onerror=alert(1)>', '\\<img src=x onerror=alert(1)\\>'],
    ['[link](https://evil.example)', '\\[link\\](https://evil.example)'],
    ['~~gone~~ &amp;', '\\~\\~gone\\~\\~ \\&amp;'],
    ['line one\nline two\r\nthree', 'line one<br>line two<br>three'],
    ['nul\u0000 rlo\u202E', 'nul\u2400 rlo\\<U+202E\\>'],
    ['', ''],
  ])('%j -> %j', (value, cell) => {
    expect(markdownCell(value)).toBe(cell);
  });
});

describe('markdownTable', () => {
  it('header, delimiter row, one line per row, LF', () => {
    expect(markdownTable(['upn', 'reason'], [['a@x', 'HARD_MATCH'], ['b|c@x', '']])).toBe(
      '| upn | reason |\n|---|---|\n| a@x | HARD_MATCH |\n| b\\|c@x |  |\n',
    );
  });
});

describe('writeOutput', () => {
  const table: Table = { columns: ['userPrincipalName', 'message'], rows: [['=cmd@x', 'a, "b"']] };
  const run = (format: Parameters<typeof writeOutput>[0], withTable = true) => {
    let out = '';
    writeOutput(format, { data: 1 }, () => 'text', { write: (t: string) => (out += t) }, withTable ? () => table : undefined);
    return out;
  };

  it.each<[Parameters<typeof writeOutput>[0], string]>([
    ['text', 'text\n'],
    ['json', '{\n  "data": 1\n}\n'],
    ['none', ''],
    ['csv', '\uFEFF"userPrincipalName","message"\r\n"\'=cmd@x","a, ""b"""\r\n'],
    ['md', '| userPrincipalName | message |\n|---|---|\n| =cmd@x | a, "b" |\n'],
  ])('%s', (format, expected) => {
    expect(run(format)).toBe(expected);
  });

  it('csv or md from a command without rows is a bug, not output', () => {
    expect(() => run('csv', false)).toThrow(/lists no users/);
  });
});

describe('preflight --output csv|md', () => {
  const result = {
    users: [
      { cloudId: 'id-1', userPrincipalName: 'admin@contoso.com', action: 'blocked', reason: 'BLOCKED_PRIVILEGED_ROLE', message: 'holds Global Administrator', warnings: ['W1: one', 'W2: two'] },
      { cloudId: 'id-2', userPrincipalName: 'bob@contoso.com', action: 'adopt', reason: 'ADOPT_EXISTING_UPN', message: 'an AD user has this UPN' },
    ],
  } as unknown as PreflightResult;

  it('one row per user the text lists, warnings in one cell', () => {
    expect(preflightTable(result)).toEqual({
      columns: ['userPrincipalName', 'action', 'reason', 'message', 'warnings', 'cloudId'],
      rows: [
        ['admin@contoso.com', 'blocked', 'BLOCKED_PRIVILEGED_ROLE', 'holds Global Administrator', 'W1: one\nW2: two', 'id-1'],
        ['bob@contoso.com', 'adopt', 'ADOPT_EXISTING_UPN', 'an AD user has this UPN', '', 'id-2'],
      ],
    });
  });
});
