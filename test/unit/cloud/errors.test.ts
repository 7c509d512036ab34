import { GraphError } from '@microsoft/microsoft-graph-client';
import { describe, expect, it } from 'vitest';
import { CloudError, classifyFailure, failureFromBody, parseRetryAfter, translateGraphError, type GraphFailure } from '../../../src/cloud/errors.js';
import { describeNetworkError } from '../../../src/cloud/fetch-handler.js';
import { Entra2adError } from '../../../src/errors.js';

function graphError(status: number, error: Record<string, unknown>, headers: Record<string, string> = {}): GraphError {
  // Built exactly as the SDK's GraphErrorHandler.constructErrorFromResponse does.
  const e = new GraphError(status, error.message as string);
  e.code = error.code as string;
  e.requestId = (error.innerError as Record<string, string> | undefined)?.['request-id'] ?? null;
  e.body = JSON.stringify(error);
  e.headers = new Headers(headers);
  return e;
}

describe('classifyFailure', () => {
  it.each([
    [{ status: 401, code: 'InvalidAuthenticationToken' }, 'AUTH_FAILED'],
    [{ status: 0, code: 'AuthenticationError', message: 'AADSTS7000215' }, 'AUTH_FAILED'],
    [{ status: 0, code: 'CredentialUnavailableError' }, 'AUTH_FAILED'],
    [{ status: 403, code: 'Authorization_RequestDenied' }, 'FORBIDDEN'],
    [{ status: 429, code: 'TooManyRequests' }, 'THROTTLED'],
    [{ status: 404, code: 'Request_ResourceNotFound' }, 'NOT_FOUND'],
    [{ status: 409, code: 'Conflict' }, 'CONFLICT'],
    [{ status: 400, code: 'Request_BadRequest', message: 'Another object with the same value for property onPremisesImmutableId already exists.' }, 'CONFLICT'],
    [{ status: 400, code: 'Request_BadRequest', message: 'x', details: [{ code: 'ObjectConflict', target: 'onPremisesImmutableId' }] }, 'CONFLICT'],
    [{ status: 400, code: 'Request_BadRequest', message: 'Unable to update the specified properties for objects that have originated within an external service.' }, 'REFUSED_SYNCED'],
    [{ status: 400, code: 'Request_BadRequest', message: 'Unable to update the onPremisesImmutableId of a user whose userPrincipalName is in the federated domain fabrikam.example.' }, 'REFUSED_FEDERATED'],
    [{ status: 400, code: 'Request_BadRequest', message: "Invalid value specified for property 'onPremisesImmutableId' of resource 'User'." }, 'INVALID_VALUE'],
    [{ status: 400, code: 'Request_UnsupportedQuery', message: 'Unsupported Query.' }, 'GRAPH_ERROR'],
    [{ status: 500 }, 'TRANSIENT'],
    [{ status: 502 }, 'TRANSIENT'],
    [{ status: 503, code: 'serviceNotAvailable' }, 'TRANSIENT'],
    [{ status: 504, code: 'GatewayTimeout' }, 'TRANSIENT'],
    [{ status: 0, code: 'NetworkError', message: 'fetch failed (ECONNRESET)' }, 'TRANSIENT'],
    [{ status: 0, code: 'TimeoutError' }, 'TRANSIENT'],
    [{ status: 0, code: 'UnreachableError', message: 'fetch failed (DEPTH_ZERO_SELF_SIGNED_CERT)' }, 'UNREACHABLE'],
    [{ status: 418 }, 'GRAPH_ERROR'],
  ] as const)('%o -> %s', (failure, reason) => {
    expect(classifyFailure(failure as unknown as GraphFailure)).toBe(reason);
  });
});

describe('translateGraphError', () => {
  it('keeps Graph code, message, request-id, the user and Retry-After from a GraphError', () => {
    const error = translateGraphError(
      graphError(429, { code: 'TooManyRequests', message: 'Too many requests.', innerError: { 'request-id': 'req-1', date: '2026-01-01T00:00:00' } }, { 'Retry-After': '2.128' }),
      { user: 'zoe@contoso.example', operation: 'PATCH user' },
    );
    expect(error).toBeInstanceOf(CloudError);
    expect(error).toBeInstanceOf(Entra2adError);
    expect(error).toMatchObject({ reason: 'THROTTLED', status: 429, graphCode: 'TooManyRequests', requestId: 'req-1', retryAfterMs: 2128, user: 'zoe@contoso.example' });
    expect(error.retryable).toBe(true);
    expect(error.message).toBe('PATCH user: TooManyRequests: Too many requests. (HTTP 429) [request-id req-1]');
  });

  it('reads details (ObjectConflict) from the JSON body the SDK keeps', () => {
    const error = translateGraphError(
      graphError(400, { code: 'Request_BadRequest', message: 'Another object with the same value for property onPremisesImmutableId already exists.', details: [{ code: 'ObjectConflict', target: 'onPremisesImmutableId' }] }),
    );
    expect(error.reason).toBe('CONFLICT');
    expect(error.retryable).toBe(false);
  });

  it('turns a network failure the SDK wrapped (status -1, code = error name) into TRANSIENT / UNREACHABLE', () => {
    const reset = new GraphError(-1, '', describeNetworkError(Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) })));
    reset.code = 'NetworkError';
    expect(translateGraphError(reset)).toMatchObject({ reason: 'TRANSIENT', status: 0 });
    const tls = new GraphError(-1, '', describeNetworkError(Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }) })));
    tls.code = 'UnreachableError';
    const translated = translateGraphError(tls);
    expect(translated.reason).toBe('UNREACHABLE');
    expect(translated.message).toContain('DEPTH_ZERO_SELF_SIGNED_CERT');
  });

  it('maps credential errors to AUTH_FAILED', () => {
    const auth = Object.assign(new Error('AADSTS7000215: Invalid client secret provided.'), { name: 'AuthenticationError' });
    expect(translateGraphError(auth).reason).toBe('AUTH_FAILED');
  });

  it('fills in the user on a CloudError that had none, and passes others through', () => {
    const original = translateGraphError(graphError(404, { code: 'Request_ResourceNotFound', message: 'gone' }));
    const withUser = translateGraphError(original, { user: 'u@contoso.example' });
    expect(withUser).not.toBe(original);
    expect(withUser).toMatchObject({ reason: 'NOT_FOUND', user: 'u@contoso.example', graphCode: 'Request_ResourceNotFound' });
    expect(translateGraphError(withUser, { user: 'other' })).toBe(withUser);
  });
});

describe('failureFromBody ($batch items)', () => {
  it('reads code, message, request-id, details and Retry-After from an item', () => {
    const failure = failureFromBody(
      400,
      { error: { code: 'Request_BadRequest', message: 'm', innerError: { 'request-id': 'r' }, details: [{ code: 'ObjectConflict', target: 'onPremisesImmutableId' }] } },
      '0.5',
    );
    expect(failure).toEqual({ status: 400, code: 'Request_BadRequest', message: 'm', requestId: 'r', details: [{ code: 'ObjectConflict', target: 'onPremisesImmutableId' }], retryAfterMs: 500 });
  });
});

describe('parseRetryAfter', () => {
  it('reads fractional seconds and HTTP dates, ignores junk', () => {
    expect(parseRetryAfter('2.128')).toBe(2128);
    expect(parseRetryAfter('0')).toBe(0);
    expect(parseRetryAfter(' 10 ')).toBe(10_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:05 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(5000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('-3')).toBe(0);
  });
});
