import { createGraph, writeSnapshot, type CloudOptions, type SnapshotSummary } from '../cloud/index.js';
import { ExitCode } from '../errors.js';
import type { SnapshotArgs } from '../config/flags/snapshot.js';
import { processIo, sayTo, writeOutput, type CommandIo } from '../output.js';
import { withSignInPrompt } from './common.js';

/** The checked flags (src/config/flags/snapshot.ts), the sign-in ones resolved to CloudOptions. */
export interface SnapshotCommandOptions extends Pick<SnapshotArgs, 'out' | 'output'> {
  cloud: CloudOptions;
}

/**
 * `entra2ad snapshot --out FILE`: the tenant (all users, synced ones included,
 * domains, role definitions, assignments, eligibilities, sync features when
 * readable) in the simulator's snapshot format, so a whole run can be rehearsed
 * against `entra2ad sim --tenant FILE` before production is touched.
 */
export async function snapshot(options: SnapshotCommandOptions, io: CommandIo = processIo()): Promise<SnapshotSummary & { file: string; exitCode: ExitCode }> {
  const say = sayTo(io.stderr);
  const graph = createGraph(withSignInPrompt(options.cloud, io.stderr));
  say(`entra2ad: reading the tenant from ${graph.baseUrl} ...`);
  const tty = io.stderr.isTTY === true;
  const summary = await writeSnapshot(graph, options.out, {
    onUsers: (count) => {
      if (tty) io.stderr.write(`\r  users read: ${count}`);
    },
  });
  if (tty) io.stderr.write('\n');
  for (const warning of summary.warnings) say(`entra2ad: warning: ${warning}`);
  const result = { file: options.out, ...summary };
  writeOutput(options.output, result, () =>
    [
      `Snapshot written to ${options.out} (mode 0600: it holds personal data)`,
      `  tenant               ${summary.tenantId}`,
      `  users                ${summary.users}`,
      `  domains              ${summary.domains}`,
      `  role assignments     ${summary.roleAssignments}`,
      `  PIM eligibilities    ${summary.eligibilityKnown ? summary.roleEligibilityScheduleInstances : 'unknown (not readable)'}`,
      `  sync features        ${summary.syncFeaturesKnown ? 'read' : 'unknown (not readable)'}`,
    ].join('\n'),
    io.stdout,
  );
  return { ...result, exitCode: ExitCode.Ok };
}
