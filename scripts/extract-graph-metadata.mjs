#!/usr/bin/env node
/**
 * Makes test/fixtures/graph-metadata/extract.json, the pinned extract of
 * Microsoft's Graph metadata the conformance tests read
 * (test/integration/sim/conformance.test.ts). Tests never read the full copy
 * or the network: regenerate this file when the metadata moves.
 *
 *   node scripts/extract-graph-metadata.mjs DIR [OUT]
 *
 * DIR holds files copied unchanged from github.com/microsoftgraph/msgraph-metadata:
 *   v1.0-Prod.csdl          (schemas/v1.0-Prod.csdl)
 *   beta-entity-types.json  (schemas/type-mappings/beta-entity-types.json)
 *   beta-complex-types.json (schemas/type-mappings/beta-complex-types.json)
 *   README.md               naming the commit they were copied at (a 40-hex id)
 *
 * What is extracted, per API version, for the types the simulator serves or the
 * cloud adapter reads (ROOT_TYPES) plus their base types and the complex and enum
 * types their properties use: every property with its type and nullability
 * (v1.0; beta's lists have names only, its types are taken from v1.0 where the
 * property exists there), navigation properties with their types, the entity
 * sets and singletons the adapter starts its paths at, and the bound actions it
 * calls. Beta's base types and entity container are not in the beta lists: the
 * v1.0 ones are used (an assumption the extract records).
 *
 * DOC_ADDITIONS: properties Microsoft's docs use that the metadata does not list
 * yet (the metadata lags the service), each with its link.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT_TYPES = [
  'user',
  'group',
  'domain',
  'directoryRole',
  'unifiedRoleDefinition',
  'unifiedRoleAssignment',
  'unifiedRoleEligibilityScheduleInstance',
  'administrativeUnit',
  'onPremisesDirectorySynchronization',
  'onPremisesSyncBehavior',
  'organization',
  // Path segments: /roleManagement/directory/..., /directory/...
  'roleManagement',
  'rbacApplication',
  'directory',
];
const ENTITY_SETS = ['users', 'groups', 'domains', 'directoryObjects', 'directoryRoles', 'organization'];
const SINGLETONS = ['directory', 'roleManagement'];
const ACTIONS = ['getByIds'];

const DOC_ADDITIONS = [
  {
    version: 'beta',
    type: 'user',
    property: 'onPremisesObjectIdentifier',
    edmType: 'Edm.String',
    nullable: true,
    source: 'https://learn.microsoft.com/entra/identity/hybrid/connect/tshoot-clear-on-premises-attributes',
    why: 'read and cleared on /beta/users by Microsoft\'s July 2026 hard-match hardening docs; in no metadata list at the pinned commit',
  },
];

const [dir, out = 'test/fixtures/graph-metadata/extract.json'] = process.argv.slice(2);
if (!dir) {
  console.error('usage: node scripts/extract-graph-metadata.mjs DIR [OUT]');
  process.exit(2);
}

const csdl = readFileSync(join(dir, 'v1.0-Prod.csdl'), 'utf8');
const betaEntities = JSON.parse(readFileSync(join(dir, 'beta-entity-types.json'), 'utf8'))['microsoft.graph'];
const betaComplex = JSON.parse(readFileSync(join(dir, 'beta-complex-types.json'), 'utf8'))['microsoft.graph'];
const commit = /\b[0-9a-f]{40}\b/.exec(readFileSync(join(dir, 'README.md'), 'utf8'))?.[0];
if (!commit) throw new Error(`${dir}/README.md names no 40-hex commit`);

// ---- v1.0 CSDL: the microsoft.graph schema only (other namespaces reuse names like `user`).
const start = csdl.indexOf('<Schema Namespace="microsoft.graph" ');
const end = csdl.indexOf('</Schema>', start);
const schema = csdl.slice(start, end);

const attr = (text, name) => new RegExp(`\\b${name}="([^"]*)"`).exec(text)?.[1];
const local = (type) => type.replace(/^Collection\((.*)\)$/, '$1').replace(/^(graph|microsoft\.graph)\./, '');

/** name -> { kind, baseType, abstract, properties, navigationProperties } for entity and complex types; enums separately. */
const v1Types = new Map();
const enums = new Map();
for (const m of schema.matchAll(/<(EntityType|ComplexType) ([^>]*?)(\/>|>([\s\S]*?)<\/\1>)/g)) {
  const [, kind, head, , body = ''] = m;
  const name = attr(head, 'Name');
  const properties = {};
  for (const p of body.matchAll(/<Property ([^>]*?)\/?>/g)) {
    const type = attr(p[1], 'Type');
    properties[attr(p[1], 'Name')] = { type, nullable: attr(p[1], 'Nullable') !== 'false' };
  }
  const navigationProperties = {};
  for (const p of body.matchAll(/<NavigationProperty ([^>]*?)\/?>/g)) navigationProperties[attr(p[1], 'Name')] = { type: attr(p[1], 'Type') };
  const baseType = attr(head, 'BaseType');
  v1Types.set(name, { kind: kind === 'EntityType' ? 'entity' : 'complex', ...(baseType ? { baseType: local(baseType) } : {}), properties, navigationProperties });
}
for (const m of schema.matchAll(/<EnumType ([^>]*?)>([\s\S]*?)<\/EnumType>/g)) {
  enums.set(attr(m[1], 'Name'), [...m[2].matchAll(/<Member Name="([^"]*)"/g)].map((x) => x[1]));
}

// Closure: root types, their base types, and the complex/enum types their properties use.
const wanted = new Set();
const wantedEnums = new Set();
const visit = (name) => {
  if (wanted.has(name)) return;
  const type = v1Types.get(name);
  if (!type) {
    if (betaEntities[name] || betaComplex[name]) wanted.add(name); // beta-only type
    return;
  }
  wanted.add(name);
  if (type.baseType) visit(type.baseType);
  for (const p of Object.values(type.properties)) {
    const t = local(p.type);
    if (t.startsWith('Edm.')) continue;
    if (enums.has(t)) wantedEnums.add(t);
    else if (v1Types.get(t)?.kind === 'complex') visit(t);
  }
};
for (const name of ROOT_TYPES) visit(name);
// Navigation targets along the adapter's paths need to exist as names only; their members are not extracted.
const navTargets = new Set();
for (const name of wanted) for (const n of Object.values(v1Types.get(name)?.navigationProperties ?? {})) navTargets.add(local(n.type));

const sorted = (o) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));

const v1 = {};
for (const name of [...wanted].sort()) {
  const t = v1Types.get(name);
  if (!t) continue;
  v1[name] = { kind: t.kind, ...(t.baseType ? { baseType: t.baseType } : {}), properties: sorted(t.properties), navigationProperties: sorted(t.navigationProperties) };
}

// ---- beta: names from the type lists; types from v1.0 where it has the property.
const beta = {};
for (const name of [...wanted].sort()) {
  const list = betaEntities[name] ?? betaComplex[name];
  if (!list) continue;
  const v1Type = v1Types.get(name);
  const properties = {};
  for (const p of list.properties ?? []) properties[p] = v1Type?.properties[p] ?? { type: null, nullable: true };
  const navigationProperties = {};
  for (const p of list.navigationProperties ?? []) navigationProperties[p] = v1Type?.navigationProperties[p] ?? { type: null };
  beta[name] = {
    kind: betaEntities[name] ? 'entity' : 'complex',
    ...(v1Type?.baseType ? { baseType: v1Type.baseType } : {}),
    properties: sorted(properties),
    navigationProperties: sorted(navigationProperties),
  };
}
for (const add of DOC_ADDITIONS) {
  const target = (add.version === 'beta' ? beta : v1)[add.type];
  target.properties[add.property] = { type: add.edmType, nullable: add.nullable, fromDocs: add.source };
  target.properties = sorted(target.properties);
}

// ---- entity container (v1.0; beta assumed the same for these) and bound actions.
const container = csdl.slice(csdl.indexOf('<EntityContainer'), csdl.indexOf('</EntityContainer>'));
const entitySets = {};
for (const m of container.matchAll(/<EntitySet Name="([^"]*)" EntityType="([^"]*)"/g)) if (ENTITY_SETS.includes(m[1])) entitySets[m[1]] = local(m[2]);
const singletons = {};
for (const m of container.matchAll(/<Singleton Name="([^"]*)" Type="([^"]*)"/g)) if (SINGLETONS.includes(m[1])) singletons[m[1]] = local(m[2]);
const actions = {};
for (const m of schema.matchAll(/<Action Name="([^"]*)"[^>]*IsBound="true"[^>]*>([\s\S]*?)<\/Action>/g)) {
  if (!ACTIONS.includes(m[1])) continue;
  actions[m[1]] = { bindingParameter: attr(/<Parameter Name="bindingParameter"[^>]*>/.exec(m[2])[0], 'Type').replace(/graph\./, '') };
}

const extract = {
  source: {
    repository: 'https://github.com/microsoftgraph/msgraph-metadata',
    commit,
    paths: { 'v1.0': 'schemas/v1.0-Prod.csdl', beta: ['schemas/type-mappings/beta-entity-types.json', 'schemas/type-mappings/beta-complex-types.json'] },
    license: 'MIT (Microsoft Corporation)',
    generatedBy: 'node scripts/extract-graph-metadata.mjs DIR',
    assumptions: [
      'beta lists give property names only: a beta property that v1.0 also has takes its v1.0 type and nullability; beta-only ones have type null',
      'beta base types and entity container are taken from v1.0 for these types',
    ],
  },
  docAdditions: DOC_ADDITIONS,
  entitySets,
  singletons,
  actions,
  navigationTargets: [...navTargets].sort(),
  enums: Object.fromEntries([...wantedEnums].sort().map((e) => [e, enums.get(e)])),
  versions: { 'v1.0': v1, beta },
};
writeFileSync(out, `${JSON.stringify(extract, null, 1)}\n`);
console.error(`${out}: ${Object.keys(v1).length} v1.0 types, ${Object.keys(beta).length} beta types, commit ${commit}`);
