/**
 * The plan summary for people (stderr): counts per action, per reason, per warning.
 * Plain ASCII, fixed-width columns, stable order (actions in workflow order, reasons
 * and warnings by count then name).
 */
import type { Plan, PlanAction } from '../plan/types.js';

const ACTIONS: readonly PlanAction[] = ['create', 'adopt', 'skip', 'blocked'];

function sortedCounts(counts: Readonly<Record<string, number>>): [string, number][] {
  return Object.entries(counts).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0));
}

function table(rows: readonly [string, number][], indent = '  '): string[] {
  const w = Math.max(0, ...rows.map(([k]) => k.length));
  const n = Math.max(0, ...rows.map(([, v]) => String(v).length));
  return rows.map(([k, v]) => `${indent}${k.padEnd(w)}  ${String(v).padStart(n)}`);
}

/** Takes the whole plan or just its head and tail (a streamed plan). */
export function formatPlanSummary(plan: Pick<Plan, 'summary' | 'tenantId' | 'targetOu' | 'directoryChecked'>): string {
  const s = plan.summary;
  const lines = [
    `entra2ad plan: ${s.total} user(s), tenant ${plan.tenantId}, target ${plan.targetOu}`,
    plan.directoryChecked
      ? 'directory checked: names are unique against AD and this plan'
      : 'directory NOT checked: names are unique within this plan only; plan again with the directory before applying',
    ...table(ACTIONS.map((a) => [a, s.byAction[a]] as [string, number])),
    'by reason:',
    ...table(sortedCounts(s.byReason)),
  ];
  const warnings = sortedCounts(s.byWarning ?? {});
  if (warnings.length) lines.push('warnings:', ...table(warnings));
  return `${lines.join('\n')}\n`;
}
