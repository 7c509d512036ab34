/**
 * Checks against Microsoft's Graph metadata, from the pinned extract
 * test/fixtures/graph-metadata/extract.json (made by scripts/extract-graph-metadata.mjs
 * from github.com/microsoftgraph/msgraph-metadata; its commit is in the file):
 *
 * - `objectProblems`: an object the simulator served has only properties its
 *   type declares on that API version, each with the declared JSON type and
 *   nullability (a collection is never null);
 * - `requestProblems`: a request the cloud adapter sent names a route that exists
 *   on its version (entity set or singleton, keys, navigation properties, casts,
 *   `$count`, bound actions), and every `$select`, `$expand` and `$filter`
 *   property exists on the type the route resolves to.
 *
 * Pure; every problem is a sentence naming the version, the type and the property.
 */
import { readFileSync } from 'node:fs';

interface PropertyDef {
  type: string | null;
  nullable: boolean;
  fromDocs?: string;
}
interface TypeDef {
  kind: 'entity' | 'complex';
  baseType?: string;
  properties: Record<string, PropertyDef>;
  navigationProperties: Record<string, { type: string | null }>;
}
export interface MetadataExtract {
  source: { repository: string; commit: string };
  entitySets: Record<string, string>;
  singletons: Record<string, string>;
  actions: Record<string, { bindingParameter: string }>;
  enums: Record<string, string[]>;
  versions: Record<'v1.0' | 'beta', Record<string, TypeDef>>;
}
export type Version = 'v1.0' | 'beta';

export function loadExtract(): MetadataExtract {
  return JSON.parse(readFileSync(new URL('../fixtures/graph-metadata/extract.json', import.meta.url), 'utf8')) as MetadataExtract;
}

const local = (type: string) => type.replace(/^Collection\((.*)\)$/, '$1').replace(/^(graph|microsoft\.graph)\./, '');
const isCollection = (type: string) => type.startsWith('Collection(');

/** The type and its base types, most derived first. */
function chain(meta: MetadataExtract, version: Version, name: string): TypeDef[] {
  const out: TypeDef[] = [];
  for (let t = meta.versions[version][name]; t; t = t.baseType ? meta.versions[version][t.baseType] : undefined) out.push(t);
  return out;
}

export function propertyOf(meta: MetadataExtract, version: Version, type: string, name: string): PropertyDef | undefined {
  for (const t of chain(meta, version, type)) if (Object.hasOwn(t.properties, name)) return t.properties[name];
  return undefined;
}

function navigationOf(meta: MetadataExtract, version: Version, type: string, name: string): { type: string | null } | undefined {
  for (const t of chain(meta, version, type)) if (Object.hasOwn(t.navigationProperties, name)) return t.navigationProperties[name];
  return undefined;
}

/** Whether a JSON value fits an EDM type (`Collection(...)` handled by the caller). */
function fits(meta: MetadataExtract, version: Version, edm: string, value: unknown, where: string, problems: string[]): void {
  const t = local(edm);
  switch (t) {
    case 'Edm.String':
    case 'Edm.Guid':
    case 'Edm.DateTimeOffset':
    case 'Edm.Date':
    case 'Edm.Duration':
    case 'Edm.Binary':
      if (typeof value !== 'string') problems.push(`${where}: ${JSON.stringify(value)} is not a string (${t})`);
      return;
    case 'Edm.Boolean':
      if (typeof value !== 'boolean') problems.push(`${where}: ${JSON.stringify(value)} is not a boolean`);
      return;
    case 'Edm.Int32':
    case 'Edm.Int64':
    case 'Edm.Double':
      if (typeof value !== 'number') problems.push(`${where}: ${JSON.stringify(value)} is not a number (${t})`);
      return;
    default:
      if (meta.enums[t]) {
        if (typeof value !== 'string' || !value.split(',').every((v) => meta.enums[t]!.includes(v.trim()))) problems.push(`${where}: ${JSON.stringify(value)} is not a ${t} member`);
        return;
      }
      if (meta.versions[version][t]?.kind === 'complex') {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) problems.push(`${where}: not an object (${t})`);
        else problems.push(...objectProblems(meta, version, t, value as Record<string, unknown>, where));
        return;
      }
      // A type outside the extract (a complex type of a property entra2ad never reads): only "some JSON".
      if (value === undefined) problems.push(`${where}: undefined`);
  }
}

/** Problems with one served object of `type` on `version` (`@odata.*` annotations skipped; `@odata.type` switches the type). */
export function objectProblems(meta: MetadataExtract, version: Version, type: string, object: Record<string, unknown>, at = type): string[] {
  const problems: string[] = [];
  const cast = typeof object['@odata.type'] === 'string' ? local((object['@odata.type'] as string).replace(/^#/, '')) : type;
  if (!meta.versions[version][cast]) return [`${version} ${at}: type ${cast} is not in the extract`];
  for (const [name, value] of Object.entries(object)) {
    if (name.includes('@')) continue;
    const where = `${version} ${cast}.${name}`;
    const property = propertyOf(meta, version, cast, name);
    if (!property) {
      const navigation = navigationOf(meta, version, cast, name);
      if (!navigation) problems.push(`${where}: not declared on ${version}`);
      else if (value !== null && navigation.type) {
        const target = local(navigation.type);
        const items = isCollection(navigation.type) ? (Array.isArray(value) ? value : (problems.push(`${where}: not an array`), [])) : [value];
        for (const item of items) problems.push(...objectProblems(meta, version, target, item as Record<string, unknown>, where));
      }
      continue;
    }
    if (property.type === null) continue; // beta-only property: the lists give no type
    if (value === null) {
      if (isCollection(property.type)) problems.push(`${where}: null, but a collection is never null (empty: [])`);
      else if (!property.nullable) problems.push(`${where}: null, but declared Nullable="false"`);
      continue;
    }
    if (isCollection(property.type)) {
      if (!Array.isArray(value)) problems.push(`${where}: not an array (${property.type})`);
      else value.forEach((item, i) => fits(meta, version, property.type as string, item, `${where}[${i}]`, problems));
    } else fits(meta, version, property.type, value, where, problems);
  }
  return problems;
}

const FILTER_WORDS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'and', 'or', 'not', 'in', 'true', 'false', 'null', 'has', 'any', 'all', 'startswith', 'endswith', 'contains']);

/** Property names a `$filter` expression uses (first segment of each path; lambda variables and literals left out). */
export function filterProperties(filter: string): string[] {
  const text = filter.replace(/'(?:[^']|'')*'/g, "''");
  const lambdaVariables = new Set([...text.matchAll(/\/(?:any|all)\(\s*([A-Za-z_]\w*)\s*:/g)].map((m) => m[1] as string));
  const names = new Set<string>();
  for (const m of text.matchAll(/(?<![\w/.])([A-Za-z_]\w*)(?:\/[\w/]+)?(?!\w*\()/g)) {
    const name = m[1] as string;
    if (FILTER_WORDS.has(name.toLowerCase()) || lambdaVariables.has(name) || /^[0-9a-f]{8}$/i.test(name)) continue;
    names.add(name);
  }
  return [...names];
}

/** What a request's path resolves to: the type of what it returns, and whether it is a collection. */
export interface Resolved {
  type: string;
  collection: boolean;
}

/**
 * Problems with one request the adapter sent: `url` is absolute or starts with
 * `/v1.0/` or `/beta/`. `$batch` itself is not in the metadata (JSON batching is
 * a protocol feature): pass its items instead.
 */
export function requestProblems(meta: MetadataExtract, method: string, url: string, body?: unknown): string[] {
  const parsed = new URL(url, 'https://graph.example');
  const [versionSegment, ...rest] = parsed.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (versionSegment !== 'v1.0' && versionSegment !== 'beta') return [`${method} ${url}: no API version in the path`];
  const version: Version = versionSegment;
  const route = `${method} /${version}/${rest.join('/')}`;
  const problems: string[] = [];
  let current: Resolved | undefined;
  const [first, ...segments] = rest;
  if (first === undefined) return [`${route}: no resource`];
  if (meta.entitySets[first]) current = { type: meta.entitySets[first] as string, collection: true };
  else if (meta.singletons[first]) current = { type: meta.singletons[first] as string, collection: false };
  else return [`${route}: ${first} is neither an entity set nor a singleton`];
  for (const segment of segments) {
    if (segment === '$count') {
      if (!current.collection) problems.push(`${route}: $count on a single object`);
      return problems;
    }
    if (segment.startsWith('microsoft.graph.')) {
      const cast = segment.slice('microsoft.graph.'.length);
      if (!meta.versions[version][cast]) problems.push(`${route}: cast to ${cast}, not a type on ${version}`);
      current = { type: cast, collection: current.collection };
      continue;
    }
    const action = meta.actions[segment];
    if (action && current.collection) {
      const bound = local(action.bindingParameter);
      const boundType = meta.versions[version][bound];
      if (!boundType || !chain(meta, version, current.type).includes(boundType)) problems.push(`${route}: ${segment} is not bound to ${current.type}`);
      return problems; // an action's answer is its own
    }
    if (current.collection) {
      current = { type: current.type, collection: false }; // a key
      continue;
    }
    const navigation = navigationOf(meta, version, current.type, segment);
    if (!navigation) return [...problems, `${route}: ${segment} is not a navigation property of ${current.type} on ${version}`];
    if (!navigation.type) return problems; // beta-only navigation: no type to go on
    current = { type: local(navigation.type), collection: isCollection(navigation.type) };
  }
  // A PATCH body names properties of the resolved type (learn.microsoft.com/graph/api/user-update: "properties to update").
  if (method === 'PATCH' && typeof body === 'object' && body !== null) {
    for (const name of Object.keys(body)) {
      if (!name.startsWith('@') && !propertyOf(meta, version, current.type, name)) problems.push(`${route}: PATCH body property ${name} is not a property of ${current.type} on ${version}`);
    }
  }
  const options = new Map([...parsed.searchParams].map(([k, v]) => [k.toLowerCase(), v]));
  const select = options.get('$select');
  if (select) {
    for (const name of select.split(',').map((s) => s.trim()).filter(Boolean)) {
      if (!propertyOf(meta, version, current.type, name) && !navigationOf(meta, version, current.type, name)) problems.push(`${route}: $select=${name} is not a property of ${current.type} on ${version}`);
    }
  }
  const expand = options.get('$expand');
  if (expand) {
    const name = expand.replace(/\(.*\)$/, '').trim();
    const navigation = navigationOf(meta, version, current.type, name);
    if (!navigation) problems.push(`${route}: $expand=${name} is not a navigation property of ${current.type} on ${version}`);
    const inner = /\(\$select=([^)]*)\)/.exec(expand)?.[1];
    if (navigation?.type && inner) {
      for (const n of inner.split(',')) if (!propertyOf(meta, version, local(navigation.type), n.trim())) problems.push(`${route}: $expand=${name}($select=${n}) is not a property of ${local(navigation.type)}`);
    }
  }
  const filter = options.get('$filter');
  if (filter) {
    for (const name of filterProperties(filter)) {
      if (!propertyOf(meta, version, current.type, name)) problems.push(`${route}: $filter on ${name}, not a property of ${current.type} on ${version}`);
    }
  }
  return problems;
}
