/**
 * A throwaway certificate authority and a server certificate signed by it,
 * made at every start. The server certificate names 127.0.0.1, ::1 and
 * localhost (subjectAltName), so clients verify it normally once they trust
 * the CA; nothing needs `rejectUnauthorized: false`.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { issueThrowawayCertificates } from '../lab/throwaway-ca.js';

export interface SimCertificates {
  caPem: string;
  caFile: string;
  serverKey: string;
  serverCert: string;
  /** Removes the temporary folder that holds caFile. */
  dispose(): Promise<void>;
}

/** CA folders not yet disposed; removed at exit if a caller forgot close(). */
const pending = new Set<string>();
let exitHookInstalled = false;

function removeAtExit(dir: string): void {
  pending.add(dir);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const d of pending) rmSync(d, { recursive: true, force: true });
  });
}

export async function makeCertificates(): Promise<SimCertificates> {
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(Date.now() + 7 * 24 * 3600_000);
  // The CA's name is unique per start: two trusted CAs with one subject make OpenSSL
  // check a certificate against the wrong key ("certificate signature failure") when
  // two simulators run in one process.
  const issued = await issueThrowawayCertificates({
    caName: `entra2ad simulator CA ${randomUUID()}`,
    serverName: 'localhost',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1', '::1'],
    notBeforeDate,
    notAfterDate,
  });
  const dir = await mkdtemp(join(tmpdir(), 'entra2ad-sim-'));
  const caFile = join(dir, 'ca.pem');
  await writeFile(caFile, issued.caPem, { mode: 0o644 });
  removeAtExit(dir);
  return {
    caPem: issued.caPem,
    caFile,
    serverKey: issued.serverKey,
    serverCert: issued.serverCert,
    dispose: async () => {
      pending.delete(dir);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
