/**
 * The tenant snapshot: one JSON file in Graph's own shapes. It is the input of
 * the simulator (`entra2ad sim --tenant FILE`), the output of
 * `entra2ad snapshot --out FILE`, and what `GET /_sim/state` returns.
 * Everything but `users` is optional and defaults sensibly (see normalizeTenant).
 */
import type { GraphUser } from './user.js';

export interface TenantInfo {
  id: string;
  initialDomain: string;
  displayName?: string;
}

/** A Graph user as stored in a snapshot: any Graph user properties, plus an optional manager reference. */
export type SnapshotUser = Partial<GraphUser> & { id: string; userPrincipalName: string; [property: string]: unknown };

export interface GraphDomain {
  id: string;
  authenticationType: 'Managed' | 'Federated';
  isVerified: boolean;
  isDefault: boolean;
  isInitial: boolean;
}

export interface UnifiedRoleDefinition {
  id: string;
  displayName: string;
  isPrivileged: boolean;
  isBuiltIn?: boolean;
  templateId?: string;
}

export interface UnifiedRoleAssignment {
  id: string;
  /** A user, a role-assignable group (its members hold the role), or a service principal. */
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId: string;
}

export interface OnPremisesDirectorySynchronization {
  id: string;
  features: Record<string, boolean>;
  configuration?: Record<string, unknown>;
}

/**
 * One write the simulator accepted or refused (PATCH, alone or inside $batch).
 * `GET /_sim/state` and `RunningSimulator.state()` carry them so tests can
 * assert that a run wrote each user exactly once.
 */
export interface SimWrite {
  /** 1, 2, 3... in the order the simulator handled them. */
  seq: number;
  at: string;
  method: 'PATCH';
  /** The path as the client sent it, e.g. `/users/{id}`. */
  path: string;
  /** The user's object id, when the path named one that exists. */
  userId: string | null;
  /** The JSON body as received. */
  body: Record<string, unknown>;
  status: number;
  /** Graph's error code when refused. */
  errorCode?: string;
  /** True when it came inside a $batch. */
  batched: boolean;
  /**
   * Accepted writes only: whether it changed a stored value. An *effective*
   * write; re-sending the value the user already holds is accepted (204) and
   * changes nothing.
   */
  changed?: boolean;
  /**
   * The write was stored but its answer never reached the client (faults
   * afterCommit504Rate / afterCommitDropRate): '504' answered instead, or
   * 'drop' (connection destroyed).
   */
  answerLost?: '504' | 'drop';
}

/**
 * A group as stored in a snapshot: its object id, display name and DIRECT
 * members (object ids of users or of other groups). Nested groups are
 * flattened by `transitiveMembers` (learn.microsoft.com/graph/api/group-list-transitivemembers).
 * Any other Graph group property may be given and is served as is.
 */
export interface SnapshotGroup {
  id: string;
  displayName: string;
  members: string[];
  /**
   * Optional: owners (user ids). Owners of a role-assignable group
   * (`isAssignableToRole: true`) are protected like its members (learn.microsoft.com/graph/api/resources/users#who-can-perform-sensitive-actions).
   */
  owners?: string[];
  /** Only role-assignable groups may be the principal of a role assignment or eligibility (learn.microsoft.com/entra/identity/role-based-access-control/groups-concept). */
  isAssignableToRole?: boolean | null;
  [property: string]: unknown;
}

/**
 * An administrative unit (learn.microsoft.com/graph/api/resources/administrativeunit):
 * its DIRECT members (user or group ids). `isMemberManagementRestricted: true` is a
 * restricted management administrative unit: tenant-level roles and application
 * permissions cannot change its members
 * (learn.microsoft.com/entra/identity/role-based-access-control/admin-units-restricted-management).
 */
export interface SnapshotAdministrativeUnit {
  id: string;
  displayName: string;
  isMemberManagementRestricted?: boolean | null;
  members: string[];
  [property: string]: unknown;
}

/**
 * The app registration entra2ad signs in as (app-only). Absent: the README's
 * permission table (src/sim/permissions.ts DEFAULT_APP_PERMISSIONS), no roles.
 */
export interface SnapshotApp {
  /** Admin-consented Microsoft Graph application permissions: the `roles` claim. */
  applicationPermissions?: string[];
  /** Entra role template ids assigned to the app's service principal (the `wids` claim). */
  directoryRoles?: string[];
  /** The service principal's object id; default: the client id. */
  servicePrincipalId?: string;
}

export interface TenantSnapshot {
  tenant: TenantInfo;
  /** The app registration: which permissions app-only tokens carry. */
  app?: SnapshotApp;
  users: SnapshotUser[];
  domains: GraphDomain[];
  roleDefinitions: UnifiedRoleDefinition[];
  roleAssignments: UnifiedRoleAssignment[];
  roleEligibilityScheduleInstances: UnifiedRoleAssignment[];
  onPremisesSynchronization: OnPremisesDirectorySynchronization[];
  /** Optional: groups (scope a plan with `--group`; role-assignable ones hold roles). Absent = none. */
  groups?: SnapshotGroup[];
  /** Optional: administrative units. Absent = none. */
  administrativeUnits?: SnapshotAdministrativeUnit[];
  /** Only in the simulator's state: every write it handled. Ignored on load. */
  writes?: SimWrite[];
}
