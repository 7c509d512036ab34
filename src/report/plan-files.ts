import type { Plan } from '../plan/types.js';
import { planCsvChunks } from './plan-csv.js';
import { planJsonChunks } from './plan-json.js';
import { planLdifChunks } from './plan-ldif.js';

/** The three files of a plan, as chunk streams for writeFilesAtomic (plan and apply write the same set). */
export function planFiles(plan: Plan): Record<string, Iterable<string>> {
  return { 'plan.json': planJsonChunks(plan), 'plan.csv': planCsvChunks(plan), 'plan.ldif': planLdifChunks(plan) };
}
