/**
 * The sync prediction as the commands make it, shared by `entra2ad verify` and by
 * `apply`, which predicts for the users of its run when it ends. The rules are in
 * src/verify (pure); this reads what they need and says what they found.
 */
import { join } from 'node:path';
import { readUsersById, RECOVERY_USER_SELECT, type Graph, type GraphUser } from '../cloud/index.js';
import type { Directory } from '../directory/index.js';
import { readCloudUsers } from '../inputs/read-inputs.js';
import { readRunObjects } from '../inputs/scoped-reads.js';
import { sayTo, type TextSink } from '../output.js';
import type { TenantGuards } from '../plan/guards.js';
import { writeFileAtomic } from '../report/write-files.js';
import { predictionLine, predictSync, usersToReadAgain, verifySummaryLine, withFreshUsers, type SourceAnchor, type VerifyInput, type VerifyResult } from '../verify/index.js';

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
  /** Where the prediction is said: apply's stderr. */
  stderr: TextSink;
}

/**
 * The prediction for the users of an apply run, printed to stderr (duplicates and
 * blocks one per line, loudly) and written to verify.json. Never throws: a failure
 * to read is reported and `undefined` returned, so it cannot fail a good apply.
 */
export async function verifyAfterApply(options: VerifyAfterApplyOptions): Promise<VerifyResult | undefined> {
  if (options.cloudIds.length === 0) return undefined;
  const say = sayTo(options.stderr);
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
    const again = await readAgainByIdThenPredict(options.graph, input, predictSync(input), options.stderr, runIds);
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
export async function readAgainByIdThenPredict(
  graph: Graph,
  input: VerifyInput,
  first: VerifyResult,
  stderr: TextSink,
  runCloudIds?: ReadonlySet<string>,
): Promise<{ users: readonly GraphUser[]; result: VerifyResult }> {
  const say = sayTo(stderr);
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
