/**
 * plan.json: the plan exactly as apply executes it. `parsePlan` checks the format
 * version FIRST (a newer entra2ad's plan is refused with a clear message rather than
 * half-understood), then the whole shape with zod, reporting every problem by path.
 */
import { z } from 'zod';
import { UsageError } from '../errors.js';
import { RECOVERY_PLACEMENTS } from './recovered-identity.js';
import { MAILBOX_KINDS } from '../exchange/recipient-values.js';
import { PASSWORD_MODES, type Plan } from './types.js';
import { planChunks, type PlanFileFormat } from './plan-format.js';

export const PLAN_FORMAT_VERSION = 1;

const warning = z.object({ code: z.string(), field: z.string().optional(), message: z.string() });
const action = z.enum(['create', 'adopt', 'skip', 'blocked']);

const entrySchema = z.object({
  cloudId: z.string(),
  userPrincipalName: z.string(),
  displayName: z.string().nullable(),
  action,
  reason: z.string().min(1),
  message: z.string(),
  sAMAccountName: z.string().optional(),
  cn: z.string().optional(),
  dn: z.string().optional(),
  oldSAMAccountName: z.string().optional(),
  oldDn: z.string().optional(),
  attributes: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
  userAccountControl: z.number().int().optional(),
  mustChangePassword: z.boolean().optional(),
  passwordMode: z.enum(PASSWORD_MODES).optional(),
  managerCloudId: z.string().optional(),
  existingObjectGuid: z.string().optional(),
  plannedImmutableId: z.string().optional(),
  currentImmutableId: z.string().nullable(),
  recoverConsistencyGuid: z.string().optional(),
  ousToCreate: z.array(z.string()).optional(),
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  cloud: z
    .object({
      givenName: z.string().nullable(),
      surname: z.string().nullable(),
      mail: z.string().nullable(),
      department: z.string().nullable(),
      jobTitle: z.string().nullable(),
      accountEnabled: z.boolean().nullable(),
    })
    .optional(),
  warnings: z.array(warning).optional(),
  exchange: z
    .object({
      mailbox: z.enum(MAILBOX_KINDS).nullable(),
      stamp: z.array(z.string()),
      notInSchema: z.array(z.string()),
      planned: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
    })
    .optional(),
});

const finding = z.object({ level: z.enum(['stop', 'warning', 'note']), code: z.string(), message: z.string() });

export const planSchema = z.object({
  formatVersion: z.literal(PLAN_FORMAT_VERSION),
  createdAt: z.string(),
  tool: z.object({ name: z.literal('entra2ad'), version: z.string() }),
  tenantId: z.string(),
  domainDn: z.string().nullable(),
  targetOu: z.string(),
  directoryChecked: z.boolean(),
  targetOuExists: z.boolean().nullable().optional(),
  attributeNames: z.array(z.string()).optional(),
  recover: z.strictObject({ placement: z.enum(RECOVERY_PLACEMENTS), dnMap: z.record(z.string(), z.string()) }).optional(),
  headFingerprints: z.record(z.string(), z.string()).optional(),
  exchangeSchema: z
    .object({ source: z.enum(['directory', 'settings']), attributes: z.array(z.string()), turnedOff: z.array(z.string()).optional() })
    .optional(),
  exchangeCsv: z
    .object({
      rows: z.number().int(),
      problems: z.array(
        z.object({ code: z.string(), row: z.number().int().optional(), user: z.string().optional(), field: z.string().optional(), message: z.string() }),
      ),
    })
    .optional(),
  entries: z.array(entrySchema),
  summary: z.object({
    total: z.number().int(),
    byAction: z.object({ create: z.number(), adopt: z.number(), skip: z.number(), blocked: z.number() }),
    byReason: z.record(z.string(), z.number()),
    byWarning: z.record(z.string(), z.number()).optional(),
  }),
  tenantFindings: z.array(finding).optional(),
  tenantStop: finding.optional(),
});

/** Pretty JSON with a final newline (diff-friendly): exactly `JSON.stringify(plan, null, 2)`. */
export function serializePlan(plan: Plan): string {
  return [...planJsonChunks(plan)].join('');
}

const indent = (json: string, pad: string) => json.replace(/\n/g, `\n${pad}`);
const field = (key: string, value: unknown) => `\n  ${JSON.stringify(key)}: ${indent(JSON.stringify(value, null, 2), '  ')}`;
const fields = (o: object) =>
  Object.entries(o)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => field(k, v));

/**
 * plan.json piece by piece: the same text as `JSON.stringify(plan, null, 2)`, one entry
 * at a time, so 100,000 users are never one 300 MB string.
 */
export const planJsonFormat: PlanFileFormat = {
  head: (head) => `{${[...fields(head), '\n  "entries": ['].join(',')}`,
  entry: (entry, index) => `${index === 0 ? '' : ','}\n    ${indent(JSON.stringify(entry, null, 2), '    ')}`,
  tail: (tail, entryCount) => `${[entryCount === 0 ? ']' : '\n  ]', ...fields(tail)].join(',')}\n}\n`,
};

export function planJsonChunks(plan: Plan): Generator<string> {
  return planChunks(planJsonFormat, plan);
}

export function parsePlan(text: string): Plan {
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new UsageError('PLAN_NOT_JSON', `the plan file is not JSON: ${(e as Error).message}`);
  }
  const version = (raw as { formatVersion?: unknown } | null)?.formatVersion;
  if (version !== PLAN_FORMAT_VERSION) {
    throw new UsageError(
      'PLAN_VERSION_UNSUPPORTED',
      typeof version === 'number' && version > PLAN_FORMAT_VERSION
        ? `the plan has format version ${version}; this entra2ad reads version ${PLAN_FORMAT_VERSION}: upgrade entra2ad or plan again`
        : `the plan has format version ${JSON.stringify(version)}; this entra2ad reads version ${PLAN_FORMAT_VERSION}: plan again`,
    );
  }
  const r = planSchema.safeParse(raw);
  if (!r.success) {
    const problems = r.error.issues.map((i) => `${i.path.map(String).join('.') || '(plan)'}: ${i.message}`);
    throw new UsageError('PLAN_INVALID', `the plan file is invalid:\n  ${problems.slice(0, 20).join('\n  ')}`, problems);
  }
  const plan = r.data as Plan;
  const total = plan.entries.length;
  if (plan.summary.total !== total)
    throw new UsageError('PLAN_INVALID', `the plan summary says ${plan.summary.total} entries but it has ${total}`);
  return plan;
}
