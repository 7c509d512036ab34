/**
 * The short soak CI runs: `npm run bench -- --soak --users 300` through the
 * BUILT benchmark (src/bench/soak.ts): Graph's write budget, 60 s tokens, 5 %
 * post-commit faults, one DC restart at 30 % of the creates. Asserts what the
 * soak is for - 0 failed, 0 duplicates, exactly one effective write per user,
 * the faults and the restart really happened - and no timing (the figures are
 * for the README, measured by the benchmark).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchResults } from '../../../src/bench/results.js';
import { isSambaInstalled } from '../../../src/lab/index.js';
import { describeRun, REPO_ROOT, runCli, type CliResult } from '../../harness/run-cli.js';

const BENCH = join(REPO_ROOT, 'dist', 'bench', 'main.js');
const isRoot = typeof process.getuid !== 'function' || process.getuid() === 0;
const canRunDc = isSambaInstalled() && isRoot;
const why = canRunDc ? '' : ` (skipped: the lab DC needs ${isRoot ? 'Samba installed' : 'root'})`;

describe.skipIf(!canRunDc)(`npm run bench -- --soak --users 300${why}`, () => {
  let dir: string;
  let run: CliResult;
  let results: BenchResults;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'entra2ad-bench-soak-'));
    // The harness's runCli: the environment scrubbed (AZURE_*, ENTRA2AD_*, NODE_OPTIONS...), killed after the timeout.
    run = await runCli(['--soak', '--users', '300', '--work-dir', join(dir, 'work'), '--results', join(dir, 'results.json')], { bin: BENCH, timeoutMs: 580_000 });
    results = JSON.parse(await readFile(join(dir, 'results.json'), 'utf8')) as BenchResults;
  }, 600_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('ends with every user anchored once, no failure, no duplicate, after lost answers and a DC restart', () => {
    expect(run.code, describeRun(run)).toBe(0);
    expect(results.errors).toEqual([]);
    const soak = results.soak!;
    expect(soak.creates).toBeGreaterThan(250);
    expect(soak).toMatchObject({ exitCode: 0, failed: 0, duplicates: 0, anchored: soak.creates, hardMatches: soak.creates, usersWithOneEffectiveWrite: soak.creates, usersWithOtherWriteCounts: 0 });
    expect(soak.lostAnswers, 'answers lost after commit').toBeGreaterThan(0);
    expect(soak.dcRestart, 'the DC was restarted mid-run').not.toBeNull();
    expect(soak.rssSamples.length).toBeGreaterThan(2);
    expect(soak.physicalLimitMs).toBe(Math.max(soak.ldapaddMs, soak.writeBudgetMs));
  });
});
