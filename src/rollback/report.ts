/**
 * rollback-report.json and rollback-report.csv in the run folder: every user
 * this run created or adopted, what rollback did to it, or why not.
 * CSV in the dialect of src/csv.ts.
 */
import { csvTable } from '../csv.js';
import type { RollbackMode } from '../journal/records.js';
import { summariseRollback, type RollbackUserOutcome } from './outcome.js';

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
  return csvTable(
    ROLLBACK_CSV_COLUMNS,
    outcomes.map((o) => [o.userPrincipalName, o.outcome, o.reason, o.message, o.cloud ?? '', o.directory ?? '', o.dn ?? '', o.objectGuid ?? '', o.immutableId ?? '', o.cloudId]),
  );
}
