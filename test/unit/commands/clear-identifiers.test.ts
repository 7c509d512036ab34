/** The permission checks before a write: FORBIDDEN with the same words for the anchor write and the clear (src/cloud/token-permissions.ts tokenLacks). */
import { describe, expect, it } from 'vitest';
import { CLEAR_DOC, SYNC_BEHAVIOR_PERMISSION } from '../../../src/apply/identifier-clear.js';
import { callPermissionOf, CloudError, permissionHint, requireImmutableIdWrite } from '../../../src/cloud/index.js';
import { requireSyncBehaviorWrite } from '../../../src/commands/clear-identifiers.js';

const thrown = (run: () => void): CloudError => {
  try {
    run();
  } catch (error) {
    return error as CloudError;
  }
  throw new Error('did not throw');
};

describe('a token without the permission a write needs', () => {
  it('the anchor write: FORBIDDEN naming what the token holds and the fix', () => {
    const error = thrown(() => requireImmutableIdWrite({ kind: 'app', granted: new Set(['User.Read.All', 'Domain.Read.All']), roleTemplateIds: new Set() }));
    expect(error).toBeInstanceOf(CloudError);
    expect(error).toMatchObject({ reason: 'FORBIDDEN', status: 403, graphCode: 'Authorization_RequestDenied' });
    expect(error.graphMessage).toBe(
      `the access token holds none of User.ReadWrite.All, Directory.ReadWrite.All (it has: Domain.Read.All, User.Read.All); nothing was written - ${permissionHint(callPermissionOf('PATCH', '/users/x')!)}`,
    );
  });

  it('the identifier clear, app-only and delegated', () => {
    const app = thrown(() => requireSyncBehaviorWrite({ kind: 'app', granted: new Set() }));
    expect(app).toMatchObject({ reason: 'FORBIDDEN', status: 403, graphCode: 'Authorization_RequestDenied' });
    expect(app.graphMessage).toBe(
      `the access token does not hold ${SYNC_BEHAVIOR_PERMISSION} (it has: nothing), which clearing onPremisesObjectIdentifier needs ` +
        `(grant the application permission and admin-consent it; ${CLEAR_DOC}). No identifier was cleared: every user is still recoverable.`,
    );
    const delegated = thrown(() => requireSyncBehaviorWrite({ kind: 'delegated', granted: new Set(['User.ReadWrite.All']) }));
    expect(delegated.graphMessage).toMatch(/^the access token does not hold \S+ \(it has: User\.ReadWrite\.All\), .*Hybrid Identity Administrator/);
    expect(() => requireSyncBehaviorWrite({ kind: 'app', granted: new Set([SYNC_BEHAVIOR_PERMISSION]) })).not.toThrow();
    expect(() => requireSyncBehaviorWrite(undefined)).not.toThrow();
  });
});
