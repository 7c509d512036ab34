/**
 * What apply tells the admin while the DC is away, and how to resume once a
 * run stopped because it stayed away longer than the limit (pure).
 */
import { DEFAULT_OUTAGE_LIMIT_MS, type ConnectionEvent } from '../directory/index.js';
import { DC_UNAVAILABLE, type UserOutcome } from '../apply/outcome.js';

/**
 * --dc-outage-limit / apply.dcOutageLimitSeconds, or the default (src/directory/reconnect.ts's). Both are
 * checked already: the flag by apply's flag schema, the config value by the config file's.
 */
export function dcOutageLimitSeconds(value: number | undefined): number {
  return value ?? DEFAULT_OUTAGE_LIMIT_MS / 1000;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** One stderr line per connection event. */
export function connectionEventLine(event: ConnectionEvent, limitSeconds: number): string {
  switch (event.kind) {
    case 'lost':
      return `apply: lost the connection to the DC at ${event.url} (${event.reason}); creates are paused while it reconnects (stops after ${limitSeconds} s: --dc-outage-limit)`;
    case 'retrying':
      return `apply: DC at ${event.url} not back yet (${event.reason}, down ${seconds(event.downMs)}); attempt ${event.attempt + 1} in ${seconds(event.waitMs)}`;
    case 'restored':
      return `apply: the DC at ${event.url} is back after ${seconds(event.downMs)} (${event.attempts} attempt(s)); carrying on`;
    case 'gave-up':
      return `apply: the DC at ${event.url} stayed away ${seconds(event.downMs)} (limit ${limitSeconds} s, last: ${event.reason}): stopping; users not done are left for the next run`;
  }
}

/** The closing message of a run stopped by DC_UNAVAILABLE: how many users wait, and the command that resumes. */
export function resumeHint(args: { plan?: string | undefined; out?: string | undefined }, planFile: string, outcomes: readonly UserOutcome[], limitSeconds: number): string {
  const waiting = outcomes.filter((o) => o.outcome === 'failed' && o.reason === DC_UNAVAILABLE).length;
  const again = args.plan !== undefined ? `entra2ad apply --plan ${planFile}` : `entra2ad apply --out ${args.out ?? '<run folder>'}`;
  return (
    `apply: stopped: the DC stayed away longer than ${limitSeconds} s; ${waiting} user(s) were not done (reason ${DC_UNAVAILABLE} in the report). ` +
    `The journal records every step sent, so nothing is lost or repeated: once the DC answers, run the same command again to resume (${again} with the same sign-in and LDAP options).`
  );
}
