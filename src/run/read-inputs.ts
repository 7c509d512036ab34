/**
 * Reading what planning needs, from both sides: the cloud users (streamed,
 * page by page), their managers (only for users the plan creates), and the
 * directory snapshot when a DC was named. Shared by plan, apply and verify so
 * all three see the world the same way.
 */
import { listUsers, readManagers, type Graph, type GraphUser, type ListUsersSummary } from '../cloud/index.js';
import type { Directory } from '../directory/index.js';
import type { DirectorySnapshot } from '../directory/types.js';
import { attachManagers } from '../plan/attach-managers.js';
import { buildPlan } from '../plan/build-plan.js';
import type { PlanSettings } from '../plan/settings.js';
import type { Plan } from '../plan/types.js';

export interface CloudUsers {
  users: GraphUser[];
  listing: ListUsersSummary;
}

/**
 * Every user the plan must consider. Cloud-only users are filtered on the server
 * (advanced query, falling back to the client). In recovery mode synced users are
 * read too: after losing the DC their cloud objects still say onPremisesSyncEnabled
 * true, and they are exactly the ones to recover.
 */
export async function readCloudUsers(graph: Graph, options: { recover: boolean; filter?: string | undefined }): Promise<CloudUsers> {
  const users: GraphUser[] = [];
  const pages = listUsers(graph, { cloudOnly: !options.recover, ...(options.filter ? { filter: options.filter } : {}) });
  for (;;) {
    const next = await pages.next();
    if (next.done) return { users, listing: next.value };
    for (const user of next.value) users.push(user);
  }
}

export async function readDirectorySnapshot(directory: Directory, targetOu: string): Promise<DirectorySnapshot> {
  return directory.readSnapshot({ targetOu });
}

export interface PlanInputs {
  graph: Graph;
  tenantId: string;
  settings: PlanSettings;
  users: readonly GraphUser[];
  directory?: DirectorySnapshot | undefined;
  toolVersion: string;
  now?: Date;
}

/** buildPlan, then link managers for the users it creates. */
export async function planFromInputs(inputs: PlanInputs): Promise<Plan> {
  const plan = buildPlan({
    users: inputs.users,
    ...(inputs.directory ? { directory: inputs.directory } : {}),
    settings: inputs.settings,
    tenantId: inputs.tenantId,
    now: inputs.now ?? new Date(),
    toolVersion: inputs.toolVersion,
  });
  const creates = plan.entries.filter((e) => e.action === 'create').map((e) => e.cloudId);
  if (creates.length === 0) return plan;
  return attachManagers(plan, await readManagers(inputs.graph, creates));
}
