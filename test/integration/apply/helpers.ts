/**
 * Fixtures for the end-to-end apply tests: the Graph simulator on the sample
 * tenant, the harness DC, the REAL built CLI run as a child process (plan,
 * apply), and independent read-backs: `ldapsearch` for AD, the simulator's
 * recorded state for the cloud.
 *
 * The sample tenant's UPNs and sAMAccountNames are unique domain-wide, so two
 * runs of it cannot live in the one harness DC at the same time: every rig
 * gets its own target OU (`freshOu`), tree-deleted by `rig.close()` before the
 * next test plans the same names (and, as a safety net, after the file).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, InvalidCredentialsError } from 'ldapts';
import { afterAll } from 'vitest';
import type { Plan, PlanEntry } from '../../../src/plan/types.js';
import type { RunReport } from '../../../src/report/run-report.js';
import { generateTenant } from '../../../src/samples/index.js';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../../src/sim/index.js';
import type { SimWrite, TenantSnapshot } from '../../../src/graph/tenant-snapshot.js';
import { cliConnection, dcInfo, deleteTree } from '../../harness/dc.js';
import { ldapsearch } from '../../harness/ldapsearch.js';
import { REPO_ROOT, runCli, type CliResult } from '../../harness/run-cli.js';
import { readCredentials } from '../../../src/journal/credentials-file.js';

export const SAMPLE_TENANT_FILE = join(REPO_ROOT, 'samples', 'tenant.contoso.json');

/**
 * `users` plain cloud-only members in the managed domain `domain` (no edge
 * cases, guests or synced users): every one is planned for creation. A domain
 * of the test's own keeps its UPNs from meeting another test's in the DC.
 */
export function plainTenant(users: number, seed: number, domain: string): TenantSnapshot {
  const tenant = generateTenant({ users, seed, domain, edgeCases: false, syncedFraction: 0, guestFraction: 0 });
  for (const user of tenant.users) {
    user.onPremisesImmutableId = null;
    user.onPremisesSyncEnabled = null;
    user.userType = 'Member';
  }
  return tenant;
}

export async function loadSampleTenant(): Promise<TenantSnapshot> {
  return JSON.parse(await readFile(SAMPLE_TENANT_FILE, 'utf8')) as TenantSnapshot;
}

// ---------------------------------------------------------------- per-test OUs and folders

const ous = new Set<string>();
const dirs: string[] = [];

/**
 * Registers the file's safety net: OUs not yet removed by Rig.close() are
 * tree-deleted, run folders removed, after the file. Set
 * ENTRA2AD_KEEP_TEST_OUTPUT=1 to keep the run folders for a look.
 */
export function useApplyCleanup(): void {
  afterAll(async () => {
    for (const dn of [...ous]) await removeOu(dn);
    if (process.env.ENTRA2AD_KEEP_TEST_OUTPUT) {
      process.stderr.write(`[apply tests] kept: ${dirs.join(' ')}\n`);
      return;
    }
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });
}

/** A target OU under the harness domain that does not exist yet (apply creates it). */
export function freshOu(label = 'apply'): string {
  const dn = `OU=${label}-${randomBytes(4).toString('hex')},${dcInfo().baseDn}`;
  ous.add(dn);
  return dn;
}

export async function removeOu(dn: string): Promise<void> {
  await deleteTree(dn);
  ous.delete(dn);
}

export async function tempDir(label = 'run'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `e2a-apply-${label}-`));
  dirs.push(dir);
  return dir;
}

// ---------------------------------------------------------------- the rig: simulator + DC + CLI

export interface Rig {
  sim: RunningSimulator;
  /** Files that belong to this rig (CA copies, config files). */
  workDir: string;
  ou: string;
  /** Environment for the child: the secrets, nothing else. */
  env: Record<string, string>;
  /** Sign-in and LDAP flags, as an admin would type them. */
  connectionFlags: string[];
  plan(out: string, extra?: string[]): Promise<CliResult>;
  apply(extra: string[], env?: Record<string, string | undefined>): Promise<CliResult>;
  /** Stops the simulator and tree-deletes the OU: the next test plans the same names. */
  close(): Promise<void>;
}

export interface RigOptions {
  /** The tenant as loaded (default: the sample), changed by `edit` before the simulator starts. */
  tenant?: TenantSnapshot;
  sim?: Omit<SimulatorOptions, 'tenant'>;
  ou?: string;
}

export async function startRig(options: RigOptions = {}): Promise<Rig> {
  const tenant = options.tenant ?? (await loadSampleTenant());
  const sim = await startSimulator({ tenant, seed: 1, ...options.sim });
  const workDir = await tempDir('rig');
  const { flags: connectionFlags, env } = await cliConnection(sim, workDir);
  const ou = options.ou ?? freshOu();
  return {
    sim,
    workDir,
    ou,
    env,
    connectionFlags,
    plan: (out, extra = []) => runCli(['plan', ...connectionFlags, '--target-ou', ou, '--out', out, ...extra], { env }),
    apply: (extra, more = {}) => runCli(['apply', ...connectionFlags, ...extra], { env: { ...env, ...more } }),
    close: async () => {
      await sim.close();
      await removeOu(ou);
    },
  };
}

export async function writeConfig(rig: Rig, config: unknown): Promise<string> {
  const file = join(rig.workDir, `config-${randomBytes(3).toString('hex')}.json`);
  await writeFile(file, JSON.stringify(config, null, 2));
  return file;
}

export async function readPlan(dir: string): Promise<Plan> {
  return JSON.parse(await readFile(join(dir, 'plan.json'), 'utf8')) as Plan;
}

export const creates = (plan: Plan): PlanEntry[] => plan.entries.filter((e) => e.action === 'create');

/** report.json as apply wrote it. */
export async function readReport(dir: string): Promise<RunReport> {
  return JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as RunReport;
}

export async function readPasswords(dir: string): Promise<Map<string, string>> {
  const rows = await readCredentials(join(dir, 'credentials.csv'));
  return new Map([...rows.values()].map((row) => [row.userPrincipalName.toLowerCase(), row.password]));
}

// ---------------------------------------------------------------- the cloud side, per the simulator

/** Users whose UPN is in a Federated domain of the tenant: Graph refuses their immutableId today. */
export function federatedUpns(tenant: TenantSnapshot): Set<string> {
  const federated = new Set(tenant.domains.filter((d) => d.authenticationType === 'Federated').map((d) => d.id.toLowerCase()));
  return new Set(tenant.users.map((u) => u.userPrincipalName.toLowerCase()).filter((upn) => federated.has(upn.split('@')[1] ?? '')));
}

export function immutableIdWrites(sim: RunningSimulator): SimWrite[] {
  return (sim.state().writes ?? []).filter((w) => 'onPremisesImmutableId' in w.body);
}

/** Successful (2xx) immutableId writes, per cloud user id. */
export function successfulWritesByUser(sim: RunningSimulator): Map<string, SimWrite[]> {
  const byUser = new Map<string, SimWrite[]>();
  for (const write of immutableIdWrites(sim)) {
    if (write.status < 200 || write.status >= 300 || write.userId === null) continue;
    byUser.set(write.userId, [...(byUser.get(write.userId) ?? []), write]);
  }
  return byUser;
}

export function cloudImmutableIds(sim: RunningSimulator): Map<string, string | null> {
  return new Map(sim.state().users.map((u) => [u.id, (u.onPremisesImmutableId as string | null | undefined) ?? null]));
}

// ---------------------------------------------------------------- the AD side, per ldapsearch

export interface LdifValue {
  /** Decoded text (base64 values decoded as UTF-8). */
  text: string;
  /** The value as printed: the base64 text for `attr::` lines. */
  raw: string;
  base64: boolean;
}

export interface LdifEntry {
  dn: string;
  /** Lower-case attribute name -> values. */
  attributes: Map<string, LdifValue[]>;
}

export function parseLdif(ldif: string): LdifEntry[] {
  const entries: LdifEntry[] = [];
  for (const block of ldif.split(/\n\s*\n/)) {
    const lines = block.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#'));
    if (lines.length === 0) continue;
    let dn = '';
    const attributes = new Map<string, LdifValue[]>();
    for (const line of lines) {
      const match = /^([A-Za-z0-9;-]+)(::?)\s?(.*)$/.exec(line);
      if (!match) throw new Error(`unexpected LDIF line: ${line}`);
      const [, name, sep, rest] = match as unknown as [string, string, string, string];
      const base64 = sep === '::';
      const value: LdifValue = { raw: rest, base64, text: base64 ? Buffer.from(rest, 'base64').toString('utf8') : rest };
      if (name.toLowerCase() === 'dn') dn = value.text;
      else attributes.set(name.toLowerCase(), [...(attributes.get(name.toLowerCase()) ?? []), value]);
    }
    entries.push({ dn, attributes });
  }
  return entries;
}

/**
 * `ldapsearch` (OpenLDAP, not our adapter) below `base`. ldapsearch takes its
 * first non-option argument as the filter when it starts with "(", so the
 * harness helper's attribute list carries it.
 */
export async function searchAd(base: string, filter: string, attributes: string[]): Promise<LdifEntry[]> {
  try {
    const { stdout } = await ldapsearch(base, 'sub', [filter, ...attributes]);
    return parseLdif(stdout);
  } catch (error) {
    // 32 no such object: the OU was never created.
    if (/\(32\)|No such object/i.test((error as Error).message)) return [];
    throw error;
  }
}

export const USER_ATTRIBUTES = [
  'objectGUID', 'userPrincipalName', 'sAMAccountName', 'cn', 'givenName', 'sn', 'displayName', 'mail', 'proxyAddresses',
  'title', 'department', 'company', 'manager', 'userAccountControl', 'pwdLastSet', 'whenChanged', 'uSNChanged', '*',
];

/** Every user object under `ou`, by lower-case UPN (an array: more than one would be a duplicate). */
export async function usersInOu(ou: string): Promise<Map<string, LdifEntry[]>> {
  const entries = await searchAd(ou, '(&(objectClass=user)(!(objectClass=computer)))', USER_ATTRIBUTES);
  const byUpn = new Map<string, LdifEntry[]>();
  for (const entry of entries) {
    const upn = first(entry, 'userPrincipalName')?.toLowerCase() ?? `(no upn) ${entry.dn}`;
    byUpn.set(upn, [...(byUpn.get(upn) ?? []), entry]);
  }
  return byUpn;
}

/** How many objects in the WHOLE domain carry each of these UPNs (catches a copy made outside the OU, too). */
export async function countUpnsInDomain(upns: Iterable<string>): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const upn of upns) counts.set(upn.toLowerCase(), 0);
  const entries = await searchAd(dcInfo().baseDn, '(userPrincipalName=*)', ['userPrincipalName']);
  for (const entry of entries) {
    const upn = first(entry, 'userPrincipalName')?.toLowerCase();
    if (upn !== undefined && counts.has(upn)) counts.set(upn, (counts.get(upn) ?? 0) + 1);
  }
  return counts;
}

export function values(entry: LdifEntry, attribute: string): string[] {
  return (entry.attributes.get(attribute.toLowerCase()) ?? []).map((v) => v.text);
}

export function first(entry: LdifEntry, attribute: string): string | undefined {
  return values(entry, attribute)[0];
}

/** objectGUID exactly as ldapsearch prints it: `objectGUID:: <base64>`. */
export function printedObjectGuid(entry: LdifEntry): string {
  const [guid] = entry.attributes.get('objectguid') ?? [];
  if (!guid?.base64) throw new Error(`${entry.dn}: ldapsearch printed no binary objectGUID`);
  return guid.raw;
}

// ---------------------------------------------------------------- passwords

export type BindCheck = 'ok' | 'must-change' | 'wrong-password' | `other: ${string}`;

/**
 * Simple bind as `upn` with `password` on the harness DC. AD answers 49 with
 * "data 773" when the password is right but must be changed (pwdLastSet 0) and
 * "data 52e" when it is wrong; other data codes (533 disabled...) come back as is.
 */
export async function checkBind(upn: string, password: string): Promise<BindCheck> {
  const dc = dcInfo();
  const client = new Client({
    url: dc.url,
    tlsOptions: { ...(dc.caPem ? { ca: dc.caPem } : {}), ...(dc.servername ? { servername: dc.servername } : {}) },
  });
  try {
    await client.bind(upn, password);
    return 'ok';
  } catch (error) {
    const message = (error as Error).message;
    if (error instanceof InvalidCredentialsError || (error as { code?: number }).code === 49) {
      if (/data 773/i.test(message)) return 'must-change';
      if (/data 52e/i.test(message)) return 'wrong-password';
    }
    return `other: ${message}`;
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

// ---------------------------------------------------------------- guards

/** Fails early, with the reason, when AD still holds objects with the tenant's UPNs (a leftover of another run). */
export async function assertUpnsFree(tenant: TenantSnapshot): Promise<void> {
  const counts = await countUpnsInDomain(tenant.users.map((u) => u.userPrincipalName));
  const taken = [...counts].filter(([, n]) => n > 0).map(([upn]) => upn);
  if (taken.length > 0) {
    throw new Error(`the harness DC already holds ${taken.length} of the sample tenant's UPNs (${taken.slice(0, 3).join(', ')}...): a leftover of an earlier test`);
  }
}
