/**
 * Second pass: `manager` is a DN-valued link, so the manager's object must exist
 * before it can be referenced (AD answers 000020B5 otherwise). Runs after every
 * user of the plan is created; managers outside the plan are looked up by DN only
 * when they were adopted. A failed manager link does not undo the user: it is
 * reported on the user's outcome.
 */
import type { PlanEntry } from '../plan/types.js';
import { Entra2adError } from '../errors.js';
import type { ApplyContext } from './user.js';
import type { UserProgress } from '../journal/state.js';
import type { UserOutcome } from './outcome.js';
import { decideManagerLink } from './decide.js';

export async function runManagerPass(
  ctx: ApplyContext,
  entries: readonly PlanEntry[],
  outcomes: UserOutcome[],
  progress: ReadonlyMap<string, UserProgress>,
): Promise<void> {
  const done = new Map(outcomes.filter((o) => o.outcome === 'anchored' || o.outcome === 'unchanged').map((o) => [o.cloudId, o]));
  const outcomeIndex = new Map(outcomes.map((o, i) => [o.cloudId, i]));
  await Promise.all(
    entries.map(async (entry) => {
      const own = done.get(entry.cloudId);
      const link = decideManagerLink(entry, own, entry.managerCloudId ? done.get(entry.managerCloudId) : undefined, progress.get(entry.cloudId));
      if (link.action === 'none' || !own) return;
      const { dn: ownDn, managerDn } = link;
      try {
        await ctx.directoryLimit(() => ctx.directory.setManager(ownDn, managerDn));
        await ctx.journal.append({ kind: 'manager-set', cloudId: entry.cloudId, managerDn });
        own.managerDn = managerDn;
      } catch (error) {
        const reason = error instanceof Entra2adError ? error.reason : 'UNEXPECTED';
        const message = error instanceof Error ? error.message : String(error);
        await ctx.journal.append({ kind: 'failed', cloudId: entry.cloudId, step: 'manager', reason, message });
        const index = outcomeIndex.get(entry.cloudId)!;
        outcomes[index] = { ...own, outcome: 'failed', reason, message: `manager: ${message}` };
      }
    }),
  );
}
