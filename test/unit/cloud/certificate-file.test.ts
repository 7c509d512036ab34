/**
 * The certificate file check (src/cloud/certificate-file.ts): each bad file is a
 * SignInError with its own reason, exit 1, and a message that names the file
 * and never holds key material.
 */
import { generateKeyPairSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkCertificatePem, SignInError } from '../../../src/cloud/certificate-file.js';
import { Secret } from '../../../src/cloud/secret.js';
import { ExitCode } from '../../../src/errors.js';
import { issueThrowawayClientCertificate, type ThrowawayClientCertificate } from '../../../src/lab/throwaway-ca.js';

const NOW = new Date();
const day = 86_400_000;
let good: ThrowawayClientCertificate;
let otherKey: string;
let old: ThrowawayClientCertificate;
let future: ThrowawayClientCertificate;

beforeAll(async () => {
  [good, old, future] = await Promise.all([
    issueThrowawayClientCertificate({ name: 'good', notBeforeDate: new Date(NOW.getTime() - day), notAfterDate: new Date(NOW.getTime() + day) }),
    issueThrowawayClientCertificate({ name: 'old', notBeforeDate: new Date(NOW.getTime() - 3 * day), notAfterDate: new Date(NOW.getTime() - day) }),
    issueThrowawayClientCertificate({ name: 'future', notBeforeDate: new Date(NOW.getTime() + day), notAfterDate: new Date(NOW.getTime() + 3 * day) }),
  ]);
  otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}, 30_000);

function failure(text: string, password?: Secret): SignInError {
  try {
    checkCertificatePem(text, 'app.pem', password, NOW);
  } catch (error) {
    return error as SignInError;
  }
  throw new Error('expected a SignInError');
}

describe('certificate file check', () => {
  it('accepts certificate + key in either order, without a newline between them', () => {
    for (const text of [good.certPem + good.keyPem, `${good.keyPem}\n${good.certPem}`]) {
      const checked = checkCertificatePem(text, 'app.pem', undefined, NOW);
      expect(checked.thumbprint).toMatch(/^[0-9A-F]{40}$/);
      expect(checked.pem).toContain('-----BEGIN CERTIFICATE-----');
      expect(checked.pem).toMatch(/-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----/);
    }
  });

  it.each([
    ['a certificate without a key', () => good.certPem, 'CERTIFICATE_NO_KEY', /no private key/],
    ['a key without a certificate', () => good.keyPem, 'CERTIFICATE_MISSING', /no PEM certificate/],
    ['a key that belongs to another certificate', () => `${good.certPem}\n${otherKey}`, 'CERTIFICATE_KEY_MISMATCH', /does not belong to its certificate/],
    ['an expired certificate', () => `${old.certPem}\n${old.keyPem}`, 'CERTIFICATE_EXPIRED', /expired on/],
    ['a certificate not valid yet', () => `${future.certPem}\n${future.keyPem}`, 'CERTIFICATE_NOT_YET_VALID', /not valid before/],
    ['a broken key', () => `${good.certPem}\n-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n`, 'CERTIFICATE_KEY_UNREADABLE', /cannot be read/],
  ])('refuses %s', (_what, text, reason, message) => {
    const input = text();
    const error = failure(input);
    expect(error).toBeInstanceOf(SignInError);
    expect(error.reason).toBe(reason);
    expect(error.exitCode).toBe(ExitCode.Failure);
    expect(error.message).toMatch(message);
    expect(error.message).toContain('app.pem');
    // No key (or certificate) material in the message: none of the file's base64 lines.
    for (const line of input.split('\n').filter((l) => /^[A-Za-z0-9+/=]{16,}$/.test(l))) expect(error.message).not.toContain(line.slice(0, 16));
  });

  it('asks for the password of an encrypted key, and refuses a wrong one', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    void publicKey;
    const encrypted = privateKey.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'right' }).toString();
    expect(failure(`${good.certPem}\n${encrypted}`).reason).toBe('CERTIFICATE_KEY_LOCKED');
    expect(failure(`${good.certPem}\n${encrypted}`, new Secret('wrong')).reason).toBe('CERTIFICATE_KEY_UNREADABLE');
    // Right password, but the key is not this certificate's.
    expect(failure(`${good.certPem}\n${encrypted}`, new Secret('right')).reason).toBe('CERTIFICATE_KEY_MISMATCH');
  });

  it('refuses a key that is not RSA', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(failure(`${good.certPem}\n${ec}`).reason).toBe('CERTIFICATE_KEY_TYPE');
  });
});
