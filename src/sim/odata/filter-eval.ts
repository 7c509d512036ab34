/**
 * Evaluating a parsed $filter against one object. String comparisons are
 * case-insensitive, as the directory compares them (`userPrincipalName eq
 * 'ADA@contoso.com'` finds ada@contoso.com).
 */
import type { FilterNode, Literal, Operand } from './filter-ast.js';

type Scope = ReadonlyMap<string, unknown>;

/** Looks a property up case-insensitively: Graph property names are. */
export function getPath(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const segment of path) {
    if (current === null || current === undefined || typeof current !== 'object') return undefined;
    const obj = current as Record<string, unknown>;
    if (segment in obj) {
      current = obj[segment];
      continue;
    }
    const lower = segment.toLowerCase();
    const key = Object.keys(obj).find((k) => k.toLowerCase() === lower);
    current = key === undefined ? undefined : obj[key];
  }
  return current;
}

function operandValue(operand: Operand, item: unknown, scope: Scope): unknown {
  switch (operand.kind) {
    case 'literal':
      return operand.value;
    case 'property':
      return getPath(item, operand.path);
    case 'variable':
      return getPath(scope.get(operand.name), operand.path);
    case 'count': {
      const v = getPath(item, operand.path);
      return Array.isArray(v) ? v.length : 0;
    }
    case 'call':
      return callValue(operand, item, scope);
  }
}

function callValue(call: Extract<Operand, { kind: 'call' }>, item: unknown, scope: Scope): boolean {
  const subject = operandValue(call.args[0], item, scope);
  const prefix = operandValue(call.args[1], item, scope);
  if (typeof subject !== 'string' || typeof prefix !== 'string') return false;
  const s = subject.toLowerCase();
  const p = prefix.toLowerCase();
  return call.name === 'startswith' ? s.startsWith(p) : s.endsWith(p);
}

function norm(v: unknown): unknown {
  if (v === undefined) return null;
  return typeof v === 'string' ? v.toLowerCase() : v;
}

function equals(a: unknown, b: unknown): boolean {
  return norm(a) === norm(b);
}

function order(a: unknown, b: unknown): number | null {
  const x = norm(a);
  const y = norm(b);
  if (x === null || y === null) return null;
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  if (typeof x === 'string' && typeof y === 'string') return x < y ? -1 : x > y ? 1 : 0;
  if (typeof x === 'boolean' && typeof y === 'boolean') return Number(x) - Number(y);
  return null;
}

export function evaluate(node: FilterNode, item: unknown, scope: Scope = new Map()): boolean {
  switch (node.kind) {
    case 'and':
      return evaluate(node.left, item, scope) && evaluate(node.right, item, scope);
    case 'or':
      return evaluate(node.left, item, scope) || evaluate(node.right, item, scope);
    case 'not':
      return !evaluate(node.operand, item, scope);
    case 'call':
      return callValue(node.call, item, scope);
    case 'in': {
      const v = operandValue(node.left, item, scope);
      return node.values.some((literal: Literal) => equals(v, literal));
    }
    case 'any': {
      const collection = getPath(item, node.path);
      if (!Array.isArray(collection)) return false;
      if (node.predicate === null || node.variable === null) return collection.length > 0;
      const name = node.variable;
      const predicate = node.predicate;
      return collection.some((element) => evaluate(predicate, item, new Map(scope).set(name, element)));
    }
    case 'compare': {
      const a = operandValue(node.left, item, scope);
      const b = operandValue(node.right, item, scope);
      switch (node.op) {
        case 'eq':
          return equals(a, b);
        case 'ne':
          return !equals(a, b);
        default: {
          const c = order(a, b);
          if (c === null) return false;
          return node.op === 'gt' ? c > 0 : node.op === 'ge' ? c >= 0 : node.op === 'lt' ? c < 0 : c <= 0;
        }
      }
    }
  }
}
