/**
 * One user through rollback: read the cloud user -> clear the immutableId this
 * run wrote -> delete or disable the AD object this run created.
 *
 * Every step looks before it writes, so a rollback killed anywhere re-runs
 * safely: a clear that landed without its `cleared` record reads back as null
 * ("already-clear"); a delete that happened without its `deleted` record finds
 * no object with that GUID ("already-absent"); a disable reads the flag first.
 * A step that fails stops that user there: a refused clear leaves the AD
 * object in place, so the cloud anchor never points at a deleted object.
 */
import type { LimitFunction } from 'p-limit';
import { isGuidString } from '../anchor/guid.js';
import { guidToImmutableId } from '../anchor/immutable-id.js';
import { dnEquals } from '../directory/dn.js';
import { isDisabled } from '../directory/index.js';
import { crashPoint } from '../journal/crash-point.js';
import type { Journal } from '../journal/journal.js';
import type { RollbackMode, RollbackStep } from '../journal/records.js';
import { decideCloud } from './decide.js';
import type { RollbackCloudStep, RollbackDirectoryStep, RollbackUserOutcome } from './outcome.js';
import type { RollbackCloud, RollbackDirectory } from './ports.js';
import type { RollbackTarget } from './targets.js';
import { asStepFailure, step, StepFailure } from '../journal/step-failure.js';

export interface RollbackContext {
  mode: RollbackMode;
  cloud: RollbackCloud;
  directory: RollbackDirectory;
  journal: Pick<Journal, 'append'>;
  /** Bounds cloud reads in flight. */
  cloudLimit: LimitFunction;
  /** Bounds directory operations in flight. */
  directoryLimit: LimitFunction;
}

/** The clear was not accepted: the cloud step is known (refused or failed) and the AD object is left. */
class ClearFailure extends StepFailure<RollbackStep> {
  constructor(
    reason: string,
    message: string,
    readonly cloudStep: RollbackCloudStep,
  ) {
    super('clear', reason, message);
  }
}

export async function rollbackUser(ctx: RollbackContext, target: RollbackTarget): Promise<RollbackUserOutcome> {
  const base = {
    cloudId: target.cloudId,
    userPrincipalName: target.userPrincipalName,
    ...(target.dn !== undefined ? { dn: target.dn } : {}),
    ...(target.objectGuid !== undefined ? { objectGuid: target.objectGuid } : {}),
    ...((target.writtenImmutableId ?? target.clearedImmutableId) !== undefined ? { immutableId: (target.writtenImmutableId ?? target.clearedImmutableId)! } : {}),
  };
  switch (target.kind) {
    case 'done':
      return { ...base, outcome: 'unchanged', reason: 'ALREADY_ROLLED_BACK', message: `${target.removed?.mode === 'delete' ? 'deleted' : 'disabled'} by an earlier rollback; nothing to do` };
    case 'adopted':
      return { ...base, outcome: 'excluded', reason: 'ADOPTED_NOT_TOUCHED', message: 'adopted by this run: the AD object existed before it, so rollback never touches it (nor the anchor written for it)' };
    case 'guid-unknown':
      return {
        ...base,
        outcome: 'skipped',
        reason: 'GUID_UNKNOWN',
        message: 'apply stopped before it journaled this object\'s objectGUID, so rollback cannot prove the object at this DN is the one it created; left in place: check it and delete it by hand',
        cloud: 'not-written',
        directory: 'left',
      };
    case 'create-unconfirmed':
      return unconfirmed(ctx, target, base);
    case 'pending':
      return pending(ctx, target, base);
  }
}

async function unconfirmed(ctx: RollbackContext, target: RollbackTarget, base: Omit<RollbackUserOutcome, 'outcome' | 'reason' | 'message'>): Promise<RollbackUserOutcome> {
  try {
    const exists = await ctx.directoryLimit(() => ctx.directory.exists(target.dn!));
    if (!exists) return { ...base, outcome: 'excluded', reason: 'NOTHING_CREATED', message: 'apply started this create but it never happened: nothing to roll back' };
    return {
      ...base,
      outcome: 'skipped',
      reason: 'CREATE_UNCONFIRMED',
      message: 'apply was interrupted while creating this user, so rollback cannot prove the object at this DN is the one it created; left in place: check it and delete it by hand',
      cloud: 'not-written',
      directory: 'left',
    };
  } catch (error) {
    return fail(ctx, target, base, asStepFailure(error, 'check'));
  }
}

async function pending(ctx: RollbackContext, target: RollbackTarget, base: Omit<RollbackUserOutcome, 'outcome' | 'reason' | 'message'>): Promise<RollbackUserOutcome> {
  const item = { cloudId: target.cloudId, userPrincipalName: target.userPrincipalName };
  try {
    // The journal is read back as untrusted input: the object must be the one this run created before anything is undone.
    const notOurs = await ctx.directoryLimit(() => notThisRunsObject(ctx, target));
    if (notOurs) return { ...base, outcome: 'skipped', reason: 'NOT_THIS_RUNS_OBJECT', message: `${notOurs}; nothing was cleared, deleted or disabled for this user`, cloud: 'left', directory: 'left' };
    const cloudNow = await ctx.cloudLimit(() => step('check', () => ctx.cloud.read(item)));
    const decision = decideCloud(target, cloudNow);
    if (decision.action === 'skip') return { ...base, outcome: 'skipped', reason: decision.reason, message: decision.message, cloud: 'left', directory: 'left' };

    let cloud: RollbackCloudStep;
    if (decision.action === 'clear') {
      const result = await step('clear', () => ctx.cloud.clear(item));
      crashPoint('after-rollback-clear');
      if (result.outcome !== 'written' && result.outcome !== 'already-set') {
        const refused = result.outcome === 'refused';
        throw new ClearFailure(
          refused ? 'CLEAR_REFUSED' : (result.reason ?? 'CLEAR_FAILED'),
          `Graph ${refused ? 'refused' : 'did not accept'} onPremisesImmutableId: null (${result.reason ?? result.outcome}: ${result.message ?? 'no message'}); the AD object was left in place so the anchor still points at an existing object. Clear the immutableId by other means, then run rollback again`,
          refused ? 'refused' : 'failed',
        );
      }
      await ctx.journal.append({ kind: 'cleared', cloudId: target.cloudId, immutableId: decision.immutableId, outcome: 'cleared' });
      cloud = 'cleared';
    } else {
      if (decision.journal && decision.immutableId !== undefined) {
        await ctx.journal.append({ kind: 'cleared', cloudId: target.cloudId, immutableId: decision.immutableId, outcome: 'already-clear' });
      }
      cloud = decision.cloud;
    }

    const ad = await ctx.directoryLimit(() => directoryStep(ctx, target));
    return {
      ...base,
      ...(ad.dn !== undefined ? { dn: ad.dn } : {}),
      outcome: 'rolled-back',
      reason: 'ROLLED_BACK',
      message: `${cloudMessage(cloud)}; ${ad.message}`,
      cloud,
      directory: ad.directory,
    };
  } catch (error) {
    return fail(ctx, target, base, asStepFailure(error, 'check'));
  }
}

/**
 * Why the object the journal names is not provably the one this run created, or
 * undefined when it is: the immutableId the run wrote must be base64 of the journaled
 * objectGUID (Entra Connect's anchor for a new object, learn.microsoft.com/entra/identity/hybrid/connect/plan-connect-design-concepts),
 * and the object with that GUID must carry the UPN the run gave it (or, without a plan
 * to name the UPN, sit at the DN the run created it at). A missing object is left to directoryStep (already absent).
 */
async function notThisRunsObject(ctx: RollbackContext, target: RollbackTarget): Promise<string | undefined> {
  const objectGuid = target.objectGuid!;
  if (!isGuidString(objectGuid)) return `the journal's objectGUID "${objectGuid}" is not a GUID`;
  if (!target.recovery && target.writtenImmutableId !== undefined && target.writtenImmutableId !== guidToImmutableId(objectGuid)) {
    return `the journal says this run wrote immutableId ${target.writtenImmutableId}, which is not base64 of the journaled objectGUID ${objectGuid} (${guidToImmutableId(objectGuid)}): the journal was changed`;
  }
  const found = await step('lookup', () => ctx.directory.findByGuid(objectGuid));
  if (!found) return undefined;
  const planned = target.userPrincipalName !== target.cloudId;
  if (planned && (found.userPrincipalName ?? '').toLowerCase() !== target.userPrincipalName.toLowerCase()) {
    return `the object with the journaled objectGUID ${objectGuid} is ${found.dn} with userPrincipalName ${found.userPrincipalName ?? '(none)'}, not the ${target.userPrincipalName} this run created`;
  }
  if (!planned && target.dn !== undefined && !sameDn(found.dn, target.dn)) {
    return `the object with the journaled objectGUID ${objectGuid} is ${found.dn}, not at ${target.dn} where this run created it (and no plan.json names its UPN)`;
  }
  return undefined;
}

function sameDn(a: string, b: string): boolean {
  try {
    return dnEquals(a, b);
  } catch {
    return a.toLowerCase() === b.toLowerCase();
  }
}

async function directoryStep(ctx: RollbackContext, target: RollbackTarget): Promise<{ directory: RollbackDirectoryStep; dn?: string; message: string }> {
  const objectGuid = target.objectGuid!;
  const found = await step('lookup', () => ctx.directory.findByGuid(objectGuid));
  const journaledDn = target.dn ?? '';
  const moved = found && found.dn.toLowerCase() !== journaledDn.toLowerCase() ? ` (moved since apply from ${journaledDn})` : '';
  if (ctx.mode === 'delete') {
    const result = found ? await step('delete', () => ctx.directory.deleteByGuid(objectGuid)) : 'absent';
    const outcome = result === 'deleted' ? 'deleted' : 'already-absent';
    const dn = found?.dn ?? journaledDn;
    await ctx.journal.append({ kind: 'deleted', cloudId: target.cloudId, dn, objectGuid, outcome });
    return { directory: outcome, dn, message: outcome === 'deleted' ? `AD object deleted${moved}` : await absent(ctx, objectGuid, journaledDn) };
  }
  if (!found) {
    await ctx.journal.append({ kind: 'disabled', cloudId: target.cloudId, dn: journaledDn, objectGuid, outcome: 'already-absent' });
    return { directory: 'already-absent', dn: journaledDn, message: await absent(ctx, objectGuid, journaledDn) };
  }
  if (found.userAccountControl !== undefined && isDisabled(found.userAccountControl)) {
    await ctx.journal.append({ kind: 'disabled', cloudId: target.cloudId, dn: found.dn, objectGuid, outcome: 'already-disabled', userAccountControl: found.userAccountControl });
    return { directory: 'already-disabled', dn: found.dn, message: `AD object already disabled${moved}` };
  }
  const userAccountControl = await step('disable', () => ctx.directory.disableByGuid(objectGuid));
  await ctx.journal.append({ kind: 'disabled', cloudId: target.cloudId, dn: found.dn, objectGuid, outcome: 'disabled', userAccountControl });
  return { directory: 'disabled', dn: found.dn, message: `AD object disabled${moved}` };
}

/** Our object is gone; say so, and whether another object has taken its DN (never touched). */
async function absent(ctx: RollbackContext, objectGuid: string, dn: string): Promise<string> {
  const gone = `no AD object with objectGUID ${objectGuid} any more (already deleted)`;
  const taken = await ctx.directory.exists(dn).catch(() => false);
  return taken ? `${gone}; a different object now has its DN ${dn} and was not touched` : gone;
}

function cloudMessage(cloud: RollbackCloudStep): string {
  switch (cloud) {
    case 'cleared':
      return 'onPremisesImmutableId cleared';
    case 'already-clear':
      return 'onPremisesImmutableId was already clear';
    case 'cleared-earlier':
      return 'onPremisesImmutableId cleared by an earlier rollback';
    case 'not-written':
      return 'this run wrote no immutableId for this user: nothing to clear';
    default:
      return `cloud: ${cloud}`;
  }
}

async function fail(
  ctx: RollbackContext,
  target: RollbackTarget,
  base: Omit<RollbackUserOutcome, 'outcome' | 'reason' | 'message'>,
  failure: StepFailure<RollbackStep>,
): Promise<RollbackUserOutcome> {
  await ctx.journal.append({ kind: 'rollback-failed', cloudId: target.cloudId, step: failure.step, reason: failure.reason, message: failure.message });
  return {
    ...base,
    outcome: 'failed',
    reason: failure.reason,
    message: `${failure.step}: ${failure.message}`,
    ...(failure instanceof ClearFailure ? { cloud: failure.cloudStep, directory: 'left' as const } : {}),
  };
}
