/**
 * A throwaway certificate authority and one server certificate signed by it, for
 * the loopback servers entra2ad starts itself: the lab DC (lab-tls.ts) and the
 * Graph simulator (src/sim/certs.ts). EC P-256 keys, because they are generated in
 * milliseconds, unlike RSA. The server certificate names its hosts and addresses
 * as subjectAltNames (RFC 5280 4.2.1.6), so clients verify it with nothing but
 * the CA.
 */
import { generate } from 'selfsigned';

export interface ThrowawayCaOptions {
  /** The CA's commonName. Make it unique per CA: two trusted CAs with one subject confuse OpenSSL. */
  caName: string;
  /** The server certificate's commonName. */
  serverName: string;
  /** subjectAltName entries, DNS names first, then IP addresses. */
  dnsNames: readonly string[];
  ipAddresses: readonly string[];
  notBeforeDate: Date;
  notAfterDate: Date;
}

export interface ThrowawayCertificates {
  caPem: string;
  serverCert: string;
  serverKey: string;
}

export async function issueThrowawayCertificates(options: ThrowawayCaOptions): Promise<ThrowawayCertificates> {
  const { notBeforeDate, notAfterDate } = options;
  const key = { keyType: 'ec' as const, curve: 'P-256' as const, algorithm: 'sha256' as const, notBeforeDate, notAfterDate };
  const ca = await generate([{ name: 'commonName', value: options.caName }], {
    ...key,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const server = await generate([{ name: 'commonName', value: options.serverName }], {
    ...key,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [...options.dnsNames.map((value) => ({ type: 2 as const, value })), ...options.ipAddresses.map((ip) => ({ type: 7 as const, ip }))],
      },
    ],
  });
  return { caPem: ca.cert, serverCert: server.cert, serverKey: server.private };
}

export interface ThrowawayClientCertificate {
  /** The certificate alone (what is uploaded to the app registration). */
  certPem: string;
  /** The private key alone (PKCS#8 PEM). */
  keyPem: string;
}

/**
 * A self-signed RSA certificate for an app's certificate credential (tests, the
 * demo). RSA because MSAL signs client assertions with PS256/RS256
 * (msal-node ClientAssertion), and Entra takes RSA keys for them
 * (learn.microsoft.com/entra/identity-platform/certificate-credentials).
 */
export async function issueThrowawayClientCertificate(options: { name: string; notBeforeDate: Date; notAfterDate: Date }): Promise<ThrowawayClientCertificate> {
  const issued = await generate([{ name: 'commonName', value: options.name }], {
    keyType: 'rsa',
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: options.notBeforeDate,
    notAfterDate: options.notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
    ],
  });
  return { certPem: issued.cert, keyPem: issued.private };
}
