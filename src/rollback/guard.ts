/**
 * apply on a run folder that was rolled back: refused (exit 2).
 *
 * A rollback is a decision that the run should not have happened, usually
 * because its plan was wrong. Re-executing that same reviewed plan from the
 * same folder (shell history, a retry loop) would quietly undo the rollback.
 * Bringing the users in again goes through a new plan instead, made against
 * today's cloud and directory (a `--disable`d object is then planned as
 * "adopt", say) and reviewed again.
 *
 * apply calls this right after folding the journal, before any network.
 */
import { ExitCode } from '../errors.js';
import { RunError } from '../journal/errors.js';
import type { RunState } from '../journal/state.js';

export function refuseRolledBackRun(state: RunState, runDir: string): void {
  if (!state.rollback) return;
  throw new RunError(
    'RUN_ROLLED_BACK',
    `${runDir} was rolled back (entra2ad rollback --${state.rollback.modes.at(-1) ?? 'delete'}, first started ${state.rollback.firstStartedAt}); ` +
      'apply does not re-create users from a rolled-back run folder. Make a new plan in a new folder (entra2ad plan --out NEW_DIR), review it, and apply that.',
    {},
    ExitCode.Usage,
  );
}
