/**
 * The one place a Microsoft Graph client is made.
 *
 * Middleware chain = the library's default (MiddlewareFactory.getDefaultMiddlewareChain:
 * authentication -> retry -> redirect -> telemetry -> fetch) with our FetchHandler as
 * the last link (timeout + network cause kept). The Authorization header is only
 * added for https URLs on a Graph host or in `customHosts`, so the override host
 * (the simulator) is listed there, by host name without port, as the library wants.
 *
 * The library's RetryHandler (3 tries, honours Retry-After) stays on for ad-hoc
 * `graph.client` calls; entra2ad's own readers and writers switch it off per
 * request (`NO_LIBRARY_RETRY`) and use src/cloud/retry.ts instead, which retries
 * longer, also after dropped connections, can be aborted, and feeds the rate limiter.
 */
import type { TokenCredential } from '@azure/identity';
import {
  AuthenticationHandler,
  Client,
  RedirectHandler,
  RedirectHandlerOptions,
  RetryHandler,
  RetryHandlerOptions,
  TelemetryHandler,
} from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import { resolveCloudOptions, type CloudOptions, type Environment, type ResolvedCloudOptions } from './cloud-options.js';
import { createCredential } from './credential.js';
import { DEFAULT_REQUEST_TIMEOUT_MS, FetchHandler } from './fetch-handler.js';
import { diagnosingCredential } from './sign-in-diagnosis.js';
import { trustCertificateAuthority } from './trust.js';

export const GRAPH_VERSION = 'v1.0';

export interface Graph {
  client: Client;
  /** Service root without version, e.g. `https://graph.microsoft.com`. */
  baseUrl: string;
  options: ResolvedCloudOptions;
  credential: TokenCredential;
}

export interface CreateGraphDependencies {
  env?: Environment;
  /** A ready credential (tests, callers with their own sign-in); skips createCredential. */
  credential?: TokenCredential;
  requestTimeoutMs?: number;
}

/** Per-request middleware option that switches the library's RetryHandler off. */
export const NO_LIBRARY_RETRY = new RetryHandlerOptions(0, 0);

export function createGraph(options: CloudOptions | ResolvedCloudOptions, dependencies: CreateGraphDependencies = {}): Graph {
  const resolved = isResolved(options) ? options : resolveCloudOptions(options, dependencies.env ?? process.env);
  if (resolved.ca !== undefined) trustCertificateAuthority(resolved.ca);
  const credential = dependencies.credential ?? diagnosingCredential(createCredential(resolved), resolved);
  const authProvider = new TokenCredentialAuthenticationProvider(credential, { scopes: [resolved.scope] });
  const client = Client.initWithMiddleware({
    baseUrl: resolved.graphUrl,
    defaultVersion: GRAPH_VERSION,
    customHosts: new Set([resolved.graphHost]),
    // An array: the library links the handlers itself (HTTPClient.parseMiddleWareArray).
    middleware: [
      new AuthenticationHandler(authProvider),
      new RetryHandler(new RetryHandlerOptions()),
      new RedirectHandler(new RedirectHandlerOptions()),
      new TelemetryHandler(),
      new FetchHandler(dependencies.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS),
    ],
  });
  return { client, baseUrl: resolved.graphUrl, options: resolved, credential };
}

function isResolved(options: CloudOptions | ResolvedCloudOptions): options is ResolvedCloudOptions {
  return 'credentialKind' in options && 'scope' in options;
}
