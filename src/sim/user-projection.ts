/**
 * Shaping a stored user the way Graph answers it: only the selected (or the
 * 11 default) properties, `null` for an unset scalar, `[]` for an unset
 * collection, and onPremisesExtensionAttributes always with all 15 keys
 * (learn.microsoft.com/graph/api/resources/user).
 */
import { COLLECTION_PROPERTIES, DEFAULT_USER_PROPERTIES } from './user-properties.js';
import type { SnapshotUser } from '../graph/tenant-snapshot.js';
import { EXTENSION_ATTRIBUTE_NAMES } from '../graph/user.js';

/**
 * birthday and hireDate are `Edm.DateTimeOffset Nullable="false"` in v1.0-Prod.csdl:
 * unset, Graph cannot answer null; it answers the zero date (DateTimeOffset.MinValue,
 * as widely reported for these two properties; the exact offset shown varies).
 */
const NON_NULLABLE_DATES: ReadonlySet<string> = new Set(['birthday', 'hireDate']);
const ZERO_DATE = '0001-01-01T00:00:00Z';

function valueOf(user: SnapshotUser, property: string): unknown {
  const value = user[property];
  if (property === 'onPremisesExtensionAttributes') {
    const given = (value ?? {}) as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of EXTENSION_ATTRIBUTE_NAMES) out[key] = given[key] ?? null;
    return out;
  }
  if (value === undefined || value === null) return COLLECTION_PROPERTIES.has(property) ? [] : NON_NULLABLE_DATES.has(property) ? ZERO_DATE : null;
  return value;
}

/** `select` holds canonical property names; null means Graph's defaults. */
export function projectUser(user: SnapshotUser, select: readonly string[] | null): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const property of select ?? DEFAULT_USER_PROPERTIES) out[property] = valueOf(user, property);
  return out;
}

/** A user as a directoryObject in a relationship (manager, $expand=manager). */
export function projectDirectoryObject(user: SnapshotUser, select: readonly string[] | null): Record<string, unknown> {
  return { '@odata.type': '#microsoft.graph.user', ...projectUser(user, select) };
}
