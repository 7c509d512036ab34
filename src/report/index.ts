export * from './ldif.js';
export * from './plan-csv.js';
export * from './plan-ldif.js';
export * from './summary.js';
export * from './plan-files.js';
