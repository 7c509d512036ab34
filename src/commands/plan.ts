/**
 * `entra2ad plan --out DIR`: the dry run. Reads the cloud (and the directory
 * when one is named), decides everything, and writes plan.json (what apply
 * executes), plan.csv and plan.html (for review) and plan.ldif (for `ldapadd -f`). Writes
 * nothing to the directory or the cloud.
 */
import { join } from 'node:path';
import { createGraph } from '../cloud/index.js';
import { describeExchangeSchema } from '../exchange/attributes.js';
import { connect } from '../directory/index.js';
import { ExitCode, UsageError } from '../errors.js';
import { processIo, sayTo, writeOutput, type CommandIo } from '../output.js';
import type { PlanHead, PlanTail } from '../plan/build-plan.js';
import { formatPlanSummary, writePlanStream } from '../report/index.js';
import { planStreamFromInputs, readCloudUsers, readDirectorySnapshot, readPlanningGuards } from '../inputs/read-inputs.js';
import { ensureRunFolder, readRunFile } from '../journal/run-files.js';
import { VERSION } from '../version.js';
import type { PlanArgs } from '../config/flags/plan.js';
import { resolveCommon } from './common.js';

/** The flags of `entra2ad plan`, checked (src/config/flags/plan.ts). */
export type PlanCommandArgs = PlanArgs;

export interface PlanCommandResult {
  /** Always 0: a plan that could not be made is an error, a tenant stop is recorded in it for review. */
  exitCode: ExitCode;
  /** Everything but the entries, which went to the files as they were made (read plan.json for them). */
  plan: PlanHead & PlanTail;
  files: string[];
}

/** RUN_FOLDER_HAS_RUN (exit 2): `dir` holds a journal, so its plan.json belongs to a run. */
async function refuseStartedRun(dir: string): Promise<void> {
  const journal = join(dir, 'journal.jsonl');
  if ((await readRunFile(journal)) === undefined) return;
  throw new UsageError(
    'RUN_FOLDER_HAS_RUN',
    `${dir} holds a run (journal.jsonl): its plan.json is the one that run was reviewed and started with, and is not replaced; nothing was written. Plan into a new folder (--out)`,
    [],
    { field: '--out' },
  );
}

export async function planCommand(args: PlanCommandArgs, io: CommandIo = processIo()): Promise<PlanCommandResult> {
  const say = sayTo(io.stderr);
  const resolved = await resolveCommon(args, {}, io.stderr);
  // The folder first: a system directory, a link or someone else's folder is refused before the tenant is read,
  // and so is a folder that holds a run (its plan.json is the one that run was reviewed and started with).
  await ensureRunFolder(args.out);
  await refuseStartedRun(args.out);
  // The DC is connected to (and bound) before the tenant is listed: a wrong --ldap-url or bind
  // fails in seconds, not after a listing of 100,000 users; then both are read at once.
  await using directory = resolved.directory ? await connect(resolved.directory) : undefined;
  const snapshotRead = directory ? readDirectorySnapshot(directory, resolved.settings.targetOu) : undefined;
  snapshotRead?.catch(() => undefined);
  const graph = createGraph(resolved.cloud);
  const { users, listing } = await readCloudUsers(graph, { recover: resolved.settings.recover, filter: resolved.filter });
  say(`cloud: ${users.length} user(s) read (${listing.filterMode === 'server' ? 'cloud-only filter on the server' : `filter: ${listing.filterModeWhy}`})`);

  const snapshot = await snapshotRead;
  if (snapshot) say(`directory: ${snapshot.objects.length} object(s) read from ${snapshot.domainDn}`);
  else say('directory: none given (--ldap-url): names are checked for uniqueness within this plan only');

  // Guards (src/plan/guards.ts): users Entra ID would refuse to match are blocked; a tenant stop is recorded, not thrown.
  const { settings, guards } = await readPlanningGuards(graph, users, resolved.settings); // the guards read only the users in scope
  const stream = await planStreamFromInputs({
    graph,
    tenantId: graph.options.tenantId ?? 'unknown',
    settings,
    users,
    directory: snapshot,
    toolVersion: VERSION,
    guards,
  });
  // Each entry goes to the three files as it is made: 100,000 entries never sit in memory together.
  const { files, tail } = await writePlanStream(args.out, stream);
  const plan = { ...stream.head, ...tail };
  say(formatPlanSummary(plan).trimEnd());
  if (plan.exchangeSchema) say(describeExchangeSchema(plan.exchangeSchema));
  for (const p of plan.exchangeCsv?.problems ?? []) say(`exchange csv ${p.code}${p.row !== undefined ? ` row ${p.row}` : ''}${p.user ? ` (${p.user})` : ''}: ${p.message}`);
  for (const f of plan.tenantFindings ?? []) say(`tenant ${f.level === 'stop' ? 'STOP' : f.level} ${f.code}: ${f.message}`);
  if (plan.tenantStop) say(`plan: TENANT STOP (${plan.tenantStop.code}): the files are written for review, but apply will refuse until it is resolved`);
  say(`wrote ${files.join(', ')}`);
  writeOutput(
    args.output,
    { summary: plan.summary, files, directoryChecked: plan.directoryChecked, tenantStop: plan.tenantStop ?? null, tenantFindings: plan.tenantFindings ?? [] },
    () => files.join('\n'),
    io.stdout,
  );
  return { exitCode: ExitCode.Ok, plan, files };
}
