/**
 * The tenant snapshot: one JSON file in Graph's own shapes. It is the input of
 * the simulator (`entra2ad sim --tenant FILE`), the output of
 * `entra2ad snapshot --out FILE`, and what `GET /_sim/state` returns.
 * Everything but `users` is optional and defaults sensibly (see normalizeTenant).
 */
import type { GraphUser } from '../cloud/graph-user.js';

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
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId: string;
}

export interface OnPremisesDirectorySynchronization {
  id: string;
  features: Record<string, boolean>;
  configuration?: Record<string, unknown>;
}

export interface TenantSnapshot {
  tenant: TenantInfo;
  users: SnapshotUser[];
  domains: GraphDomain[];
  roleDefinitions: UnifiedRoleDefinition[];
  roleAssignments: UnifiedRoleAssignment[];
  roleEligibilityScheduleInstances: UnifiedRoleAssignment[];
  onPremisesSynchronization: OnPremisesDirectorySynchronization[];
}
