/**
 * Users' source of authority: Graph beta GET /users/{id}/onPremisesSyncBehavior
 * -> `{id, isCloudManaged}` (learn.microsoft.com/graph/api/onpremisessyncbehavior-get;
 * user SOA GA January 2026, learn.microsoft.com/entra/identity/hybrid/user-source-of-authority-overview).
 * `isCloudManaged` true: "updates from on-premises Active Directory are blocked in
 * the cloud" - a recreated AD object would not take the user over.
 *
 * One request per user (Graph has no listing of it), a few in flight, read only for
 * the users a recovery concerns. The permission is User-OnPremisesSyncBehavior.ReadWrite.All
 * (no read-only one is listed; delegated: Hybrid Administrator): a 403 makes every
 * user's state unknown (a gap the plan reports), never a crash.
 */
import pLimit from 'p-limit';
import { CloudError } from './errors.js';
import type { Graph } from './graph-client.js';
import { graphGet } from './request.js';

export const SYNC_BEHAVIOR_DOC = 'https://learn.microsoft.com/graph/api/onpremisessyncbehavior-get';

export type SyncBehaviors = { known: true; cloudManaged: Map<string, boolean> } | { known: false; reason: string; message: string };

export async function readSyncBehaviors(graph: Graph, ids: Iterable<string>, options: { concurrency?: number } = {}): Promise<SyncBehaviors> {
  const limit = pLimit(options.concurrency ?? 4);
  const cloudManaged = new Map<string, boolean>();
  let refused: CloudError | undefined;
  await Promise.all(
    [...new Set(ids)].map((id) =>
      limit(async () => {
        if (refused) return;
        try {
          const behavior = await graphGet<{ isCloudManaged?: unknown }>(graph, `${graph.baseUrl}/beta/users/${encodeURIComponent(id)}/onPremisesSyncBehavior`, {
            context: { operation: 'GET /beta/users/{id}/onPremisesSyncBehavior' },
          });
          cloudManaged.set(id.toLowerCase(), behavior.isCloudManaged === true);
        } catch (error) {
          if (error instanceof CloudError && error.reason === 'FORBIDDEN') refused = error;
          else if (!(error instanceof CloudError && error.reason === 'NOT_FOUND')) throw error;
        }
      }),
    ),
  );
  if (refused) return { known: false, reason: refused.reason, message: refused.message };
  return { known: true, cloudManaged };
}
