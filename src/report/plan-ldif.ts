/**
 * plan.ldif: the `create` entries of a plan as RFC 2849 change records, for admins
 * who review with, or import through, their own tools (ldifde, ldapadd).
 *
 * - `version: 1`, then the target OU's add record when the plan says it does not
 *   exist (`ensureOuRecords`), then one `changetype: add` per create entry, a
 *   recovered user's missing old OUs (`ousToCreate`, top-down) right before it.
 * - objectClass user; userAccountControl 514 (disabled): no password is in the
 *   file, and AD refuses an enabled account without one. Apply sets the password and
 *   the final userAccountControl; an LDIF import leaves that to the admin.
 * - recovery entries carry `mS-DS-ConsistencyGuid::` (base64 of the 16 bytes, which
 *   is the cloud user's immutableId itself).
 * - manager is not included (a DN known only once the manager exists).
 * adopt/skip/blocked entries create nothing and are only counted in the header.
 */
import { guidToBytes, immutableIdToBytes } from '../anchor/index.js';
import { isGuidAttribute } from '../exchange/attributes.js';
import { tryParseDn } from '../directory/dn.js';
import { UAC_DISABLED_USER } from '../directory/uac.js';
import type { Plan, PlanEntry } from '../plan/types.js';
import { planChunks, type PlanFileFormat } from '../plan/plan-format.js';
import { ldifAddRecord, ldifComment, type LdifValue } from './ldif.js';

/** Add records for the OU (`OU=` -> organizationalUnit, `CN=` -> container). */
export function ensureOuRecords(ouDn: string): string[] {
  const rdn = tryParseDn(ouDn)?.[0];
  if (!rdn) throw new Error(`not a DN: ${ouDn}`);
  const type = rdn.type.toUpperCase();
  if (type === 'OU') return [ldifAddRecord(ouDn, [['objectClass', 'organizationalUnit'], ['ou', rdn.value]])];
  return [ldifAddRecord(ouDn, [['objectClass', 'container'], ['cn', rdn.value]])];
}

export function entryLdif(entry: PlanEntry): string {
  if (entry.action !== 'create' || !entry.dn || !entry.sAMAccountName || !entry.cn)
    throw new Error(`entry ${entry.userPrincipalName} is not a complete create entry`);
  const attrs: [string, LdifValue | LdifValue[]][] = [
    ['objectClass', 'user'],
    ['cn', entry.cn],
    ['sAMAccountName', entry.sAMAccountName],
  ];
  for (const [attr, value] of Object.entries(entry.attributes ?? {})) {
    if (attr === 'cn' || attr === 'sAMAccountName') continue;
    // msExchMailboxGuid / msExchArchiveGuid: plan.json keeps the GUID's string form; AD holds its 16 bytes.
    if (isGuidAttribute(attr)) attrs.push([attr, (Array.isArray(value) ? value : [value]).map((v) => guidToBytes(v))]);
    else attrs.push([attr, Array.isArray(value) ? [...value] : value]);
  }
  attrs.push(['userAccountControl', String(UAC_DISABLED_USER)]);
  if (entry.recoverConsistencyGuid) attrs.push(['mS-DS-ConsistencyGuid', immutableIdToBytes(entry.recoverConsistencyGuid)]);
  return ldifAddRecord(entry.dn, attrs);
}

export function planToLdif(plan: Plan): string {
  return [...planLdifChunks(plan)].join('');
}

/** plan.ldif piece by piece: the header counts every action, then one record per create entry. */
export const planLdifFormat: PlanFileFormat = {
  head: (head, counts) => {
    const lines = [
      'version: 1',
      ldifComment(`entra2ad ${head.tool.version} plan for tenant ${head.tenantId}, created ${head.createdAt}`),
      ldifComment(`${counts.create} user(s) to create; ${counts.adopt} adopt, ${counts.skip} skip, ${counts.blocked} blocked (not in this file)`),
      ldifComment('passwords are not included; accounts are created disabled'),
    ].join('\n');
    return head.targetOuExists === false ? [lines, ...ensureOuRecords(head.targetOu)].join('\n\n') : lines;
  },
  // A recovered user's missing old OUs (top-down, each once per plan) come right before it.
  entry: (entry) => (entry.action === 'create' ? [...(entry.ousToCreate ?? []).flatMap(ensureOuRecords), entryLdif(entry)].map((r) => `\n\n${r}`).join('') : ''),
  tail: () => '\n',
};

/** planToLdif one record at a time. */
export function planLdifChunks(plan: Plan): Generator<string> {
  return planChunks(planLdifFormat, plan);
}
