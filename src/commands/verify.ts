/**
 * `entra2ad verify`: reads the directory (the target OU, or the whole domain with
 * `--scope domain`) and the tenant, and predicts per user what the next Entra
 * Connect sync will do (src/verify/predict.ts): hard-match, soft-match, duplicate,
 * blocked, not-in-scope. Writes nothing anywhere.
 *
 * Exit codes: 0, or 4 (ExitCode.Duplicates) when at least one AD user would become a
 * duplicate cloud user; the usual 1/2 when it cannot read or is misused.
 *
 * `apply` makes the same prediction at the end of a run, for the users of the run
 * (src/commands/sync-prediction.ts).
 */
import { createGraph, readMailboxes } from '../cloud/index.js';
import { connect, isDnWithin } from '../directory/index.js';
import { ExitCode, UsageError } from '../errors.js';
import { effectiveExchangeSchema } from '../exchange/attributes.js';
import type { MailboxFact } from '../exchange/mailbox-attributes.js';
import { withMailboxWarnings } from '../verify/mailbox-warnings.js';
import { processIo, sayTo, writeOutput, type CommandIo } from '../output.js';
import { tenantFindings } from '../plan/guards.js';
import { readCloudUsers, readTenantGuards, syncBehaviorCandidates } from '../inputs/read-inputs.js';
import { predictSync, verifySummaryLine, verifyTable, verifyToText, type VerifyResult } from '../verify/index.js';
import type { VerifyArgs } from '../config/flags/verify.js';
import { resolveCommon } from './common.js';
import { readAgainByIdThenPredict } from './sync-prediction.js';

export { VERIFY_OUTPUT_FORMATS, VERIFY_SCOPES, type VerifyOutputFormat, type VerifyScope } from '../verify/types.js';

/** The flags of `entra2ad verify`, checked (src/config/flags/verify.ts). */
export type VerifyCommandArgs = VerifyArgs;

export interface VerifyCommandResult {
  result: VerifyResult;
  exitCode: ExitCode;
}

export async function verifyCommand(args: VerifyCommandArgs, io: CommandIo = processIo()): Promise<VerifyCommandResult> {
  const say = sayTo(io.stderr);
  const resolved = await resolveCommon(args, {}, io.stderr);
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
  const { users: current, result: met } = await readAgainByIdThenPredict(graph, { adObjects, cloudUsers: users, sourceAnchor }, first, io.stderr);
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
  writeOutput(args.output, result, () => verifyToText(result), io.stdout, () => verifyTable(result));
  if (result.summary.duplicate > 0) say(`verify: ${result.summary.duplicate} AD user(s) would become DUPLICATE cloud users at the next sync: fix them first (exit ${ExitCode.Duplicates})`);
  return { result, exitCode: result.summary.duplicate > 0 ? ExitCode.Duplicates : ExitCode.Ok };
}
