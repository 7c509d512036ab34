/**
 * `entra2ad apply`: executes a reviewed plan (--plan DIR/plan.json) or one made
 * on the spot, then writes report.json/report.csv/report.html. Every step of every user is
 * journaled in the run folder, so after a crash the same command resumes where
 * it stopped, and re-running a completed apply changes nothing.
 *
 * Run folder (the plan's folder, or --out): plan.json/.csv/.ldif, journal.jsonl,
 * credentials.csv (0600, the only file with passwords), log.jsonl, report.*.
 */
import { getsAdObject } from '../plan/reasons.js';
import { dirname, join } from 'node:path';
import pLimit from 'p-limit';
import { AnchorWriter, createGraph, GRAPH_WRITE_BURST, requireImmutableIdWrite, tokenGrants, type GraphUser } from '../cloud/index.js';
import { connect, parentDn } from '../directory/index.js';
import { ExitCode, UsageError } from '../errors.js';
import { createRunLogger } from '../log.js';
import { processIo, sayTo, writeOutput, type CommandIo } from '../output.js';
import type { PlanSettings } from '../plan/settings.js';
import type { Plan } from '../plan/types.js';
import { formatPlanSummary, planFiles } from '../report/index.js';
import { reportHtmlChunks } from '../report/html/report-html.js';
import { reportToCsv, reportToJson, type RunReport } from '../report/run-report.js';
import { writeChunksAtomic, writeFileAtomic, writeFilesAtomic } from '../report/write-files.js';
import { CredentialsFile } from '../journal/credentials-file.js';
import { directoryWriter } from '../apply/directory-writer.js';
import { findDrift } from '../apply/drift.js';
import { RunError } from '../journal/errors.js';
import { Journal, readJournal } from '../journal/journal.js';
import { foldJournal, type RunState } from '../journal/state.js';
import { refuseRolledBackRun } from '../rollback/guard.js';
import { runPlan } from '../apply/orchestrator.js';
import { RunLock } from '../journal/run-lock.js';
import { DC_UNAVAILABLE, exitCodeFor, pendingWork, summariseApply, type UserOutcome } from '../apply/outcome.js';
import { connectionEventLine, dcOutageLimitSeconds, resumeHint } from './apply-dc-outage.js';
import { passwordSource } from '../apply/password-source.js';
import { checkRunFiles } from '../journal/run-files.js';
import { acquireTargetLock } from '../journal/target-lock.js';
import { APPLY_DIRECTORY_CONCURRENCY, type ApplyArgs } from '../config/flags/apply.js';
import { INSECURE_TLS_WARNING } from '../directory/options.js';
import { readCredentials } from '../journal/credentials-file.js';
import { credentialsWithoutAccount, untrustedCredentialUsers } from '../journal/password-digest.js';
import { readPlanIfPresent, refuseInvalidPlan, refuseOtherPlan, runFingerprint } from '../inputs/plan-file.js';
import { createProgress } from '../apply/progress.js';
import { countTakeoverCandidates, guardDrift, isRecoveryEntry, syncFeaturesUnknownNotice, tenantFindings, tenantStopOf, type TenantGuards } from '../plan/guards.js';
import { candidateIds, planFromInputs, readCloudUsers, readTenantGuards, resolveGroupScope } from '../inputs/read-inputs.js';
import { VERSION } from '../version.js';
import { confirm } from './confirm.js';
import { resolveCommon } from './common.js';
import { verifyAfterApply } from './sync-prediction.js';
import { readDriftSnapshot } from '../inputs/scoped-reads.js';
import { requireSyncBehaviorWrite, runClearStep } from './clear-identifiers.js';

/** The flags of `entra2ad apply`, checked before it runs (src/config/flags/apply.ts: --directory-concurrency 1-32, ...). */
export type ApplyCommandArgs = ApplyArgs;

export interface ApplyCommandResult {
  runDir: string;
  outcomes: UserOutcome[];
  exitCode: ExitCode;
}

export async function applyCommand(args: ApplyCommandArgs, io: CommandIo = processIo()): Promise<ApplyCommandResult> {
  const say = sayTo(io.stderr);
  const runDir = args.out ?? (args.plan ? dirname(args.plan) : undefined);
  if (!runDir) throw new UsageError('RUN_DIR_REQUIRED', 'name the plan to execute (--plan DIR/plan.json) or a run folder (--out DIR)', [], { field: '--out' });
  const planFile = args.plan ?? join(runDir, 'plan.json');
  // Parsed and every entry's fingerprint checked (PLAN_EDITED) before anything is written, the run lock included.
  const planRead = await readPlanIfPresent(planFile, { required: args.plan !== undefined, field: '--plan' });
  const reviewed = planRead?.plan;
  const resolved = await resolveCommon(args, reviewed ? { targetOu: reviewed.targetOu } : {}, io.stderr);

  // One process per run folder: two would file different passwords for the same accounts (src/journal/run-lock.ts).
  await using _lock = await RunLock.acquire(runDir, 'apply');
  // And one run per target (tenant and OU), whichever folder it runs in (src/journal/target-lock.ts).
  await using _targetLock = await acquireTargetLock({
    tenantId: reviewed?.tenantId ?? resolved.cloud.tenantId ?? 'unknown',
    targetOu: reviewed?.targetOu ?? resolved.settings.targetOu,
    runDir,
  });
  // The files the run appends to later are checked now, before anything is written (src/journal/run-files.ts).
  await checkRunFiles(runDir, ['credentials.csv', 'log.jsonl']);
  const { journal, records } = await Journal.open(join(runDir, 'journal.jsonl'));
  try {
    const state = foldJournal(records);
    refuseRolledBackRun(state, runDir);
    if (planRead) refuseOtherPlan(state.planFingerprints, runDir, planRead);
    if (reviewed) await refuseUntrustedCredentials(reviewed, state, runDir);
    // A finished run needs no network at all: the journal says everything is done.
    if (reviewed && pendingWork(reviewed.entries, state.users) === 0) {
      say(`apply: nothing to do; every user of ${planFile} was completed by an earlier run`);
      if (args['clear-object-identifier']) return await clearOnly(args, io, runDir, reviewed, state, resolved, journal);
      return await finish(args, io, runDir, reviewed, outcomesFromJournal(reviewed, state), startedAt());
    }
    const started = startedAt();
    const directoryOptions = resolved.directory;
    if (!directoryOptions) {
      throw new UsageError('DIRECTORY_REQUIRED', 'apply writes to AD: name the DC with --ldap-url (or directory.url in the config file)', [], { field: '--ldap-url' });
    }
    const graph = createGraph(resolved.cloud);
    // No AD account for a user whose anchor the token cannot write: stop before anything is written.
    const grants = await tokenGrants(graph);
    requireImmutableIdWrite(grants);
    // --clear-object-identifier without its permission: stop before the first write, not after the AD users.
    if (args['clear-object-identifier'] && (reviewed?.entries.some((e) => e.recoverConsistencyGuid !== undefined) ?? resolved.settings.recover)) requireSyncBehaviorWrite(grants);
    const logger = createRunLogger(join(runDir, 'log.jsonl'));
    const outageLimitSeconds = dcOutageLimitSeconds(args['dc-outage-limit'] ?? resolved.config.apply?.dcOutageLimitSeconds);
    await using directory = await connect({
      ...directoryOptions,
      outageLimitMs: outageLimitSeconds * 1000,
      onConnectionEvent: (event) => {
        say(connectionEventLine(event, outageLimitSeconds));
        logger.info({ event: `dc-${event.kind}`, ...event });
      },
    });

    // A reviewed recovery plan needs the synced users listed, --recover given again or not.
    const recover = resolved.settings.recover || (reviewed?.entries.some(isRecoveryEntry) ?? false);
    // The DC is read while the cloud is (neither waits for the other); its error, if any, is thrown below.
    // A reviewed plan is only checked for drift: the objects holding its names are enough (src/inputs/scoped-reads.ts); planning needs every name.
    const snapshotRead = reviewed ? readDriftSnapshot(directory, reviewed, state) : directory.readSnapshot({ targetOu: resolved.settings.targetOu });
    snapshotRead.catch(() => undefined);
    const usersRead = readCloudUsers(graph, { recover, filter: resolved.filter }).then((read) => read.users);
    // Guards, read live (src/plan/guards.ts): a role assigned or a tenant block switched on since the plan counts.
    // A reviewed plan names the users they are read for, so they are read while the listing runs, as the DC is.
    const guardOptions = { allowUnknownObjectIdentifier: resolved.settings.allowUnknownObjectIdentifier };
    const guardsRead = reviewed
      ? readTenantGuards(graph, usersRead, { ...guardOptions, objectIdentifierIds: reviewed.entries.filter(getsAdObject).map((e) => e.cloudId) })
      : undefined;
    guardsRead?.catch(() => undefined);
    const users = await usersRead;
    const guards = await (guardsRead ??
      readTenantGuards(graph, users, { ...guardOptions, objectIdentifierIds: candidateIds(users, await resolveGroupScope(graph, resolved.settings)) }));
    const snapshot = await snapshotRead;
    let plan: Plan;
    if (reviewed) {
      refuseDrift(reviewed, users, snapshot, state, guards, new Set(resolved.settings.adoptProtectedUpns.map((u) => u.toLowerCase())));
      plan = reviewed;
    } else {
      plan = await planFromInputs({ graph, tenantId: graph.options.tenantId ?? 'unknown', settings: resolved.settings, users, directory: snapshot, toolVersion: VERSION, guards });
      // A folder whose journal holds a run but whose plan.json is gone: this new plan is not the one that run started with.
      refuseOtherPlan(state.planFingerprints, runDir, { file: planFile, runFingerprints: [runFingerprint(plan)] });
      // The same rules as for a reviewed plan: what the planner made must pass them too.
      refuseInvalidPlan(plan, planFile);
      await writeFilesAtomic(runDir, planFiles(plan));
      say(formatPlanSummary(plan).trimEnd());
    }
    refuseTenantStop(plan, users, guards, state, say);
    // The reviewed plan's password mode is what runs; a fixed password must be at hand before anything is written.
    const passwords = passwordSource(passwordSettingsFor(plan, resolved.settings.password, args['password-mode']), args['initial-password-file']);
    const pending = pendingWork(plan.entries, state.users);
    const question =
      `apply: ${pending} user(s) to create or adopt in ${plan.targetOu} on ${directory.url}, and anchor in tenant ${plan.tenantId}` +
      (guards.syncFeatures.known ? '' : `\n${syncFeaturesUnknownNotice()}`) +
      (directoryOptions.insecureTls ? `\n${INSECURE_TLS_WARNING}` : '');
    if (pending === 0) {
      say('apply: nothing to do');
    } else if (!(await confirm(question, { yes: args.yes === true, stderr: io.stderr }))) {
      say('apply: not confirmed; nothing was written');
      return { runDir, outcomes: [], exitCode: ExitCode.Usage };
    } else {
      say(question);
    }

    await journal.append({ kind: 'run-start', planFingerprint: runFingerprint(plan), toolVersion: VERSION, pid: process.pid });
    logger.info({ event: 'run-start', tenantId: plan.tenantId, targetOu: plan.targetOu, directory: directory.url, pending }, 'apply started');
    if (directoryOptions.insecureTls) logger.warn({ event: 'insecure-tls', code: 'WARN_INSECURE_TLS' }, INSECURE_TLS_WARNING);
    const credentials = await CredentialsFile.open(join(runDir, 'credentials.csv'));
    const anchors = new AnchorWriter(graph, {
      // Graph's write budget is a bucket of 3,000 writes per 150 s per app and tenant
      // (learn.microsoft.com/graph/throttling-limits#identity-and-access-service-limits):
      // a run may use the burst at once and then the 20/s refill; 429s cut the rate (src/cloud/rate-limiter.ts).
      rateLimiter: GRAPH_WRITE_BURST,
      onResult: (r) => logger.info({ event: 'anchor', user: r.userPrincipalName, outcome: r.outcome, reason: r.reason, attempts: r.attempts }),
    });
    const progress = createProgress(plan.entries.filter(getsAdObject).length, { stderr: io.stderr });
    let outcomes: UserOutcome[];
    try {
      // The probe goes where the first user goes: a recovery plan may not use the target OU at all.
      const firstCreate = plan.entries.find((e) => e.action === 'create' && e.dn && !state.users.get(e.cloudId)?.created);
      const probeOu = firstCreate?.dn ? parentDn(firstCreate.dn) : plan.targetOu;
      const passwordOnAdd = await chooseCreateMode(args['create-mode'] ?? resolved.config.apply?.createMode ?? 'auto', directory, probeOu, pending);
      logger.info({ event: 'create-mode', passwordOnAdd });
      outcomes = await runPlan(
        {
          directory: directoryWriter(directory, { passwordOnAdd }),
          anchors,
          journal,
          credentials,
          passwords,
          directoryLimit: pLimit(args['directory-concurrency'] ?? resolved.config.apply?.directoryConcurrency ?? APPLY_DIRECTORY_CONCURRENCY),
          setConsistencyGuid: args['set-consistency-guid'] ?? resolved.config.apply?.setConsistencyGuid ?? false,
          cloudImmutableIds: new Map(users.map((u) => [u.id, u.onPremisesImmutableId ?? null])),
          onEvent: (event) => progress.onEvent(event),
          say,
        },
        plan,
        state,
      );
      await anchors.close();
    } finally {
      progress.stop();
      await credentials.close();
    }
    for (const o of outcomes) logger.info({ event: 'user', user: o.userPrincipalName, outcome: o.outcome, reason: o.reason, dn: o.dn, objectGuid: o.objectGuid });
    const counts = summariseApply(outcomes);
    await journal.append({ kind: 'run-end', summary: counts });
    logger.info({ event: 'run-end', ...counts, anchorStats: anchors.stats, dcReconnects: directory.reconnects }, 'apply finished');
    const warnings = directoryOptions.insecureTls ? [INSECURE_TLS_WARNING] : [];
    // credentials.csv is written ahead of each add: say which of its passwords belong to no account (yet).
    const unused = credentialsWithoutAccount(plan.entries, foldJournal(await readJournal(join(runDir, 'journal.jsonl'))).users, await readCredentials(join(runDir, 'credentials.csv')));
    if (unused.length > 0) {
      const warning = `WARN_CREDENTIALS_UNUSED: credentials.csv holds a password for ${unused.length} account(s) this run has not created (${unused.slice(0, 5).join(', ')}${unused.length > 5 ? ', ...' : ''}): it is set nowhere; do not hand it out. Running apply again creates the account with it`;
      say(`apply: ${warning}`);
      warnings.push(warning);
    }
    const result = await finish(args, io, runDir, plan, outcomes, started, warnings);
    if (result.exitCode === ExitCode.DcUnavailable) {
      // The DC is gone for good as far as this run knows: no verify, which would only wait for it again.
      say(resumeHint(args, planFile, outcomes, outageLimitSeconds));
      return result;
    }
    if (args['clear-object-identifier']) {
      // After the users are complete, before verify (which then sees the cleared identifiers).
      const cleared = await runClearStep({ graph, directory, journal, plan, yes: args.yes === true, syncFeatures: guards.syncFeatures, stderr: io.stderr });
      if (cleared !== ExitCode.Ok && result.exitCode === ExitCode.Ok) result.exitCode = cleared;
    }
    // What the next Entra Connect sync will do with these users; never fails the apply.
    const runIds = outcomes.filter((o) => o.outcome === 'anchored' || o.outcome === 'unchanged').map((o) => o.cloudId);
    const verified = await verifyAfterApply({ graph, directory, targetOu: plan.targetOu, cloudIds: runIds, guards, runDir, stderr: io.stderr });
    // report.html again, now with what the next sync will do for each user.
    if (verified) await writeChunksAtomic(join(runDir, 'report.html'), reportHtmlChunks(result.report, verified));
    return result;
  } finally {
    await journal.close();
  }
}

/**
 * CREDENTIALS_UNTRUSTED (exit 2), before anything is written: credentials.csv holds a
 * password for a user still to create that this run did not make (src/journal/password-digest.ts).
 */
async function refuseUntrustedCredentials(plan: Plan, state: RunState, runDir: string): Promise<void> {
  const file = join(runDir, 'credentials.csv');
  const untrusted = untrustedCredentialUsers(plan.entries, state.users, await readCredentials(file));
  if (untrusted.length === 0) return;
  throw new RunError(
    'CREDENTIALS_UNTRUSTED',
    `${file} holds a password this run did not make (none journaled for it) for ${untrusted.length} user(s) still to create: ${untrusted.slice(0, 10).join(', ')}${untrusted.length > 10 ? ', ...' : ''}; nothing was written. ` +
      'Remove those rows (or the file, if no account was made with it), or use a new run folder (--out)',
    { user: untrusted[0]!, field: 'credentials.csv' },
    ExitCode.Usage,
  );
}

function refuseDrift(plan: Plan, users: readonly GraphUser[], snapshot: Parameters<typeof findDrift>[2], state: RunState, guards: TenantGuards, adoptProtectedUpns: ReadonlySet<string>): void {
  const usersById = new Map(users.map((u) => [u.id, u]));
  const drift: { userPrincipalName: string; reason: string; message: string }[] = findDrift(plan, usersById, snapshot, state, adoptProtectedUpns);
  drift.push(...guardDrift(plan.entries, usersById, guards, (id) => state.users.get(id)?.anchored !== undefined));
  if (drift.length === 0) return;
  throw new RunError(
    'PLAN_STALE',
    `${drift.length} user(s) changed since the plan was made; plan again and review:\n${drift.map((d) => `  - ${d.userPrincipalName}: ${d.reason}: ${d.message}`).join('\n')}`,
    {},
    ExitCode.Usage,
  );
}

/**
 * The tenant-level guards, before anything is written: with hard-match takeover
 * blocked, every cloud-managed user anchored would stay unmatched, so nothing is
 * done (exit 1); the other findings are printed.
 */
function refuseTenantStop(plan: Plan, users: readonly GraphUser[], guards: TenantGuards, state: RunState, say: (line: string) => void): void {
  const pendingEntries = plan.entries.filter((e) => !state.users.get(e.cloudId)?.anchored);
  const findings = tenantFindings(guards, countTakeoverCandidates(pendingEntries, new Map(users.map((u) => [u.id, u]))));
  for (const f of findings) if (f.level !== 'stop') say(`apply: tenant ${f.level} ${f.code}: ${f.message}`);
  const stop = tenantStopOf(findings);
  if (stop) throw new RunError(stop.code, `nothing was written to AD or the cloud. ${stop.message}`, {}, ExitCode.Failure);
}

/**
 * Password settings for executing `plan`: its entries carry the mode it was
 * reviewed with (random, fixed or none; the accounts' userAccountControl was
 * planned from it), and that mode runs, whatever the apply-time config says.
 * Saying another one explicitly (--password-mode) is refused.
 */
function passwordSettingsFor(plan: Plan, settings: PlanSettings['password'], flag: string | undefined): PlanSettings['password'] {
  const modes = new Set(plan.entries.filter((e) => e.action === 'create' && e.passwordMode !== undefined).map((e) => e.passwordMode!));
  if (modes.size !== 1) return settings;
  const [mode] = [...modes] as [PlanSettings['password']['mode']];
  if (flag !== undefined && flag !== mode) {
    throw new UsageError('PASSWORD_MODE_MISMATCH', `the plan was made with password mode "${mode}", not "${flag}"; plan again to change it`, [], { field: '--password-mode' });
  }
  return { ...settings, mode };
}

/**
 * One add carrying the password costs one round trip instead of three; Windows
 * documents unicodePwd on add as conditional, so in `auto` the DC is probed once.
 */
async function chooseCreateMode(mode: string, directory: Awaited<ReturnType<typeof connect>>, targetOu: string, pending: number): Promise<boolean> {
  if (mode === 'portable' || pending === 0) return false;
  if (mode === 'password-on-add') return true;
  await directory.ensureOu(targetOu);
  return directory.probePasswordOnAdd(targetOu);
}

/** A completed run folder with --clear-object-identifier: only the clearing, then the run's outcomes as before. */
async function clearOnly(
  args: ApplyCommandArgs,
  io: CommandIo,
  runDir: string,
  plan: Plan,
  state: RunState,
  resolved: Awaited<ReturnType<typeof resolveCommon>>,
  journal: Journal,
): Promise<ApplyCommandResult> {
  if (!resolved.directory) {
    throw new UsageError('DIRECTORY_REQUIRED', 'the clear reads each recovered user back from AD first: name the DC with --ldap-url (or directory.url in the config file)', [], {
      field: '--ldap-url',
    });
  }
  const graph = createGraph(resolved.cloud);
  await using directory = await connect(resolved.directory);
  const exitCode = await runClearStep({ graph, directory, journal, plan, yes: args.yes === true, stderr: io.stderr });
  writeOutput(args.output, { runDir, clearObjectIdentifier: exitCode === ExitCode.Ok ? 'done' : 'incomplete' }, () => runDir, io.stdout);
  return { runDir, outcomes: outcomesFromJournal(plan, state), exitCode };
}

/** Outcomes of a completed run, from the journal alone. */
function outcomesFromJournal(plan: Plan, state: RunState): UserOutcome[] {
  return plan.entries.map((entry): UserOutcome => {
    const base = { cloudId: entry.cloudId, userPrincipalName: entry.userPrincipalName, action: entry.action };
    const progress = state.users.get(entry.cloudId);
    if (getsAdObject(entry) && progress?.anchored) {
      return {
        ...base,
        outcome: 'unchanged',
        ...(progress.created ? { dn: progress.created.dn } : {}),
        ...(progress.objectGuid ? { objectGuid: progress.objectGuid } : {}),
        immutableId: progress.anchored.immutableId,
        ...(progress.managerDn ? { managerDn: progress.managerDn } : {}),
        reason: 'ALREADY_DONE',
        message: 'completed by an earlier run; nothing to do',
      };
    }
    return { ...base, outcome: entry.action === 'blocked' ? 'blocked' : 'skipped', reason: entry.reason, message: entry.message };
  });
}

async function finish(
  args: ApplyCommandArgs,
  io: CommandIo,
  runDir: string,
  plan: Plan,
  outcomes: UserOutcome[],
  started: string,
  warnings: readonly string[] = [],
): Promise<ApplyCommandResult & { report: RunReport }> {
  const report: RunReport = {
    formatVersion: 1,
    tool: { name: 'entra2ad', version: VERSION },
    startedAt: started,
    finishedAt: new Date().toISOString(),
    tenantId: plan.tenantId,
    directory: plan.domainDn ?? '',
    targetOu: plan.targetOu,
    summary: summariseApply(outcomes),
    ...(warnings.length > 0 ? { warnings: [...warnings] } : {}),
    users: outcomes,
  };
  await writeFileAtomic(join(runDir, 'report.json'), reportToJson(report));
  await writeFileAtomic(join(runDir, 'report.csv'), reportToCsv(outcomes));
  await writeChunksAtomic(join(runDir, 'report.html'), reportHtmlChunks(report));
  const s = report.summary;
  const say = sayTo(io.stderr);
  say(`apply: anchored ${s.anchored}, unchanged ${s.unchanged}, failed ${s.failed}, skipped ${s.skipped}, blocked ${s.blocked}`);
  // Users the run could not get to because the DC stayed away are counted, not listed one by one: resumeHint says what to do.
  for (const o of outcomes.filter((x) => x.outcome === 'failed' && x.reason !== DC_UNAVAILABLE)) say(`  failed ${o.userPrincipalName}: ${o.reason}: ${o.message}`);
  say(`report: ${join(runDir, 'report.json')}, report.csv and report.html`);
  writeOutput(args.output, { runDir, summary: s, report: join(runDir, 'report.json') }, () => join(runDir, 'report.json'), io.stdout);
  return { runDir, outcomes, exitCode: exitCodeFor(outcomes), report };
}

const startedAt = () => new Date().toISOString();
