/**
 * The identity platform's error answer, shared by every simulator sign-in
 * endpoint (token, device code, OpenID discovery).
 *
 * Body shape: learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow
 * ("Error response") and learn.microsoft.com/entra/identity-platform/reference-error-codes
 * (`error`, `error_description` starting "AADSTSnnnn:", `error_codes`, trace and
 * correlation ids, timestamp).
 */
import { randomUUID } from 'node:crypto';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** An identity-platform refusal before it is rendered: what a check decided. */
export interface AadRefusal {
  status: number;
  error: string;
  code: number;
  message: string;
}

export function aadError(baseUrl: string, status: number, error: string, code: number, message: string): HttpAnswer {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  return {
    status,
    headers: {},
    body: {
      error,
      error_description: `AADSTS${code}: ${message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `${baseUrl}/error?code=${code}`,
    },
  };
}

export function refusalAnswer(baseUrl: string, refusal: AadRefusal): HttpAnswer {
  return aadError(baseUrl, refusal.status, refusal.error, refusal.code, refusal.message);
}
