/**
 * Recovery after losing the AD server: the cloud still says the users are synced
 * and carries their immutableIds. plan --recover must plan them; apply must create
 * each AD user with mS-DS-ConsistencyGuid = base64-decode(immutableId) and write
 * NOTHING to the cloud (journal: anchored `not-needed`); users whose immutableId is
 * not a 16-byte GUID are blocked with what would be needed. verify then predicts a
 * hard match under the ConsistencyGuid sourceAnchor, and a duplicate under an
 * objectGUID one (the new object has a new objectGUID).
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../../src/plan/types.js';
import { ldapsearch, ldifValues } from '../../harness/ldapsearch.js';
import { writesTo } from '../../harness/graph.js';
import { entryOf, planThenApply, readPlan, type Rig, taggedRig } from '../../harness/rig.js';
import { describeRun } from '../../harness/run-cli.js';
import { taggedUser, tag, buildTenant } from '../../harness/tenant.js';
import { usersWithUpn } from '../../harness/dc.js';

const guidId = () => randomBytes(16).toString('base64');

const t = tag();
const synced = taggedUser('synced', t, { onPremisesSyncEnabled: true, onPremisesImmutableId: guidId() });
const converted = taggedUser('converted', t, { onPremisesSyncEnabled: false, onPremisesImmutableId: guidId() });
const legacy = taggedUser('legacy', t, { onPremisesSyncEnabled: true, onPremisesImmutableId: Buffer.from('legacy-anchor').toString('base64') });
let r: Rig;
let plan: Plan;

/** mS-DS-ConsistencyGuid of the AD user with this UPN, as base64, read with OpenLDAP's ldapsearch. */
async function consistencyGuidOf(base: string, upn: string): Promise<string | undefined> {
  const { stdout } = await ldapsearch(base, 'sub', ['userPrincipalName', 'mS-DS-ConsistencyGuid']);
  const entry = stdout.split(/\n\n+/).find((block) => ldifValues(block, 'userPrincipalName').some((v) => v.value.toLowerCase() === upn.toLowerCase()));
  const value = entry ? ldifValues(entry, 'mS-DS-ConsistencyGuid')[0] : undefined;
  if (!value) return undefined;
  return value.base64 ? value.value : Buffer.from(value.value, 'utf8').toString('base64');
}

beforeAll(async () => {
  r = await taggedRig(buildTenant({ users: [synced, converted, legacy] }), t);
  // The reviewed plan is applied WITHOUT --recover: its recovery entries are enough to list synced users.
  ({ plan } = await planThenApply(r, ['--recover']));
});

describe('recovery (--recover)', () => {
  it('plans the synced users (the DC-loss population) and the previously synced ones', () => {
    expect(entryOf(plan, synced.userPrincipalName)).toMatchObject({ action: 'create', reason: 'RECOVER_TEMPLATE_FALLBACK', recoverConsistencyGuid: synced.onPremisesImmutableId });
    expect(entryOf(plan, converted.userPrincipalName)).toMatchObject({ action: 'create', reason: 'RECOVER_TEMPLATE_FALLBACK' });
  });

  it('blocks an immutableId that is not a 16-byte GUID, saying what would be needed', async () => {
    const e = entryOf(plan, legacy.userPrincipalName);
    expect(e).toMatchObject({ action: 'blocked', reason: 'BLOCKED_RECOVER_NOT_GUID' });
    expect(e.message).toMatch(/not base64 of a 16-byte GUID .*create the AD user by hand with that anchor attribute/);
    expect(await usersWithUpn(legacy.userPrincipalName)).toBe(0);
  });

  it.each([
    ['synced', synced],
    ['previously synced', converted],
  ])('%s: the AD user carries mS-DS-ConsistencyGuid = base64-decode(immutableId), read with ldapsearch', async (_name, user) => {
    expect(await consistencyGuidOf(r.ou, user.userPrincipalName)).toBe(user.onPremisesImmutableId);
  });

  it('writes nothing to the cloud, and the journal says not-needed', async () => {
    for (const user of [synced, converted, legacy]) expect(writesTo(r.sim, user.id), user.userPrincipalName).toEqual([]);
    expect(r.sim.state().writes ?? []).toEqual([]);
    const journal = (await readFile(join(r.dir, 'journal.jsonl'), 'utf8'))
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as { kind: string; cloudId?: string; outcome?: string });
    const anchored = journal.filter((l) => l.kind === 'anchored');
    expect(anchored.map((l) => [l.cloudId, l.outcome]).sort()).toEqual(
      [
        [synced.id, 'not-needed'],
        [converted.id, 'not-needed'],
      ].sort(),
    );
  });

  it('verify: hard-match under the ConsistencyGuid sourceAnchor (exit 0)', async () => {
    const v = await r.run('verify', ['--output', 'json']);
    expect(v.code, describeRun(v)).toBe(0);
    const result = JSON.parse(v.stdout) as { predictions: { userPrincipalName: string; kind: string; reason: string }[] };
    const by = Object.fromEntries(result.predictions.map((p) => [p.userPrincipalName.toLowerCase(), p.reason]));
    expect(by[synced.userPrincipalName.toLowerCase()]).toBe('HARD_MATCH');
    expect(by[converted.userPrincipalName.toLowerCase()]).toBe('HARD_MATCH');
  });

  it('verify --source-anchor objectGUID: the recreated objects would be duplicates (exit 4)', async () => {
    const v = await r.run('verify', ['--output', 'json', '--source-anchor', 'objectGUID']);
    expect(v.code, describeRun(v)).toBe(4);
    const result = JSON.parse(v.stdout) as { predictions: { userPrincipalName: string; reason: string; message: string }[] };
    const p = result.predictions.find((x) => x.userPrincipalName.toLowerCase() === synced.userPrincipalName.toLowerCase())!;
    expect(p.reason).toBe('DUPLICATE_IMMUTABLE_ID_DIFFERS');
    expect(p.message).toMatch(/never soft-matched/);
  });
});

describe('recovery while the tenant blocks hard-match takeover', () => {
  it('still-synced users are not cloud-managed: no stop, the AD user is created', async () => {
    const t2 = tag();
    const user = taggedUser('synced', t2, { onPremisesSyncEnabled: true, onPremisesImmutableId: guidId() });
    const r2 = await taggedRig(buildTenant({ users: [user], features: { blockCloudObjectTakeoverThroughHardMatchEnabled: true } }), t2);
    const applied = await r2.run('apply', ['--out', r2.dir, '--recover', '--yes']);
    expect(applied.code, describeRun(applied)).toBe(0);
    const p = await readPlan(r2.dir);
    expect(p.tenantStop).toBeUndefined();
    expect(p.tenantFindings?.map((f) => f.code)).toEqual(['NOTE_HARD_MATCH_TAKEOVER_BLOCKED']);
    expect(await consistencyGuidOf(r2.ou, user.userPrincipalName)).toBe(user.onPremisesImmutableId);
    expect(r2.sim.state().writes ?? []).toEqual([]);
  });
});
