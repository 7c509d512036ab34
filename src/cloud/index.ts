/**
 * The cloud adapter: everything entra2ad says to Microsoft Graph goes through here.
 */
export * from '../graph/user.js';
export * from './national-clouds.js';
export * from './cloud-options.js';
export * from './secret.js';
export * from './credential.js';
export * from './certificate-file.js';
export * from './sign-in-diagnosis.js';
export * from './trust.js';
export * from './graph-client.js';
export * from './fetch-handler.js';
export * from './errors.js';
export * from './retry.js';
export * from './rate-limiter.js';
export * from './request.js';
export * from './batch.js';
export * from './permissions.js';
export * from './token-permissions.js';
export * from './users-reader.js';
export * from './managers-reader.js';
export * from './mailbox-reader.js';
export * from './group-members-reader.js';
export * from './guards-reader.js';
export * from './sync-behavior-reader.js';
export * from './anchor-writer.js';
export * from './snapshot-reader.js';
export { sleep } from './sleep.js';
export * from './managers-by-listing.js';
export * from './users-by-id.js';
