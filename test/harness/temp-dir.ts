/**
 * A fresh folder under the system's temp folder for each test of the calling file
 * (or describe), removed after it:
 *
 *   const tmp = useTempDir('journal');
 *   it('...', async () => { await Journal.open(join(tmp.dir, 'journal.jsonl')); });
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';

export function useTempDir(label: string): { readonly dir: string } {
  const holder = { dir: '' };
  beforeEach(async () => {
    holder.dir = await mkdtemp(join(tmpdir(), `entra2ad-${label}-`));
  });
  afterEach(async () => {
    await rm(holder.dir, { recursive: true, force: true });
  });
  return holder;
}
