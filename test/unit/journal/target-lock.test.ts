import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireTargetLock, targetLockDir } from '../../../src/journal/target-lock.js';

let base: string;
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'entra2ad-target-lock-'));
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('target lock', () => {
  it('is keyed by tenant and OU as AD compares DNs, not by run folder', () => {
    expect(targetLockDir(base, 'T1', 'OU=Cloud Users,DC=corp,DC=test')).toBe(targetLockDir(base, 't1', 'ou=cloud users, dc=corp,dc=test'));
    expect(targetLockDir(base, 't1', 'OU=A,DC=corp,DC=test')).not.toBe(targetLockDir(base, 't1', 'OU=B,DC=corp,DC=test'));
    expect(targetLockDir(base, 't1', 'OU=A,DC=corp,DC=test')).not.toBe(targetLockDir(base, 't2', 'OU=A,DC=corp,DC=test'));
  });

  it('two run folders with one plan: the second is TARGET_IN_USE (exit 2) naming the first, until it is released', async () => {
    const target = { tenantId: 't1', targetOu: 'OU=Cloud Users,DC=corp,DC=test', base };
    const first = await acquireTargetLock({ ...target, runDir: '/runs/a' });
    const error = await acquireTargetLock({ ...target, targetOu: 'ou=cloud users,dc=corp,dc=test', runDir: '/runs/b' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ reason: 'TARGET_IN_USE', exitCode: 2 });
    expect((error as Error).message).toMatch(/apply --out \/runs\/a \(pid \d+/);
    // Another OU is not blocked.
    const other = await acquireTargetLock({ ...target, targetOu: 'OU=Other,DC=corp,DC=test', runDir: '/runs/c' });
    await other.release();
    await first.release();
    const again = await acquireTargetLock({ ...target, runDir: '/runs/b' });
    await again.release();
  });
});
