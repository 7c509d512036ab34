/**
 * Per-user guards end to end, through the built CLI against the simulator and the
 * harness DC. One buildTenant, built inline, with one user made to trip each guard,
 * planned and applied once; each test then checks its user: the plan entry
 * (reason + the Microsoft behaviour and the fix in the message), that apply
 * created nothing in AD for it, and that nothing was written to its cloud object.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../../src/plan/types.js';
import { connectDirectory, usersWithUpn } from '../../harness/dc.js';
import { newUser, strongPassword } from '../../harness/users.js';
import { writesTo } from '../../harness/graph.js';
import { entryOf, expectUntouched, planThenApply, readPlan, type Rig, taggedRig } from '../../harness/rig.js';
import { describeRun } from '../../harness/run-cli.js';
import { FEDERATED, GLOBAL_ADMIN, USER_ADMIN, taggedUser, tag, buildTenant } from '../../harness/tenant.js';

const t = tag();
const admin = taggedUser('admin', t);
const pim = taggedUser('pim', t);
// The identifier is this user's ONLY trace of an earlier sync (a converted user, its on-premises attributes
// cleared): no onPremisesSyncEnabled, immutableId, last sync time, DN or sAMAccountName. It is served on /beta only.
const prev = taggedUser('prev', t, { onPremisesObjectIdentifier: '5b7f4a2e-1c3d-4e5f-8a9b-0c1d2e3f4a5b' });
const fed = taggedUser('fed', t, {}, FEDERATED);
const clash = taggedUser('clash', t, { mail: `shared-${t}@contoso.example`, proxyAddresses: [`SMTP:shared-${t}@contoso.example`] });
const adoptee = taggedUser('adoptee', t);
const ann = taggedUser('ann', t);
const everyone = [admin, pim, prev, fed, clash, adoptee, ann];

let r: Rig;
let plan: Plan;
let applyStderr: string;
let adopteeGuid: string;

beforeAll(async () => {
  r = await taggedRig(
    buildTenant({ users: everyone, active: [[admin.id, GLOBAL_ADMIN]], eligible: [[pim.id, USER_ADMIN]], features: { passwordSyncEnabled: true, blockSoftMatchEnabled: true } }),
    t,
  );
  // What AD holds before the run: a user with adoptee's UPN, another object with clash's primary SMTP address.
  {
    await using dir = await connectDirectory();
    await dir.ensureOu(r.ou);
    const existing = newUser(r.ou, { cn: `Existing ${t}`, attributes: { userPrincipalName: adoptee.userPrincipalName } });
    await dir.createUser(existing, strongPassword());
    adopteeGuid = (await dir.findUserByUpn(adoptee.userPrincipalName))!.objectGuid;
    await dir.createUser(newUser(r.ou, { cn: `Mailbox holder ${t}`, attributes: { mail: `shared-${t}@contoso.example` } }), strongPassword());
  }
  const done = await planThenApply(r);
  plan = done.plan;
  applyStderr = done.applied.stderr;
});

describe('per-user guards', () => {
  it('active privileged role holder: BLOCKED_PRIVILEGED_ROLE, with the runbook', async () => {
    const e = entryOf(plan, admin.userPrincipalName);
    expect(e).toMatchObject({ action: 'blocked', reason: 'BLOCKED_PRIVILEGED_ROLE' });
    expect(e.message).toMatch(/Global Administrator \(active\)/);
    expect(e.message).toMatch(/InvalidHardMatch/);
    expect(e.message).toMatch(/remove the role assignment .* then assign the role again/);
    expect(e.message).toMatch(/learn\.microsoft\.com\/entra\/identity\/hybrid\/connect/);
    await expectUntouched(r, admin.userPrincipalName, admin.id);
  });

  it('PIM-eligible role holder: BLOCKED_PRIVILEGED_ROLE too', async () => {
    const e = entryOf(plan, pim.userPrincipalName);
    expect(e).toMatchObject({ action: 'blocked', reason: 'BLOCKED_PRIVILEGED_ROLE' });
    expect(e.message).toMatch(/User Administrator \(PIM-eligible\).*PIM eligibility/s);
    await expectUntouched(r, pim.userPrincipalName, pim.id);
  });

  it('onPremisesObjectIdentifier set (its only trace, read from /beta): BLOCKED_PREVIOUSLY_SYNCED_OBJECT', async () => {
    const e = entryOf(plan, prev.userPrincipalName);
    expect(e).toMatchObject({ action: 'blocked', reason: 'BLOCKED_PREVIOUSLY_SYNCED_OBJECT' });
    expect(e.message).toMatch(/5b7f4a2e-1c3d-4e5f-8a9b-0c1d2e3f4a5b.*July 2026.*tshoot-clear-on-premises-attributes/s);
    await expectUntouched(r, prev.userPrincipalName, prev.id);
    // Read through the /beta listing; v1.0 was never asked for a property it does not declare.
    expect(r.sim.stats().perPath['GET /beta/users']).toBeGreaterThanOrEqual(1);
  });

  it('UPN in a federated domain: BLOCKED_FEDERATED_DOMAIN, naming the UPN-switch workaround', async () => {
    const e = entryOf(plan, fed.userPrincipalName);
    expect(e).toMatchObject({ action: 'blocked', reason: 'BLOCKED_FEDERATED_DOMAIN' });
    expect(e.message).toContain(`fed-${t}@contoso.onmicrosoft.com`);
    expect(e.message).toMatch(/not implemented/);
    await expectUntouched(r, fed.userPrincipalName, fed.id);
  });

  it('directory conflicts are kept: primary SMTP on another AD object is BLOCKED_PROXY_ADDRESS_IN_USE', async () => {
    expect(entryOf(plan, clash.userPrincipalName)).toMatchObject({ action: 'blocked', reason: 'BLOCKED_PROXY_ADDRESS_IN_USE' });
    await expectUntouched(r, clash.userPrincipalName, clash.id);
  });

  it('directory conflicts are kept: the UPN on an AD user is adopted, and its GUID written', () => {
    expect(entryOf(plan, adoptee.userPrincipalName)).toMatchObject({ action: 'adopt', reason: 'ADOPT_EXISTING_UPN', existingObjectGuid: adopteeGuid });
    const writes = writesTo(r.sim, adoptee.id).filter((w) => w.status < 300);
    expect(writes).toHaveLength(1);
    expect(Buffer.from(String(writes[0]!.body.onPremisesImmutableId), 'base64').length).toBe(16);
  });

  it('an unguarded user is created and anchored, and apply ends with the verify prediction', async () => {
    expect(entryOf(plan, ann.userPrincipalName).reason).toBe('CREATE_NEW');
    expect(await usersWithUpn(ann.userPrincipalName)).toBe(1);
    expect(writesTo(r.sim, ann.id).filter((w) => w.status < 300)).toHaveLength(1);
    expect(applyStderr).toMatch(/verify \(sourceAnchor ms-DS-ConsistencyGuid\): hard-match 2, soft-match 0, duplicate 0, blocked 0, not-in-scope 0/);
    expect(existsSync(join(r.dir, 'verify.json'))).toBe(true);
  });

  it('the plan carries the tenant findings: soft-match block (note) and password hash sync (warning)', () => {
    expect(plan.tenantStop).toBeUndefined();
    expect(plan.tenantFindings?.map((f) => f.code)).toEqual(['NOTE_SOFT_MATCH_BLOCKED', 'WARN_PASSWORD_HASH_SYNC']);
    expect(plan.tenantFindings?.[1]?.message).toMatch(/replaces the user's cloud password/);
  });

  it('preflight lists the same findings, exit 0 (no tenant stop)', async () => {
    const pre = await r.run('preflight', ['--output', 'json']);
    expect(pre.code, describeRun(pre)).toBe(0);
    const out = JSON.parse(pre.stdout) as { tenantStop: unknown; tenant: { code: string }[]; users: { userPrincipalName: string; reason: string }[] };
    expect(out.tenantStop).toBeNull();
    expect(out.tenant.map((f) => f.code)).toEqual(['NOTE_SOFT_MATCH_BLOCKED', 'WARN_PASSWORD_HASH_SYNC']);
    const reasons = Object.fromEntries(out.users.map((u) => [u.userPrincipalName, u.reason]));
    expect(reasons).toMatchObject({
      [admin.userPrincipalName]: 'BLOCKED_PRIVILEGED_ROLE',
      [pim.userPrincipalName]: 'BLOCKED_PRIVILEGED_ROLE',
      [prev.userPrincipalName]: 'BLOCKED_PREVIOUSLY_SYNCED_OBJECT',
      [fed.userPrincipalName]: 'BLOCKED_FEDERATED_DOMAIN',
      [clash.userPrincipalName]: 'BLOCKED_PROXY_ADDRESS_IN_USE',
    });
  });

  it('preflight --output csv: the same users, one row each in plan.csv\'s dialect; the tenant findings on stderr', async () => {
    const pre = await r.run('preflight', ['--output', 'csv']);
    expect(pre.code, describeRun(pre)).toBe(0);
    expect(pre.stdout.startsWith('\uFEFF"userPrincipalName","action","reason","message","warnings","cloudId"\r\n')).toBe(true);
    const rows = parse(pre.stdout, { bom: true, columns: true }) as Record<string, string>[];
    const reasons = Object.fromEntries(rows.map((row) => [row['userPrincipalName'], row['reason']]));
    expect(reasons).toMatchObject({ [admin.userPrincipalName]: 'BLOCKED_PRIVILEGED_ROLE', [fed.userPrincipalName]: 'BLOCKED_FEDERATED_DOMAIN' });
    expect(pre.stderr).toMatch(/tenant warning WARN_PASSWORD_HASH_SYNC/);
  });
});

describe("sync features unreadable (Graph's 403 to app-only callers: the page lists no application permission)", () => {
  it('is a warning in preflight and plan, not a crash; apply says what it means and how to read the flags', async () => {
    const t2 = tag();
    const user = taggedUser('solo', t2);
    const r2 = await taggedRig(buildTenant({ users: [user] }), t2, { syncFeaturesForApps: false });
    const pre = await r2.run('preflight', ['--output', 'json']);
    expect(pre.code, describeRun(pre)).toBe(0);
    const out = JSON.parse(pre.stdout) as { tenant: { code: string; level: string; message: string }[] };
    expect(out.tenant).toHaveLength(1);
    expect(out.tenant[0]).toMatchObject({ code: 'WARN_SYNC_FEATURES_UNKNOWN', level: 'warning' });
    expect(out.tenant[0]!.message).toMatch(/FORBIDDEN.*supports no application permission.*blockCloudObjectTakeoverThroughHardMatchEnabled is on is unknown/s);
    const planned = await r2.run('plan', ['--out', r2.dir]);
    expect(planned.code, describeRun(planned)).toBe(0);
    expect(planned.stderr).toMatch(/tenant warning WARN_SYNC_FEATURES_UNKNOWN/);
    expect(entryOf(await readPlan(r2.dir), user.userPrincipalName).reason).toBe('CREATE_NEW');
    const applied = await r2.run('apply', ['--plan', join(r2.dir, 'plan.json'), '--yes']);
    expect(applied.code, describeRun(applied)).toBe(0);
    expect(applied.stderr).toMatch(/sync features are UNKNOWN.*Global Administrator.*Get-MgDirectoryOnPremiseSynchronization.*must be False/s);
  });
});

describe('onPremisesObjectIdentifier unreadable (the /beta/users listing refused)', () => {
  it('is UNKNOWN, never "not set": a warning, the user blocked, nothing created or written', async () => {
    const t3 = tag();
    const hidden = taggedUser('hidden', t3, { onPremisesObjectIdentifier: '0f0e0d0c-0b0a-4908-8706-050403020100' });
    const plain = taggedUser('plain', t3);
    const r3 = await taggedRig(buildTenant({ users: [hidden, plain] }), t3, { refuseRoutes: ['GET /beta/users'] });
    const planned = await r3.run('plan', ['--out', r3.dir]);
    expect(planned.code, describeRun(planned)).toBe(0);
    expect(planned.stderr).toMatch(/tenant warning WARN_GUARDS_INCOMPLETE: onPremisesObjectIdentifier could not be read .*UNKNOWN for all 2 user/);
    const p3 = await readPlan(r3.dir);
    for (const u of [hidden, plain]) {
      const e = entryOf(p3, u.userPrincipalName);
      expect(e).toMatchObject({ action: 'blocked', reason: 'BLOCKED_OBJECT_IDENTIFIER_UNKNOWN' });
      expect(e.message).toMatch(/Authorization_RequestDenied.*--allow-unknown-object-identifier/s);
    }
    const applied = await r3.run('apply', ['--plan', join(r3.dir, 'plan.json'), '--yes']);
    expect(applied.code, describeRun(applied)).toBe(0);
    for (const u of [hidden, plain]) {
      expect(await usersWithUpn(u.userPrincipalName)).toBe(0);
      expect(writesTo(r3.sim, u.id)).toEqual([]);
    }
  });

  it('with --allow-unknown-object-identifier the admin takes it on: planned CREATE_NEW with WARN_OBJECT_IDENTIFIER_UNKNOWN', async () => {
    const t4 = tag();
    const user = taggedUser('allowed', t4);
    const r4 = await taggedRig(buildTenant({ users: [user] }), t4, { refuseRoutes: ['GET /beta/users'] });
    const planned = await r4.run('plan', ['--out', r4.dir, '--allow-unknown-object-identifier']);
    expect(planned.code, describeRun(planned)).toBe(0);
    const e = entryOf(await readPlan(r4.dir), user.userPrincipalName);
    expect(e).toMatchObject({ action: 'create', reason: 'CREATE_NEW' });
    expect(e.warnings?.map((w) => w.code)).toContain('WARN_OBJECT_IDENTIFIER_UNKNOWN');
  });
});

