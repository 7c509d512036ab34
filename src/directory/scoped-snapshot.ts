/**
 * The directory as one run needs it: a DirectorySnapshot whose `objects` are only
 * the objects that hold one of the run's names or anchors, and whose `cnsInTargetOu`
 * are only the run's CNs that are taken, instead of everything in the domain.
 *
 * What is kept, because the checks built on a snapshot need it: the Exchange schema
 * (what may be stamped), the protected-group membership of the objects found (adopt
 * refuses protected accounts: protected-accounts.ts), and the domain's OUs and
 * containers (where recovered users may go). `objects` holds what the full read
 * (snapshot.ts) would hold of those objects, no more: an object is taken only when it
 * holds sAMAccountName, userPrincipalName or proxyAddresses, as there.
 *
 * The full read grows with the domain; this one with the run: a run of 400 users in a
 * domain of 100,000 objects reads about 400 objects. Planning still needs every name
 * (a new sAMAccountName must be free of all of them): plan and apply --out use the full read.
 */
import { AndFilter, PresenceFilter, type Entry } from 'ldapts';
import { guidToBytes } from '../anchor/index.js';
import { isGuidAttribute } from '../exchange/attributes.js';
import { dnKeyOrText, rdnType, rdnValue } from './dn.js';
import { DirectoryError } from './errors.js';
import { buffers, EXPLICIT_BUFFER_ATTRIBUTES, OBJECT_ATTRIBUTES, strings, toDirectoryObject } from './entry.js';
import { readExchangeSchema } from './exchange-schema.js';
import { entryExists } from './lookup.js';
import { readProtectedMembershipOf } from './protected-accounts.js';
import { readRootDse } from './root-dse.js';
import { chunkedOrFilters, objectTerms, rdnsByParent, SCOPE_TERMS_PER_FILTER, type SnapshotScope } from './scope.js';
import type { Session } from './session.js';
import { COLLIDABLE, CONTAINERS, exchangeValuesOf } from './snapshot.js';
import type { DirectoryObject, DirectorySnapshot } from './types.js';

export interface ReadScopedSnapshotOptions {
  /** The naming context to read; discovered from the rootDSE `defaultNamingContext` when absent. */
  domainDn?: string;
  /** The OU new users go to. It may not exist yet. */
  targetOu: string;
  scope: SnapshotScope;
  /** Equality terms per search filter; default SCOPE_TERMS_PER_FILTER (scope.ts says why). */
  termsPerFilter?: number;
  /** Page size for the paged searches (RFC 2696). Default 500. */
  pageSize?: number;
  /**
   * Only the objects (and the target OU's CNs): no protected-group membership, no containers.
   * For a reader that judges nothing by them (verify's predictions: src/verify/predict.ts):
   * the membership is a search per protected group and chunk of objects found, the
   * containers one over the whole domain.
   */
  objectsOnly?: boolean;
}

export async function readScopedSnapshot(session: Session, options: ReadScopedSnapshotOptions): Promise<DirectorySnapshot> {
  const domainDn = options.domainDn ?? (await readRootDse(session)).defaultNamingContext;
  const pageSize = options.pageSize ?? 500;
  const size = options.termsPerFilter ?? SCOPE_TERMS_PER_FILTER;
  const exchangeSchema = await readExchangeSchema(session);
  const guidAttributes = exchangeSchema.attributes.filter(isGuidAttribute);
  const attributes = [...OBJECT_ATTRIBUTES, ...exchangeSchema.attributes];
  const explicitBufferAttributes = [...EXPLICIT_BUFFER_ATTRIBUTES, ...guidAttributes, ...guidAttributes.map((a) => a.toLowerCase())];

  // Everything at once: ldapts multiplexes the searches on the one connection.
  const byTerms = Promise.all(
    chunkedOrFilters(objectTerms(options.scope), size).map((terms) =>
      session.search(
        domainDn,
        { scope: 'sub', filter: new AndFilter({ filters: [COLLIDABLE, terms] }), attributes, explicitBufferAttributes, paged: { pageSize } },
        { operation: 'readScopedSnapshot', dn: domainDn },
      ),
    ),
  );
  // A DN's RDN value is the object's `name` ([MS-ADA3] 2.1 "name": "the relative distinguished name of an object";
  // [MS-ADTS] 3.1.1.1.4), unique among its siblings whatever the RDN's type ([MS-ADTS] 3.1.1.3.1.2.1), and indexed.
  const byRdn = Promise.all(
    [...rdnsByParent(options.scope.dns ?? [])].flatMap(([, { parent, values }]) =>
      chunkedOrFilters(values.map((value) => ({ attribute: 'name', value })), size).map(async (filter) => ({
        parent,
        children: await childrenOrNone(session, parent, { scope: 'one', filter, attributes, explicitBufferAttributes, paged: { pageSize } }),
      })),
    ),
  );
  const [termEntries, rdnEntries, holderEntries, targetOuExists, containerEntries] = await Promise.all([
    byTerms,
    byRdn,
    consistencyGuidHolders(session, domainDn, options.scope.anchors ?? [], { attributes, explicitBufferAttributes, pageSize, size }),
    entryExists(session, options.targetOu),
    // Where recovered users may go back to, as in the full read.
    options.objectsOnly
      ? undefined
      : session.search(domainDn, { scope: 'sub', filter: CONTAINERS, attributes: ['1.1'], paged: { pageSize } }, { operation: 'readScopedSnapshot', dn: domainDn }),
  ]);

  const objects = new Map<string, DirectoryObject>();
  const take = (entry: Entry) => {
    const key = dnKeyOrText(entry.dn);
    if (objects.has(key)) return;
    const object = toDirectoryObject(entry);
    const exchange = exchangeValuesOf(entry, exchangeSchema.attributes);
    if (exchange) object.exchange = exchange;
    objects.set(key, object);
  };
  for (const entries of [...termEntries, holderEntries]) for (const entry of entries) take(entry);
  const targetKey = dnKeyOrText(options.targetOu);
  const cnsInTargetOu: string[] = [];
  for (const { parent, children } of rdnEntries) {
    const inTargetOu = dnKeyOrText(parent) === targetKey;
    for (const child of children) {
      // The same rule as the full read: only a child that holds a name we could collide with is an object.
      if (holdsCollidable(child)) take(child);
      if (inTargetOu && targetOuExists && rdnType(child.dn) === 'CN') cnsInTargetOu.push(rdnValue(child.dn));
    }
  }
  // Members (nested) of AD's protected groups, among the objects found: what protectionOf judges (drift: an adopt target that became protected).
  if (!options.objectsOnly) {
    const guids = chunkedOrFilters([...objects.values()].map((o) => ({ attribute: 'objectGUID', value: guidToBytes(o.objectGuid) })), size);
    const protectedMembers = await readProtectedMembershipOf(session, domainDn, guids);
    for (const [key, object] of objects) {
      const groups = protectedMembers.get(key);
      if (groups) object.protectedGroups = groups;
    }
  }
  return {
    domainDn,
    targetOu: options.targetOu,
    targetOuExists,
    objects: [...objects.values()],
    cnsInTargetOu,
    ...(containerEntries ? { containers: containerEntries.map((c) => c.dn) } : {}),
    exchangeSchema,
  };
}

function holdsCollidable(entry: Entry): boolean {
  return ['sAMAccountName', 'userPrincipalName', 'proxyAddresses'].some((name) => strings(entry, name).length > 0);
}

/** The parent's children matching `options`; none when the parent does not exist (a recovery OU plan.ldif adds). */
async function childrenOrNone(session: Session, parent: string, options: Parameters<Session['search']>[1]): Promise<Entry[]> {
  try {
    return await session.search(parent, options, { operation: 'readScopedSnapshot', dn: parent });
  } catch (error) {
    if (error instanceof DirectoryError && error.reason === 'NO_SUCH_OBJECT') return [];
    throw error;
  }
}

/**
 * The objects whose mS-DS-ConsistencyGuid is one of `anchors`. The attribute is not
 * indexed in AD's base schema ([MS-ADA2] 2.60 mS-DS-ConsistencyGuid: searchFlags 0),
 * so an equality filter on it makes the DC walk the whole domain, once per chunk.
 * Instead: one search for every object holding a value (returning only that value),
 * matched here, then the matching objects read in full by objectGUID (indexed).
 */
async function consistencyGuidHolders(
  session: Session,
  domainDn: string,
  anchors: readonly Uint8Array[],
  read: { attributes: string[]; explicitBufferAttributes: string[]; pageSize: number; size: number },
): Promise<Entry[]> {
  if (anchors.length === 0) return [];
  const wanted = new Set(anchors.map((a) => Buffer.from(a).toString('hex')));
  const holders = await session.search(
    domainDn,
    {
      scope: 'sub',
      filter: new AndFilter({ filters: [COLLIDABLE, new PresenceFilter({ attribute: 'mS-DS-ConsistencyGuid' })] }),
      attributes: ['objectGUID', 'mS-DS-ConsistencyGuid'],
      explicitBufferAttributes: EXPLICIT_BUFFER_ATTRIBUTES,
      paged: { pageSize: read.pageSize },
    },
    { operation: 'readScopedSnapshot', dn: domainDn },
  );
  // An object whose own objectGUID is a wanted anchor is found by that objectGUID term already
  // (objectTerms): after an apply that is every user it created, whose ConsistencyGuid is its objectGUID.
  const guids = holders
    .filter((h) => buffers(h, 'mS-DS-ConsistencyGuid').some((b) => wanted.has(b.toString('hex'))))
    .flatMap((h) => buffers(h, 'objectGUID'))
    .filter((guid) => !wanted.has(guid.toString('hex')));
  const found = await Promise.all(
    chunkedOrFilters(guids.map((value) => ({ attribute: 'objectGUID', value })), read.size).map((filter) =>
      session.search(
        domainDn,
        { scope: 'sub', filter, attributes: read.attributes, explicitBufferAttributes: read.explicitBufferAttributes, paged: { pageSize: read.pageSize } },
        { operation: 'readScopedSnapshot', dn: domainDn },
      ),
    ),
  );
  return found.flat();
}
