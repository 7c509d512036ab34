/**
 * `entra2ad preflight`: reads both sides (the tenant, and the DC when one is
 * named) and prints what would stop or block a run before anything is written:
 * the tenant-level findings (hard-match takeover block, soft-match block,
 * unreadable sync features, password hash sync, guards that could not be read)
 * and, per user, every guard or directory conflict the planner would block on.
 *
 * Exit 1 when a tenant stop applies (apply would refuse), else 0. Writes nothing.
 */
import { createGraph } from '../cloud/index.js';
import { connect } from '../directory/index.js';
import type { DirectorySnapshot } from '../directory/types.js';
import { ExitCode } from '../errors.js';
import { processIo, sayTo, writeOutput, type CommandIo, type Table } from '../output.js';
import { buildPlan } from '../plan/build-plan.js';
import type { PlanEntry, TenantFinding } from '../plan/types.js';
import { readCloudUsers, readPlanningGuards } from '../inputs/read-inputs.js';
import { VERSION } from '../version.js';
import type { PreflightArgs } from '../config/flags/preflight.js';
import { resolveCommon } from './common.js';

/** The flags of `entra2ad preflight`, checked (src/config/flags/preflight.ts). */
export type PreflightCommandArgs = PreflightArgs;

export interface PreflightUserFinding {
  cloudId: string;
  userPrincipalName: string;
  action: PlanEntry['action'];
  reason: string;
  message: string;
  warnings?: string[];
}

export interface PreflightResult {
  tenantId: string;
  directoryChecked: boolean;
  tenantStop: TenantFinding | null;
  tenant: TenantFinding[];
  users: PreflightUserFinding[];
  /** The plan's counts, as plan would make it now. */
  summary: { total: number; byAction: Record<string, number>; byReason: Record<string, number> };
  exitCode: ExitCode;
}

/** Per-user warnings worth showing before a run. */
const PREFLIGHT_WARNINGS = new Set(['WARN_HARD_MATCH_MAY_BE_BLOCKED', 'WARN_OBJECT_IDENTIFIER_UNKNOWN', 'WARN_ADOPT_DISABLED_ACCOUNT']);

export async function preflightCommand(args: PreflightCommandArgs, io: CommandIo = processIo()): Promise<PreflightResult> {
  const say = sayTo(io.stderr);
  const resolved = await resolveCommon(args, {}, io.stderr);
  const graph = createGraph(resolved.cloud);
  const { users } = await readCloudUsers(graph, { recover: resolved.settings.recover, filter: resolved.filter });
  say(`cloud: ${users.length} user(s) read`);
  let snapshot: DirectorySnapshot | undefined;
  if (resolved.directory) {
    await using directory = await connect(resolved.directory);
    snapshot = await directory.readSnapshot({ targetOu: resolved.settings.targetOu });
    say(`directory: ${snapshot.objects.length} object(s) read from ${snapshot.domainDn}`);
  } else {
    say('directory: none given (--ldap-url): directory conflicts are not checked');
  }
  // scope.groups (--group) resolved as plan does it.
  const { settings, guards } = await readPlanningGuards(graph, users, resolved.settings);
  const plan = buildPlan({
    users,
    ...(snapshot ? { directory: snapshot } : {}),
    settings,
    tenantId: graph.options.tenantId ?? 'unknown',
    now: new Date(),
    toolVersion: VERSION,
    guards,
  });

  const userFindings: PreflightUserFinding[] = [];
  for (const e of plan.entries) {
    const warnings = (e.warnings ?? []).filter((w) => PREFLIGHT_WARNINGS.has(w.code)).map((w) => `${w.code}: ${w.message}`);
    if (e.action !== 'blocked' && e.action !== 'adopt' && warnings.length === 0) continue;
    userFindings.push({
      cloudId: e.cloudId,
      userPrincipalName: e.userPrincipalName,
      action: e.action,
      reason: e.reason,
      message: e.message,
      ...(warnings.length ? { warnings } : {}),
    });
  }
  const stop = plan.tenantStop ?? null;
  const result: PreflightResult = {
    tenantId: plan.tenantId,
    directoryChecked: plan.directoryChecked,
    tenantStop: stop,
    tenant: plan.tenantFindings ?? [],
    users: userFindings,
    summary: { total: plan.summary.total, byAction: plan.summary.byAction, byReason: plan.summary.byReason },
    exitCode: stop ? ExitCode.Failure : ExitCode.Ok,
  };

  const counts = plan.summary.byAction;
  say(
    `preflight: ${counts.create} to create, ${counts.adopt} to adopt, ${counts.blocked} blocked, ${counts.skip} skipped; ` +
      `${result.tenant.length} tenant finding(s)${stop ? `; STOP: ${stop.code}: apply would refuse (exit ${ExitCode.Failure})` : ''}`,
  );
  if (args.output === 'csv' || args.output === 'md') for (const line of tenantLines(result)) say(line);
  writeOutput(args.output, result, () => preflightText(result), io.stdout, () => preflightTable(result));
  return result;
}

/** The tenant's part of the text: the stop (or that there is none), then the other findings. */
function tenantLines(result: PreflightResult): string[] {
  const lines = [result.tenantStop ? `STOP ${result.tenantStop.code}: ${result.tenantStop.message}` : 'no tenant stop: apply may proceed'];
  for (const f of result.tenant) if (f !== result.tenantStop && f.code !== result.tenantStop?.code) lines.push(`tenant ${f.level} ${f.code}: ${f.message}`);
  return lines;
}

export function preflightText(result: PreflightResult): string {
  const lines = tenantLines(result);
  for (const u of result.users) {
    lines.push(`${u.action} ${u.userPrincipalName}: ${u.reason}: ${u.message}`);
    for (const w of u.warnings ?? []) lines.push(`    ${w}`);
  }
  if (result.users.length === 0) lines.push('no user is blocked or adopted');
  return lines.join('\n');
}

export const PREFLIGHT_COLUMNS = ['userPrincipalName', 'action', 'reason', 'message', 'warnings', 'cloudId'] as const;

/** `--output csv|md`: one row per user the text lists (the tenant findings go to stderr then). */
export function preflightTable(result: PreflightResult): Table {
  return {
    columns: PREFLIGHT_COLUMNS,
    rows: result.users.map((u) => [u.userPrincipalName, u.action, u.reason, u.message, (u.warnings ?? []).join('\n'), u.cloudId]),
  };
}
