/**
 * The last link of the Graph client's middleware chain: `fetch`, like the
 * library's own HTTPMessageHandler, plus two things it lacks.
 *
 * - A timeout: without one a half-open connection hangs a run forever.
 * - The network cause: the library turns a failed fetch into a GraphError that
 *   keeps only `name` and `message` ("TypeError: fetch failed"), losing
 *   `cause.code`. We rename the error so the code survives and the classifier
 *   can tell a dropped connection (retry) from a TLS or DNS failure (do not).
 */
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';

/** Causes that retrying cannot fix: certificate verification and name resolution. */
const UNREACHABLE_CODES = /^(ENOTFOUND|EAI_AGAIN|ERR_TLS_CERT_ALTNAME_INVALID|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|CERT_[A-Z_]+)$/;

export const DEFAULT_REQUEST_TIMEOUT_MS = 120_000;

export class FetchHandler implements Middleware {
  constructor(private readonly timeoutMs: number = DEFAULT_REQUEST_TIMEOUT_MS) {}

  async execute(context: Context): Promise<void> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const callerSignal = context.options?.signal ?? undefined;
    const signal = callerSignal ? AbortSignal.any([callerSignal as AbortSignal, timeout]) : timeout;
    try {
      context.response = await fetch(context.request as string | Request, { ...(context.options as RequestInit), signal });
    } catch (error) {
      throw describeNetworkError(error);
    }
  }
}

export function describeNetworkError(error: unknown): Error {
  const base = error instanceof Error ? error : new Error(String(error));
  const cause = (base as { cause?: unknown }).cause;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? String((cause as { code: unknown }).code) : undefined;
  const causeMessage = cause instanceof Error ? cause.message : undefined;
  const detail = [code, causeMessage].filter(Boolean).join(': ');
  const described = new Error(`${base.message}${detail ? ` (${detail})` : ''}`, { cause: base });
  if (base.name === 'TimeoutError' || base.name === 'AbortError') described.name = base.name;
  else described.name = code !== undefined && UNREACHABLE_CODES.test(code) ? 'UnreachableError' : 'NetworkError';
  return described;
}
