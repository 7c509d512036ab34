/**
 * Writes report files atomically (temp file + rename), so a crash never leaves
 * a half-written plan.json that apply would then try to read. Large files are
 * written from chunks, honouring the stream's back-pressure, so a 100,000-user
 * plan is never held as one string.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { ensureRunFolder } from '../journal/run-files.js';

/** Run-folder files hold personal data: 0600, like the folder's 0700 (src/journal/run-files.ts). */
export const WRITTEN_FILE_MODE = 0o600;

export async function writeFileAtomic(file: string, content: string, mode = WRITTEN_FILE_MODE): Promise<void> {
  await writeChunksAtomic(file, content, mode);
}

export async function writeChunksAtomic(file: string, content: string | Iterable<string>, mode = WRITTEN_FILE_MODE): Promise<void> {
  // A string is an iterable of characters: write it whole.
  const chunks = typeof content === 'string' ? [content] : content;
  const out = new AtomicFile(file, mode);
  try {
    for (const chunk of chunks) await out.write(chunk);
    await out.commit();
  } catch (error) {
    await out.abort();
    throw error;
  }
}

/**
 * A file written under a temporary name and renamed into place by `commit()`, so
 * readers see the old file or the whole new one, never a part. `write` waits only
 * when the stream asks for it (back-pressure).
 */
export class AtomicFile {
  private readonly temp: string;
  private readonly out: WriteStream;

  constructor(
    readonly file: string,
    mode = WRITTEN_FILE_MODE,
  ) {
    // A fresh name, created exclusively ('wx': O_CREAT|O_EXCL never follows a link); rename then replaces, never writes through.
    this.temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    this.out = createWriteStream(this.temp, { mode, flags: 'wx' });
  }

  async write(chunk: string): Promise<void> {
    if (chunk && !this.out.write(chunk)) await once(this.out, 'drain');
  }

  async commit(): Promise<void> {
    this.out.end();
    await once(this.out, 'finish');
    await rename(this.temp, this.file);
  }

  async abort(): Promise<void> {
    // The temp file is opened asynchronously: wait until the stream is closed, so the open cannot land after the rm.
    if (!this.out.closed) {
      const closed = once(this.out, 'close').catch(() => undefined);
      this.out.destroy();
      await closed;
    }
    await rm(this.temp, { force: true });
  }
}

export async function writeFilesAtomic(dir: string, files: Record<string, string | Iterable<string>>): Promise<string[]> {
  await ensureRunFolder(dir);
  const written: string[] = [];
  for (const [name, chunks] of Object.entries(files)) {
    const path = join(dir, name);
    await writeChunksAtomic(path, chunks);
    written.push(path);
  }
  return written;
}
