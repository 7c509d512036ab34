/**
 * Writes report files atomically (temp file + rename), so a crash never leaves
 * a half-written plan.json that apply would then try to read. Large files are
 * written from chunks, honouring the stream's back-pressure, so a 100,000-user
 * plan is never held as one string.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';

export async function writeFileAtomic(file: string, content: string, mode = 0o644): Promise<void> {
  await writeChunksAtomic(file, content, mode);
}

export async function writeChunksAtomic(file: string, content: string | Iterable<string>, mode = 0o644): Promise<void> {
  // A string is an iterable of characters: write it whole.
  const chunks = typeof content === 'string' ? [content] : content;
  const temp = `${file}.${process.pid}.tmp`;
  const out = createWriteStream(temp, { mode });
  try {
    for (const chunk of chunks) {
      if (!out.write(chunk)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
  } catch (error) {
    out.destroy();
    await rm(temp, { force: true });
    throw error;
  }
  await rename(temp, file);
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
