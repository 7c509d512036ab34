/**
 * Planning settings: what to select, how to name, which attributes to write, how
 * passwords are chosen. Validated with zod into `PlanSettings`; every problem is
 * reported with its path (`targetOu: must be a DN ...`), not only the first.
 * The same schema gives the JSON Schema for editors (`settingsJsonSchema()`);
 * samples/config.example.json is a filled-in example.
 */
import { z } from 'zod';
import { UsageError } from '../errors.js';
import { RESERVED_ATTRIBUTES, SECURITY_ATTRIBUTES } from './attribute-map.js';
import { EXCHANGE_SCHEMA_ATTRIBUTES } from './attribute-limits.js';
import { tryParseDn } from '../directory/dn.js';
import { templateProblem } from './names/templates.js';
import { RECOVERY_PLACEMENTS } from './recovered-identity.js';
import { PASSWORD_MODES } from './types.js';

/** Password length bounds: 12 keeps random passwords far above AD's default minimum (7) and guessing; 128 is well under unicodePwd's 256. */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

export const DEFAULT_SAM_TEMPLATES = ['{upnPrefix}', '{given}.{surname}', '{given:1}{surname}'] as const;
export const DEFAULT_CN_TEMPLATE = '{displayName}';
export const DEFAULT_CN_FALLBACK_TEMPLATES = ['{given} {surname}', '{upnPrefix}'] as const;

function dnProblem(value: string): string | null {
  const rdns = tryParseDn(value);
  if (!rdns || rdns.length < 2) return 'must be a DN such as OU=Cloud Users,DC=corp,DC=example,DC=com';
  const first = rdns[0]!.type.toUpperCase();
  if (first !== 'OU' && first !== 'CN') return `must name an OU or container (starts with ${rdns[0]!.type}=, expected OU= or CN=)`;
  if (!rdns.some((r) => r.type.toUpperCase() === 'DC')) return 'must end in the domain (DC=...)';
  if (rdns.some((r) => r.value.trim() === '')) return 'has an empty RDN value';
  return null;
}

const template = z.string().superRefine((value, ctx) => {
  const problem = templateProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: `bad template: ${problem}` });
});

const upnList = z.array(z.string().min(3).includes('@', { message: 'must be a UPN (name@domain)' }));

const domainName = z
  .string()
  .regex(/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/, { message: 'must be a domain name such as contoso.com' });

/** An Entra object id: a GUID. */
const OBJECT_ID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

const scopeSchema = z.strictObject({
  /** Only UPNs in these domains (case-insensitive). Absent: every domain. */
  upnDomains: z.array(domainName).min(1).optional(),
  /** Only these UPNs (case-insensitive). Absent: everyone in the other filters. */
  includeUpns: upnList.optional(),
  /** Never these UPNs. */
  excludeUpns: upnList.optional(),
  /**
   * Only users who are members of one of these Entra groups (object ids), directly or
   * through nested groups. Resolved from Graph into groupMemberIds before planning
   * (src/inputs/read-inputs.ts); `--group ID` on the command line.
   */
  groups: z.array(z.string().regex(OBJECT_ID, { message: 'must be a group object id (a GUID such as 0d7c5a1e-3b9f-4c2d-8e6a-1f2b3c4d5e6f)' })).min(1).optional(),
  /** Only these cloud object ids (e.g. a group's transitive members, resolved by the caller). */
  groupMemberIds: z.array(z.string().min(1)).optional(),
  /**
   * Include users disabled in the cloud. They are created disabled in AD either way
   * (userAccountControl 514); false skips them (SKIP_DISABLED).
   */
  includeDisabled: z.boolean().default(true),
});

const passwordSchema = z.strictObject({
  /**
   * random: a new cryptographically random password per user (written to a 0600 file
   * by apply). fixed: one password given at apply time (never in this file).
   * none: no password; the account stays disabled until an admin sets one.
   */
  mode: z.enum(PASSWORD_MODES).default('random'),
  length: z.number().int().min(PASSWORD_MIN_LENGTH).max(PASSWORD_MAX_LENGTH).default(16),
  /** pwdLastSet=0: the user must change the password at first logon. */
  mustChange: z.boolean().default(true),
  /** Leave out look-alike characters (I l 1 O 0 o ...) from random passwords, for passwords read aloud or typed from paper. */
  avoidAmbiguous: z.boolean().default(true),
});

const attributeName = /^[A-Za-z][A-Za-z0-9-]*$/;

/** A DN in a dnMap: at least one RDN, every value non-empty. */
const mapDn = z.string().superRefine((value, ctx) => {
  const rdns = tryParseDn(value);
  if (!rdns) ctx.addIssue({ code: 'custom', message: 'must be a DN such as OU=Sales,DC=old,DC=example' });
  else if (rdns.some((r) => r.value.trim() === '')) ctx.addIssue({ code: 'custom', message: 'has an empty RDN value' });
});

const recoverSchema = z.strictObject({
  /** Plan the recovery path at all (as `recover: true`); default true when the object is given. */
  enabled: z.boolean().default(true),
  /**
   * old-ou (default): each user comes back under its old sAMAccountName and CN, in its old OU
   * (onPremisesDistinguishedName's parent, moved into the target domain). target-ou: names
   * from the templates, in targetOu (the behaviour before recovery in place).
   */
  placement: z.enum(RECOVERY_PLACEMENTS).default('old-ou'),
  /**
   * Old DN (a subtree or a domain) -> new DN, for renamed domains and moved subtrees; the
   * longest matching old DN wins. Without a match the old base DN is replaced by the target
   * domain's. `--map-dn OLD=NEW` (repeatable) adds to it.
   */
  dnMap: z.record(mapDn, mapDn).default({}),
  /**
   * block (default): a user whose old sAMAccountName or DN is taken, or breaks Windows' rules,
   * is blocked with the holder's DN. rename: it gets names from the templates (and a CN
   * suffix), and plan.csv says the old name and why.
   */
  onNameTaken: z.enum(['block', 'rename']).default('block'),
  /**
   * block (default): a user whose source of authority is the cloud
   * (onPremisesSyncBehavior.isCloudManaged true) is blocked, nothing is written for it.
   * recover: its AD object is recreated anyway (WARN_RECOVER_CLOUD_MANAGED); entra2ad
   * never switches the source of authority itself. `--recover-cloud-managed`.
   */
  cloudManaged: z.enum(['block', 'recover']).default('block'),
});

export const planSettingsSchema = z
  .strictObject({
    /** Editors' pointer to the JSON Schema; ignored. */
    $schema: z.string().optional(),
    /** The OU (DN) new users are created in. Created by apply when missing. */
    targetOu: z
      .string({ error: 'is required: the DN of the OU new users go to' })
      .superRefine((value, ctx) => {
        const problem = dnProblem(value);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
    /** sAMAccountName candidates, tried in order; a collision gets a numeric suffix. */
    samTemplates: z.array(template).min(1).default([...DEFAULT_SAM_TEMPLATES]),
    /** CN (the name in the OU); unique in the OU with a ` (2)` suffix. */
    cnTemplate: template.default(DEFAULT_CN_TEMPLATE),
    /** Used in order when cnTemplate renders empty (no display name). */
    cnFallbackTemplates: z.array(template).default([...DEFAULT_CN_FALLBACK_TEMPLATES]),
    /**
     * BCP-47 locale for transliteration into sAMAccountName: `de` (default behaviour:
     * ä -> ae), `sv` (ä -> a)... Absent: the library's default rules.
     */
    transliterationLocale: z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/).optional(),
    scope: scopeSchema.prefault({}),
    /**
     * AD attribute -> template over the Graph user, or null to not write it. Adds to
     * and overrides the default table (src/plan/attribute-map.ts).
     */
    attributeMap: z.record(z.string(), template.nullable()).default({}),
    /**
     * An override only: which Exchange attributes exist is read from the forest's schema
     * (src/directory/exchange-schema.ts). `false` turns writing them off whatever the
     * forest has; `true` matters only when planning without a directory (then it is
     * assumed that the forest has all of them). Absent: the forest decides.
     */
    exchangeSchema: z.boolean().optional(),
    /**
     * The Exchange Online export (`--exchange-csv FILE`): Get-EXOMailbox ... | Select-Object
     * UserPrincipalName,ExchangeGuid,ArchiveGuid,LegacyExchangeDN,RecipientTypeDetails,PrimarySmtpAddress |
     * Export-Csv (src/exchange/exo-csv.ts). Gives msExchMailboxGuid, msExchArchiveGuid and the X500 address.
     */
    exchangeCsv: z.string().min(1).optional(),
    password: passwordSchema.prefault({}),
    /**
     * Recovery path: users that already carry an onPremisesImmutableId (or were synced
     * before) get an AD user stamped with mS-DS-ConsistencyGuid = that id, and nothing
     * is written to the cloud. `true`, or an object saying how (src/plan/recovered-identity.ts):
     * placement, dnMap, onNameTaken.
     */
    recover: z.union([z.boolean(), recoverSchema]).default(false),
    /**
     * Create (and anchor) users whose onPremisesObjectIdentifier could not be read
     * (the /beta/users listing was refused or did not return them), with
     * WARN_OBJECT_IDENTIFIER_UNKNOWN. Off: such users are BLOCKED_OBJECT_IDENTIFIER_UNKNOWN.
     * `--allow-unknown-object-identifier` on the command line.
     */
    allowUnknownObjectIdentifier: z.boolean().default(false),
    /**
     * Cloud users (by UPN) that may adopt a protected AD account: adminCount set, or a
     * member (nested) of Domain Admins, Administrators and the other protected groups
     * (src/directory/protected-accounts.ts). Without it such a user is BLOCKED_PROTECTED_ACCOUNT.
     */
    adoptProtectedUpns: z.array(z.string().min(1)).default([]),
  })
  .superRefine((s, ctx) => {
    const exchangeOn = s.exchangeSchema !== false;
    const exchangeLower = new Set([...EXCHANGE_SCHEMA_ATTRIBUTES].map((a) => a.toLowerCase()));
    for (const attr of Object.keys(s.attributeMap)) {
      const path = ['attributeMap', attr];
      if (!attributeName.test(attr)) ctx.addIssue({ code: 'custom', path, message: 'is not an LDAP attribute name' });
      else if (RESERVED_ATTRIBUTES.has(attr.toLowerCase()))
        ctx.addIssue({ code: 'custom', path, message: 'is set by entra2ad itself and cannot be mapped' });
      else if (SECURITY_ATTRIBUTES.has(attr.toLowerCase()))
        ctx.addIssue({ code: 'custom', path, message: 'controls what the account may do or how it signs in (delegation, Kerberos, privileged marking): entra2ad never writes it' });
      else if (!exchangeOn && exchangeLower.has(attr.toLowerCase()) && s.attributeMap[attr] !== null)
        ctx.addIssue({
          code: 'custom',
          path,
          message: 'exists only in forests prepared for Exchange, and exchangeSchema is false: remove one of the two',
        });
    }
    const { includeUpns, excludeUpns } = s.scope;
    if (includeUpns && excludeUpns) {
      const ex = new Set(excludeUpns.map((u) => u.toLowerCase()));
      for (const u of includeUpns)
        if (ex.has(u.toLowerCase()))
          ctx.addIssue({ code: 'custom', path: ['scope', 'includeUpns'], message: `${u} is also in excludeUpns` });
    }
  });

/** The recovery settings as the planner uses them, whichever form the input had. */
export type RecoverySettings = z.output<typeof recoverSchema>;

/** `recover: true|false|{...}` -> its parts: the switch, and how. */
export function recoverySettingsOf(recover: boolean | RecoverySettings): { enabled: boolean; recovery: Omit<RecoverySettings, 'enabled'> } {
  if (typeof recover === 'boolean') return { enabled: recover, recovery: { placement: 'old-ou', dnMap: {}, onNameTaken: 'block', cloudManaged: 'block' } };
  const { enabled, ...recovery } = recover;
  return { enabled, recovery };
}

type ParsedSettings = z.output<typeof planSettingsSchema>;
/** `recover` is the switch (boolean) and `recovery` says how; see recoverySettingsOf. */
export type PlanSettings = Omit<ParsedSettings, 'recover'> & { recover: boolean; recovery: Omit<RecoverySettings, 'enabled'> };
/** What a config file may hold (defaults filled in by parsing). */
export type PlanSettingsInput = z.input<typeof planSettingsSchema>;

function pathText(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(settings)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

export type SettingsResult = { ok: true; settings: PlanSettings } | { ok: false; problems: string[] };

/** Validate; every problem as `path: message`. */
export function parsePlanSettings(input: unknown): SettingsResult {
  const result = planSettingsSchema.safeParse(input);
  if (result.success) {
    const { enabled, recovery } = recoverySettingsOf(result.data.recover);
    return { ok: true, settings: { ...result.data, recover: enabled, recovery } };
  }
  return { ok: false, problems: result.error.issues.map((i) => `${pathText(i.path)}: ${i.message}`) };
}

/** Validate or throw a UsageError (exit 2) carrying every problem. */
export function loadPlanSettings(input: unknown): PlanSettings {
  const r = parsePlanSettings(input);
  if (r.ok) return r.settings;
  throw new UsageError('CONFIG_INVALID', `settings are invalid:\n  ${r.problems.join('\n  ')}`, r.problems);
}

/** JSON Schema (draft 2020-12) of the settings as written in a file, for editor completion. */
export function settingsJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(planSettingsSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
