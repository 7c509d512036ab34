/**
 * What the rules for one user read, prepared once per plan by planStream
 * (src/plan/build-plan.ts) from its input: the settings and what follows from them,
 * the directory, the tenant's guards, the forest's Exchange schema, and what Graph
 * said about mailboxes and managers. Plain data: the rules stay pure functions of it.
 */
import type { ExchangeSchema } from '../exchange/attributes.js';
import type { ExoCsv } from '../exchange/exo-csv.js';
import type { MailboxFact } from '../exchange/mailbox-attributes.js';
import type { AttributeRule } from './attribute-map.js';
import type { DirectoryIndex } from './directory-index.js';
import type { PreparedGuards } from './guards.js';
import type { ScopeIndex } from './select.js';
import type { PlanSettings } from './settings.js';

export interface PlanningContext {
  settings: PlanSettings;
  /** settings.attributeMap over the default map (src/plan/attribute-map.ts). */
  rules: readonly AttributeRule[];
  scope: ScopeIndex;
  /** Null: planned without reading AD (names unique only within the plan). */
  index: DirectoryIndex | null;
  /** Absent: no guards (planned offline). */
  guards: PreparedGuards | undefined;
  /** What the forest's schema holds, or what the settings assume (src/exchange/attributes.ts). */
  exchangeSchema: ExchangeSchema;
  /** The domain recovered users are recreated in (their old DNs are moved to it). */
  targetDomainDn: string;
  /** plan.adoptProtectedUpns, lower-cased. */
  adoptProtectedUpns: ReadonlySet<string>;
  /** What Graph said about each user's mailbox, by cloud id. */
  mailboxes: ReadonlyMap<string, MailboxFact> | undefined;
  /** The Exchange Online export (--exchange-csv). */
  exchangeCsv: ExoCsv | undefined;
  /** Managers read from Graph (cloud id -> manager's cloud id, null: none). */
  managers: ReadonlyMap<string, string | null> | undefined;
}
