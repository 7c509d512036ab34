/**
 * The simulator's certificate-credential check (src/sim/client-assertion.ts),
 * one rule per row, against assertions signed here with throwaway RSA keys.
 * Rules: learn.microsoft.com/entra/identity-platform/certificate-credentials.
 */
import { constants, createHash, sign, X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueThrowawayClientCertificate, type ThrowawayClientCertificate } from '../../../src/lab/throwaway-ca.js';
import { checkClientAssertion, type AssertionCheck } from '../../../src/sim/client-assertion.js';

const CLIENT = 'c1e00000-0000-4000-8000-000000000001';
const AUD = 'https://127.0.0.1:1/t/oauth2/v2.0/token';
const NOW = Date.now();
const s = Math.floor(NOW / 1000);

let registered: ThrowawayClientCertificate;
let other: ThrowawayClientCertificate;
let expired: ThrowawayClientCertificate;

beforeAll(async () => {
  const day = 86_400_000;
  [registered, other, expired] = await Promise.all([
    issueThrowawayClientCertificate({ name: 'registered', notBeforeDate: new Date(NOW - day), notAfterDate: new Date(NOW + day) }),
    issueThrowawayClientCertificate({ name: 'other', notBeforeDate: new Date(NOW - day), notAfterDate: new Date(NOW + day) }),
    issueThrowawayClientCertificate({ name: 'expired', notBeforeDate: new Date(NOW - 3 * day), notAfterDate: new Date(NOW - day) }),
  ]);
}, 30_000);

interface Make {
  cert?: ThrowawayClientCertificate;
  signer?: ThrowawayClientCertificate;
  alg?: string;
  thumb?: 'x5t' | 'x5t#S256' | 'none';
  claims?: Record<string, unknown>;
}

function assertion(m: Make = {}): string {
  const cert = m.cert ?? registered;
  const der = new X509Certificate(cert.certPem).raw;
  const alg = m.alg ?? 'PS256';
  const header: Record<string, unknown> = { alg, typ: 'JWT' };
  const thumb = m.thumb ?? 'x5t#S256';
  if (thumb === 'x5t#S256') header['x5t#S256'] = createHash('sha256').update(der).digest('base64url');
  if (thumb === 'x5t') header.x5t = createHash('sha1').update(der).digest('base64url');
  const claims = { aud: AUD, iss: CLIENT, sub: CLIENT, exp: s + 600, nbf: s, jti: 'a-guid', ...m.claims };
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  const key = (m.signer ?? cert).keyPem;
  const signature =
    alg === 'PS256'
      ? sign('sha256', Buffer.from(input), { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST })
      : sign('sha256', Buffer.from(input), key);
  return `${input}.${signature.toString('base64url')}`;
}

function check(value: string, over: Partial<AssertionCheck> = {}) {
  return checkClientAssertion({
    assertion: value,
    clientId: CLIENT,
    registeredClientId: CLIENT,
    certificates: [new X509Certificate(registered.certPem), new X509Certificate(expired.certPem)],
    audiences: [AUD],
    nowMs: NOW,
    ...over,
  });
}

describe('client assertion check', () => {
  it('accepts PS256 with x5t#S256 and RS256 with x5t (what MSAL sends, old and new)', () => {
    expect(check(assertion())).toMatchObject({ ok: true, clientId: CLIENT, jti: 'a-guid' });
    expect(check(assertion({ alg: 'RS256', thumb: 'x5t' }))).toMatchObject({ ok: true });
  });

  it.each([
    ['a certificate not registered on the app', () => assertion({ cert: other }), 700027, /not registered on application\. \[Reason - The key was not found\./],
    ['no thumbprint header', () => assertion({ thumb: 'none' }), 700027, /The key was not found/],
    ['a registered certificate that has expired', () => assertion({ cert: expired }), 700027, /expired on application\. \[Reason - The key used is expired\./],
    ['signed by another key', () => assertion({ signer: other }), 700027, /invalid signature/],
    ['an algorithm other than PS256/RS256', () => assertion({ alg: 'HS256' }), 700027, /invalid signature/],
    ['iss not the client id', () => assertion({ claims: { iss: 'someone' } }), 700021, /application identifier/],
    ['sub not the client id', () => assertion({ claims: { sub: 'someone' } }), 700021, /application identifier/],
    ['aud not the token endpoint', () => assertion({ claims: { aud: 'https://127.0.0.1:1/other/oauth2/v2.0/token' } }), 700023, /audience/],
    ['exp in the past (beyond 5 minutes of skew)', () => assertion({ claims: { exp: s - 301 } }), 700024, /not within its valid time range/],
    ['nbf in the future (beyond 5 minutes of skew)', () => assertion({ claims: { nbf: s + 301 } }), 700024, /not within its valid time range/],
    ['no exp', () => assertion({ claims: { exp: undefined } }), 50027, /exp/],
    ['no jti', () => assertion({ claims: { jti: undefined } }), 50027, /jti/],
    ['not a JWT', () => 'abc.def', 50027, /three parts/],
  ])('refuses %s (AADSTS%i)', (_what, make, code, message) => {
    const result = check(make());
    expect(result).toMatchObject({ status: 401, error: 'invalid_client', code });
    expect((result as { message: string }).message).toMatch(message);
  });

  it('accepts exp and nbf within the 5-minute skew', () => {
    expect(check(assertion({ claims: { exp: s - 200, nbf: s + 200 } }))).toMatchObject({ ok: true });
  });

  it('refuses a client_id parameter that is not the registered app', () => {
    expect(check(assertion({ claims: { iss: 'x', sub: 'x' } }), { clientId: 'x' })).toMatchObject({ code: 700021 });
  });
});
