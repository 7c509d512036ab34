/**
 * Test drivers over the cloud adapter's AnchorWriter. Tenants: test/harness/tenant.ts;
 * the adapter's client for a simulator: test/harness/graph.ts (graphFor).
 */
import { AnchorWriter, MAX_BATCH_SIZE, type AnchorWriteItem, type AnchorWriterOptions, type AnchorWriteResult, type Graph } from '../../../src/cloud/index.js';

/**
 * Test drivers over AnchorWriter (production enqueues from the apply and rollback loops):
 * write every item, reading an async source lazily with backpressure (a few batches
 * ahead), and return every outcome in input order.
 */
export async function writeImmutableIds(
  graph: Graph,
  items: Iterable<AnchorWriteItem> | AsyncIterable<AnchorWriteItem>,
  options: AnchorWriterOptions = {},
): Promise<AnchorWriteResult[]> {
  const writer = new AnchorWriter(graph, options);
  const results: Promise<AnchorWriteResult>[] = [];
  const highWater = MAX_BATCH_SIZE * Math.max(1, options.concurrency ?? 4) * 2;
  for await (const item of items) {
    results.push(writer.enqueue(item));
    await writer.waitForRoom(highWater);
  }
  await writer.close();
  return Promise.all(results);
}

/** One clear of onPremisesImmutableId (rollback's write), sent at once. */
export async function clearImmutableId(graph: Graph, item: { cloudId: string; userPrincipalName: string }, options: AnchorWriterOptions = {}): Promise<AnchorWriteResult> {
  const writer = new AnchorWriter(graph, { ...options, flushDelayMs: 0 });
  const result = writer.enqueueClear(item);
  await writer.close();
  return result;
}
