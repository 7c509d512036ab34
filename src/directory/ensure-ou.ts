/**
 * Make sure an OU path exists, creating missing OUs from the top down.
 * Idempotent, and safe against a concurrent creator (ALREADY_EXISTS counts as done).
 */
import { Attribute } from 'ldapts';
import { formatDn, parseDn } from './dn.js';
import { DirectoryError } from './errors.js';
import { entryExists } from './lookup.js';
import type { Session } from './session.js';

/** Returns the DNs it created, top-down (empty when everything existed). */
export async function ensureOu(session: Session, dn: string): Promise<string[]> {
  const rdns = parseDn(dn);
  if (rdns.length === 0) throw new DirectoryError('INVALID_DN', 'ensureOu: empty DN', { usage: true, operation: 'ensureOu' });

  // Deepest first: in the common case (OU already there) this is one search.
  let firstExisting = rdns.length;
  for (let i = 0; i < rdns.length; i++) {
    if (await entryExists(session, formatDn(rdns.slice(i)))) {
      firstExisting = i;
      break;
    }
  }
  if (firstExisting === rdns.length) {
    throw new DirectoryError('NO_SUCH_OBJECT', `ensureOu ${dn}: no part of this DN exists on the DC (wrong domain?)`, {
      dn,
      operation: 'ensureOu',
    });
  }

  const created: string[] = [];
  for (let i = firstExisting - 1; i >= 0; i--) {
    const component = rdns[i]!;
    const target = formatDn(rdns.slice(i));
    if (component.type.toUpperCase() !== 'OU') {
      // Containers (CN=) and domains (DC=) are not ours to create.
      throw new DirectoryError('NO_SUCH_OBJECT', `ensureOu ${dn}: ${target} does not exist and is not an OU, so it is not created`, {
        dn: target,
        operation: 'ensureOu',
      });
    }
    try {
      await session.run({ operation: 'ensureOu', dn: target }, (client) =>
        client.add(target, [
          new Attribute({ type: 'objectClass', values: ['top', 'organizationalUnit'] }),
          new Attribute({ type: 'ou', values: [component.value] }),
        ]),
      );
      created.push(target);
    } catch (error) {
      if (!(error instanceof DirectoryError && error.reason === 'ALREADY_EXISTS')) throw error;
    }
  }
  return created;
}
