/**
 * The simulator's pure sign-in rules, one table each: scopes (AADSTS70011 /
 * 1002012), the device code store's state machine on a fake clock (RFC 8628
 * 3.5: slow_down adds 5 seconds for this and all later polls), and the App
 * Service managed identity request check.
 */
import { describe, expect, it } from 'vitest';
import { checkScopes } from '../../../src/sim/auth.js';
import { DeviceCodes } from '../../../src/sim/device-code.js';
import { checkManagedIdentityRequest } from '../../../src/sim/managed-identity.js';

describe('scopes', () => {
  it.each([
    ['https://graph.microsoft.com/.default', 'app', 'ok'],
    ['00000003-0000-0000-c000-000000000000/.default', 'app', 'ok'],
    ['https://graph.microsoft.com/User.Read', 'app', 1002012],
    ['https://graph.microsoft.us/.default', 'app', 70011],
    ['https://unknown.example/.default', 'app', 70011],
    ['openid profile', 'app', 70011],
    ['https://graph.microsoft.com/.default openid profile offline_access', 'user', 'ok'],
    ['User.ReadWrite.All openid', 'user', 'ok'],
    ['https://graph.microsoft.com/Mail.Send', 'user', 70011],
    ['https://unknown.example/thing.read', 'user', 70011],
  ] as const)('%s (%s) -> %s', (scope, kind, expected) => {
    const result = checkScopes(scope, kind);
    if (expected === 'ok') expect(result).toHaveProperty('granted');
    else expect(result).toMatchObject({ status: 400, error: 'invalid_scope', code: expected });
  });

  it('accepts .default for an app (its roles come from the app registration, src/sim/token-claims.ts) and grants the consented delegated permissions to a user', () => {
    expect(checkScopes('https://graph.microsoft.com/.default', 'app')).toEqual({ granted: [] });
    expect(checkScopes('https://graph.microsoft.com/Domain.Read.All', 'user')).toEqual({ granted: ['Domain.Read.All'] });
  });
});

describe('device code store', () => {
  const user = { id: 'u', userPrincipalName: 'u@contoso.example' };
  const store = () => new DeviceCodes({ lifetimeSeconds: 60, intervalSeconds: 5, verificationUri: 'https://127.0.0.1:1/devicelogin' });
  const issue = (codes: DeviceCodes, at = 0) => codes.issue('app', ['User.ReadWrite.All'], at) as { device_code: string; user_code: string; message: string };

  it('pending, slow_down when early (+5 s from then on), then the token once, then invalid_grant', () => {
    const codes = store();
    const code = issue(codes);
    expect(code.user_code).toMatch(/^[A-Z2-9]{9}$/);
    expect(code.message).toContain(code.user_code);
    expect(codes.poll(code.device_code, 'app', 1_000)).toMatchObject({ error: 'authorization_pending', code: 70016 });
    expect(codes.poll(code.device_code, 'app', 6_000)).toMatchObject({ error: 'authorization_pending' });
    expect(codes.poll(code.device_code, 'app', 8_000)).toMatchObject({ error: 'slow_down' });
    // The interval is now 10 s: 9 s after the last poll is still too early.
    expect(codes.poll(code.device_code, 'app', 17_000)).toMatchObject({ error: 'slow_down' });
    expect(codes.complete(code.user_code.toLowerCase(), user, false, 20_000)).toBe(true);
    expect(codes.poll(code.device_code, 'app', 40_000)).toMatchObject({ ok: true, user, scopes: ['User.ReadWrite.All'] });
    expect(codes.poll(code.device_code, 'app', 60_000 - 1)).toMatchObject({ error: 'invalid_grant' });
  });

  it('expired_token (AADSTS70019) after expires_in, declined, another client, an unknown code', () => {
    const codes = store();
    const late = issue(codes);
    expect(codes.complete(late.user_code, user, false, 60_000)).toBe(false);
    expect(codes.poll(late.device_code, 'app', 60_000)).toMatchObject({ error: 'expired_token', code: 70019 });
    const no = issue(codes);
    expect(codes.complete(no.user_code, user, true, 1)).toBe(true);
    expect(codes.poll(no.device_code, 'app', 2)).toMatchObject({ error: 'authorization_declined' });
    const other = issue(codes);
    expect(codes.poll(other.device_code, 'another-app', 2)).toMatchObject({ error: 'invalid_grant' });
    expect(codes.poll('nope', 'app', 2)).toMatchObject({ error: 'invalid_grant' });
    expect(codes.pendingUserCodes(3).sort()).toEqual([late.user_code, other.user_code].sort()); // not the declined one
    expect(codes.pendingUserCodes(60_000)).toEqual([]);
  });
});

describe('managed identity request', () => {
  const config = { identityHeader: 'h', clientId: 'mi-client', resources: ['https://graph.microsoft.com'] };
  const q = (s: string) => new URLSearchParams(s);
  it.each([
    ['api-version=2019-08-01&resource=https://graph.microsoft.com', 'h', 'ok'],
    ['api-version=2019-08-01&resource=https://graph.microsoft.com/', 'h', 'ok'],
    ['api-version=2019-08-01&resource=https://graph.microsoft.com&client_id=MI-CLIENT', 'h', 'ok'],
    ['api-version=2019-08-01&resource=https://graph.microsoft.com', undefined, 401],
    ['api-version=2019-08-01&resource=https://graph.microsoft.com', 'x', 401],
    ['api-version=2017-09-01&resource=https://graph.microsoft.com', 'h', 400],
    ['api-version=2019-08-01&resource=https://vault.azure.net', 'h', 400],
    ['api-version=2019-08-01&resource=https://graph.microsoft.com&client_id=other', 'h', 400],
  ] as const)('%s with header %s -> %s', (query, header, expected) => {
    const decision = checkManagedIdentityRequest(config, q(query), header);
    if (expected === 'ok') expect(decision).toMatchObject({ ok: true, clientId: 'mi-client', resource: 'https://graph.microsoft.com' });
    else expect(decision).toMatchObject({ status: expected });
  });
});
