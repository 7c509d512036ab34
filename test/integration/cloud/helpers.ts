/**
 * Fixtures for the cloud adapter's integration tests: the simulator started on
 * an inline or generated tenant, and the adapter's REAL Graph client built by
 * createGraph() with the REAL ClientSecretCredential (no credential injected).
 */
import { AnchorWriter, createGraph, MAX_BATCH_SIZE, type AnchorWriteItem, type AnchorWriterOptions, type AnchorWriteResult, type Graph } from '../../../src/cloud/index.js';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../../src/sim/index.js';
import type { SnapshotUser, TenantSnapshot } from '../../../src/graph/tenant-snapshot.js';

export async function startSim(tenant: TenantSnapshot, options: Omit<SimulatorOptions, 'tenant'> = {}): Promise<RunningSimulator> {
  return startSimulator({ tenant, ...options });
}

/** The adapter's client for a simulator: secret sign-in, Graph URL + authority overridden, CA trusted. */
export function graphFor(sim: RunningSimulator, overrides: { clientSecret?: string; requestTimeoutMs?: number } = {}): Graph {
  return createGraph(
    {
      auth: 'secret',
      tenantId: sim.tenantId,
      clientId: sim.clientId,
      clientSecret: overrides.clientSecret ?? sim.clientSecret,
      graphUrl: sim.url,
      authorityHost: sim.authorityHost,
      ca: sim.caPem,
    },
    { env: {}, ...(overrides.requestTimeoutMs ? { requestTimeoutMs: overrides.requestTimeoutMs } : {}) },
  );
}

/** A cloud-only member user with Graph's shape for the properties entra2ad selects. */
export function cloudUser(id: string, upn: string, extra: Partial<SnapshotUser> = {}): SnapshotUser {
  return {
    id,
    userPrincipalName: upn,
    displayName: upn.split('@')[0] ?? upn,
    accountEnabled: true,
    userType: 'Member',
    onPremisesSyncEnabled: null,
    onPremisesImmutableId: null,
    proxyAddresses: [`SMTP:${upn}`],
    businessPhones: [],
    ...extra,
  };
}

/** A GUID stable per number, for naming users in assertions. */
export function guidOf(n: number, prefix = 'c'): string {
  return `${prefix.repeat(8)}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/** base64 of 16 bytes derived from n: a well-formed immutableId. */
export function immutableIdOf(n: number): string {
  const bytes = Buffer.alloc(16);
  bytes.writeUInt32LE(n, 0);
  bytes.writeUInt32LE(0x5eed5eed, 4);
  bytes.writeUInt32LE((n ^ 0xa5a5a5a5) >>> 0, 8);
  bytes.writeUInt32LE(0x12345678, 12);
  const value = bytes.toString('base64');
  // `_` is not in standard base64, `$` neither; '+' and '/' are fine for Graph.
  return value;
}

export function baseTenant(users: SnapshotUser[]): TenantSnapshot {
  return {
    tenant: { id: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b', initialDomain: 'contoso.onmicrosoft.com', displayName: 'Contoso (test)' },
    users,
    domains: [
      { id: 'contoso.onmicrosoft.com', authenticationType: 'Managed', isVerified: true, isDefault: false, isInitial: true },
      { id: 'contoso.example', authenticationType: 'Managed', isVerified: true, isDefault: true, isInitial: false },
      { id: 'fabrikam.example', authenticationType: 'Federated', isVerified: true, isDefault: false, isInitial: false },
    ],
    roleDefinitions: [],
    roleAssignments: [],
    roleEligibilityScheduleInstances: [],
    onPremisesSynchronization: [],
  };
}

/**
 * The adapter's client with a DELEGATED token for `user` (id or UPN) holding `scopes`
 * (the simulator mints it as a sign-in of that user would: src/sim/token-claims.ts).
 */
export function delegatedGraphFor(sim: RunningSimulator, user: string, scopes: readonly string[]): Graph {
  const credential = {
    getToken: async () => ({ token: sim.delegatedToken(user, scopes), expiresOnTimestamp: Date.now() + 3_600_000 }),
  };
  return createGraph(
    { auth: 'secret', tenantId: sim.tenantId, clientId: sim.clientId, clientSecret: sim.clientSecret, graphUrl: sim.url, authorityHost: sim.authorityHost, ca: sim.caPem },
    { env: {}, credential },
  );
}

/**
 * Test drivers over AnchorWriter (production enqueues from the apply and rollback loops):
 * write every item, reading an async source lazily with backpressure (a few batches
 * ahead), and return every outcome in input order.
 */
export async function writeImmutableIds(
  graph: Graph,
  items: Iterable<AnchorWriteItem> | AsyncIterable<AnchorWriteItem>,
  options: AnchorWriterOptions = {},
): Promise<AnchorWriteResult[]> {
  const writer = new AnchorWriter(graph, options);
  const results: Promise<AnchorWriteResult>[] = [];
  const highWater = MAX_BATCH_SIZE * Math.max(1, options.concurrency ?? 4) * 2;
  for await (const item of items) {
    results.push(writer.enqueue(item));
    await writer.waitForRoom(highWater);
  }
  await writer.close();
  return Promise.all(results);
}

/** One clear of onPremisesImmutableId (rollback's write), sent at once. */
export async function clearImmutableId(graph: Graph, item: { cloudId: string; userPrincipalName: string }, options: AnchorWriterOptions = {}): Promise<AnchorWriteResult> {
  const writer = new AnchorWriter(graph, { ...options, flushDelayMs: 0 });
  const result = writer.enqueueClear(item);
  await writer.close();
  return result;
}
