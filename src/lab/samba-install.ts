/**
 * Is Samba (the AD DC flavour) on this machine, and where.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { exec } from './exec.js';

export interface SambaBinaries {
  samba: string;
  sambaTool: string;
}

/** sbin directories are often missing from a non-root PATH, and source builds live under /usr/local/samba. */
const EXTRA_DIRS = ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin', '/usr/local/samba/sbin', '/usr/local/samba/bin'];

function which(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...EXTRA_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export function findSambaBinaries(): SambaBinaries | undefined {
  const samba = which('samba');
  const sambaTool = which('samba-tool');
  return samba && sambaTool ? { samba, sambaTool } : undefined;
}

/** True when both `samba` (the AD DC daemon, package samba-ad-dc) and `samba-tool` are installed. */
export function isSambaInstalled(): boolean {
  return findSambaBinaries() !== undefined;
}

/** e.g. `4.17.12-Debian`. */
export async function sambaVersion(binaries: SambaBinaries): Promise<string> {
  const { stdout } = await exec(binaries.samba, ['--version']);
  return stdout.replace(/^Version\s+/i, '').trim();
}
