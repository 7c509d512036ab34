import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { entryFingerprint, entryFingerprintOfVersion, FINGERPRINT_VERSION, headFingerprints } from '../../../src/plan/fingerprint.js';
import { serializePlan } from '../../../src/plan/plan-json.js';
import { readPlanIfPresent, refuseOtherPlan, runFingerprint } from '../../../src/inputs/plan-file.js';
import { samplePlan } from '../report/fixtures.js';
import { useTempDir } from '../../harness/temp-dir.js';
import { rejectionOf } from '../../harness/errors.js';

const tmp = useTempDir('plan-file');

describe('readPlanIfPresent', () => {
  it('reads a plan as written; absent and optional is undefined, absent and required is PLAN_UNREADABLE', async () => {
    const file = join(tmp.dir, 'plan.json');
    await writeFile(file, serializePlan(samplePlan()));
    expect((await readPlanIfPresent(file, { required: true, field: '--plan' }))!.plan.entries).toHaveLength(samplePlan().entries.length);
    expect(await readPlanIfPresent(join(tmp.dir, 'none.json'), { required: false, field: '--run' })).toBeUndefined();
    const e = await rejectionOf(UsageError, readPlanIfPresent(join(tmp.dir, 'none.json'), { required: true, field: '--plan' }));
    expect([e.reason, e.field]).toEqual(['PLAN_UNREADABLE', '--plan']);
  });

  it('refuses an edited plan with PLAN_EDITED (exit 2), naming each edited entry by position and user', async () => {
    const plan = samplePlan();
    const creates = plan.entries.flatMap((e, i) => (e.action === 'create' ? [i] : []));
    const [a, b] = [creates[0]!, creates[1]!];
    plan.entries[a]!.userAccountControl = 66048; // "password never expires" slipped in after review
    plan.entries[b]!.attributes = { ...plan.entries[b]!.attributes, adminCount: '1' };
    const file = join(tmp.dir, 'plan.json');
    await writeFile(file, serializePlan(plan));
    const e = await rejectionOf(UsageError, readPlanIfPresent(file, { required: true, field: '--plan' }));
    expect(e.reason).toBe('PLAN_EDITED');
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(/2 entries of .*plan\.json changed after the plan was made/);
    expect(e.problems).toEqual([
      `entries.${a} (${plan.entries[a]!.userPrincipalName}): fingerprint no longer matches the entry's fields`,
      `entries.${b} (${plan.entries[b]!.userPrincipalName}): fingerprint no longer matches the entry's fields`,
    ]);
  });
});

describe('readPlanIfPresent: plan-level fields and validation', () => {
  it.each<[string, (plan: ReturnType<typeof samplePlan>) => void]>([
    ['targetOu', (p) => (p.targetOu = 'OU=Domain Controllers,DC=corp,DC=example,DC=test')],
    ['tenantId', (p) => (p.tenantId = 'other-tenant')],
    ['domainDn', (p) => (p.domainDn = 'DC=other,DC=test')],
    ['attributeNames', (p) => p.attributeNames!.push('servicePrincipalName')],
    ['recover', (p) => (p.recover = { placement: 'old-ou', dnMap: { 'DC=lost,DC=local': 'OU=Domain Controllers,DC=corp,DC=example,DC=test' } })],
    ['headFingerprints', (p) => delete p.headFingerprints],
  ])('refuses an edited %s with PLAN_EDITED naming the field', async (name, change) => {
    const plan = samplePlan();
    change(plan);
    const file = join(tmp.dir, 'plan.json');
    await writeFile(file, serializePlan(plan));
    const e = await rejectionOf(UsageError, readPlanIfPresent(file, { required: true, field: '--plan' }));
    expect([e.reason, e.exitCode]).toEqual(['PLAN_EDITED', 2]);
    if (name !== 'headFingerprints') {
      expect(e.field).toBe(name);
      expect(e.message).toContain(`${name} changed after the plan was made`);
    } else expect(e.problems.length).toBeGreaterThan(1);
  });

  it('refuses an entry fingerprinted by an older entra2ad (version 2 did not count the plan-level fields)', async () => {
    const plan = samplePlan();
    const entry = plan.entries[0]!;
    // What version 2 wrote: the same fields, hashed as version 2.
    const v2 = entryFingerprintOfVersion(entry, 2);
    expect(entryFingerprintOfVersion(entry, FINGERPRINT_VERSION)).toBe(entry.fingerprint);
    entry.fingerprint = v2;
    const file = join(tmp.dir, 'plan.json');
    await writeFile(file, serializePlan(plan));
    const e = await rejectionOf(UsageError, readPlanIfPresent(file, { required: true, field: '--plan' }));
    expect(e.reason).toBe('PLAN_EDITED');
  });

  it('refuses an entry edited with its fingerprint recomputed: PLAN_INVALID (exit 2) naming user and field', async () => {
    const plan = samplePlan();
    const index = plan.entries.findIndex((e) => e.action === 'create' && e.recoverConsistencyGuid === undefined);
    const entry = plan.entries[index]!;
    entry.attributes = { ...entry.attributes, servicePrincipalName: 'HTTP/evil.contoso.com' };
    entry.fingerprint = entryFingerprint(entry);
    const file = join(tmp.dir, 'plan.json');
    await writeFile(file, serializePlan(plan));
    const e = await rejectionOf(UsageError, readPlanIfPresent(file, { required: true, field: '--plan' }));
    expect([e.reason, e.exitCode, e.user, e.field]).toEqual(['PLAN_INVALID', 2, entry.userPrincipalName, 'attributes.servicePrincipalName']);
    expect(e.problems).toEqual([`entries.${index} (${entry.userPrincipalName}) attributes.servicePrincipalName: controls what the account may do or how it signs in; entra2ad never writes it`]);
  });

  it('refuses a duplicated entry: PLAN_INVALID naming the copy', async () => {
    const plan = samplePlan();
    const entry = plan.entries.find((e) => e.action === 'create')!;
    plan.entries.push(structuredClone(entry));
    plan.summary.total++;
    const file = join(tmp.dir, 'plan.json');
    await writeFile(file, serializePlan(plan));
    const e = await rejectionOf(UsageError, readPlanIfPresent(file, { required: true, field: '--plan' }));
    expect([e.reason, e.user, e.field]).toEqual(['PLAN_INVALID', entry.userPrincipalName, 'cloudId']);
    expect(e.problems.map((p) => p.split(':')[0])).toEqual(
      ['cloudId', 'userPrincipalName', 'dn', 'sAMAccountName'].map((f) => `entries.${plan.entries.length - 1} (${entry.userPrincipalName}) ${f}`),
    );
  });

  it('headFingerprints cover every plan-level field apply acts on, each by name', () => {
    const plan = samplePlan();
    expect(Object.keys(plan.headFingerprints!)).toEqual(['tenantId', 'domainDn', 'targetOu', 'directoryChecked', 'targetOuExists', 'attributeNames', 'recover']);
    expect(headFingerprints(plan)).toEqual(plan.headFingerprints);
  });
});

describe('refuseOtherPlan', () => {
  it("accepts the run's own plan, whether the journal hashed the file's bytes or the plan as entra2ad writes it", async () => {
    const plan = samplePlan();
    const file = join(tmp.dir, 'plan.json');
    // Keys in another order than entra2ad writes them (as a plan made on the spot, then read back, is).
    const text = `${JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(serializePlan(plan)) as object).reverse()), null, 2)}\n`;
    await writeFile(file, text);
    const read = (await readPlanIfPresent(file, { required: true, field: '--plan' }))!;
    const fileHash = createHash('sha256').update(text).digest('hex');
    expect(() => refuseOtherPlan([], tmp.dir, read)).not.toThrow();
    expect(() => refuseOtherPlan([fileHash, runFingerprint(read.plan)], tmp.dir, read)).not.toThrow();
  });

  it('refuses (RUN_PLAN_MISMATCH, exit 2) a folder whose journal started a run with another plan', async () => {
    const plan = samplePlan();
    const other = { ...samplePlan(), createdAt: '2030-01-01T00:00:00.000Z' };
    const file = join(tmp.dir, 'plan.json');
    await writeFile(file, serializePlan(plan));
    const read = (await readPlanIfPresent(file, { required: true, field: '--plan' }))!;
    let error: unknown;
    try {
      refuseOtherPlan([runFingerprint(plan), runFingerprint(other)], tmp.dir, read);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).reason).toBe('RUN_PLAN_MISMATCH');
    expect((error as UsageError).exitCode).toBe(2);
    expect((error as UsageError).message).toContain(runFingerprint(other).slice(0, 12));
  });
});
