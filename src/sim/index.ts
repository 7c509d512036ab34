/**
 * The Graph-compatible tenant simulator: real Graph behaviour on loopback over
 * HTTPS, for tests, the demo, the benchmark, and admins rehearsing a run.
 */
export { startSimulator } from './server.js';
export { loadTenant, normalizeTenant, TenantSnapshotError, SYNC_FEATURES } from './normalize.js';
export type { RunningSimulator, SimulatorOptions } from './options.js';
export type { FaultOptions } from './faults.js';
export type { ThrottleOptions } from './throttle.js';
export type { SimStats } from './request.js';
export type * from '../graph/tenant-snapshot.js';
