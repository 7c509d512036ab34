/**
 * Removing what an earlier run left behind when it was killed too hard for
 * its exit handlers to run (SIGKILL, OOM). Samba itself usually went already:
 * it runs with `-i` and exits when its stdin pipe (our process) closes.
 *
 * Only folders this module made are touched: they carry a `lab.json` naming
 * the owner process, the samba process and the loopback alias.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { debug } from './debug.js';
import { loopbackAliases, releaseLoopbackAddress } from './loopback.js';
import { isProcessAlive } from '../process-alive.js';

export const LAB_DIR_PREFIX = 'entra2ad-samba-';

export interface LabRecord {
  ownerPid: number;
  sambaPid?: number;
  address: string;
  dir: string;
}

/** True only when `pid` is still a samba started for `dir` (pids get reused). */
function isOurSamba(pid: number, dir: string): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes('samba') && cmdline.includes(dir);
  } catch {
    return false;
  }
}

/** Signals the process group we started samba as (it runs detached, as group leader), else the process. */
export function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

export async function sweepStaleLabs(baseDir: string): Promise<number> {
  let names: string[];
  try {
    names = (await readdir(baseDir)).filter((n) => n.startsWith(LAB_DIR_PREFIX));
  } catch {
    return 0;
  }
  let swept = 0;
  const aliases = names.length > 0 ? await loopbackAliases().catch(() => new Set<string>()) : new Set<string>();
  for (const name of names) {
    const dir = join(baseDir, name);
    let record: LabRecord;
    try {
      record = JSON.parse(await readFile(join(dir, 'lab.json'), 'utf8')) as LabRecord;
    } catch {
      continue; // not ours, or still being created
    }
    if (isProcessAlive(record.ownerPid)) continue;
    if (record.sambaPid !== undefined && isProcessAlive(record.sambaPid) && isOurSamba(record.sambaPid, dir)) {
      killGroup(record.sambaPid, 'SIGKILL');
    }
    if (aliases.has(record.address)) await releaseLoopbackAddress(record.address);
    await rm(dir, { recursive: true, force: true });
    debug('lab: swept stale lab %s (owner %d gone)', dir, record.ownerPid);
    swept++;
  }
  return swept;
}
