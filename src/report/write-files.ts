/**
 * Writes report files atomically (temp file + rename), so a crash never leaves
 * a half-written plan.json that apply would then try to read. Large files are
 * written from chunks, honouring the stream's back-pressure, so a 100,000-user
 * plan is never held as one string.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';

export async function writeFileAtomic(file: string, content: string, mode = 0o644): Promise<void> {
  await writeChunksAtomic(file, content, mode);
}

export async function writeChunksAtomic(file: string, content: string | Iterable<string>, mode = 0o644): Promise<void> {
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
    mode = 0o644,
  ) {
    this.temp = `${file}.${process.pid}.tmp`;
    this.out = createWriteStream(this.temp, { mode });
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
    this.out.destroy();
    await rm(this.temp, { force: true });
  }
}

export async function writeFilesAtomic(dir: string, files: Record<string, string | Iterable<string>>): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [name, chunks] of Object.entries(files)) {
    const path = join(dir, name);
    await writeChunksAtomic(path, chunks);
    written.push(path);
  }
  return written;
}
