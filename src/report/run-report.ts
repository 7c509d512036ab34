/**
 * report.json and report.csv: every user of the run, what was done, with the
 * DN, objectGUID and immutableId, or the reason it was not. No passwords.
 */
import { stringify } from 'csv-stringify/sync';
import type { UserOutcome } from '../run/outcome.js';
import { summarise } from '../run/outcome.js';
import { neutraliseFormula } from './plan-csv.js';

export interface RunReport {
  formatVersion: 1;
  tool: { name: 'entra2ad'; version: string };
  startedAt: string;
  finishedAt: string;
  tenantId: string;
  directory: string;
  targetOu: string;
  summary: ReturnType<typeof summarise>;
  users: UserOutcome[];
}

export const REPORT_CSV_COLUMNS = [
  'userPrincipalName',
  'action',
  'outcome',
  'reason',
  'message',
  'distinguishedName',
  'objectGuid',
  'immutableId',
  'manager',
  'id',
] as const;

export function reportToJson(report: RunReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export function reportToCsv(outcomes: readonly UserOutcome[]): string {
  const rows = outcomes.map((o) =>
    [o.userPrincipalName, o.action, o.outcome, o.reason, o.message, o.dn ?? '', o.objectGuid ?? '', o.immutableId ?? '', o.managerDn ?? '', o.cloudId].map(
      neutraliseFormula,
    ),
  );
  // Same dialect as plan.csv: UTF-8 with BOM (Excel), every field quoted, CRLF (Import-Csv and Excel both read it).
  return stringify(rows, { bom: true, header: true, columns: [...REPORT_CSV_COLUMNS], quoted: true, quoted_empty: true, record_delimiter: 'windows' });
}
