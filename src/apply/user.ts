/**
 * One user through apply: create (or adopt) -> read objectGUID -> anchor.
 * Each step is journaled before and after; on resume the journal says where
 * the user stands and every uncertain step is redone idempotently:
 *  - create started, not confirmed: look the UPN up; if the object exists it is
 *    ours (the plan saw the UPN free), so finish it (password + enable) instead
 *    of adding a second one;
 *  - GUID read: always safe to repeat;
 *  - anchor started, not confirmed: PATCHing the same value again is harmless,
 *    and the writer reports "already-set" when Graph already holds it.
 */
import type { LimitFunction } from 'p-limit';
import { bytesToGuid, bytesToImmutableId, guidToBytes, immutableIdToBytes } from '../anchor/index.js';
import { parentDn } from '../directory/dn.js';
import type { NewUserEntry } from '../directory/types.js';
import { Entra2adError } from '../errors.js';
import { UAC_DISABLED_USER } from '../directory/uac.js';
import type { PlanEntry } from '../plan/types.js';
import type { CredentialsFile } from '../journal/credentials-file.js';
import { digestPassword, matchesDigest } from '../journal/password-digest.js';
import { crashPoint } from '../journal/crash-point.js';
import type { Journal } from '../journal/journal.js';
import type { UserStep } from '../journal/records.js';
import type { UserProgress } from '../journal/state.js';
import type { UserOutcome } from './outcome.js';
import type { AnchorSink, DirectoryWriter, PasswordSource } from './ports.js';
import { asStepFailure, step, StepFailure } from '../journal/step-failure.js';

export type ProgressEvent =
  | { kind: 'created'; cloudId: string }
  | { kind: 'anchored'; cloudId: string }
  | { kind: 'failed'; cloudId: string }
  | { kind: 'unchanged'; cloudId: string };

export interface ApplyContext {
  directory: DirectoryWriter;
  anchors: AnchorSink;
  journal: Journal;
  credentials: CredentialsFile;
  passwords: PasswordSource;
  /** Bounds the directory work in flight (Samba serialises writes anyway). */
  directoryLimit: LimitFunction;
  /** Also stamp mS-DS-ConsistencyGuid = objectGUID so either sourceAnchor matches. */
  setConsistencyGuid: boolean;
  /**
   * The cloud users' onPremisesImmutableId as read at the start of this run. After a
   * crash, a write that landed but was not journaled shows up here, so it is recorded
   * as done instead of being sent again.
   */
  cloudImmutableIds?: ReadonlyMap<string, string | null>;
  /**
   * DNs of this plan's users whose AD object exists (created or adopted), filled as
   * the run goes: a user whose manager is in here gets `manager` in its add.
   */
  objectDns?: Map<string, string>;
  /** Makes sure a user's parent OU exists, once per parent (src/apply/orchestrator.ts parentEnsurer). Absent: the parent must exist. */
  ensureParent?: (dn: string) => Promise<void>;
  onEvent?: (event: ProgressEvent) => void;
}

export async function applyUser(ctx: ApplyContext, entry: PlanEntry, progress: UserProgress): Promise<UserOutcome> {
  const base = { cloudId: entry.cloudId, userPrincipalName: entry.userPrincipalName, action: entry.action };
  if (progress.anchored) {
    ctx.onEvent?.({ kind: 'unchanged', cloudId: entry.cloudId });
    return {
      ...base,
      outcome: 'unchanged',
      dn: progress.created?.dn ?? entry.dn,
      objectGuid: progress.objectGuid,
      immutableId: progress.anchored.immutableId,
      reason: 'ALREADY_DONE',
      message: 'completed by an earlier run; nothing to do',
    };
  }
  try {
    const { dn, objectGuid, anchor, managerDn } = await ctx.directoryLimit(() => directoryPart(ctx, entry, progress));
    const outcome = await anchorPart(ctx, entry, progress, anchor);
    ctx.onEvent?.({ kind: 'anchored', cloudId: entry.cloudId });
    return {
      ...base,
      outcome: 'anchored',
      dn,
      objectGuid,
      immutableId: anchor,
      ...(managerDn ? { managerDn } : {}),
      reason: outcome.reason,
      message: outcome.message,
    };
  } catch (error) {
    const failure = asStepFailure<UserStep>(error, 'create');
    await ctx.journal.append({ kind: 'failed', cloudId: entry.cloudId, step: failure.step, reason: failure.reason, message: failure.message });
    ctx.onEvent?.({ kind: 'failed', cloudId: entry.cloudId });
    return { ...base, outcome: 'failed', dn: entry.dn, reason: failure.reason, message: `${failure.step}: ${failure.message}` };
  }
}

/** Create or adopt, then read the GUID. Returns the immutableId the cloud must carry. */
async function directoryPart(ctx: ApplyContext, entry: PlanEntry, progress: UserProgress) {
  let managerDn = progress.managerDn;
  let dn = progress.created?.dn;
  if (dn === undefined) {
    const made = await step('create', () => ensureObject(ctx, entry, progress));
    dn = made.dn;
    managerDn ??= made.managerDn;
  }
  ctx.objectDns?.set(entry.cloudId, dn);
  let objectGuid = progress.objectGuid;
  let consistencyGuid: string | undefined;
  if (entry.action === 'adopt') {
    // An object we did not create may carry its own mS-DS-ConsistencyGuid: search to see it.
    const found = await step('guid', () => ctx.directory.findUserByUpn(entry.userPrincipalName));
    if (!found) throw new StepFailure('guid', 'AD_OBJECT_GONE', `no AD user with userPrincipalName ${entry.userPrincipalName} any more`);
    objectGuid = found.objectGuid;
    consistencyGuid = found.consistencyGuid;
    await ctx.journal.append({ kind: 'guid', cloudId: entry.cloudId, dn, objectGuid });
    crashPoint('after-guid');
  } else if (objectGuid === undefined) {
    // Our own new object, at a DN we know: a base read (measured 1.0 ms against 3.1 ms for a domain search).
    objectGuid = bytesToGuid(await step('guid', () => ctx.directory.readObjectGuid(dn)));
    await ctx.journal.append({ kind: 'guid', cloudId: entry.cloudId, dn, objectGuid });
    crashPoint('after-guid');
  } else {
    // Resumed with a GUID from the journal: the object must still be that one before its GUID goes to the cloud.
    const journaled = objectGuid;
    const current = bytesToGuid(await step('guid', () => ctx.directory.readObjectGuid(dn)));
    if (current !== journaled) {
      throw new StepFailure('guid', 'AD_OBJECT_REPLACED', `${dn} now has objectGUID ${current}, not the ${journaled} this run created`);
    }
  }
  if (entry.recoverConsistencyGuid !== undefined) return { dn, objectGuid, anchor: entry.recoverConsistencyGuid, managerDn };
  // Entra Connect uses mS-DS-ConsistencyGuid when set, else objectGUID
  // (learn.microsoft.com/entra/identity/hybrid/connect/plan-connect-design-concepts#using-ms-ds-consistencyguid-as-sourceanchor).
  const anchor = consistencyGuid ?? bytesToImmutableId(guidToBytes(objectGuid));
  if (ctx.setConsistencyGuid && consistencyGuid === undefined) {
    await step('guid', () => ctx.directory.setConsistencyGuid(dn, guidToBytes(objectGuid)));
  }
  return { dn, objectGuid, anchor, managerDn };
}

async function ensureObject(ctx: ApplyContext, entry: PlanEntry, progress: UserProgress): Promise<{ dn: string; managerDn?: string }> {
  if (entry.action === 'adopt') {
    const found = await ctx.directory.findUserByUpn(entry.userPrincipalName);
    if (!found) throw new StepFailure('create', 'AD_OBJECT_GONE', `the AD user to adopt (${entry.dn}) no longer exists`);
    await ctx.journal.append({ kind: 'created', cloudId: entry.cloudId, dn: found.dn, adopted: true });
    return { dn: found.dn };
  }
  const newUser = toNewUserEntry(entry);
  const password = await passwordFor(ctx, entry, progress);
  let managerDn: string | undefined;
  if (progress.createStartedDn !== undefined && (await ctx.directory.findUserByUpn(entry.userPrincipalName))) {
    // A crashed run added it; its password/enable steps may not have run. Its manager is left to the second pass.
    await ctx.directory.finishUser(newUser, password);
  } else {
    await ctx.ensureParent?.(parentDn(newUser.dn));
    await ctx.journal.append({ kind: 'create-start', cloudId: entry.cloudId, dn: newUser.dn });
    managerDn = entry.managerCloudId ? ctx.objectDns?.get(entry.managerCloudId) : undefined;
    managerDn = await createWithManager(ctx, newUser, password, managerDn);
  }
  crashPoint('after-create');
  await ctx.journal.append({ kind: 'created', cloudId: entry.cloudId, dn: newUser.dn });
  if (managerDn) await ctx.journal.append({ kind: 'manager-set', cloudId: entry.cloudId, managerDn });
  ctx.onEvent?.({ kind: 'created', cloudId: entry.cloudId });
  return managerDn ? { dn: newUser.dn, managerDn } : { dn: newUser.dn };
}

/**
 * Adds the user with `manager` in the add when its manager's object exists, saving
 * the second-pass modify. Should that object be gone after all (000020B5), the user
 * is added without it and the manager pass reports the link; a failed add leaves
 * nothing behind, so the retry is safe. Returns the manager DN that was set.
 */
async function createWithManager(ctx: ApplyContext, newUser: NewUserEntry, password: string | undefined, managerDn: string | undefined): Promise<string | undefined> {
  if (managerDn === undefined) {
    await ctx.directory.createUser(newUser, password);
    return undefined;
  }
  try {
    await ctx.directory.createUser({ ...newUser, manager: managerDn }, password);
    return managerDn;
  } catch (error) {
    if (!(error instanceof Entra2adError) || error.reason !== 'REFERENCED_OBJECT_MISSING') throw error;
    await ctx.directory.createUser(newUser, password);
    return undefined;
  }
}

async function anchorPart(ctx: ApplyContext, entry: PlanEntry, progress: UserProgress, immutableId: string) {
  if (entry.recoverConsistencyGuid !== undefined) {
    // Recovery: the cloud already holds this immutableId and Graph will not let us change it; nothing to write.
    await ctx.journal.append({ kind: 'anchored', cloudId: entry.cloudId, immutableId, outcome: 'not-needed' });
    return { reason: 'RECOVERED', message: 'mS-DS-ConsistencyGuid stamped with the existing immutableId; no cloud write needed' };
  }
  const current = ctx.cloudImmutableIds?.has(entry.cloudId) ? ctx.cloudImmutableIds.get(entry.cloudId) : entry.currentImmutableId;
  if (current === immutableId) {
    await ctx.journal.append({ kind: 'anchored', cloudId: entry.cloudId, immutableId, outcome: 'already-set' });
    return { reason: 'ANCHOR_ALREADY_SET', message: 'the cloud user already carries this immutableId' };
  }
  if (progress.anchorStarted !== immutableId) {
    await ctx.journal.append({ kind: 'anchor-start', cloudId: entry.cloudId, immutableId });
  }
  const result = await ctx.anchors.enqueue({ cloudId: entry.cloudId, userPrincipalName: entry.userPrincipalName, immutableId });
  crashPoint('after-anchor-write');
  if (result.outcome !== 'written' && result.outcome !== 'already-set') {
    throw new StepFailure('anchor', result.reason ?? `ANCHOR_${result.outcome.toUpperCase()}`, result.message ?? result.outcome);
  }
  await ctx.journal.append({ kind: 'anchored', cloudId: entry.cloudId, immutableId, outcome: result.outcome });
  return {
    reason: entry.action === 'adopt' ? 'ADOPTED_AND_ANCHORED' : 'CREATED_AND_ANCHORED',
    message: `onPremisesImmutableId ${result.outcome === 'written' ? (result.confirmedByReadBack ? "written (Graph's answer was lost; read back: it had landed)" : 'written') : 'was already set'}`,
  };
}

export function toNewUserEntry(entry: PlanEntry): NewUserEntry {
  if (entry.dn === undefined || entry.attributes === undefined || !entry.sAMAccountName) {
    throw new StepFailure('create', 'PLAN_ENTRY_INCOMPLETE', 'the plan entry has no DN, sAMAccountName or attributes');
  }
  const newUser: NewUserEntry = {
    dn: entry.dn,
    // The plan keeps the decided names beside the mapped attributes; the CN comes from the DN's RDN.
    attributes: { ...entry.attributes, sAMAccountName: entry.sAMAccountName },
    userAccountControl: entry.userAccountControl ?? UAC_DISABLED_USER,
    mustChangePassword: entry.mustChangePassword ?? true,
  };
  if (entry.recoverConsistencyGuid !== undefined) newUser.consistencyGuid = immutableIdToBytes(entry.recoverConsistencyGuid);
  return newUser;
}

/**
 * The password for this user: the one already on file (a resumed run must set
 * the same one it recorded), else a new one, written to credentials.csv and
 * fsynced BEFORE the DC sees it, so no account ever has a password nobody knows.
 */
async function passwordFor(ctx: ApplyContext, entry: PlanEntry, progress: UserProgress): Promise<string | undefined> {
  const known = ctx.credentials.passwordFor(entry.userPrincipalName);
  if (known !== undefined) {
    // Only a password this run made (its digest journaled before it was filed): never one placed in the file.
    if (progress.passwordDigest && matchesDigest(known, progress.passwordDigest)) return known;
    throw new StepFailure('create', 'CREDENTIALS_UNTRUSTED', `credentials.csv holds a password for ${entry.userPrincipalName} that this run did not make; it is not set`);
  }
  const sAMAccountName = entry.sAMAccountName ?? '';
  const password = ctx.passwords({ userPrincipalName: entry.userPrincipalName, sAMAccountName, displayName: entry.displayName });
  if (password !== undefined) {
    const digest = digestPassword(password);
    await ctx.journal.append({ kind: 'password-filed', cloudId: entry.cloudId, ...digest });
    progress.passwordDigest = digest;
    await ctx.credentials.record({ userPrincipalName: entry.userPrincipalName, sAMAccountName, password });
  }
  return password;
}

