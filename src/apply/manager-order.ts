/**
 * The order users are created in (pure): managers before the people who report
 * to them, so that when a user is added its manager usually exists already and
 * `manager` goes into the add instead of a second-pass modify. Depth is the
 * length of the manager chain inside the plan; a cycle (bad data) stops the walk.
 * Stable: users of equal depth keep the plan's order.
 */
import type { PlanEntry } from '../plan/types.js';

export function managersFirst(entries: readonly PlanEntry[]): PlanEntry[] {
  const byId = new Map(entries.map((e) => [e.cloudId, e]));
  const depth = new Map<string, number>();
  const depthOf = (entry: PlanEntry): number => {
    const known = depth.get(entry.cloudId);
    if (known !== undefined) return known;
    const chain: PlanEntry[] = [];
    const seen = new Set<string>();
    let current: PlanEntry | undefined = entry;
    let base = 0;
    while (current && !seen.has(current.cloudId)) {
      const cached = depth.get(current.cloudId);
      if (cached !== undefined) {
        base = cached + 1;
        break;
      }
      seen.add(current.cloudId);
      chain.push(current);
      current = current.managerCloudId ? byId.get(current.managerCloudId) : undefined;
    }
    // chain[0] is `entry`, the last one is the top of the chain within the plan.
    for (let i = chain.length - 1; i >= 0; i--) depth.set(chain[i]!.cloudId, base + (chain.length - 1 - i));
    return depth.get(entry.cloudId)!;
  };
  return entries
    .map((entry, index) => ({ entry, index, depth: depthOf(entry) }))
    .sort((a, b) => a.depth - b.depth || a.index - b.index)
    .map((x) => x.entry);
}
