/**
 * The directory as the planner sees it (DirectorySnapshot): everything that
 * can collide with a new user, read in pages.
 *
 * sAMAccountName is unique per domain and UPN per forest, so `objects` covers
 * the whole domain naming context. In a multi-domain forest, UPNs of other
 * domains are not seen here (they would need a Global Catalog search on 3268/3269).
 */
import { EqualityFilter, OrFilter, PresenceFilter } from 'ldapts';
import { dnKeyOrText, rdnType, rdnValue } from './dn.js';
import type { Entry } from 'ldapts';
import { bytesToGuid } from '../anchor/index.js';
import { isGuidAttribute } from '../exchange/attributes.js';
import { buffers, EXPLICIT_BUFFER_ATTRIBUTES, OBJECT_ATTRIBUTES, strings, toDirectoryObject } from './entry.js';
import { readExchangeSchema } from './exchange-schema.js';
import { entryExists } from './lookup.js';
import { readProtectedMembership } from './protected-accounts.js';
import { readRootDse } from './root-dse.js';
import type { Session } from './session.js';
import type { DirectorySnapshot } from './types.js';

export interface ReadSnapshotOptions {
  /** The naming context to read; discovered from the rootDSE `defaultNamingContext` when absent. */
  domainDn?: string;
  /** The OU new users go to. It may not exist yet. */
  targetOu: string;
  /** Page size for the paged search (RFC 2696). AD's MaxPageSize defaults to 1000. Default 500. */
  pageSize?: number;
}

/** Anything that holds one of the names we could collide with. */
export const COLLIDABLE = new OrFilter({
  filters: [
    new PresenceFilter({ attribute: 'sAMAccountName' }),
    new PresenceFilter({ attribute: 'userPrincipalName' }),
    new PresenceFilter({ attribute: 'proxyAddresses' }),
  ],
});

/** OUs and containers (MS-ADSC: organizationalUnit, container; builtinDomain is CN=Builtin). */
export const CONTAINERS = new OrFilter({
  filters: [
    new EqualityFilter({ attribute: 'objectClass', value: 'organizationalUnit' }),
    new EqualityFilter({ attribute: 'objectClass', value: 'container' }),
    new EqualityFilter({ attribute: 'objectClass', value: 'builtinDomain' }),
  ],
});

export async function readSnapshot(session: Session, options: ReadSnapshotOptions): Promise<DirectorySnapshot> {
  const domainDn = options.domainDn ?? (await readRootDse(session)).defaultNamingContext;
  // What the forest can hold decides what the plan stamps (src/exchange/attributes.ts); the objects' own values
  // of those attributes tell apply what is missing and verify what a match would lose.
  const exchangeSchema = await readExchangeSchema(session);
  const guidAttributes = exchangeSchema.attributes.filter(isGuidAttribute);
  const entries = await session.search(
    domainDn,
    {
      scope: 'sub',
      filter: COLLIDABLE,
      attributes: [...OBJECT_ATTRIBUTES, ...exchangeSchema.attributes],
      explicitBufferAttributes: [...EXPLICIT_BUFFER_ATTRIBUTES, ...guidAttributes, ...guidAttributes.map((a) => a.toLowerCase())],
      paged: { pageSize: options.pageSize ?? 500 },
    },
    { operation: 'readSnapshot', dn: domainDn },
  );
  const objects = entries.map((entry) => {
    const object = toDirectoryObject(entry);
    const exchange = exchangeValuesOf(entry, exchangeSchema.attributes);
    if (exchange) object.exchange = exchange;
    return object;
  });
  // Members (nested) of AD's protected groups: never adopted without an explicit allow (src/plan/decide-user.ts).
  const protectedMembers = await readProtectedMembership(session, domainDn);
  for (const object of objects) {
    const groups = protectedMembers.get(dnKeyOrText(object.dn));
    if (groups) object.protectedGroups = groups;
  }

  const targetOuExists = await entryExists(session, options.targetOu);
  let cnsInTargetOu: string[] = [];
  if (targetOuExists) {
    const children = await session.search(
      options.targetOu,
      { scope: 'one', attributes: ['1.1'], paged: { pageSize: options.pageSize ?? 500 } },
      { operation: 'readSnapshot', dn: options.targetOu },
    );
    // The RDN value is what must be unique under the parent; taking it from the
    // DN (not the cn attribute) also covers children whose RDN is not CN.
    cnsInTargetOu = children.filter((c) => rdnType(c.dn) === 'CN').map((c) => rdnValue(c.dn));
  }
  // Where recovered users may go back to: the OUs and containers there are (plan.ldif adds the missing ones).
  const containers = (
    await session.search(
      domainDn,
      { scope: 'sub', filter: CONTAINERS, attributes: ['1.1'], paged: { pageSize: options.pageSize ?? 500 } },
      { operation: 'readSnapshot', dn: domainDn },
    )
  ).map((c) => c.dn);
  return { domainDn, targetOu: options.targetOu, targetOuExists, objects, cnsInTargetOu, containers, exchangeSchema };
}

/** The object's values of `names` (GUID attributes as GUID strings; a value that is not 16 bytes as its hex), or undefined when it holds none. */
export function exchangeValuesOf(entry: Entry, names: readonly string[]): Record<string, string[]> | undefined {
  let out: Record<string, string[]> | undefined;
  for (const name of names) {
    const values = isGuidAttribute(name) ? buffers(entry, name).map((b) => (b.length === 16 ? bytesToGuid(b) : b.toString('hex'))) : strings(entry, name);
    if (values.length > 0) (out ??= {})[name] = values;
  }
  return out;
}
