/**
 * One writer per run folder. Two applies on one folder (a second terminal, a
 * retrying scheduler) each file their own password for the same user in
 * credentials.csv before racing to add it: the loser's add fails, but its row
 * is the later one, so the file then holds a password the account does not
 * have (measured: 59 of 60 accounts). The journal would interleave too.
 *
 * The lock is `run.lock` in the folder, holding the owner's pid and host; it
 * is written aside and hard-linked into place, so it never exists empty. A lock whose owner is gone (killed with -9, Ctrl+C) is
 * taken over; one held by a live process, or by another host (cannot be
 * checked from here), is refused with RUN_IN_PROGRESS (exit 2).
 */
import { randomBytes } from 'node:crypto';
import { link, readFile, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ExitCode } from '../errors.js';
import { isProcessAlive } from '../process-alive.js';
import { RunError } from './errors.js';
import { ensureRunFolder } from './run-files.js';

export const RUN_LOCK_FILE = 'run.lock';

interface LockOwner {
  pid: number;
  host: string;
  command: string;
  since: string;
}

export class RunLock {
  private released = false;

  private constructor(
    readonly file: string,
    private readonly owner: LockOwner,
  ) {}

  /** Takes the folder's lock (creating the folder, 0700, if needed) or throws RUN_IN_PROGRESS. */
  static async acquire(runDir: string, command: string): Promise<RunLock> {
    await ensureRunFolder(runDir);
    const file = join(runDir, RUN_LOCK_FILE);
    const owner: LockOwner = { pid: process.pid, host: hostname(), command, since: new Date().toISOString() };
    for (let attempt = 0; attempt < 5; attempt++) {
      // Written aside, then linked into place: the lock never exists without its owner in it.
      // 'wx': never through a link or into a file someone placed under that name.
      const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      await writeFile(temp, `${JSON.stringify(owner)}\n`, { mode: 0o600, flag: 'wx' });
      try {
        await link(temp, file);
        return new RunLock(file, owner);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      } finally {
        await unlink(temp).catch(() => undefined);
      }
      const text = await readFile(file, 'utf8').catch(() => undefined);
      if (text === undefined) continue; // released meanwhile: try again
      const holder = parseOwner(text);
      if (holder && (holder.host !== owner.host || isProcessAlive(holder.pid))) {
        const who = `${holder.command} (pid ${holder.pid}${holder.host !== owner.host ? ` on ${holder.host}` : ''}, since ${holder.since})`;
        throw new RunError(
          'RUN_IN_PROGRESS',
          `${runDir} is in use by ${who}; wait for it to finish. If that process is gone, remove ${file}.`,
          {},
          ExitCode.Usage,
        );
      }
      // The owner died without releasing: take it over, unless someone else just did.
      const again = await readFile(file, 'utf8').catch(() => undefined);
      if (again === text) await unlink(file).catch(() => undefined);
    }
    throw new RunError('RUN_IN_PROGRESS', `cannot take ${file}: other processes keep taking it`, {}, ExitCode.Usage);
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    // Only our own lock: never one a later process took over.
    const text = await readFile(this.file, 'utf8').catch(() => undefined);
    const holder = text === undefined ? undefined : parseOwner(text);
    if (holder?.pid === this.owner.pid && holder.since === this.owner.since) await unlink(this.file).catch(() => undefined);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.release();
  }
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    if (typeof value.pid !== 'number' || typeof value.host !== 'string') return undefined;
    return { pid: value.pid, host: value.host, command: String(value.command ?? 'apply'), since: String(value.since ?? '') };
  } catch {
    return undefined;
  }
}
