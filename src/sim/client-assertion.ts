/**
 * The certificate credential check: a client assertion (RFC 7523 `private_key_jwt`)
 * verified as Microsoft Entra ID documents it.
 *
 * learn.microsoft.com/entra/identity-platform/certificate-credentials ("Assertion format"):
 * - header `alg` PS256 (or RS256), `x5t#S256` (base64url SHA-256 of the certificate's DER)
 *   or `x5t` (base64url SHA-1 of it) naming a certificate registered on the app;
 * - claims `aud` = the tenant's token endpoint, `iss` = `sub` = the client id,
 *   `exp`, `nbf`, `jti` (a GUID);
 * - signed with the certificate's private key.
 * Codes and wording of the refusals:
 * - learn.microsoft.com/azure/developer/java/sdk/troubleshooting-authentication-service-principal
 *   (AADSTS700027 invalid signature / key not registered, AADSTS700021 iss/sub vs client_id,
 *   AADSTS700023 audience, AADSTS700024 time range);
 * - learn.microsoft.com/entra/identity-platform/reference-error-codes (AADSTS50027 malformed JWT);
 * - the "[Reason - ...]" parts as Entra prints them in public reports
 *   ("The key was not found.", "The key used is expired.").
 *
 * `jti` must be there, but a repeated one is accepted: MSAL itself re-sends the same
 * assertion (same jti) until it is 10 minutes old (msal-node ClientAssertion.getJwt),
 * which Entra evidently accepts. Repeats are counted so tests can see them.
 */
import { constants, createHash, verify, type X509Certificate } from 'node:crypto';
import type { AadRefusal } from './aad-error.js';

export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const DOCS = 'Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .';
/** Microsoft.IdentityModel's default clock skew (TokenValidationParameters.DefaultClockSkew, 5 minutes). */
export const CLOCK_SKEW_SECONDS = 300;

export interface AssertionCheck {
  assertion: string;
  /** The `client_id` form parameter (may be absent: then `iss` names the app). */
  clientId: string | undefined;
  /** The app's client id as registered. */
  registeredClientId: string;
  /** The certificates registered on the app (keyCredentials). */
  certificates: readonly X509Certificate[];
  /** Accepted `aud` values: the token endpoint under every name of the tenant. */
  audiences: readonly string[];
  nowMs: number;
}

export interface AcceptedAssertion {
  ok: true;
  clientId: string;
  jti: string;
  /** SHA-1 thumbprint (hex, upper case) of the certificate that verified it. */
  thumbprint: string;
}

interface JoseHeader {
  alg?: unknown;
  x5t?: unknown;
  'x5t#S256'?: unknown;
}

interface AssertionClaims {
  aud?: unknown;
  iss?: unknown;
  sub?: unknown;
  exp?: unknown;
  nbf?: unknown;
  jti?: unknown;
}

const invalidClient = (code: number, message: string): AadRefusal => ({ status: 401, error: 'invalid_client', code, message });
const malformed = (why: string): AadRefusal => invalidClient(50027, `JWT token is invalid or malformed. ${why}`);

function decodePart<T>(part: string): T | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}

export function thumbprints(certificate: X509Certificate): { sha1: Buffer; sha256: Buffer } {
  return { sha1: createHash('sha1').update(certificate.raw).digest(), sha256: createHash('sha256').update(certificate.raw).digest() };
}

/** "MM/DD/YYYY HH:MM:SS", as Entra prints a key's Start/End. */
function entraDate(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(date.getUTCMonth() + 1)}/${p(date.getUTCDate())}/${date.getUTCFullYear()} ${p(date.getUTCHours())}:${p(date.getUTCMinutes())}:${p(date.getUTCSeconds())}`;
}

const isoSeconds = (seconds: number) => new Date(seconds * 1000).toISOString().replace(/\.\d+Z$/, '.0000000Z');

export function checkClientAssertion(check: AssertionCheck): AcceptedAssertion | AadRefusal {
  const parts = check.assertion.split('.');
  if (parts.length !== 3 || parts.some((p) => p === '')) return malformed('It must have three parts.');
  const [headerPart, claimsPart, signaturePart] = parts as [string, string, string];
  const header = decodePart<JoseHeader>(headerPart);
  const claims = decodePart<AssertionClaims>(claimsPart);
  if (!header || !claims) return malformed('The header or the payload is not JSON.');

  // Which registered certificate: x5t#S256 first (MSAL's choice today), else x5t.
  const s256 = typeof header['x5t#S256'] === 'string' ? Buffer.from(header['x5t#S256'], 'base64url') : undefined;
  const s1 = typeof header.x5t === 'string' ? Buffer.from(header.x5t, 'base64url') : undefined;
  const given = (s256 ?? s1)?.toString('hex').toUpperCase() ?? '';
  const certificate = check.certificates.find((c) => {
    const t = thumbprints(c);
    return (s256 !== undefined && t.sha256.equals(s256)) || (s256 === undefined && s1 !== undefined && t.sha1.equals(s1));
  });
  if (!certificate) {
    return invalidClient(
      700027,
      `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${given}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${check.registeredClientId}'. ${DOCS}]`,
    );
  }
  const found = `Found key 'Start=${entraDate(new Date(certificate.validFrom))}, End=${entraDate(new Date(certificate.validTo))}'`;
  if (Date.parse(certificate.validTo) <= check.nowMs) {
    return invalidClient(
      700027,
      `The certificate with identifier used to sign the client assertion is expired on application. [Reason - The key used is expired., Thumbprint of key used by client: '${given}', ${found}]`,
    );
  }

  // Signature: PS256 (RSA-PSS, salt = hash length, RFC 7518 3.5) or RS256 (PKCS#1 v1.5).
  const signingInput = Buffer.from(`${headerPart}.${claimsPart}`);
  const signature = Buffer.from(signaturePart, 'base64url');
  let valid = false;
  try {
    if (header.alg === 'PS256') {
      valid = verify('sha256', signingInput, { key: certificate.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, signature);
    } else if (header.alg === 'RS256') {
      valid = verify('sha256', signingInput, { key: certificate.publicKey, padding: constants.RSA_PKCS1_PADDING }, signature);
    }
  } catch {
    valid = false;
  }
  if (!valid) {
    return invalidClient(
      700027,
      `Client assertion contains an invalid signature. [Reason - The provided signature value did not match the expected signature value., Thumbprint of key used by client: '${given}', ${found}]`,
    );
  }

  const clientId = check.clientId ?? (typeof claims.iss === 'string' ? claims.iss : '');
  if (claims.iss !== clientId || claims.sub !== clientId || clientId.toLowerCase() !== check.registeredClientId.toLowerCase()) {
    return invalidClient(700021, `Client assertion application identifier doesn't match 'client_id' parameter. ${DOCS}`);
  }
  const audiences = (Array.isArray(claims.aud) ? claims.aud : [claims.aud]).filter((a): a is string => typeof a === 'string');
  if (!audiences.some((a) => check.audiences.includes(a.toLowerCase()))) {
    return invalidClient(700023, `Client assertion audience claim does not match Realm issuer. ${DOCS}`);
  }
  const now = Math.floor(check.nowMs / 1000);
  if (typeof claims.exp !== 'number') return malformed("The 'exp' claim is missing.");
  const nbf = typeof claims.nbf === 'number' ? claims.nbf : 0;
  if (claims.exp + CLOCK_SKEW_SECONDS <= now || nbf - CLOCK_SKEW_SECONDS > now) {
    return invalidClient(
      700024,
      `Client assertion is not within its valid time range. Current time: ${isoSeconds(now)}, assertion valid from ${isoSeconds(nbf)}, expiry time of assertion ${isoSeconds(claims.exp)}. ${DOCS}`,
    );
  }
  if (typeof claims.jti !== 'string' || claims.jti === '') return malformed("The 'jti' claim is missing.");
  return { ok: true, clientId, jti: claims.jti, thumbprint: thumbprints(certificate).sha1.toString('hex').toUpperCase() };
}
