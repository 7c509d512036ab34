/**
 * What `entra2ad verify` predicts for the next Entra Connect sync, per user.
 */
import type { PlanWarning, TenantFinding } from '../plan/types.js';
import { LIST_OUTPUT_FORMATS } from '../output.js';

/**
 * Entra Connect's sourceAnchor. `ms-DS-ConsistencyGuid` (default since Connect
 * 1.1.524) falls back to objectGUID when the attribute is empty (Connect then writes
 * it); `objectGUID` is older installs'.
 * (learn.microsoft.com/entra/identity/hybrid/connect/plan-connect-design-concepts)
 */
export const SOURCE_ANCHORS = ['ms-DS-ConsistencyGuid', 'objectGUID'] as const;
export type SourceAnchor = (typeof SOURCE_ANCHORS)[number];

/** `verify --output`: a command that lists users, so csv and md too. */
export const VERIFY_OUTPUT_FORMATS = LIST_OUTPUT_FORMATS;
export type VerifyOutputFormat = (typeof VERIFY_OUTPUT_FORMATS)[number];
/** `verify --scope`: the target OU, or the whole domain. */
export const VERIFY_SCOPES = ['ou', 'domain'] as const;
export type VerifyScope = (typeof VERIFY_SCOPES)[number];

export const PREDICTION_KINDS = ['hard-match', 'soft-match', 'duplicate', 'blocked', 'not-in-scope'] as const;
export type PredictionKind = (typeof PREDICTION_KINDS)[number];

/** Stable reason codes of a prediction, with the kind each belongs to. */
export const VERIFY_REASONS = {
  HARD_MATCH: 'hard-match',
  SOFT_MATCH_SMTP: 'soft-match',
  SOFT_MATCH_UPN: 'soft-match',
  DUPLICATE_IMMUTABLE_ID_DIFFERS: 'duplicate',
  DUPLICATE_ALREADY_SYNCED: 'duplicate',
  DUPLICATE_SOFT_MATCH_BLOCKED: 'duplicate',
  DUPLICATE_UPN_SOFT_MATCH_OFF: 'duplicate',
  DUPLICATE_SAME_ANCHOR: 'duplicate',
  BLOCKED_PRIVILEGED_ROLE: 'blocked',
  BLOCKED_TAKEOVER_DISABLED: 'blocked',
  BLOCKED_PREVIOUSLY_SYNCED_OBJECT: 'blocked',
  /** The cloud user's source of authority is the cloud (onPremisesSyncBehavior.isCloudManaged true). */
  BLOCKED_CLOUD_MANAGED: 'blocked',
  NOT_IN_SCOPE_NO_CLOUD_USER: 'not-in-scope',
  NOT_IN_SCOPE_NO_AD_OBJECT: 'not-in-scope',
  NOT_IN_SCOPE_SYNCED_NO_AD_OBJECT: 'not-in-scope',
} as const satisfies Record<string, PredictionKind>;
export type VerifyReason = keyof typeof VERIFY_REASONS;

export interface Prediction {
  kind: PredictionKind;
  reason: VerifyReason;
  /** Why, and what to do about it. */
  message: string;
  /** The AD object's UPN, else the cloud user's. */
  userPrincipalName: string;
  adDn?: string;
  /** The AD object's objectGUID (string form). */
  objectGuid?: string;
  /** base64 anchor Connect will compute for the AD object. */
  anchor?: string;
  anchorSource?: 'mS-DS-ConsistencyGuid' | 'objectGUID';
  cloudId?: string;
  cloudUserPrincipalName?: string;
  cloudImmutableId?: string | null;
  /** Per-user warnings beside the prediction (WARN_MAILBOX_LOSS: src/verify/mailbox-warnings.ts). */
  warnings?: PlanWarning[];
}

export interface VerifyResult {
  sourceAnchor: SourceAnchor;
  predictions: Prediction[];
  summary: Record<PredictionKind, number>;
  /** Tenant-level findings (sync blocks, unknowns), when the guards were read. */
  tenantFindings?: TenantFinding[];
}
