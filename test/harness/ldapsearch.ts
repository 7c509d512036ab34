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
