/**
 * `entra2ad rollback --run DIR (--delete | --disable)`: undoes what one apply
 * run did to the users it CREATED: clears the onPremisesImmutableId it wrote
 * (only while the cloud still holds exactly that value), then deletes or
 * disables the AD object (only the object with the objectGUID it journaled).
 * Adopted users are never touched. Anything that changed since apply is left
 * alone and reported (rollback-report.json/.csv in the run folder).
 *
 * Journaled in the run's own journal.jsonl: a rollback killed anywhere re-runs
 * safely, a completed one re-run changes nothing, and `--disable` now then
 * `--delete` later works. apply refuses a rolled-back folder (rollback/guard.ts).
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { AnchorWriter, createGraph } from '../cloud/index.js';
import { loadConfigFile } from '../config/config-file.js';
import { ROLLBACK_DIRECTORY_CONCURRENCY, type RollbackArgs } from '../config/flags/rollback.js';
import { connect, dnEquals, type Directory } from '../directory/index.js';
import { ExitCode, UsageError } from '../errors.js';
import { createRunLogger } from '../log.js';
import { processIo, sayTo, writeOutput, type CommandIo, type TextSink } from '../output.js';
import type { Plan } from '../plan/types.js';
import { writeFileAtomic } from '../report/write-files.js';
import { Journal } from '../journal/journal.js';
import type { RollbackMode } from '../journal/records.js';
import { foldJournal } from '../journal/state.js';
import { rollbackExitCode, summariseRollback, type RollbackUserOutcome } from '../rollback/outcome.js';
import { rollbackCloud, rollbackDirectory } from '../rollback/ports.js';
import { rollbackReportToCsv, type RollbackReport } from '../rollback/report.js';
import { reportToJson } from '../report/run-report.js';
import { needsNetwork, rollbackTargets, type PlanNames } from '../rollback/targets.js';
import { rollbackUser } from '../rollback/user.js';
import { readPlanIfPresent, refuseOtherPlan } from '../inputs/plan-file.js';
import { RunLock } from '../journal/run-lock.js';
import { VERSION } from '../version.js';
import { isOtherTenant, resolveConnections, withSignInPrompt } from './common.js';
import { confirm } from './confirm.js';

/** The flags of `entra2ad rollback`, checked before it runs (src/config/flags/rollback.ts). */
export type RollbackCommandArgs = RollbackArgs;

export interface RollbackCommandResult {
  runDir: string;
  mode: RollbackMode;
  outcomes: RollbackUserOutcome[];
  exitCode: ExitCode;
}

/** LDAP operations in flight when neither --directory-concurrency nor the config's apply.directoryConcurrency says. */
export const DEFAULT_DIRECTORY_CONCURRENCY = ROLLBACK_DIRECTORY_CONCURRENCY;
/** Cloud reads in flight (one GET per user); the clears go through the AnchorWriter's batches. */
const CLOUD_READ_CONCURRENCY = 8;

export async function rollbackCommand(args: RollbackCommandArgs, io: CommandIo = processIo()): Promise<RollbackCommandResult> {
  const say = sayTo(io.stderr);
  const mode = modeOf(args);
  const runDir = args.run;
  const journalFile = join(runDir, 'journal.jsonl');
  await requireFile(journalFile, `${runDir} is not a run folder (no journal.jsonl): name the folder apply ran in`);
  // The plan names what rollback may touch: refused when edited (PLAN_EDITED) or not the run's (RUN_PLAN_MISMATCH).
  const planRead = await readPlanIfPresent(join(runDir, 'plan.json'), { required: false, field: '--run' });
  const plan = planRead?.plan;
  const started = new Date().toISOString();

  // apply and rollback share the folder's journal: one process at a time (src/journal/run-lock.ts).
  await using _lock = await RunLock.acquire(runDir, 'rollback');
  const { journal, records } = await Journal.open(journalFile);
  try {
    const state = foldJournal(records);
    if (planRead) refuseOtherPlan(state.planFingerprints, runDir, planRead);
    const targets = rollbackTargets(state, mode, planNames(plan));
    const work = targets.filter(needsNetwork);
    const cleared = [...state.users.values()].filter((u) => u.identifierCleared?.outcome === 'cleared').length;
    // apply --clear-object-identifier cannot be undone: Graph accepts only null for onPremisesObjectIdentifier.
    if (cleared > 0) {
      say(
        `rollback: ${cleared} user(s) had onPremisesObjectIdentifier cleared by apply --clear-object-identifier; rollback cannot restore it ` +
          '(Graph accepts only null; the old value can never be written back). Those users will hard-match whatever AD object carries their anchor at the next sync.',
      );
    }
    if (work.length === 0) {
      say(targets.length === 0 ? 'rollback: this run created no AD users; nothing to do' : 'rollback: nothing to do; the journal says every user this run created is rolled back');
      const outcomes = await Promise.all(targets.map((t) => rollbackUser(offlineContext(mode, journal), t)));
      return await finish(args, io, { runDir, mode, plan, outcomes, started, directory: '' });
    }

    const { cloud: cloudOptions, directory: directoryOptions, concurrency } = await resolveOptions(args, io.stderr);
    if (!directoryOptions) {
      throw new UsageError('DIRECTORY_REQUIRED', 'rollback writes to AD: name the DC with --ldap-url (or directory.url in the config file)', [], { field: '--ldap-url' });
    }
    const graph = createGraph(cloudOptions);
    refuseOtherTenant(plan, graph.options.tenantId);
    const logger = createRunLogger(join(runDir, 'log.jsonl'));
    await using directory = await connect(directoryOptions);
    await refuseOtherDomain(plan, directory);

    const question = `rollback: ${work.length} user(s) created by this run: clear the onPremisesImmutableId it wrote (tenant ${plan?.tenantId ?? graph.options.tenantId ?? '?'}) and ${mode === 'delete' ? 'DELETE' : 'disable'} them in AD on ${directory.url}. Adopted users and users changed since apply are left alone.`;
    if (!(await confirm(question, { yes: args.yes === true, stderr: io.stderr }))) {
      say('rollback: not confirmed; nothing was changed');
      return { runDir, mode, outcomes: [], exitCode: ExitCode.Usage };
    }
    say(question);

    await journal.append({ kind: 'rollback-start', mode, toolVersion: VERSION, pid: process.pid, directory: directory.url });
    logger.info({ event: 'rollback-start', mode, directory: directory.url, pending: work.length }, 'rollback started');
    const anchors = new AnchorWriter(graph, { onResult: (r) => logger.info({ event: 'anchor-clear', user: r.userPrincipalName, outcome: r.outcome, reason: r.reason, attempts: r.attempts }) });
    let outcomes: RollbackUserOutcome[];
    try {
      const ctx = {
        mode,
        cloud: rollbackCloud(graph, anchors),
        directory: rollbackDirectory(directory),
        journal,
        cloudLimit: pLimit(CLOUD_READ_CONCURRENCY),
        directoryLimit: pLimit(concurrency),
      };
      outcomes = await Promise.all(targets.map((target) => rollbackUser(ctx, target)));
    } finally {
      await anchors.close();
    }
    for (const o of outcomes) logger.info({ event: 'rollback-user', user: o.userPrincipalName, outcome: o.outcome, reason: o.reason, cloud: o.cloud, directory: o.directory, dn: o.dn, objectGuid: o.objectGuid });
    const summary = summariseRollback(outcomes);
    await journal.append({ kind: 'rollback-end', summary });
    logger.info({ event: 'rollback-end', mode, ...summary }, 'rollback finished');
    return await finish(args, io, { runDir, mode, plan, outcomes, started, directory: directory.url });
  } finally {
    await journal.close();
  }
}

function modeOf(args: RollbackCommandArgs): RollbackMode {
  if (args.delete === true && args.disable === true) throw new UsageError('ROLLBACK_MODE', 'choose one of --delete and --disable, not both', [], { field: '--delete' });
  if (args.delete === true) return 'delete';
  if (args.disable === true) return 'disable';
  throw new UsageError('ROLLBACK_MODE', 'say what to do with the AD users this run created: --delete or --disable', [], { field: '--delete' });
}

async function requireFile(file: string, message: string): Promise<void> {
  try {
    await stat(file);
  } catch {
    throw new UsageError('RUN_DIR_INVALID', message, [], { field: '--run' });
  }
}

function planNames(plan: Plan | undefined): Map<string, PlanNames> {
  const names = new Map<string, PlanNames>();
  for (const entry of plan?.entries ?? []) {
    names.set(entry.cloudId, { userPrincipalName: entry.userPrincipalName, recoverConsistencyGuid: entry.recoverConsistencyGuid });
  }
  return names;
}

/** Flags > config file > environment, as for plan and apply; every problem at once. */
async function resolveOptions(args: RollbackCommandArgs, stderr: TextSink) {
  const config = await loadConfigFile(args.config);
  const problems: string[] = [];
  const { directory, cloud } = resolveConnections(args, config, problems);
  if (problems.length > 0) throw new UsageError('CONFIG_INVALID', `${problems.length} problem(s) with the options and config`, problems);
  const concurrency = args['directory-concurrency'] ?? config.apply?.directoryConcurrency ?? DEFAULT_DIRECTORY_CONCURRENCY;
  return { cloud: withSignInPrompt(cloud, stderr), directory, concurrency };
}

/** Signed in to another tenant than the plan's (src/commands/common.ts isOtherTenant). */
function refuseOtherTenant(plan: Plan | undefined, tenantId: string | undefined): void {
  if (!plan || !isOtherTenant(plan.tenantId, tenantId)) return;
  throw new UsageError('TENANT_MISMATCH', `this run was applied to tenant ${plan.tenantId}, but the sign-in is for tenant ${tenantId}`, [], { field: '--tenant-id' });
}

/**
 * Connected to another domain than the plan's: no object would be found by its
 * GUID, and rollback would take every user for "already deleted".
 */
async function refuseOtherDomain(plan: Plan | undefined, directory: Directory): Promise<void> {
  if (!plan?.domainDn) return;
  const domainDn = await directory.domainDn();
  if (dnEquals(domainDn, plan.domainDn)) return;
  throw new UsageError('DOMAIN_MISMATCH', `this run was applied to ${plan.domainDn}, but ${directory.url} serves ${domainDn}`, [], { field: '--ldap-url' });
}

/** For a run with no network work: targets that are done, adopted or unprovable need neither side. */
function offlineContext(mode: RollbackMode, journal: Journal) {
  const offline = () => Promise.reject(new Error('no network in an offline rollback'));
  const limit = pLimit(1);
  return {
    mode,
    journal,
    cloud: { read: offline, clear: offline },
    directory: { findByGuid: offline, deleteByGuid: offline, disableByGuid: offline, exists: offline },
    cloudLimit: limit,
    directoryLimit: limit,
  };
}

interface Finish {
  runDir: string;
  mode: RollbackMode;
  plan: Plan | undefined;
  outcomes: RollbackUserOutcome[];
  started: string;
  directory: string;
}

async function finish(args: RollbackCommandArgs, io: CommandIo, run: Finish): Promise<RollbackCommandResult> {
  const say = sayTo(io.stderr);
  const { runDir, mode, outcomes } = run;
  const report: RollbackReport = {
    formatVersion: 1,
    tool: { name: 'entra2ad', version: VERSION },
    mode,
    startedAt: run.started,
    finishedAt: new Date().toISOString(),
    tenantId: run.plan?.tenantId ?? '',
    directory: run.directory,
    targetOu: run.plan?.targetOu ?? '',
    summary: summariseRollback(outcomes),
    users: outcomes,
  };
  const json = join(runDir, 'rollback-report.json');
  await writeFileAtomic(json, reportToJson(report));
  await writeFileAtomic(join(runDir, 'rollback-report.csv'), rollbackReportToCsv(outcomes));
  const s = report.summary;
  say(`rollback (${mode}): rolled back ${s['rolled-back']}, unchanged ${s.unchanged}, skipped ${s.skipped}, failed ${s.failed}, excluded ${s.excluded}`);
  for (const o of outcomes.filter((x) => x.outcome === 'failed' || x.outcome === 'skipped')) say(`  ${o.outcome} ${o.userPrincipalName}: ${o.reason}: ${o.message}`);
  say(`report: ${json} and rollback-report.csv`);
  writeOutput(args.output, { runDir, mode, summary: s, report: json }, () => json, io.stdout);
  return { runDir, mode, outcomes, exitCode: rollbackExitCode(outcomes) };
}
