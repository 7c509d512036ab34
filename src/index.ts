/**
 * entra2ad as a library (`import { ... } from 'entra2ad'`): the pure parts a script
 * may want without the CLI. Curated on purpose, not `export *`: what is here is kept
 * stable; anything else under dist/ is internal. The Graph simulator is the
 * `entra2ad/sim` subpath (src/sim/index.ts).
 *
 * - anchors: objectGUID <-> onPremisesImmutableId (base64 of the GUID's bytes);
 * - the plan: buildPlan (pure, from cloud users and a directory snapshot) and its types;
 * - plan.json / plan.csv / plan.ldif: parse and serialise;
 * - the sync prediction (what Entra Connect will do per user): predictSync;
 * - errors: every error entra2ad throws on purpose is an Entra2adError with a stable
 *   `reason` and the process exit code it maps to (ExitCode).
 */

// Anchors
export { bytesToGuid, guidToBytes, isGuidString } from './anchor/guid.js';
export {
  bytesToImmutableId,
  describeAnchor,
  guidToImmutableId,
  immutableIdToBytes,
  immutableIdToGuid,
  isGuidImmutableId,
  type AnchorForms,
} from './anchor/immutable-id.js';
export { AnchorError, type AnchorReason } from './anchor/errors.js';

// The plan
export { buildPlan, planStream, summarisePlan, type BuildPlanInput, type PlanHead, type PlanStream, type PlanTail } from './plan/build-plan.js';
export { loadPlanSettings, parsePlanSettings, planSettingsSchema, type PlanSettings, type PlanSettingsInput, type SettingsResult } from './plan/settings.js';
export { REASONS, WARNINGS, TENANT_FINDINGS, actionOf, getsAdObject, type ReasonCode, type TenantFindingCode, type WarningCode } from './plan/reasons.js';
export { editedEntries, entryFingerprint, type EditedEntry } from './plan/fingerprint.js';
export type { PasswordMode, Plan, PlanAction, PlanEntry, PlanEntryCloud, PlanSummary, PlanWarning, TenantFinding } from './plan/types.js';
export type { PreparedGuards, PrivilegedRoles, TenantGuards, TenantSyncFeatures } from './plan/guards.js';
export type { GraphUser, OnPremisesExtensionAttributes } from './graph/user.js';
export type { DirectoryObject, DirectorySnapshot } from './directory/types.js';

// plan.json, plan.csv, plan.ldif
export { PLAN_FORMAT_VERSION, parsePlan, serializePlan } from './plan/plan-json.js';
export { PLAN_CSV_COLUMNS, planToCsv, type PlanCsvColumn } from './report/plan-csv.js';
export { planToLdif } from './report/plan-ldif.js';

// The sync prediction
export { predictSync, type VerifyInput } from './verify/predict.js';
export {
  PREDICTION_KINDS,
  SOURCE_ANCHORS,
  VERIFY_REASONS,
  type Prediction,
  type PredictionKind,
  type SourceAnchor,
  type VerifyReason,
  type VerifyResult,
} from './verify/types.js';

// Errors and exit codes
export { VERSION } from './version.js';
export { Entra2adError, ExitCode, InternalError, UsageError, type ErrorContext } from './errors.js';
export { CloudError, type CloudErrorReason } from './cloud/errors.js';
export { DirectoryError, type DirectoryReason } from './directory/directory-error.js';
export { RunError } from './journal/errors.js';
