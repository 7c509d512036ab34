/**
 * An independent LDAP client for cross-checks: OpenLDAP's `ldapsearch`
 * (package ldap-utils), run against the harness DC.
 *
 * TLS: `LDAPTLS_CACERT` names the CA. ldapsearch has no option to verify
 * against another name than the URL's host; the lab DC's certificate names
 * its IP address (src/lab/lab-tls.ts), so verification is full. For DCs whose
 * certificate names only a host (Docker image, or an external DC reached with
 * a servername), the check runs with `LDAPTLS_REQCERT=allow` (encrypted, the
 * certificate not verified): the adapter's own connection stays verified.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TenantSnapshot } from '../../src/graph/tenant-snapshot.js';
import { dcInfo, type DcInfo } from './dc.js';

export interface LdapsearchResult {
  stdout: string;
  /** Whether the DC's certificate was verified by ldapsearch. */
  verified: boolean;
}

/** `ldapsearch -x -D <bind> -y <pwfile> -b <base> -s <scope> <attrs>`; the password only ever goes to a 0600 file. */
export async function ldapsearch(base: string, scope: 'base' | 'one' | 'sub', attributes: string[], dc: DcInfo = dcInfo()): Promise<LdapsearchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'e2a-ldapsearch-'));
  try {
    const pwFile = join(dir, 'pw');
    await writeFile(pwFile, dc.bindPassword, { mode: 0o600 });
    const env: NodeJS.ProcessEnv = { ...process.env, LDAPTLS_REQCERT: 'demand' };
    if (dc.caPem !== undefined) {
      const caFile = dc.caFile ?? join(dir, 'ca.pem');
      if (dc.caFile === undefined) await writeFile(caFile, dc.caPem);
      env.LDAPTLS_CACERT = caFile;
    }
    const verified = dc.urlHostVerifiable;
    if (!verified) env.LDAPTLS_REQCERT = 'allow';
    const args = ['-H', dc.url, '-x', '-D', dc.bindDn, '-y', pwFile, '-b', base, '-s', scope, '-o', 'ldif-wrap=no', '-LLL', ...attributes];
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile('ldapsearch', args, { env, timeout: 30_000 }, (error, out, err) => {
        if (error) reject(new Error(`ldapsearch failed (${error.code}): ${err.trim()} (install ldap-utils if missing)`));
        else resolve(out);
      });
    });
    return { stdout, verified };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The values of `attribute` in LDIF output; `attr:: base64` values are returned as their base64 text with `base64: true`. */
export function ldifValues(ldif: string, attribute: string): Array<{ value: string; base64: boolean }> {
  const out: Array<{ value: string; base64: boolean }> = [];
  const pattern = new RegExp(`^${attribute}(::?) ?(.*)$`, 'gim');
  for (const match of ldif.matchAll(pattern)) out.push({ value: match[2]!.trim(), base64: match[1] === '::' });
  return out;
}

// ---------------------------------------------------------------- LDIF parsed, and the read-backs of the CLI tests

export interface LdifValue {
  /** Decoded text (base64 values decoded as UTF-8). */
  text: string;
  /** The value as printed: the base64 text for `attr::` lines. */
  raw: string;
  base64: boolean;
}

export interface LdifEntry {
  dn: string;
  /** Lower-case attribute name -> values. */
  attributes: Map<string, LdifValue[]>;
}

export function parseLdif(ldif: string): LdifEntry[] {
  const entries: LdifEntry[] = [];
  for (const block of ldif.split(/\n\s*\n/)) {
    const lines = block.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#'));
    if (lines.length === 0) continue;
    let dn = '';
    const attributes = new Map<string, LdifValue[]>();
    for (const line of lines) {
      const match = /^([A-Za-z0-9;-]+)(::?)\s?(.*)$/.exec(line);
      if (!match) throw new Error(`unexpected LDIF line: ${line}`);
      const [, name, sep, rest] = match as unknown as [string, string, string, string];
      const base64 = sep === '::';
      const value: LdifValue = { raw: rest, base64, text: base64 ? Buffer.from(rest, 'base64').toString('utf8') : rest };
      if (name.toLowerCase() === 'dn') dn = value.text;
      else attributes.set(name.toLowerCase(), [...(attributes.get(name.toLowerCase()) ?? []), value]);
    }
    entries.push({ dn, attributes });
  }
  return entries;
}

/**
 * `ldapsearch` (OpenLDAP, not our adapter) below `base`. ldapsearch takes its
 * first non-option argument as the filter when it starts with "(", so the
 * harness helper's attribute list carries it.
 */
export async function searchAd(base: string, filter: string, attributes: string[]): Promise<LdifEntry[]> {
  try {
    const { stdout } = await ldapsearch(base, 'sub', [filter, ...attributes]);
    return parseLdif(stdout);
  } catch (error) {
    // 32 no such object: the OU was never created.
    if (/\(32\)|No such object/i.test((error as Error).message)) return [];
    throw error;
  }
}

export const USER_ATTRIBUTES = [
  'objectGUID', 'userPrincipalName', 'sAMAccountName', 'cn', 'givenName', 'sn', 'displayName', 'mail', 'proxyAddresses',
  'title', 'department', 'company', 'manager', 'userAccountControl', 'pwdLastSet', 'whenChanged', 'uSNChanged', '*',
];

/** Every user object under `ou`, by lower-case UPN (an array: more than one would be a duplicate). */
export async function usersInOu(ou: string): Promise<Map<string, LdifEntry[]>> {
  const entries = await searchAd(ou, '(&(objectClass=user)(!(objectClass=computer)))', USER_ATTRIBUTES);
  const byUpn = new Map<string, LdifEntry[]>();
  for (const entry of entries) {
    const upn = first(entry, 'userPrincipalName')?.toLowerCase() ?? `(no upn) ${entry.dn}`;
    byUpn.set(upn, [...(byUpn.get(upn) ?? []), entry]);
  }
  return byUpn;
}

/** How many objects in the WHOLE domain carry each of these UPNs (catches a copy made outside the OU, too). */
export async function countUpnsInDomain(upns: Iterable<string>): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const upn of upns) counts.set(upn.toLowerCase(), 0);
  const entries = await searchAd(dcInfo().baseDn, '(userPrincipalName=*)', ['userPrincipalName']);
  for (const entry of entries) {
    const upn = first(entry, 'userPrincipalName')?.toLowerCase();
    if (upn !== undefined && counts.has(upn)) counts.set(upn, (counts.get(upn) ?? 0) + 1);
  }
  return counts;
}

export function values(entry: LdifEntry, attribute: string): string[] {
  return (entry.attributes.get(attribute.toLowerCase()) ?? []).map((v) => v.text);
}

export function first(entry: LdifEntry, attribute: string): string | undefined {
  return values(entry, attribute)[0];
}

/** objectGUID exactly as ldapsearch prints it: `objectGUID:: <base64>`. */
export function printedObjectGuid(entry: LdifEntry): string {
  const [guid] = entry.attributes.get('objectguid') ?? [];
  if (!guid?.base64) throw new Error(`${entry.dn}: ldapsearch printed no binary objectGUID`);
  return guid.raw;
}

/** Fails early, with the reason, when AD still holds objects with the tenant's UPNs (a leftover of another run). */
export async function assertUpnsFree(tenant: TenantSnapshot): Promise<void> {
  const counts = await countUpnsInDomain(tenant.users.map((u) => u.userPrincipalName));
  const taken = [...counts].filter(([, n]) => n > 0).map(([upn]) => upn);
  if (taken.length > 0) {
    throw new Error(`the harness DC already holds ${taken.length} of the sample tenant's UPNs (${taken.slice(0, 3).join(', ')}...): a leftover of an earlier test`);
  }
}
