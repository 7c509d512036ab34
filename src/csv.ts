/**
 * The one CSV dialect of every file entra2ad writes for people (plan.csv, report.csv,
 * rollback-report.csv, `verify --output csv`):
 *
 * - UTF-8 with a BOM: Excel otherwise reads UTF-8 as the ANSI code page.
 * - EVERY field quoted (empty ones too) and CRLF record ends: Excel and
 *   PowerShell's Import-Csv agree on quoted fields with embedded commas, quotes and
 *   line breaks (RFC 4180 section 2: CRLF, `""` for a quote inside a quoted field).
 * - Formula injection ("CSV injection", OWASP): a cell starting with `=` `+` `-` `@`,
 *   TAB or CR is prefixed with `'`, so a spreadsheet shows text instead of running a
 *   formula (owasp.org/www-community/attacks/CSV_Injection). The prefix is visible in
 *   Import-Csv; it only ever appears on such values.
 *
 * credentials.csv is the exception (`verbatimCsv*`): a password is written as is,
 * since a neutralised password is a wrong password; and resume appends to a file an
 * earlier run started, so its older bytes (no BOM, bare header, LF) stay.
 */
import { stringify } from 'csv-stringify/sync';

const FORMULA_START = /^[=+\-@\t\r]/;

/** Neutralise a cell that a spreadsheet would read as a formula. */
export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

const DIALECT = { quoted: true, quoted_empty: true, record_delimiter: 'windows' } as const;

/** Records (no header), each cell neutralised. */
export function csvRecords(rows: readonly (readonly string[])[]): string {
  return stringify(
    rows.map((row) => row.map(neutraliseFormula)),
    DIALECT,
  );
}

/** The BOM and the header record: what a file starts with. */
export function csvHeader(columns: readonly string[]): string {
  return stringify([], { ...DIALECT, bom: true, header: true, columns: [...columns] });
}

/** A whole file: BOM, header, records. */
export function csvTable(columns: readonly string[], rows: readonly (readonly string[])[]): string {
  return csvHeader(columns) + csvRecords(rows);
}

/** credentials.csv's header line (no BOM, unquoted, LF). */
export function verbatimCsvHeader(columns: readonly string[]): string {
  return stringify([[...columns]]);
}

/** One credentials.csv record: values as they are (quoted unless empty), LF. */
export function verbatimCsvRecord(values: readonly string[]): string {
  return stringify([[...values]], { quoted: true });
}
