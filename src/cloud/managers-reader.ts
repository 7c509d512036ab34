/**
 * Managers of chosen users: `GET /users/{id}/manager?$select=id`, 20 per `$batch`.
 * A user without a manager answers 404 `Request_ResourceNotFound`: that is `null`,
 * not an error.
 *
 * Why not `$expand=manager` on the listing: see users-reader.ts. For S selected
 * users of a T-user tenant this costs ceil(S/20) requests (each item still counts
 * against the resource-unit budget), against T/100 pages for expanding the whole
 * listing: cheaper whenever fewer than a fifth of the tenant is selected, and it
 * keeps the cloud-only filter on the server.
 */
import type { Graph } from './graph-client.js';
import { readPerUser, type PerUserBatchOptions } from './per-user-batch.js';

export type ReadManagersOptions = PerUserBatchOptions;

/** userId -> manager id, or null when the user has no manager. Throws when a user cannot be read. */
export function readManagers(graph: Graph, userIds: Iterable<string>, options: ReadManagersOptions = {}): Promise<Map<string, string | null>> {
  return readPerUser<string | null>(
    graph,
    userIds,
    {
      url: (id) => `/users/${encodeURIComponent(id)}/manager?$select=id`,
      operation: 'read managers',
      itemOperation: 'GET manager',
      read: (answer) => {
        if (answer.status >= 200 && answer.status < 300) {
          const body = answer.body as { id?: unknown } | undefined;
          return { value: typeof body?.id === 'string' ? body.id : null };
        }
        return answer.status === 404 ? { value: null } : 'retry';
      },
      givenUp: (error) => {
        throw error;
      },
    },
    options,
  );
}
