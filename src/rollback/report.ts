/**
 * rollback-report.json and rollback-report.csv in the run folder: every user
 * this run created or adopted, what rollback did to it, or why not.
 * CSV in the dialect of src/csv.ts.
 */
import { csvTable } from '../csv.js';
import type { RunReportHead } from '../report/run-report.js';
import type { RollbackMode } from '../journal/records.js';
import { summariseRollback, type RollbackUserOutcome } from './outcome.js';

/** Written by src/report/run-report.ts reportToJson, as apply's report.json. */
export interface RollbackReport extends RunReportHead {
  mode: RollbackMode;
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

export function rollbackReportToCsv(outcomes: readonly RollbackUserOutcome[]): string {
  return csvTable(
    ROLLBACK_CSV_COLUMNS,
    outcomes.map((o) => [o.userPrincipalName, o.outcome, o.reason, o.message, o.cloud ?? '', o.directory ?? '', o.dn ?? '', o.objectGuid ?? '', o.immutableId ?? '', o.cloudId]),
  );
}
