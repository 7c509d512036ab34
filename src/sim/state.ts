/**
 * The simulator's live tenant: the snapshot plus indexes, mutated in place by
 * PATCH. Built once at start; requests never copy the user array (100,000
 * users must page cheaply), they walk it by position.
 */
import { sensitiveRoleOf, type SensitiveTarget } from '../graph/sensitive-actions.js';
import type { GraphDomain, SimWrite, SnapshotAdministrativeUnit, SnapshotGroup, SnapshotUser, TenantSnapshot } from '../graph/tenant-snapshot.js';

/** A group's members after flattening nested groups, each object once, in breadth-first order. */
export interface TransitiveMembers {
  users: SnapshotUser[];
  groups: SnapshotGroup[];
}

export class TenantState {
  readonly snapshot: TenantSnapshot;
  private readonly byId = new Map<string, SnapshotUser>();
  private readonly byUpn = new Map<string, SnapshotUser>();
  private readonly byImmutableId = new Map<string, SnapshotUser>();
  private readonly domainsByName = new Map<string, GraphDomain>();
  private readonly groupsById = new Map<string, SnapshotGroup>();
  /** Membership never changes while the simulator runs (no group writes), so flattening is done once per group. */
  private readonly transitiveCache = new Map<string, TransitiveMembers>();
  readonly writes: SimWrite[] = [];
  /** Bumped on every accepted write; cached query results key on it. */
  version = 0;
  /**
   * Per user, the values its recent writes replaced, oldest first, kept for
   * `lagMs` (SimulatorOptions.eventualLagMs): what the separately indexed store
   * of advanced queries still serves.
   */
  private readonly unindexed = new Map<SnapshotUser, { at: number; before: Record<string, unknown> }[]>();

  constructor(
    snapshot: TenantSnapshot,
    private readonly lagMs = 0,
  ) {
    // One deep copy, so the caller's object is never mutated by PATCH.
    this.snapshot = structuredClone({ ...snapshot, writes: undefined });
    delete this.snapshot.writes;
    for (const user of this.snapshot.users) this.index(user);
    for (const domain of this.snapshot.domains) this.domainsByName.set(domain.id.toLowerCase(), domain);
    for (const group of this.snapshot.groups ?? []) this.groupsById.set(group.id.toLowerCase(), group);
  }

  get groups(): readonly SnapshotGroup[] {
    return this.snapshot.groups ?? [];
  }

  findGroup(id: string): SnapshotGroup | undefined {
    return this.groupsById.get(id.toLowerCase());
  }

  /**
   * Every user and group below `group`, nested groups flattened, each once
   * (a cycle or a user reached through two paths is listed once).
   */
  transitiveMembers(group: SnapshotGroup): TransitiveMembers {
    const key = group.id.toLowerCase();
    const cached = this.transitiveCache.get(key);
    if (cached) return cached;
    const users: SnapshotUser[] = [];
    const groups: SnapshotGroup[] = [];
    const seen = new Set<string>([key]);
    const queue: SnapshotGroup[] = [group];
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      for (const memberId of next.members) {
        const id = memberId.toLowerCase();
        if (seen.has(id)) continue;
        seen.add(id);
        const user = this.byId.get(id);
        if (user) {
          users.push(user);
          continue;
        }
        const nested = this.groupsById.get(id);
        if (nested) {
          groups.push(nested);
          queue.push(nested);
        }
      }
    }
    const result = { users, groups };
    this.transitiveCache.set(key, result);
    return result;
  }

  get users(): readonly SnapshotUser[] {
    return this.snapshot.users;
  }

  get tenantId(): string {
    return this.snapshot.tenant.id;
  }

  private index(user: SnapshotUser): void {
    this.byId.set(user.id.toLowerCase(), user);
    this.byUpn.set(user.userPrincipalName.toLowerCase(), user);
    const iid = user.onPremisesImmutableId;
    if (typeof iid === 'string') this.byImmutableId.set(iid, user);
  }

  /** GET /users/{id | userPrincipalName}: both work in Graph. */
  findUser(idOrUpn: string): SnapshotUser | undefined {
    const key = idOrUpn.toLowerCase();
    return this.byId.get(key) ?? this.byUpn.get(key);
  }

  userWithImmutableId(immutableId: string): SnapshotUser | undefined {
    return this.byImmutableId.get(immutableId);
  }

  userWithUpn(upn: string): SnapshotUser | undefined {
    return this.byUpn.get(upn.toLowerCase());
  }

  domainOf(upn: string): GraphDomain | undefined {
    const at = upn.lastIndexOf('@');
    return at < 0 ? undefined : this.domainsByName.get(upn.slice(at + 1).toLowerCase());
  }

  get administrativeUnits(): readonly SnapshotAdministrativeUnit[] {
    return this.snapshot.administrativeUnits ?? [];
  }

  findAdministrativeUnit(id: string): SnapshotAdministrativeUnit | undefined {
    const key = id.toLowerCase();
    return this.administrativeUnits.find((u) => u.id.toLowerCase() === key);
  }

  /**
   * What the "Who can perform sensitive actions" table needs to know about a user
   * (src/graph/sensitive-actions.ts): the roles it holds actively (assigned to it, or
   * to a role-assignable group it is a transitive member of; PIM eligibilities grant
   * nothing until activated), whether it is a member or owner of a role-assignable
   * group, and whether a restricted management administrative unit holds it.
   * Role and membership data never change while the simulator runs.
   */
  sensitiveTargetOf(user: SnapshotUser): SensitiveTarget {
    this.sensitiveIndex ??= this.buildSensitiveIndex();
    const id = user.id.toLowerCase();
    const index = this.sensitiveIndex;
    const roleTemplateIds = new Set(index.roles.get(id) ?? []);
    for (const groupId of index.roleAssignableGroupsOf.get(id) ?? []) for (const t of index.roles.get(groupId) ?? []) roleTemplateIds.add(t);
    return {
      roleTemplateIds,
      roleAssignableGroup: index.roleAssignableGroupsOf.has(id) || index.roleAssignableOwners.has(id),
      restrictedAdministrativeUnit: index.restricted.has(id),
    };
  }

  /** Built once: roles, role-assignable groups and administrative units never change while the simulator runs. */
  private sensitiveIndex: { roles: Map<string, Set<string>>; roleAssignableGroupsOf: Map<string, string[]>; roleAssignableOwners: Set<string>; restricted: Set<string> } | undefined;

  private buildSensitiveIndex(): NonNullable<TenantState['sensitiveIndex']> {
    const snap = this.snapshot;
    const templateOf = new Map(snap.roleDefinitions.map((d) => [d.id.toLowerCase(), (d.templateId ?? d.id).toLowerCase()]));
    const restrictedUnits = new Set(this.administrativeUnits.filter((u) => u.isMemberManagementRestricted === true).map((u) => u.id.toLowerCase()));
    const roles = new Map<string, Set<string>>();
    for (const a of snap.roleAssignments) {
      const key = a.principalId.toLowerCase();
      const set = roles.get(key) ?? new Set<string>();
      set.add(sensitiveRoleOf(templateOf.get(a.roleDefinitionId.toLowerCase()) ?? a.roleDefinitionId, a.directoryScopeId, restrictedUnits));
      roles.set(key, set);
    }
    const roleAssignableGroupsOf = new Map<string, string[]>();
    const roleAssignableOwners = new Set<string>();
    for (const group of this.groups) {
      if (group.isAssignableToRole !== true) continue;
      for (const member of this.transitiveMembers(group).users) {
        const key = member.id.toLowerCase();
        roleAssignableGroupsOf.set(key, [...(roleAssignableGroupsOf.get(key) ?? []), group.id.toLowerCase()]);
      }
      for (const owner of group.owners ?? []) roleAssignableOwners.add(owner.toLowerCase());
    }
    const restricted = new Set<string>();
    for (const unit of this.administrativeUnits) if (unit.isMemberManagementRestricted === true) for (const m of unit.members) restricted.add(m.toLowerCase());
    return { roles, roleAssignableGroupsOf, roleAssignableOwners, restricted };
  }

  /** True while some write is still younger than the lag (queries then skip their caches). */
  get lagging(): boolean {
    return this.lagMs > 0 && this.unindexed.size > 0;
  }

  /**
   * The user as a lagging index sees it at `now`: each property a write changed
   * less than `lagMs` ago shows the value it had before the oldest such write.
   * The object itself is never changed; without lag it is returned as is.
   */
  indexedView(user: SnapshotUser, now = Date.now()): SnapshotUser {
    const entries = this.unindexed.get(user);
    if (entries === undefined) return user;
    const live = entries.filter((e) => e.at + this.lagMs > now);
    if (live.length === 0) {
      this.unindexed.delete(user);
      return user;
    }
    if (live.length !== entries.length) this.unindexed.set(user, live);
    const view: SnapshotUser = { ...user };
    for (let i = live.length - 1; i >= 0; i--) Object.assign(view, (live[i] as { before: Record<string, unknown> }).before);
    return view;
  }

  /** Applies already-validated changes and keeps the indexes right. */
  update(user: SnapshotUser, changes: Record<string, unknown>): void {
    if (this.lagMs > 0) {
      const before: Record<string, unknown> = {};
      for (const key of Object.keys(changes)) before[key] = structuredClone(user[key] ?? null);
      const entries = this.unindexed.get(user) ?? [];
      entries.push({ at: Date.now(), before });
      this.unindexed.set(user, entries);
    }
    if ('userPrincipalName' in changes) this.byUpn.delete(user.userPrincipalName.toLowerCase());
    if ('onPremisesImmutableId' in changes && typeof user.onPremisesImmutableId === 'string') {
      this.byImmutableId.delete(user.onPremisesImmutableId);
    }
    for (const [key, value] of Object.entries(changes)) {
      if (value !== null && typeof value === 'object' && !Array.isArray(value) && typeof user[key] === 'object' && user[key] !== null) {
        // Complex properties (onPremisesExtensionAttributes, passwordProfile) merge like Graph's PATCH.
        user[key] = { ...(user[key] as object), ...(value as object) };
      } else {
        user[key] = value;
      }
    }
    this.index(user);
    this.version++;
  }

  recordWrite(write: Omit<SimWrite, 'seq' | 'at'>): void {
    this.writes.push({ seq: this.writes.length + 1, at: new Date().toISOString(), ...write });
  }

  /** A deep copy of the current tenant, writes included (GET /_sim/state). */
  toSnapshot(): TenantSnapshot {
    return structuredClone({ ...this.snapshot, writes: this.writes });
  }
}
