/**
 * The scoped read (src/directory/scoped-snapshot.ts) against the real DC: in a domain
 * with other objects it holds exactly the objects holding the requested names and
 * anchors, wherever they are in the domain and however their names are cased (AD
 * compares them ignoring case), each as the full read has it; and apply's drift check
 * and verify's predictions for the run's users decide the same with either read.
 */
import { Attribute, Change, Client } from 'ldapts';
import { describe, expect, it } from 'vitest';
import { bytesToGuid, guidToImmutableId } from '../../../src/anchor/index.js';
import { driftScope, findDrift } from '../../../src/apply/drift.js';
import { childDn, dnEquals, dnKey, type DirectorySnapshot, type SnapshotScope } from '../../../src/directory/index.js';
import { readRunObjects } from '../../../src/inputs/scoped-reads.js';
import { foldJournal } from '../../../src/journal/state.js';
import type { PlanEntry } from '../../../src/plan/types.js';
import { predictSync } from '../../../src/verify/index.js';
import { makeUser } from '../../unit/plan/helpers.js';
import { connectDirectory, dcInfo, uniqueSuffix, useTestOu } from '../../harness/dc.js';
import { dnsDomain, newUser, strongPassword, uniqueSam } from '../../harness/users.js';
import { createEntry, planOf } from '../../harness/plan-builders.js';

const ou = useTestOu();

/** An LDAP connection as the harness's admin, for what entra2ad never does (containers, groups, memberships). */
async function asAdmin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const dc = dcInfo();
  const client = new Client({ url: dc.url, tlsOptions: { ...(dc.caPem !== undefined ? { ca: dc.caPem } : {}), ...(dc.servername !== undefined ? { servername: dc.servername } : {}) } });
  try {
    await client.bind(dc.bindDn, dc.bindPassword);
    return await fn(client);
  } finally {
    await client.unbind();
  }
}

const entry = (id: string, target: string, overrides: Partial<PlanEntry> = {}) => createEntry(id, { ou: target, upnDomain: dnsDomain() }, overrides);
const sortedDns = (s: DirectorySnapshot) => s.objects.map((o) => dnKey(o.dn)).sort();

describe('readScopedSnapshot', () => {
  it('holds exactly the objects holding the requested names and anchors, anywhere in the domain, as the full read has them', async () => {
    await using dir = await connectDirectory();
    const tag = uniqueSuffix(3);
    const target = childDn(ou.dn, 'OU', `target-${tag}`);
    const elsewhere = childDn(ou.dn, 'OU', `elsewhere-${tag}`);
    await dir.ensureOu(target);
    await dir.ensureOu(elsewhere);
    const domain = dnsDomain();
    const mailDomain = `mail.${domain}`;

    const run = newUser(target, { attributes: { proxyAddresses: [`SMTP:run-${tag}@${mailDomain}`] } });
    await dir.createUser(run, strongPassword());
    const runGuid = await dir.readObjectGuid(run.dn);
    const casedSam = uniqueSam('c');
    // Its UPN differs from the requested one in case only.
    const cased = newUser(elsewhere, { sam: casedSam, attributes: { userPrincipalName: `${casedSam.toUpperCase()}@${domain.toUpperCase()}` } });
    const anchorHolder = newUser(elsewhere, { consistencyGuid: runGuid });
    const aliasHolder = newUser(elsewhere, { attributes: { proxyAddresses: [`SMTP:other-${tag}@${mailDomain}`, `smtp:RUN-${tag}@${mailDomain}`] } });
    const mailHolder = newUser(elsewhere, { attributes: { mail: `m-${tag}@${mailDomain}` } });
    const takenSam = uniqueSam('t');
    const samHolder = newUser(elsewhere, { sam: takenSam });
    const unrelated = newUser(elsewhere, { attributes: { mail: `u-${tag}@${mailDomain}`, proxyAddresses: [`SMTP:u-${tag}@${mailDomain}`] } });
    const unrelatedInTarget = newUser(target);
    for (const u of [cased, anchorHolder, aliasHolder, mailHolder, samHolder, unrelated, unrelatedInTarget]) await dir.createUser(u, strongPassword());
    // Children of the target OU named as planned users: a group (holds sAMAccountName) and a container (holds none).
    const groupCn = `g-${tag}`;
    const containerCn = `c-${tag}`;
    await asAdmin(async (client) => {
      await client.add(childDn(target, 'CN', groupCn), { objectClass: ['top', 'group'], sAMAccountName: `grp-${tag}` });
      await client.add(childDn(target, 'CN', containerCn), { objectClass: ['top', 'container'] });
    });

    const scope: SnapshotScope = {
      userPrincipalNames: [`${casedSam}@${domain}`, `nobody-${tag}@${domain}`],
      samAccountNames: [takenSam],
      proxyAddresses: [`SMTP:run-${tag}@${mailDomain}`],
      mails: [`M-${tag}@${mailDomain.toUpperCase()}`],
      anchors: [runGuid],
      dns: [childDn(target, 'CN', groupCn.toUpperCase()), childDn(target, 'CN', containerCn), childDn(target, 'CN', `free-${tag}`), childDn(childDn(ou.dn, 'OU', `absent-${tag}`), 'CN', 'x')],
    };
    // Chunks of 2 terms: the chunking is exercised too.
    const [full, scoped] = await Promise.all([dir.readSnapshot({ targetOu: target }), dir.readScopedSnapshot({ targetOu: target, scope, termsPerFilter: 2 })]);

    const expected = [run.dn, cased.dn, anchorHolder.dn, aliasHolder.dn, mailHolder.dn, samHolder.dn, childDn(target, 'CN', groupCn)].map(dnKey).sort();
    expect(sortedDns(scoped)).toEqual(expected);
    for (const object of scoped.objects) expect(object).toEqual(full.objects.find((o) => dnEquals(o.dn, object.dn)));
    expect(scoped.objects.find((o) => dnEquals(o.dn, anchorHolder.dn))?.consistencyGuid).toBe(runGuid.toString('base64'));
    // The target OU's CNs: only the planned ones that are taken, a container's too; as stored.
    expect(scoped.cnsInTargetOu.sort()).toEqual([containerCn, groupCn].sort());
    expect(full.cnsInTargetOu).toEqual(expect.arrayContaining([containerCn, groupCn]));
    expect({ ...scoped, objects: [], cnsInTargetOu: [] }).toEqual({ ...full, objects: [], cnsInTargetOu: [] });
    // Filter values are data: a UPN of filter syntax finds nothing.
    const injected = await dir.readScopedSnapshot({ targetOu: target, scope: { userPrincipalNames: ['*', '*)(objectClass=*'], samAccountNames: ['*'] } });
    expect(injected.objects).toEqual([]);
  });
});

// ------------------------------------------------------------------ the same decisions with either read

describe('drift and verify decide the same with the scoped read', () => {
  it.each([
    ['a planned sAMAccountName taken since the plan by a new object elsewhere', 'sam'],
    ['a planned UPN taken since the plan, differently cased, elsewhere', 'upn'],
    ['a planned CN taken in the target OU by a container', 'cn'],
    ['a protected account (nested Domain Admins) holding the UPN of a planned adopt', 'protected'],
  ] as const)('drift: %s', async (_, scenario) => {
    await using dir = await connectDirectory();
    const tag = uniqueSuffix(3);
    const target = childDn(ou.dn, 'OU', `d-${tag}`);
    const elsewhere = childDn(ou.dn, 'OU', `e-${tag}`);
    await dir.ensureOu(target);
    await dir.ensureOu(elsewhere);
    const id = uniqueSam('p');
    const bystander = newUser(elsewhere);
    await dir.createUser(bystander, strongPassword());
    let planned: PlanEntry = entry(id, target);
    if (scenario === 'sam') await dir.createUser(newUser(elsewhere, { sam: id, attributes: { userPrincipalName: `other-${id}@${dnsDomain()}` } }), strongPassword());
    if (scenario === 'upn') await dir.createUser(newUser(elsewhere, { attributes: { userPrincipalName: `${id.toUpperCase()}@${dnsDomain()}` } }), strongPassword());
    if (scenario === 'cn') await asAdmin((client) => client.add(childDn(target, 'CN', id), { objectClass: ['top', 'container'] }));
    if (scenario === 'protected') {
      const holder = newUser(elsewhere, { userAccountControl: 514, attributes: { userPrincipalName: `${id}@${dnsDomain()}` } });
      await dir.createUser(holder, undefined);
      const group = childDn(elsewhere, 'CN', `adm-${tag}`);
      await asAdmin(async (client) => {
        await client.add(group, { objectClass: ['top', 'group'], sAMAccountName: `adm-${tag}` });
        await client.modify(group, new Change({ operation: 'add', modification: new Attribute({ type: 'member', values: [holder.dn] }) }));
        await client.modify(`CN=Domain Admins,CN=Users,${dcInfo().baseDn}`, new Change({ operation: 'add', modification: new Attribute({ type: 'member', values: [group] }) }));
      });
      planned = entry(id, target, { action: 'adopt', reason: 'ADOPT_EXISTING_UPN', existingObjectGuid: bytesToGuid(await dir.readObjectGuid(holder.dn)) });
    }
    const plan = planOf([planned, entry(uniqueSam('q'), target)], { targetOu: target, domainDn: dcInfo().baseDn });
    const users = new Map(plan.entries.map((e) => [e.cloudId, makeUser({ id: e.cloudId, userPrincipalName: e.userPrincipalName })]));
    const state = foldJournal([]);
    const [full, scoped] = await Promise.all([dir.readSnapshot({ targetOu: target }), dir.readScopedSnapshot({ targetOu: target, scope: driftScope(plan, state) })]);
    const drift = findDrift(plan, users, scoped, state);
    expect(drift).toEqual(findDrift(plan, users, full, state));
    expect(drift.map((d) => [d.cloudId, d.reason])).toEqual([[id, scenario === 'protected' ? 'BLOCKED_PROTECTED_ACCOUNT' : 'NAME_TAKEN']]);
    expect(scoped.objects.some((o) => dnEquals(o.dn, bystander.dn))).toBe(false);
    expect(scoped.objects.length).toBeLessThan(full.objects.length);
  });

  it('verify: an anchor duplicated on a second object, elsewhere in the domain', async () => {
    await using dir = await connectDirectory();
    const tag = uniqueSuffix(3);
    const target = childDn(ou.dn, 'OU', `v-${tag}`);
    const elsewhere = childDn(ou.dn, 'OU', `w-${tag}`);
    await dir.ensureOu(target);
    await dir.ensureOu(elsewhere);
    // The run's users: one whose anchor a second object carries too, one clean, one soft-matched by its address only.
    const dup = newUser(target);
    const clean = newUser(target);
    const soft = newUser(target, { attributes: { proxyAddresses: [`SMTP:soft-${tag}@${dnsDomain()}`] } });
    for (const u of [dup, clean, soft]) await dir.createUser(u, strongPassword());
    const dupGuid = await dir.readObjectGuid(dup.dn);
    const second = newUser(elsewhere, { consistencyGuid: dupGuid });
    await dir.createUser(second, strongPassword());
    const bystander = newUser(elsewhere);
    await dir.createUser(bystander, strongPassword());

    const upn = (e: typeof dup) => e.attributes.userPrincipalName as string;
    const cloudUsers = [
      makeUser({ id: `dup-${tag}`, userPrincipalName: upn(dup), onPremisesImmutableId: guidToImmutableId(bytesToGuid(dupGuid)) }),
      makeUser({ id: `clean-${tag}`, userPrincipalName: upn(clean), onPremisesImmutableId: guidToImmutableId(bytesToGuid(await dir.readObjectGuid(clean.dn))) }),
      makeUser({ id: `soft-${tag}`, userPrincipalName: `soft-${tag}@cloud.example`, proxyAddresses: [`SMTP:soft-${tag}@${dnsDomain()}`] }),
      // Not of the run: its AD object's prediction is not asked for.
      makeUser({ id: `other-${tag}`, userPrincipalName: upn(bystander) }),
    ];
    const runIds = new Set(cloudUsers.slice(0, 3).map((u) => u.id));
    const guards = { privileged: new Map(), federatedDomains: new Set<string>(), syncFeatures: { known: true, features: { softMatchOnUpnEnabled: true } } };
    const [full, read] = await Promise.all([dir.readSnapshot({ targetOu: target }), readRunObjects(dir, target, cloudUsers, runIds)]);
    const input = { cloudUsers, guards, onlyCloudIds: runIds };
    const predicted = predictSync({ ...input, adObjects: read.objects });
    expect(predicted).toEqual(predictSync({ ...input, adObjects: full.objects }));
    expect(predicted.predictions.map((p) => [p.cloudId, p.reason]).sort()).toEqual(
      [
        [`clean-${tag}`, 'HARD_MATCH'],
        [`dup-${tag}`, 'HARD_MATCH'],
        [`dup-${tag}`, 'DUPLICATE_SAME_ANCHOR'],
        [`soft-${tag}`, 'SOFT_MATCH_SMTP'],
      ].sort(),
    );
    expect(read.objects.map((o) => dnKey(o.dn)).sort()).toEqual([dup.dn, clean.dn, soft.dn, second.dn].map(dnKey).sort());
  });
});
