/**
 * A loopback address of the lab DC's own.
 *
 * Samba binds only to addresses an interface carries: 127.0.0.77 is reachable
 * through lo's 127.0.0.0/8 route but is not "on" lo, and Samba then finds no
 * interface and never listens (measured: src/lab/README.md). So we add a /32 alias
 * to lo, which needs root (CAP_NET_ADMIN). `ip addr add` failing with "File
 * exists" is our lock: two labs can never claim the same address.
 */
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { debug } from './debug.js';
import { LabError } from './errors.js';
import { exec } from './exec.js';

/** Random 127.a.b.c, avoiding 127.0.x.x where resolvers and test servers live (127.0.0.53, 127.0.1.1...). */
function randomLoopback(): string {
  return `127.${randomInt(64, 255)}.${randomInt(0, 256)}.${randomInt(2, 255)}`;
}

export async function loopbackAliases(): Promise<Set<string>> {
  const { stdout } = await exec('ip', ['-4', '-o', 'addr', 'show', 'dev', 'lo']);
  return new Set([...stdout.matchAll(/inet (\d+\.\d+\.\d+\.\d+)\/32/g)].map((m) => m[1]!));
}

/** Adds `preferred` (or a random free 127.a.b.c) to lo and returns it. */
export async function claimLoopbackAddress(preferred?: string): Promise<string> {
  const attempts = preferred ? 1 : 20;
  let lastError: unknown;
  for (let i = 0; i < attempts; i++) {
    const address = preferred ?? randomLoopback();
    try {
      await exec('ip', ['addr', 'add', `${address}/32`, 'dev', 'lo']);
      debug('lab: claimed loopback address %s', address);
      return address;
    } catch (error) {
      lastError = error;
      if (!/File exists/i.test(String(error))) break; // not a collision: no point retrying
    }
  }
  throw new LabError(
    'LAB_NO_FREE_ADDRESS',
    `could not add a loopback address for the lab DC (needs root and iproute2's ip): ${String(lastError)}`,
  );
}

export async function releaseLoopbackAddress(address: string): Promise<void> {
  try {
    await exec('ip', ['addr', 'del', `${address}/32`, 'dev', 'lo']);
    debug('lab: released loopback address %s', address);
  } catch (error) {
    // Already gone is fine; anything else is logged, not thrown, so stop() always finishes.
    debug('lab: releasing %s: %s', address, String(error));
  }
}

/** For process-exit handlers, where nothing asynchronous runs any more. */
export function releaseLoopbackAddressSync(address: string): void {
  spawnSync('ip', ['addr', 'del', `${address}/32`, 'dev', 'lo'], { stdio: 'ignore' });
}
