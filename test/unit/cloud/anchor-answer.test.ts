/**
 * The anchor writer's rules as tables: each row is one Graph answer to
 * `PATCH /users/{id}` `{ onPremisesImmutableId }` inside a `$batch`, in plain
 * terms (status, error code, message, Retry-After), and what the writer does
 * with it. Where a rule comes from is cited on its row or table.
 */
import { describe, expect, it } from 'vitest';
import {
  ANCHOR_RETRY_DEFAULTS,
  MISSING_ANSWER,
  abortedVerdict,
  conflictVerdict,
  gaveUpVerdict,
  immutableIdInAnswer,
  landedUnseen,
  limiterFeedback,
  outcomeOf,
  retryDecision,
  serverErrorVerdict,
  stepForBatchFailure,
  stepForItemAnswer,
  type AnswerStep,
  type AttemptCounts,
  type RetryCause,
} from '../../../src/cloud/anchor-answer.js';
import type { BatchItemResponse } from '../../../src/cloud/batch.js';
import { CloudError, type CloudErrorReason, type GraphFailure } from '../../../src/cloud/errors.js';

const URL = '/users/11111111-1111-1111-1111-111111111111';
const VALUE = 'AAECAwQFBgcICQoLDA0ODw==';
const REQUEST_ID = '6a8c6e0b-0000-4000-8000-000000000001';

/** A `$batch` item answer with Graph's error body (learn.microsoft.com/graph/errors). */
function answer(status: number, error?: { code: string; message: string; details?: { code: string; target?: string }[] }, headers: Record<string, string> = {}): BatchItemResponse {
  return {
    id: '1',
    status,
    headers,
    ...(error ? { body: { error: { ...error, innerError: { date: '2026-01-01T00:00:00', 'request-id': REQUEST_ID } } } } : {}),
  };
}

/** A step in the table's terms: what happens, the reason, and (for retries) the Retry-After. */
function summary(step: AnswerStep): { does: string; outcome?: string; reason?: string; retryAfterMs?: number } {
  if (step.step === 'settle') return { does: 'settle', outcome: step.verdict.outcome, ...(step.verdict.reason ? { reason: step.verdict.reason } : {}) };
  if (step.step === 'retry') return { does: `retry ${step.cause}`, ...(step.failure.retryAfterMs !== undefined ? { retryAfterMs: step.failure.retryAfterMs } : {}) };
  return { does: 'read the user' };
}

/** 400 Request_BadRequest with Graph's message: the 400s differ only in what they say. */
const badRequest = (message: string, details?: { code: string; target?: string }[]) => answer(400, { code: 'Request_BadRequest', message, ...(details ? { details } : {}) });
const settles = (outcome: string, reason?: string) => ({ does: 'settle', outcome, ...(reason ? { reason } : {}) });
const retries = (cause: 'throttled' | 'transient', retryAfterMs?: number) => ({ does: `retry ${cause}`, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
const CONFLICT_MESSAGE = 'Another object with the same value for property onPremisesImmutableId already exists.';

describe('one $batch item answer to writing onPremisesImmutableId', () => {
  // Statuses: learn.microsoft.com/graph/errors; refusal wordings as the simulator quotes them (src/sim/patch-user.ts).
  const rows: { answer: string; given: BatchItemResponse | undefined; expected: ReturnType<typeof summary> }[] = [
    { answer: '204 No Content (learn.microsoft.com/graph/api/user-update)', given: answer(204), expected: settles('written') },
    { answer: '200 OK', given: answer(200), expected: settles('written') },
    { answer: '429 TooManyRequests, Retry-After 2.128 (fractions honoured: learn.microsoft.com/graph/throttling)', given: answer(429, { code: 'TooManyRequests', message: 'Too many requests' }, { 'retry-after': '2.128' }), expected: retries('throttled', 2128) },
    { answer: '429 without Retry-After', given: answer(429, { code: 'TooManyRequests', message: 'Too many requests' }), expected: retries('throttled') },
    { answer: '503 ServiceUnavailable, Retry-After 5', given: answer(503, { code: 'ServiceUnavailable', message: 'Service unavailable' }, { 'retry-after': '5' }), expected: retries('transient', 5000) },
    { answer: '504 GatewayTimeout (the write may have landed)', given: answer(504, { code: 'GatewayTimeout', message: 'Gateway timeout' }), expected: retries('transient') },
    { answer: '502 BadGateway', given: answer(502, { code: 'BadGateway', message: 'Bad gateway' }), expected: retries('transient') },
    {
      answer: '500 "The given key was not present in the dictionary." (a duplicate, github.com/microsoftgraph/microsoft-graph-docs/issues/1508)',
      given: answer(500, { code: 'InternalServerError', message: 'The given key was not present in the dictionary.' }),
      expected: retries('transient'),
    },
    { answer: 'no answer for the item in the $batch response (learn.microsoft.com/graph/json-batching)', given: undefined, expected: retries('transient') },
    { answer: `400 "${CONFLICT_MESSAGE}" details ObjectConflict`, given: badRequest(CONFLICT_MESSAGE, [{ code: 'ObjectConflict', target: 'onPremisesImmutableId' }]), expected: { does: 'read the user' } },
    { answer: '409 Conflict', given: answer(409, { code: 'Conflict', message: 'Conflict' }), expected: { does: 'read the user' } },
    {
      answer: '400 "...objects that have originated within an external service." (a synced user)',
      given: badRequest('Unable to update the specified properties for objects that have originated within an external service.'),
      expected: settles('refused', 'REFUSED_SYNCED'),
    },
    {
      answer: '400 "...userPrincipalName is in the federated domain fabrikam.example" (learn.microsoft.com/graph/api/resources/user: settable only at creation there)',
      given: badRequest('Unable to update the onPremisesImmutableId of a user whose userPrincipalName is in the federated domain fabrikam.example.'),
      expected: settles('refused', 'REFUSED_FEDERATED'),
    },
    {
      answer: "400 \"Invalid value specified for property 'onPremisesImmutableId' of resource 'User'.\" (`_` or `$`: learn.microsoft.com/graph/api/resources/user)",
      given: badRequest("Invalid value specified for property 'onPremisesImmutableId' of resource 'User'."),
      expected: settles('refused', 'INVALID_VALUE'),
    },
    {
      answer: '403 Authorization_RequestDenied "Insufficient privileges to complete the operation."',
      given: answer(403, { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' }),
      expected: settles('failed', 'FORBIDDEN'),
    },
    { answer: '404 Request_ResourceNotFound (the user was deleted)', given: answer(404, { code: 'Request_ResourceNotFound', message: "Resource '...' does not exist." }), expected: settles('failed', 'NOT_FOUND') },
    { answer: '401 InvalidAuthenticationToken', given: answer(401, { code: 'InvalidAuthenticationToken', message: 'Access token has expired.' }), expected: settles('failed', 'AUTH_FAILED') },
    { answer: '400 anything else', given: badRequest('Something we do not know.'), expected: settles('failed', 'GRAPH_ERROR') },
  ];
  it.each(rows)('$answer', ({ given, expected }) => {
    expect(summary(stepForItemAnswer(given, { url: URL, value: VALUE }))).toEqual(expected);
  });

  it('a conflict answer to a clear (null) stands: there is no value of ours to find on the user', () => {
    const conflict = badRequest(CONFLICT_MESSAGE, [{ code: 'ObjectConflict' }]);
    expect(summary(stepForItemAnswer(conflict, { url: URL, value: null }))).toEqual(settles('conflict', 'CONFLICT'));
  });

  it("a settled refusal keeps Graph's code, message and request-id for the report", () => {
    const step = stepForItemAnswer(badRequest('Unable to update the specified properties for objects that have originated within an external service.'), { url: URL, value: VALUE });
    expect(step).toEqual({
      step: 'settle',
      verdict: { outcome: 'refused', reason: 'REFUSED_SYNCED', graphCode: 'Request_BadRequest', message: 'Unable to update the specified properties for objects that have originated within an external service.', requestId: REQUEST_ID },
    });
  });

  it('a 403 names the permission the write needs (User.ReadWrite.All, learn.microsoft.com/graph/api/user-update)', () => {
    const step = stepForItemAnswer(answer(403, { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' }), { url: URL, value: VALUE });
    expect(step.step === 'settle' && step.verdict.message).toMatch(/User\.ReadWrite\.All/);
  });

  it('an item left out of the batch answer is a lost answer (NetworkError)', () => {
    expect(stepForItemAnswer(undefined, { url: URL, value: VALUE })).toEqual({ step: 'retry', cause: 'transient', failure: MISSING_ANSWER });
  });
});

describe('the whole POST /$batch failing', () => {
  const rows: { answer: string; error: CloudError; expected: ReturnType<typeof summary> }[] = [
    { answer: '429 with Retry-After 0.5', error: new CloudError('THROTTLED', { status: 429, code: 'TooManyRequests', retryAfterMs: 500 }), expected: { does: 'retry throttled', retryAfterMs: 500 } },
    { answer: 'connection dropped (the batch may have been applied)', error: new CloudError('TRANSIENT', { status: 0, code: 'NetworkError', message: 'fetch failed' }), expected: { does: 'retry transient' } },
    { answer: '504 GatewayTimeout', error: new CloudError('TRANSIENT', { status: 504, code: 'GatewayTimeout' }), expected: { does: 'retry transient' } },
    { answer: 'sign-in refused (AADSTS7000215)', error: new CloudError('AUTH_FAILED', { status: 0, code: 'AuthenticationError', message: 'AADSTS7000215: Invalid client secret provided.' }), expected: { does: 'settle', outcome: 'failed', reason: 'AUTH_FAILED' } },
    { answer: '403 on the batch itself', error: new CloudError('FORBIDDEN', { status: 403, code: 'Authorization_RequestDenied' }), expected: { does: 'settle', outcome: 'failed', reason: 'FORBIDDEN' } },
  ];
  it.each(rows)('$answer', ({ error, expected }) => {
    expect(summary(stepForBatchFailure(error))).toEqual(expected);
  });

  it("keeps Graph's message, not the error's decorated one", () => {
    const step = stepForBatchFailure(new CloudError('AUTH_FAILED', { status: 0, code: 'AuthenticationError', message: 'AADSTS7000215: Invalid client secret provided.' }, { operation: 'POST $batch' }));
    expect(step.step === 'settle' && step.verdict.message).toBe('AADSTS7000215: Invalid client secret provided.');
  });
});

describe('the outcome of a final failure, by reason', () => {
  const rows: [CloudErrorReason, string][] = [
    ['REFUSED_SYNCED', 'refused'],
    ['REFUSED_FEDERATED', 'refused'],
    ['INVALID_VALUE', 'refused'],
    ['CONFLICT', 'conflict'],
    ['FORBIDDEN', 'failed'],
    ['NOT_FOUND', 'failed'],
    ['AUTH_FAILED', 'failed'],
    ['UNREACHABLE', 'failed'],
    ['GRAPH_ERROR', 'failed'],
  ];
  it.each(rows)('%s -> %s', (reason, outcome) => expect(outcomeOf(reason)).toBe(outcome));
});

describe('what one batch tells the rate limiter (rate-limiter.ts cuts 15 % with Retry-After, halves without)', () => {
  const written: AnswerStep = { step: 'settle', verdict: { outcome: 'written' } };
  const throttled = (retryAfterMs?: number): AnswerStep => ({ step: 'retry', cause: 'throttled', failure: { status: 429, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) } });
  const transient: AnswerStep = { step: 'retry', cause: 'transient', failure: { status: 503 } };
  const rows: { batch: string; steps: AnswerStep[]; expected: ReturnType<typeof limiterFeedback> }[] = [
    { batch: '20 written', steps: Array(20).fill(written), expected: { written: 20, throttled: 0, share: 0, retryAfterMs: undefined } },
    { batch: '1 of 20 throttled, Retry-After 1 s', steps: [throttled(1000), ...Array(19).fill(written)], expected: { written: 19, throttled: 1, share: 0.05, retryAfterMs: 1000 } },
    { batch: '4 throttled, the longest Retry-After wins', steps: [throttled(200), throttled(3000), throttled(), throttled(0)], expected: { written: 0, throttled: 4, share: 1, retryAfterMs: 3000 } },
    { batch: '2 throttled without Retry-After, 2 transient', steps: [throttled(), throttled(), transient, transient], expected: { written: 0, throttled: 2, share: 0.5, retryAfterMs: undefined } },
  ];
  it.each(rows)('$batch', ({ steps, expected }) => expect(limiterFeedback(steps)).toEqual(expected));
});

describe('retrying an item (policy: 50 throttled, 8 transient, 3 sends answered 500)', () => {
  const none: AttemptCounts = { throttled: 0, transient: 0, serverErrors: 0 };
  const noJitter = () => 1; // backoffDelay's ceiling: 500 ms * 2^(n-1)
  const rows: { after: string; counts: AttemptCounts; cause: RetryCause; failure: GraphFailure; next: string; delayMs?: number }[] = [
    { after: 'a first 429 with Retry-After 2.128 s: wait exactly that', counts: none, cause: 'throttled', failure: { status: 429, retryAfterMs: 2128 }, next: 'wait', delayMs: 2128 },
    { after: 'a first 429 without Retry-After: backoff', counts: none, cause: 'throttled', failure: { status: 429 }, next: 'wait', delayMs: 500 },
    { after: 'the 50th 429: give up', counts: { ...none, throttled: 49 }, cause: 'throttled', failure: { status: 429, retryAfterMs: 10 }, next: 'give-up' },
    { after: 'a third 503: backoff 2 s', counts: { ...none, transient: 2 }, cause: 'transient', failure: { status: 503 }, next: 'wait', delayMs: 2000 },
    { after: 'a 503 whose Retry-After is longer than the backoff: Retry-After', counts: none, cause: 'transient', failure: { status: 503, retryAfterMs: 4000 }, next: 'wait', delayMs: 4000 },
    { after: 'the 8th transient failure: give up', counts: { ...none, transient: 7 }, cause: 'transient', failure: { status: 504 }, next: 'give-up' },
    { after: 'a second 500: send again', counts: { ...none, transient: 1, serverErrors: 1 }, cause: 'transient', failure: { status: 500 }, next: 'wait', delayMs: 1000 },
    { after: 'a third 500: stop sending, find who holds the value', counts: { ...none, transient: 2, serverErrors: 2 }, cause: 'transient', failure: { status: 500 }, next: 'diagnose-server-errors' },
    { after: 'a third 500 after two 504s: still only one 500, send again', counts: { ...none, transient: 2, serverErrors: 0 }, cause: 'transient', failure: { status: 500 }, next: 'wait', delayMs: 2000 },
    { after: 'the 8th transient failure being the 3rd 500: diagnose wins', counts: { ...none, transient: 7, serverErrors: 2 }, cause: 'transient', failure: { status: 500 }, next: 'diagnose-server-errors' },
  ];
  it.each(rows)('$after', ({ counts, cause, failure, next, delayMs }) => {
    const { decision } = retryDecision(counts, cause, failure, ANCHOR_RETRY_DEFAULTS, noJitter);
    expect(decision).toEqual(delayMs === undefined ? { next } : { next, delayMs });
  });

  it('counts the failure by kind (a 500 is transient and a server error) and leaves the input alone', () => {
    const before: AttemptCounts = { throttled: 1, transient: 1, serverErrors: 0 };
    expect(retryDecision(before, 'transient', { status: 500 }, ANCHOR_RETRY_DEFAULTS).counts).toEqual({ throttled: 1, transient: 2, serverErrors: 1 });
    expect(retryDecision(before, 'transient', { status: 504 }, ANCHOR_RETRY_DEFAULTS).counts).toEqual({ throttled: 1, transient: 2, serverErrors: 0 });
    expect(retryDecision(before, 'throttled', { status: 429 }, ANCHOR_RETRY_DEFAULTS).counts).toEqual({ throttled: 2, transient: 1, serverErrors: 0 });
    expect(before).toEqual({ throttled: 1, transient: 1, serverErrors: 0 });
  });
});

describe('giving up and aborting', () => {
  const gateway: GraphFailure = { status: 504, code: 'GatewayTimeout', message: 'Gateway timeout', requestId: REQUEST_ID };
  it('retries out after a lost answer: failed TRANSIENT, and the report says the write may have landed', () => {
    expect(gaveUpVerdict('transient', gateway, { ambiguous: true, aborted: false })).toEqual({
      outcome: 'failed',
      reason: 'TRANSIENT',
      graphCode: 'GatewayTimeout',
      requestId: REQUEST_ID,
      message: 'Gateway timeout (an earlier send may have been applied: verify)',
    });
  });
  it('throttled out: failed THROTTLED, no "may have been applied" (a 429 stored nothing)', () => {
    expect(gaveUpVerdict('throttled', { status: 429, code: 'TooManyRequests', message: 'Too many requests' }, { ambiguous: true, aborted: false })).toEqual({
      outcome: 'failed',
      reason: 'THROTTLED',
      graphCode: 'TooManyRequests',
      message: 'Too many requests',
    });
  });
  it('aborted while a retry was due: reason ABORTED', () => {
    expect(gaveUpVerdict('transient', gateway, { ambiguous: false, aborted: true })).toMatchObject({ outcome: 'failed', reason: 'ABORTED', message: 'Gateway timeout' });
  });
  it.each([
    [false, 'aborted before it was sent'],
    [true, 'aborted while waiting to re-send; an earlier send may have been applied: verify'],
  ])('aborted in the queue (ambiguous %s)', (ambiguous, message) => {
    expect(abortedVerdict(ambiguous)).toEqual({ outcome: 'failed', reason: 'ABORTED', message });
  });
});

describe('reading a user back before a re-send (GET /users/{id}?$select=id,onPremisesImmutableId)', () => {
  const rows: { answer: string; given: BatchItemResponse | undefined; current: string | null | undefined; landed: boolean }[] = [
    { answer: '200 holding our value: the lost send landed', given: { id: '1', status: 200, headers: {}, body: { id: 'x', onPremisesImmutableId: VALUE } }, current: VALUE, landed: true },
    { answer: '200 holding another value', given: { id: '1', status: 200, headers: {}, body: { id: 'x', onPremisesImmutableId: 'other==' } }, current: 'other==', landed: false },
    { answer: '200 holding null', given: { id: '1', status: 200, headers: {}, body: { id: 'x', onPremisesImmutableId: null } }, current: null, landed: false },
    { answer: '200 without the property', given: { id: '1', status: 200, headers: {}, body: { id: 'x' } }, current: null, landed: false },
    { answer: '503 (not read: send again, harmless)', given: answer(503, { code: 'ServiceUnavailable', message: 'x' }), current: undefined, landed: false },
    { answer: 'no answer (not read)', given: undefined, current: undefined, landed: false },
  ];
  it.each(rows)('$answer', ({ given, current, landed }) => {
    expect(immutableIdInAnswer(given)).toEqual(current);
    expect(landedUnseen(VALUE, immutableIdInAnswer(given))).toBe(landed);
  });
  it('a clear has landed when the user holds null', () => {
    expect(landedUnseen(null, null)).toBe(true);
    expect(landedUnseen(null, undefined)).toBe(false);
  });
});

describe('a conflict answer, then the user read', () => {
  const conflict: GraphFailure = { status: 400, code: 'Request_BadRequest', message: 'Another object with the same value for property onPremisesImmutableId already exists.', requestId: REQUEST_ID };
  it('the user already holds our value (an earlier run, or our own lost send): already-set', () => {
    expect(conflictVerdict(conflict, VALUE, { current: VALUE })).toEqual({ outcome: 'already-set', message: 'the user already holds this immutableId' });
  });
  it('the user holds nothing or another value: conflict, with what it holds', () => {
    expect(conflictVerdict(conflict, VALUE, { current: null })).toEqual({ outcome: 'conflict', reason: 'CONFLICT', graphCode: 'Request_BadRequest', message: conflict.message, requestId: REQUEST_ID, currentImmutableId: null });
    expect(conflictVerdict(conflict, VALUE, { current: 'other==' })).toMatchObject({ outcome: 'conflict', currentImmutableId: 'other==' });
  });
  it('the read failed: conflict, saying why the user could not be read', () => {
    const verdict = conflictVerdict(conflict, VALUE, { error: 'GET user after conflict: timeout' });
    expect(verdict).toMatchObject({ outcome: 'conflict', reason: 'CONFLICT' });
    expect(verdict).not.toHaveProperty('currentImmutableId');
    expect(verdict.message).toBe(`${conflict.message} (could not re-read the user: GET user after conflict: timeout)`);
  });
});

describe('three 500s, then who holds the value ($filter=onPremisesImmutableId eq, learn.microsoft.com/graph/aad-advanced-queries)', () => {
  const fiveHundred: GraphFailure = { status: 500, code: 'InternalServerError', message: 'The given key was not present in the dictionary.', requestId: REQUEST_ID };
  const ours = { cloudId: '11111111-1111-1111-1111-111111111111', value: VALUE, sends: 3 };
  const holder = { id: '22222222-2222-2222-2222-222222222222', userPrincipalName: 'holder@contoso.example', onPremisesImmutableId: VALUE };
  it('another user holds it: conflict naming that user (github.com/microsoftgraph/microsoft-graph-docs/issues/1508)', () => {
    const verdict = serverErrorVerdict(fiveHundred, ours, { users: [holder] });
    expect(verdict).toMatchObject({ outcome: 'conflict', reason: 'CONFLICT', graphCode: 'InternalServerError', requestId: REQUEST_ID, heldBy: { id: holder.id, userPrincipalName: 'holder@contoso.example' } });
    expect(verdict.message).toMatch(/^Graph answered 500 InternalServerError to 3 sends \("The given key was not present in the dictionary\."\): another user, holder@contoso\.example/);
  });
  it('our own user holds it (ids compared case-insensitively): written, confirmed by read-back', () => {
    const verdict = serverErrorVerdict(fiveHundred, ours, { users: [{ id: ours.cloudId.toUpperCase(), onPremisesImmutableId: VALUE }] });
    expect(verdict).toMatchObject({ outcome: 'written', confirmedByReadBack: true });
    expect(verdict).not.toHaveProperty('reason');
  });
  it('nobody holds it (or only a near match the eventual listing returned): failed SERVER_ERROR, for Microsoft support', () => {
    for (const users of [[], [{ ...holder, onPremisesImmutableId: 'other==' }]]) {
      const verdict = serverErrorVerdict(fiveHundred, ours, { users });
      expect(verdict).toMatchObject({ outcome: 'failed', reason: 'SERVER_ERROR', requestId: REQUEST_ID });
      expect(verdict.message).toMatch(/No other user holds .*re-run apply/);
    }
  });
  it('the lookup failed: failed SERVER_ERROR, telling the admin to check for a duplicate', () => {
    const verdict = serverErrorVerdict(fiveHundred, ours, { error: 'THROTTLED' });
    expect(verdict).toMatchObject({ outcome: 'failed', reason: 'SERVER_ERROR' });
    expect(verdict.message).toMatch(/Could not look up who holds .* \(THROTTLED\): check whether another user holds/);
  });
  it('a clear answered 500 three times: failed SERVER_ERROR, nothing to look up', () => {
    const verdict = serverErrorVerdict(fiveHundred, { ...ours, value: null }, 'clear');
    expect(verdict).toMatchObject({ outcome: 'failed', reason: 'SERVER_ERROR' });
    expect(verdict.message).toMatch(/not retried further: quote the request-id to Microsoft support$/);
  });
});
