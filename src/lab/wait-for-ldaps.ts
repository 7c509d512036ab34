/**
 * Waiting until a DC really answers: a TLS handshake and a bind, not just an
 * open port (Samba listens a moment before it can serve a bind after its first
 * start, when it is still generating keys).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, DirectoryError, type DirectoryConnectionOptions } from '../directory/index.js';
import { debug } from './debug.js';
import { LabError } from './errors.js';

export interface WaitForLdapsOptions {
  connection: DirectoryConnectionOptions;
  timeoutMs: number;
  /** Called between attempts: a string means "give up, the server is gone" (e.g. the process exited). */
  stillRunning?: () => string | undefined;
  intervalMs?: number;
}

/** Resolves with the number of milliseconds it took; throws LAB_NOT_READY / LAB_START_FAILED. */
export async function waitForLdaps(options: WaitForLdapsOptions): Promise<number> {
  const started = performance.now();
  const deadline = started + options.timeoutMs;
  let attempts = 0;
  let last: unknown;
  for (;;) {
    attempts++;
    try {
      const dir = await connect({ ...options.connection, connectTimeoutMs: 2_000, timeoutMs: 10_000 });
      await dir.close();
      const ms = Math.round(performance.now() - started);
      debug('lab: %s answered a bind after %d attempt(s), %dms', options.connection.url, attempts, ms);
      return ms;
    } catch (error) {
      last = error;
      // A certificate we do not trust will not become trusted by waiting.
      if (error instanceof DirectoryError && (error.reason === 'TLS_UNTRUSTED' || error.exitCode === 2)) {
        throw new LabError('LAB_NOT_READY', `${options.connection.url}: ${error.message}`, error);
      }
    }
    const gone = options.stillRunning?.();
    if (gone !== undefined) throw new LabError('LAB_START_FAILED', gone, last);
    if (performance.now() > deadline) {
      const why = last instanceof DirectoryError ? last.reason : String(last);
      throw new LabError('LAB_NOT_READY', `${options.connection.url} did not answer a bind within ${options.timeoutMs}ms (last: ${why})`, last);
    }
    await sleep(options.intervalMs ?? 100);
  }
}
