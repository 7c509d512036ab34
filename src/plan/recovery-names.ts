/**
 * Recovery in place, against what is already there (pure): the old identity
 * (recovered-identity.ts) is kept only when it is free in the new domain and in the
 * rest of the plan. Otherwise the user is `blocked`, naming the holder and the fix;
 * renaming happens only with `plan.recover.onNameTaken: "rename"`, and the entry then
 * says what the old name was and why it changed. Nothing is renamed silently.
 *
 * One RecoveryNamer per planning pass, fed the users in planning order: the first
 * user to claim an old name keeps it (deterministic, like every other name).
 */
import { childDn, dnKeyOrText } from '../directory/dn.js';
import { withCnSuffix } from './names/cn.js';
import { oldIdentityOf, type OldIdentitySource } from './recovered-identity.js';
import type { RecoverySettings } from './settings.js';

/** Who holds a name in AD now (their DN), or undefined. */
export interface NameHolders {
  samHolder(sAMAccountName: string): string | undefined;
  dnHolder(dn: string): string | undefined;
}

export interface PlannedIdentity {
  /** Undefined: from the templates. */
  sAMAccountName?: string;
  /** Undefined: from the templates (made unique under parentDn). */
  cn?: string;
  /** Undefined: targetOu. */
  parentDn?: string;
  oldSamAccountName?: string;
  oldDn?: string;
  /** How the old parent was moved (`base DN ... -> ...`). */
  how?: string;
  /** What came from the templates because the cloud had nothing: RECOVER_TEMPLATE_FALLBACK. */
  fallbacks: string[];
  /** Sentences saying which old name changed and why (onNameTaken: rename). */
  renamed: string[];
}

export type RecoveryNaming =
  | { ok: true; identity: PlannedIdentity }
  | { ok: false; reason: 'BLOCKED_RECOVER_NAME_IN_USE' | 'BLOCKED_RECOVER_INVALID_OLD_NAME'; message: string };

type Who = OldIdentitySource & { userPrincipalName: string };

const RENAME_FIX = 'or set plan.recover.onNameTaken to "rename" to give it names from the templates (plan.csv then says the old name and why)';

export class RecoveryNamer {
  private readonly claimedSams = new Map<string, string>();
  private readonly claimedDns = new Map<string, string>();

  constructor(
    private readonly holders: NameHolders,
    private readonly targetDomainDn: string,
    private readonly settings: Omit<RecoverySettings, 'enabled' | 'placement'>,
  ) {}

  name(user: Who): RecoveryNaming {
    const rename = this.settings.onNameTaken === 'rename';
    const old = oldIdentityOf(user, this.targetDomainDn, this.settings.dnMap);
    const identity: PlannedIdentity = { fallbacks: old.fallbacks, renamed: [] };
    if (old.oldSamAccountName !== undefined) identity.oldSamAccountName = old.oldSamAccountName;
    if (old.oldDn !== undefined) identity.oldDn = old.oldDn;
    if (old.how !== undefined) identity.how = old.how;

    // Windows' rules: reported, never repaired (a repaired name is not the old name).
    const dnProblem = old.problems.find((p) => p.field === 'dn');
    if (dnProblem) {
      return { ok: false, reason: 'BLOCKED_RECOVER_INVALID_OLD_NAME', message: `The old DN ${dnProblem.value} ${dnProblem.problem}. Add a dnMap entry (--map-dn OLD=NEW) for it, or plan it with placement "target-ou", then plan again.` };
    }
    const invalid = old.problems.map((p) => `the old ${p.field === 'cn' ? 'CN' : p.field} "${p.value}" ${p.problem}`);
    if (invalid.length > 0 && !rename) {
      return {
        ok: false,
        reason: 'BLOCKED_RECOVER_INVALID_OLD_NAME',
        message: `Cannot be recreated under its old name: ${invalid.join('; ')} (Windows' rules; entra2ad does not change it quietly). Create that user by hand under a valid name, ${RENAME_FIX}.`,
      };
    }
    for (const text of invalid) identity.renamed.push(`${text}, so it comes from the templates (onNameTaken: rename)`);

    // Taken in AD, or by an earlier user of this plan?
    const taken: string[] = [];
    if (old.sAMAccountName !== undefined) {
      const holder = this.holders.samHolder(old.sAMAccountName) ?? planned(this.claimedSams.get(old.sAMAccountName.toLowerCase()));
      if (holder) {
        taken.push(`its old sAMAccountName ${old.sAMAccountName} is held by ${holder}`);
        if (rename) identity.renamed.push(`the old sAMAccountName ${old.sAMAccountName} is held by ${holder}, so it comes from the templates (onNameTaken: rename)`);
      } else identity.sAMAccountName = old.sAMAccountName;
    }
    if (old.parentDn !== undefined) {
      identity.parentDn = old.parentDn;
      if (old.cn !== undefined) {
        const dn = childDn(old.parentDn, 'CN', old.cn);
        const holder = this.dnHolder(dn);
        if (!holder) identity.cn = old.cn;
        else {
          taken.push(`its old DN ${dn} is held by ${holder}`);
          if (rename) {
            const cn = this.freeCn(old.parentDn, old.cn);
            identity.cn = cn;
            identity.renamed.push(`the DN ${dn} is held by ${holder}, so the CN is "${cn}" (onNameTaken: rename)`);
          }
        }
      }
    }
    if (taken.length > 0 && !rename) {
      return {
        ok: false,
        reason: 'BLOCKED_RECOVER_NAME_IN_USE',
        message:
          `Cannot be recreated under its old name: ${taken.join('; ')}. If that object is this same user (restored or recreated by hand), set its ` +
          `mS-DS-ConsistencyGuid to the cloud user's immutableId and plan again (it is then adopted); else rename or remove that object, ${RENAME_FIX}.`,
      };
    }
    if (identity.sAMAccountName !== undefined) this.claimedSams.set(identity.sAMAccountName.toLowerCase(), user.userPrincipalName);
    if (identity.parentDn !== undefined && identity.cn !== undefined) this.claimedDns.set(dnKeyOrText(childDn(identity.parentDn, 'CN', identity.cn)), user.userPrincipalName);
    return { ok: true, identity };
  }

  private dnHolder(dn: string): string | undefined {
    return this.holders.dnHolder(dn) ?? planned(this.claimedDns.get(dnKeyOrText(dn)));
  }

  private freeCn(parentDn: string, cn: string): string {
    for (let n = 2; ; n++) {
      const candidate = withCnSuffix(cn, n);
      if (!this.dnHolder(childDn(parentDn, 'CN', candidate))) return candidate;
    }
  }
}

const planned = (upn: string | undefined): string | undefined => (upn === undefined ? undefined : `${upn} (planned earlier in this plan)`);
