/**
 * The library as a user gets it: `npm pack`, the tarball unpacked into a fresh
 * project's node_modules (what `npm install ./entra2ad-x.y.z.tgz` does), imported BY
 * NAME from a script run in that project, and type-checked there with tsc.
 *
 * Offline and the same on a fresh CI machine: the project's node_modules holds the
 * unpacked tarball plus links to the repo's installed copies of exactly the
 * `dependencies` the packed package.json declares (and @types/node for tsc). A module
 * entra2ad imports without declaring it (a devDependency) does not resolve there.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, REPO_ROOT } from '../../harness/run-cli.js';

const run = promisify(execFile);
let dir: string;
let app: string;

/** node_modules/<name> -> the repo's installed copy. */
async function linkFromRepo(name: string): Promise<void> {
  const link = join(app, 'node_modules', name);
  await mkdir(dirname(link), { recursive: true });
  await symlink(join(REPO_ROOT, 'node_modules', name), link, 'dir');
}

beforeAll(async () => {
  assertBuilt();
  dir = await mkdtemp(join(tmpdir(), 'entra2ad-pack-'));
  // --ignore-scripts: dist/ is already built (npm test's pretest, .ci/setup); `prepare` would build it again.
  const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: REPO_ROOT, timeout: 120_000 });
  const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
  app = join(dir, 'app');
  await mkdir(join(app, 'node_modules', 'entra2ad'), { recursive: true });
  await run('tar', ['-xzf', join(dir, filename), '-C', join(app, 'node_modules', 'entra2ad'), '--strip-components=1']);
  const packed = JSON.parse(await readFile(join(app, 'node_modules', 'entra2ad', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  for (const name of Object.keys(packed.dependencies)) await linkFromRepo(name);
  await linkFromRepo('@types/node');
  await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module', dependencies: { entra2ad: '*' } }));
}, 180_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Runs a module in the app project; returns its stdout. */
async function node(file: string, source: string): Promise<string> {
  await writeFile(join(app, file), source);
  const { stdout } = await run(process.execPath, [file], { cwd: app, timeout: 60_000, env: { PATH: process.env['PATH'] ?? '' } });
  return stdout;
}

describe('the packed library', () => {
  it('imports by name: anchors, the plan builder, plan.json round trip, the sync prediction, errors', async () => {
    const out = await node(
      'use.mjs',
      `
import * as lib from 'entra2ad';
const id = lib.guidToImmutableId('f7cc07d7-7c15-447d-876d-c01b0e5a9e38');
const settings = lib.loadPlanSettings({ targetOu: 'OU=Cloud Users,DC=corp,DC=example,DC=test' });
const users = [{ id: '11111111-1111-4111-8111-111111111111', userPrincipalName: 'ann.lee@contoso.example', displayName: 'Ann Lee',
  givenName: 'Ann', surname: 'Lee', accountEnabled: true, userType: 'Member', onPremisesSyncEnabled: null, onPremisesImmutableId: null }];
const plan = lib.buildPlan({ users, settings, tenantId: 't', now: new Date(0), toolVersion: lib.VERSION });
const back = lib.parsePlan(lib.serializePlan(plan));
let refused;
try { lib.parsePlan('{"formatVersion": 9}'); } catch (e) { refused = [e instanceof lib.UsageError, e instanceof lib.Entra2adError, e.reason, e.exitCode]; }
const prediction = lib.predictSync({ adObjects: [], cloudUsers: users, reportUnmatchedCloudUsers: true });
console.log(JSON.stringify({
  id, guid: lib.immutableIdToGuid(id),
  entry: [back.entries[0].action, back.entries[0].sAMAccountName, back.entries[0].dn],
  edited: lib.editedEntries(back.entries).length,
  csvHeader: lib.planToCsv(back).split('\\r\\n')[0],
  refused, exitCodes: lib.ExitCode,
  prediction: prediction.predictions.map((p) => p.reason),
  exports: Object.keys(lib).length,
}));
`,
    );
    const r = JSON.parse(out) as Record<string, unknown>;
    expect(r['id']).toBe('1wfM9xV8fUSHbcAbDlqeOA==');
    expect(r['guid']).toBe('f7cc07d7-7c15-447d-876d-c01b0e5a9e38');
    expect(r['entry']).toEqual(['create', 'ann.lee', 'CN=Ann Lee,OU=Cloud Users,DC=corp,DC=example,DC=test']);
    expect(r['edited']).toBe(0);
    expect(r['csvHeader']).toMatch(/^\uFEFF"userPrincipalName","displayName",/);
    expect(r['refused']).toEqual([true, true, 'PLAN_VERSION_UNSUPPORTED', 2]);
    expect(r['exitCodes']).toEqual({ Ok: 0, Failure: 1, Usage: 2, Partial: 3, Duplicates: 4, DcUnavailable: 5 });
    expect(r['prediction']).toEqual(['NOT_IN_SCOPE_NO_AD_OBJECT']);
  });

  it('has the simulator under entra2ad/sim, and nothing else reachable by a deep path', async () => {
    const out = await node(
      'sim.mjs',
      `
import { startSimulator, normalizeTenant } from 'entra2ad/sim';
const sim = await startSimulator({ tenant: normalizeTenant({ tenant: { id: '22222222-2222-4222-8222-222222222222', initialDomain: 'contoso.onmicrosoft.com' }, users: [] }), host: '127.0.0.1' });
const url = sim.url;
await sim.close();
let deep;
try { await import('entra2ad/dist/cli.js'); } catch (e) { deep = e.code; }
console.log(JSON.stringify({ url, deep }));
`,
    );
    const r = JSON.parse(out) as { url: string; deep: string };
    expect(r.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(r.deep).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });

  it('type-checks a TypeScript user of both entry points (the declarations ship and resolve)', async () => {
    await writeFile(
      join(app, 'use.ts'),
      `
import { buildPlan, guidToImmutableId, ExitCode, type Plan, type PlanEntry, type VerifyResult } from 'entra2ad';
import { startSimulator, type RunningSimulator } from 'entra2ad/sim';
export const id: string = guidToImmutableId('f7cc07d7-7c15-447d-876d-c01b0e5a9e38');
export const usage: 2 = ExitCode.Usage;
export type T = [Plan, PlanEntry, VerifyResult, RunningSimulator, typeof buildPlan, typeof startSimulator];
`,
    );
    await writeFile(
      join(app, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2023', strict: true, noEmit: true, types: ['node'] }, files: ['use.ts'] }),
    );
    const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: app, timeout: 120_000 }).then(
      () => 'ok',
      (e: { stdout?: string }) => e.stdout ?? String(e),
    );
    expect(result).toBe('ok');
  }, 180_000);

  it('runs the packed command line, apply included (it loads every runtime dependency of a run)', async () => {
    const bin = join(app, 'node_modules', 'entra2ad', 'dist', 'bin.js');
    const { stdout } = await run(process.execPath, [bin, 'anchor', 'f7cc07d7-7c15-447d-876d-c01b0e5a9e38'], { cwd: app, timeout: 60_000 });
    expect(stdout).toContain('1wfM9xV8fUSHbcAbDlqeOA==');
    // No run folder named: refused as bad input (2) once the apply module has loaded; a missing dependency would be INTERNAL (1).
    const apply = await run(process.execPath, [bin, 'apply'], { cwd: app, timeout: 60_000, env: { PATH: process.env['PATH'] ?? '' } }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
    );
    expect(apply.stderr).toMatch(/RUN_DIR_REQUIRED/);
    expect(apply.code).toBe(2);
  });
});
