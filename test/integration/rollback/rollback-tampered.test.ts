/**
 * A journal whose guid record was changed to another object's objectGUID (here the
 * adopted user's, outside the target OU) must not make rollback --delete touch that
 * object: the user is skipped (NOT_THIS_RUNS_OBJECT) with the reason, nothing cleared;
 * the users whose records were not changed are rolled back as usual.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { guidToImmutableId } from '../../../src/anchor/immutable-id.js';
import { useAppliedRun, withDirectory } from './helpers.js';

describe('rollback with a tampered journal', () => {
  const run = useAppliedRun();

  it('a guid record pointing at another object never makes rollback --delete touch it', async () => {
    const [guidOnly, consistent, untouched] = [run.created[0]!, run.created[1]!, run.created[2]!];
    const journal = await run.journal();
    const guidOf = (id: string) => (journal.find((r) => r.kind === 'guid' && r.cloudId === id) as { objectGuid: string }).objectGuid;
    const file = join(run.runDir, 'journal.jsonl');
    const other = run.adopted.objectGuid;
    const lines = (await readFile(file, 'utf8')).split('\n').map((line) => {
      const forUser = (u: { id: string }) => line.includes(`"cloudId":"${u.id}"`);
      // 1: only the guid record changed. 2: the guid and the immutableId records changed to match it.
      if (forUser(guidOnly) && line.includes('"kind":"guid"')) return line.replace(guidOf(guidOnly.id), other);
      if (forUser(consistent)) return line.replace(guidOf(consistent.id), other).split(guidToImmutableId(guidOf(consistent.id))).join(guidToImmutableId(other));
      return line;
    });
    await writeFile(file, lines.join('\n'));
    const clears = [guidOnly, consistent].map((u) => run.clears(u.id));

    await run.rollback('delete');
    const byId = new Map((await run.report()).users.map((u) => [u.cloudId, u]));
    expect(byId.get(guidOnly.id)).toMatchObject({ outcome: 'skipped', reason: 'NOT_THIS_RUNS_OBJECT', cloud: 'left', directory: 'left' });
    expect(byId.get(guidOnly.id)!.message).toMatch(/not base64 of the journaled objectGUID/);
    expect(byId.get(consistent.id)).toMatchObject({ outcome: 'skipped', reason: 'NOT_THIS_RUNS_OBJECT' });
    expect(byId.get(consistent.id)!.message).toMatch(/userPrincipalName .*, not the /);
    expect(byId.get(untouched.id)).toMatchObject({ outcome: 'rolled-back' });
    await withDirectory(async (dir) => {
      expect((await dir.findUserByUpn(run.adopted.upn))?.objectGuid, 'the adopted object is still there').toBe(run.adopted.objectGuid);
      for (const u of [guidOnly, consistent]) expect(await dir.findUserByUpn(u.upn), `${u.upn}: the journal no longer proves it, so it is left`).toBeDefined();
      expect(await dir.findUserByUpn(untouched.upn)).toBeUndefined();
    });
    expect([guidOnly, consistent].map((u) => run.clears(u.id))).toEqual(clears);
  });
});
