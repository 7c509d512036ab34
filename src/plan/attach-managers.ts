/**
 * Managers are read for the users we will create only (one batched GET per 20
 * users, see src/cloud/managers-reader.ts), after the plan is built; this links
 * them (pure). A manager link is kept only when the manager will have an AD
 * object through this plan (create or adopt): otherwise there is no DN to
 * point to, and the entry says so in a warning.
 */
import { getsAdObject } from './reasons.js';
import { summarise } from './build-plan.js';
import type { Plan, PlanEntry } from './types.js';

export function attachManagers(plan: Plan, managers: ReadonlyMap<string, string | null>): Plan {
  const inAd = new Set(plan.entries.filter(getsAdObject).map((e) => e.cloudId));
  const entries = plan.entries.map((entry): PlanEntry => {
    const managerId = managers.get(entry.cloudId);
    const { managerCloudId: _drop, ...rest } = entry;
    if (entry.action !== 'create' || !managerId) return rest;
    if (inAd.has(managerId)) return { ...rest, managerCloudId: managerId };
    const warning = { code: 'WARN_MANAGER_NOT_IN_AD', message: 'the manager is not created or adopted by this plan; manager left empty' };
    return { ...rest, warnings: [...(entry.warnings ?? []), warning] };
  });
  return { ...plan, entries, summary: summarise(entries) };
}
