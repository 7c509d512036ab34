/**
 * A certificate authority and server certificate for the lab DC.
 *
 * Samba's self-generated certificate names only the host (CN=DC1.realm, no
 * subjectAltName), so a client connecting by IP must be told the name
 * (`servername`). With our own CA the server certificate carries the DC's
 * DNS name AND its loopback address as subjectAltNames (RFC 5280 4.2.1.6), so
 * Node and OpenLDAP tools verify `ldaps://127.a.b.c` with nothing but the CA,
 * as they would a DC enrolled from an enterprise CA.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { issueThrowawayCertificates } from './throwaway-ca.js';

export interface LabCertificates {
  caFile: string;
  caPem: string;
  certFile: string;
  keyFile: string;
}

const VALID_DAYS = 30;

export async function createLabCertificates(dir: string, names: { fqdn: string; hostname: string; address: string }): Promise<LabCertificates> {
  const notAfterDate = new Date(Date.now() + VALID_DAYS * 86_400_000);
  // The clock may be slightly behind the DC's: start validity an hour ago.
  const notBeforeDate = new Date(Date.now() - 3_600_000);
  const issued = await issueThrowawayCertificates({
    caName: `entra2ad lab CA ${names.fqdn}`,
    serverName: names.fqdn,
    dnsNames: [names.fqdn, names.hostname],
    ipAddresses: [names.address],
    notBeforeDate,
    notAfterDate,
  });
  const files: LabCertificates = {
    caFile: join(dir, 'ca.pem'),
    caPem: issued.caPem,
    certFile: join(dir, 'cert.pem'),
    keyFile: join(dir, 'key.pem'),
  };
  await writeFile(files.caFile, issued.caPem, { mode: 0o644 });
  await writeFile(files.certFile, issued.serverCert, { mode: 0o644 });
  // Samba refuses a key file readable by others.
  await writeFile(files.keyFile, issued.serverKey, { mode: 0o600 });
  return files;
}
