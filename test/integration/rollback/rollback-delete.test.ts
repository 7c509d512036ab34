/**
 * rollback --delete against the harness DC and the simulator, through the CLI.
 */
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { UAC } from '../../../src/directory/index.js';
import { strongPassword } from '../../harness/users.js';
import { useAppliedRun, withDirectory } from './helpers.js';

describe('rollback --delete', () => {
  const run = useAppliedRun({ changed: true });
  let impostorDn: string;
  let adoptedUsnBefore: string;
  beforeAll(async () => {
    adoptedUsnBefore = (await withDirectory((dir) => dir.readUser(run.adopted.dn, ['uSNChanged']))).attributes.uSNChanged![0]!;
    // Someone deletes one created user and puts a DIFFERENT object at the same DN.
    const victim = run.created[CREATED_LAST]!;
    impostorDn = (await withDirectory((dir) => dir.findUserByUpn(victim.upn)))!.dn;
    await withDirectory(async (dir) => {
      await dir.deleteEntry(impostorDn);
      await dir.createUser({ dn: impostorDn, attributes: { sAMAccountName: `imp-${Date.now() % 1e8}`, userPrincipalName: `impostor-${Date.now()}@x.test` }, userAccountControl: UAC.NORMAL_ACCOUNT, mustChangePassword: false }, strongPassword());
    });
  });

  it('deletes what apply created and clears the anchors it wrote; leaves the changed, the adopted and a same-DN impostor', async () => {
    const impostorGuid = await withDirectory(async (dir) => (await dir.readUser(impostorDn, ['objectGUID'])).binary.objectGUID![0]!.toString('hex'));
    const result = await run.rollback('delete');
    expect(result.code, result.stderr).toBe(3); // the changed user was left: partial

    const report = await run.report();
    const byId = new Map(report.users.map((u) => [u.cloudId, u]));
    const plain = run.created.filter((u) => u.id !== run.changed!.id);
    for (const u of plain) {
      expect(byId.get(u.id), u.upn).toMatchObject({ outcome: 'rolled-back', reason: 'ROLLED_BACK', cloud: 'cleared' });
      expect(run.cloudUser(u.id).onPremisesImmutableId, u.upn).toBeNull();
      expect(run.clears(u.id), u.upn).toBe(1);
    }
    await withDirectory(async (dir) => {
      for (const u of plain) expect(await dir.findUserByUpn(u.upn), u.upn).toBeUndefined();
      // The impostor at the victim's old DN has another GUID: untouched.
      expect((await dir.readUser(impostorDn, ['objectGUID'])).binary.objectGUID![0]!.toString('hex')).toBe(impostorGuid);
      // Changed since apply: skipped, AD object left in place.
      expect(await dir.findUserByUpn(run.changed!.upn)).toBeDefined();
      // Adopted: not one attribute written (uSNChanged moves on any write).
      expect((await dir.readUser(run.adopted.dn, ['uSNChanged'])).attributes.uSNChanged![0]).toBe(adoptedUsnBefore);
      expect((await dir.findUserByUpn(run.adopted.upn))?.objectGuid).toBe(run.adopted.objectGuid);
    });
    expect(byId.get(run.created[CREATED_LAST]!.id)).toMatchObject({ outcome: 'rolled-back', directory: 'already-absent' });
    expect(byId.get(run.created[CREATED_LAST]!.id)?.message).toMatch(/a different object now has its DN .* and was not touched/);
    expect(await readFile(join(run.runDir, 'rollback-report.csv'), 'utf8')).toMatch(/^\uFEFF"userPrincipalName","outcome","reason"/);
    expect(byId.get(run.changed!.id)).toMatchObject({ outcome: 'skipped', reason: 'IMMUTABLE_ID_CHANGED', cloud: 'left', directory: 'left' });
    expect(run.cloudUser(run.changed!.id).onPremisesImmutableId).toBe(run.changed!.newImmutableId);
    expect(run.clears(run.changed!.id)).toBe(0);
    expect(byId.get(run.adopted.id)).toMatchObject({ outcome: 'excluded', reason: 'ADOPTED_NOT_TOUCHED' });
    expect(run.cloudUser(run.adopted.id).onPremisesImmutableId).not.toBeNull();
    expect(run.clears(run.adopted.id)).toBe(0);
    expect(report.summary).toEqual({ 'rolled-back': plain.length, unchanged: 0, skipped: 1, failed: 0, excluded: 1 });

    const kinds = (await run.journal()).map((r) => r.kind);
    expect(kinds.filter((k) => k === 'deleted')).toHaveLength(plain.length);
    expect(kinds.filter((k) => k === 'cleared')).toHaveLength(plain.length);
    expect(kinds.at(-1)).toBe('rollback-end');
    expect(result.stderr).toMatch(/skipped .*-chg@contoso\.example: IMMUTABLE_ID_CHANGED/);
  });

  it('a re-run of the completed rollback changes nothing', async () => {
    const writesBefore = run.sim.state().writes?.length;
    const journalBefore = (await run.journal()).length;
    const result = await run.rollback('delete');
    expect(result.code, result.stderr).toBe(3); // still the changed user, still left
    expect(run.sim.state().writes?.length).toBe(writesBefore);
    const added = (await run.journal()).slice(journalBefore).map((r) => r.kind);
    expect(added).toEqual(['rollback-start', 'rollback-end']);
    const report = await run.report();
    expect(report.summary).toEqual({ 'rolled-back': 0, unchanged: run.created.length - 1, skipped: 1, failed: 0, excluded: 1 });
    await withDirectory(async (dir) => {
      expect(await dir.findUserByUpn(run.changed!.upn)).toBeDefined();
      expect((await dir.readUser(run.adopted.dn, ['uSNChanged'])).attributes.uSNChanged![0]).toBe(adoptedUsnBefore);
    });
  });

  it('refuses without --yes when there is no terminal, and without a mode', async () => {
    // The changed user is still work (re-checked every run), so this run would write: it must ask.
    const noYes = await run.cli(['rollback', '--run', run.runDir, '--delete']);
    expect(noYes.code).toBe(2);
    expect(noYes.stderr).toMatch(/CONFIRMATION_REQUIRED/);
    const noMode = await run.cli(['rollback', '--run', run.runDir, '--yes']);
    expect(noMode.code).toBe(2);
    expect(noMode.stderr).toMatch(/ROLLBACK_MODE/);
    const notARun = await run.cli(['rollback', '--run', join(tmpdir(), 'entra2ad-no-such-run'), '--delete', '--yes']);
    expect(notARun.code).toBe(2);
    expect(notARun.stderr).toMatch(/RUN_DIR_INVALID/);
  });
});

const CREATED_LAST = 7;
