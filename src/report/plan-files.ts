import { join } from 'node:path';
import type { PlanStream, PlanTail } from '../plan/build-plan.js';
import type { Plan } from '../plan/types.js';
import { planHtmlFormat } from './html/plan-html.js';
import { planCsvFormat } from './plan-csv.js';
import { planChunks, type PlanFileFormat } from '../plan/plan-format.js';
import { planJsonFormat } from '../plan/plan-json.js';
import { planLdifFormat } from './plan-ldif.js';
import { ensureRunFolder } from '../journal/run-files.js';
import { AtomicFile } from './write-files.js';

const PLAN_FILE_FORMATS: Readonly<Record<string, PlanFileFormat>> = {
  'plan.json': planJsonFormat,
  'plan.csv': planCsvFormat,
  'plan.ldif': planLdifFormat,
  'plan.html': planHtmlFormat,
};

/** The files of a plan held in memory, as chunk streams for writeFilesAtomic (apply writes these). */
export function planFiles(plan: Plan): Record<string, Iterable<string>> {
  return Object.fromEntries(Object.entries(PLAN_FILE_FORMATS).map(([name, format]) => [name, planChunks(format, plan)]));
}

/**
 * The files of a streamed plan (plan.json, plan.csv, plan.ldif, plan.html), written in one pass as the entries are made:
 * each entry is written to all of them and then dropped, so memory holds the users,
 * not the plan. Every file is atomic (temp + rename); on an error none is renamed.
 */
export async function writePlanStream(dir: string, stream: PlanStream): Promise<{ files: string[]; tail: PlanTail }> {
  await ensureRunFolder(dir);
  const outputs = Object.entries(PLAN_FILE_FORMATS).map(([name, format]) => ({ format, file: new AtomicFile(join(dir, name)) }));
  try {
    for (const o of outputs) await o.file.write(o.format.head(stream.head, stream.actionCounts));
    let index = 0;
    let step = stream.entries.next();
    for (; !step.done; step = stream.entries.next(), index++) {
      for (const o of outputs) await o.file.write(o.format.entry(step.value, index));
    }
    for (const o of outputs) await o.file.write(o.format.tail(step.value, index));
    for (const o of outputs) await o.file.commit();
    return { files: outputs.map((o) => o.file.file), tail: step.value };
  } catch (error) {
    await Promise.all(outputs.map((o) => o.file.abort()));
    throw error;
  }
}
