/**
 * The Exchange Online export (`--exchange-csv FILE`): what Graph does not have about a
 * mailbox (ExchangeGuid, ArchiveGuid, LegacyExchangeDN), as
 *
 *   Get-EXOMailbox -ResultSize Unlimited |
 *     Select-Object UserPrincipalName,ExchangeGuid,ArchiveGuid,LegacyExchangeDN,RecipientTypeDetails,PrimarySmtpAddress |
 *     Export-Csv mailboxes.csv
 *
 * writes it: UTF-8 with or without BOM (PowerShell 7 / 5.1), every field quoted, CRLF,
 * and on Windows PowerShell 5.1 a first `#TYPE ...` line unless -NoTypeInformation
 * (learn.microsoft.com/powershell/module/microsoft.powershell.utility/export-csv).
 *
 * The file is untrusted input: a bad row is reported by row number and user and left
 * out; every other row still counts. Wrong columns make the whole file unusable (a
 * file-level problem) without stopping the plan.
 */
import { parse } from 'csv-parse/sync';
import { bytesToGuid, guidToBytes, isGuidString } from '../anchor/index.js';
import { kindOfRecipientTypeDetails, type MailboxKind } from './recipient-values.js';

export const EXO_CSV_COLUMNS = ['UserPrincipalName', 'ExchangeGuid', 'ArchiveGuid', 'LegacyExchangeDN', 'RecipientTypeDetails', 'PrimarySmtpAddress'] as const;
/** Columns without which a row says nothing useful. The others may be absent from the file. */
const REQUIRED = ['UserPrincipalName', 'ExchangeGuid', 'RecipientTypeDetails'] as const;

export interface ExoMailboxRow {
  /** Line number of the row in the file (1 = first line). */
  row: number;
  userPrincipalName: string;
  exchangeGuid: string;
  /** null: no archive (empty, or the all-zero GUID Get-EXOMailbox prints). */
  archiveGuid: string | null;
  legacyExchangeDn: string | null;
  kind: MailboxKind | null;
  recipientTypeDetails: string;
  primarySmtpAddress: string | null;
}

export type ExoCsvProblemCode =
  | 'EXO_CSV_UNREADABLE'
  | 'EXO_CSV_COLUMNS'
  | 'EXO_CSV_DUPLICATE_UPN'
  | 'EXO_CSV_BAD_GUID'
  | 'EXO_CSV_FORMULA'
  | 'EXO_CSV_BAD_VALUE'
  | 'EXO_CSV_UNKNOWN_USER';

export interface ExoCsvProblem {
  code: ExoCsvProblemCode;
  /** Line number in the file; absent for a file-level problem. */
  row?: number;
  user?: string;
  field?: string;
  message: string;
}

export interface ExoCsv {
  /** Usable rows by lower-case UPN. */
  rows: Map<string, ExoMailboxRow>;
  problems: ExoCsvProblem[];
}

const ZERO_GUID = '00000000-0000-0000-0000-000000000000';
/** A cell a spreadsheet would run as a formula (OWASP "CSV injection"): never a value an export holds in these columns. */
const FORMULA = /^[=+\-@\t\r]/;
const CONTROL = /[\u0000-\u001F\u007F]/;

function canonicalGuid(value: string): string | null {
  return isGuidString(value) ? bytesToGuid(guidToBytes(value)) : null;
}

/** Parse the file's text. Never throws: every problem is in `problems`. */
export function parseExoCsv(text: string): ExoCsv {
  const rows = new Map<string, ExoMailboxRow>();
  const problems: ExoCsvProblem[] = [];
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, info: true, trim: false }) as unknown as typeof records;
  } catch (error) {
    problems.push({ code: 'EXO_CSV_UNREADABLE', message: `the Exchange CSV is not valid CSV: ${error instanceof Error ? error.message : String(error)}` });
    return { rows, problems };
  }
  // Windows PowerShell 5.1 writes `#TYPE <type name>` first unless -NoTypeInformation.
  if (records[0]?.record[0]?.startsWith('#TYPE')) records = records.slice(1);
  const header = records[0]?.record.map((h) => h.trim());
  if (!header) {
    problems.push({ code: 'EXO_CSV_COLUMNS', message: 'the Exchange CSV is empty' });
    return { rows, problems };
  }
  const index = new Map(header.map((h, i) => [h.toLowerCase(), i]));
  const missing = REQUIRED.filter((c) => !index.has(c.toLowerCase()));
  if (missing.length > 0) {
    problems.push({
      code: 'EXO_CSV_COLUMNS',
      row: records[0]!.info.lines,
      message: `the Exchange CSV has no ${missing.join(', ')} column (it has: ${header.join(', ') || 'none'}); export it with Select-Object ${EXO_CSV_COLUMNS.join(',')}`,
    });
    return { rows, problems };
  }
  const duplicates = new Set<string>();
  for (const { record, info } of records.slice(1)) {
    const row = info.lines;
    const cell = (name: (typeof EXO_CSV_COLUMNS)[number]): string => {
      const i = index.get(name.toLowerCase());
      return i === undefined ? '' : (record[i] ?? '').trim();
    };
    const upn = cell('UserPrincipalName');
    const problem = (code: ExoCsvProblemCode, field: string | undefined, message: string): void => {
      problems.push({ code, row, ...(upn && !FORMULA.test(upn) ? { user: upn } : {}), ...(field ? { field } : {}), message });
    };
    const formula = EXO_CSV_COLUMNS.find((c) => FORMULA.test(cell(c)));
    if (formula) {
      problem('EXO_CSV_FORMULA', formula, `row ${row}: ${formula} starts with a spreadsheet formula character; row left out`);
      continue;
    }
    const bad = EXO_CSV_COLUMNS.find((c) => CONTROL.test(cell(c)));
    if (bad) {
      problem('EXO_CSV_BAD_VALUE', bad, `row ${row}: ${bad} contains control characters; row left out`);
      continue;
    }
    if (!upn.includes('@')) {
      problem('EXO_CSV_BAD_VALUE', 'UserPrincipalName', `row ${row}: UserPrincipalName "${upn}" is not a UPN; row left out`);
      continue;
    }
    const exchangeGuid = canonicalGuid(cell('ExchangeGuid'));
    if (exchangeGuid === null || exchangeGuid === ZERO_GUID) {
      problem('EXO_CSV_BAD_GUID', 'ExchangeGuid', `row ${row} (${upn}): ExchangeGuid "${cell('ExchangeGuid')}" is not a GUID; row left out`);
      continue;
    }
    const archiveRaw = cell('ArchiveGuid') === '' ? '' : canonicalGuid(cell('ArchiveGuid'));
    if (archiveRaw === null) {
      problem('EXO_CSV_BAD_GUID', 'ArchiveGuid', `row ${row} (${upn}): ArchiveGuid "${cell('ArchiveGuid')}" is not a GUID; row left out`);
      continue;
    }
    const legacy = cell('LegacyExchangeDN');
    // An Exchange legacy DN is an X.500 address such as /o=ExchangeLabs/ou=Exchange Administrative Group (...)/cn=Recipients/cn=...
    if (legacy !== '' && !/^\/o=[^/]+(\/(ou|cn)=[^/]+)+$/i.test(legacy)) {
      problem('EXO_CSV_BAD_VALUE', 'LegacyExchangeDN', `row ${row} (${upn}): LegacyExchangeDN "${legacy}" is not an X.500 DN (/o=.../cn=...); row left out`);
      continue;
    }
    const type = cell('RecipientTypeDetails');
    const key = upn.toLowerCase();
    if (duplicates.has(key) || rows.has(key)) {
      // Two rows for one user: which one is right is unknowable, so neither is used.
      const first = rows.get(key);
      rows.delete(key);
      duplicates.add(key);
      problem('EXO_CSV_DUPLICATE_UPN', 'UserPrincipalName', `row ${row}: ${upn} appears more than once${first ? ` (also row ${first.row})` : ''}; none of its rows is used`);
      continue;
    }
    const primary = cell('PrimarySmtpAddress');
    rows.set(key, {
      row,
      userPrincipalName: upn,
      exchangeGuid,
      archiveGuid: archiveRaw === '' || archiveRaw === ZERO_GUID ? null : archiveRaw,
      legacyExchangeDn: legacy === '' ? null : legacy,
      kind: kindOfRecipientTypeDetails(type),
      recipientTypeDetails: type,
      primarySmtpAddress: primary === '' ? null : primary,
    });
  }
  return { rows, problems };
}

/**
 * Rows whose user is not among the cloud users read are reported (EXO_CSV_UNKNOWN_USER,
 * by row and user) and left out: a row can only describe a user this run knows. Pure.
 */
export function withKnownUsers(csv: ExoCsv, knownUpns: Iterable<string>): ExoCsv {
  const known = new Set([...knownUpns].map((u) => u.toLowerCase()));
  const rows = new Map<string, ExoMailboxRow>();
  const problems = [...csv.problems];
  for (const [key, row] of csv.rows) {
    if (known.has(key)) rows.set(key, row);
    else
      problems.push({
        code: 'EXO_CSV_UNKNOWN_USER',
        row: row.row,
        user: row.userPrincipalName,
        field: 'UserPrincipalName',
        message: `row ${row.row}: ${row.userPrincipalName} is not a cloud user this run read; row left out`,
      });
  }
  problems.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  return { rows, problems };
}
