/**
 * Synthetic tenants for the benchmark, written as snapshot files for
 * `entra2ad sim --tenant FILE`: the realistic generator (edge cases, optional
 * attributes, name collisions, guests, synced users, a manager hierarchy), sized
 * so that the plan has about `creates` users to create.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { generateTenant } from '../samples/index.js';
import type { TenantSnapshot } from '../sim/index.js';

export interface TenantFile {
  file: string;
  users: number;
  /** Members that are cloud-only and carry no immutableId: what the plan should create. */
  candidates: number;
}

const candidateCount = (t: TenantSnapshot) =>
  t.users.filter((u) => u.userType !== 'Guest' && u.onPremisesSyncEnabled !== true && !u.onPremisesImmutableId).length;

/** A realistic tenant of `users` users. */
export async function writeTenant(file: string, users: number, seed: number): Promise<TenantFile> {
  const tenant = generateTenant({ users, seed });
  await writeFile(file, JSON.stringify(tenant));
  return { file, users, candidates: candidateCount(tenant) };
}

/** A realistic tenant grown until about `creates` of its users are to be created. */
export async function writeTenantForCreates(file: string, creates: number, seed: number): Promise<TenantFile> {
  let size = creates;
  let tenant = generateTenant({ users: size, seed });
  for (let i = 0; i < 8 && candidateCount(tenant) < creates; i++) {
    size += Math.ceil((creates - candidateCount(tenant)) * 1.02) + 1;
    tenant = generateTenant({ users: size, seed });
  }
  await writeFile(file, JSON.stringify(tenant));
  return { file, users: size, candidates: candidateCount(tenant) };
}

/**
 * Plain cloud-only members for the anchor-only measurement: no edge cases, no
 * synced users, no guests, so every PATCH is accepted and budget is the only limit.
 */
export async function writeAnchorTenant(file: string, users: number, seed: number): Promise<{ file: string; ids: string[] }> {
  const tenant = generateTenant({ users, seed, edgeCases: false, syncedFraction: 0, guestFraction: 0 });
  for (const user of tenant.users) {
    user.onPremisesImmutableId = null;
    user.onPremisesSyncEnabled = null;
    user.userType = 'Member';
  }
  await writeFile(file, JSON.stringify(tenant));
  return { file, ids: tenant.users.map((u) => u.id) };
}

/** A random well-formed immutableId (base64 of 16 bytes). */
export function randomImmutableId(): string {
  return randomBytes(16).toString('base64');
}
