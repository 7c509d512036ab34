/**
 * Anchor writes against the write budget, alone: the tool's AnchorWriter, with
 * the options apply gives it, writing onPremisesImmutableId for N users of a
 * simulator process whose write budget is scaled so that the budget, not
 * latency, is the limit (at 40 ms per $batch of 20 and 4 in flight the writer
 * could send ~2,000 writes/s; the budget is 20/s x scale).
 *
 * Graph's write bucket holds 150 s of its rate (3,000 per 150 s), so a fresh
 * bucket would let the first 3,000 x scale writes through at once and the
 * figure would say nothing about the sustained rate. The measurement therefore
 * first drains the simulator's write bucket with throwaway PATCHes (jobTitle)
 * until it answers 429: from then on the budget's refill rate is the ceiling
 * and the writer must find it (it starts at 20/s and adapts on 429s). Then:
 *   achieved = N / (time from the first enqueue to the last outcome),
 *   share    = achieved / (20 x scale), target >= 0.9, with 0 users failed.
 */
import { AnchorWriter, createGraph, GRAPH_WRITE_BURST, MAX_BATCH_SIZE, postBatch, type AnchorWriteResult, type Graph } from '../cloud/index.js';
import { join } from 'node:path';
import { startSimProcess } from './sim-process.js';
import { randomImmutableId, writeAnchorTenant } from './tenants.js';

export interface AnchorRateOptions {
  writes: number;
  throttleScale: number;
  latencyMs: number;
  jitterMs: number;
  seed: number;
  workDir: string;
  /** The simulator's Retry-After form (default fractional). */
  retryAfter?: 'fractional' | 'whole';
}

export interface AnchorRateResult {
  writes: number;
  throttleScale: number;
  /** The simulated write budget's sustained rate: 3,000 x scale per 150 s. */
  budgetPerSecond: number;
  /** Throwaway writes that emptied the budget first. */
  drainWrites: number;
  wallMs: number;
  achievedPerSecond: number;
  shareOfBudget: number;
  /** Item answers that were 429, during the measured part. */
  throttled429: number;
  written: number;
  failed: number;
  /** The writer's adaptive rate when it finished, writes/s. */
  finalClientRate: number;
  /** Writes confirmed per 10 s slice of the run (shows the limiter's sawtooth). */
  per10s: number[];
  simMaxRssMb: number | undefined;
}

export async function measureAnchorRate(options: AnchorRateOptions): Promise<AnchorRateResult> {
  const budgetPerSecond = (3000 * options.throttleScale) / 150;
  const bucket = Math.max(1, Math.round(3000 * options.throttleScale));
  const { file, ids } = await writeAnchorTenant(join(options.workDir, 'anchor-tenant.json'), options.writes + 20, options.seed);
  const sim = await startSimProcess({
    tenantFile: file,
    latencyMs: options.latencyMs,
    jitterMs: options.jitterMs,
    seed: options.seed,
    throttleScale: options.throttleScale,
    ...(options.retryAfter ? { retryAfter: options.retryAfter } : {}),
    workDir: options.workDir,
    label: 'anchor-sim',
  });
  try {
    const graph = createGraph(
      {
        auth: 'secret',
        tenantId: sim.ready.tenantId,
        clientId: sim.ready.clientId,
        clientSecret: sim.clientSecret,
        graphUrl: sim.ready.url,
        authorityHost: sim.ready.authorityHost,
        ca: sim.caPem,
      },
      { env: {} },
    );
    const drainWrites = await drainWriteBudget(graph, ids, bucket);
    const before = await sim.stats();

    const results: { at: number; result: AnchorWriteResult }[] = [];
    const started = performance.now();
    // As apply builds it (src/commands/apply.ts): Graph's whole write bucket as the limiter's burst.
    const writer = new AnchorWriter(graph, { rateLimiter: { ...GRAPH_WRITE_BURST }, onResult: (result) => results.push({ at: performance.now() - started, result }) });
    const targets = ids.slice(0, options.writes);
    const outcomes = await Promise.all(targets.map((id) => writer.enqueue({ cloudId: id, userPrincipalName: id, immutableId: randomImmutableId() })));
    await writer.close();
    const wallMs = performance.now() - started;
    const after = await sim.stats();

    const written = outcomes.filter((o) => o.outcome === 'written' || o.outcome === 'already-set').length;
    const per10s: number[] = [];
    for (const { at } of results) {
      const slot = Math.floor(at / 10_000);
      while (per10s.length <= slot) per10s.push(0);
      per10s[slot]!++;
    }
    const achievedPerSecond = written / (wallMs / 1000);
    const usage = await sim.stop();
    return {
      writes: targets.length,
      throttleScale: options.throttleScale,
      budgetPerSecond,
      drainWrites,
      wallMs,
      achievedPerSecond,
      shareOfBudget: achievedPerSecond / budgetPerSecond,
      throttled429: after.throttled - before.throttled,
      written,
      failed: targets.length - written,
      finalClientRate: writer.stats.rate,
      per10s,
      simMaxRssMb: usage ? usage.maxRssKb / 1024 : undefined,
    };
  } finally {
    await sim.stop();
  }
}

/** PATCHes jobTitle (a write like any other) in parallel $batches until the simulator throttles writes. */
async function drainWriteBudget(graph: Graph, ids: string[], bucket: number): Promise<number> {
  let sent = 0;
  let throttled = false;
  let round = 0;
  while (!throttled && sent < bucket * 3) {
    const batches = Array.from({ length: 8 }, (_, b) =>
      Array.from({ length: MAX_BATCH_SIZE }, (_, i) => ({
        id: String(i + 1),
        method: 'PATCH' as const,
        url: `/users/${encodeURIComponent(ids[(round * 8 * MAX_BATCH_SIZE + b * MAX_BATCH_SIZE + i) % ids.length] as string)}`,
        body: { jobTitle: `drain ${round}` },
      })),
    );
    round++;
    const answers = await Promise.all(batches.map((requests) => postBatch(graph, requests)));
    for (const answer of answers) {
      for (const item of answer.values()) {
        if (item.status === 429) throttled = true;
        else sent++;
      }
    }
  }
  return sent;
}
