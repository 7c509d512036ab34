/**
 * Stage figures of one apply, from its write-ahead journal (every record is
 * stamped with the time it was appended): when users were created, got their
 * GUID read back, were anchored, and had their manager linked.
 */
import { readJournal } from '../journal/journal.js';
import type { JournalRecord } from '../journal/records.js';

export interface StageFigure {
  count: number;
  /** ms from run-start to the last record of this kind. */
  spanMs: number;
  /** count / span. */
  perSecond: number;
}

export interface ApplyStages {
  /** Epoch ms of run-start and run-end. */
  runStartAt: number;
  runEndAt: number;
  /** run-start -> run-end. */
  pipelineMs: number;
  creates: StageFigure;
  guidReads: StageFigure;
  anchors: StageFigure;
  managerLinks: StageFigure & { passMs: number };
  failed: number;
  /** ms from a user's GUID read to its anchor confirmed (how far Graph trails AD). */
  anchorLagMs: { p50: number; p95: number; max: number };
  /** Directory part per user, ms: create-start -> guid (includes waiting for the directory limiter). */
  directoryMsPerUser: { p50: number; p95: number };
}

export async function applyStages(journalFile: string): Promise<ApplyStages | undefined> {
  const all = await readJournal(journalFile);
  const startIndex = all.map((r) => r.kind).lastIndexOf('run-start');
  if (startIndex < 0) return undefined;
  const records = all.slice(startIndex);
  const t = (r: JournalRecord) => Date.parse(r.at);
  const start = t(records[0] as JournalRecord);
  const end = records.find((r) => r.kind === 'run-end');
  const of = (kind: JournalRecord['kind']) => records.filter((r) => r.kind === kind);
  const figure = (list: JournalRecord[]): StageFigure => {
    const last = list.length ? Math.max(...list.map(t)) : start;
    const spanMs = last - start;
    return { count: list.length, spanMs, perSecond: spanMs > 0 ? list.length / (spanMs / 1000) : 0 };
  };
  const managers = of('manager-set');
  const guidAt = new Map<string, number>();
  const createStartAt = new Map<string, number>();
  for (const r of records) {
    if (r.kind === 'guid') guidAt.set(r.cloudId, t(r));
    if (r.kind === 'create-start') createStartAt.set(r.cloudId, t(r));
  }
  const lags: number[] = [];
  for (const r of of('anchored')) {
    const g = 'cloudId' in r ? guidAt.get(r.cloudId) : undefined;
    if (g !== undefined) lags.push(t(r) - g);
  }
  const directory: number[] = [];
  for (const [id, g] of guidAt) {
    const c = createStartAt.get(id);
    if (c !== undefined) directory.push(g - c);
  }
  const endAt = end ? t(end) : Math.max(...records.map(t));
  return {
    runStartAt: start,
    runEndAt: endAt,
    pipelineMs: endAt - start,
    creates: figure(of('created')),
    guidReads: figure(of('guid')),
    anchors: figure(of('anchored')),
    managerLinks: { ...figure(managers), passMs: managers.length ? Math.max(...managers.map(t)) - Math.min(...managers.map(t)) : 0 },
    failed: of('failed').length,
    anchorLagMs: { p50: percentile(lags, 0.5), p95: percentile(lags, 0.95), max: lags.length ? Math.max(...lags) : 0 },
    directoryMsPerUser: { p50: percentile(directory, 0.5), p95: percentile(directory, 0.95) },
  };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
}
