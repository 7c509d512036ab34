/**
 * Which $filter expressions on /users Graph accepts, and which of them need the
 * advanced query parameters (header `ConsistencyLevel: eventual` AND `$count=true`).
 *
 * Rules from learn.microsoft.com/graph/aad-advanced-queries:
 * - `ne` and `not` are advanced-only, wherever `eq` works;
 * - `endsWith` is advanced-only, and only on mail, otherMails, userPrincipalName, proxyAddresses;
 * - `/$count` in a filter is advanced-only;
 * - per-property support for eq / startsWith / null is in USER_FILTER_SUPPORT;
 * - a property not in that table cannot be filtered at all.
 */
import { GraphHttpError, unsupportedQuery } from '../graph-error.js';
import { COLLECTION_PROPERTIES, USER_FILTER_SUPPORT, userPropertyByLower, type ApiVersion, type PropertyFilterSupport } from '../user-properties.js';
import type { FilterNode, Operand } from './filter-ast.js';

/** Something in the filter that works only as an advanced query. */
export type AdvancedNeed = { kind: 'operator'; name: string } | { kind: 'property'; name: string };

/** Graph's wording (aad-advanced-queries, "Error handling for advanced queries"). */
export function advancedQueryRequired(need: AdvancedNeed): GraphHttpError {
  if (need.kind === 'operator') {
    return unsupportedQuery(
      `Operator '${need.name}' is not supported because the required parameters might be missing. ` +
        'Try adding $count=true query parameter and ConsistencyLevel:eventual header. ' +
        'Refer to https://aka.ms/graph-docs/advanced-queries for more information',
    );
  }
  return unsupportedFilterOn(need.name);
}

export function unsupportedFilterOn(property: string): GraphHttpError {
  return unsupportedQuery(`Unsupported or invalid query filter clause specified for property '${property}' of resource 'User'.`);
}

/** Graph's answer for a property that does not exist (code Request_UnsupportedQuery). */
export function noSuchProperty(name: string): GraphHttpError {
  return unsupportedQuery(`Property '${name}' does not exist as a declared property or extension property.`);
}

interface Context {
  /** The API version: which properties exist. */
  version: ApiVersion;
  /** Inside an any() lambda: the collection property the variable ranges over. */
  lambda?: { variable: string; property: string };
}

function canonical(name: string, version: ApiVersion): string {
  const found = userPropertyByLower(version).get(name.toLowerCase());
  if (!found) throw noSuchProperty(name);
  return found;
}

function supportOf(property: string): PropertyFilterSupport {
  const support = USER_FILTER_SUPPORT[property];
  if (!support) throw unsupportedFilterOn(property);
  return support;
}

/** The user property an operand talks about, or null for a literal. */
function subject(operand: Operand, ctx: Context): { property: string; viaLambda: boolean; count: boolean } | null {
  switch (operand.kind) {
    case 'literal':
      return null;
    case 'property': {
      const property = canonical(operand.path[0] as string, ctx.version);
      return { property, viaLambda: false, count: false };
    }
    case 'variable': {
      if (!ctx.lambda) throw unsupportedQuery(`Unknown lambda variable '${operand.name}'.`);
      return { property: ctx.lambda.property, viaLambda: true, count: false };
    }
    case 'count':
      return { property: canonical(operand.path[0] as string, ctx.version), viaLambda: false, count: true };
    case 'call':
      throw unsupportedQuery('Unsupported Query. A function call cannot be compared.');
  }
}

/**
 * Checks the filter against Graph's rules for users. Throws what Graph throws for
 * an unsupported filter; returns what would need the advanced query parameters.
 */
export function analyzeUserFilter(node: FilterNode, version: ApiVersion): AdvancedNeed[] {
  const needs: AdvancedNeed[] = [];
  walk(node, { version }, needs);
  return needs;
}

function checkCompared(s: NonNullable<ReturnType<typeof subject>>, op: 'eq' | 'null', needs: AdvancedNeed[]): void {
  if (s.count) {
    needs.push({ kind: 'operator', name: '$count' });
    return;
  }
  if (COLLECTION_PROPERTIES.has(s.property) && !s.viaLambda) throw unsupportedFilterOn(s.property);
  const support = supportOf(s.property);
  const level = op === 'null' ? support.null : support.eq;
  if (!level) throw unsupportedFilterOn(s.property);
  if (level === 'advanced') needs.push({ kind: 'property', name: s.property });
}

function walk(node: FilterNode, ctx: Context, needs: AdvancedNeed[]): void {
  switch (node.kind) {
    case 'and':
    case 'or':
      walk(node.left, ctx, needs);
      walk(node.right, ctx, needs);
      return;
    case 'not':
      needs.push({ kind: 'operator', name: 'not' });
      walk(node.operand, ctx, needs);
      return;
    case 'in': {
      const s = subject(node.left, ctx);
      if (!s) throw unsupportedQuery("Unsupported Query. The left side of 'in' must be a property.");
      checkCompared(s, 'eq', needs);
      return;
    }
    case 'compare': {
      const left = subject(node.left, ctx);
      const right = subject(node.right, ctx);
      const s = left ?? right;
      if (!s || (left && right)) throw unsupportedQuery('Unsupported Query. Compare a property with a literal.');
      const literal = left ? node.right : node.left;
      const isNull = literal.kind === 'literal' && literal.value === null;
      if (node.op === 'ne') needs.push({ kind: 'operator', name: 'ne' });
      checkCompared(s, isNull ? 'null' : 'eq', needs);
      return;
    }
    case 'call': {
      const s = subject(node.call.args[0], ctx);
      if (!s || s.count) throw unsupportedQuery(`Unsupported Query. The first argument of '${node.call.name}' must be a property.`);
      if (COLLECTION_PROPERTIES.has(s.property) && !s.viaLambda) throw unsupportedFilterOn(s.property);
      const support = supportOf(s.property);
      if (node.call.name === 'endswith') {
        if (!support.endsWith) throw unsupportedFilterOn(s.property);
        needs.push({ kind: 'operator', name: 'endsWith' });
      } else {
        if (!support.startsWith) throw unsupportedFilterOn(s.property);
        if (support.startsWith === 'advanced') needs.push({ kind: 'property', name: s.property });
      }
      return;
    }
    case 'any': {
      const property = canonical(node.path[0] as string, ctx.version);
      if (!COLLECTION_PROPERTIES.has(property)) throw unsupportedFilterOn(property);
      supportOf(property);
      if (node.predicate && node.variable) walk(node.predicate, { version: ctx.version, lambda: { variable: node.variable, property } }, needs);
      return;
    }
  }
}
