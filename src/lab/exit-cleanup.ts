/**
 * Last-resort cleanup when the process ends without calling stop(): on exit,
 * and on SIGINT/SIGTERM/SIGHUP. Only synchronous work runs there.
 *
 * After cleaning up on a signal we re-raise it, but only when no one else
 * listens for it: if the host (vitest, the CLI) has its own handler, it
 * decides how to exit and our 'exit' hook still runs.
 */
const cleanups = new Set<() => void>();
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let installed = false;

function runAll(): void {
  for (const cleanup of [...cleanups]) {
    cleanups.delete(cleanup);
    try {
      cleanup();
    } catch {
      // Keep going: one failed cleanup must not leave the others undone.
    }
  }
}

function onSignal(signal: NodeJS.Signals): void {
  runAll();
  if (process.listenerCount(signal) === 1) {
    process.removeListener(signal, onSignal);
    process.kill(process.pid, signal);
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', runAll);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

/** Registers a synchronous cleanup; returns the function that unregisters it. */
export function onProcessExit(cleanup: () => void): () => void {
  install();
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
  };
}
