/**
 * buildPlan: cloud users (+ directory snapshot) -> the Plan, deterministically.
 *
 * Every input user ends in exactly ONE entry: create | adopt | skip | blocked, with a
 * stable reason code and a sentence. The same inputs give the same plan whatever the
 * order of `users`: users are processed sorted by (lower-case UPN, id), and names
 * are handed out in that order.
 *
 * Directory rules (only when a snapshot is given; else `directoryChecked: false` and
 * names are unique only within the plan):
 * - UPN already on an AD object:
 *   - a user (objectClass user, not computer), in ANY OU -> `adopt`
 *     (ADOPT_EXISTING_UPN): nothing is created; apply writes the object's anchor
 *     (mS-DS-ConsistencyGuid if set, else objectGUID) as onPremisesImmutableId.
 *     UPNs are forest-unique, so an AD user with the same UPN is the same person
 *     for Connect too: creating another is impossible, ignoring it would make Connect
 *     soft-match it anyway.
 *   - on the recovery path: adopt only when its mS-DS-ConsistencyGuid already equals
 *     the cloud immutableId (ADOPT_ALREADY_RECOVERED), else BLOCKED_RECOVER_UPN_IN_USE
 *     (we do not rewrite an existing object's anchor).
 *   - not a user (contact, computer, group, inetOrgPerson-less objects) ->
 *     BLOCKED_UPN_IN_USE_BY_NON_USER.
 * - the primary SMTP address on ANOTHER AD object's mail or proxyAddresses ->
 *   BLOCKED_PROXY_ADDRESS_IN_USE (Connect would report a duplicate attribute /
 *   InvalidSoftMatch). A secondary (smtp:) alias in use elsewhere is left out with a
 *   warning instead.
 * - sAMAccountName unique against every object's sAMAccountName; CN unique against
 *   the target OU's children (src/plan/names/allocate.ts hands them out; what is
 *   taken comes from src/plan/directory-index.ts).
 *
 * Guards (when `guards` is given; src/plan/guards.ts): after selection, a user Entra ID
 * would refuse to match (privileged role, previously synced object, federated domain)
 * is BLOCKED_* whatever the directory holds; the plan carries the tenant-level
 * findings and `tenantStop` when one forbids writing.
 *
 * Managers (when `managers` is given, read from Graph before planning): a create entry
 * links its manager only when the manager gets an AD object through this plan (create
 * or adopt), else WARN_MANAGER_NOT_IN_AD; the manager may come before or after it in
 * planning order.
 *
 * Performance: Maps/Sets only, one sort and two passes (decisions, then entries):
 * O(n log n). `planStream` yields the entries one at a time, so the plan command
 * writes them as they come and never holds all of them (100,000 entries are about
 * 110 MB of heap); `buildPlan` collects them for the callers that need the whole plan.
 */
import { guidToImmutableId, immutableIdToBytes } from '../anchor/index.js';
import type { GraphUser } from '../cloud/graph-user.js';
import type { DirectoryObject, DirectorySnapshot } from '../directory/types.js';
import { UsageError } from '../errors.js';
import { effectiveAttributeMap, type AttributeRule } from './attribute-map.js';
import { dnKeyOrText, parentDnOrEmpty, rdnValue, tryParseDn } from '../directory/dn.js';
import { DirectoryIndex, isUserObject } from './directory-index.js';
import { protectionOf } from '../directory/protection.js';
import { isDisabled } from '../directory/uac.js';
import { entryFingerprint, headFingerprints } from './fingerprint.js';
import { ousToCreate } from './ous-to-create.js';
import { cloudManagedMessage, sourceOfAuthorityCloud, FEATURE_OBJECT_IDENTIFIER_BYPASS, featureOn, guardUser, isCloudManaged, objectIdentifierOf, objectIdentifierStateOf, prepareGuards, tenantFindings, tenantStopOf, type PreparedGuards, type TenantGuards } from './guards.js';
import { effectiveExchangeSchema, isExchangeAttribute } from '../exchange/attributes.js';
import type { ExoCsv } from '../exchange/exo-csv.js';
import { planMailbox, type MailboxFact } from '../exchange/mailbox-attributes.js';
import { mapAttributes } from './map-attributes.js';
import { NameAllocator } from './names/allocate.js';
import { templateContext } from './names/templates.js';
import { normaliseProxyAddresses, smtpAddressKey } from './proxy-addresses.js';
import { RecoveryNamer, type PlannedIdentity } from './recovery-names.js';
import { actionOf, getsAdObject, WARNINGS, type ReasonCode } from './reasons.js';
import { scopeIndex, selectUser } from './select.js';
import type { PlanSettings } from './settings.js';
import type { Plan, PlanAction, PlanEntry, PlanEntryExchange, PlanSummary, PlanWarning } from './types.js';
import { validateUser } from './validate-user.js';

export interface BuildPlanInput {
  users: readonly GraphUser[];
  /** Absent: planned without reading AD (`directoryChecked: false`). */
  directory?: DirectorySnapshot;
  settings: PlanSettings;
  tenantId: string;
  now: Date;
  toolVersion: string;
  /**
   * What the tenant says about matching (roles, domains, sync blocks, object
   * identifiers): guarded users become `blocked`, and the plan carries the tenant
   * findings (and `tenantStop`). Absent: no guards (planned offline).
   */
  guards?: TenantGuards | PreparedGuards;
  /**
   * Managers read from Graph (cloud id -> manager's cloud id, null: none). Given, a
   * create entry links its manager only when the manager gets an AD object through
   * this plan, else it carries WARN_MANAGER_NOT_IN_AD. Absent: the users' own
   * `manager` (from a `$expand` listing or a snapshot) is kept as it is.
   */
  managers?: ReadonlyMap<string, string | null>;
  /** What Graph said about each user's mailbox (src/cloud/mailbox-reader.ts), by cloud id. Absent: not read. */
  mailboxes?: ReadonlyMap<string, MailboxFact>;
  /** The Exchange Online export (--exchange-csv), already checked against the users (src/exchange/exo-csv.ts). */
  exchangeCsv?: ExoCsv;
}

function compareKeys(a: [string, string], b: [string, string]): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return 0;
}

/** Users in planning order: lower-case UPN, then id (then content, for exact duplicates). */
export function planningOrder(users: readonly GraphUser[]): GraphUser[] {
  const keyed = users.map((u, i) => ({
    u,
    i,
    k: [String(u.userPrincipalName ?? '').toLowerCase(), String(u.id ?? '')] as [string, string],
  }));
  // exact (UPN, id) ties are broken by content, so a shuffled input gives the same order
  keyed.sort((a, b) => compareKeys(a.k, b.k) || compareKeys([JSON.stringify(a.u), ''], [JSON.stringify(b.u), '']) || a.i - b.i);
  return keyed.map((x) => x.u);
}

function domainDnOf(dn: string): string | null {
  const rdns = tryParseDn(dn);
  if (!rdns) return null;
  const dcs = rdns.filter((r) => r.type.toUpperCase() === 'DC');
  return dcs.length ? dcs.map((r) => `DC=${r.value}`).join(',') : null;
}

function sameBase64Guid(a: string, b: string): boolean {
  try {
    return immutableIdToBytes(a).equals(immutableIdToBytes(b));
  } catch {
    return false;
  }
}

function anchorOf(o: DirectoryObject): string | undefined {
  if (o.consistencyGuid) return o.consistencyGuid;
  try {
    return guidToImmutableId(o.objectGuid);
  } catch {
    return undefined;
  }
}

function emptySummary(): PlanSummary {
  const byAction: Record<PlanAction, number> = { create: 0, adopt: 0, skip: 0, blocked: 0 };
  return { total: 0, byAction, byReason: {}, byWarning: {} };
}

/** The plan's fields known before its first entry (plan.json writes them first). */
export type PlanHead = Omit<Plan, 'entries' | 'summary' | 'tenantFindings' | 'tenantStop'>;
/** The plan's fields known only after its last entry. */
export type PlanTail = Pick<Plan, 'summary' | 'tenantFindings' | 'tenantStop'>;

/**
 * A plan produced one entry at a time, so a caller that writes entries as they come
 * (plan command, src/report/plan-files.ts) never holds 100,000 entries at once.
 */
export interface PlanStream {
  head: PlanHead;
  /**
   * Entries per action, known before the first entry is made (a first decision pass
   * over every user): plan.ldif's header counts them.
   */
  actionCounts: Readonly<Record<PlanAction, number>>;
  /** The entries in planning order; its return value is the tail. Iterate once. */
  entries: Generator<PlanEntry, PlanTail>;
}

/** Summary counts, added to one entry at a time. */
export class SummaryCounter {
  readonly summary: PlanSummary = emptySummary();
  add(e: PlanEntry): void {
    const s = this.summary;
    s.total++;
    s.byAction[e.action]++;
    s.byReason[e.reason] = (s.byReason[e.reason] ?? 0) + 1;
    for (const w of e.warnings ?? []) s.byWarning![w.code] = (s.byWarning![w.code] ?? 0) + 1;
  }
}

export function summarisePlan(entries: readonly PlanEntry[]): PlanSummary {
  const counter = new SummaryCounter();
  for (const e of entries) counter.add(e);
  return counter.summary;
}

/** The whole plan in memory (apply, preflight, tests): planStream collected. */
export function buildPlan(input: BuildPlanInput): Plan {
  const stream = planStream(input);
  const entries: PlanEntry[] = [];
  let step = stream.entries.next();
  for (; !step.done; step = stream.entries.next()) entries.push(step.value);
  return { ...stream.head, entries, ...step.value };
}

/** What one user comes to before names are handed out. */
type Decision =
  | { kind: 'final'; entry: PlanEntry }
  | {
      kind: 'create';
      recover: string | undefined;
      proxies: string[];
      dropAliases: Set<string>;
      warnings: PlanWarning[];
      /** Recovery in place (placement old-ou): the old names and place, as far as they are kept. */
      identity?: PlannedIdentity;
    };

const MANAGER_NOT_IN_AD: PlanWarning = {
  code: 'WARN_MANAGER_NOT_IN_AD',
  message: 'the manager is not created or adopted by this plan; manager left empty',
};

export function planStream(input: BuildPlanInput): PlanStream {
  const { settings, directory } = input;
  const targetOu = settings.targetOu;
  if (directory && directory.targetOu.toLowerCase() !== targetOu.toLowerCase()) {
    throw new UsageError(
      'PLAN_OU_MISMATCH',
      `the directory snapshot was read for ${directory.targetOu} but settings.targetOu is ${targetOu}; read the directory again`,
    );
  }
  const rules: AttributeRule[] = effectiveAttributeMap(settings.attributeMap);
  const scope = scopeIndex(settings);
  const dirIndex = directory ? new DirectoryIndex(directory) : null;
  const names = new NameAllocator(settings, dirIndex);
  const guards = input.guards ? prepareGuards(input.guards) : undefined;
  const ordered = planningOrder(input.users);
  const targetDomainDn = directory?.domainDn ?? domainDnOf(targetOu) ?? '';
  const exchangeSchema = effectiveExchangeSchema(directory?.exchangeSchema, settings.exchangeSchema);
  const exchangeHas = new Set(exchangeSchema.attributes.map((a) => a.toLowerCase()));
  const recoverInPlace = settings.recovery.placement === 'old-ou';
  const adoptProtected = new Set((settings.adoptProtectedUpns ?? []).map((u) => u.toLowerCase()));

  // Pass 1, decisions only: which users end with an AD object (a manager link needs
  // its manager to be one of them, whichever comes first), and the counts per action.
  const actionCounts: Record<PlanAction, number> = { create: 0, adopt: 0, skip: 0, blocked: 0 };
  const inAd = new Set<string>();
  const decide1 = decider(false);
  for (const user of ordered) {
    const d = decide1(user);
    const action = d.kind === 'create' ? 'create' : d.entry.action;
    actionCounts[action]++;
    if (getsAdObject({ action })) inAd.add(user.id);
    // Old names the recovered users keep: the templates must never hand them to anyone else,
    // whichever user comes first in planning order.
    if (d.kind === 'create' && d.identity) names.keep(d.identity);
  }

  const head: PlanHead = {
    formatVersion: 1,
    createdAt: input.now.toISOString(),
    tool: { name: 'entra2ad', version: input.toolVersion },
    tenantId: input.tenantId,
    domainDn: directory?.domainDn ?? domainDnOf(targetOu),
    targetOu,
    directoryChecked: directory !== undefined,
    targetOuExists: directory ? directory.targetOuExists : null,
    // What mapAttributes and the mailbox stamp may write (an Exchange attribute only where the forest's schema has it): apply allows no other.
    attributeNames: [...new Set([...rules.map((r) => r.attribute).filter((a) => !isExchangeAttribute(a) || exchangeHas.has(a.toLowerCase())), ...exchangeSchema.attributes])],
    ...(settings.recover ? { recover: { placement: settings.recovery.placement, dnMap: { ...settings.recovery.dnMap } } } : {}),
    exchangeSchema,
    ...(input.exchangeCsv ? { exchangeCsv: { rows: input.exchangeCsv.rows.size, problems: input.exchangeCsv.problems } } : {}),
  };
  head.headFingerprints = headFingerprints(head);
  return { head, actionCounts, entries: entries() };

  // Pass 2: the same decisions again (same order, fresh state), names handed out in order.
  function* entries(): Generator<PlanEntry, PlanTail> {
    const decide = decider(true);
    const counter = new SummaryCounter();
    let takeoverCandidates = 0;
    // Recovered users' old OUs the directory lacks, for plan.ldif (apply creates them itself).
    const existingContainers = directory?.containers ? new Set(directory.containers.map(dnKeyOrText)) : undefined;
    const queuedOus = new Set<string>();
    for (const user of ordered) {
      const d = decide(user);
      const entry = d.kind === 'final' ? d.entry : createEntry(user, d);
      if (existingContainers && entry.action === 'create' && entry.recoverConsistencyGuid !== undefined && entry.dn !== undefined) {
        const ous = ousToCreate(parentDnOrEmpty(entry.dn), targetDomainDn, existingContainers, queuedOus, directory?.targetOuExists === false ? targetOu : undefined);
        if (ous.length > 0) entry.ousToCreate = ous;
      }
      entry.fingerprint = entryFingerprint(entry);
      counter.add(entry);
      if (getsAdObject(entry) && isCloudManaged(user)) takeoverCandidates++;
      yield entry;
    }
    const findings = guards ? tenantFindings(guards, takeoverCandidates) : undefined;
    const stop = findings ? tenantStopOf(findings) : undefined;
    return { summary: counter.summary, ...(findings ? { tenantFindings: findings } : {}), ...(stop ? { tenantStop: stop } : {}) };
  }

  function base(user: GraphUser, reason: ReasonCode, message: string): PlanEntry {
    const e: PlanEntry = {
      cloudId: typeof user.id === 'string' ? user.id : '',
      userPrincipalName: typeof user.userPrincipalName === 'string' ? user.userPrincipalName : '',
      displayName: user.displayName ?? null,
      action: actionOf(reason),
      reason,
      message,
      currentImmutableId: user.onPremisesImmutableId ?? null,
      fingerprint: '',
      cloud: {
        givenName: user.givenName ?? null,
        surname: user.surname ?? null,
        mail: user.mail ?? null,
        department: user.department ?? null,
        jobTitle: user.jobTitle ?? null,
        accountEnabled: user.accountEnabled ?? null,
      },
    };
    return e;
  }

  /** A fresh decision function: it remembers the ids and UPNs it has seen (BLOCKED_DUPLICATE_INPUT). */
  /** `full`: also what an adopted object should carry of the mailbox (pass 2 only; pass 1 needs the decision alone). */
  function decider(full: boolean): (user: GraphUser) => Decision {
    const seenIds = new Set<string>();
    const seenUpns = new Set<string>();
    const final = (entry: PlanEntry): Decision => ({ kind: 'final', entry });
    const namer = new RecoveryNamer(
      {
        samHolder: (sam) => dirIndex?.bySam(sam)?.dn,
        dnHolder: (dn) => dirIndex?.dnHolder(dn),
      },
      targetDomainDn,
      settings.recovery,
    );
    return (user) => {
      const problems = validateUser(user);
      if (problems.length > 0) {
        return final(
          base(user, 'BLOCKED_INVALID_USER', `Cannot be planned: ${problems.map((p) => p.message).join('; ')}. Fix the cloud user and plan again.`),
        );
      }
      const idKey = user.id.toLowerCase();
      const upnKey = user.userPrincipalName.toLowerCase();
      if (seenIds.has(idKey) || seenUpns.has(upnKey)) {
        return final(
          base(
            user,
            'BLOCKED_DUPLICATE_INPUT',
            `Another input user has the same ${seenIds.has(idKey) ? 'id' : 'UPN'}; the first one is planned, this one is not. Check the input snapshot.`,
          ),
        );
      }
      seenIds.add(idKey);
      seenUpns.add(upnKey);

      const selection = selectUser(user, scope);
      if (!selection.selected) {
        const skipped = base(user, selection.reason, selection.message);
        if (full && selection.reason === 'SKIP_HAS_IMMUTABLE_ID') restamp(user, skipped);
        return final(skipped);
      }
      if (guards) {
        const block = guardUser(user, selection.path, guards);
        if (block) return final(base(user, block.reason, block.message));
      }

      const warnings: PlanWarning[] = [];
      const recover = selection.path === 'recover' ? selection.consistencyGuid : undefined;
      if (recover !== undefined && sourceOfAuthorityCloud(user, guards) === true) {
        // Source of authority switched to the cloud: nothing is written for it unless the admin says so.
        if (settings.recovery.cloudManaged !== 'recover') {
          return final(base(user, 'BLOCKED_RECOVER_CLOUD_MANAGED', `${cloudManagedMessage(user.userPrincipalName)} To recreate its AD object anyway, plan with --recover-cloud-managed (plan.recover.cloudManaged: "recover").`));
        }
        warnings.push({ code: 'WARN_RECOVER_CLOUD_MANAGED', message: cloudManagedMessage(user.userPrincipalName) });
      }
      const proxies = normaliseProxyAddresses(user.proxyAddresses ?? [], user.mail);
      const dropAliases = new Set<string>();

      if (dirIndex) {
        const existing = dirIndex.byUpn(upnKey);
        if (existing) {
          if (!isUserObject(existing)) {
            return final(
              base(
                user,
                'BLOCKED_UPN_IN_USE_BY_NON_USER',
                `The UPN is already used by ${existing.dn} (objectClass ${existing.objectClass.join(', ')}), which is not a user; change the UPN on that object or in the cloud, then plan again.`,
              ),
            );
          }
          if (recover !== undefined) {
            // Connect's anchor for it: mS-DS-ConsistencyGuid, or objectGUID when that is empty.
            const existingAnchor = anchorOf(existing);
            if (!(existingAnchor && sameBase64Guid(existingAnchor, recover))) {
              return final(
                base(
                  user,
                  'BLOCKED_RECOVER_UPN_IN_USE',
                  `AD user ${existing.dn} already has this UPN but not the cloud user's anchor; if it is the same person set its mS-DS-ConsistencyGuid to ${recover} (base64) by hand, else free the UPN, then plan again.`,
                ),
              );
            }
          }
        }
        // primary SMTP on another object (not the one we adopt)
        const primary = proxies.find((p) => p.startsWith('SMTP:'));
        const primaryKey = primary ? smtpAddressKey(primary) : null;
        if (primaryKey) {
          const holder = dirIndex.smtpHolders(primaryKey).find((o) => o !== existing);
          if (holder) {
            return final(
              base(
                user,
                'BLOCKED_PROXY_ADDRESS_IN_USE',
                `The primary SMTP address ${primary!.slice(5)} is already on ${holder.dn}; Entra Connect would report a duplicate (InvalidSoftMatch). Remove it from that object, then plan again.`,
              ),
            );
          }
        }
        if (existing && recover === undefined) {
          // A protected account (adminCount, Domain Admins and the other AdminSDHolder groups) adopted
          // would let the cloud user's holder sign in as it after the next sync: only by explicit allow.
          const protection = protectionOf(existing);
          if (protection.length > 0 && !adoptProtected.has(upnKey)) {
            return final(
              base(
                user,
                'BLOCKED_PROTECTED_ACCOUNT',
                `AD user ${existing.dn} has this UPN but is a protected account (${protection.join('; ')}); adopting it would let this cloud user sign in as it. ` +
                  'If that is intended, add the UPN to plan.adoptProtectedUpns in the config and plan again; else change the UPN on one side.',
              ),
            );
          }
          if (protection.length > 0)
            warnings.push({ code: 'WARN_ADOPT_PROTECTED_ACCOUNT', message: `${existing.dn} is a protected account (${protection.join('; ')}); adopted because plan.adoptProtectedUpns names this user` });
        }
        if (existing) {
          const e = base(
            user,
            recover !== undefined ? 'ADOPT_ALREADY_RECOVERED' : 'ADOPT_EXISTING_UPN',
            recover !== undefined
              ? `AD user ${existing.dn} already carries this user's anchor (mS-DS-ConsistencyGuid, or objectGUID when that is empty); nothing to create or write.`
              : `AD user ${existing.dn} already has this UPN; it is adopted (no AD change) and its anchor is written as onPremisesImmutableId.`,
          );
          if (existing.sAMAccountName) e.sAMAccountName = existing.sAMAccountName;
          try {
            e.cn = rdnValue(existing.dn);
          } catch {
            /* leave cn out when the snapshot's DN does not parse */
          }
          e.dn = existing.dn;
          e.existingObjectGuid = existing.objectGuid;
          const anchor = recover ?? anchorOf(existing);
          if (anchor) e.plannedImmutableId = anchor;
          if (existing.userAccountControl !== undefined && isDisabled(existing.userAccountControl))
            warnings.push({ code: 'WARN_ADOPT_DISABLED_ACCOUNT', message: `${existing.dn} is disabled in AD` });
          if (full && recover === undefined) {
            // What the adopted object should carry of the mailbox; apply stamps only what it lacks (decideStamp).
            const mapped = mapAttributes(user, { rules, exchangeSchema, passwordMode: settings.password.mode });
            const planned: Record<string, string | string[]> = {};
            for (const [attr, value] of Object.entries(mapped.attributes)) if (isMailAttribute(attr)) planned[attr] = value;
            e.exchange = mailboxOf(user, planned, mapped.notInSchema, warnings);
            if (Object.keys(planned).length) {
              e.exchange.planned = planned;
              e.message += ` Of its mail attributes (${Object.keys(planned).join(', ')}) apply adds only those it lacks; a different value is reported, never replaced.`;
            }
          }
          if (warnings.length) e.warnings = warnings;
          return final(e);
        }
        // secondary aliases elsewhere: leave them out
        for (const p of proxies) {
          const k = smtpAddressKey(p);
          if (!k || p.startsWith('SMTP:')) continue;
          const holder = dirIndex.smtpHolders(k)[0];
          if (holder) {
            dropAliases.add(p);
            warnings.push({
              code: 'WARN_PROXY_ALIAS_IN_USE',
              field: 'proxyAddresses',
              message: `alias ${p.slice(5)} is already on ${holder.dn}; left out`,
            });
          }
        }
      }
      if (recover !== undefined && recoverInPlace) {
        const naming = namer.name(user);
        if (!naming.ok) return final(base(user, naming.reason, naming.message));
        return { kind: 'create', recover, proxies, dropAliases, warnings, identity: naming.identity };
      }
      return { kind: 'create', recover, proxies, dropAliases, warnings };
    };
  }

  /**
   * The mailbox's attributes (src/exchange/mailbox-attributes.ts) added to `attributes`
   * (the X500 of the cloud LegacyExchangeDN appended to proxyAddresses), its warnings to
   * `warnings`, and what the entry says about it (plan.csv).
   */
  function mailboxOf(user: GraphUser, attributes: Record<string, string | string[]>, notInSchema: readonly string[], warnings: PlanWarning[]): PlanEntryExchange {
    const fact = input.mailboxes?.get(user.id);
    const row = input.exchangeCsv?.rows.get(user.userPrincipalName.toLowerCase());
    const mailbox = planMailbox(user, fact, row, exchangeSchema);
    Object.assign(attributes, mailbox.attributes);
    if (mailbox.extraProxyAddresses.length > 0) {
      const current = attributes['proxyAddresses'];
      attributes['proxyAddresses'] = [...(Array.isArray(current) ? current : current ? [current] : []), ...mailbox.extraProxyAddresses];
    }
    warnings.push(...mailbox.warnings);
    const missing = [...new Set([...notInSchema, ...mailbox.notInSchema])];
    if (mailbox.kind !== null && missing.length > 0)
      warnings.push({
        code: 'WARN_EXCHANGE_NOT_IN_SCHEMA',
        message:
          `the ${mailbox.kind} mailbox needs ${missing.join(', ')}, which this forest's schema does not have: only mail and proxyAddresses are written. ` +
          'Extend the schema (Exchange Setup /PrepareSchema) and re-run entra2ad to stamp them, or manage the Exchange attributes from the cloud (Exchange source of authority, Entra Connect 2.5.76 or later)',
      });
    return { mailbox: mailbox.kind, stamp: Object.keys(attributes).filter(isMailAttribute), notInSchema: missing };
  }

  /**
   * A re-run: the user already carries the anchor of the AD user with its UPN (an object
   * an earlier run created or adopted). Its mailbox values are planned so apply stamps
   * what the object lacks (src/apply/stamp-pass.ts), e.g. after the schema was extended.
   */
  function restamp(user: GraphUser, e: PlanEntry): void {
    const existing = dirIndex?.byUpn(user.userPrincipalName);
    const immutableId = user.onPremisesImmutableId;
    if (!existing || !isUserObject(existing) || !immutableId) return;
    const anchor = anchorOf(existing);
    if (!anchor || !sameBase64Guid(anchor, immutableId)) return;
    const warnings: PlanWarning[] = [];
    const mapped = mapAttributes(user, { rules, exchangeSchema, passwordMode: settings.password.mode });
    const planned: Record<string, string | string[]> = {};
    for (const [attr, value] of Object.entries(mapped.attributes)) if (isMailAttribute(attr)) planned[attr] = value;
    const exchange = mailboxOf(user, planned, mapped.notInSchema, warnings);
    if (Object.keys(planned).length === 0) return;
    e.dn = existing.dn;
    e.existingObjectGuid = existing.objectGuid;
    e.exchange = { ...exchange, planned };
    if (warnings.length) e.warnings = warnings;
  }

  function createEntry(
    user: GraphUser,
    decision: Extract<Decision, { kind: 'create' }>,
  ): PlanEntry {
    const { recover, dropAliases, warnings, identity } = decision;
    const ctx = templateContext(user);
    const { sAMAccountName, cn, parentDn: parent, dn, warnings: nameWarnings } = names.allocate(user, ctx, identity);
    warnings.push(...nameWarnings);

    const mapped = mapAttributes(user, {
      rules,
      exchangeSchema,
      passwordMode: settings.password.mode,
      context: ctx,
    });
    warnings.push(...mapped.warnings);
    if (dropAliases.size > 0 && Array.isArray(mapped.attributes['proxyAddresses'])) {
      const kept = mapped.attributes['proxyAddresses'].filter((p) => !dropAliases.has(p));
      if (kept.length) mapped.attributes['proxyAddresses'] = kept;
      else delete mapped.attributes['proxyAddresses'];
    }

    const e = base(user, createReason(recover, identity), createMessage(sAMAccountName, dn, parent, recover, identity));
    if (identity?.oldSamAccountName !== undefined) e.oldSAMAccountName = identity.oldSamAccountName;
    if (identity?.oldDn !== undefined) e.oldDn = identity.oldDn;
    e.sAMAccountName = sAMAccountName;
    e.cn = cn;
    e.dn = dn;
    e.attributes = mapped.attributes;
    e.exchange = mailboxOf(user, mapped.attributes, mapped.notInSchema, warnings);
    e.userAccountControl = mapped.userAccountControl;
    e.mustChangePassword = settings.password.mustChange;
    e.passwordMode = settings.password.mode;
    // Managers read from Graph (input.managers) are linked only when the manager gets an
    // AD object through this plan: otherwise there is no DN to point to.
    const managerId = input.managers ? input.managers.get(user.id) : mapped.managerCloudId;
    if (managerId && (!input.managers || inAd.has(managerId))) e.managerCloudId = managerId;
    if (recover === undefined && objectIdentifierStateOf(user, guards).kind === 'set' && featureOn(guards, FEATURE_OBJECT_IDENTIFIER_BYPASS) === true) {
      // Only reached when the tenant's bypass is on (guardUser blocks it otherwise).
      warnings.push({ code: 'WARN_OBJECT_IDENTIFIER_BYPASSED', message: WARNINGS.WARN_OBJECT_IDENTIFIER_BYPASSED });
    }
    if (recover === undefined && objectIdentifierStateOf(user, guards).kind === 'unknown') {
      // Only reached when the admin allowed it (guardUser blocks it otherwise).
      warnings.push({ code: 'WARN_OBJECT_IDENTIFIER_UNKNOWN', message: WARNINGS.WARN_OBJECT_IDENTIFIER_UNKNOWN });
    }
    if (recover !== undefined) {
      e.recoverConsistencyGuid = recover;
      const identifier = objectIdentifierOf(user, guards);
      if (identifier !== null && featureOn(guards, FEATURE_OBJECT_IDENTIFIER_BYPASS) === true) {
        warnings.push({
          code: 'WARN_OBJECT_IDENTIFIER_BYPASSED',
          message:
            `the cloud user has onPremisesObjectIdentifier ${identifier} (the lost AD object), and the tenant has ${FEATURE_OBJECT_IDENTIFIER_BYPASS} on: ` +
            'no clearing is needed (do not run apply --clear-object-identifier); sync before the bypass is turned off',
        });
      } else if (identifier !== null)
        warnings.push({
          code: 'WARN_HARD_MATCH_MAY_BE_BLOCKED',
          message:
            `the cloud user has onPremisesObjectIdentifier ${identifier} (the lost AD object); since July 2026 Entra refuses to map it to the new AD object ` +
            'until that mapping is cleared: after apply, run entra2ad apply --plan RUN/plan.json --clear-object-identifier (it cannot be undone), ' +
            'then entra2ad verify (README "Recovery after losing the AD server", step 8)',
        });
    }
    if (managerId && input.managers && !inAd.has(managerId)) warnings.push({ ...MANAGER_NOT_IN_AD });
    if (warnings.length) e.warnings = warnings;
    return e;
  }
}

/** mail, proxyAddresses and the Exchange attributes: what the mailbox columns of plan.csv list. */
function isMailAttribute(attr: string): boolean {
  return attr === 'mail' || attr === 'proxyAddresses' || isExchangeAttribute(attr);
}

function createReason(recover: string | undefined, identity: PlannedIdentity | undefined): ReasonCode {
  if (recover === undefined) return 'CREATE_NEW';
  return identity && identity.fallbacks.length > 0 ? 'RECOVER_TEMPLATE_FALLBACK' : 'RECOVER_CONSISTENCY_GUID';
}

function createMessage(sam: string, dn: string, parent: string, recover: string | undefined, identity: PlannedIdentity | undefined): string {
  if (recover === undefined) return `Create ${sam} in ${parent}, then write its objectGUID as onPremisesImmutableId.`;
  const stamp = 'with mS-DS-ConsistencyGuid set to the existing immutableId; nothing is written to the cloud.';
  if (!identity) return `Create ${sam} in ${parent} ${stamp} (placement target-ou: names from the templates)`;
  const parts = [`Recreate ${sam} as ${dn} ${stamp}`];
  if (identity.oldDn !== undefined) parts.push(`Old DN ${identity.oldDn}${identity.how ? ` (${identity.how})` : ''}.`);
  if (identity.fallbacks.length > 0) parts.push(`Not the whole old identity: ${identity.fallbacks.join('; ')}.`);
  if (identity.renamed.length > 0) parts.push(`Renamed: ${identity.renamed.join('; ')}.`);
  return parts.join(' ');
}
