import { describe, expect, it } from 'vitest';
import { acquireTargetLock, targetLockDir } from '../../../src/journal/target-lock.js';
import { useTempDir } from '../../harness/temp-dir.js';

const tmp = useTempDir('target-lock');

describe('target lock', () => {
  it('is keyed by tenant and OU as AD compares DNs, not by run folder', () => {
    expect(targetLockDir(tmp.dir, 'T1', 'OU=Cloud Users,DC=corp,DC=test')).toBe(targetLockDir(tmp.dir, 't1', 'ou=cloud users, dc=corp,dc=test'));
    expect(targetLockDir(tmp.dir, 't1', 'OU=A,DC=corp,DC=test')).not.toBe(targetLockDir(tmp.dir, 't1', 'OU=B,DC=corp,DC=test'));
    expect(targetLockDir(tmp.dir, 't1', 'OU=A,DC=corp,DC=test')).not.toBe(targetLockDir(tmp.dir, 't2', 'OU=A,DC=corp,DC=test'));
  });

  it('two run folders with one plan: the second is TARGET_IN_USE (exit 2) naming the first, until it is released', async () => {
    const target = { tenantId: 't1', targetOu: 'OU=Cloud Users,DC=corp,DC=test', base: tmp.dir };
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
