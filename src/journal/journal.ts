/**
 * Append-only JSON-lines journal with group commit: every `append` resolves
 * only once its line is on disk (fdatasync), but concurrent appends share one
 * write + one fdatasync. With many users in flight this keeps the journal from
 * becoming the bottleneck while still guaranteeing write-ahead order.
 */
import type { FileHandle } from 'node:fs/promises';
import { debuglog } from 'node:util';
import type { JournalEntry, JournalRecord } from './records.js';
import { ExitCode } from '../errors.js';
import { RunError } from './errors.js';
import { openRunFileForAppend, readRunFile } from './run-files.js';

const debug = debuglog('entra2ad');

interface Pending {
  line: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class Journal {
  private queue: Pending[] = [];
  private flushing: Promise<void> | undefined;
  private closed = false;
  commits = 0;

  private constructor(
    private readonly handle: FileHandle,
    readonly file: string,
    private readonly clock: () => Date,
  ) {}

  /** Opens (creating if needed) and returns the journal plus every record already in it. */
  static async open(file: string, clock: () => Date = () => new Date()): Promise<{ journal: Journal; records: JournalRecord[] }> {
    const records = await readJournal(file);
    const handle = await openRunFileForAppend(file);
    return { journal: new Journal(handle, file, clock), records };
  }

  append(entry: JournalEntry): Promise<void> {
    if (this.closed) return Promise.reject(new RunError('RUN_JOURNAL_CLOSED', 'journal already closed'));
    const record = { ...entry, at: this.clock().toISOString() } as JournalRecord;
    return new Promise((resolve, reject) => {
      this.queue.push({ line: `${JSON.stringify(record)}\n`, resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  private async flush(): Promise<void> {
    // Let every append of this tick join the batch before writing.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        await this.handle.write(batch.map((p) => p.line).join(''));
        await this.handle.datasync();
        this.commits++;
        for (const p of batch) p.resolve();
      } catch (error) {
        for (const p of batch) p.reject(new RunError('RUN_JOURNAL_WRITE', `cannot write the journal ${this.file}`, { cause: error }));
      }
    }
    this.flushing = undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.flushing;
    await this.handle.close();
    debug('journal %s closed after %d commits', this.file, this.commits);
  }
}

/**
 * Reads every complete record. A torn last line (the process was killed in the
 * middle of a write) is ignored: its step was not acknowledged, so it is redone.
 */
export async function readJournal(file: string): Promise<JournalRecord[]> {
  const text = await readRunFile(file);
  if (text === undefined) return [];
  const lines = text.split('\n');
  const records: JournalRecord[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      records.push(JSON.parse(line) as JournalRecord);
    } catch (error) {
      const isLast = lines.slice(index + 1).every((rest) => rest.trim() === '');
      if (!isLast)
        throw new RunError(
          'RUN_JOURNAL_CORRUPT',
          `${file} line ${index + 1} is not JSON: the journal was changed by something other than entra2ad; nothing was written. Restore it, or use a new run folder (--out)`,
          { cause: error, field: 'journal.jsonl' },
          ExitCode.Usage,
        );
      debug('ignoring torn last journal line %d', index + 1);
    }
  });
  return records;
}
