/**
 * report.html: the run for people, written with report.json and report.csv (and
 * again once apply's verify has predicted the next sync, with that prediction).
 * Outcomes as a chart, failures and the users the next sync would duplicate or
 * block grouped with their sentences, the OU tree the accounts are in, and every
 * user filtered by outcome, reason and prediction. No secret: the report holds no
 * password (those are only in credentials.csv).
 */
import type { UserOutcomeKind } from '../../apply/outcome.js';
import { PREDICTION_KINDS, type Prediction, type VerifyResult } from '../../verify/types.js';
import type { RunReport } from '../run-report.js';
import { pageEnd, pageRow, pageStart, type PageBar, type PageCell, type PageTail } from './page.js';

const OUTCOMES: readonly [UserOutcomeKind, string][] = [
  ['anchored', 'create'],
  ['unchanged', 'adopt'],
  ['failed', 'blocked'],
  ['blocked', 'warning'],
  ['skipped', 'skip'],
];
const PREDICTION_TONES: Record<string, string> = { 'hard-match': 'create', 'soft-match': 'adopt', duplicate: 'blocked', blocked: 'warning', 'not-in-scope': 'skip' };

export function reportPageRows(report: RunReport, verify?: VerifyResult): PageCell[][] {
  const byCloudId = new Map<string, Prediction>();
  for (const p of verify?.predictions ?? []) if (p.cloudId) byCloudId.set(p.cloudId, p);
  return report.users.map((o) => {
    const p = byCloudId.get(o.cloudId);
    return [o.userPrincipalName, o.action, o.outcome, o.reason, o.message, o.dn ?? '', o.objectGuid ?? '', o.immutableId ?? '', p?.kind ?? '', p?.reason ?? '', p?.message ?? ''];
  });
}

export function* reportHtmlChunks(report: RunReport, verify?: VerifyResult): Generator<string> {
  yield pageStart({
    kind: 'report',
    title: 'entra2ad run report',
    facts: [
      ['Tenant', report.tenantId],
      ['Target OU', report.targetOu],
      ['Directory', report.directory || 'unknown'],
      ['Run', `${report.startedAt} to ${report.finishedAt}, entra2ad ${report.tool.version}`],
      ...(report.warnings ?? []).map((w): [string, string] => ['Warning', w]),
      ['Next sync', verify ? 'predicted by verify at the end of the run (column "Next sync")' : 'not predicted in this run: run entra2ad verify'],
    ],
    columns: [
      { key: 'userPrincipalName', label: 'User principal name', search: true },
      { key: 'action', label: 'Planned', filter: true },
      { key: 'outcome', label: 'Outcome', filter: true },
      { key: 'reason', label: 'Reason', filter: true },
      { key: 'message', label: 'What happened', cls: 'wide' },
      { key: 'distinguishedName', label: 'Distinguished name', search: true },
      { key: 'objectGuid', label: 'objectGUID' },
      { key: 'immutableId', label: 'immutableId' },
      { key: 'nextSync', label: 'Next sync', filter: true },
      { key: 'nextSyncReason', label: 'Next sync reason', filter: true },
      { key: 'nextSyncMessage', label: 'Next sync: why', cls: 'wide' },
    ],
    tableTitle: 'Every user',
    groups: [
      {
        title: 'Failed: needs your action',
        note: 'Fix the cause, then run the same apply again: it resumes and finishes these users.',
        tone: 'blocked',
        col: 2,
        values: ['failed'],
        reasonCol: 3,
        messageCol: 4,
      },
      {
        title: 'Next sync: duplicates and blocked matches',
        note: 'Fix these before Entra Connect next runs.',
        tone: 'blocked',
        col: 8,
        values: ['duplicate', 'blocked'],
        reasonCol: 9,
        messageCol: 10,
      },
      { title: 'Blocked or skipped, as planned', tone: 'skip', col: 2, values: ['blocked', 'skipped'], reasonCol: 3, messageCol: 4, collapsed: true },
    ],
    tree: { title: 'Where the accounts are', col: 2, values: ['anchored', 'unchanged'], dnCol: 5, targetOu: report.targetOu, targetOuExists: true },
  });
  const rows = reportPageRows(report, verify);
  for (let i = 0; i < rows.length; i++) yield pageRow(rows[i]!, i);
  const charts: PageTail['charts'] = [
    {
      title: `Outcomes for ${report.users.length} user(s)`,
      bars: OUTCOMES.map(([k, tone]): PageBar => ({ key: k, label: k, value: report.summary[k], tone })),
    },
  ];
  if (verify) {
    charts.push({
      title: 'What the next Entra Connect sync does (verify)',
      bars: PREDICTION_KINDS.map((k): PageBar => ({ key: `next-${k}`, label: k, value: verify.summary[k], tone: PREDICTION_TONES[k] ?? 'note' })),
    });
  }
  yield pageEnd({ charts, findings: verify?.tenantFindings ?? [] });
}
