/**
 * One user through apply, the I/O: create (or adopt) -> read objectGUID ->
 * anchor. Each step gathers what the directory and the cloud say, asks
 * decide.ts what to do next (resume included: a create, GUID or anchor step
 * started but not confirmed), performs it and journals it before and after
 * (src/journal/records.ts), so a run killed anywhere resumes from the journal.
 */
import type { LimitFunction } from 'p-limit';
import { bytesToGuid, guidToBytes, immutableIdToBytes } from '../anchor/index.js';
import { parentDn } from '../directory/dn.js';
import type { NewUserEntry } from '../directory/types.js';
import { UAC_DISABLED_USER } from '../directory/uac.js';
import type { PlanEntry } from '../plan/types.js';
import type { CredentialsFile } from '../journal/credentials-file.js';
import { digestPassword } from '../journal/password-digest.js';
import { crashPoint } from '../journal/crash-point.js';
import type { Journal } from '../journal/journal.js';
import type { UserStep } from '../journal/records.js';
import type { UserProgress } from '../journal/state.js';
import type { UserOutcome } from './outcome.js';
import type { AnchorSink, DirectoryWriter, PasswordSource } from './ports.js';
import { asStepFailure, step, StepFailure } from '../journal/step-failure.js';
import {
  addAgainWithoutManager,
  cloudImmutableIdNow,
  decideAdd,
  decideAdopt,
  decideAnchor,
  decideAnchorResult,
  decideAnchorValue,
  decideGuid,
  decideObject,
  decidePassword,
  decideStart,
  guidSource,
  managerForAdd,
  type GuidFact,
  type Refusal,
} from './decide.js';

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
  /** A line for the person running apply: the command's stderr (src/output.ts CommandIo), never process.stderr directly. */
  say: (line: string) => void;
}

export async function applyUser(ctx: ApplyContext, entry: PlanEntry, progress: UserProgress): Promise<UserOutcome> {
  const base = { cloudId: entry.cloudId, userPrincipalName: entry.userPrincipalName, action: entry.action };
  const start = decideStart(entry, progress);
  if (start.action === 'done') {
    ctx.onEvent?.({ kind: 'unchanged', cloudId: entry.cloudId });
    return { ...base, outcome: 'unchanged', dn: start.dn, objectGuid: start.objectGuid, immutableId: start.immutableId, reason: start.reason, message: start.message };
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

function refused(refusal: Refusal): StepFailure<UserStep> {
  return new StepFailure(refusal.step, refusal.reason, refusal.message);
}

/** Create or adopt, then read the GUID. Returns the immutableId the cloud must carry. */
async function directoryPart(ctx: ApplyContext, entry: PlanEntry, progress: UserProgress) {
  let managerDn = progress.managerDn;
  const object = decideObject(entry, progress);
  let dn: string;
  if (object.action === 'known') {
    dn = object.dn;
  } else {
    const made = await step('create', () => (object.action === 'adopt' ? adoptObject(ctx, entry) : createObject(ctx, entry, progress, object.addStarted)));
    dn = made.dn;
    managerDn ??= made.managerDn;
  }
  ctx.objectDns?.set(entry.cloudId, dn);
  // Adopt: a search (the object may carry its own mS-DS-ConsistencyGuid). Create: a base read at the DN we
  // know (measured 1.0 ms against 3.1 ms for a domain search).
  const fact: GuidFact =
    guidSource(entry) === 'by-upn'
      ? { source: 'by-upn', found: await step('guid', () => ctx.directory.findUserByUpn(entry.userPrincipalName)) }
      : { source: 'at-dn', objectGuid: bytesToGuid(await step('guid', () => ctx.directory.readObjectGuid(dn))) };
  const guid = decideGuid(entry, progress, dn, fact);
  if (guid.action === 'fail') throw refused(guid);
  if (guid.action === 'record') {
    await ctx.journal.append({ kind: 'guid', cloudId: entry.cloudId, dn, objectGuid: guid.objectGuid });
    crashPoint('after-guid');
  }
  const anchor = decideAnchorValue(entry, guid, ctx.setConsistencyGuid);
  if (anchor.stampConsistencyGuid) await step('guid', () => ctx.directory.setConsistencyGuid(dn, guidToBytes(guid.objectGuid)));
  return { dn, objectGuid: guid.objectGuid, anchor: anchor.immutableId, managerDn };
}

async function adoptObject(ctx: ApplyContext, entry: PlanEntry): Promise<{ dn: string; managerDn?: string }> {
  const adopt = decideAdopt(entry, await ctx.directory.findUserByUpn(entry.userPrincipalName));
  if (adopt.action === 'fail') throw refused(adopt);
  await ctx.journal.append({ kind: 'created', cloudId: entry.cloudId, dn: adopt.dn, adopted: true });
  return { dn: adopt.dn };
}

async function createObject(ctx: ApplyContext, entry: PlanEntry, progress: UserProgress, addStarted: boolean): Promise<{ dn: string; managerDn?: string }> {
  const newUser = toNewUserEntry(entry);
  const password = await passwordFor(ctx, entry, progress);
  const found = addStarted ? await ctx.directory.findUserByUpn(entry.userPrincipalName) : undefined;
  let managerDn: string | undefined;
  const add = decideAdd(entry, progress, found);
  if (add.action === 'fail') throw refused(add);
  if (add.action === 'finish') {
    await ctx.directory.finishUser(newUser, password);
  } else {
    await ctx.ensureParent?.(parentDn(newUser.dn));
    await ctx.journal.append({ kind: 'create-start', cloudId: entry.cloudId, dn: newUser.dn });
    // Asked only now: a manager whose object appeared while this user waited still goes in the add.
    managerDn = await createWithManager(ctx, newUser, password, managerForAdd(entry, ctx.objectDns));
  }
  crashPoint('after-create');
  await ctx.journal.append({ kind: 'created', cloudId: entry.cloudId, dn: newUser.dn });
  if (managerDn) await ctx.journal.append({ kind: 'manager-set', cloudId: entry.cloudId, managerDn });
  ctx.onEvent?.({ kind: 'created', cloudId: entry.cloudId });
  return managerDn ? { dn: newUser.dn, managerDn } : { dn: newUser.dn };
}

/**
 * Adds the user with `manager` in the add when its manager's object exists, saving
 * the second-pass modify; without it when that object is gone after all
 * (addAgainWithoutManager). Returns the manager DN that was set.
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
    if (!addAgainWithoutManager(error)) throw error;
    await ctx.directory.createUser(newUser, password);
    return undefined;
  }
}

async function anchorPart(ctx: ApplyContext, entry: PlanEntry, progress: UserProgress, immutableId: string): Promise<{ reason: string; message: string }> {
  const decision = decideAnchor(entry, progress, immutableId, cloudImmutableIdNow(entry, ctx.cloudImmutableIds));
  if (decision.action === 'record') {
    await ctx.journal.append({ kind: 'anchored', cloudId: entry.cloudId, immutableId, outcome: decision.outcome });
    return decision;
  }
  if (decision.journalStart) await ctx.journal.append({ kind: 'anchor-start', cloudId: entry.cloudId, immutableId });
  const result = await ctx.anchors.enqueue({ cloudId: entry.cloudId, userPrincipalName: entry.userPrincipalName, immutableId });
  crashPoint('after-anchor-write');
  const anchored = decideAnchorResult(entry, result);
  if (anchored.action === 'fail') throw refused(anchored);
  await ctx.journal.append({ kind: 'anchored', cloudId: entry.cloudId, immutableId, outcome: anchored.outcome });
  return anchored;
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
  const onFile = decidePassword(entry, progress, ctx.credentials.passwordFor(entry.userPrincipalName));
  if (onFile.action === 'fail') throw refused(onFile);
  if (onFile.action === 'reuse') return onFile.password;
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
