/**
 * The config file: one JSON object with a section per concern. Precedence,
 * highest first: command-line flags > this file > environment variables
 * (AZURE_*, ENTRA2AD_*) > built-in defaults. Secrets are never read from here:
 * they come from the environment or from a file named by a flag, so the config
 * can be committed and reviewed.
 *
 * {
 *   "cloud":     { "tenantId", "clientId", "auth", "cloud", "certificatePath" },
 *   "directory": { "url", "bindDn", "caFile", "servername", "startTls" },
 *   "plan":      { "targetOu", "samTemplates", "scope", "attributeMap", "password", ... }  (src/plan/settings.ts)
 *   "apply":     { "directoryConcurrency", "setConsistencyGuid", "createMode", "dcOutageLimitSeconds" }
 * }
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { AUTH_METHODS } from '../cloud/cloud-options.js';
import { CLOUD_NAMES } from '../cloud/national-clouds.js';
import { UsageError } from '../errors.js';

const cloudSection = z.strictObject({
  tenantId: z.string().min(1).optional(),
  clientId: z.string().min(1).optional(),
  auth: z.enum(AUTH_METHODS).optional(),
  cloud: z.enum(CLOUD_NAMES).optional(),
  certificatePath: z.string().min(1).optional(),
});

const directorySection = z.strictObject({
  url: z
    .string()
    .regex(/^ldaps?:\/\//i, { message: 'must start with ldaps:// (or ldap:// with startTls)' })
    .optional(),
  bindDn: z.string().min(1).optional(),
  caFile: z.string().min(1).optional(),
  servername: z.string().min(1).optional(),
  startTls: z.boolean().optional(),
});

export const CREATE_MODES = ['auto', 'portable', 'password-on-add'] as const;
/** apply.directoryConcurrency, and --directory-concurrency (src/config/flags/run.ts). */
export const DIRECTORY_CONCURRENCY_RANGE = { min: 1, max: 32 } as const;
/** apply.dcOutageLimitSeconds, and --dc-outage-limit (src/config/flags/apply.ts). */
export const DC_OUTAGE_LIMIT_RANGE = { min: 0, max: 86_400 } as const;

const applySection = z.strictObject({
  /** LDAP operations in flight on the one connection. Samba serialises writes; a few in flight hide the round trip. */
  directoryConcurrency: z.number().int().min(DIRECTORY_CONCURRENCY_RANGE.min).max(DIRECTORY_CONCURRENCY_RANGE.max).optional(),
  /** Stamp mS-DS-ConsistencyGuid = objectGUID, so the match holds whichever sourceAnchor Connect uses. */
  setConsistencyGuid: z.boolean().optional(),
  /**
   * portable: add disabled -> set password -> enable (works on every DC);
   * password-on-add: one add carrying the password (Samba, some Windows DCs);
   * auto: probe the DC once and use password-on-add when it works.
   */
  createMode: z.enum(CREATE_MODES).optional(),
  /** How long apply waits, reconnecting, for a DC that went away before it stops cleanly (exit 5). Default 300. */
  dcOutageLimitSeconds: z.number().int().min(DC_OUTAGE_LIMIT_RANGE.min).max(DC_OUTAGE_LIMIT_RANGE.max).optional(),
});

export const configFileSchema = z.strictObject({
  $schema: z.string().optional(),
  cloud: cloudSection.optional(),
  directory: directorySection.optional(),
  /** Validated by planSettingsSchema once the flags are merged in. */
  plan: z.record(z.string(), z.unknown()).optional(),
  apply: applySection.optional(),
});

export type ConfigFile = z.output<typeof configFileSchema>;

export async function loadConfigFile(file: string | undefined): Promise<ConfigFile> {
  const { config, problems } = await loadConfigFileWithProblems(file);
  if (problems.length > 0) throw new UsageError('CONFIG_INVALID', `${file} has ${problems.length} problem(s)`, problems, { field: '--config' });
  return config;
}

/**
 * The config file and every problem in it, without stopping at the first section that
 * fails: the sections that are valid are kept, so the caller can check the rest (the
 * plan settings, the connections) and report every problem at once.
 */
export async function loadConfigFileWithProblems(file: string | undefined): Promise<{ config: ConfigFile; problems: string[] }> {
  if (!file) return { config: {}, problems: [] };
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError('CONFIG_UNREADABLE', `cannot read the config file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, [], {
      field: '--config',
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new UsageError('CONFIG_INVALID_JSON', `${file} is not valid JSON: ${(error as Error).message}`, [], { field: '--config' });
  }
  const parsed = configFileSchema.safeParse(raw);
  if (parsed.success) return { config: parsed.data, problems: [] };
  const problems = formatIssues(parsed.error.issues);
  const config: Record<string, unknown> = {};
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    for (const [key, section] of Object.entries(configFileSchema.shape)) {
      const value = (raw as Record<string, unknown>)[key];
      if (value === undefined) continue;
      const one = (section as z.ZodType).safeParse(value);
      if (one.success) config[key] = one.data;
    }
  }
  return { config: config as ConfigFile, problems };
}

/** `path: message` lines (changesets' rule: every problem, each with its path). */
export function formatIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string[] {
  return issues.map((issue) => `${issue.path.length ? issue.path.map(String).join('.') : '(config)'}: ${issue.message}`);
}
