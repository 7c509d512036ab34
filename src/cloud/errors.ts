/**
 * Graph failures translated at the adapter boundary into one error class with a
 * stable reason, Graph's own code/message/request-id, and the user it is about.
 *
 * Graph's error body (learn.microsoft.com/graph/errors):
 *   {"error":{"code","message","innerError":{"date","request-id","client-request-id"},"details"?:[{code,target,message}]}}
 * The same shape comes back for a whole request and for each `$batch` item, so
 * one classifier (`classifyFailure`) serves both.
 */
import { Entra2adError, ExitCode } from '../errors.js';

export const CLOUD_ERROR_REASONS = [
  /** Sign-in failed or the token was refused (401, credential errors). */
  'AUTH_FAILED',
  /** 403: the app lacks a permission or the target needs a higher role. */
  'FORBIDDEN',
  /** 429: over the throttling budget; retry after `retryAfterMs`. */
  'THROTTLED',
  /** 404: the object does not exist (any more). */
  'NOT_FOUND',
  /** Another object already holds the value (ObjectConflict), or 409. */
  'CONFLICT',
  /** The user is or was synced from AD: its anchor cannot be changed through Graph. */
  'REFUSED_SYNCED',
  /** The user's UPN is in a federated domain: immutableId is only settable at creation. */
  'REFUSED_FEDERATED',
  /** Graph rejected the value itself (e.g. `_` or `$` in an immutableId). */
  'INVALID_VALUE',
  /** 500/502/503/504, a dropped connection or a timeout: safe to retry. */
  'TRANSIENT',
  /**
   * The anchor writer's verdict, never a classification: Graph answered 500 to
   * the same write `maxServerErrorAttempts` times and no other user holds the
   * value. Not retried further; the request-id is for Microsoft support.
   */
  'SERVER_ERROR',
  /** TLS verification failed or the host does not resolve: retrying will not help. */
  'UNREACHABLE',
  /** Anything else Graph said. */
  'GRAPH_ERROR',
] as const;
export type CloudErrorReason = (typeof CLOUD_ERROR_REASONS)[number];

export interface GraphErrorDetail {
  code?: string;
  target?: string;
  message?: string;
}

/** A Graph failure in plain data: from a GraphError, a `$batch` item, or a network error. */
export interface GraphFailure {
  /** HTTP status; 0 when no response arrived (network, TLS, sign-in). */
  status: number;
  code?: string | null;
  message?: string | null;
  requestId?: string | null;
  details?: GraphErrorDetail[];
  /** From `Retry-After` (seconds, possibly fractional, or an HTTP date). */
  retryAfterMs?: number;
}

export interface CloudErrorContext {
  /** UPN (or object id) of the user the call was about. */
  user?: string;
  /** What we were doing, e.g. `PATCH onPremisesImmutableId`. */
  operation?: string;
  cause?: unknown;
}

export class CloudError extends Entra2adError {
  declare readonly reason: CloudErrorReason;
  readonly status: number;
  readonly graphCode?: string;
  readonly graphMessage?: string;
  readonly requestId?: string;
  readonly retryAfterMs?: number;
  readonly operation?: string;

  constructor(reason: CloudErrorReason, failure: GraphFailure, context: CloudErrorContext = {}) {
    const what = context.operation ? `${context.operation}: ` : '';
    const graphPart = failure.code ? `${failure.code}: ` : '';
    const status = failure.status > 0 ? ` (HTTP ${failure.status})` : '';
    const requestPart = failure.requestId ? ` [request-id ${failure.requestId}]` : '';
    super(reason, `${what}${graphPart}${failure.message ?? 'no message'}${status}${requestPart}`, ExitCode.Failure, {
      ...(context.user !== undefined ? { user: context.user } : {}),
      ...(context.cause !== undefined ? { cause: context.cause } : {}),
    });
    this.status = failure.status;
    if (failure.code) this.graphCode = failure.code;
    if (failure.message) this.graphMessage = failure.message;
    if (failure.requestId) this.requestId = failure.requestId;
    if (failure.retryAfterMs !== undefined) this.retryAfterMs = failure.retryAfterMs;
    if (context.operation !== undefined) this.operation = context.operation;
  }

  /** Throttled or transient: the same request may succeed later. */
  get retryable(): boolean {
    return this.reason === 'THROTTLED' || this.reason === 'TRANSIENT';
  }
}

const AUTH_ERROR_NAMES = new Set([
  'AuthenticationError',
  'AggregateAuthenticationError',
  'CredentialUnavailableError',
  'AuthenticationRequiredError',
  // sign-in-diagnosis.ts: a refusal already explained, re-wrapped by the Graph client
  'SignInRefusedError',
]);

/** The rule table: status first, then Graph's code/message for the 400s that mean different things. */
export function classifyFailure(failure: GraphFailure): CloudErrorReason {
  const { status } = failure;
  const code = failure.code ?? '';
  const message = failure.message ?? '';
  const details = failure.details ?? [];
  if (status === 401 || (status <= 0 && AUTH_ERROR_NAMES.has(code))) return 'AUTH_FAILED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 429) return 'THROTTLED';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 400 || status === 422) {
    if (details.some((d) => d.code === 'ObjectConflict') || /another object with the same value for property/i.test(message)) return 'CONFLICT';
    if (/originated within an external service/i.test(message) || /synchroni[sz]ed|dirsync/i.test(message)) return 'REFUSED_SYNCED';
    if (/federat/i.test(message)) return 'REFUSED_FEDERATED';
    if (/invalid value|not a valid|invalid format|contains invalid char/i.test(message) || details.some((d) => /invalid/i.test(d.code ?? ''))) {
      return 'INVALID_VALUE';
    }
    return 'GRAPH_ERROR';
  }
  if (status === 408 || status === 500 || status === 502 || status === 503 || status === 504) return 'TRANSIENT';
  if (status <= 0) {
    if (code === 'UnreachableError') return 'UNREACHABLE';
    if (code === 'NetworkError' || code === 'TypeError' || code === 'AbortError' || code === 'TimeoutError' || /fetch failed|socket|ECONN|terminated/i.test(message)) {
      return 'TRANSIENT';
    }
  }
  return 'GRAPH_ERROR';
}

export function cloudErrorFrom(failure: GraphFailure, context: CloudErrorContext = {}): CloudError {
  return new CloudError(classifyFailure(failure), failure, context);
}

/** Reads Graph's JSON error body (`{"error":{...}}` or the inner object) into a GraphFailure. */
export function failureFromBody(status: number, body: unknown, retryAfter?: string | null): GraphFailure {
  const outer = isRecord(body) && isRecord(body.error) ? body.error : isRecord(body) ? body : {};
  const inner = isRecord(outer.innerError) ? outer.innerError : isRecord(outer.innererror) ? outer.innererror : {};
  const failure: GraphFailure = { status };
  if (typeof outer.code === 'string') failure.code = outer.code;
  if (typeof outer.message === 'string') failure.message = outer.message;
  else if (typeof body === 'string' && body !== '') failure.message = body.slice(0, 500);
  if (typeof inner['request-id'] === 'string') failure.requestId = inner['request-id'];
  if (Array.isArray(outer.details)) failure.details = outer.details.filter(isRecord).map(toDetail);
  const retryAfterMs = parseRetryAfter(retryAfter);
  if (retryAfterMs !== undefined) failure.retryAfterMs = retryAfterMs;
  return failure;
}

/**
 * Translates anything the Graph client or a credential threw. A CloudError passes
 * through (with the user filled in when it had none).
 */
export function translateGraphError(error: unknown, context: CloudErrorContext = {}): CloudError {
  if (error instanceof CloudError) {
    if (error.user !== undefined || context.user === undefined) return error;
    return new CloudError(error.reason, graphFailureOf(error), { ...context, cause: error });
  }
  if (isRecord(error) && typeof error.statusCode === 'number' && 'body' in error) {
    // GraphError (duck-typed: the CJS class is not reliably `instanceof` across module copies).
    const status = error.statusCode > 0 ? error.statusCode : 0;
    let body: unknown = error.body;
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body);
      } catch {
        // a network error's text
      }
    }
    const headers = error.headers as { get?: (name: string) => string | null } | undefined;
    const failure = status > 0 ? failureFromBody(status, body, headers?.get?.('retry-after')) : { status: 0 };
    if (typeof error.code === 'string' && !failure.code) failure.code = error.code;
    if (typeof error.message === 'string' && error.message && !failure.message) failure.message = withHint(error.message);
    if (typeof error.requestId === 'string' && !failure.requestId) failure.requestId = error.requestId;
    return cloudErrorFrom(failure, { ...context, cause: error });
  }
  if (error instanceof Error) {
    return cloudErrorFrom({ status: 0, code: error.name, message: withHint(error.message) }, { ...context, cause: error });
  }
  return cloudErrorFrom({ status: 0, message: String(error) }, context);
}

/** MSAL hides why it could not reach the sign-in host; say what usually causes it. */
function withHint(message: string): string {
  if (/endpoints_resolution_error/.test(message)) {
    return `${message} (the sign-in host could not be reached or its TLS certificate is not trusted: check --authority-host, --cloud and, for the simulator, --graph-ca-file)`;
  }
  return message;
}

/** `Retry-After`: delta-seconds (Graph sends fractions like `2.128`) or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value.trim());
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The Graph answer a CloudError was made from, to make it again (another context) or to decide on it (src/cloud/anchor-answer.ts). */
export function graphFailureOf(error: CloudError): GraphFailure {
  const failure: GraphFailure = { status: error.status };
  if (error.graphCode !== undefined) failure.code = error.graphCode;
  failure.message = error.graphMessage ?? error.message;
  if (error.requestId !== undefined) failure.requestId = error.requestId;
  if (error.retryAfterMs !== undefined) failure.retryAfterMs = error.retryAfterMs;
  return failure;
}

function toDetail(record: Record<string, unknown>): GraphErrorDetail {
  const detail: GraphErrorDetail = {};
  if (typeof record.code === 'string') detail.code = record.code;
  if (typeof record.target === 'string') detail.target = record.target;
  if (typeof record.message === 'string') detail.message = record.message;
  return detail;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
