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
 * - Invisible characters (NUL and other controls, bidi overrides, zero-width) are
 *   shown as visible stand-ins (showInvisible): a NUL never reaches the file.
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

/**
 * Characters a reviewer must see rather than have act on the text: C0 controls but TAB,
 * CR and LF (a NUL ends a string in many tools), DEL, C1 controls, the bidirectional
 * embeddings, overrides and isolates that reorder what is shown (Unicode UAX #9, the
 * "Trojan Source" CVE-2021-42574), zero-width characters and the BOM inside a value.
 */
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/**
 * Shows invisible characters visibly: C0 controls and DEL as their Unicode control
 * pictures (U+2400 block: NUL is ␀), the others as `<U+202E>`. Pure; the value in AD is not changed.
 */
export function showInvisible(value: string): string {
  return value.replace(INVISIBLE, (c) => {
    const code = c.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    if (code === 0x7f) return '\u2421';
    return `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
  });
}

const DIALECT = { quoted: true, quoted_empty: true, record_delimiter: 'windows' } as const;

/** Records (no header), each cell's invisible characters shown and formulas neutralised. */
export function csvRecords(rows: readonly (readonly string[])[]): string {
  return stringify(
    rows.map((row) => row.map((cell) => neutraliseFormula(showInvisible(cell)))),
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
