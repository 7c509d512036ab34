/**
 * Executes a plan: every create/adopt entry goes through applyUser with the
 * directory work bounded by ctx.directoryLimit while Graph writes (batched by
 * the AnchorSink) overlap with later creates; then the manager pass, then the
 * Exchange stamp of objects that already existed (stamp-pass.ts). One
 * user's failure never stops the others.
 */
import { getsAdObject } from '../plan/reasons.js';
import { dnKey } from '../directory/dn.js';
import type { Plan, PlanEntry } from '../plan/types.js';
import { applyUser, type ApplyContext } from './user.js';
import type { RunState } from '../journal/state.js';
import { runManagerPass } from './manager-pass.js';
import { managersFirst } from './manager-order.js';
import { runStampPass } from './stamp-pass.js';
import type { UserOutcome } from './outcome.js';

export async function runPlan(ctx: ApplyContext, plan: Plan, state: RunState): Promise<UserOutcome[]> {
  // Objects already there from an earlier run can be managers right away.
  const objectDns = ctx.objectDns ?? new Map<string, string>();
  for (const [cloudId, progress] of state.users) if (progress.created) objectDns.set(cloudId, progress.created.dn);
  const runCtx = { ...ctx, objectDns, ensureParent: ctx.ensureParent ?? parentEnsurer(ctx) };
  // Scheduled managers first (p-limit starts work in call order); reported in plan order.
  const byId = new Map<string, Promise<UserOutcome>>();
  for (const entry of managersFirst(plan.entries)) {
    byId.set(entry.cloudId, getsAdObject(entry) ? applyUser(runCtx, entry, state.users.get(entry.cloudId) ?? { cloudId: entry.cloudId }) : Promise.resolve(passive(entry)));
  }
  const outcomes = await Promise.all(plan.entries.map((entry) => byId.get(entry.cloudId)!));
  await runManagerPass(runCtx, plan.entries, outcomes, state.users);
  await runStampPass(runCtx, plan.entries, outcomes, state.users);
  return outcomes;
}


/**
 * Each parent OU once (recovered users go back to their old OUs, nested OUs created from
 * the top down by ensureOu); a parent that cannot be made fails its users only.
 */
export function parentEnsurer(ctx: Pick<ApplyContext, 'directory'>): (dn: string) => Promise<void> {
  const done = new Map<string, Promise<void>>();
  return (dn) => {
    const key = dnKey(dn);
    let p = done.get(key);
    if (!p) done.set(key, (p = ctx.directory.ensureOu(dn)));
    return p;
  };
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
