/**
 * The simulator's command line run in this process (`entra2ad sim`), for the tests
 * of the command itself. Tenants: test/harness/tenant.ts; clients: test/harness/graph.ts.
 */
import { expect, vi } from 'vitest';
import { buildCli } from '../../../src/cli.js';
import type { SimReadyLine } from '../../../src/commands/sim.js';

/**
 * Runs `entra2ad sim ARGS` in this process, as the command line does, and hands `use`
 * the JSON line it printed. `stop()` sends the SIGTERM an admin's Ctrl+C would (only
 * the simulator sees it; the test runner's own listeners are set aside meanwhile) and
 * waits for the command to end; it is called after `use` if `use` did not.
 * `written` is everything the command wrote to stdout.
 */
export async function runSimCli(
  args: string[],
  use: (ready: SimReadyLine, io: { written: string[]; stop: () => Promise<void> }) => Promise<void>,
): Promise<void> {
  const written: string[] = [];
  const originalWrite = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    written.push(String(chunk));
    return (originalWrite as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;
  const others = process.listeners('SIGTERM');
  process.removeAllListeners('SIGTERM');
  try {
    const run = buildCli(['sim', ...args]).parseAsync();
    let stopped: Promise<void> | undefined;
    const stop = () =>
      (stopped ??= (async () => {
        process.emit('SIGTERM');
        await run;
      })());
    await vi.waitFor(() => expect(written.some((w) => w.startsWith('{"url"'))).toBe(true), { timeout: 10_000 });
    await use(JSON.parse(written.find((w) => w.startsWith('{"url"')) as string) as SimReadyLine, { written, stop });
    await stop();
  } finally {
    process.stdout.write = originalWrite;
    for (const listener of others) process.on('SIGTERM', listener as () => void);
  }
}
