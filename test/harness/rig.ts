/**
 * The one rig of the tests that run the CLI: the Graph simulator (HTTPS on a
 * loopback address) on a tenant, the shared harness DC (or a DC of the test's
 * own), the sign-in flags and secrets as an admin would give them, a folder of
 * the rig's own, and the REAL built CLI (run-cli.ts) as a child process.
 *
 *   const rig = await startRig({ tenant: buildTenant({ users }), sim: { throttle: false } });
 *   const made = await rig.plan(rig.dir);
 *   const applied = await rig.apply(['--plan', join(rig.dir, 'plan.json'), '--yes']);
 *   await rig.close();                       // or leave it to the file's end
 *
 * Importing this module registers the file's safety net: after the file, every
 * simulator still running is stopped, every target OU a rig used is tree-deleted
 * and every folder from `tempDir` removed (set ENTRA2AD_KEEP_TEST_OUTPUT=1 to keep
 * the folders for a look).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { childDn } from '../../src/directory/index.js';
import { readCredentials } from '../../src/journal/credentials-file.js';
import type { Plan, PlanEntry } from '../../src/plan/types.js';
import type { RunReport } from '../../src/report/run-report.js';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/sim/index.js';
import type { TenantSnapshot } from '../../src/graph/tenant-snapshot.js';
import { cliConnection, dcInfo, deleteTree, usersWithUpn, type DcInfo } from './dc.js';
import { writesTo } from './graph.js';
import { describeRun, runCli, type CliResult, type RunCliOptions } from './run-cli.js';
import { assertUpnsFree } from './ldapsearch.js';
import { loadSampleTenant } from './tenant.js';

const running = new Set<RunningSimulator>();
const ous = new Set<string>();
const dirs: string[] = [];

afterAll(async () => {
  for (const sim of [...running]) await stopSimulator(sim);
  for (const dn of [...ous]) await removeOu(dn);
  if (process.env.ENTRA2AD_KEEP_TEST_OUTPUT) {
    if (dirs.length > 0) process.stderr.write(`[rig] kept: ${dirs.join(' ')}\n`);
    return;
  }
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function stopSimulator(sim: RunningSimulator): Promise<void> {
  running.delete(sim);
  await sim.close();
}

/** A fresh folder `e2a-<label>-*` under the system's temp folder, removed after the file. */
export async function tempDir(label = 'run'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `e2a-${label}-`));
  dirs.push(dir);
  return dir;
}

/** A target OU under the harness domain that does not exist yet (apply creates it); tree-deleted after the file. */
export function freshOu(label = 'apply'): string {
  const dn = `OU=${label}-${randomBytes(4).toString('hex')},${dcInfo().baseDn}`;
  ous.add(dn);
  return dn;
}

/** Tree-deletes `dn` now (the next test may plan the same names), and forgets it. */
export async function removeOu(dn: string): Promise<void> {
  await deleteTree(dn);
  ous.delete(dn);
}

export interface RigOptions {
  /** Default: samples/tenant.contoso.json. */
  tenant?: TenantSnapshot;
  sim?: Omit<SimulatorOptions, 'tenant'>;
  /** The target OU; default a fresh one (`freshOu()`). A rig on the harness DC tree-deletes it on close. */
  ou?: string;
  /** Names the rig's folder: `e2a-<label>-*`. */
  label?: string;
  /**
   * Another DC than the harness DC: one of the test's own (dc.ts startOwnDc, exchange-dc.ts), as
   * dc-info.ts dcInfoOfSamba describes it. The rig leaves its OUs alone (the DC goes away with the test).
   */
  dc?: DcInfo;
}

export interface Rig {
  sim: RunningSimulator;
  /** The rig's own folder (CA copies, config files); a run folder too where one is enough. */
  dir: string;
  ou: string;
  /** The child's environment: the secrets, nothing else. */
  env: Record<string, string>;
  /** Sign-in and LDAP flags, as an admin would type them. */
  flags: string[];
  /** `entra2ad <command> <flags> <args>`; `env` is added to the secrets for this run only. */
  run(command: string, args?: readonly string[], env?: Record<string, string | undefined>, options?: Omit<RunCliOptions, 'env'>): Promise<CliResult>;
  /** `plan --target-ou <ou> --out <out>`. */
  plan(out: string, extra?: readonly string[]): Promise<CliResult>;
  apply(extra: readonly string[], env?: Record<string, string | undefined>): Promise<CliResult>;
  /** Writes `config` as JSON into the rig's folder; returns the file's path. */
  writeConfig(config: unknown): Promise<string>;
  /** Stops the simulator and, on the harness DC, tree-deletes the target OU. Safe to call twice. */
  close(): Promise<void>;
}

export async function startRig(options: RigOptions = {}): Promise<Rig> {
  const tenant = options.tenant ?? (await loadSampleTenant());
  const sim = await startSimulator({ tenant, ...options.sim });
  running.add(sim);
  const dir = await tempDir(options.label ?? 'rig');
  const { flags, env } = await cliConnection(sim, dir, options.dc);
  const ou = options.ou ?? (options.dc ? `OU=apply-${randomBytes(4).toString('hex')},${options.dc.baseDn}` : freshOu());
  if (!options.dc) ous.add(ou);
  const run: Rig['run'] = (command, args = [], more = {}, runOptions = {}) => runCli([command, ...flags, ...args], { ...runOptions, env: { ...env, ...more } });
  return {
    sim,
    dir,
    ou,
    env,
    flags,
    run,
    plan: (out, extra = []) => run('plan', ['--target-ou', ou, '--out', out, ...extra]),
    apply: (extra, more) => run('apply', extra, more),
    writeConfig: async (config) => {
      const file = join(dir, `config-${randomBytes(3).toString('hex')}.json`);
      await writeFile(file, JSON.stringify(config, null, 2));
      return file;
    },
    close: async () => {
      if (running.has(sim)) await stopSimulator(sim);
      if (!options.dc) await removeOu(ou);
    },
  };
}

/**
 * A rig on the sample tenant (`rig.tenant`, a fresh copy), started once the harness DC is found to hold
 * none of its UPNs: the sample's names are unique domain-wide, so two runs of it cannot share the DC.
 */
export async function startSampleRig(options: Omit<RigOptions, 'tenant'> = {}): Promise<Rig & { tenant: TenantSnapshot }> {
  const tenant = await loadSampleTenant();
  await assertUpnsFree(tenant);
  return { ...(await startRig({ tenant, ...options })), tenant };
}

/**
 * The rig of the safety and recovery tests: throttling off, the sync features readable app-only
 * (`syncFeaturesForApps`, not Graph's behaviour: these suites test what entra2ad does with the flags;
 * pass `syncFeaturesForApps: false` for Graph's 403), and a target OU `OU=s-<t>` named after the
 * test's tag that does not exist before the run (apply creates it), so "nothing was written" can be
 * checked as "the OU is not even there". `run` passes `--target-ou` to every command.
 */
export async function taggedRig(snapshot: TenantSnapshot, t: string, options: Omit<SimulatorOptions, 'tenant'> = {}): Promise<Rig> {
  const base = await startRig({
    tenant: snapshot,
    ou: childDn(dcInfo().baseDn, 'OU', `s-${t}`),
    label: `safety-${t}`,
    sim: { throttle: false, syncFeaturesForApps: true, ...options },
  });
  return { ...base, run: (command, extra = [], env, runOptions) => base.run(command, ['--target-ou', base.ou, ...extra], env, runOptions) };
}

/**
 * `plan --target-ou <ou> --out <rig.dir> <planArgs>` then `apply --plan <rig.dir>/plan.json --yes <applyArgs>`
 * (through `rig.run`: a tagged rig's `--target-ou` too), each expected to exit 0. The plan and both runs.
 */
export async function planThenApply(rig: Rig, planArgs: readonly string[] = [], applyArgs: readonly string[] = []): Promise<{ plan: Plan; planned: CliResult; applied: CliResult }> {
  const planned = await rig.plan(rig.dir, planArgs);
  expect(planned.code, describeRun(planned)).toBe(0);
  const plan = await readPlan(rig.dir);
  const applied = await rig.run('apply', ['--plan', join(rig.dir, 'plan.json'), '--yes', ...applyArgs]);
  expect(applied.code, describeRun(applied)).toBe(0);
  return { plan, planned, applied };
}

/** Nothing was written for this user: no AD user with the UPN anywhere in the domain, no Graph write to the id. */
export async function expectUntouched(rig: Rig, upn: string, id: string): Promise<void> {
  expect(await usersWithUpn(upn), `no AD user for ${upn}`).toBe(0);
  expect(writesTo(rig.sim, id), `no Graph write to ${upn}`).toEqual([]);
}

// ---------------------------------------------------------------- what a run left in its folder

export async function readPlan(dir: string): Promise<Plan> {
  return JSON.parse(await readFile(join(dir, 'plan.json'), 'utf8')) as Plan;
}

/** report.json as apply wrote it. */
export async function readReport(dir: string): Promise<RunReport> {
  return JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as RunReport;
}

export const creates = (plan: Plan): PlanEntry[] => plan.entries.filter((e) => e.action === 'create');

/** credentials.csv: the initial password of each user, by lower-case UPN. */
export async function readPasswords(dir: string): Promise<Map<string, string>> {
  const rows = await readCredentials(join(dir, 'credentials.csv'));
  return new Map([...rows.values()].map((row) => [row.userPrincipalName.toLowerCase(), row.password]));
}

/** The plan entry of `upn` (any case); throws when there is none. */
export function entryOf(plan: Plan, upn: string): PlanEntry {
  const e = plan.entries.find((x) => x.userPrincipalName.toLowerCase() === upn.toLowerCase());
  if (!e) throw new Error(`no plan entry for ${upn}`);
  return e;
}
