/**
 * rollback-report.json and rollback-report.csv in the run folder: every user
 * this run created or adopted, what rollback did to it, or why not.
 * Same CSV dialect as report.csv (BOM, every field quoted, CRLF).
 */
import { stringify } from 'csv-stringify/sync';
import { neutraliseFormula } from '../report/plan-csv.js';
import type { RollbackMode } from './journal-records.js';
import { summariseRollback, type RollbackUserOutcome } from './rollback-outcome.js';

export interface RollbackReport {
  formatVersion: 1;
  tool: { name: 'entra2ad'; version: string };
  mode: RollbackMode;
  startedAt: string;
  finishedAt: string;
  tenantId: string;
  /** The DC's URL, when rollback had to connect to one. */
  directory: string;
  targetOu: string;
  summary: ReturnType<typeof summariseRollback>;
  users: RollbackUserOutcome[];
}

export const ROLLBACK_CSV_COLUMNS = [
  'userPrincipalName',
  'outcome',
  'reason',
  'message',
  'cloud',
  'directory',
  'distinguishedName',
  'objectGuid',
  'immutableId',
  'id',
] as const;

export function rollbackReportToJson(report: RollbackReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export function rollbackReportToCsv(outcomes: readonly RollbackUserOutcome[]): string {
  const rows = outcomes.map((o) =>
    [o.userPrincipalName, o.outcome, o.reason, o.message, o.cloud ?? '', o.directory ?? '', o.dn ?? '', o.objectGuid ?? '', o.immutableId ?? '', o.cloudId].map(neutraliseFormula),
  );
  return stringify(rows, { bom: true, header: true, columns: [...ROLLBACK_CSV_COLUMNS], quoted: true, quoted_empty: true, record_delimiter: 'windows' });
}
