/**
 * Provisioning a Samba AD domain, and reusing one.
 *
 * `samba-tool domain provision` takes 4-9 s (measured: src/lab/README.md). Nothing
 * in a fresh provision depends on the folder except `etc/smb.conf`, which
 * names its paths (measured: no other file holds the path), so we provision
 * once per machine into a template and give every DC a copy (about 0.1 s),
 * rewriting smb.conf's paths. DCs copied from one template share the domain
 * SID and the Administrator password; objects created later get their own
 * GUIDs as usual.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { debug } from './debug.js';
import { LabError } from './errors.js';
import { exec } from './exec.js';
import type { SambaBinaries } from './samba-install.js';

export interface DomainNames {
  realm: string;
  domain: string;
  hostname: string;
}

interface TemplateRecord {
  format: 1;
  /** The folder the template was provisioned in: smb.conf names it. */
  provisionedIn: string;
  names: DomainNames;
  sambaVersion: string;
}

const TEMPLATE_FORMAT = 1;

/** Runs samba-tool domain provision into `targetDir` (which must not exist or be empty). */
export async function provisionDomain(binaries: SambaBinaries, targetDir: string, names: DomainNames, adminPassword: string): Promise<void> {
  await mkdir(join(targetDir, 'run'), { recursive: true });
  await mkdir(join(targetDir, 'log'), { recursive: true });
  try {
    await exec(
      binaries.sambaTool,
      [
        'domain',
        'provision',
        `--targetdir=${targetDir}`,
        `--realm=${names.realm}`,
        `--domain=${names.domain}`,
        `--host-name=${names.hostname}`,
        '--server-role=dc',
        // No DNS server: the lab answers LDAP only, and clients reach it by address.
        '--dns-backend=NONE',
        `--adminpass=${adminPassword}`,
        `--option=pid directory=${join(targetDir, 'run')}`,
        `--option=log file=${join(targetDir, 'log', 'log.%m')}`,
      ],
      { secret: [adminPassword], timeoutMs: 180_000 },
    );
  } catch (error) {
    throw new LabError('LAB_PROVISION_FAILED', `samba-tool domain provision failed: ${(error as Error).message}`);
  }
}

function templateKey(names: DomainNames, sambaVersion: string): string {
  return createHash('sha256')
    .update(JSON.stringify({ f: TEMPLATE_FORMAT, names, sambaVersion }))
    .digest('hex')
    .slice(0, 16);
}

async function readTemplate(dir: string): Promise<TemplateRecord | undefined> {
  try {
    const record = JSON.parse(await readFile(join(dir, 'template.json'), 'utf8')) as TemplateRecord;
    return record.format === TEMPLATE_FORMAT ? record : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The template for these names, provisioned now if missing. Concurrent
 * callers race safely: each provisions into its own folder and renames it
 * into place; the loser discards its copy.
 */
async function ensureTemplate(
  binaries: SambaBinaries,
  cacheDir: string,
  names: DomainNames,
  sambaVersion: string,
): Promise<{ dir: string; record: TemplateRecord; adminPassword: string; created: boolean }> {
  const dir = join(cacheDir, `samba-template-${templateKey(names, sambaVersion)}`);
  const existing = await readTemplate(dir);
  if (existing) {
    return { dir, record: existing, adminPassword: (await readFile(join(dir, 'admin-password'), 'utf8')).trim(), created: false };
  }
  await mkdir(cacheDir, { recursive: true, mode: 0o700 });
  const staging = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const adminPassword = labAdminPassword();
  try {
    await provisionDomain(binaries, staging, names, adminPassword);
    const record: TemplateRecord = { format: TEMPLATE_FORMAT, provisionedIn: staging, names, sambaVersion };
    // A lab-only password for a DC that listens on a loopback alias; the cache is root's (samba runs as root).
    await writeFile(join(staging, 'admin-password'), adminPassword, { mode: 0o600 });
    await writeFile(join(staging, 'template.json'), JSON.stringify(record, null, 2));
    try {
      await rename(staging, dir);
    } catch (error) {
      const winner = await readTemplate(dir);
      if (!winner) throw error;
      await rm(staging, { recursive: true, force: true });
      return { dir, record: winner, adminPassword: (await readFile(join(dir, 'admin-password'), 'utf8')).trim(), created: false };
    }
    debug('lab: provisioned template %s', dir);
    return { dir, record, adminPassword, created: true };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

/** Copies the template into `targetDir` and points its smb.conf there. Returns the admin password. */
export async function provisionFromTemplate(
  binaries: SambaBinaries,
  cacheDir: string,
  targetDir: string,
  names: DomainNames,
  sambaVersion: string,
): Promise<{ adminPassword: string; templateCreated: boolean }> {
  const template = await ensureTemplate(binaries, cacheDir, names, sambaVersion);
  await mkdir(targetDir, { recursive: true });
  // cp -a keeps the extended attributes (sysvol NT ACLs) that fs.cp would drop.
  await exec('cp', ['-a', `${template.dir}/.`, targetDir]);
  await rm(join(targetDir, 'admin-password'), { force: true });
  await rm(join(targetDir, 'template.json'), { force: true });
  const confPath = join(targetDir, 'etc', 'smb.conf');
  const conf = await readFile(confPath, 'utf8');
  await writeFile(confPath, conf.split(template.record.provisionedIn).join(targetDir));
  return { adminPassword: template.adminPassword, templateCreated: template.created };
}

/**
 * A random password that satisfies Samba's default policy (complexity on,
 * length >= 7, must not contain the account name).
 */
export function labAdminPassword(): string {
  return `Lab-${randomBytes(12).toString('base64url')}-9a`;
}
