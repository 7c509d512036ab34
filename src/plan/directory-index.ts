/**
 * The directory snapshot indexed by every name a new or adopted user can collide
 * with (pure): UPN, sAMAccountName, SMTP address, DN, and CN under a parent.
 *
 * The planner asks it what is taken; apply's drift check (src/apply/drift.ts) asks it
 * the same questions again before writing, so "taken" means the same thing in both.
 *
 * What is unique where (so what is looked up where):
 * - sAMAccountName: in the domain, case-insensitively ([MS-SAMR] 3.1.1.6 "Attribute
 *   Constraints for Originating Updates").
 * - userPrincipalName: in the forest, on DCs at the Windows Server 2012 R2 functional
 *   level or later ([MS-ADTS] 3.1.1.5.1.3 "Uniqueness Constraints"); the snapshot holds
 *   the domain's objects (src/directory/snapshot.ts).
 * - CN: among one parent's children only, compared ignoring case, width and kana
 *   type (src/plan/names/cn.ts, cnKey).
 * When a snapshot holds a name twice anyway, the first object read is its holder.
 */
import type { DirectoryObject, DirectorySnapshot } from '../directory/types.js';
import { dnKeyOrText, parentDnOrEmpty, rdnValue, tryParseDn } from '../directory/dn.js';
import { cnKey } from './names/cn.js';
import { smtpAddressKey } from './proxy-addresses.js';

/**
 * A user account: objectClass user but not computer (computer is a subclass of user,
 * [MS-ADSC] "Class computer"). Contacts, groups and computers holding a UPN are not
 * people the plan may adopt.
 */
export function isUserObject(o: DirectoryObject): boolean {
  const classes = o.objectClass.map((c) => c.toLowerCase());
  return classes.includes('user') && !classes.includes('computer');
}

export class DirectoryIndex {
  /** Lower-case UPN -> first holder. */
  private readonly upns = new Map<string, DirectoryObject>();
  /** Lower-case sAMAccountName -> first holder. */
  private readonly sams = new Map<string, DirectoryObject>();
  /** dnKeyOrText -> object (only objects the snapshot holds: those with a name we can collide with). */
  private readonly dns = new Map<string, DirectoryObject>();
  /** Lower-case SMTP address (mail, or an smtp: proxy address) -> every object holding it, in snapshot order. */
  private readonly smtp = new Map<string, DirectoryObject[]>();
  private readonly targetOuKey: string;
  /** cnKey of the target OU's children (read in full, not only those in `objects`). */
  private readonly targetCns: Set<string>;
  /** dnKeyOrText of a parent -> the CNs of the snapshot's objects under it; built on first use (recovery in place only). */
  private cnsByParent: Map<string, string[]> | undefined;

  constructor(private readonly snapshot: DirectorySnapshot) {
    for (const o of snapshot.objects) {
      if (o.sAMAccountName && !this.sams.has(o.sAMAccountName.toLowerCase())) this.sams.set(o.sAMAccountName.toLowerCase(), o);
      this.dns.set(dnKeyOrText(o.dn), o);
      if (o.userPrincipalName) {
        const k = o.userPrincipalName.toLowerCase();
        if (!this.upns.has(k)) this.upns.set(k, o);
      }
      if (o.mail) this.addSmtp(o.mail.trim().toLowerCase(), o);
      for (const p of o.proxyAddresses ?? []) {
        const k = smtpAddressKey(p);
        if (k) this.addSmtp(k, o);
      }
    }
    this.targetOuKey = dnKeyOrText(snapshot.targetOu);
    this.targetCns = new Set(snapshot.cnsInTargetOu.map(cnKey));
  }

  private addSmtp(address: string, o: DirectoryObject): void {
    const list = this.smtp.get(address);
    if (!list) this.smtp.set(address, [o]);
    else if (!list.includes(o)) list.push(o);
  }

  /** The object with this userPrincipalName (any case), whatever its class. */
  byUpn(upn: string): DirectoryObject | undefined {
    return this.upns.get(upn.toLowerCase());
  }

  /** The object with this sAMAccountName (any case). */
  bySam(sAMAccountName: string): DirectoryObject | undefined {
    return this.sams.get(sAMAccountName.toLowerCase());
  }

  /** The object at this DN (compared as dnKey). */
  byDn(dn: string): DirectoryObject | undefined {
    return this.dns.get(dnKeyOrText(dn));
  }

  /** Every object whose mail or smtp: proxy address is this one; `address` is an smtpAddressKey. */
  smtpHolders(address: string): readonly DirectoryObject[] {
    return this.smtp.get(address) ?? [];
  }

  /** Every sAMAccountName in the snapshot, lower-cased (what a new one must differ from). */
  samAccountNames(): Iterable<string> {
    return this.sams.keys();
  }

  /** True when a child of the target OU has this CN (as AD compares RDNs, cnKey). */
  isCnTakenInTargetOu(cn: string): boolean {
    return this.targetCns.has(cnKey(cn));
  }

  /**
   * Who holds this DN now: the snapshot's object there, or, in the target OU (whose
   * children are known by CN only), the DN itself when its CN is taken.
   */
  dnHolder(dn: string): string | undefined {
    const holder = this.byDn(dn)?.dn;
    if (holder !== undefined) return holder;
    return dnKeyOrText(parentDnOrEmpty(dn)) === this.targetOuKey && this.isCnTakenInTargetOu(rdnValue(dn)) ? dn : undefined;
  }

  /** The CNs a new child of `parentDn` must differ from: the target OU's children, or the snapshot's objects under another parent. */
  cnsUnder(parentDn: string): readonly string[] {
    const key = dnKeyOrText(parentDn);
    if (key === this.targetOuKey) return this.snapshot.cnsInTargetOu;
    if (!this.cnsByParent) {
      this.cnsByParent = new Map();
      for (const o of this.snapshot.objects) {
        const rdns = tryParseDn(o.dn);
        if (!rdns || rdns.length < 2 || rdns[0]!.type.toUpperCase() !== 'CN') continue;
        const parent = dnKeyOrText(parentDnOrEmpty(o.dn));
        const list = this.cnsByParent.get(parent);
        if (list) list.push(rdns[0]!.value);
        else this.cnsByParent.set(parent, [rdns[0]!.value]);
      }
    }
    return this.cnsByParent.get(key) ?? [];
  }
}
