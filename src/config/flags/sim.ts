/**
 * `entra2ad sim --tenant FILE`: the Graph simulator. The schema reads the flags;
 * the ranges and the checks across flags (rates that add up to more than 1, a
 * non-loopback host) stay with the simulator's options (src/commands/sim.ts's
 * simulatorOptions), which callers in process use without a command line.
 */
import { z } from 'zod';
import { RETRY_AFTER_FORMS } from '../../sim/throttle.js';
import { defineCommand, flag, oneOf, type ArgsOf } from './flag.js';

const number = (describe: string) => flag(z.number().optional(), { describe });
const onOff = (describe: string, dflt: boolean) => flag(z.boolean().default(dflt), { describe });

export const simSpec = defineCommand({
  command: 'sim',
  describe:
    'Run the Graph-compatible tenant simulator (HTTPS, loopback) on a snapshot until Ctrl+C; prints one JSON line with url, CA file and throwaway credentials',
  flags: z.object({
    tenant: flag(z.string(), { describe: 'Tenant snapshot file (JSON)' }),
    port: number('Port (default: a free one)'),
    host: flag(z.string().optional(), { describe: 'Loopback address to listen on (default 127.0.0.1)' }),
    'latency-ms': number('Fixed delay per Graph request'),
    'jitter-ms': number('Random extra delay per Graph request, up to this'),
    seed: number('Seed for faults, jitter and $batch order (default 1)'),
    'rate-429': number('Share of requests answered 429 (0..1)'),
    'rate-503': number('Share of requests answered 503 (0..1)'),
    'rate-504': number('Share of requests answered 504 (0..1)'),
    'drop-rate': number('Share of connections dropped without an answer (0..1)'),
    'after-commit-504-rate': number('Share of accepted writes answered 504 AFTER the change was stored (0..1)'),
    'after-commit-drop-rate': number('Share of requests that stored a write whose connection is then dropped (0..1)'),
    'eventual-lag-ms': number('Milliseconds a write stays out of ConsistencyLevel: eventual listings'),
    'eventual-lag-all-listings': onOff('Listings without ConsistencyLevel: eventual lag too (a worst case, not documented)', false),
    'duplicate-immutable-id-as-500': onOff('Answer a duplicate onPremisesImmutableId with 500 instead of 400, as publicly reported', false),
    'token-lifetime-seconds': number('expires_in of issued tokens (default 3599)'),
    'throttle-scale': number("Multiply Graph's throttling budgets (e.g. 0.01)"),
    throttle: onOff('Throttle like Graph (--no-throttle to turn off)', true),
    'retry-after': flag(oneOf(RETRY_AFTER_FORMS).optional(), { describe: 'Retry-After on 429s: fractional seconds (default) or whole seconds' }),
    'sync-features-forbidden': onOff('Answer 403 to onPremisesSynchronization for every caller, delegated too', false),
    'sync-features-for-apps': onOff(
      'Let app-only tokens read onPremisesSynchronization (Graph does not: its page lists no application permission) to rehearse the tenant blocks',
      false,
    ),
    'refuse-advanced-query': onOff(
      'Answer 400 Request_UnsupportedQuery to every ConsistencyLevel: eventual request, as tenants without advanced queries do',
      false,
    ),
    'client-certificate': flag(z.array(z.string()).optional(), {
      describe: 'PEM file whose certificate is registered on the simulated app, for --auth certificate (repeatable)',
    }),
  }),
  examples: [
    ['$0 sim --tenant tenant.json', 'Serve a snapshot (from `entra2ad snapshot`) on 127.0.0.1; point plan and apply at the printed url, CA and ids'],
    ['$0 sim --tenant tenant.json --rate-429 0.05 --rate-503 0.01 --seed 7', 'Rehearse throttling and transient errors, the same ones on every run'],
    ['$0 sim --tenant tenant.json --client-certificate app.pem', 'Rehearse --auth certificate with the certificate in app.pem registered on the simulated app'],
  ],
});

export type SimArgs = ArgsOf<typeof simSpec.flags>;
