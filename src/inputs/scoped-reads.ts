/**
 * The directory reads of apply's drift check and of verify after apply, scoped to the
 * run (src/directory/scoped-snapshot.ts): they grow with the run, not with the domain.
 * Planning itself (plan, apply --out) still reads the whole domain: a new name must be
 * free of every name there is.
 */
import type { GraphUser } from '../graph/user.js';
import { driftScope } from '../apply/drift.js';
import type { Directory } from '../directory/directory.js';
import { isEmptyScope, scopeMinus, scopeUnion, type SnapshotScope } from '../directory/scope.js';
import type { DirectoryObject, DirectorySnapshot } from '../directory/types.js';
import type { RunState } from '../journal/state.js';
import type { Plan } from '../plan/types.js';
import { runScope } from '../verify/scope.js';

/** The snapshot apply's drift check (src/apply/drift.ts) needs for a reviewed plan. */
export function readDriftSnapshot(directory: Directory, plan: Plan, state: RunState): Promise<DirectorySnapshot> {
  return directory.readScopedSnapshot({ targetOu: plan.targetOu, scope: driftScope(plan, state) });
}

export interface RunObjects {
  scope: SnapshotScope;
  objects: DirectoryObject[];
}

/**
 * The AD objects verify predicts the run's users from (src/verify/scope.ts): those holding
 * their anchors, UPNs or primary SMTP addresses. Given what was read already (`read`),
 * only what the users now carry beyond it is read (a user read again by id may show an
 * anchor its listing did not), and nothing at all when that is nothing.
 */
export async function readRunObjects(
  directory: Directory,
  targetOu: string,
  cloudUsers: readonly GraphUser[],
  runCloudIds: ReadonlySet<string>,
  read?: RunObjects,
): Promise<RunObjects> {
  const wanted = runScope(cloudUsers, runCloudIds);
  const missing = read ? scopeMinus(wanted, read.scope) : wanted;
  if (read && isEmptyScope(missing)) return read;
  const snapshot = await directory.readScopedSnapshot({ targetOu, scope: missing, objectsOnly: true });
  if (!read) return { scope: wanted, objects: snapshot.objects };
  const known = new Set(read.objects.map((o) => o.objectGuid));
  return { scope: scopeUnion(read.scope, missing), objects: [...read.objects, ...snapshot.objects.filter((o) => !known.has(o.objectGuid))] };
}
