/**
 * Passwords on the wire.
 *
 * AD takes a password as `unicodePwd` = UTF-16LE of the password wrapped in
 * double quotes, and only over an encrypted connection
 * (learn.microsoft.com/troubleshoot/windows-server/active-directory/set-user-password-with-ldifde,
 * [MS-ADTS] 3.1.1.3.1.5.2). The bytes are built at the last moment and never logged.
 */
import { randomInt } from 'node:crypto';

export function encodeUnicodePwd(password: string): Buffer {
  return Buffer.from(`"${password}"`, 'utf16le');
}

const CLASSES = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '-_.!#%+=@'] as const;

/**
 * A random password that meets AD's default complexity rules (three of four
 * character classes, length >= 7, no part of the account name): used by the
 * capability probe only. 24 characters, every class present.
 */
export function randomProbePassword(length = 24): string {
  const all = CLASSES.join('');
  const chars = CLASSES.map((set) => set[randomInt(set.length)]!);
  while (chars.length < length) chars.push(all[randomInt(all.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}
