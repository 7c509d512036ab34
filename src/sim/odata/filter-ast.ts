/**
 * The part of the OData $filter language Graph's directory supports
 * (learn.microsoft.com/graph/filter-query-parameter): comparisons, `in`,
 * `startswith`/`endswith`, `and`/`or`/`not`, `any` lambdas, and `/$count`.
 */

export type Literal = string | number | boolean | null;

export type Operand =
  | { kind: 'literal'; value: Literal }
  /** A property path from the object, e.g. ['onPremisesExtensionAttributes', 'extensionAttribute1']. */
  | { kind: 'property'; path: string[] }
  /** The lambda variable of an enclosing any(), optionally with a path into it. */
  | { kind: 'variable'; name: string; path: string[] }
  /** `collection/$count`. */
  | { kind: 'count'; path: string[] }
  | { kind: 'call'; name: 'startswith' | 'endswith'; args: [Operand, Operand] };

export type ComparisonOperator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; operand: FilterNode }
  | { kind: 'compare'; op: ComparisonOperator; left: Operand; right: Operand }
  | { kind: 'in'; left: Operand; values: Literal[] }
  /** A boolean-valued call used as a predicate: startswith(displayName,'A'). */
  | { kind: 'call'; call: Extract<Operand, { kind: 'call' }> }
  | { kind: 'any'; path: string[]; variable: string | null; predicate: FilterNode | null };
