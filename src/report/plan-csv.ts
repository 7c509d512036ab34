/**
 * plan.csv: one row per plan entry, for review in Excel or PowerShell.
 *
 * - UTF-8 with a BOM (Excel otherwise reads UTF-8 as the ANSI code page), CRLF
 *   record ends, EVERY field quoted (Import-Csv and Excel agree on quoted fields,
 *   embedded commas, quotes and newlines).
 * - Formula injection (CSV injection, OWASP): a cell starting with `=` `+` `-` `@`,
 *   TAB or CR is prefixed with `'`, so Excel shows text instead of running a formula.
 *   The prefix is visible in Import-Csv; it only ever appears on such values.
 */
import { stringify } from 'csv-stringify/sync';
import type { Plan, PlanEntry } from '../plan/types.js';
import { planChunks, type PlanFileFormat } from './plan-format.js';

export const PLAN_CSV_COLUMNS = [
  'userPrincipalName',
  'displayName',
  'givenName',
  'surname',
  'mail',
  'department',
  'jobTitle',
  'accountEnabled',
  'action',
  'reason',
  'message',
  'sAMAccountName',
  'cn',
  'distinguishedName',
  'id',
] as const;

export type PlanCsvColumn = (typeof PLAN_CSV_COLUMNS)[number];

const FORMULA_START = /^[=+\-@\t\r]/;

/** Neutralise a cell that a spreadsheet would read as a formula. */
export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export function planCsvRow(e: PlanEntry): Record<PlanCsvColumn, string> {
  const enabled = e.cloud?.accountEnabled;
  const row: Record<PlanCsvColumn, string> = {
    userPrincipalName: e.userPrincipalName,
    displayName: e.displayName ?? '',
    givenName: e.cloud?.givenName ?? '',
    surname: e.cloud?.surname ?? '',
    mail: e.cloud?.mail ?? '',
    department: e.cloud?.department ?? '',
    jobTitle: e.cloud?.jobTitle ?? '',
    accountEnabled: enabled === true ? 'true' : enabled === false ? 'false' : '',
    action: e.action,
    reason: e.reason,
    message: e.message,
    sAMAccountName: e.sAMAccountName ?? '',
    cn: e.cn ?? '',
    distinguishedName: e.dn ?? '',
    id: e.cloudId,
  };
  for (const k of PLAN_CSV_COLUMNS) row[k] = neutraliseFormula(row[k]);
  return row;
}

export function planToCsv(plan: Plan): string {
  return [...planCsvChunks(plan)].join('');
}

const CSV_OPTIONS = { columns: [...PLAN_CSV_COLUMNS], quoted: true, quoted_empty: true, record_delimiter: 'windows' } as const;

/** plan.csv piece by piece: the header (with the BOM) goes out with the first row. */
export const planCsvFormat: PlanFileFormat = {
  head: () => '',
  entry: (entry, index) => stringify([planCsvRow(entry)], index === 0 ? { ...CSV_OPTIONS, bom: true, header: true } : CSV_OPTIONS),
  tail: (_tail, entryCount) => (entryCount === 0 ? stringify([], { ...CSV_OPTIONS, bom: true, header: true }) : ''),
};

/** planToCsv one row at a time. */
export function planCsvChunks(plan: Plan): Generator<string> {
  return planChunks(planCsvFormat, plan);
}
