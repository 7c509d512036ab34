/**
 * Graph's error shape, in one place. Every non-2xx answer of the simulator's
 * /v1.0 surface is built here so it looks exactly like Graph's:
 *
 *   {"error":{"code","message","innerError":{"date","request-id","client-request-id"},"details"?:[...]}}
 *
 * with `Content-Type: application/json` (learn.microsoft.com/graph/errors).
 * Handlers throw a GraphHttpError; the server or the $batch runner renders it.
 */

export interface GraphErrorDetail {
  code: string;
  target?: string;
  message?: string;
}

export class GraphHttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: GraphErrorDetail[] | undefined;
  /** Extra response headers, e.g. Retry-After on a 429. */
  readonly headers: Record<string, string>;

  constructor(status: number, code: string, message: string, options: { details?: GraphErrorDetail[]; headers?: Record<string, string> } = {}) {
    super(message);
    this.name = 'GraphHttpError';
    this.status = status;
    this.code = code;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }
}

export interface RequestIds {
  requestId: string;
  clientRequestId: string;
}

/** Graph's innerError.date has no fraction and no zone: 2021-05-18T19:03:10. */
export function graphDate(now: Date = new Date()): string {
  return now.toISOString().slice(0, 19);
}

export function errorBody(error: GraphHttpError, ids: RequestIds): Record<string, unknown> {
  const body: Record<string, unknown> = {
    code: error.code,
    message: error.message,
    innerError: { date: graphDate(), 'request-id': ids.requestId, 'client-request-id': ids.clientRequestId },
  };
  if (error.details) body.details = error.details;
  return { error: body };
}

// Constructors for the errors Graph gives most often, so their wording lives in one place.

/** learn.microsoft.com/graph/api/user-get: unknown id or UPN. Message as Graph words it. */
export function resourceNotFound(what: string): GraphHttpError {
  return new GraphHttpError(
    404,
    'Request_ResourceNotFound',
    `Resource '${what}' does not exist or one of its queried reference-property objects are not present.`,
  );
}

export function badRequest(message: string, code = 'Request_BadRequest', details?: GraphErrorDetail[]): GraphHttpError {
  return new GraphHttpError(400, code, message, details ? { details } : {});
}

export function unsupportedQuery(message: string): GraphHttpError {
  return new GraphHttpError(400, 'Request_UnsupportedQuery', message);
}
