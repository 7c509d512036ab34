/**
 * The $filter parser and evaluator, and Graph's rules for filters on users
 * (learn.microsoft.com/graph/filter-query-parameter, learn.microsoft.com/graph/aad-advanced-queries).
 */
import { describe, expect, it } from 'vitest';
import { GraphHttpError } from '../../../src/sim/graph-error.js';
import { evaluate } from '../../../src/sim/odata/filter-eval.js';
import { parseFilter } from '../../../src/sim/odata/filter-parser.js';
import { analyzeUserFilter } from '../../../src/sim/odata/user-filter-rules.js';

const ada = {
  id: 'a1',
  userPrincipalName: 'ada@contoso.example',
  displayName: "Ada O'Hara",
  accountEnabled: true,
  onPremisesSyncEnabled: null,
  department: 'Sales',
  proxyAddresses: ['SMTP:ada@contoso.example', 'smtp:ada@old.example'],
  onPremisesExtensionAttributes: { extensionAttribute1: 'x' },
};

const matches = (filter: string) => evaluate(parseFilter(filter), ada);

describe('evaluate', () => {
  it.each([
    ["userPrincipalName eq 'ADA@contoso.example'", true],
    ["displayName eq 'Ada O''Hara'", true],
    ['accountEnabled eq true', true],
    ['accountEnabled eq false', false],
    ['onPremisesSyncEnabled ne true', true],
    ['onPremisesSyncEnabled eq null', true],
    ["startswith(displayName,'ada')", true],
    ["startsWith(displayName,'bob')", false],
    ["endswith(userPrincipalName,'@CONTOSO.example')", true],
    ["department in ('Engineering','sales')", true],
    ["department eq 'Sales' and not(accountEnabled eq false)", true],
    ["department eq 'HR' or (id eq 'a1' and accountEnabled eq true)", true],
    ["proxyAddresses/any(p:startswith(p,'smtp:ada@old'))", true],
    ["proxyAddresses/any(p:p eq 'x')", false],
    ['proxyAddresses/$count eq 2', true],
    ["onPremisesExtensionAttributes/extensionAttribute1 eq 'x'", true],
    ["NOT startsWith(displayName, 'Conf')", true],
  ])('%s -> %s', (filter, expected) => {
    expect(matches(filter)).toBe(expected);
  });

  it('treats an unset property as null', () => {
    expect(matches('jobTitle eq null')).toBe(true);
    expect(matches("jobTitle eq 'x'")).toBe(false);
  });
});

describe('parse errors', () => {
  it.each(["displayName eq", "displayName eq 'x", "(displayName eq 'x'", "displayName xx 'y'", "contains(displayName,'a')"])('refuses %s with a 400', (filter) => {
    let error: unknown;
    try {
      parseFilter(filter);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GraphHttpError);
    expect((error as GraphHttpError).status).toBe(400);
  });
});

describe('advanced query rules for users', () => {
  const needs = (filter: string) => analyzeUserFilter(parseFilter(filter), 'v1.0');

  it('needs nothing for eq/in/startswith on default-supported properties', () => {
    expect(needs("userPrincipalName eq 'a' and department in ('x') and startswith(displayName,'A')")).toEqual([]);
    expect(needs('onPremisesSyncEnabled eq true')).toEqual([]);
  });

  it('needs advanced parameters for ne, not, endsWith, $count and advanced-only properties', () => {
    expect(needs('onPremisesSyncEnabled ne true')).toEqual([{ kind: 'operator', name: 'ne' }]);
    expect(needs("not(department eq 'x')")).toEqual([{ kind: 'operator', name: 'not' }]);
    expect(needs("endswith(mail,'@x')")).toEqual([{ kind: 'operator', name: 'endsWith' }]);
    expect(needs('proxyAddresses/$count eq 0')).toEqual([{ kind: 'operator', name: '$count' }]);
    expect(needs("onPremisesImmutableId eq 'x'")).toEqual([{ kind: 'property', name: 'onPremisesImmutableId' }]);
    expect(needs('city eq null')).toEqual([{ kind: 'property', name: 'city' }]);
  });

  it.each([
    ["faxNumber eq '1'", "Unsupported or invalid query filter clause specified for property 'faxNumber' of resource 'User'."],
    ["endswith(displayName,'x')", "Unsupported or invalid query filter clause specified for property 'displayName' of resource 'User'."],
    ["proxyAddresses eq 'x'", "Unsupported or invalid query filter clause specified for property 'proxyAddresses' of resource 'User'."],
    ["shoeSize eq '1'", "Property 'shoeSize' does not exist as a declared property or extension property."],
  ])('refuses %s', (filter, message) => {
    expect(() => needs(filter)).toThrow(message);
  });
});
