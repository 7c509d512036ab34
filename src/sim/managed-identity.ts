/**
 * The App Service / Azure Functions managed identity endpoint, the protocol
 * @azure/identity's ManagedIdentityCredential uses when IDENTITY_ENDPOINT and
 * IDENTITY_HEADER are set (msal-node ManagedIdentitySources/AppService.ts):
 *
 *   GET {IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=https://graph.microsoft.com[&client_id=...]
 *   X-IDENTITY-HEADER: {IDENTITY_HEADER}
 *   -> 200 { access_token, expires_on (epoch seconds), resource, token_type, client_id }
 *
 * learn.microsoft.com/azure/app-service/overview-managed-identity#rest-endpoint-reference
 * (parameters, the header, the response). App Service serves it over plain HTTP on
 * the loopback interface (IDENTITY_ENDPOINT is `http://localhost:PORT/msi/token`);
 * the simulator does the same, on its own loopback address.
 * Refusal bodies are not documented; status codes are what to rely on (ASSUMPTION:
 * 401 for a missing/wrong header, 400 for a bad version, resource or identity).
 */
import type { HttpAnswer } from './aad-error.js';

export const APP_SERVICE_MSI_API_VERSION = '2019-08-01';

export interface ManagedIdentityConfig {
  /** The value App Service puts in IDENTITY_HEADER (a per-start secret). */
  identityHeader: string;
  /** The identity's application (client) id; `client_id=` must name it when given. */
  clientId: string;
  /** Resources a token can be asked for (the Graph audience). */
  resources: readonly string[];
}

export type ManagedIdentityDecision = { ok: true; resource: string; clientId: string } | HttpAnswer;

const refuse = (status: number, message: string): HttpAnswer => ({ status, headers: {}, body: { statusCode: status, message } });

export function checkManagedIdentityRequest(config: ManagedIdentityConfig, query: URLSearchParams, identityHeader: string | undefined): ManagedIdentityDecision {
  if (identityHeader !== config.identityHeader) return refuse(401, 'The X-IDENTITY-HEADER header is missing or does not match IDENTITY_HEADER.');
  const version = query.get('api-version');
  if (version !== APP_SERVICE_MSI_API_VERSION) return refuse(400, `Unsupported api-version '${version ?? ''}'; this endpoint serves ${APP_SERVICE_MSI_API_VERSION}.`);
  const resource = (query.get('resource') ?? '').replace(/\/+$/, '');
  if (!config.resources.includes(resource.toLowerCase())) return refuse(400, `Unknown resource '${resource}'.`);
  const asked = query.get('client_id') ?? query.get('principal_id') ?? query.get('object_id') ?? query.get('mi_res_id');
  if (asked !== null && asked.toLowerCase() !== config.clientId.toLowerCase()) {
    return refuse(400, 'No User Assigned or Delegated Managed Identity found for specified ClientId/ResourceId/PrincipalId.');
  }
  return { ok: true, resource, clientId: config.clientId };
}
