import { describe, expect, it } from 'vitest';
import { formatPlanSummary } from '../../../src/report/summary.js';
import { samplePlan } from './fixtures.js';

describe('summary', () => {
  it('counts per action, reason and warning', () => {
    const plan = samplePlan();
    const text = formatPlanSummary(plan);
    expect(text).toMatch(/^entra2ad plan: 10 user\(s\), tenant tenant-1/);
    expect(text).toMatch(/^ {2}create +6$/m);
    expect(text).toMatch(/^ {2}adopt +1$/m);
    expect(text).toMatch(/^ {2}skip +2$/m);
    expect(text).toMatch(/^ {2}blocked +1$/m);
    expect(text).toMatch(/^ {2}CREATE_NEW +5$/m);
    expect(text).toMatch(/^ {2}RECOVER_TEMPLATE_FALLBACK +1$/m);
    expect(text).toMatch(/^ {2}BLOCKED_PROXY_ADDRESS_IN_USE +1$/m);
    expect(text).toMatch(/^warnings:\n {2}WARN_CONTROL_CHARACTERS_REMOVED +3\n {2}WARN_CN_TRUNCATED +1\n {2}WARN_TRUNCATED +1$/m);
    expect(text).toMatch(/directory checked/);
  });
});
