/**
 * `entra2ad sim --tenant FILE`: run the Graph-compatible tenant simulator on
 * loopback until SIGINT/SIGTERM. Prints ONE JSON line on stdout with what a
 * caller needs to connect ({url, caFile, tenantId, clientId, clientSecretFile,
 * authorityHost, deviceLoginUrl, managedIdentityEndpoint, identityHeaderFile}).
 * The client secret and the managed identity header are throwaways made for this
 * run, yet still secrets: they go to mode-0600 files beside the CA (for
 * `--client-secret-file`, IDENTITY_HEADER), never to stdout. Everything else goes
 * to stderr.
 *
 * Every sign-in method can be rehearsed: secret; certificate (`--client-certificate
 * FILE` registers it on the simulated app); device code (POST `deviceLoginUrl`
 * `{"user_code": "..."}` stands in for the browser); managed identity
 * (IDENTITY_ENDPOINT = managedIdentityEndpoint, IDENTITY_HEADER = the file's content).
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ExitCode, UsageError } from '../errors.js';
import { processIo, sayTo, type CommandIo } from '../output.js';
import { startSimulator, type FaultOptions, type RunningSimulator, type SimulatorOptions } from '../sim/index.js';

/**
 * The flags of `entra2ad sim`: the simulator's own options (src/sim/options.ts; the fault
 * rates of src/sim/faults.ts) as flags give them, plus the files they name.
 */
export interface SimCommandOptions
  extends FaultOptions,
    Pick<
      SimulatorOptions,
      | 'port'
      | 'host'
      | 'latencyMs'
      | 'jitterMs'
      | 'seed'
      | 'eventualLagMs'
      | 'eventualLagAllListings'
      | 'duplicateImmutableIdAs500'
      | 'tokenLifetimeSeconds'
      | 'syncFeaturesForbidden'
      | 'syncFeaturesForApps'
      | 'refuseAdvancedQuery'
    > {
  /** The tenant snapshot file. */
  tenant: string;
  /** Multiplies Graph's published throttling budgets. */
  throttleScale?: number;
  /** Retry-After on 429s: 'fractional' seconds (default, as Graph sometimes sends) or 'whole' seconds. */
  retryAfter?: 'fractional' | 'whole';
  /** false = --no-throttle. */
  throttle?: boolean;
  /** PEM files whose (first) certificate is registered on the simulated app, for certificate sign-in. */
  clientCertificate?: string[];
}

/** `stdout` and `stderr` default to the process's. */
export interface SimCommandIo extends Partial<CommandIo> {
  /** Where the JSON line goes; default `stdout`. */
  writeLine?: (line: string) => void;
  /** Stops the simulator when aborted; default: SIGINT or SIGTERM. */
  signal?: AbortSignal;
  /** Called once the simulator listens (tests use it). */
  onStarted?: (sim: RunningSimulator) => void;
}

export interface SimReadyLine {
  url: string;
  caFile: string;
  tenantId: string;
  clientId: string;
  /** Mode 0600; holds the throwaway client secret (pass it as --client-secret-file). */
  clientSecretFile: string;
  authorityHost: string;
  /** POST `{"user_code": "...", "user"?: "upn"}` here to complete a device code sign-in. */
  deviceLoginUrl: string;
  /** IDENTITY_ENDPOINT for `--auth managed-identity` (plain HTTP on loopback, as App Service). */
  managedIdentityEndpoint: string;
  /** Mode 0600; holds IDENTITY_HEADER. */
  identityHeaderFile: string;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

export function simulatorOptions(options: SimCommandOptions): SimulatorOptions {
  const problems: string[] = [];
  const rate = (name: string, value: number | undefined) => {
    if (value !== undefined && !(value >= 0 && value <= 1)) problems.push(`--${name}: must be between 0 and 1`);
  };
  rate('rate-429', options.rate429);
  rate('rate-503', options.rate503);
  rate('rate-504', options.rate504);
  rate('drop-rate', options.dropRate);
  rate('after-commit-504-rate', options.afterCommit504Rate);
  rate('after-commit-drop-rate', options.afterCommitDropRate);
  if ((options.afterCommit504Rate ?? 0) + (options.afterCommitDropRate ?? 0) > 1) problems.push('--after-commit-504-rate + --after-commit-drop-rate: must not exceed 1');
  if (options.eventualLagMs !== undefined && !(options.eventualLagMs >= 0)) problems.push('--eventual-lag-ms: must be 0 or more');
  if (options.tokenLifetimeSeconds !== undefined && !(Number.isInteger(options.tokenLifetimeSeconds) && options.tokenLifetimeSeconds >= 1)) {
    problems.push('--token-lifetime-seconds: must be a whole number of seconds, 1 or more');
  }
  const sum = (options.rate429 ?? 0) + (options.rate503 ?? 0) + (options.rate504 ?? 0) + (options.dropRate ?? 0);
  if (sum > 1) problems.push('--rate-429 + --rate-503 + --rate-504 + --drop-rate: must not exceed 1');
  if (options.port !== undefined && !(Number.isInteger(options.port) && options.port >= 0 && options.port <= 65535)) problems.push('--port: must be 0..65535');
  if (options.host !== undefined && !LOOPBACK.test(options.host)) problems.push('--host: must be a loopback address (127.x.x.x, ::1, localhost)');
  for (const [name, value] of [['latency-ms', options.latencyMs], ['jitter-ms', options.jitterMs]] as const) {
    if (value !== undefined && !(value >= 0)) problems.push(`--${name}: must be 0 or more`);
  }
  if (options.seed !== undefined && !Number.isInteger(options.seed)) problems.push('--seed: must be an integer');
  if (options.throttleScale !== undefined && !(options.throttleScale > 0)) problems.push('--throttle-scale: must be more than 0');
  if (options.throttle === false && options.throttleScale !== undefined) problems.push('--throttle-scale and --no-throttle: choose one');
  const clientCertificates = (options.clientCertificate ?? []).map((file) => certificateIn(file, problems));
  if (problems.length > 0) throw new UsageError('USAGE', 'Invalid simulator options.', problems);

  // An option left out stays undefined: the simulator's own default applies (src/sim/server.ts; a fault rate reads as 0).
  const { tenant, port, host, latencyMs, jitterMs, seed, tokenLifetimeSeconds, eventualLagMs, eventualLagAllListings, duplicateImmutableIdAs500 } = options;
  const { rate429, rate503, rate504, dropRate, afterCommit504Rate, afterCommitDropRate } = options;
  return {
    tenant,
    port,
    host,
    latencyMs,
    jitterMs,
    seed,
    faults: { rate429, rate503, rate504, dropRate, afterCommit504Rate, afterCommitDropRate },
    throttle: options.throttle === false ? false : { scale: options.throttleScale ?? 1, ...(options.retryAfter ? { retryAfter: options.retryAfter } : {}) },
    tokenLifetimeSeconds,
    syncFeaturesForbidden: options.syncFeaturesForbidden ?? false,
    syncFeaturesForApps: options.syncFeaturesForApps ?? false,
    refuseAdvancedQuery: options.refuseAdvancedQuery ?? false,
    eventualLagMs,
    eventualLagAllListings,
    duplicateImmutableIdAs500,
    ...(clientCertificates.length > 0 ? { clientCertificates: clientCertificates.filter((c): c is string => c !== undefined) } : {}),
  };
}

/** The first PEM certificate in a file (a key beside it is ignored: only the certificate is registered). */
function certificateIn(file: string, problems: string[]): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    problems.push(`--client-certificate ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    return undefined;
  }
  const pem = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+?-----END CERTIFICATE-----/.exec(text)?.[0];
  if (!pem) problems.push(`--client-certificate ${file}: holds no PEM certificate`);
  return pem;
}

function untilSignal(): { promise: Promise<string>; dispose(): void } {
  let handler: (signal: string) => void = () => undefined;
  const promise = new Promise<string>((resolve) => {
    handler = resolve;
  });
  const onInt = () => handler('SIGINT');
  const onTerm = () => handler('SIGTERM');
  process.once('SIGINT', onInt);
  process.once('SIGTERM', onTerm);
  return {
    promise,
    dispose: () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}

/** Runs until stopped; then exit code 0 (a simulator that cannot start throws). */
export async function sim(options: SimCommandOptions, io: SimCommandIo = {}): Promise<{ exitCode: ExitCode; ready: SimReadyLine }> {
  // The streams io leaves out are the process's own, as for the other commands.
  const own = processIo();
  const stdout = io.stdout ?? own.stdout;
  const say = sayTo(io.stderr ?? own.stderr);
  const simOptions = simulatorOptions(options);
  // Listen for signals before starting, so a signal during start-up is not lost.
  const stop = io.signal ? null : untilSignal();
  let running: RunningSimulator;
  try {
    running = await startSimulator(simOptions);
  } catch (error) {
    stop?.dispose();
    throw error;
  }
  // Beside the CA, in the simulator's own temp folder (removed when it stops).
  const clientSecretFile = join(dirname(running.caFile), 'client-secret');
  await writeFile(clientSecretFile, `${running.clientSecret}\n`, { mode: 0o600 });
  const identityHeaderFile = join(dirname(running.caFile), 'identity-header');
  await writeFile(identityHeaderFile, running.managedIdentity.header, { mode: 0o600 });
  const ready: SimReadyLine = {
    url: running.url,
    caFile: running.caFile,
    tenantId: running.tenantId,
    clientId: running.clientId,
    clientSecretFile,
    authorityHost: running.authorityHost,
    deviceLoginUrl: `${running.url}/_sim/devicelogin`,
    managedIdentityEndpoint: running.managedIdentity.endpoint,
    identityHeaderFile,
  };
  (io.writeLine ?? ((line: string) => stdout.write(`${line}\n`)))(JSON.stringify(ready));
  const loaded = running.state();
  const groupCount = loaded.groups?.length ? `, ${loaded.groups.length} groups` : '';
  say(`entra2ad sim: ${loaded.users.length} users${groupCount} at ${running.url}/v1.0 (CA: ${running.caFile}); stop with Ctrl+C`);
  io.onStarted?.(running);
  try {
    if (io.signal) {
      const signal = io.signal;
      if (!signal.aborted) await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    } else {
      const name = await (stop as NonNullable<typeof stop>).promise;
      say(`entra2ad sim: ${name}, stopping`);
    }
  } finally {
    stop?.dispose();
    await running.close();
  }
  const stats = running.stats();
  say(`entra2ad sim: served ${stats.requests} requests (${stats.writes} writes, ${stats.throttled} throttled, ${stats.faults} faults)`);
  return { exitCode: ExitCode.Ok, ready };
}
