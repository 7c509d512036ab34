/**
 * One schema per command (src/config/flags/<command>.ts): its yargs options
 * (to-yargs.ts), its validation (parse-flags.ts) and, inferred, its args type.
 */
export { anchorSpec, type AnchorArgs } from './anchor.js';
export { applySpec, APPLY_DIRECTORY_CONCURRENCY, type ApplyArgs } from './apply.js';
export { planSpec, type PlanArgs } from './plan.js';
export { preflightSpec, type PreflightArgs } from './preflight.js';
export { rollbackSpec, ROLLBACK_DIRECTORY_CONCURRENCY, type RollbackArgs } from './rollback.js';
export { simSpec, type SimArgs } from './sim.js';
export { snapshotSpec, type SnapshotArgs } from './snapshot.js';
export { verifySpec, type VerifyArgs } from './verify.js';
export { camelKeys, defineCommand, flag, FLAGS, type CamelKeys, type CommandSpec, type FlagMeta } from './flag.js';
export { parseFlags, flagProblems } from './parse-flags.js';
export { withFlags, yargsFlags, type YargsFlags } from './to-yargs.js';
