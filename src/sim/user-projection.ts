/**
 * Shaping a stored user the way Graph answers it: only the selected (or the
 * 11 default) properties, `null` for an unset scalar, `[]` for an unset
 * collection, and onPremisesExtensionAttributes always with all 15 keys
 * (learn.microsoft.com/graph/api/resources/user).
 */
import { COLLECTION_PROPERTIES, DEFAULT_USER_PROPERTIES } from './user-properties.js';
import type { SnapshotUser } from './tenant.js';

const EXTENSION_ATTRIBUTES = Array.from({ length: 15 }, (_, i) => `extensionAttribute${i + 1}`);

function valueOf(user: SnapshotUser, property: string): unknown {
  const value = user[property];
  if (property === 'onPremisesExtensionAttributes') {
    const given = (value ?? {}) as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of EXTENSION_ATTRIBUTES) out[key] = given[key] ?? null;
    return out;
  }
  if (value === undefined || value === null) return COLLECTION_PROPERTIES.has(property) ? [] : null;
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
