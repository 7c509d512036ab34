/**
 * `entra2ad verify`: reads the directory (the target OU, or the whole domain with
 * `--scope domain`) and the tenant, and predicts per user what the next Entra
 * Connect sync will do (src/verify/predict.ts): hard-match, soft-match, duplicate,
 * blocked, not-in-scope. Writes nothing anywhere.
 *
 * Exit codes: 0, or 4 (ExitCode.Duplicates) when at least one AD user would become a
 * duplicate cloud user; the usual 1/2 when it cannot read or is misused.
 *
 * `apply` calls verifyAfterApply at the end of a run, for the users of the run.
 */
import { join } from 'node:path';
import { createGraph, readMailboxes, readUsersById, RECOVERY_USER_SELECT, type Graph, type GraphUser } from '../cloud/index.js';
import { connect, isDnWithin, type Directory } from '../directory/index.js';
import { ExitCode, UsageError } from '../errors.js';
import { effectiveExchangeSchema } from '../exchange/attributes.js';
import type { MailboxFact } from '../exchange/mailbox-attributes.js';
import { withMailboxWarnings } from '../verify/mailbox-warnings.js';
import { say } from '../output.js';
import { tenantFindings, type TenantGuards } from '../plan/guards.js';
import { writeFileAtomic } from '../report/write-files.js';
import { readCloudUsers, readTenantGuards, syncBehaviorCandidates } from '../inputs/read-inputs.js';
import { readRunObjects } from '../inputs/scoped-reads.js';
import {
  predictSync,
  verifySummaryLine,
  verifyToCsv,
  verifyToText,
  predictionLine,
  usersToReadAgain,
  withFreshUsers,
  type SourceAnchor,
  type VerifyInput,
  type VerifyResult,
} from '../verify/index.js';
import { resolveCommon, type CommonArgs } from './common.js';

export { VERIFY_OUTPUT_FORMATS, VERIFY_SCOPES, type VerifyOutputFormat, type VerifyScope } from '../verify/types.js';
import type { VerifyOutputFormat, VerifyScope } from '../verify/types.js';

export interface VerifyCommandArgs extends CommonArgs {
  scope?: VerifyScope | undefined;
  'source-anchor'?: SourceAnchor | undefined;
  output: VerifyOutputFormat;
}

export interface VerifyCommandResult {
  result: VerifyResult;
  exitCode: ExitCode;
}

export async function verifyCommand(args: VerifyCommandArgs): Promise<VerifyCommandResult> {
  const resolved = await resolveCommon(args);
  if (!resolved.directory) {
    throw new UsageError('DIRECTORY_REQUIRED', 'verify reads AD: name the DC with --ldap-url (or directory.url in the config file)', [], { field: '--ldap-url' });
  }
  const scope = args.scope ?? 'ou';
  const graph = createGraph(resolved.cloud);
  // Synced users too: their anchors are what a recovered AD must meet.
  const { users } = await readCloudUsers(graph, { recover: true, filter: resolved.filter });
  say(`cloud: ${users.length} user(s) read`);
  const targetOu = resolved.settings.targetOu;
  let adObjects;
  let exchangeSchema;
  {
    await using directory = await connect(resolved.directory);
    const snapshot = await directory.readSnapshot({ targetOu });
    exchangeSchema = effectiveExchangeSchema(snapshot.exchangeSchema, resolved.settings.exchangeSchema);
    adObjects = scope === 'domain' ? snapshot.objects : snapshot.objects.filter((o) => isDnWithin(o.dn, targetOu));
    say(`directory: ${adObjects.length} object(s) in ${scope === 'domain' ? snapshot.domainDn : targetOu}`);
  }
  const sourceAnchor = args['source-anchor'] ?? 'ms-DS-ConsistencyGuid';
  // onPremisesObjectIdentifier only for the cloud users some AD object meets.
  const first = predictSync({ adObjects, cloudUsers: users, sourceAnchor });
  const { users: current, result: met } = await readAgainByIdThenPredict(graph, { adObjects, cloudUsers: users, sourceAnchor }, first);
  const metIds = met.predictions.flatMap((p) => (p.cloudId ? [p.cloudId] : []));
  // Source of authority only for the synced users some AD object hard-matches (the recovery's).
  const hardIds = met.predictions.flatMap((p) => (p.cloudId && p.reason === 'HARD_MATCH' ? [p.cloudId] : []));
  const guards = await readTenantGuards(graph, current, { objectIdentifierIds: metIds, syncBehaviorIds: syncBehaviorCandidates(current, hardIds) });
  const predicted = predictSync({ adObjects, cloudUsers: current, guards, sourceAnchor, reportUnmatchedCloudUsers: scope === 'domain' });
  // Mailboxes only of the cloud users an AD object is about to match, and only those with mail (src/cloud/mailbox-reader.ts).
  const matchedIds = new Set(predicted.predictions.flatMap((p) => (p.cloudId && (p.kind === 'hard-match' || p.kind === 'soft-match') ? [p.cloudId] : [])));
  const mailUsers = current.filter((u) => matchedIds.has(u.id) && typeof u.mail === 'string' && u.mail !== '').map((u) => u.id);
  const mailboxes = mailUsers.length > 0 ? await readMailboxes(graph, mailUsers) : new Map<string, MailboxFact>();
  const result = withMailboxWarnings(predicted, adObjects, current, mailboxes, exchangeSchema);
  result.tenantFindings = tenantFindings(guards, result.predictions.filter((p) => p.reason === 'BLOCKED_TAKEOVER_DISABLED').length);

  say(verifySummaryLine(result));
  for (const p of result.predictions) for (const w of p.warnings ?? []) say(`${w.code} ${p.userPrincipalName}: ${w.message}`);
  if (args.output === 'json') process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else if (args.output === 'csv') process.stdout.write(verifyToCsv(result));
  else if (args.output === 'text') process.stdout.write(`${verifyToText(result)}\n`);
  if (result.summary.duplicate > 0) say(`verify: ${result.summary.duplicate} AD user(s) would become DUPLICATE cloud users at the next sync: fix them first (exit ${ExitCode.Duplicates})`);
  return { result, exitCode: result.summary.duplicate > 0 ? ExitCode.Duplicates : ExitCode.Ok };
}

export interface VerifyAfterApplyOptions {
  graph: Graph;
  directory: Directory;
  targetOu: string;
  /** The users of the run (anchored or already done). */
  cloudIds: readonly string[];
  guards?: TenantGuards | undefined;
  /** Where verify.json goes (the run folder). */
  runDir?: string | undefined;
  sourceAnchor?: SourceAnchor;
}

/**
 * The prediction for the users of an apply run, printed to stderr (duplicates and
 * blocks one per line, loudly) and written to verify.json. Never throws: a failure
 * to read is reported and `undefined` returned, so it cannot fail a good apply.
 */
export async function verifyAfterApply(options: VerifyAfterApplyOptions): Promise<VerifyResult | undefined> {
  if (options.cloudIds.length === 0) return undefined;
  try {
    const { users } = await readCloudUsers(options.graph, { recover: true });
    const runIds = new Set(options.cloudIds);
    // Only the AD objects holding the run's users' anchors, UPNs and addresses: all their predictions depend on (src/verify/scope.ts).
    const read = await readRunObjects(options.directory, options.targetOu, users, runIds);
    const input: VerifyInput = {
      adObjects: read.objects,
      cloudUsers: users,
      guards: options.guards,
      sourceAnchor: options.sourceAnchor ?? 'ms-DS-ConsistencyGuid',
      onlyCloudIds: runIds,
    };
    const again = await readAgainByIdThenPredict(options.graph, input, predictSync(input), runIds);
    // A user read again may show an anchor its listing did not yet: the objects holding it are read too.
    const wider = await readRunObjects(options.directory, options.targetOu, again.users, runIds, read);
    const result = wider === read ? again.result : predictSync({ ...input, adObjects: wider.objects, cloudUsers: again.users });
    say(verifySummaryLine(result));
    const loud = result.predictions.filter((p) => p.kind === 'duplicate' || p.kind === 'blocked');
    if (result.summary.duplicate > 0) say(`!! verify: ${result.summary.duplicate} user(s) of this run would become DUPLICATE cloud users at the next Entra Connect sync: fix them before it runs`);
    for (const p of loud) say(`!! ${predictionLine(p)}`);
    if (options.runDir) {
      await writeFileAtomic(join(options.runDir, 'verify.json'), `${JSON.stringify(result, null, 2)}\n`);
      say(`verify: ${join(options.runDir, 'verify.json')}`);
    }
    return result;
  } catch (error) {
    say(`verify: could not predict the next sync (${error instanceof Error ? error.message : String(error)}); the apply itself is unaffected: run entra2ad verify later`);
    return undefined;
  }
}

/**
 * Right after writes, a listing may still show users as they were
 * (src/verify/read-again.ts): the users whose prediction a stale listing could
 * have made wrong are read again by id, and the prediction is made again with
 * them. Says on stderr how many were read and how many the listing had wrong.
 */
async function readAgainByIdThenPredict(
  graph: Graph,
  input: VerifyInput,
  first: VerifyResult,
  runCloudIds?: ReadonlySet<string>,
): Promise<{ users: readonly GraphUser[]; result: VerifyResult }> {
  const { ids, skipped } = usersToReadAgain(first, runCloudIds);
  if (skipped > 0) say(`verify: ${skipped} more soft match(es) not read again by id (only ${ids.length} are): a write of the last minutes may not show in them yet`);
  if (ids.length === 0) return { users: input.cloudUsers, result: first };
  const fresh = await readUsersById(graph, ids, { select: RECOVERY_USER_SELECT });
  const { users, changed } = withFreshUsers(input.cloudUsers, fresh);
  const unread = ids.length - fresh.size;
  say(
    `verify: ${ids.length} user(s) read again by id (listings can lag recent writes): ${changed.length} differed from the listing` +
      (unread > 0 ? `; ${unread} could not be read, their listing entry is used` : ''),
  );
  if (changed.length === 0) return { users: input.cloudUsers, result: first };
  return { users, result: predictSync({ ...input, cloudUsers: users }) };
}
