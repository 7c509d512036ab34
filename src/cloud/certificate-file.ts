/**
 * The certificate credential's file, checked before any sign-in is tried, so a
 * bad file is named for what is wrong with it instead of surfacing as an MSAL
 * or jsonwebtoken message ("secretOrPrivateKey must be an asymmetric key").
 *
 * What the file must hold (learn.microsoft.com/javascript/api/@azure/identity/clientcertificatecredential:
 * "a PEM-encoded certificate" with its private key; learn.microsoft.com/entra/identity-platform/certificate-credentials):
 * - a certificate (the first one is the one registered on the app),
 * - its private key, RSA (MSAL signs the assertion with PS256, msal-node ClientAssertion),
 *   encrypted only if AZURE_CLIENT_CERTIFICATE_PASSWORD is set,
 * - a certificate valid now (Entra refuses an expired one: AADSTS700027 "The key used is expired").
 *
 * Messages name the file, the certificate's thumbprint and dates, never key material.
 * Each problem is a SignInError (exit 1: cannot sign in) with its own reason code.
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Entra2adError, ExitCode } from '../errors.js';
import type { Secret } from './secret.js';

export const CERTIFICATE_REASONS = [
  'CERTIFICATE_UNREADABLE',
  'CERTIFICATE_MISSING',
  'CERTIFICATE_NO_KEY',
  'CERTIFICATE_KEY_LOCKED',
  'CERTIFICATE_KEY_UNREADABLE',
  'CERTIFICATE_KEY_TYPE',
  'CERTIFICATE_KEY_MISMATCH',
  'CERTIFICATE_EXPIRED',
  'CERTIFICATE_NOT_YET_VALID',
] as const;
export type CertificateReason = (typeof CERTIFICATE_REASONS)[number];

/** Sign-in cannot be attempted with what was given: exit 1, like any failed sign-in. */
export class SignInError extends Entra2adError {
  constructor(reason: CertificateReason, message: string) {
    super(reason, message, ExitCode.Failure, { field: '--certificate-path' });
  }
}

export interface CheckedCertificate {
  /** The certificate and its key, in the order and shape @azure/identity reads. */
  pem: string;
  /** SHA-1 thumbprint, upper-case hex, as the Entra portal shows it. */
  thumbprint: string;
  notAfter: Date;
}

const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+?-----END CERTIFICATE-----/;
const KEY_BLOCK = /-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----[\s\S]+?-----END \1PRIVATE KEY-----/;

export function readCertificateFile(path: string, password?: Secret): CheckedCertificate {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new SignInError('CERTIFICATE_UNREADABLE', `cannot read the certificate file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return checkCertificatePem(text, path, password);
}

/** The checks on the file's text; `path` only names it in messages. */
export function checkCertificatePem(text: string, path: string, password?: Secret, now: Date = new Date()): CheckedCertificate {
  const certBlock = CERTIFICATE_BLOCK.exec(text)?.[0];
  if (!certBlock) {
    throw new SignInError('CERTIFICATE_MISSING', `${path} holds no PEM certificate ("-----BEGIN CERTIFICATE-----"): give one file with the certificate registered on the app and its private key`);
  }
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certBlock);
  } catch {
    throw new SignInError('CERTIFICATE_MISSING', `the certificate in ${path} cannot be parsed: export it again as PEM (base64 DER between BEGIN/END CERTIFICATE lines)`);
  }
  const thumbprint = certificate.fingerprint.replace(/:/g, '').toUpperCase();
  const keyMatch = KEY_BLOCK.exec(text);
  if (!keyMatch) {
    throw new SignInError(
      'CERTIFICATE_NO_KEY',
      `${path} holds the certificate (thumbprint ${thumbprint}) but no private key: add the key in PEM ("-----BEGIN PRIVATE KEY-----") to the same file, after the certificate`,
    );
  }
  const keyBlock = keyMatch[0];
  const encrypted = keyMatch[1] === 'ENCRYPTED ' || /Proc-Type:\s*4,ENCRYPTED/.test(keyBlock);
  if (encrypted && password === undefined) {
    throw new SignInError('CERTIFICATE_KEY_LOCKED', `the private key in ${path} is encrypted: set AZURE_CLIENT_CERTIFICATE_PASSWORD to its password`);
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(password === undefined ? { key: keyBlock, format: 'pem' } : { key: keyBlock, format: 'pem', passphrase: password.reveal() });
  } catch {
    throw new SignInError(
      'CERTIFICATE_KEY_UNREADABLE',
      `the private key in ${path} cannot be read${encrypted ? ' (is AZURE_CLIENT_CERTIFICATE_PASSWORD right?)' : ''}: export it again as an unencrypted PKCS#8 PEM key, or set its password`,
    );
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw new SignInError(
      'CERTIFICATE_KEY_TYPE',
      `the key in ${path} is ${key.asymmetricKeyType ?? 'not an asymmetric key'}, not RSA: MSAL signs the sign-in assertion with RSA (PS256); make an RSA certificate and register it on the app`,
    );
  }
  if (!certificate.checkPrivateKey(key)) {
    throw new SignInError(
      'CERTIFICATE_KEY_MISMATCH',
      `the private key in ${path} does not belong to its certificate (thumbprint ${thumbprint}): put the key that was made with this certificate in the file`,
    );
  }
  const notBefore = new Date(certificate.validFrom);
  const notAfter = new Date(certificate.validTo);
  if (notAfter.getTime() <= now.getTime()) {
    throw new SignInError(
      'CERTIFICATE_EXPIRED',
      `the certificate in ${path} (thumbprint ${thumbprint}) expired on ${notAfter.toISOString()}: make a new one, upload it to the app registration (Certificates & secrets), and point --certificate-path at it`,
    );
  }
  if (notBefore.getTime() > now.getTime()) {
    throw new SignInError(
      'CERTIFICATE_NOT_YET_VALID',
      `the certificate in ${path} (thumbprint ${thumbprint}) is not valid before ${notBefore.toISOString()}: check this machine's clock, or wait`,
    );
  }
  return { pem: `${certBlock}\n${keyBlock}\n`, thumbprint, notAfter };
}
