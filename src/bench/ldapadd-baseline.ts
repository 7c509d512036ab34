/**
 * The baseline: OpenLDAP's `ldapadd -c` importing the same users as an LDIF
 * file, over LDAPS, with their passwords, into a fresh OU of the same DC:
 *
 *   LDAPTLS_CACERT=<ca> ldapadd -H <url> -x -D <bindDn> -y <pwfile> -c -f users.ldif
 *
 * Each record is the plan's create entry with the attributes apply sends, plus
 * unicodePwd:: base64(UTF-16LE of "\"password\""), userAccountControl 512 and
 * (as apply does with mustChangePassword) pwdLastSet 0, and `manager` as apply sets
 * it in the add (records in apply's order, managers first; measured: the links do not
 * change ldapadd's rate, 52.8 s with them against 52.5-58.8 s without). The DC enforces unique
 * sAMAccountName and userPrincipalName domain-wide, and the plan's users are
 * created again by apply on the same DC, so the baseline's copies carry
 * prefixed names and addresses (`bl<n>.`): the same attributes and sizes,
 * different values.
 *
 * The benchmark imports twice, before and after the apply, each into its own OU
 * (prefixes `bl` and `bm`): an add costs the DC more as its database grows, so a
 * baseline run only before the apply would be measured on a smaller database than
 * the apply. The apply is compared with the mean of the two.
 */
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { childDn } from '../directory/dn.js';
import { UAC } from '../directory/uac.js';
import type { Plan, PlanEntry } from '../plan/types.js';
import { managersFirst } from '../apply/manager-order.js';
import { ensureOuRecords } from '../report/plan-ldif.js';
import { ldifAddRecord, type LdifValue } from '../report/ldif.js';

export interface LdapTarget {
  url: string;
  bindDn: string;
  bindPassword: string;
  caFile: string;
}

export interface BaselineResult {
  users: number;
  added: number;
  failed: number;
  wallMs: number;
  usersPerSecond: number;
  exitCode: number;
  /** First few errors ldapadd printed. */
  errors: string[];
}

export function baselinePassword(index: number): string {
  return `Bl-${index.toString(36)}-Qx7#pw${(index * 7919).toString(36)}`;
}

function renameAddress(value: string, tag: string): string {
  const prefixed = /^([a-z0-9]+:)(.*)$/i.exec(value);
  return prefixed ? `${prefixed[1]}${tag}.${prefixed[2]}` : `${tag}.${value}`;
}

/** The LDIF of the plan's create entries under `ou`, with passwords; `prefix` keeps each import's names apart. */
export function baselineLdif(plan: Plan, ou: string, prefix = 'bl'): { ldif: string; users: number } {
  // Managers before their reports, as apply orders them, so each record can carry `manager`
  // like apply's add does: a copy's manager is the manager's copy in the same OU, or the
  // adopted AD user itself.
  const creates = managersFirst(plan.entries).filter((e) => e.action === 'create' && e.cn && e.attributes);
  const byId = new Map(plan.entries.map((e) => [e.cloudId, e]));
  const managerDnOf = (entry: PlanEntry): string | undefined => {
    const manager = entry.managerCloudId ? byId.get(entry.managerCloudId) : undefined;
    if (manager?.action === 'create' && manager.cn) return childDn(ou, 'CN', manager.cn);
    if (manager?.action === 'adopt') return manager.dn;
    return undefined;
  };
  const records = creates.map((entry, i) => {
    const tag = `${prefix}${i}`;
    const attrs: [string, LdifValue | LdifValue[]][] = [
      ['objectClass', ['top', 'person', 'organizationalPerson', 'user']],
      ['cn', entry.cn as string],
      ['sAMAccountName', `${tag}x${(entry.sAMAccountName ?? '').slice(0, 20 - tag.length - 1)}`],
    ];
    for (const [attr, value] of Object.entries(entry.attributes ?? {})) {
      const values = (Array.isArray(value) ? value : [value]).filter((v) => v !== '');
      if (values.length === 0) continue;
      const lower = attr.toLowerCase();
      if (lower === 'userprincipalname' || lower === 'mail' || lower === 'proxyaddresses') {
        attrs.push([attr, values.map((v) => renameAddress(v, tag))]);
      } else {
        attrs.push([attr, values]);
      }
    }
    attrs.push(['unicodePwd', Buffer.from(`"${baselinePassword(i)}"`, 'utf16le')]);
    attrs.push(['userAccountControl', String(UAC.NORMAL_ACCOUNT)]);
    if (entry.mustChangePassword) attrs.push(['pwdLastSet', '0']);
    const managerDn = managerDnOf(entry);
    if (managerDn) attrs.push(['manager', managerDn]);
    return ldifAddRecord(childDn(ou, 'CN', entry.cn as string), attrs);
  });
  return { ldif: `version: 1\n\n${records.join('\n\n')}\n`, users: creates.length };
}

export async function createOu(target: LdapTarget, ou: string, workDir: string): Promise<void> {
  const file = join(workDir, 'baseline-ou.ldif');
  await writeFile(file, `version: 1\n\n${ensureOuRecords(ou).join('\n\n')}\n`);
  const result = await ldapadd(target, file, workDir);
  if (result.exitCode !== 0) throw new Error(`ldapadd of the baseline OU ${ou} failed (${result.exitCode}): ${result.errors.join('; ')}`);
}

export async function runBaseline(target: LdapTarget, plan: Plan, ou: string, workDir: string, prefix = 'bl'): Promise<BaselineResult> {
  const { ldif, users } = baselineLdif(plan, ou, prefix);
  const file = join(workDir, 'baseline-users.ldif');
  await writeFile(file, ldif, { mode: 0o600 });
  const run = await ldapadd(target, file, workDir);
  return {
    users,
    added: run.added,
    failed: users - run.added,
    wallMs: run.wallMs,
    usersPerSecond: run.added / (run.wallMs / 1000),
    exitCode: run.exitCode,
    errors: run.errors.slice(0, 5),
  };
}

async function ldapadd(target: LdapTarget, file: string, workDir: string): Promise<{ exitCode: number; wallMs: number; added: number; errors: string[] }> {
  const pwFile = join(workDir, 'bind-password');
  // -y reads the whole file as the password: no trailing newline.
  await writeFile(pwFile, target.bindPassword, { mode: 0o600 });
  const started = performance.now();
  const child = spawn('ldapadd', ['-H', target.url, '-x', '-D', target.bindDn, '-y', pwFile, '-c', '-f', file], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LDAPTLS_CACERT: target.caFile, LDAPTLS_REQCERT: 'demand' },
  });
  let added = 0;
  let pendingAdd = false;
  const errors: string[] = [];
  // ldapadd prints `adding new entry "DN"` before each add and an error block after a failed one.
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.startsWith('adding new entry')) {
      if (pendingAdd) added++;
      pendingAdd = true;
    }
  });
  let failedAdds = 0;
  createInterface({ input: child.stderr }).on('line', (line) => {
    if (/^ldap_add: /.test(line)) failedAdds++;
    if (line.trim() !== '' && errors.length < 20) errors.push(line.trim());
  });
  const exitCode = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code ?? 1));
  });
  const wallMs = performance.now() - started;
  if (pendingAdd) added++;
  return { exitCode, wallMs, added: added - failedAdds, errors };
}
