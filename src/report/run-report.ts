/**
 * report.json and report.csv: every user of the run, what was done, with the
 * DN, objectGUID and immutableId, or the reason it was not. No passwords.
 */
import type { UserOutcome } from '../apply/outcome.js';
import { summariseApply } from '../apply/outcome.js';
import { csvTable } from '../csv.js';

/** What apply's report.json and rollback's rollback-report.json (src/rollback/report.ts) both hold. */
export interface RunReportHead {
  formatVersion: 1;
  tool: { name: 'entra2ad'; version: string };
  startedAt: string;
  finishedAt: string;
  tenantId: string;
  /** The directory the run wrote to (apply: the plan's domain DN; rollback: the DC's URL, when it connected to one). */
  directory: string;
  targetOu: string;
}

export interface RunReport extends RunReportHead {
  summary: ReturnType<typeof summariseApply>;
  /** Run-level warnings (e.g. WARN_INSECURE_TLS); absent when there were none. */
  warnings?: string[];
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

/** report.json, rollback-report.json: indented JSON and a final newline. */
export function reportToJson(report: RunReportHead): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export function reportToCsv(outcomes: readonly UserOutcome[]): string {
  return csvTable(
    REPORT_CSV_COLUMNS,
    outcomes.map((o) => [o.userPrincipalName, o.action, o.outcome, o.reason, o.message, o.dn ?? '', o.objectGuid ?? '', o.immutableId ?? '', o.managerDn ?? '', o.cloudId]),
  );
}
