/**
 * What a scoped directory read looks for (pure): the names and anchors of the users
 * one run is about, turned into LDAP equality filters.
 *
 * Every filter is an ldapts filter object: values are BER-encoded as they are
 * (RFC 4511 4.1.7 AttributeValueAssertion; RFC 4515 3 escapes them only in the
 * string form), so a UPN like `*)(objectClass=*` is data, never filter syntax.
 * Anchors are sent as their raw bytes: objectGUID and mS-DS-ConsistencyGuid are
 * octet strings ([MS-ADA3] syntax 2.5.5.10), matched byte for byte.
 *
 * AD compares the text attributes here case-insensitively: sAMAccountName,
 * userPrincipalName, proxyAddresses, mail and name have the String(Unicode) syntax
 * 2.5.5.12, "a case-insensitive Unicode string"
 * (learn.microsoft.com/windows/win32/adschema/s-string-unicode; each attribute's
 * syntax in [MS-ADA1]..[MS-ADA3]), so one value finds every spelling, as the full
 * read's lower-cased comparisons do.
 */
import { EqualityFilter, OrFilter, type Filter } from 'ldapts';
import { dnKey, dnKeyOrText, formatDn, parseDn } from './dn.js';

export interface SnapshotScope {
  userPrincipalNames?: readonly string[];
  samAccountNames?: readonly string[];
  /** Whole proxyAddresses values with their prefix (`SMTP:a@b`); matched case-insensitively, so `SMTP:` also finds `smtp:`. */
  proxyAddresses?: readonly string[];
  /** Values of `mail` (verify's primary SMTP address falls back to it: src/verify/predict.ts). */
  mails?: readonly string[];
  /** Raw anchor bytes, looked for in objectGUID and in mS-DS-ConsistencyGuid. */
  anchors?: readonly Uint8Array[];
  /** DNs a run will create or use: their RDN values are looked for among their parent's children. */
  dns?: readonly string[];
}

/**
 * Equality terms per filter. Every attribute of these terms is indexed in AD's base
 * schema (searchFlags fATTINDEX: objectGUID, sAMAccountName, userPrincipalName, mail,
 * proxyAddresses, name; [MS-ADA1]..[MS-ADA3]), so an OR of them is answered from the
 * indexes; one unindexed term would make the DC walk the whole domain for the chunk.
 * AD has no fixed limit on the terms of one filter, but a
 * search must finish within MaxQueryDuration (120 s) and keep its working set under
 * MaxTempTableSize (10,000 rows) ([MS-ADTS] 3.1.1.3.4.6 LDAP Policies); 100 terms on
 * indexed attributes are 100 index seeks and a request of a few KB (MaxReceiveBuffer is
 * 10 MB), so no chunk comes near either limit, and a run of 10,000 users still takes
 * only a few hundred searches.
 */
export const SCOPE_TERMS_PER_FILTER = 100;

/** One equality assertion, before it is put into a filter. */
export interface ScopeTerm {
  attribute: string;
  value: string | Buffer;
}

/**
 * The equality terms that find objects holding one of the scope's names or anchors
 * (duplicates removed), interleaved: the i-th value of every list before the (i+1)-th
 * of any. The lists are built user by user (src/verify/scope.ts, src/apply/drift.ts), so
 * one user's UPN, addresses and anchor fall into the same chunk, and the object holding
 * them all is returned once instead of once per chunk naming it (measured on the bench
 * DC with 2,000 users: 4 names each, 8,000 entries read back instead of 2,000).
 */
export function objectTerms(scope: SnapshotScope): ScopeTerm[] {
  const terms = new Map<string, ScopeTerm>();
  const add = (attribute: string, value: string | Buffer) => {
    if (typeof value === 'string' && value === '') return;
    if (Buffer.isBuffer(value) && value.length === 0) return;
    const key = `${attribute}\0${typeof value === 'string' ? `s${value.toLowerCase()}` : `b${value.toString('hex')}`}`;
    if (!terms.has(key)) terms.set(key, { attribute, value });
  };
  const lists: [string, readonly (string | Buffer)[]][] = [
    ['userPrincipalName', scope.userPrincipalNames ?? []],
    ['sAMAccountName', scope.samAccountNames ?? []],
    ['proxyAddresses', scope.proxyAddresses ?? []],
    ['mail', scope.mails ?? []],
    // mS-DS-ConsistencyGuid is not among them: see consistencyGuidHolders in scoped-snapshot.ts.
    ['objectGUID', (scope.anchors ?? []).map((bytes) => Buffer.from(bytes))],
  ];
  const longest = Math.max(...lists.map(([, values]) => values.length));
  for (let i = 0; i < longest; i++) for (const [attribute, values] of lists) if (i < values.length) add(attribute, values[i]!);
  return [...terms.values()];
}

/** `(|(a=1)(b=2)...)` filters of at most `size` terms each (a single term stays an OR of one). */
export function chunkedOrFilters(terms: readonly ScopeTerm[], size = SCOPE_TERMS_PER_FILTER): OrFilter[] {
  const out: OrFilter[] = [];
  for (let start = 0; start < terms.length; start += size) {
    const filters: Filter[] = terms.slice(start, start + size).map((t) => new EqualityFilter({ attribute: t.attribute, value: t.value }));
    out.push(new OrFilter({ filters }));
  }
  return out;
}

/**
 * The scope's DNs grouped by parent: parent DN -> the RDN values to look for there.
 * A DN that does not parse is left out (the plan's own checks refuse it).
 */
export function rdnsByParent(dns: readonly string[]): Map<string, { parent: string; values: string[] }> {
  const out = new Map<string, { parent: string; values: string[] }>();
  for (const dn of dns) {
    let rdns;
    try {
      rdns = parseDn(dn);
    } catch {
      continue;
    }
    if (rdns.length < 2) continue;
    const parent = formatDn(rdns.slice(1));
    const key = dnKey(parent);
    const group = out.get(key) ?? { parent, values: [] };
    const value = rdns[0]!.value;
    if (!group.values.some((v) => v.toLowerCase() === value.toLowerCase())) group.values.push(value);
    out.set(key, group);
  }
  return out;
}

/** The part of `next` that `done` does not ask for already (values compared as AD does: text ignoring case, anchors by bytes, DNs by dnKey). */
export function scopeMinus(next: SnapshotScope, done: SnapshotScope): SnapshotScope {
  const text = (a: readonly string[] | undefined, b: readonly string[] | undefined) => {
    const seen = new Set((b ?? []).map((v) => v.toLowerCase()));
    return (a ?? []).filter((v) => !seen.has(v.toLowerCase()));
  };
  const seenAnchors = new Set((done.anchors ?? []).map((v) => Buffer.from(v).toString('hex')));
  const seenDns = new Set((done.dns ?? []).map(dnKeyOrText));
  return {
    userPrincipalNames: text(next.userPrincipalNames, done.userPrincipalNames),
    samAccountNames: text(next.samAccountNames, done.samAccountNames),
    proxyAddresses: text(next.proxyAddresses, done.proxyAddresses),
    mails: text(next.mails, done.mails),
    anchors: (next.anchors ?? []).filter((v) => !seenAnchors.has(Buffer.from(v).toString('hex'))),
    dns: (next.dns ?? []).filter((v) => !seenDns.has(dnKeyOrText(v))),
  };
}

/** Both scopes' values in one. */
export function scopeUnion(a: SnapshotScope, b: SnapshotScope): SnapshotScope {
  return {
    userPrincipalNames: [...(a.userPrincipalNames ?? []), ...(b.userPrincipalNames ?? [])],
    samAccountNames: [...(a.samAccountNames ?? []), ...(b.samAccountNames ?? [])],
    proxyAddresses: [...(a.proxyAddresses ?? []), ...(b.proxyAddresses ?? [])],
    mails: [...(a.mails ?? []), ...(b.mails ?? [])],
    anchors: [...(a.anchors ?? []), ...(b.anchors ?? [])],
    dns: [...(a.dns ?? []), ...(b.dns ?? [])],
  };
}

/** True when the scope asks for nothing. */
export function isEmptyScope(scope: SnapshotScope): boolean {
  return objectTerms(scope).length === 0 && (scope.dns ?? []).length === 0;
}
