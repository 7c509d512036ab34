/**
 * The Graph simulator as its own process (`node dist/bin.js sim --tenant FILE
 * ...`), so its memory and CPU are not the tool's: the benchmark reads the one
 * JSON line it prints, asks it for counters over its test-only endpoints
 * (GET /_sim/stats, /_sim/state) and stops it with SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import type { SimReadyLine } from '../commands/sim.js';
import { onProcessExit } from '../lab/exit-cleanup.js';
import type { SimStats, TenantSnapshot } from '../sim/index.js';
import type { ChildUsage } from './child.js';
import { BIN, DIST } from './paths.js';

export interface SimProcessOptions {
  tenantFile: string;
  latencyMs: number;
  jitterMs: number;
  seed?: number;
  /** Multiplies Graph's published budgets; undefined = the published ones. */
  throttleScale?: number;
  /** Retry-After form on 429s: fractional seconds (default) or whole seconds. */
  retryAfter?: 'fractional' | 'whole';
  workDir: string;
  label: string;
  /** More `entra2ad sim` flags (the soak: post-commit faults, short tokens). */
  extraArgs?: string[];
}

export interface SimProcess {
  ready: SimReadyLine;
  caPem: string;
  /** Flags for plan/apply pointing at this simulator. */
  cloudFlags: string[];
  /** Environment for plan/apply (nothing: the secret travels as --client-secret-file in cloudFlags). */
  cloudEnv: Record<string, string>;
  /** The throwaway client secret, for in-process Graph clients (the anchor measurement). */
  clientSecret: string;
  stats(): Promise<SimStats>;
  state(): Promise<TenantSnapshot>;
  /** Stops it; resolves with the simulator's own peak RSS. */
  stop(): Promise<ChildUsage | undefined>;
}

export async function startSimProcess(options: SimProcessOptions): Promise<SimProcess> {
  const usageFile = join(options.workDir, `${options.label}.usage.json`);
  await rm(usageFile, { force: true });
  const args = ['sim', '--tenant', options.tenantFile, '--latency-ms', String(options.latencyMs), '--jitter-ms', String(options.jitterMs)];
  if (options.seed !== undefined) args.push('--seed', String(options.seed));
  if (options.throttleScale !== undefined) args.push('--throttle-scale', String(options.throttleScale));
  if (options.retryAfter !== undefined) args.push('--retry-after', options.retryAfter);
  args.push(...(options.extraArgs ?? []));
  const child = spawn(process.execPath, ['--import', pathToFileURL(join(DIST, 'bench', 'rss-hook.js')).href, BIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ENTRA2AD_BENCH_USAGE_FILE: usageFile },
  });
  // If the benchmark dies (Ctrl+C, an exception), the simulator must not outlive it.
  const unregister = onProcessExit(() => {
    if (child.exitCode === null) child.kill('SIGTERM');
  });
  const stderr: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line));
  const exited = new Promise<number>((resolve) => child.once('close', (code) => resolve(code ?? 1)));
  const ready = await new Promise<SimReadyLine>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the simulator printed no JSON line within 120 s:\n${stderr.join('\n')}`)), 120_000);
    void exited.finally(() => clearTimeout(timer));
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(line) as SimReadyLine);
      } catch (error) {
        reject(new Error(`the simulator printed something that is not its JSON line: ${line.slice(0, 200)}`, { cause: error }));
      }
    });
    child.once('error', reject);
    void exited.then((code) => reject(new Error(`the simulator exited (${code}) before it was ready:\n${stderr.join('\n')}`)));
  }).catch((error: unknown) => {
    if (child.exitCode === null) child.kill('SIGKILL');
    unregister();
    throw error;
  });
  const caPem = await readFile(ready.caFile, 'utf8');
  const get = <T>(path: string) => getJson<T>(`${ready.url}${path}`, caPem);
  let stopped: Promise<ChildUsage | undefined> | undefined;
  return {
    ready,
    caPem,
    cloudFlags: [
      '--tenant-id',
      ready.tenantId,
      '--client-id',
      ready.clientId,
      '--graph-url',
      ready.url,
      '--authority-host',
      ready.authorityHost,
      '--graph-ca-file',
      ready.caFile,
      '--client-secret-file',
      ready.clientSecretFile,
    ],
    cloudEnv: {},
    clientSecret: (await readFile(ready.clientSecretFile, 'utf8')).trim(),
    stats: () => get<SimStats>('/_sim/stats'),
    state: () => get<TenantSnapshot>('/_sim/state'),
    stop: () => (stopped ??= stop(child, exited, usageFile).finally(unregister)),
  };
}

async function stop(child: ChildProcess, exited: Promise<number>, usageFile: string): Promise<ChildUsage | undefined> {
  if (child.exitCode === null) child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
  try {
    return JSON.parse(await readFile(usageFile, 'utf8')) as ChildUsage;
  } catch {
    return undefined;
  }
}

function getJson<T>(url: string, ca: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', ca, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200) return reject(new Error(`GET ${url}: ${res.statusCode} ${text.slice(0, 200)}`));
        try {
          resolve(JSON.parse(text) as T);
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
