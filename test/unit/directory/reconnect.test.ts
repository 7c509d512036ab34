import { describe, expect, it } from 'vitest';
import type { DirectoryReason } from '../../../src/directory/directory-error.js';
import { backoffDelayMs, DEFAULT_BACKOFF, isConnectionLoss, isRetryableWhileReopening, nextReconnectStep } from '../../../src/directory/reconnect.js';

describe('backoffDelayMs', () => {
  it.each([
    [1, 250],
    [2, 500],
    [3, 1_000],
    [4, 2_000],
    [5, 2_000],
    [50, 2_000],
  ])('attempt %d waits %d ms', (attempt, ms) => {
    expect(backoffDelayMs(attempt)).toBe(ms);
  });

  it('follows another policy', () => {
    expect([1, 2, 3, 4].map((a) => backoffDelayMs(a, { initialMs: 100, factor: 3, maxMs: 1_000 }))).toEqual([100, 300, 900, 1_000]);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses attempt %s', (attempt) => {
    expect(() => backoffDelayMs(attempt)).toThrow(RangeError);
  });
});

describe('nextReconnectStep', () => {
  it.each([
    // attempt, elapsed, limit -> step
    [1, 0, 300_000, { action: 'wait', ms: 250 }],
    [6, 10_000, 300_000, { action: 'wait', ms: 2_000 }],
    // never waits past the limit: the last attempt happens at the limit
    [6, 299_000, 300_000, { action: 'wait', ms: 1_000 }],
    [6, 300_000, 300_000, { action: 'give-up' }],
    [6, 301_000, 300_000, { action: 'give-up' }],
    // limit 0: the first failed reconnect is the end
    [1, 0, 0, { action: 'give-up' }],
  ] as const)('attempt %d, %d ms down, limit %d', (attempt, elapsed, limit, step) => {
    expect(nextReconnectStep(attempt, elapsed, limit, DEFAULT_BACKOFF)).toEqual(step);
  });
});

describe('classification', () => {
  it.each<[DirectoryReason, boolean, boolean]>([
    // reason, connection loss (reconnect and ask again), retry while reopening
    ['CONNECTION_LOST', true, true],
    ['UNREACHABLE', true, true],
    ['TIMEOUT', true, true],
    ['TLS_FAILED', false, true],
    ['BUSY', false, true],
    ['UNAVAILABLE', false, true],
    // answers of the DC: never a reconnect
    ['ALREADY_EXISTS', false, false],
    ['CONSTRAINT', false, false],
    ['NO_SUCH_OBJECT', false, false],
    ['INSUFFICIENT_ACCESS', false, false],
    // a reopen that fails like this will not get better by waiting
    ['INVALID_CREDENTIALS', false, false],
    ['TLS_UNTRUSTED', false, false],
    ['STRONG_AUTH_REQUIRED', false, false],
  ])('%s', (reason, loss, retry) => {
    expect(isConnectionLoss(reason)).toBe(loss);
    expect(isRetryableWhileReopening(reason)).toBe(retry);
  });
});
