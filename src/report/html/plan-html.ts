/**
 * plan.html: the plan for people, written with plan.json, plan.csv and plan.ldif
 * (same head/entry/tail shape, so it streams). Counts as a chart, the blocked
 * reasons and the warnings grouped with their sentences (why, and the fix), the OU
 * tree the accounts go into, and every user in a table filtered by decision, reason
 * and warning and searched by name. No secret: a plan holds no password.
 */
import type { PlanAction, PlanEntry, TenantFinding } from '../../plan/types.js';
import { WARNINGS } from '../../plan/reasons.js';
import type { PlanFileFormat } from '../../plan/plan-format.js';
import { pageEnd, pageRow, pageStart, type PageCell, type PageHead, type PageTail } from './page.js';

const ACTIONS: readonly PlanAction[] = ['create', 'adopt', 'skip', 'blocked'];

/** Column order of a row (see PLAN_PAGE_HEAD.columns). */
export function planPageRow(e: PlanEntry): PageCell[] {
  return [
    e.userPrincipalName,
    e.displayName ?? '',
    e.action,
    e.reason,
    e.message,
    e.sAMAccountName ?? '',
    e.dn ?? '',
    (e.warnings ?? []).map((w): [string, string] => [w.code, w.field ? `${w.field}: ${w.message}` : w.message]),
  ];
}

const COLUMNS: PageHead['columns'] = [
  { key: 'userPrincipalName', label: 'User principal name', search: true },
  { key: 'displayName', label: 'Display name', search: true },
  { key: 'action', label: 'Decision', filter: true },
  { key: 'reason', label: 'Reason', filter: true },
  { key: 'message', label: 'Why, and what to do', cls: 'wide' },
  { key: 'sAMAccountName', label: 'sAMAccountName', search: true },
  { key: 'distinguishedName', label: 'Distinguished name' },
  { key: 'warnings', label: 'Warnings', filter: true, tokens: true },
];

export const planHtmlFormat: PlanFileFormat = {
  head: (head) =>
    pageStart({
      kind: 'plan',
      title: 'entra2ad plan',
      facts: [
        ['Tenant', head.tenantId],
        ['Target OU', head.targetOu],
        ['Directory', head.domainDn ?? 'not read'],
        [
          'Names',
          head.directoryChecked
            ? 'checked for uniqueness against AD and this plan'
            : 'NOT checked against AD (planned without the directory): plan again with the directory before applying',
        ],
        ['Planned', `${head.createdAt} by entra2ad ${head.tool.version}`],
      ],
      columns: COLUMNS,
      tableTitle: 'Every user',
      groups: [
        {
          title: 'Blocked: needs your action',
          note: 'apply leaves these users alone. Fix the cause as the sentence says, then plan again.',
          tone: 'blocked',
          col: 2,
          values: ['blocked'],
          reasonCol: 3,
          messageCol: 4,
        },
        {
          title: 'Warnings: the user goes ahead, with a change to review',
          tone: 'warning',
          col: 7,
          values: [],
          reasonCol: 7,
          messageCol: 7,
          tokens: true,
        },
        { title: 'Skipped', tone: 'skip', col: 2, values: ['skip'], reasonCol: 3, messageCol: 4, collapsed: true },
      ],
      tree: { title: 'Where the accounts go', col: 2, values: ['create', 'adopt'], dnCol: 6, targetOu: head.targetOu, targetOuExists: head.targetOuExists },
    }),
  entry: (entry, index) => pageRow(planPageRow(entry), index),
  tail: (tail) => {
    const findings: TenantFinding[] = [...(tail.tenantFindings ?? [])];
    if (tail.tenantStop && !findings.some((f) => f.code === tail.tenantStop!.code)) findings.unshift(tail.tenantStop);
    const page: PageTail = {
      charts: [
        {
          title: `Decisions for ${tail.summary.total} user(s)`,
          bars: ACTIONS.map((a) => ({ key: a, label: a, value: tail.summary.byAction[a], tone: a })),
        },
      ],
      findings,
      sentences: { ...WARNINGS },
    };
    return pageEnd(page);
  },
};
