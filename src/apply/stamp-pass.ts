/**
 * Third pass: the Exchange stamp of objects that already existed: adopted ones, and
 * those an earlier run created or adopted (a re-run, e.g. after the schema was
 * extended: src/plan/mailbox-entry.ts plans them as `exchange.planned`). The object is
 * read first and decideStamp (src/exchange/mailbox-attributes.ts) adds only what it
 * lacks, so a second run adds nothing (idempotent), and a value the admin set by hand
 * that differs is reported (WARN_EXCHANGE_DIFFERS), never overwritten. Each stamp is
 * journaled (`exchange-stamped`). A failed stamp is reported on the user's outcome and
 * does not undo the anchor.
 */
import { decideStamp } from '../exchange/mailbox-attributes.js';
import { Entra2adError } from '../errors.js';
import type { PlanEntry } from '../plan/types.js';
import type { ApplyContext } from './user.js';
import type { UserProgress } from '../journal/state.js';
import type { UserOutcome } from './outcome.js';
import { decideExchangeStamp } from './decide.js';

export async function runStampPass(ctx: ApplyContext, entries: readonly PlanEntry[], outcomes: UserOutcome[], progress?: ReadonlyMap<string, UserProgress>): Promise<void> {
  const { readValues, addValues } = ctx.directory;
  if (!readValues || !addValues) return;
  const index = new Map(outcomes.map((o, i) => [o.cloudId, i]));
  await Promise.all(
    entries.map(async (entry) => {
      const i = index.get(entry.cloudId);
      if (i === undefined) return;
      const own = outcomes[i]!;
      const stamp = decideExchangeStamp(entry, own, progress?.get(entry.cloudId));
      if (stamp.action === 'none') return;
      const { dn, planned } = stamp;
      try {
        const current = await ctx.directoryLimit(() => readValues.call(ctx.directory, dn, Object.keys(planned)));
        const decision = decideStamp(planned, current);
        const added = Object.keys(decision.add);
        if (added.length > 0) await ctx.directoryLimit(() => addValues.call(ctx.directory, dn, decision.add));
        // Journaled also when nothing was missing: this run folder has checked the object.
        await ctx.journal.append({ kind: 'exchange-stamped', cloudId: entry.cloudId, dn, attributes: added });
        for (const d of decision.differences)
          ctx.say(`WARN_EXCHANGE_DIFFERS ${entry.userPrincipalName}: ${d.attribute} is ${d.ad.join('; ')} in AD, ${d.planned.join('; ')} in the cloud; left as it is`);
        if (added.length || decision.differences.length || decision.lostAddresses.length)
          outcomes[i] = { ...own, exchange: { added, differences: decision.differences, lostAddresses: decision.lostAddresses } };
      } catch (error) {
        const reason = error instanceof Entra2adError ? error.reason : 'UNEXPECTED';
        const message = error instanceof Error ? error.message : String(error);
        await ctx.journal.append({ kind: 'failed', cloudId: entry.cloudId, step: 'exchange', reason, message });
        outcomes[i] = { ...own, outcome: 'failed', reason, message: `exchange stamp: ${message}` };
      }
    }),
  );
}
