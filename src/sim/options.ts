/**
 * The simulator's public options and handle. Other parts of entra2ad (tests,
 * the demo, the benchmark) depend on exactly these shapes.
 */
import type { FaultOptions } from './faults.js';
import type { SimStats } from './request.js';
import type { TenantSnapshot } from '../graph/tenant-snapshot.js';
import type { ThrottleOptions } from './throttle.js';

export interface SimulatorOptions {
  /** A snapshot, or the path of a snapshot file. */
  tenant: TenantSnapshot | string;
  /** 0 (default) = a free port. */
  port?: number;
  /** Default 127.0.0.1. Loopback only: the certificate names 127.0.0.1, ::1 and localhost. */
  host?: string;
  /** Fixed delay added to every Graph request, ms. */
  latencyMs?: number;
  /** Uniform random extra delay, 0..jitterMs, ms (seeded). */
  jitterMs?: number;
  /** Seed for faults, jitter and $batch order. Default 1: runs repeat unless asked otherwise. */
  seed?: number;
  faults?: FaultOptions;
  /** Graph's identity throttling (default on, at Graph's published budgets); false turns it off. */
  throttle?: ThrottleOptions | false;
  /** Answer GET /directory/onPremisesSynchronization with 403 to every caller, delegated ones too. */
  syncFeaturesForbidden?: boolean;
  /**
   * NOT Graph's behaviour: let app-only tokens read GET /directory/onPremisesSynchronization.
   * Graph's page lists no application permission for it (learn.microsoft.com/graph/api/onpremisesdirectorysynchronization-get),
   * so app-only callers get 403 by default here too. For tests and rehearsals of the
   * tenant blocks (takeover block, soft-match block, password hash sync) without a delegated sign-in.
   */
  syncFeaturesForApps?: boolean;
  /** Refuse PATCH onPremisesImmutableId: null, as v1.0 has done in public reports since 2024. */
  refuseImmutableIdClear?: boolean;
  /**
   * Refuse every request that carries `ConsistencyLevel: eventual` (advanced
   * queries) with 400 Request_UnsupportedQuery, as tenants without advanced
   * query support do (learn.microsoft.com/graph/aad-advanced-queries: "not
   * available for Azure AD B2C tenants"), and as a gateway that mangles the
   * header makes Graph do. Clients must fall back to queries without it.
   */
  refuseAdvancedQuery?: boolean;
  /**
   * Route templates answered 403 Authorization_RequestDenied whatever the token
   * holds, e.g. `['GET /beta/users']` (a tenant or cloud that refuses the beta
   * listing). Templates as in `stats().perPath`.
   */
  refuseRoutes?: readonly string[];
  /**
   * Milliseconds for which a write stays out of the results of advanced queries
   * (requests with `ConsistencyLevel: eventual`): such a listing still shows the
   * values the write replaced. Graph serves advanced queries from a separately
   * indexed store (learn.microsoft.com/graph/aad-advanced-queries) that "might
   * not be up-to-date with recent changes to the object"
   * (learn.microsoft.com/graph/api/user-list, request headers). Default 0.
   * Reads of one object by id are never delayed.
   */
  eventualLagMs?: number;
  /**
   * NOT documented behaviour, a worst case: listings WITHOUT `ConsistencyLevel:
   * eventual` lag by `eventualLagMs` too (as a directory replica behind the
   * one that took the write would serve them). Default false.
   */
  eventualLagAllListings?: boolean;
  /**
   * Answer a PATCH of an onPremisesImmutableId another user holds with 500
   * instead of 400 ObjectConflict, as publicly reported
   * (github.com/microsoftgraph/microsoft-graph-docs/issues/1508).
   */
  duplicateImmutableIdAs500?: boolean;
  /** expires_in of issued tokens; default 3599 (Entra's usual). */
  tokenLifetimeSeconds?: number;
  /** Default: a random GUID. */
  clientId?: string;
  /** Default: a random throwaway secret. */
  clientSecret?: string;
  /**
   * PEM certificates registered on the app (its keyCredentials): a client
   * assertion signed by the key of one of them signs the app in
   * (learn.microsoft.com/entra/identity-platform/certificate-credentials).
   */
  clientCertificates?: string[];
  /** Device code grant: Entra's 900 s lifetime and 5 s polling interval by default. */
  deviceCode?: { lifetimeSeconds?: number; intervalSeconds?: number };
  /** The managed identity's client id (App Service endpoint); default: a random GUID. */
  managedIdentityClientId?: string;
}

export interface DeviceLoginOptions {
  /** UPN of a tenant user who signs in; default a simulated administrator not in the tenant. */
  user?: string;
  /** The user refuses the request (authorization_declined). */
  decline?: boolean;
}

export interface RunningSimulator {
  /** https://127.0.0.1:PORT (no trailing slash). Graph is at `${url}/v1.0`. */
  url: string;
  /** PEM file of the throwaway CA; pass to NODE_EXTRA_CA_CERTS for child processes. */
  caFile: string;
  caPem: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** Give this to @azure/identity as `authorityHost` (with disableInstanceDiscovery: true). */
  authorityHost: string;
  /**
   * The App Service managed identity endpoint (plain HTTP on the simulator's
   * loopback address, as App Service serves it) and the header secret: set them
   * as IDENTITY_ENDPOINT and IDENTITY_HEADER for ManagedIdentityCredential.
   */
  managedIdentity: { endpoint: string; header: string; clientId: string };
  /** The user's side of a device code sign-in (also `POST /_sim/devicelogin`). False: unknown or expired code. */
  deviceLogin(userCode: string, options?: DeviceLoginOptions): boolean;
  /** User codes waiting for a sign-in. */
  pendingDeviceCodes(): string[];
  /**
   * A delegated access token for `user` (id or UPN) with these delegated
   * permissions in `scp`, as a sign-in of that user would give
   * (src/sim/token-claims.ts). For tests and the device-code flow.
   */
  delegatedToken(user: string, scopes: readonly string[]): string;
  /** A deep copy of the current tenant, including every write handled. */
  state(): TenantSnapshot;
  stats(): SimStats;
  close(): Promise<void>;
}
