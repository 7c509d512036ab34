/**
 * Whether a process id is in use on this host: signal 0 checks without sending
 * anything (kill(2)). Shared by the run lock (src/journal/run-lock.ts) and the lab's
 * clean-up of DCs left behind (src/lab/stale.ts).
 */
export function isProcessAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is just not ours to signal.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
