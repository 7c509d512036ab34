/**
 * Is a CA file what --ldap-ca-file / --graph-ca-file expect: one or more PEM
 * certificates (RFC 7468 section 5: `-----BEGIN CERTIFICATE-----` blocks of base64
 * DER)? Checked when the flags are read, so a wrong file is a clear exit-2 error
 * instead of a TLS stack trace later. Pure apart from node:crypto's parser.
 */
import { X509Certificate } from 'node:crypto';

const BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** Why `text` is not a PEM certificate bundle; undefined when it is. */
export function pemCertificatesProblem(text: string): string | undefined {
  const blocks = text.match(BLOCK) ?? [];
  if (blocks.length === 0) return 'holds no PEM certificate (-----BEGIN CERTIFICATE-----); give the CA certificate in PEM form (convert DER with: openssl x509 -inform der -in ca.cer -out ca.pem)';
  for (const [i, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch (error) {
      return `certificate ${i + 1} of ${blocks.length} does not parse (${(error as Error).message})`;
    }
  }
  return undefined;
}
