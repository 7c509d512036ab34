export * from './types.js';
export * from './predict.js';
export * from './format.js';
export * from './read-again.js';
export * from './scope.js';
