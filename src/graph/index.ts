/**
 * Microsoft Graph as data, apart from any client: the JSON shapes entra2ad reads
 * (users, domains, role definitions and assignments, sync features), the tenant
 * snapshot file made of them, and the rule Microsoft publishes on who may write a
 * user's sensitive properties. The cloud adapter (src/cloud), the planner and the
 * simulator (src/sim) all import it, so the production code never imports the
 * simulator; it imports nothing of ours.
 */
export * from './user.js';
export type * from './tenant-snapshot.js';
export * from './sensitive-actions.js';
