import { stringify } from 'csv-stringify/sync';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLAN_CSV_COLUMNS, planCsvChunks, planCsvRow } from '../../../src/report/plan-csv.js';
import { planJsonChunks, serializePlan } from '../../../src/plan/plan-json.js';
import { planLdifChunks, planToLdif } from '../../../src/report/plan-ldif.js';
import { writeChunksAtomic } from '../../../src/report/write-files.js';
import { samplePlan } from './fixtures.js';

// The streamed writers must produce exactly what the one-shot forms produce.
describe('plan files written in chunks', () => {
  const plans = { sample: samplePlan(), 'no entries': { ...samplePlan(), entries: [] }, 'OU to create': samplePlan(false) };

  it.each(Object.entries(plans))('plan.json (%s) is JSON.stringify(plan, null, 2) to the byte', (_name, plan) => {
    expect([...planJsonChunks(plan)].join('')).toBe(`${JSON.stringify(plan, null, 2)}\n`);
    expect(serializePlan(plan)).toBe(`${JSON.stringify(plan, null, 2)}\n`);
  });

  it.each(Object.entries(plans))('plan.csv (%s) equals stringifying every row at once', (_name, plan) => {
    const oneShot = stringify(plan.entries.map(planCsvRow), {
      bom: true,
      header: true,
      columns: [...PLAN_CSV_COLUMNS],
      quoted: true,
      quoted_empty: true,
      record_delimiter: 'windows',
    });
    expect([...planCsvChunks(plan)].join('')).toBe(oneShot);
  });

  it('plan.ldif chunks join to planToLdif', () => {
    const plan = samplePlan(false);
    expect([...planLdifChunks(plan)].join('')).toBe(planToLdif(plan));
    expect(planToLdif(plan)).toMatch(/^version: 1\n/);
  });

  it('writeChunksAtomic writes every chunk and leaves no temp file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'entra2ad-chunks-'));
    try {
      const file = join(dir, 'plan.json');
      const plan = samplePlan();
      await writeChunksAtomic(file, planJsonChunks(plan));
      expect(await readFile(file, 'utf8')).toBe(serializePlan(plan));
      expect(await readdir(dir)).toEqual(['plan.json']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
