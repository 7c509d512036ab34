export * from './tenant-generator.js';
export * from './sample-tenant.js';
export type { EdgeCaseUser } from './edge-cases.js';
export { EDGE_CASE_USERS } from './edge-cases.js';
