/**
 * What the journal keeps of a password this run made: sha256 over a random 16-byte
 * salt and the password's UTF-8 bytes. Enough to recognise the password on resume
 * (credentials.csv is read back as untrusted input: a row someone pre-seeded with a
 * password they know must never be set in AD), not to recover it: a generated password
 * has about 100 bits of entropy (src/plan/passwords.ts), far beyond a search of sha256.
 * A fixed password (mode fixed) is as strong as the admin made it; the journal is 0600
 * in a 0700 folder, like credentials.csv, which holds the password itself.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export interface PasswordDigest {
  salt: string;
  digest: string;
}

export function digestPassword(password: string, salt: string = randomBytes(16).toString('hex')): PasswordDigest {
  return { salt, digest: createHash('sha256').update(Buffer.from(salt, 'hex')).update(password, 'utf8').digest('hex') };
}

/** True when `password` is the one `recorded` was made from (constant time). */
export function matchesDigest(password: string, recorded: PasswordDigest): boolean {
  if (!/^[0-9a-f]{32}$/.test(recorded.salt) || !/^[0-9a-f]{64}$/.test(recorded.digest)) return false;
  const actual = Buffer.from(digestPassword(password, recorded.salt).digest, 'hex');
  return timingSafeEqual(actual, Buffer.from(recorded.digest, 'hex'));
}

/**
 * The UPNs of creates still to do whose credentials.csv row holds a password this run
 * did not make (no journaled digest, or another one): apply refuses them all before
 * anything is written (CREDENTIALS_UNTRUSTED). Pure.
 */
export function untrustedCredentialUsers(
  entries: readonly { cloudId: string; userPrincipalName: string; action: string }[],
  digests: ReadonlyMap<string, { passwordDigest?: PasswordDigest; created?: unknown }>,
  passwords: ReadonlyMap<string, { password: string }>,
): string[] {
  const untrusted: string[] = [];
  for (const entry of entries) {
    if (entry.action !== 'create') continue;
    const progress = digests.get(entry.cloudId);
    if (progress?.created !== undefined) continue;
    const row = passwords.get(entry.userPrincipalName.toLowerCase());
    if (row === undefined) continue;
    if (!progress?.passwordDigest || !matchesDigest(row.password, progress.passwordDigest)) untrusted.push(entry.userPrincipalName);
  }
  return untrusted;
}

/**
 * UPNs with a password in credentials.csv whose account this run has not created (no
 * create was even started: a failure before the add, a name taken): the password is
 * set nowhere yet. Said in the report so nobody hands it out. Pure.
 */
export function credentialsWithoutAccount(
  entries: readonly { cloudId: string; userPrincipalName: string; action: string }[],
  progress: ReadonlyMap<string, { created?: unknown; createStartedDn?: string }>,
  passwords: ReadonlyMap<string, unknown>,
): string[] {
  return entries
    .filter((e) => e.action === 'create' && passwords.has(e.userPrincipalName.toLowerCase()))
    .filter((e) => {
      const p = progress.get(e.cloudId);
      return p?.created === undefined && p?.createStartedDn === undefined;
    })
    .map((e) => e.userPrincipalName);
}
