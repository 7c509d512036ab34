/**
 * Which cloud users verify reads again by id before it believes a listing (pure).
 *
 * A listing can show a user as it was before a write of a moment ago: advanced
 * queries (`ConsistencyLevel: eventual`) use "an index that might not be
 * up-to-date with recent changes to the object"
 * (learn.microsoft.com/graph/api/user-list, request headers), and a directory
 * replica may be behind the one that took the write. A user of this run whose
 * new immutableId is not in the listing yet would be predicted a soft match, a
 * duplicate, or nothing at all: false alarms right after apply. A read of one
 * user by id shows the object itself.
 */
import type { GraphUser } from '../graph/user.js';
import type { VerifyResult } from './types.js';

/** Soft matches read again at most (standalone verify): above this, say so and trust the listing. */
export const MAX_SOFT_MATCH_READS = 1000;

export interface ReadAgain {
  ids: string[];
  /** Soft matches left out above MAX_SOFT_MATCH_READS. */
  skipped: number;
}

/**
 * After apply (`runCloudIds`): every user of the run the listing does not show
 * hard-matched. Standalone: every duplicate and blocked prediction's cloud user
 * (they set the exit code), and soft matches up to MAX_SOFT_MATCH_READS.
 */
export function usersToReadAgain(result: VerifyResult, runCloudIds?: ReadonlySet<string>): ReadAgain {
  const hard = new Set(result.predictions.filter((p) => p.kind === 'hard-match' && p.cloudId).map((p) => (p.cloudId as string).toLowerCase()));
  const ids = new Set<string>();
  if (runCloudIds) {
    for (const id of runCloudIds) if (!hard.has(id.toLowerCase())) ids.add(id);
    return { ids: [...ids], skipped: 0 };
  }
  let soft = 0;
  let skipped = 0;
  for (const p of result.predictions) {
    if (!p.cloudId || p.kind === 'hard-match' || p.kind === 'not-in-scope') continue;
    if (p.kind === 'soft-match') {
      if (soft >= MAX_SOFT_MATCH_READS) {
        skipped++;
        continue;
      }
      soft++;
    }
    ids.add(p.cloudId);
  }
  return { ids: [...ids], skipped };
}

/** The listing with each user read by id put in its place; `changed`: ids whose anchor or sync state differed. */
export function withFreshUsers(users: readonly GraphUser[], fresh: ReadonlyMap<string, GraphUser>): { users: GraphUser[]; changed: string[] } {
  const byId = new Map([...fresh].map(([id, user]) => [id.toLowerCase(), user]));
  const changed: string[] = [];
  const out = users.map((user) => {
    const now = byId.get(user.id.toLowerCase());
    if (!now) return user;
    if (
      (now.onPremisesImmutableId ?? null) !== (user.onPremisesImmutableId ?? null) ||
      (now.onPremisesSyncEnabled ?? null) !== (user.onPremisesSyncEnabled ?? null) ||
      now.userPrincipalName !== user.userPrincipalName
    ) {
      changed.push(user.id);
      return { ...user, ...now };
    }
    return user;
  });
  // A user the listing did not show at all (a miss) joins it.
  const listed = new Set(users.map((u) => u.id.toLowerCase()));
  for (const [id, user] of byId) {
    if (listed.has(id)) continue;
    changed.push(user.id);
    out.push(user);
  }
  return { users: out, changed };
}
