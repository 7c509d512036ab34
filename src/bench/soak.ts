/**
 * `npm run bench -- --soak`: one long apply that meets what production does to
 * it, measured against the physical limit.
 *
 * - N users (default 10,000) created on a fresh Samba DC and anchored through
 *   the simulator at Graph's published budgets (writes: 3,000 per 150 s = 20/s,
 *   learn.microsoft.com/graph/throttling-limits);
 * - short tokens (`sim --token-lifetime-seconds`, default 60), so the run spans
 *   many of them;
 * - post-commit faults: the write is stored, its answer lost (`sim
 *   --after-commit-504-rate`, `--after-commit-drop-rate`, half of `--soak-fault-rate`
 *   each: a 504 per write item, a dropped connection per `$batch` request);
 * - one DC restart (SambaDc.restart, 4 s down) once 30 % of the users are created.
 *
 * Checked afterwards, from outside the tool: report.json (failed), verify.json
 * of the run (duplicates, hard matches), the simulator's write log (effective
 * writes per user: `changed`), and the apply process's RSS sampled from /proc
 * against the number of users done (flat, not growing with users).
 *
 * Physical limit: the larger of `ldapadd -c` of the same users on the same DC
 * (measured after the apply, into a fresh OU) and the write-budget time (N / 20 s).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SambaDc } from '../lab/index.js';
import { startSambaDc } from '../lab/index.js';
import type { RunReport } from '../report/run-report.js';
import { parsePlan } from '../plan/plan-json.js';
import { outputOf, runCli } from './child.js';
import { createOu, runBaseline } from './ldapadd-baseline.js';
import { startSimProcess, type SimProcess } from './sim-process.js';
import { writeTenantForCreates } from './tenants.js';

/** Graph's write budget for one app in one tenant: 3,000 per 150 s. */
export const GRAPH_WRITES_PER_SECOND = 3000 / 150;

export interface SoakSettings {
  users: number;
  latencyMs: number;
  jitterMs: number;
  seed: number;
  tokenLifetimeSeconds: number;
  /** Share of writes whose answer is lost after commit (half as 504 items, half as dropped $batch connections). */
  faultRate: number;
  /** Restart the DC once this share of the users is created; null: no restart. */
  restartAt: number | null;
  workDir: string;
  timeoutMs: number;
}

export interface RssSample {
  /** Users with their GUID read (journal `guid` records) when sampled. */
  usersDone: number;
  rssMb: number;
  atMs: number;
}

export interface SoakFigures {
  users: number;
  tokenLifetimeSeconds: number;
  faultRate: number;
  creates: number;
  exitCode: number;
  wallMs: number;
  anchored: number;
  failed: number;
  /** verify.json of the run: duplicates predicted for its users, hard matches. */
  duplicates: number | null;
  hardMatches: number | null;
  /** Users of the plan with exactly one effective write in the simulator's log. */
  usersWithOneEffectiveWrite: number;
  /** Users with more than one, or none. */
  usersWithOtherWriteCounts: number;
  /** Accepted PATCHes that changed nothing (re-sends of a value already held). */
  noOpWrites: number;
  lostAnswers: number;
  throttled429: number;
  tokenRequests: number;
  dcRestart: { atUsersDone: number; atMs: number; downMs: number } | null;
  peakRssMb: number | null;
  rssSamples: RssSample[];
  ldapaddMs: number;
  ldapaddFailed: number;
  writeBudgetMs: number;
  physicalLimitMs: number;
  /** wall / physical limit. */
  overPhysicalLimit: number;
}

export async function soakCase(settings: SoakSettings, log: (text: string) => void): Promise<SoakFigures> {
  const { workDir } = settings;
  let dc: SambaDc | undefined;
  let sim: SimProcess | undefined;
  try {
    dc = await startSambaDc();
    log(`soak: DC ${dc.url} ready`);
    const tenant = await writeTenantForCreates(join(workDir, 'tenant-soak.json'), settings.users, settings.seed);
    const half = (settings.faultRate / 2).toString();
    sim = await startSimProcess({
      tenantFile: tenant.file,
      latencyMs: settings.latencyMs,
      jitterMs: settings.jitterMs,
      seed: settings.seed,
      workDir,
      label: 'sim-soak',
      extraArgs: ['--token-lifetime-seconds', String(settings.tokenLifetimeSeconds), '--after-commit-504-rate', half, '--after-commit-drop-rate', half],
    });
    const ldapFlags = ['--ldap-url', dc.url, '--bind-dn', dc.bindDn, '--ldap-ca-file', dc.caFile, '--ldap-servername', dc.servername];
    const env = { ...sim.cloudEnv, ENTRA2AD_BIND_PASSWORD: dc.bindPassword };
    const runDir = join(workDir, 'soak');
    const targetOu = `OU=Cloud Users,OU=entra2ad soak,${dc.baseDn}`;

    const planned = await runCli(['plan', ...sim.cloudFlags, ...ldapFlags, '--target-ou', targetOu, '--out', runDir], { env, workDir, label: 'soak-plan', timeoutMs: settings.timeoutMs });
    if (planned.exitCode !== 0) throw new Error(`plan exited ${planned.exitCode}:\n${outputOf(planned)}`);
    const planDoc = parsePlan(await readFile(join(runDir, 'plan.json'), 'utf8'));
    const creates = planDoc.entries.filter((e) => e.action === 'create');
    log(`soak: ${creates.length} users to create; apply at Graph's write budget, tokens of ${settings.tokenLifetimeSeconds} s, ${(settings.faultRate * 100).toFixed(1)} % post-commit faults, DC restart at ${settings.restartAt === null ? 'never' : `${settings.restartAt * 100} %`}`);

    const before = await sim.stats();
    let pid: number | undefined;
    const samples: RssSample[] = [];
    let restart: SoakFigures['dcRestart'] = null;
    let restarting: Promise<void> | undefined;
    const started = performance.now();
    const journal = join(runDir, 'journal.jsonl');
    const activeDc = dc;
    const poll = setInterval(() => {
      void (async () => {
        const done = await countRecords(journal, '"kind":"guid"');
        const rss = pid === undefined ? undefined : await rssMbOf(pid);
        if (rss !== undefined) samples.push({ usersDone: done, rssMb: rss, atMs: Math.round(performance.now() - started) });
        if (settings.restartAt !== null && restart === null && done >= creates.length * settings.restartAt) {
          restart = { atUsersDone: done, atMs: Math.round(performance.now() - started), downMs: 4000 };
          log(`soak: restarting the DC (4 s down) at ${done} users done`);
          restarting = activeDc.restart({ downMs: 4000 });
        }
      })();
    }, 2000);
    let run;
    try {
      run = await runCli(['apply', '--plan', join(runDir, 'plan.json'), ...sim.cloudFlags, ...ldapFlags, '--yes'], {
        env,
        workDir,
        label: 'soak-apply',
        timeoutMs: settings.timeoutMs,
        echo: true,
        onSpawn: (p) => {
          pid = p;
        },
      });
    } finally {
      clearInterval(poll);
      await restarting;
    }
    const after = await sim.stats();
    if (run.exitCode !== 0) log(`soak: apply exited ${run.exitCode}:\n${outputOf(run)}`);
    const report = JSON.parse(await readFile(join(runDir, 'report.json'), 'utf8')) as RunReport;
    let verify: { summary?: Record<string, number> } | undefined;
    try {
      verify = JSON.parse(await readFile(join(runDir, 'verify.json'), 'utf8')) as typeof verify;
    } catch {
      verify = undefined;
    }
    const state = await sim.state();
    const effective = new Map<string, number>();
    let noOpWrites = 0;
    for (const w of state.writes ?? []) {
      if (w.status >= 300 || !w.userId) continue;
      if (w.changed === false) noOpWrites++;
      else effective.set(w.userId, (effective.get(w.userId) ?? 0) + 1);
    }
    const one = creates.filter((e) => effective.get(e.cloudId) === 1).length;

    log('soak: ldapadd -c of the same users into a fresh OU of the same DC (the directory half of the physical limit)');
    const ou = `OU=ldapadd soak baseline,${dc.baseDn}`;
    const target = { url: dc.url, bindDn: dc.bindDn, bindPassword: dc.bindPassword, caFile: dc.caFile };
    await createOu(target, ou, workDir);
    const baseline = await runBaseline(target, planDoc, ou, workDir, 'sk');
    const writeBudgetMs = (creates.length / GRAPH_WRITES_PER_SECOND) * 1000;
    const physicalLimitMs = Math.max(baseline.wallMs, writeBudgetMs);
    return {
      users: tenant.users,
      tokenLifetimeSeconds: settings.tokenLifetimeSeconds,
      faultRate: settings.faultRate,
      creates: creates.length,
      exitCode: run.exitCode,
      wallMs: run.wallMs,
      anchored: report.summary.anchored ?? 0,
      failed: report.summary.failed ?? 0,
      duplicates: verify?.summary?.duplicate ?? null,
      hardMatches: verify?.summary?.['hard-match'] ?? null,
      usersWithOneEffectiveWrite: one,
      usersWithOtherWriteCounts: creates.length - one,
      noOpWrites,
      lostAnswers: after.lostAnswers - before.lostAnswers,
      throttled429: after.throttled - before.throttled,
      tokenRequests: (after.perPath['POST /{tenant}/oauth2/v2.0/token'] ?? 0) - (before.perPath['POST /{tenant}/oauth2/v2.0/token'] ?? 0),
      dcRestart: restart,
      peakRssMb: run.usage ? Math.round((run.usage.maxRssKb / 1024) * 10) / 10 : null,
      rssSamples: thin(samples, 12),
      ldapaddMs: baseline.wallMs,
      ldapaddFailed: baseline.failed,
      writeBudgetMs,
      physicalLimitMs,
      overPhysicalLimit: run.wallMs / physicalLimitMs,
    };
  } finally {
    await sim?.stop();
    await dc?.stop();
  }
}

async function countRecords(file: string, needle: string): Promise<number> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return 0;
  }
  let n = 0;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) n++;
  return n;
}

/** Resident set size of a process now (Linux /proc), MB. */
async function rssMbOf(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1]);
    return Number.isFinite(kb) && kb > 0 ? Math.round((kb / 1024) * 10) / 10 : undefined;
  } catch {
    return undefined;
  }
}

/** At most `n` samples, evenly spread, the last one kept. */
function thin(samples: RssSample[], n: number): RssSample[] {
  if (samples.length <= n) return samples;
  const out: RssSample[] = [];
  for (let i = 0; i < n; i++) out.push(samples[Math.round((i * (samples.length - 1)) / (n - 1))] as RssSample);
  return out;
}
