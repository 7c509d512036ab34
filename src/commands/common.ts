/**
 * Option resolution shared by the commands that read both sides (plan, apply,
 * verify): config file + flags -> validated plan settings, cloud options and
 * directory options. Every problem is reported at once, with its path.
 */
import { guidToBytes, isGuidString } from '../anchor/guid.js';
import type { CloudOptions } from '../cloud/index.js';
import { toCloudOptions, type CloudArgs } from '../config/cloud-args.js';
import type { CommonArgs, PlanFlags } from '../config/flags/planning.js';
import { endpointWarnings } from '../cloud/endpoint-hosts.js';
import { say, type TextSink } from '../output.js';
import { INSECURE_TLS_WARNING } from '../directory/options.js';
import { loadConfigFileWithProblems, type ConfigFile } from '../config/config-file.js';
import { toDirectoryOptions, type DirectoryArgs } from '../config/directory-args.js';
import type { DirectoryConnectionOptions } from '../directory/index.js';
import { UsageError } from '../errors.js';
import { splitMapDn } from '../plan/recovered-identity.js';
import { parsePlanSettings, type PlanSettings } from '../plan/settings.js';

export type { CommonArgs, PlanFlags } from '../config/flags/planning.js';

export interface Resolved {
  config: ConfigFile;
  settings: PlanSettings;
  cloud: CloudOptions;
  directory: DirectoryConnectionOptions | undefined;
  filter: string | undefined;
}

/**
 * `planDefaults` fills settings the flags and file leave out (apply --plan: the plan's target OU).
 * Warnings about the connections (insecure TLS, endpoints) go to `stderr`.
 */
export async function resolveCommon(args: CommonArgs, planDefaults: Record<string, unknown>, stderr: TextSink): Promise<Resolved> {
  // Every problem at once: the file's own, then the plan settings' and the connections' (README "config").
  const { config, problems } = await loadConfigFileWithProblems(args.config);
  const fromFile = config.plan ?? {};
  const scope = { ...((fromFile.scope as Record<string, unknown> | undefined) ?? {}) };
  if (args['include-disabled'] !== undefined) scope.includeDisabled = args['include-disabled'];
  if (args['upn-domain']?.length) scope.upnDomains = args['upn-domain'];
  if (args.group?.length) scope.groups = args.group;
  const password = { ...((fromFile.password as Record<string, unknown> | undefined) ?? {}) };
  if (args['password-mode']) password.mode = args['password-mode'];
  const merged: Record<string, unknown> = { ...planDefaults, ...fromFile, scope, password };
  if (args['target-ou']) merged.targetOu = args['target-ou'];
  if (args.recover !== undefined || args['map-dn']?.length || args['recover-cloud-managed'] !== undefined) merged.recover = recoverWithFlags(merged.recover, args, problems);
  if (args['allow-unknown-object-identifier'] !== undefined) merged.allowUnknownObjectIdentifier = args['allow-unknown-object-identifier'];
  if (args['exchange-csv'] !== undefined) merged.exchangeCsv = args['exchange-csv'];
  const parsed = parsePlanSettings(merged);
  if (!parsed.ok) problems.push(...parsed.problems.map((p) => `plan.${p}`));

  const { directory, cloud } = resolveConnections(args, config, problems);
  if (problems.length > 0 || !parsed.ok) {
    throw new UsageError('CONFIG_INVALID', `${problems.length} problem(s) with the options and config`, problems, args.config ? { field: '--config' } : {});
  }
  if (directory?.insecureTls) say(`warning ${INSECURE_TLS_WARNING}`, stderr);
  for (const warning of endpointWarnings({ ...cloud, authorityHost: cloud.authorityHost ?? process.env.AZURE_AUTHORITY_HOST })) say(`warning ${warning}`, stderr);
  return { config, settings: parsed.settings, cloud: withSignInPrompt(cloud, stderr), directory, filter: args.filter };
}

/** The cloud options with the device-code sign-in message (`--auth device-code`) going to the command's stderr. */
export function withSignInPrompt(cloud: CloudOptions, stderr: TextSink): CloudOptions {
  return { ...cloud, onDeviceCode: (info) => say(info.message, stderr) };
}

/** plan.recover (true/false or an object) with --recover and --map-dn laid over it. */
function recoverWithFlags(fromFile: unknown, args: PlanFlags, problems: string[]): unknown {
  const recover: Record<string, unknown> =
    typeof fromFile === 'object' && fromFile !== null ? { ...(fromFile as Record<string, unknown>) } : { enabled: fromFile === true };
  if (args.recover !== undefined) recover.enabled = args.recover;
  const dnMap = { ...((recover.dnMap as Record<string, unknown> | undefined) ?? {}) };
  for (const arg of args['map-dn'] ?? []) {
    const pair = splitMapDn(arg);
    if (pair) dnMap[pair.from] = pair.to;
    else problems.push(`--map-dn ${arg}: must be OLD=NEW, two DNs such as DC=lost,DC=local=OU=Restored,DC=corp,DC=example,DC=com (use plan.recover.dnMap in the config file when a split is ambiguous)`);
  }
  recover.dnMap = dnMap;
  if (args['recover-cloud-managed'] !== undefined) recover.cloudManaged = args['recover-cloud-managed'] ? 'recover' : 'block';
  return recover;
}

/**
 * The DC and Graph connection options from flags over the config file (the
 * environment fills the rest later); problems are added to `problems`, not thrown,
 * so the caller reports every one at once. Shared by plan, apply, verify, rollback.
 */
export function resolveConnections(
  args: CloudArgs & DirectoryArgs,
  config: ConfigFile,
  problems: string[],
): { directory: DirectoryConnectionOptions | undefined; cloud: CloudOptions } {
  let directory: DirectoryConnectionOptions | undefined;
  try {
    directory = toDirectoryOptions(args, config.directory);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    problems.push(...error.problems);
  }
  let cloud: CloudOptions = {};
  try {
    cloud = { ...definedOnly(config.cloud ?? {}), ...toCloudOptions(args) };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    problems.push(`${error.field ?? 'cloud'}: ${error.message}`);
  }
  return { directory, cloud };
}

/**
 * Signed in to another tenant than the run's (rollback, apply's identifier clear): its
 * users' ids would not exist there, or worse. Only two tenant GUIDs compare; a tenant
 * named by a domain cannot be checked here, and passes.
 */
export function isOtherTenant(runTenantId: string, signedIn: string | undefined): boolean {
  if (!signedIn || !isGuidString(runTenantId) || !isGuidString(signedIn)) return false;
  return !guidToBytes(runTenantId).equals(guidToBytes(signedIn));
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
