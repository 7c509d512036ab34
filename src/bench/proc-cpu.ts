/**
 * CPU time of a process group from /proc (Linux): the lab DC runs as its own
 * group (samba and its helpers), so "DC CPU per user" and "DC busy share"
 * say whether the DC or its client is what limits a run. Undefined off Linux.
 */
import { readdir, readFile } from 'node:fs/promises';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ; 100 on Linux). */
const TICKS_PER_SECOND = 100;

export async function groupCpuMs(pgid: number): Promise<number | undefined> {
  let pids: string[];
  try {
    pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  let ticks = 0;
  let found = false;
  await Promise.all(
    pids.map(async (pid) => {
      let stat: string;
      try {
        stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      } catch {
        return;
      }
      // Fields after the command name (which may hold spaces) in parentheses.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // rest[0] = state (field 3); pgrp = field 5; utime 14, stime 15, cutime 16, cstime 17.
      if (Number(rest[2]) !== pgid) return;
      found = true;
      ticks += Number(rest[11]) + Number(rest[12]);
      if (Number(pid) === pgid) ticks += Number(rest[13]) + Number(rest[14]);
    }),
  );
  return found ? (ticks * 1000) / TICKS_PER_SECOND : undefined;
}
