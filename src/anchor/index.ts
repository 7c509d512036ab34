export * from './errors.js';
export * from './guid.js';
export * from './immutable-id.js';
