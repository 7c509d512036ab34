/**
 * Runs the real CLI (`node dist/bin.js ...`) as a child process, the way an
 * admin would, and measures it from outside: wall time from spawn to exit, the
 * time each output line appeared (stage boundaries), and the child's own peak
 * RSS and CPU through the preloaded rss-hook (the benchmark's memory and the
 * simulator's are not in it).
 */
import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { onProcessExit } from '../lab/exit-cleanup.js';
import { BIN, DIST } from './paths.js';

export interface ChildUsage {
  maxRssKb: number;
  userCpuMs: number;
  systemCpuMs: number;
  heapUsedAtExitMb: number;
}

export interface TimedLine {
  /** ms since spawn. */
  at: number;
  stream: 'stdout' | 'stderr';
  text: string;
}

export interface ChildRun {
  exitCode: number;
  /** Date.now() at spawn, to place the child's own timestamps (journal, log) on its timeline. */
  spawnedAtEpochMs: number;
  wallMs: number;
  lines: TimedLine[];
  usage: ChildUsage | undefined;
}

export interface RunCliOptions {
  env?: Record<string, string>;
  /** Where to put the usage file and (with cpuProfile) the .cpuprofile. */
  workDir: string;
  label: string;
  /** Write a V8 CPU profile of the child into workDir. */
  cpuProfile?: boolean;
  /** Echo the child's stderr lines (progress) to ours. */
  echo?: boolean;
  timeoutMs?: number;
  /** Told the child's pid once it runs (the soak samples its RSS from /proc). */
  onSpawn?: (pid: number) => void;
}

export async function runCli(args: string[], options: RunCliOptions): Promise<ChildRun> {
  const usageFile = join(options.workDir, `${options.label}.usage.json`);
  await rm(usageFile, { force: true });
  const nodeArgs = ['--import', pathToFileURL(join(DIST, 'bench', 'rss-hook.js')).href];
  if (options.cpuProfile) nodeArgs.push('--cpu-prof', '--cpu-prof-dir', options.workDir, '--cpu-prof-name', `${options.label}.cpuprofile`);
  const spawnedAtEpochMs = Date.now();
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, BIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env, ENTRA2AD_BENCH_USAGE_FILE: usageFile },
  });
  const unregister = onProcessExit(() => {
    if (child.exitCode === null) child.kill('SIGTERM');
  });
  if (child.pid !== undefined) options.onSpawn?.(child.pid);
  const lines: TimedLine[] = [];
  const collect = (stream: 'stdout' | 'stderr', source: NodeJS.ReadableStream) => {
    createInterface({ input: source }).on('line', (text) => {
      lines.push({ at: performance.now() - started, stream, text });
      if (options.echo && stream === 'stderr') process.stderr.write(`    | ${text}\n`);
    });
  };
  collect('stdout', child.stdout);
  collect('stderr', child.stderr);
  const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGTERM'), options.timeoutMs) : undefined;
  const exitCode = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
  if (timer) clearTimeout(timer);
  unregister();
  const wallMs = performance.now() - started;
  let usage: ChildUsage | undefined;
  try {
    usage = JSON.parse(await readFile(usageFile, 'utf8')) as ChildUsage;
  } catch {
    usage = undefined;
  }
  return { exitCode, spawnedAtEpochMs, wallMs, lines, usage };
}

/** ms since spawn of the first line matching `pattern`; undefined when none did. */
export function lineAt(run: ChildRun, pattern: RegExp): number | undefined {
  return run.lines.find((l) => pattern.test(l.text))?.at;
}

export function outputOf(run: ChildRun, last = 40): string {
  return run.lines
    .slice(-last)
    .map((l) => `${l.stream === 'stderr' ? '!' : ' '} ${l.text}`)
    .join('\n');
}
