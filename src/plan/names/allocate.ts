/**
 * The names of the users a plan creates (pure): a sAMAccountName unique in the
 * domain (sam-account-name.ts) and a CN unique under its parent (cn.ts), against
 * - what the directory holds (src/plan/directory-index.ts),
 * - the old names the users recovered in place keep (src/plan/recovery-names.ts),
 *   whichever user comes first in planning order (`keep`, before any `allocate`), and
 * - the names already handed out: one NameAllocator per plan, fed the users in
 *   planning order, so the same inputs give the same names.
 */
import type { GraphUser } from '../../graph/user.js';
import { childDn, dnKeyOrText } from '../../directory/dn.js';
import type { DirectoryIndex } from '../directory-index.js';
import type { PlannedIdentity } from '../recovery-names.js';
import type { PlanSettings } from '../settings.js';
import type { PlanWarning } from '../types.js';
import { CnAllocator } from './cn.js';
import { SamAccountNameAllocator, samPart } from './sam-account-name.js';
import { parseTemplate, renderTemplate, type ParsedTemplate, type TemplateContext } from './templates.js';

export type NamingSettings = Pick<PlanSettings, 'targetOu' | 'samTemplates' | 'cnTemplate' | 'cnFallbackTemplates' | 'transliterationLocale'>;

export interface AllocatedNames {
  sAMAccountName: string;
  cn: string;
  /** The parent the user goes to: its old OU (recovery in place) or the target OU. */
  parentDn: string;
  dn: string;
  /** WARN_SAM_FALLBACK / WARN_SAM_SUFFIXED, WARN_CN_SUFFIXED / WARN_CN_TRUNCATED, WARN_RECOVER_RENAMED, in that order. */
  warnings: PlanWarning[];
}

export class NameAllocator {
  private readonly samTemplates: ParsedTemplate[];
  private readonly cnTemplates: ParsedTemplate[];
  private readonly locale: string | undefined;
  private readonly targetOu: string;
  private readonly sams: SamAccountNameAllocator;
  /** dnKeyOrText of a parent -> its CN allocator, made on first use. */
  private readonly cnAllocators = new Map<string, CnAllocator>();

  /**
   * The templates are parsed here, so a template that does not parse fails before
   * any user is planned.
   * @param index the directory, or null when planned without reading it (names are then unique only within the plan)
   */
  constructor(
    settings: NamingSettings,
    private readonly index: DirectoryIndex | null,
  ) {
    this.samTemplates = settings.samTemplates.map((t) => parseTemplate(t));
    this.cnTemplates = [settings.cnTemplate, ...settings.cnFallbackTemplates].map((t) => parseTemplate(t));
    this.locale = settings.transliterationLocale;
    this.targetOu = settings.targetOu;
    this.sams = new SamAccountNameAllocator(index?.samAccountNames() ?? []);
  }

  /**
   * The old names a user recovered in place keeps (as RecoveryNamer planned them):
   * never handed to anyone else, whichever user comes first in planning order.
   */
  keep(identity: PlannedIdentity): void {
    if (identity.sAMAccountName !== undefined) this.sams.reserve(identity.sAMAccountName);
    if (identity.parentDn !== undefined && identity.cn !== undefined) this.cnsUnder(identity.parentDn).reserve(identity.cn);
  }

  /**
   * The user's names: from the templates (rendered with `context`), or the old ones
   * `identity` keeps (recovery in place).
   */
  allocate(user: Pick<GraphUser, 'id'>, context: TemplateContext, identity?: PlannedIdentity): AllocatedNames {
    const warnings: PlanWarning[] = [];
    const locale = this.locale;
    // Each variable's value transliterated once per user, however many templates use it.
    const memo = new Map<string, string>();
    const samTransform = (v: string): string => {
      let r = memo.get(v);
      if (r === undefined) {
        r = samPart(v, locale);
        memo.set(v, r);
      }
      return r;
    };
    const sam =
      identity?.sAMAccountName !== undefined
        ? { sAMAccountName: identity.sAMAccountName, source: 'old' as const }
        : this.sams.allocate(
            this.samTemplates.map((t) => renderTemplate(t, context, samTransform)),
            user.id,
            locale,
          );
    if (sam.source === 'fallback')
      warnings.push({
        code: 'WARN_SAM_FALLBACK',
        field: 'sAMAccountName',
        message: `no template gave a usable name; ${sam.sAMAccountName} was derived from the cloud id`,
      });
    else if (sam.source === 'suffix')
      warnings.push({
        code: 'WARN_SAM_SUFFIXED',
        field: 'sAMAccountName',
        message: `every template's name was taken; ${sam.sAMAccountName} has a numeric suffix`,
      });
    const parent = identity?.parentDn ?? this.targetOu;
    const cn =
      identity?.cn !== undefined
        ? { cn: identity.cn, suffixed: false, truncated: false }
        : this.cnsUnder(parent).allocate(
            this.cnTemplates.map((t) => renderTemplate(t, context)),
            user.id,
          );
    if (cn.suffixed) warnings.push({ code: 'WARN_CN_SUFFIXED', field: 'cn', message: `the name was taken in the OU; CN is "${cn.cn}"` });
    else if (cn.truncated) warnings.push({ code: 'WARN_CN_TRUNCATED', field: 'cn', message: `CN cut to "${cn.cn}"` });
    if (identity && identity.renamed.length > 0)
      warnings.push({ code: 'WARN_RECOVER_RENAMED', field: 'sAMAccountName', message: `not recreated under its old name: ${identity.renamed.join('; ')}` });
    return { sAMAccountName: sam.sAMAccountName, cn: cn.cn, parentDn: parent, dn: childDn(parent, 'CN', cn.cn), warnings };
  }

  /** The CN allocator of one parent, its existing children taken. */
  private cnsUnder(parentDn: string): CnAllocator {
    const key = dnKeyOrText(parentDn);
    let allocator = this.cnAllocators.get(key);
    if (!allocator) {
      allocator = new CnAllocator(this.index?.cnsUnder(parentDn) ?? []);
      this.cnAllocators.set(key, allocator);
    }
    return allocator;
  }
}
