/**
 * One shape for the three plan files (plan.json, plan.csv, plan.ldif): a head, a
 * piece per entry, a tail. The same format writes a whole plan held in memory
 * (apply) and a plan streamed entry by entry (plan command, src/report/plan-files.ts),
 * so both give the same bytes.
 */
import type { PlanHead, PlanTail } from './build-plan.js';
import type { Plan, PlanAction, PlanEntry } from './types.js';

export interface PlanFileFormat {
  /** `actionCounts`: entries per action, known before the first entry. */
  head(head: PlanHead, actionCounts: Readonly<Record<PlanAction, number>>): string;
  /** `index`: the entry's position in the plan. '' when the file has nothing for it. */
  entry(entry: PlanEntry, index: number): string;
  tail(tail: PlanTail, entryCount: number): string;
}

/** A whole plan split into the head, entries and tail it was made of (key order kept). */
export function splitPlan(plan: Plan): { head: PlanHead; entries: readonly PlanEntry[]; tail: PlanTail } {
  const { entries, summary, tenantFindings, tenantStop, ...head } = plan;
  return {
    head,
    entries,
    tail: { summary, ...(tenantFindings !== undefined ? { tenantFindings } : {}), ...(tenantStop !== undefined ? { tenantStop } : {}) },
  };
}

/** A whole plan in one format, chunk by chunk (one chunk per entry). */
export function* planChunks(format: PlanFileFormat, plan: Plan): Generator<string> {
  const { head, entries, tail } = splitPlan(plan);
  yield format.head(head, tail.summary.byAction);
  for (let i = 0; i < entries.length; i++) {
    const chunk = format.entry(entries[i]!, i);
    if (chunk) yield chunk;
  }
  yield format.tail(tail, entries.length);
}
