/**
 * Test instrumentation for the crash-recovery tests: `ENTRA2AD_CRASH_AT=NAME:N`
 * makes the process SIGKILL itself the N-th time it passes the point NAME, a
 * real `kill -9` at an exact step instead of a timing guess. Inert (one Map
 * lookup) when the variable is unset; never set it in production.
 */
const spec = parseSpec(process.env.ENTRA2AD_CRASH_AT);
const hits = new Map<string, number>();

export type CrashPointName = 'after-create' | 'after-guid' | 'after-anchor-write' | 'after-rollback-clear' | 'after-identifier-clear';

export function crashPoint(name: CrashPointName): void {
  if (spec?.name !== name) return;
  const count = (hits.get(name) ?? 0) + 1;
  hits.set(name, count);
  if (count >= spec.count) process.kill(process.pid, 'SIGKILL');
}

function parseSpec(value: string | undefined): { name: string; count: number } | undefined {
  if (!value) return undefined;
  const [name, count] = value.split(':');
  return { name: name ?? '', count: Math.max(1, Number(count ?? 1) || 1) };
}
