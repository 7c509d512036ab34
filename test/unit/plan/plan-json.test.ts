import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { parsePlan, serializePlan } from '../../../src/plan/plan-json.js';
import { samplePlan } from '../report/fixtures.js';

describe('plan.json', () => {
  it('round-trips exactly', () => {
    const plan = samplePlan();
    const text = serializePlan(plan);
    expect(text.endsWith('\n')).toBe(true);
    expect(parsePlan(text)).toEqual(plan);
    expect(parsePlan(`\uFEFF${text}`)).toEqual(plan);
  });

  it('refuses another format version before anything else', () => {
    const raw = JSON.parse(serializePlan(samplePlan()));
    const withVersion = (v: unknown) => JSON.stringify({ ...raw, formatVersion: v, entries: 'garbage' });
    expect(() => parsePlan(withVersion(2))).toThrow(/format version 2; this entra2ad reads version 1: upgrade/);
    expect(() => parsePlan(withVersion(undefined))).toThrow(/format version undefined/);
    try {
      parsePlan(withVersion(2));
    } catch (e) {
      expect((e as UsageError).reason).toBe('PLAN_VERSION_UNSUPPORTED');
    }
  });

  it('reports shape problems by path, and non-JSON', () => {
    const raw = JSON.parse(serializePlan(samplePlan()));
    raw.entries[0].action = 'delete';
    raw.entries[1].fingerprint = 'x';
    try {
      parsePlan(JSON.stringify(raw));
      expect.unreachable();
    } catch (e) {
      expect((e as UsageError).reason).toBe('PLAN_INVALID');
      expect((e as UsageError).problems.join('\n')).toMatch(/entries\.0\.action/);
      expect((e as UsageError).problems.join('\n')).toMatch(/entries\.1\.fingerprint/);
    }
    expect(() => parsePlan('{')).toThrow(/not JSON/);
    const bad = JSON.parse(serializePlan(samplePlan()));
    bad.entries.pop();
    expect(() => parsePlan(JSON.stringify(bad))).toThrow(/summary says/);
  });

  it('contains no password', () => {
    expect(serializePlan(samplePlan())).not.toMatch(/"(unicodePwd|password)"/i);
  });
});

describe('plan.json keeps the tenant findings', () => {
  it('round-trips tenantStop and tenantFindings, which apply and reviewers rely on', () => {
    const stop = { level: 'stop' as const, code: 'STOP_HARD_MATCH_TAKEOVER_BLOCKED', message: 'turn it off' };
    const plan = { ...samplePlan(), tenantStop: stop, tenantFindings: [stop, { level: 'note' as const, code: 'NOTE_SOFT_MATCH_BLOCKED', message: 'n' }] };
    const back = parsePlan(serializePlan(plan));
    expect(back.tenantStop).toEqual(stop);
    expect(back.tenantFindings).toHaveLength(2);
  });
});
