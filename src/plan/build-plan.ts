/**
 * buildPlan: cloud users (+ directory snapshot) -> the Plan, deterministically.
 *
 * Every input user ends in exactly ONE entry: create | adopt | skip | blocked, with a
 * stable reason code and a sentence. The same inputs give the same plan whatever the
 * order of `users`: users are processed sorted by (lower-case UPN, id), and names
 * are handed out in that order.
 *
 * How (this file is the composition): two passes over the users in planning order.
 * 1. Decisions only (src/plan/decide-user.ts): the count per action (plan.ldif's
 *    header), which users get an AD object (a manager link needs its manager to be
 *    one, whichever comes first), and the old names recovered users keep, so the
 *    templates never hand them to anyone else.
 * 2. The same decisions again, fresh: a user to create becomes its entry
 *    (src/plan/create-entry.ts) with names handed out in order
 *    (src/plan/names/allocate.ts); every entry gets its fingerprint and is counted.
 * What AD already holds is asked of src/plan/directory-index.ts, built once.
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
import type { GraphUser } from '../graph/user.js';
import { dnKeyOrText, parentDnOrEmpty, tryParseDn } from '../directory/dn.js';
import type { DirectorySnapshot } from '../directory/types.js';
import { UsageError } from '../errors.js';
import { effectiveExchangeSchema, isExchangeAttribute } from '../exchange/attributes.js';
import type { ExoCsv } from '../exchange/exo-csv.js';
import type { MailboxFact } from '../exchange/mailbox-attributes.js';
import { effectiveAttributeMap, type AttributeRule } from './attribute-map.js';
import { createEntry } from './create-entry.js';
import { userDecider } from './decide-user.js';
import { DirectoryIndex } from './directory-index.js';
import { entryFingerprint, headFingerprints } from './fingerprint.js';
import { isCloudManaged, prepareGuards, tenantFindings, tenantStopOf, type PreparedGuards, type TenantGuards } from './guards.js';
import { NameAllocator } from './names/allocate.js';
import { ousToCreate } from './ous-to-create.js';
import type { PlanningContext } from './planning-context.js';
import { getsAdObject } from './reasons.js';
import { scopeIndex } from './select.js';
import type { PlanSettings } from './settings.js';
import type { Plan, PlanAction, PlanEntry, PlanSummary } from './types.js';

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
  const index = directory ? new DirectoryIndex(directory) : null;
  const names = new NameAllocator(settings, index);
  const guards = input.guards ? prepareGuards(input.guards) : undefined;
  const ordered = planningOrder(input.users);
  const targetDomainDn = directory?.domainDn ?? domainDnOf(targetOu) ?? '';
  const exchangeSchema = effectiveExchangeSchema(directory?.exchangeSchema, settings.exchangeSchema);
  const exchangeHas = new Set(exchangeSchema.attributes.map((a) => a.toLowerCase()));
  const planning: PlanningContext = {
    settings,
    rules,
    scope,
    index,
    guards,
    exchangeSchema,
    targetDomainDn,
    adoptProtectedUpns: new Set((settings.adoptProtectedUpns ?? []).map((u) => u.toLowerCase())),
    mailboxes: input.mailboxes,
    exchangeCsv: input.exchangeCsv,
    managers: input.managers,
  };

  // Pass 1, decisions only: which users end with an AD object (a manager link needs
  // its manager to be one of them, whichever comes first), and the counts per action.
  const actionCounts: Record<PlanAction, number> = { create: 0, adopt: 0, skip: 0, blocked: 0 };
  const inAd = new Set<string>();
  const decide1 = userDecider(planning, false);
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
    const decide = userDecider(planning, true);
    const counter = new SummaryCounter();
    let takeoverCandidates = 0;
    // Recovered users' old OUs the directory lacks, for plan.ldif (apply creates them itself).
    const existingContainers = directory?.containers ? new Set(directory.containers.map(dnKeyOrText)) : undefined;
    const queuedOus = new Set<string>();
    for (const user of ordered) {
      const d = decide(user);
      const entry = d.kind === 'final' ? d.entry : createEntry(planning, user, d, names, inAd);
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
}
