import { readFile, appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal, readJournal } from '../../../src/journal/journal.js';
import { foldJournal } from '../../../src/journal/state.js';
import { useTempDir } from '../../harness/temp-dir.js';

const tmp = useTempDir('journal');

describe('Journal', () => {
  it('group-commits concurrent appends and reads them back in order', async () => {
    const file = join(tmp.dir, 'journal.jsonl');
    const { journal, records } = await Journal.open(file);
    expect(records).toEqual([]);
    await Promise.all(Array.from({ length: 50 }, (_, i) => journal.append({ kind: 'create-start', cloudId: `u${i}`, dn: `CN=u${i}` })));
    // 50 appends issued in one tick share far fewer fsyncs than 50.
    expect(journal.commits).toBeLessThan(5);
    await journal.close();
    const back = await readJournal(file);
    expect(back.map((r) => (r.kind === 'create-start' ? r.cloudId : ''))).toEqual(Array.from({ length: 50 }, (_, i) => `u${i}`));
    expect(back.every((r) => typeof r.at === 'string')).toBe(true);
  });

  it('ignores a torn last line (killed mid-write) but refuses corruption in the middle', async () => {
    const file = join(tmp.dir, 'journal.jsonl');
    const { journal } = await Journal.open(file);
    await journal.append({ kind: 'created', cloudId: 'a', dn: 'CN=a' });
    await journal.close();
    await appendFile(file, '{"kind":"guid","cloudId":"a","dn');
    expect((await readJournal(file)).map((r) => r.kind)).toEqual(['created']);
    await appendFile(file, '\n{"kind":"run-end","at":"x","summary":{}}\n');
    await expect(readJournal(file)).rejects.toMatchObject({ reason: 'RUN_JOURNAL_CORRUPT', exitCode: 2, message: expect.stringMatching(/line 2 is not JSON.*new run folder/) });
  });

  it('appends to an existing journal on reopen, and refuses appends after close', async () => {
    const file = join(tmp.dir, 'journal.jsonl');
    const first = await Journal.open(file);
    await first.journal.append({ kind: 'created', cloudId: 'a', dn: 'CN=a' });
    await first.journal.close();
    await expect(first.journal.append({ kind: 'created', cloudId: 'b', dn: 'CN=b' })).rejects.toMatchObject({ reason: 'RUN_JOURNAL_CLOSED' });
    const second = await Journal.open(file);
    expect(second.records).toHaveLength(1);
    await second.journal.append({ kind: 'guid', cloudId: 'a', dn: 'CN=a', objectGuid: 'g' });
    await second.journal.close();
    expect((await readFile(file, 'utf8')).trim().split('\n')).toHaveLength(2);
  });
});

describe('foldJournal', () => {
  it('derives each user\'s progress from the records', () => {
    const at = '2026-01-01T00:00:00.000Z';
    const state = foldJournal([
      { kind: 'run-start', at, planFingerprint: 'p1', toolVersion: '0', pid: 1 },
      { kind: 'create-start', at, cloudId: 'a', dn: 'CN=a' },
      { kind: 'created', at, cloudId: 'a', dn: 'CN=a' },
      { kind: 'guid', at, cloudId: 'a', dn: 'CN=a', objectGuid: 'g-a' },
      { kind: 'anchor-start', at, cloudId: 'a', immutableId: 'id-a' },
      { kind: 'create-start', at, cloudId: 'b', dn: 'CN=b' },
      { kind: 'failed', at, cloudId: 'c', step: 'create', reason: 'PASSWORD_POLICY', message: 'weak' },
      { kind: 'anchored', at, cloudId: 'a', immutableId: 'id-a', outcome: 'written' },
      { kind: 'run-end', at, summary: {} },
    ]);
    expect(state.runs).toBe(1);
    expect(state.completedRuns).toBe(1);
    expect(state.users.get('a')).toMatchObject({ created: { dn: 'CN=a', adopted: false }, objectGuid: 'g-a', anchored: { immutableId: 'id-a' } });
    expect(state.users.get('b')).toEqual({ cloudId: 'b', createStartedDn: 'CN=b' });
    expect(state.users.get('c')?.lastFailure?.reason).toBe('PASSWORD_POLICY');
  });
});
