/**
 * plan.csv: one row per plan entry, for review in Excel or PowerShell, in the
 * dialect of src/csv.ts (BOM, every field quoted, CRLF, formulas neutralised).
 */
import { csvHeader, csvRecords, neutraliseFormula } from '../csv.js';
import type { Plan, PlanEntry } from '../plan/types.js';
import { planChunks, type PlanFileFormat } from '../plan/plan-format.js';

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
  // Recovery in place: the lost object's names (last, so scripts that index columns keep working).
  'oldSAMAccountName',
  'oldDistinguishedName',
  // Exchange Online mailboxes (src/exchange): the mailbox's kind, what is stamped, what this forest's schema cannot hold.
  'mailbox',
  'exchangeStamp',
  'exchangeNotInSchema',
] as const;

export type PlanCsvColumn = (typeof PLAN_CSV_COLUMNS)[number];

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
    oldSAMAccountName: e.oldSAMAccountName ?? '',
    oldDistinguishedName: e.oldDn ?? '',
    id: e.cloudId,
    mailbox: e.exchange?.mailbox ?? '',
    exchangeStamp: (e.exchange?.stamp ?? []).join(' '),
    exchangeNotInSchema: (e.exchange?.notInSchema ?? []).join(' '),
  };
  for (const k of PLAN_CSV_COLUMNS) row[k] = neutraliseFormula(row[k]);
  return row;
}

export function planToCsv(plan: Plan): string {
  return [...planCsvChunks(plan)].join('');
}

/** plan.csv piece by piece: the header (with the BOM) goes out with the first row. */
export const planCsvFormat: PlanFileFormat = {
  head: () => '',
  entry: (entry, index) => {
    const row = planCsvRow(entry);
    return (index === 0 ? csvHeader(PLAN_CSV_COLUMNS) : '') + csvRecords([PLAN_CSV_COLUMNS.map((k) => row[k])]);
  },
  tail: (_tail, entryCount) => (entryCount === 0 ? csvHeader(PLAN_CSV_COLUMNS) : ''),
};

/** planToCsv one row at a time. */
export function planCsvChunks(plan: Plan): Generator<string> {
  return planChunks(planCsvFormat, plan);
}
