/**
 * Reading only the AD objects that hold the run's users' anchors, UPNs and primary SMTP
 * addresses (runScope) predicts the same for the run's users as reading the whole
 * domain; the same for apply's drift check and driftScope. The DC's side of the
 * scoped read is emulated here by `holds` (equality ignoring case, anchors by bytes,
 * only objects holding sAMAccountName, UPN or proxyAddresses, as the full read);
 * test/integration/directory/scoped-snapshot.test.ts checks it against a real DC.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { guidToBytes, guidToImmutableId } from '../../../src/anchor/index.js';
import { driftScope, findDrift } from '../../../src/apply/drift.js';
import type { GraphUser } from '../../../src/graph/user.js';
import { dnKey, parentDn, rdnType, rdnValue } from '../../../src/directory/dn.js';
import { rdnsByParent, type SnapshotScope } from '../../../src/directory/scope.js';
import type { DirectoryObject, DirectorySnapshot } from '../../../src/directory/types.js';
import { foldJournal } from '../../../src/journal/state.js';
import type { TenantGuards } from '../../../src/plan/guards.js';
import { predictSync, runScope } from '../../../src/verify/index.js';
import { adObject, makeUser } from '../plan/helpers.js';
import { createEntry, planOf } from '../../harness/plan-builders.js';

const DOMAIN = 'DC=corp,DC=example,DC=test';
const OU = `OU=New,${DOMAIN}`;
const ELSEWHERE = `OU=Old,${DOMAIN}`;
const GUIDS = Array.from({ length: 12 }, (_, i) => `${(i + 1).toString(16).padStart(8, '0')}-1111-4222-8333-444455556666`);
const NAMES = ['ann', 'bo', 'cy', 'di'];

/** What the full read takes (snapshot.ts COLLIDABLE): objects holding sAMAccountName, UPN or proxyAddresses. */
const collidable = (o: DirectoryObject) => o.sAMAccountName !== undefined || o.userPrincipalName !== undefined || o.proxyAddresses.length > 0;

/** Does `o` hold one of the scope's values, as the DC matches them (scoped-snapshot.ts)? */
function holds(o: DirectoryObject, scope: SnapshotScope): boolean {
  if (!collidable(o)) return false;
  const eq = (value: string | undefined, values: readonly string[] | undefined) => value !== undefined && (values ?? []).some((v) => v.toLowerCase() === value.toLowerCase());
  const anchors = (scope.anchors ?? []).map((a) => Buffer.from(a).toString('hex'));
  return (
    eq(o.userPrincipalName, scope.userPrincipalNames) ||
    eq(o.sAMAccountName, scope.samAccountNames) ||
    eq(o.mail, scope.mails) ||
    o.proxyAddresses.some((p) => eq(p, scope.proxyAddresses)) ||
    anchors.includes(guidToBytes(o.objectGuid).toString('hex')) ||
    (o.consistencyGuid !== undefined && anchors.includes(Buffer.from(o.consistencyGuid, 'base64').toString('hex'))) ||
    [...rdnsByParent(scope.dns ?? []).values()].some((g) => dnKey(g.parent) === dnKey(parentDn(o.dn)) && g.values.some((v) => v.toLowerCase() === rdnValue(o.dn).toLowerCase()))
  );
}

function scoped(directory: DirectorySnapshot, scope: SnapshotScope): DirectorySnapshot {
  const planned = new Set([...rdnsByParent(scope.dns ?? []).values()].filter((g) => dnKey(g.parent) === dnKey(directory.targetOu)).flatMap((g) => g.values.map((v) => v.toLowerCase())));
  return { ...directory, objects: directory.objects.filter((o) => holds(o, scope)), cnsInTargetOu: directory.cnsInTargetOu.filter((cn) => planned.has(cn.toLowerCase())) };
}

const name = fc.constantFrom(...NAMES);
const cased = (s: string) => fc.constantFrom(s, s.toUpperCase(), s[0]!.toUpperCase() + s.slice(1));
const upn = name.chain((n) => cased(`${n}@contoso.com`));
const smtp = name.chain((n) => cased(`${n}@mail.contoso.com`));
const anchor = fc.constantFrom(...GUIDS.slice(0, 6)).map(guidToImmutableId);

/** AD objects: each a distinct objectGUID, names drawn from a small pool so that they collide often. */
const adObjects = fc
  .array(
    fc.record({
      cn: name,
      where: fc.constantFrom(OU, ELSEWHERE),
      sam: fc.option(name, { nil: undefined }),
      upn: fc.option(upn, { nil: undefined }),
      mail: fc.option(smtp, { nil: undefined }),
      proxy: fc.option(fc.tuple(fc.constantFrom('SMTP:', 'smtp:'), smtp), { nil: undefined }),
      consistencyGuid: fc.option(anchor, { nil: undefined }),
      isUser: fc.boolean(),
      admin: fc.boolean(),
    }),
    { maxLength: 8 },
  )
  .map((rows) => {
    const seen = new Set<string>();
    // The whole domain as the full read sees it.
    return rows.flatMap((r, i) => {
      const dn = `CN=${r.cn}${i % 3},${r.where}`;
      if (seen.has(dnKey(dn))) return [];
      seen.add(dnKey(dn));
      return [
        adObject({
          dn,
          objectClass: r.isUser ? ['top', 'person', 'organizationalperson', 'user'] : ['top', 'group'],
          objectGuid: GUIDS[i]!,
          proxyAddresses: r.proxy ? [`${r.proxy[0]}${r.proxy[1]}`] : [],
          ...(r.sam ? { sAMAccountName: `${r.sam}${i % 2}` } : {}),
          ...(r.upn ? { userPrincipalName: r.upn } : {}),
          ...(r.mail ? { mail: r.mail } : {}),
          ...(r.consistencyGuid ? { consistencyGuid: r.consistencyGuid } : {}),
          ...(r.admin ? { adminCount: 1 } : {}),
        }),
      ].filter(collidable);
    });
  });

/** Cloud users: distinct ids and UPNs (the tenant enforces both); anchors and addresses may repeat. */
const cloudUsers = fc
  .array(fc.record({ upn, smtp: fc.option(smtp, { nil: undefined }), viaMail: fc.boolean(), anchor: fc.option(anchor, { nil: undefined }), synced: fc.boolean(), inRun: fc.boolean() }), { maxLength: 6 })
  .map((rows) => {
    const seen = new Set<string>();
    return rows.flatMap((r, i) => {
      if (seen.has(r.upn.toLowerCase())) return [];
      seen.add(r.upn.toLowerCase());
      const user = makeUser({
        id: `cccccccc-0000-4000-8000-00000000000${i}`,
        userPrincipalName: r.upn,
        onPremisesImmutableId: r.anchor ?? null,
        onPremisesSyncEnabled: r.synced ? true : null,
        mail: r.smtp && r.viaMail ? r.smtp : null,
        proxyAddresses: r.smtp && !r.viaMail ? [`SMTP:${r.smtp}`] : [],
      });
      return [{ user, inRun: r.inRun }];
    });
  });

const guards: TenantGuards = { privileged: new Map(), federatedDomains: new Set(), syncFeatures: { known: true, features: { softMatchOnUpnEnabled: true } } };

describe('runScope: verify after apply reads only the objects holding the run users\' anchors, UPNs and addresses', () => {
  it('predicts the same for the run\'s users as the whole domain', () => {
    fc.assert(
      fc.property(adObjects, cloudUsers, fc.constantFrom('ms-DS-ConsistencyGuid' as const, 'objectGUID' as const), (objects, users, sourceAnchor) => {
        const cloud: GraphUser[] = users.map((u) => u.user);
        const runIds = new Set(users.filter((u) => u.inRun).map((u) => u.user.id));
        const scope = runScope(cloud, runIds);
        const input = { cloudUsers: cloud, guards, sourceAnchor, onlyCloudIds: runIds };
        const whole = predictSync({ ...input, adObjects: objects });
        const part = predictSync({ ...input, adObjects: objects.filter((o) => holds(o, scope)) });
        expect(part).toEqual(whole);
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves out what the run does not hold, and reads a case-different UPN', () => {
    const run = makeUser({ id: 'r', userPrincipalName: 'Ann@Contoso.com', onPremisesImmutableId: guidToImmutableId(GUIDS[0]!), proxyAddresses: ['SMTP:ann@mail.contoso.com'] });
    const scope = runScope([run, makeUser({ id: 'other', userPrincipalName: 'bo@contoso.com' })], new Set(['r']));
    expect(scope.userPrincipalNames).toEqual(['Ann@Contoso.com']);
    expect(scope.proxyAddresses).toEqual(['SMTP:ann@mail.contoso.com']);
    expect(scope.mails).toEqual(['ann@mail.contoso.com']);
    expect(scope.anchors).toEqual([guidToBytes(GUIDS[0]!)]);
    const objects = [
      adObject({ dn: `CN=a,${OU}`, userPrincipalName: 'ANN@contoso.com', objectGuid: GUIDS[5]! }),
      adObject({ dn: `CN=b,${ELSEWHERE}`, userPrincipalName: 'x@contoso.com', consistencyGuid: guidToImmutableId(GUIDS[0]!), objectGuid: GUIDS[6]! }),
      adObject({ dn: `CN=c,${OU}`, userPrincipalName: 'bo@contoso.com', objectGuid: GUIDS[7]! }),
    ];
    expect(objects.filter((o) => holds(o, scope)).map((o) => o.dn)).toEqual([`CN=a,${OU}`, `CN=b,${ELSEWHERE}`]);
  });
});

describe('driftScope: apply\'s drift check reads only the objects holding the plan\'s names', () => {
  it('finds the same drift as with the whole domain', () => {
    const planned = fc.array(
      fc.record({ n: name, upn, adopt: fc.boolean(), where: fc.constantFrom(OU, ELSEWHERE), guid: fc.constantFrom(...GUIDS.slice(0, 4)) }),
      { maxLength: 5 },
    );
    fc.assert(
      fc.property(adObjects, planned, fc.array(name, { maxLength: 4 }), (objects, rows, extraCns) => {
        const entries = rows.map((r, i) =>
          createEntry(`u${i}`, { ou: OU, upnDomain: 'contoso.com' }, {
            userPrincipalName: r.upn,
            sAMAccountName: `${r.n}${i % 2}`,
            cn: `${r.n}${i % 3}`,
            dn: `CN=${r.n}${i % 3},${r.where}`,
            ...(r.adopt ? { action: 'adopt', reason: 'ADOPT_EXISTING_UPN', existingObjectGuid: r.guid } : {}),
          }),
        );
        const plan = planOf(entries, { targetOu: OU, domainDn: DOMAIN });
        const cns = [...new Set([...objects.filter((o) => dnKey(parentDn(o.dn)) === dnKey(OU) && rdnType(o.dn) === 'CN').map((o) => rdnValue(o.dn)), ...extraCns])];
        const whole: DirectorySnapshot = { domainDn: DOMAIN, targetOu: OU, targetOuExists: true, objects, cnsInTargetOu: cns };
        const users = new Map(entries.map((e) => [e.cloudId, makeUser({ id: e.cloudId, userPrincipalName: e.userPrincipalName })]));
        const state = foldJournal([]);
        expect(findDrift(plan, users, scoped(whole, driftScope(plan, state)), state)).toEqual(findDrift(plan, users, whole, state));
      }),
      { numRuns: 2000 },
    );
  });
});
