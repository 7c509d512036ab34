/**
 * Executes a plan: every create/adopt entry goes through applyUser with the
 * directory work bounded by ctx.directoryLimit while Graph writes (batched by
 * the AnchorSink) overlap with later creates; then the manager pass. One
 * user's failure never stops the others.
 */
import { getsAdObject } from '../plan/reasons.js';
import type { Plan, PlanEntry } from '../plan/types.js';
import { applyUser, type ApplyContext } from './apply-user.js';
import type { RunState } from './journal-state.js';
import { runManagerPass } from './manager-pass.js';
import { managersFirst } from './manager-order.js';
import type { UserOutcome } from './outcome.js';

export async function runPlan(ctx: ApplyContext, plan: Plan, state: RunState): Promise<UserOutcome[]> {
  const work = plan.entries.filter(getsAdObject);
  if (work.some((e) => e.action === 'create' && !state.users.get(e.cloudId)?.created)) {
    await ctx.directory.ensureOu(plan.targetOu);
  }
  // Objects already there from an earlier run can be managers right away.
  const objectDns = ctx.objectDns ?? new Map<string, string>();
  for (const [cloudId, progress] of state.users) if (progress.created) objectDns.set(cloudId, progress.created.dn);
  const runCtx = { ...ctx, objectDns };
  // Scheduled managers first (p-limit starts work in call order); reported in plan order.
  const byId = new Map<string, Promise<UserOutcome>>();
  for (const entry of managersFirst(plan.entries)) {
    byId.set(entry.cloudId, getsAdObject(entry) ? applyUser(runCtx, entry, state.users.get(entry.cloudId) ?? { cloudId: entry.cloudId }) : Promise.resolve(passive(entry)));
  }
  const outcomes = await Promise.all(plan.entries.map((entry) => byId.get(entry.cloudId)!));
  await runManagerPass(runCtx, plan.entries, outcomes, state.users);
  return outcomes;
}


function passive(entry: PlanEntry): UserOutcome {
  return {
    cloudId: entry.cloudId,
    userPrincipalName: entry.userPrincipalName,
    action: entry.action,
    outcome: entry.action === 'blocked' ? 'blocked' : 'skipped',
    reason: entry.reason,
    message: entry.message,
  };
}
