/**
 * Costs and budgets from learn.microsoft.com/graph/throttling-limits#identity-and-access-service-limits.
 */
import { describe, expect, it } from 'vitest';
import { GraphHttpError } from '../../../src/sim/graph-error.js';
import { requestCost, resourceUnitBudget, Throttle } from '../../../src/sim/throttle.js';

const q = (s: string) => new URLSearchParams(s);

describe('requestCost', () => {
  it.each([
    ['GET', '/users', '', 2, 0],
    ['GET', '/users', '$select=id', 1, 0],
    ['GET', '/users', '$select=id&$expand=manager', 2, 0],
    ['GET', '/users', '$top=10', 1, 0],
    ['GET', '/users', '$top=10&$select=id', 1, 0], // never below 1
    ['GET', '/users/abc', '', 1, 0],
    ['GET', '/domains', '', 1, 0],
    ['PATCH', '/users/abc', '', 1, 1],
    ['GET', '/groups/g/transitiveMembers', '', 5, 0],
    ['GET', '/groups/g/transitiveMembers/microsoft.graph.user', '$select=id', 4, 0],
    ['POST', '/directoryObjects/getByIds', '', 3, 0], // a read: no write
  ])('%s %s?%s costs %i RU and %i writes', (method, path, query, units, writes) => {
    expect(requestCost(method, path, q(query))).toEqual({ resourceUnits: units, writes });
  });
});

describe('budgets', () => {
  it('follows tenant size: <50 S, 50-500 M, >500 L', () => {
    expect([resourceUnitBudget(49), resourceUnitBudget(50), resourceUnitBudget(500), resourceUnitBudget(501)]).toEqual([3500, 5000, 5000, 8000]);
  });

  it('scales the published budgets and refills continuously', () => {
    let now = 0;
    const throttle = new Throttle({ scale: 0.001 }, 10, { appId: 'app', tenantId: 't' }, () => now);
    // 3500 * 0.001 = 3.5 -> 4 RU per 10 s
    throttle.charge({ resourceUnits: 2, writes: 0 });
    throttle.charge({ resourceUnits: 2, writes: 0 });
    let error: GraphHttpError | undefined;
    try {
      throttle.charge({ resourceUnits: 2, writes: 0 });
    } catch (e) {
      error = e as GraphHttpError;
    }
    expect(error?.status).toBe(429);
    expect(error?.headers['Retry-After']).toBe('5'); // 2 RU at 0.4 RU/s
    now = 2_600;
    expect(() => throttle.charge({ resourceUnits: 1, writes: 0 })).not.toThrow();
  });

  it('gives Retry-After in whole seconds, rounded up, when asked', () => {
    let now = 0;
    const throttle = new Throttle({ resourceUnitsPer10s: 4, retryAfter: 'whole' }, 10, { appId: 'app', tenantId: 't' }, () => now);
    throttle.charge({ resourceUnits: 4, writes: 0 });
    let error: GraphHttpError | undefined;
    try {
      throttle.charge({ resourceUnits: 1, writes: 0 }); // 1 RU at 0.4 RU/s: 2.5 s
    } catch (e) {
      error = e as GraphHttpError;
    }
    expect(error?.headers['Retry-After']).toBe('3');
    now = 100;
    const fractional = new Throttle({ resourceUnitsPer10s: 4 }, 10, { appId: 'app', tenantId: 't' }, () => now);
    fractional.charge({ resourceUnits: 4, writes: 0 });
    expect(() => fractional.charge({ resourceUnits: 1, writes: 0 })).toThrow(GraphHttpError);
    try {
      fractional.charge({ resourceUnits: 1, writes: 0 });
    } catch (e) {
      expect((e as GraphHttpError).headers['Retry-After']).toBe('2.5');
    }
  });

  it('reports the share used above 80 %', () => {
    const throttle = new Throttle({ resourceUnitsPer10s: 10 }, 10, { appId: 'app', tenantId: 't' }, () => 0);
    expect(throttle.charge({ resourceUnits: 8, writes: 0 })).toEqual({ 'x-ms-resource-unit': '8' });
    expect(throttle.charge({ resourceUnits: 1, writes: 0 })).toEqual({ 'x-ms-resource-unit': '1', 'x-ms-throttle-limit-percentage': '0.9' });
  });

  it('throttles writes on their own budget', () => {
    const throttle = new Throttle({ writesPer150s: 1 }, 10, { appId: 'app', tenantId: 't' }, () => 0);
    throttle.charge({ resourceUnits: 1, writes: 1 });
    expect(() => throttle.charge({ resourceUnits: 1, writes: 1 })).toThrow(GraphHttpError);
    expect(() => throttle.charge({ resourceUnits: 1, writes: 0 })).not.toThrow();
  });
});
