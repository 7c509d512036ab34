/**
 * Listing small, plain collections (role definitions, role assignments,
 * eligibility instances, domains, directory roles): $filter with the full
 * expression language (no directory advanced-query rules: these are not
 * directory objects), $select, $top, $expand via a callback, and skiptoken
 * paging like /users.
 */
import { GraphHttpError } from './graph-error.js';
import { evaluate, getPath } from './odata/filter-eval.js';
import { parseFilter } from './odata/filter-parser.js';
import { nextLink, resumeListing, takePage } from './paging.js';
import { isEventual, ok, versionRoot, type SimContext, type SimRequest, type SimResponse } from './request.js';
import { parseTop, readOptions } from './users-query.js';

export interface ObjectListSpec {
  items: readonly Record<string, unknown>[];
  /** Path below the version used for the nextLink, e.g. '/roleManagement/directory/roleAssignments'. */
  path: string;
  /** After '$metadata#', e.g. 'roleManagement/directory/roleAssignments'. */
  context: string;
  /** Navigation properties this collection can expand, name -> resolver. */
  expand?: Record<string, (item: Record<string, unknown>) => unknown>;
  /** Graph's default page size for the collection. */
  defaultTop?: number;
}

const OPTIONS = ['$select', '$filter', '$top', '$count', '$expand', '$skiptoken', '$orderby'];

export function pageOfObjects(req: SimRequest, ctx: SimContext, spec: ObjectListSpec): SimResponse {
  const { query, cursor, token } = resumeListing(req.query);

  const options = readOptions(query, OPTIONS);
  const filterText = options.get('$filter');
  const filter = filterText ? parseFilter(filterText) : null;
  const top = parseTop(options.get('$top'), spec.defaultTop ?? 100);
  const select = options.get('$select')?.split(',').map((s) => s.trim()).filter(Boolean) ?? null;
  const expandName = options.get('$expand')?.trim();
  const expander = expandName ? findExpander(spec, expandName) : null;

  const matches = filter ? (item: Record<string, unknown>) => evaluate(filter, item) : () => true;
  const page = takePage(spec.items, cursor, top, matches);
  const body: Record<string, unknown> = { '@odata.context': `${versionRoot(ctx, req)}/$metadata#${spec.context}` };
  if (isEventual(req) && (options.get('$count') ?? '').toLowerCase() === 'true' && token === undefined) {
    body['@odata.count'] = spec.items.filter(matches).length;
  }
  if (page.next !== null) body['@odata.nextLink'] = nextLink(`${versionRoot(ctx, req)}${spec.path}`, query, { cursor: page.next, query });
  body.value = page.items.map((item) => {
    const out = select ? pick(item, select) : { ...item };
    if (expander) out[expander.name] = expander.resolve(item);
    return out;
  });
  return ok(body);
}

function findExpander(spec: ObjectListSpec, text: string): { name: string; resolve: (item: Record<string, unknown>) => unknown } {
  const name = text.replace(/\(.*\)$/, '');
  const entry = Object.entries(spec.expand ?? {}).find(([k]) => k.toLowerCase() === name.toLowerCase());
  if (!entry) throw new GraphHttpError(400, 'BadRequest', `Could not find a navigation property named '${name}'.`);
  return { name: entry[0], resolve: entry[1] };
}

function pick(item: Record<string, unknown>, select: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of select) {
    const key = Object.keys(item).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name;
    out[key] = getPath(item, [name]) ?? null;
  }
  if ('@odata.type' in item) out['@odata.type'] = item['@odata.type'];
  return out;
}

/** GET of one object in a small collection by id. */
export function oneObject(req: SimRequest, ctx: SimContext, items: readonly Record<string, unknown>[], id: string, context: string): SimResponse {
  const found = items.find((i) => String(i.id).toLowerCase() === id.toLowerCase());
  if (!found) {
    throw new GraphHttpError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
  }
  return ok({ '@odata.context': `${versionRoot(ctx, req)}/$metadata#${context}/$entity`, ...found });
}
