/**
 * The `--clear-object-identifier` part of `entra2ad apply` (src/apply/identifier-clear.ts):
 * after apply's own work, or alone on a completed run folder. Asks its own
 * confirmation (the clear cannot be undone), reads the token first, and says
 * "no clearing needed" when the tenant's bypass
 * (allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled) reads true.
 */
import { readSyncFeatures, tokenGrants, tokenLacks, type Graph } from '../cloud/index.js';
import type { Directory } from '../directory/index.js';
import { dirname, join } from 'node:path';
import { ExitCode, UsageError } from '../errors.js';
import { writeFileAtomic } from '../report/write-files.js';
import { sayTo, type TextSink } from '../output.js';
import { FEATURE_OBJECT_IDENTIFIER_BYPASS, type TenantSyncFeatures } from '../plan/guards.js';
import type { Plan } from '../plan/types.js';
import { clearCandidates, clearConfirmation, clearObjectIdentifiers, CLEAR_DOC, pendingClears, summariseClears, SYNC_BEHAVIOR_PERMISSION } from '../apply/identifier-clear.js';
import { identifierClearPorts } from '../apply/identifier-clear-ports.js';
import type { Journal } from '../journal/journal.js';
import { foldJournal } from '../journal/state.js';
import { readJournal } from '../journal/journal.js';
import { isOtherTenant } from './common.js';
import { confirm } from './confirm.js';

export interface ClearStepInput {
  graph: Graph;
  directory: Directory;
  journal: Journal;
  plan: Plan;
  yes: boolean;
  /** The tenant's sync features if already read (apply's guards); read here otherwise. */
  syncFeatures?: TenantSyncFeatures;
  /** Where the step says what it did: apply's stderr. */
  stderr: TextSink;
}

/** Runs the clearing; returns its exit code (0 all clear or nothing to do, 3 some users failed). */
export async function runClearStep(input: ClearStepInput): Promise<ExitCode> {
  const { graph, directory, journal, plan } = input;
  const say = sayTo(input.stderr);
  const signedIn = graph.options.tenantId;
  if (isOtherTenant(plan.tenantId, signedIn)) {
    throw new UsageError('TENANT_MISMATCH', `this run was planned for tenant ${plan.tenantId}, but the sign-in is for tenant ${signedIn}; no identifier was cleared`, [], { field: '--tenant-id' });
  }
  // The journal as it is now: apply may have just completed users.
  const state = foldJournal(await readJournal(journal.file));
  const candidates = clearCandidates(plan, state);
  if (candidates.length === 0) {
    say('apply --clear-object-identifier: the plan has no recovered users; nothing to clear');
    return ExitCode.Ok;
  }
  const features = input.syncFeatures ?? featuresOf(await readSyncFeatures(graph));
  if (features.known && features.features[FEATURE_OBJECT_IDENTIFIER_BYPASS] === true) {
    say(
      `apply --clear-object-identifier: no clearing needed: the tenant has ${FEATURE_OBJECT_IDENTIFIER_BYPASS} on, so Entra ID hard-matches ` +
        'the recovered users despite their onPremisesObjectIdentifier. Sync before the bypass is turned off; nothing was written.',
    );
    return ExitCode.Ok;
  }
  const pending = pendingClears(candidates);
  if (pending > 0) {
    requireSyncBehaviorWrite(await tokenGrants(graph));
    if (!(await confirm(clearConfirmation(pending, plan.tenantId), { yes: input.yes, stderr: input.stderr }))) {
      say('apply --clear-object-identifier: not confirmed; no identifier was cleared');
      return ExitCode.Usage;
    }
    say(clearConfirmation(pending, plan.tenantId));
  }
  const outcomes = await clearObjectIdentifiers(identifierClearPorts(graph, directory), journal, candidates);
  const s = summariseClears(outcomes);
  // Per user, beside the run's report: what was cleared, found clear, or kept and why.
  const file = join(dirname(journal.file), 'clear-object-identifier.json');
  await writeFileAtomic(file, `${JSON.stringify({ finishedAt: new Date().toISOString(), tenantId: plan.tenantId, summary: s, users: outcomes }, null, 2)}\n`);
  say(
    `apply --clear-object-identifier: cleared ${s.cleared}, already clear ${s['already-clear']}, done earlier ${s['done-earlier']}, ` +
      `kept (not recovered) ${s['not-ready']}, failed ${s.failed}`,
  );
  for (const o of outcomes.filter((x) => x.outcome === 'failed' || x.outcome === 'not-ready')) say(`  ${o.outcome} ${o.userPrincipalName}: ${o.reason}: ${o.message}`);
  say(`report: ${file}`);
  return s.failed > 0 ? ExitCode.Partial : ExitCode.Ok;
}

function featuresOf(read: Awaited<ReturnType<typeof readSyncFeatures>>): TenantSyncFeatures {
  return read.known ? { known: true, features: read.features } : { known: false, reason: read.reason, message: read.message };
}

/** Stops before any write when the token is readable and lacks the permission the clear needs. */
export function requireSyncBehaviorWrite(grants: { kind: 'app' | 'delegated'; granted: ReadonlySet<string> } | undefined): void {
  if (!grants || grants.granted.has(SYNC_BEHAVIOR_PERMISSION)) return;
  throw tokenLacks(
    grants,
    `does not hold ${SYNC_BEHAVIOR_PERMISSION}`,
    ', which clearing onPremisesObjectIdentifier needs ' +
      `(${grants.kind === 'app' ? 'grant the application permission and admin-consent it' : 'consent the delegated scope; the signed-in user also needs the Hybrid Identity Administrator or Global Administrator role'}; ${CLEAR_DOC}). ` +
      'No identifier was cleared: every user is still recoverable.',
    'check the permission before clearing onPremisesObjectIdentifier',
  );
}
