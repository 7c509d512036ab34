/**
 * report.json and report.csv: every user of the run, what was done, with the
 * DN, objectGUID and immutableId, or the reason it was not. No passwords.
 */
import type { UserOutcome } from '../apply/outcome.js';
import { summariseApply } from '../apply/outcome.js';
import { csvTable } from '../csv.js';

export interface RunReport {
  formatVersion: 1;
  tool: { name: 'entra2ad'; version: string };
  startedAt: string;
  finishedAt: string;
  tenantId: string;
  directory: string;
  targetOu: string;
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

export function reportToJson(report: RunReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export function reportToCsv(outcomes: readonly UserOutcome[]): string {
  return csvTable(
    REPORT_CSV_COLUMNS,
    outcomes.map((o) => [o.userPrincipalName, o.action, o.outcome, o.reason, o.message, o.dn ?? '', o.objectGuid ?? '', o.immutableId ?? '', o.managerDn ?? '', o.cloudId]),
  );
}
