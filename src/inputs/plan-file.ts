/**
 * The plan.json a run executes (apply) or undoes (rollback), read back as untrusted
 * input: parsed and checked (src/plan/plan-json.ts), the plan-level fields' and every
 * entry's fingerprint recomputed (PLAN_EDITED), every entry held to what the planner
 * produces (PLAN_INVALID, src/plan/plan-problems.ts), and, in a folder that already holds a run, held against
 * the plan the journal says that run started with (RUN_PLAN_MISMATCH). All of it
 * before anything is written.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import { editedEntries, editedHeadFields } from '../plan/fingerprint.js';
import { planProblems } from '../plan/plan-problems.js';
import type { Plan } from '../plan/types.js';
import { parsePlan, planJsonChunks } from '../plan/plan-json.js';

export interface PlanFile {
  file: string;
  plan: Plan;
  /** The run fingerprints this plan answers to: of the file's bytes, and of the plan as entra2ad writes it. */
  runFingerprints: readonly string[];
}

/**
 * The plan in `file`, refused when any entry was edited. Absent and not `required`:
 * undefined. `field` names the flag that gave the file, for the error.
 */
export async function readPlanIfPresent(file: string, options: { required: boolean; field: string }): Promise<PlanFile | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (!options.required && (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError('PLAN_UNREADABLE', `cannot read the plan ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, [], {
      field: options.field,
    });
  }
  const plan = parsePlan(text);
  refuseEditedPlan(plan, file);
  refuseInvalidPlan(plan, file);
  return { file, plan, runFingerprints: [sha256([text]), runFingerprint(plan)] };
}

/** PLAN_EDITED, naming every plan-level field and every entry whose fields no longer match its fingerprint. */
export function refuseEditedPlan(plan: Plan, file: string): void {
  const head = editedHeadFields(plan);
  if (head.length > 0) {
    throw new UsageError(
      'PLAN_EDITED',
      `${file}: ${head.join(', ')} changed after the plan was made (or it was made by an older entra2ad); nothing was written. Plan again and review`,
      head.map((f) => `${f}: fingerprint (headFingerprints.${f}) no longer matches the field`),
      { field: head[0]! },
    );
  }
  const edited = editedEntries(plan.entries);
  if (edited.length === 0) return;
  const problems = edited.map((e) => `entries.${e.index} (${e.userPrincipalName}): fingerprint no longer matches the entry's fields`);
  throw new UsageError(
    'PLAN_EDITED',
    `${edited.length} entr${edited.length === 1 ? 'y' : 'ies'} of ${file} changed after the plan was made (or it was made by an older entra2ad); nothing was written. Plan again and review`,
    problems,
    { field: 'fingerprint', ...(edited.length === 1 ? { user: edited[0]!.userPrincipalName } : {}) },
  );
}

/**
 * PLAN_INVALID (exit 2), naming every entry and field that asks for something the
 * planner never produces: checked for every entry before anything is written.
 */
export function refuseInvalidPlan(plan: Plan, file: string): void {
  const problems = planProblems(plan);
  if (problems.length === 0) return;
  const lines = problems.map((p) => `entries.${p.index} (${p.user}) ${p.field}: ${p.message}`);
  const users = new Set(problems.map((p) => p.index));
  throw new UsageError(
    'PLAN_INVALID',
    `${users.size} entr${users.size === 1 ? 'y' : 'ies'} of ${file} ask for what entra2ad never plans; nothing was written. Plan again and review:\n  ${lines.slice(0, 20).join('\n  ')}${lines.length > 20 ? `\n  ... and ${lines.length - 20} more` : ''}`,
    lines,
    { user: problems[0]!.user, field: problems[0]!.field },
  );
}

/**
 * RUN_PLAN_MISMATCH when the folder's journal records a run started with another plan
 * (`journalled`: the run-start fingerprints). Resuming with a different plan would mix
 * two reviews in one run, and the journal's progress would be read against the wrong entries.
 */
export function refuseOtherPlan(journalled: readonly string[], runDir: string, plan: { file: string; runFingerprints: readonly string[] }): void {
  const other = journalled.find((f) => !plan.runFingerprints.includes(f));
  if (other === undefined) return;
  throw new UsageError(
    'RUN_PLAN_MISMATCH',
    `${runDir} holds a run started with another plan than ${plan.file} (journal.jsonl run-start planFingerprint ${other.slice(0, 12)}...); nothing was written. Resume with the plan the run started with, or use a new folder (--out)`,
    [],
    { field: '--plan' },
  );
}

/** What the journal's run-start records: sha256 of the plan as entra2ad writes plan.json. */
export function runFingerprint(plan: Plan): string {
  return sha256(planJsonChunks(plan));
}

/** sha256 of a text given in chunks (a large plan is never one string). */
function sha256(chunks: Iterable<string>): string {
  const hash = createHash('sha256');
  for (const chunk of chunks) hash.update(chunk);
  return hash.digest('hex');
}
