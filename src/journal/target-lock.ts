/**
 * One apply per target: the run-folder lock (run-lock.ts) keeps two processes out of
 * one folder, but two folders holding the same plan would split its users between two
 * runs, each filing passwords for creates the other made. This lock is keyed by what
 * the run writes to, the tenant and the target OU (DN compared as AD does, dn.ts), and
 * lives outside any run folder: ENTRA2AD_LOCK_DIR, else ~/.cache/entra2ad/locks (the
 * user's own, 0700). It covers runs on this host by this user; a second host or account
 * is not seen (an assumption the README states).
 */
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { dnKey } from '../directory/dn.js';
import { Entra2adError, ExitCode } from '../errors.js';
import { RunError } from './errors.js';
import { RunLock } from './run-lock.js';

export function targetLockBase(env: NodeJS.ProcessEnv = process.env): string {
  return env.ENTRA2AD_LOCK_DIR || join(homedir(), '.cache', 'entra2ad', 'locks');
}

/** The lock folder for a tenant and target OU (pure). */
export function targetLockDir(base: string, tenantId: string, targetOu: string): string {
  let ou: string;
  try {
    ou = dnKey(targetOu);
  } catch {
    ou = targetOu.toLowerCase();
  }
  return join(base, createHash('sha256').update(`${tenantId.toLowerCase()}\n${ou}`).digest('hex').slice(0, 32));
}

/** Takes the target's lock for `runDir`, or throws TARGET_IN_USE (exit 2) naming the other run. */
export async function acquireTargetLock(options: { tenantId: string; targetOu: string; runDir: string; base?: string }): Promise<RunLock> {
  const dir = targetLockDir(options.base ?? targetLockBase(), options.tenantId, options.targetOu);
  try {
    return await RunLock.acquire(dir, `apply --out ${options.runDir}`);
  } catch (error) {
    if (error instanceof Entra2adError && error.reason === 'RUN_IN_PROGRESS') {
      throw new RunError(
        'TARGET_IN_USE',
        `tenant ${options.tenantId}, OU ${options.targetOu} is being written by another run: ${error.message.replace(/^\S+ is in use by /, '')}; nothing was written. Let it finish, then resume that run`,
        { field: 'targetOu' },
        ExitCode.Usage,
      );
    }
    throw error;
  }
}
