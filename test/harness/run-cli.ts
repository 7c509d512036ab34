/**
 * Runs the BUILT command line (`node dist/bin.js ...`) as a child process, the
 * way an admin or a script runs it: no terminal on stdin, secrets only in the
 * environment. Captures stdout, stderr, the exit code (or the signal, for the
 * kill -9 tests) and the wall time.
 *
 *   const r = await runCli(['apply', '--plan', file, '--yes'], { env: { AZURE_CLIENT_SECRET: s } });
 *   expect(r.code).toBe(0);
 *
 * dist/ must be built first (`npm run build`): the tests exercise what ships.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI_BIN = join(REPO_ROOT, 'dist', 'bin.js');

export interface CliResult {
  /** Exit code; null when the process was ended by a signal. */
  code: number | null;
  /** e.g. 'SIGKILL' for the crash points; null for a normal exit. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit, ms. */
  ms: number;
  /** The arguments, for failure messages. */
  args: readonly string[];
  /** The script that ran (CLI_BIN unless `bin` said otherwise). */
  bin: string;
}

export interface RunCliOptions {
  /** Added to (and overriding) a clean copy of this process's environment. */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Kill the child (SIGKILL) after this long; default 120 s. */
  timeoutMs?: number;
  /** Another built script to run the same way, e.g. dist/bench/main.js; default CLI_BIN. */
  bin?: string;
  /** Sees stderr as it arrives (e.g. a device code prompt the test must answer). */
  onStderr?: (text: string) => void;
}

/**
 * Variables that would change what the CLI does, removed from the inherited
 * environment so a developer's shell cannot leak into a test (credentials,
 * crash points, debug output that might print values).
 */
const SCRUBBED = /^(AZURE_|ENTRA2AD_|NODE_DEBUG$|NODE_EXTRA_CA_CERTS$|NODE_OPTIONS$|NODE_V8_COVERAGE$)/;

export function assertBuilt(bin: string = CLI_BIN): void {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`npm run build\` before the integration tests that spawn the CLI`);
}

export function runCli(args: readonly string[], options: RunCliOptions = {}): Promise<CliResult> {
  const bin = options.bin ?? CLI_BIN;
  assertBuilt(bin);
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!SCRUBBED.test(key) && value !== undefined) env[key] = value;
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  const started = performance.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: options.cwd ?? REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      err.push(chunk);
      options.onStderr?.(chunk.toString('utf8'));
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        ms: performance.now() - started,
        args,
        bin,
      });
    });
  });
}

/** A one-paragraph account of a run, for `expect(..., describeRun(r))` messages. */
export function describeRun(result: CliResult): string {
  const tail = (text: string) => (text.length > 4000 ? `...${text.slice(-4000)}` : text);
  return [
    `${result.bin === CLI_BIN ? 'entra2ad' : `node ${relative(REPO_ROOT, result.bin)}`} ${result.args.join(' ')}`,
    `exit ${result.code ?? result.signal} after ${Math.round(result.ms)} ms`,
    `--- stdout\n${tail(result.stdout)}`,
    `--- stderr\n${tail(result.stderr)}`,
  ].join('\n');
}
