/**
 * Helpers for integration tests that talk to the harness DC.
 *
 *   const dc = dcInfo();
 *   const ou = useTestOu();            // OU=t-<random>,<baseDn>, made before and removed after this file
 *   await using dir = await connectDirectory();
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client, Control } from 'ldapts';
import { afterAll, beforeAll, inject } from 'vitest';
import { childDn, connect, type Directory, type DirectoryConnectionOptions } from '../../src/directory/index.js';
import { isSambaInstalled, startSambaDc, type SambaDc } from '../../src/lab/index.js';
import type { RunningSimulator } from '../../src/sim/index.js';
import type { DcInfo } from './dc-info.js';

export type { DcInfo } from './dc-info.js';

export function dcInfo(): DcInfo {
  const dc = inject('dc');
  if (!dc) throw new Error('no DC injected: run integration tests with `vitest --project integration` (test/harness/global-setup.ts)');
  return dc;
}

/**
 * Sign-in flags and environment for running the CLI against a simulator and the
 * harness DC, as an admin would type them (secrets in the environment, never in
 * flags). A DC known only by its CA PEM gets it written to `workDir`.
 */
export async function cliConnection(sim: RunningSimulator, workDir: string, dc: DcInfo = dcInfo()): Promise<{ flags: string[]; env: Record<string, string> }> {
  let ldapCaFile = dc.caFile;
  if (ldapCaFile === undefined && dc.caPem !== undefined) {
    ldapCaFile = join(workDir, 'dc-ca.pem');
    await writeFile(ldapCaFile, dc.caPem);
  }
  // prettier-ignore
  const flags = [
    '--tenant-id', sim.tenantId,
    '--client-id', sim.clientId,
    '--graph-url', sim.url,
    '--authority-host', sim.authorityHost,
    '--graph-ca-file', sim.caFile,
    '--ldap-url', dc.url,
    '--bind-dn', dc.bindDn,
    ...(ldapCaFile ? ['--ldap-ca-file', ldapCaFile] : []),
    ...(dc.servername ? ['--ldap-servername', dc.servername] : []),
  ];
  return { flags, env: { AZURE_CLIENT_SECRET: sim.clientSecret, ENTRA2AD_BIND_PASSWORD: dc.bindPassword } };
}

/** Verified-TLS connection options for the harness DC, with overrides. */
export function connectionOptions(overrides: Partial<DirectoryConnectionOptions> = {}): DirectoryConnectionOptions {
  const dc = dcInfo();
  return {
    url: dc.url,
    bindDn: dc.bindDn,
    bindPassword: dc.bindPassword,
    ...(dc.caPem !== undefined ? { ca: dc.caPem } : {}),
    ...(dc.servername !== undefined ? { servername: dc.servername } : {}),
    ...overrides,
  };
}

export function connectDirectory(overrides: Partial<DirectoryConnectionOptions> = {}): Promise<Directory> {
  return connect(connectionOptions(overrides));
}

/** A short random tag for names: lower-case hex. */
export function uniqueSuffix(bytes = 4): string {
  return randomBytes(bytes).toString('hex');
}

/** AD's Tree Delete control ([MS-ADTS] 3.1.1.3.4.1.15): delete an entry with everything below it. */
const TREE_DELETE = '1.2.840.113556.1.4.805';

/** A plain ldapts client (verified TLS) of the harness DC or of `dc`, not bound: for what bypasses our adapter. */
export function plainLdapClient(dc: Pick<DcInfo, 'url' | 'caPem' | 'servername'> = dcInfo()): Client {
  return new Client({ url: dc.url, tlsOptions: { ...(dc.caPem ? { ca: dc.caPem } : {}), ...(dc.servername ? { servername: dc.servername } : {}) } });
}

/** Deletes `dn` and its subtree (for test cleanup only). Missing is fine. */
export async function deleteTree(dn: string): Promise<void> {
  const dc = dcInfo();
  const client = plainLdapClient(dc);
  try {
    await client.bind(dc.bindDn, dc.bindPassword);
    await client.del(dn, new Control(TREE_DELETE, { critical: true }));
  } catch (error) {
    if ((error as { code?: unknown }).code !== 32) throw error; // 32: no such object
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

/** Every entry under `base` (the base included), read with a plain ldapts client; [] when `base` does not exist. */
export async function entriesUnder(base: string, filter = '(objectClass=*)', attributes: string[] = ['dn']): Promise<Array<Record<string, unknown>>> {
  const dc = dcInfo();
  const client = plainLdapClient(dc);
  try {
    await client.bind(dc.bindDn, dc.bindPassword);
    const { searchEntries } = await client.search(base, { scope: 'sub', filter, attributes });
    return searchEntries as Array<Record<string, unknown>>;
  } catch (error) {
    if ((error as { code?: unknown }).code === 32) return []; // no such object
    throw error;
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

/** How many users anywhere in the harness domain have this UPN. */
export async function usersWithUpn(upn: string): Promise<number> {
  return (await entriesUnder(dcInfo().baseDn, `(userPrincipalName=${upn})`)).length;
}

/**
 * Registers beforeAll/afterAll in the calling test file: a fresh OU
 * `OU=t-<random>,<baseDn>` exists for the file's tests and is deleted
 * (with everything in it) afterwards. Returns a holder filled in beforeAll.
 */
export function useTestOu(): { readonly dn: string } {
  const holder = { dn: '' };
  beforeAll(async () => {
    const dn = childDn(dcInfo().baseDn, 'OU', `t-${uniqueSuffix()}`);
    await using dir = await connectDirectory();
    await dir.ensureOu(dn);
    holder.dn = dn;
  });
  afterAll(async () => {
    if (holder.dn) await deleteTree(holder.dn);
  });
  return holder;
}

// ---------------------------------------------------------------- a DC of the test's own, to restart

/**
 * A lab Samba DC for one test file, which the test may stop and start again on
 * the same address (SambaDc.stopProcess / resumeProcess / restart): the shared
 * harness DC cannot be restarted under the other files. Needs what the harness'
 * own Samba DC needs (root, Samba); `ownDcUnavailable()` says why not, for a
 * skip that names its reason.
 */
export function ownDcUnavailable(): string | undefined {
  if (!isSambaInstalled()) return 'Samba is not installed (a DC restart needs a lab DC of its own)';
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'not root (a lab DC of its own needs root)';
  return undefined;
}

export async function startOwnDc(): Promise<SambaDc> {
  return startSambaDc();
}
