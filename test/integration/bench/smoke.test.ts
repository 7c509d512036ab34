/**
 * `npm run bench -- --smoke` through the BUILT CLI (a child process), so the
 * benchmark cannot rot: 50 users planned, applied on a fresh lab DC and
 * anchored in the simulator (its own process), the ldapadd baseline, the
 * re-run, and a short anchor-budget run. Asserts the shape of results.json and
 * that every planned user ended anchored; no timing is asserted (the targets
 * are met or not in the benchmark itself, never in a test).
 *
 * The DC part needs root and Samba (the lab DC, src/lab); where they are
 * missing the test is skipped and says why.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchResults } from '../../../src/bench/results.js';
import { isSambaInstalled } from '../../../src/lab/index.js';
import type { RunReport } from '../../../src/report/run-report.js';
import { describeRun, REPO_ROOT, runCli, type CliResult } from '../../harness/run-cli.js';

const BENCH = join(REPO_ROOT, 'dist', 'bench', 'main.js');
const isRoot = typeof process.getuid !== 'function' || process.getuid() === 0;
const canRunDc = isSambaInstalled() && isRoot;
const why = canRunDc ? '' : ` (skipped: the lab DC needs ${isRoot ? 'Samba installed' : 'root'})`;

describe.skipIf(!canRunDc)(`npm run bench -- --smoke${why}`, () => {
  let dir: string;
  let run: CliResult;
  let results: BenchResults;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'entra2ad-bench-smoke-'));
    // The harness's runCli: the environment scrubbed (AZURE_*, ENTRA2AD_*, NODE_OPTIONS...), killed after the timeout.
    run = await runCli(['--smoke', '--work-dir', join(dir, 'work'), '--results', join(dir, 'results.json')], { bin: BENCH, timeoutMs: 280_000 });
    results = JSON.parse(await readFile(join(dir, 'results.json'), 'utf8')) as BenchResults;
  }, 300_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('exits 0, prints the table and reports no error', () => {
    expect(run.code, describeRun(run)).toBe(0);
    expect(results.errors).toEqual([]);
    expect(run.stdout).toMatch(/Apply on a fresh Samba DC/);
    expect(run.stdout).toMatch(/ratio entra2ad \/ ldapadd/);
    expect(run.stdout).toMatch(/fixed cost \(reads before the first add \+ verify after the last\)\s+\d+\.\d+ s/);
    expect(run.stdout).toMatch(/Anchor writes alone/);
  });

  it('writes results.json in the documented shape', () => {
    expect(results).toMatchObject({ formatVersion: 1, mode: 'smoke', scale: [], skipped: [] });
    expect(results.settings.users).toBe(50);
    expect(typeof results.startedAt).toBe('string');
    expect(results.machine.cpus).toBeGreaterThan(0);

    const apply = results.apply!;
    expect(apply).not.toBeNull();
    expect(apply.plan.creates).toBeGreaterThanOrEqual(40);
    expect(apply.plan.maxRssMb).toBeGreaterThan(0);
    expect(apply.plan.listingMs).toBeGreaterThan(0);
    expect(apply.plan.planningMs).toBeGreaterThan(0);
    for (const figures of [apply.first, apply.rerun]) {
      expect(figures.users).toBe(apply.plan.creates);
      expect(figures.wallMs).toBeGreaterThan(0);
      expect(figures.maxRssMb).toBeGreaterThan(0);
      expect(Number.isInteger(figures.throttled429), 'a count of 429 answers').toBe(true);
    }
    // The re-run finds everything done in the journal and sends no Graph write: nothing to throttle.
    expect(apply.rerun.throttled429).toBe(0);
    expect(apply.first.stages).toMatchObject({ creates: { count: apply.plan.creates }, anchors: { count: apply.plan.creates }, failed: 0 });
    expect(apply.first.phases!.pipelineMs).toBeGreaterThan(0);
    expect(apply.baseline).toMatchObject({ users: apply.plan.creates, added: apply.plan.creates, failed: 0, exitCode: 0 });
    expect(apply.baselineAfter).toMatchObject({ users: apply.plan.creates, added: apply.plan.creates, failed: 0, exitCode: 0 });
    expect(apply.ratioToBaseline).toBeGreaterThan(0);
    expect(apply.rerunShareOfFirst).toBeGreaterThan(0);

    expect(results.anchorRates).toHaveLength(1);
    const anchor = results.anchorRates[0]!;
    expect(anchor).toMatchObject({ writes: 30, throttleScale: 0.25, failed: 0 });
    expect(anchor.written).toBe(30);
    expect(anchor.budgetPerSecond).toBeCloseTo(5, 5);
    expect(anchor.achievedPerSecond).toBeGreaterThan(0);
    expect(anchor.drainWrites).toBeGreaterThan(0);

    expect(results.targets.map((t) => t.name)).toEqual(
      expect.arrayContaining([expect.stringMatching(/vs ldapadd/), expect.stringMatching(/anchored/), expect.stringMatching(/re-run/), expect.stringMatching(/write budget/)]),
    );
  });

  it('ends with every planned user anchored: in the simulator, in the report, and with none failed', async () => {
    const apply = results.apply!;
    expect(apply.allAnchored).toBe(true);
    expect(apply.anchoredInCloud).toBe(apply.plan.creates);
    expect(apply.first).toMatchObject({ anchored: apply.plan.creates, failed: 0 });
    expect(apply.rerun).toMatchObject({ anchored: 0, unchanged: apply.plan.creates, failed: 0 });

    // The apply's own report, read independently: each created user carries base64(objectGUID) as its immutableId.
    const report = JSON.parse(await readFile(join(dir, 'work', 'apply', 'report.json'), 'utf8')) as RunReport;
    const created = report.users.filter((u) => u.action === 'create');
    expect(created).toHaveLength(apply.plan.creates);
    for (const user of created) {
      expect(user.outcome, user.userPrincipalName).toBe('unchanged');
      const guid = Buffer.from(user.objectGuid!.replace(/-/g, ''), 'hex');
      // GUID string -> AD byte order: first three groups little-endian.
      const bytes = Buffer.concat([Buffer.from(guid.subarray(0, 4)).reverse(), Buffer.from(guid.subarray(4, 6)).reverse(), Buffer.from(guid.subarray(6, 8)).reverse(), guid.subarray(8)]);
      expect(user.immutableId).toBe(bytes.toString('base64'));
    }
  });
});
