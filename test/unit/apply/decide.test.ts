import { describe, expect, it } from 'vitest';
import { guidToImmutableId } from '../../../src/anchor/index.js';
import {
  addAgainWithoutManager,
  cloudImmutableIdNow,
  decideAdd,
  decideAdopt,
  decideAnchor,
  decideAnchorResult,
  decideAnchorValue,
  decideExchangeStamp,
  decideGuid,
  decideManagerLink,
  decideObject,
  decidePassword,
  decideStart,
  guidSource,
  managerForAdd,
  type GuidFact,
} from '../../../src/apply/decide.js';
import type { AnchorResult, FoundUser } from '../../../src/apply/ports.js';
import { DirectoryError } from '../../../src/directory/directory-error.js';
import { Entra2adError } from '../../../src/errors.js';
import { digestPassword } from '../../../src/journal/password-digest.js';
import type { UserProgress } from '../../../src/journal/state.js';
import type { PlanEntry } from '../../../src/plan/types.js';

const GUID = 'f7cc07d7-7c15-447d-876d-c01b0e5a9e38';
/** base64 of the GUID's bytes in AD's order (little-endian first three fields), worked out by hand. */
const OURS = '1wfM9xV8fUSHbcAbDlqeOA==';
const OTHER_GUID = '22222222-2222-4222-8222-222222222222';
const THEIRS = 'c29tZXRoaW5nIGVsc2U=';
const OWN_CONSISTENCY = 'AAECAwQFBgcICQoLDA0ODw==';
const PLANNED_DN = 'CN=Ann Lee,OU=Cloud,DC=corp,DC=test';
const MOVED_DN = 'CN=Ann Lee,OU=Moved,DC=corp,DC=test';

const create = (extra: Partial<PlanEntry> = {}): PlanEntry => ({
  cloudId: 'ann',
  userPrincipalName: 'ann@corp.test',
  displayName: 'Ann Lee',
  action: 'create',
  reason: 'CREATE_NEW',
  message: '',
  sAMAccountName: 'ann',
  dn: PLANNED_DN,
  attributes: {},
  currentImmutableId: null,
  fingerprint: '',
  ...extra,
});
const adopt = (extra: Partial<PlanEntry> = {}) => create({ action: 'adopt', reason: 'ADOPT_EXISTING_UPN', existingObjectGuid: GUID, ...extra });
const recovery = (extra: Partial<PlanEntry> = {}) => create({ reason: 'RECOVER_IN_PLACE', currentImmutableId: THEIRS, recoverConsistencyGuid: THEIRS, ...extra });
const progress = (extra: Partial<UserProgress> = {}): UserProgress => ({ cloudId: 'ann', ...extra });
const found = (extra: Partial<FoundUser> = {}): FoundUser => ({ dn: PLANNED_DN, objectGuid: GUID, sAMAccountName: 'ann', ...extra });

it('the hand-worked immutableId is the one the anchor code computes', () => {
  expect(guidToImmutableId(GUID)).toBe(OURS);
});

describe('decideStart', () => {
  it.each([
    {
      name: 'anchored by an earlier run: reported unchanged at the DN it was created at, nothing touched',
      progress: progress({ created: { dn: MOVED_DN, adopted: false }, objectGuid: GUID, anchored: { immutableId: OURS, outcome: 'written' } }),
      expected: { action: 'done', dn: MOVED_DN, objectGuid: GUID, immutableId: OURS, reason: 'ALREADY_DONE', message: 'completed by an earlier run; nothing to do' },
    },
    {
      name: 'anchored by an earlier run with no created record: the DN the plan names',
      progress: progress({ anchored: { immutableId: THEIRS, outcome: 'not-needed' } }),
      expected: { action: 'done', dn: PLANNED_DN, objectGuid: undefined, immutableId: THEIRS, reason: 'ALREADY_DONE', message: 'completed by an earlier run; nothing to do' },
    },
    { name: 'created and its GUID journaled, not anchored yet: carry on', progress: progress({ created: { dn: PLANNED_DN, adopted: false }, objectGuid: GUID }), expected: { action: 'continue' } },
    { name: 'an anchor write started but not confirmed: carry on (the write is settled later)', progress: progress({ anchorStarted: OURS }), expected: { action: 'continue' } },
    { name: 'nothing journaled for the user: carry on', progress: progress(), expected: { action: 'continue' } },
  ])('$name', ({ progress, expected }) => {
    expect(decideStart(create(), progress)).toEqual(expected);
  });
});

describe('decideObject', () => {
  it.each([
    { name: 'first run, nothing journaled: create, no earlier add to look for', entry: create(), progress: progress(), expected: { action: 'create', addStarted: false } },
    {
      name: 'killed after the password was filed, before the add was started: create, no earlier add to look for',
      entry: create(),
      progress: progress({ passwordDigest: { salt: 's', digest: 'd' } }),
      expected: { action: 'create', addStarted: false },
    },
    { name: 'killed after create-start (the add may have landed): create, looking the UPN up first', entry: create(), progress: progress({ createStartedDn: PLANNED_DN }), expected: { action: 'create', addStarted: true } },
    {
      name: 'created by an earlier run: straight to its GUID, at the DN the journal says',
      entry: create(),
      progress: progress({ createStartedDn: PLANNED_DN, created: { dn: MOVED_DN, adopted: false } }),
      expected: { action: 'known', dn: MOVED_DN },
    },
    {
      name: 'a failed earlier attempt (failed record, no created): create again',
      entry: create(),
      progress: progress({ createStartedDn: PLANNED_DN, lastFailure: { step: 'create', reason: 'BUSY', message: 'x' } }),
      expected: { action: 'create', addStarted: true },
    },
    { name: 'adopt, nothing journaled: look the existing object up', entry: adopt(), progress: progress(), expected: { action: 'adopt' } },
    { name: 'adopt, adopted by an earlier run: straight to its GUID', entry: adopt(), progress: progress({ created: { dn: PLANNED_DN, adopted: true } }), expected: { action: 'known', dn: PLANNED_DN } },
  ])('$name', ({ entry, progress, expected }) => {
    expect(decideObject(entry, progress)).toEqual(expected);
  });
});

describe('decideAdopt', () => {
  it.each([
    { name: 'the object to adopt is still there: adopted at the DN it has now', found: found({ dn: MOVED_DN }), expected: { action: 'adopt', dn: MOVED_DN } },
    {
      name: 'the object to adopt was deleted since the plan: the user fails at create',
      found: undefined,
      expected: { action: 'fail', step: 'create', reason: 'AD_OBJECT_GONE', message: `the AD user to adopt (${PLANNED_DN}) no longer exists` },
    },
  ])('$name', ({ found, expected }) => {
    expect(decideAdopt(adopt(), found)).toEqual(expected);
  });
});

describe('decidePassword', () => {
  const filed = digestPassword('Filed-by-this-run-1');
  it.each([
    { name: 'no password on file: make a new one (filed before the DC sees it)', progress: progress(), onFile: undefined, expected: { action: 'new' } },
    { name: 'killed between journaling the digest and filing the password: make a new one', progress: progress({ passwordDigest: filed }), onFile: undefined, expected: { action: 'new' } },
    { name: 'the password this run filed before the crash: set that same one', progress: progress({ passwordDigest: filed }), onFile: 'Filed-by-this-run-1', expected: { action: 'reuse', password: 'Filed-by-this-run-1' } },
    {
      name: 'a password someone put in credentials.csv (no digest journaled): never set',
      progress: progress(),
      onFile: 'Planted-by-someone-1',
      expected: { action: 'fail', step: 'create', reason: 'CREDENTIALS_UNTRUSTED', message: 'credentials.csv holds a password for ann@corp.test that this run did not make; it is not set' },
    },
    {
      name: 'a password on file other than the one this run made: never set',
      progress: progress({ passwordDigest: filed }),
      onFile: 'Planted-by-someone-1',
      expected: { action: 'fail', step: 'create', reason: 'CREDENTIALS_UNTRUSTED', message: 'credentials.csv holds a password for ann@corp.test that this run did not make; it is not set' },
    },
  ])('$name', ({ progress, onFile, expected }) => {
    expect(decidePassword(create(), progress, onFile)).toEqual(expected);
  });
});

describe('decideAdd', () => {
  const RECOVERED = OWN_CONSISTENCY;
  const recovered = () => recovery({ currentImmutableId: RECOVERED, recoverConsistencyGuid: RECOVERED });
  const unconfirmed = `an add of ann@corp.test at ${PLANNED_DN} was started by an earlier run and not confirmed`;
  it.each<{ name: string; entry?: PlanEntry; progress: UserProgress; found: FoundUser | undefined; expected: unknown }>([
    { name: 'first add: journal create-start, then add', progress: progress(), found: undefined, expected: { action: 'add' } },
    { name: 'killed after create-start, the user is in AD: finish it (password, enable), no second add', progress: progress({ createStartedDn: PLANNED_DN }), found: found(), expected: { action: 'finish' } },
    {
      name: 'killed after create-start, the user is at that DN as AD spells it (other case, other escaping): finish it',
      progress: progress({ createStartedDn: PLANNED_DN }),
      found: found({ dn: 'cn=ANN\\20LEE,ou=cloud,DC=Corp,dc=test' }),
      expected: { action: 'finish' },
    },
    { name: 'killed after create-start, the add never landed: add again', progress: progress({ createStartedDn: PLANNED_DN }), found: undefined, expected: { action: 'add' } },
    {
      name: 'killed after create-start, the user with the UPN is at another DN: not ours, refused (no second add, not finished, not anchored)',
      progress: progress({ createStartedDn: PLANNED_DN }),
      found: found({ dn: MOVED_DN, objectGuid: OTHER_GUID }),
      expected: {
        action: 'fail',
        step: 'create',
        reason: 'NAME_TAKEN',
        message:
          `${unconfirmed}, and the AD user with that userPrincipalName is ${MOVED_DN}, not at ${PLANNED_DN}: it is not finished or anchored. ` +
          'If it is the object that run added, moved since, move it back to the expected DN and run apply again; ' +
          "otherwise it is someone else's: take the userPrincipalName off it (or leave the user out), plan again and review",
      },
    },
    {
      name: 'killed after create-start, the user with the UPN is under the planned DN (a child of it): refused',
      progress: progress({ createStartedDn: PLANNED_DN }),
      found: found({ dn: `CN=Ann Lee,${PLANNED_DN}` }),
      expected: { action: 'fail', step: 'create', reason: 'NAME_TAKEN', message: expect.stringContaining(`is CN=Ann Lee,${PLANNED_DN}, not at ${PLANNED_DN}`) },
    },
    {
      name: 'killed after create-start, the user at that DN has the planned sAMAccountName in other letters: finish it',
      progress: progress({ createStartedDn: PLANNED_DN }),
      found: found({ sAMAccountName: 'ANN' }),
      expected: { action: 'finish' },
    },
    {
      name: 'killed after create-start, the user at that DN has another sAMAccountName: not the add, refused',
      progress: progress({ createStartedDn: PLANNED_DN }),
      found: found({ sAMAccountName: 'ann.lee' }),
      expected: {
        action: 'fail',
        step: 'create',
        reason: 'AD_OBJECT_REPLACED',
        message:
          `${unconfirmed}, and the AD user at ${PLANNED_DN} carries sAMAccountName ann.lee, not the ann that add carried: it is not finished or anchored. ` +
          'Find out who made that object; when it is not wanted, delete it and run apply again',
      },
    },
    {
      name: 'killed after create-start, the user at that DN reports no sAMAccountName: cannot be shown to be the add, refused',
      progress: progress({ createStartedDn: PLANNED_DN }),
      found: { dn: PLANNED_DN, objectGuid: GUID },
      expected: { action: 'fail', step: 'create', reason: 'AD_OBJECT_REPLACED', message: expect.stringContaining('carries no sAMAccountName, not the ann that add carried') },
    },
    {
      name: 'recovery killed after create-start, the object carries the ConsistencyGuid the add carried: finish it',
      entry: recovered(),
      progress: progress({ createStartedDn: PLANNED_DN }),
      found: found({ consistencyGuid: RECOVERED }),
      expected: { action: 'finish' },
    },
    {
      name: 'recovery killed after create-start, the object at the DN has no ConsistencyGuid: not the add that carried one, refused',
      entry: recovered(),
      progress: progress({ createStartedDn: PLANNED_DN }),
      found: found(),
      expected: {
        action: 'fail',
        step: 'create',
        reason: 'AD_OBJECT_REPLACED',
        message:
          `${unconfirmed}, and the AD user at ${PLANNED_DN} carries no mS-DS-ConsistencyGuid, not the ${RECOVERED} that add carried: it is not finished or anchored. ` +
          'Find out who made that object; when it is not wanted, delete it and run apply again',
      },
    },
    {
      name: 'recovery killed after create-start, the object at the DN has another ConsistencyGuid: refused',
      entry: recovered(),
      progress: progress({ createStartedDn: PLANNED_DN }),
      found: found({ consistencyGuid: OURS }),
      expected: { action: 'fail', step: 'create', reason: 'AD_OBJECT_REPLACED', message: expect.stringContaining(`carries mS-DS-ConsistencyGuid ${OURS}, not the ${RECOVERED}`) },
    },
    {
      name: 'a user with the UPN exists but this run never started an add: add (AD refuses the duplicate; nothing is taken over)',
      progress: progress(),
      found: found({ dn: MOVED_DN, objectGuid: OTHER_GUID }),
      expected: { action: 'add' },
    },
  ])('$name', ({ entry, progress, found, expected }) => {
    expect(decideAdd(entry ?? create(), progress, found)).toEqual(expected);
  });
});

describe('managerForAdd', () => {
  const managerDn = 'CN=Bob Boss,OU=Cloud,DC=corp,DC=test';
  it.each([
    { name: "the manager's object exists: manager goes in the add", entry: create({ managerCloudId: 'bob' }), objectDns: new Map([['bob', managerDn]]), expected: managerDn },
    { name: "the manager's object does not exist yet: added without, the manager pass links it", entry: create({ managerCloudId: 'bob' }), objectDns: new Map([['cat', managerDn]]), expected: undefined },
    { name: 'no object DNs known in this run: added without', entry: create({ managerCloudId: 'bob' }), objectDns: undefined, expected: undefined },
    { name: 'no manager in the cloud: added without', entry: create(), objectDns: new Map([['bob', managerDn]]), expected: undefined },
  ])('$name', ({ entry, objectDns, expected }) => {
    expect(managerForAdd(entry, objectDns)).toBe(expected);
  });
});

describe('addAgainWithoutManager', () => {
  it.each([
    { name: "AD says the manager's object is gone (000020B5): add again without it", error: new DirectoryError('REFERENCED_OBJECT_MISSING', 'manager gone'), expected: true },
    { name: 'any of our errors with that reason', error: new Entra2adError('REFERENCED_OBJECT_MISSING', 'manager gone'), expected: true },
    { name: 'the add failed for another reason (name taken): the user fails', error: new DirectoryError('SAM_ACCOUNT_NAME_IN_USE', 'taken'), expected: false },
    { name: 'a bare error that only mentions it: the user fails', error: new Error('REFERENCED_OBJECT_MISSING'), expected: false },
  ])('$name', ({ error, expected }) => {
    expect(addAgainWithoutManager(error)).toBe(expected);
  });
});

describe('decideGuid', () => {
  it('an adopted object is searched by UPN (its own mS-DS-ConsistencyGuid comes only with the search); a created one read at its DN', () => {
    expect(guidSource(adopt())).toBe('by-upn');
    expect(guidSource(create())).toBe('at-dn');
    expect(guidSource(recovery())).toBe('at-dn');
  });

  it.each<{ name: string; entry: PlanEntry; progress: UserProgress; fact: GuidFact; expected: unknown }>([
    { name: 'new object, its GUID read for the first time: journal it', entry: create(), progress: progress(), fact: { source: 'at-dn', objectGuid: GUID }, expected: { action: 'record', objectGuid: GUID } },
    {
      name: 'resumed with the GUID journaled, the same object still at the DN: nothing to journal',
      entry: create(),
      progress: progress({ objectGuid: GUID }),
      fact: { source: 'at-dn', objectGuid: GUID },
      expected: { action: 'confirmed', objectGuid: GUID },
    },
    {
      name: 'resumed, but the object at the DN has another GUID (deleted and re-created since): its GUID never goes to the cloud',
      entry: create(),
      progress: progress({ objectGuid: GUID }),
      fact: { source: 'at-dn', objectGuid: OTHER_GUID },
      expected: { action: 'fail', step: 'guid', reason: 'AD_OBJECT_REPLACED', message: `${PLANNED_DN} now has objectGUID ${OTHER_GUID}, not the ${GUID} this run created` },
    },
    {
      name: 'adopt, object found by UPN with its own ConsistencyGuid: journal the GUID, keep the ConsistencyGuid',
      entry: adopt(),
      progress: progress(),
      fact: { source: 'by-upn', found: found({ consistencyGuid: OWN_CONSISTENCY }) },
      expected: { action: 'record', objectGuid: GUID, consistencyGuid: OWN_CONSISTENCY },
    },
    { name: 'adopt, object found by UPN without a ConsistencyGuid: journal the GUID', entry: adopt(), progress: progress(), fact: { source: 'by-upn', found: found() }, expected: { action: 'record', objectGuid: GUID } },
    {
      name: 'adopt, resumed with the GUID journaled, the same object found by UPN: its GUID and own ConsistencyGuid, journaled again',
      entry: adopt(),
      progress: progress({ created: { dn: PLANNED_DN, adopted: true }, objectGuid: GUID }),
      fact: { source: 'by-upn', found: found({ dn: MOVED_DN, consistencyGuid: OWN_CONSISTENCY }) },
      expected: { action: 'record', objectGuid: GUID, consistencyGuid: OWN_CONSISTENCY },
    },
    {
      // The plan's GUID is compared with the object's at the start of each run (src/apply/drift.ts ADOPT_TARGET_CHANGED);
      // the journaled one is compared here, right before it would go to the cloud.
      name: 'adopt, resumed with the GUID journaled, but the user with the UPN now has another GUID: its GUID never goes to the cloud',
      entry: adopt(),
      progress: progress({ created: { dn: PLANNED_DN, adopted: true }, objectGuid: GUID }),
      fact: { source: 'by-upn', found: found({ dn: MOVED_DN, objectGuid: OTHER_GUID, consistencyGuid: OWN_CONSISTENCY }) },
      expected: {
        action: 'fail',
        step: 'guid',
        reason: 'AD_OBJECT_REPLACED',
        message: `the AD user with userPrincipalName ann@corp.test is now ${MOVED_DN} with objectGUID ${OTHER_GUID}, not the ${GUID} this run adopted`,
      },
    },
    {
      name: 'adopt, the object with the UPN is gone between adopting it and reading its GUID: the user fails at guid',
      entry: adopt(),
      progress: progress({ created: { dn: PLANNED_DN, adopted: true } }),
      fact: { source: 'by-upn', found: undefined },
      expected: { action: 'fail', step: 'guid', reason: 'AD_OBJECT_GONE', message: 'no AD user with userPrincipalName ann@corp.test any more' },
    },
  ])('$name', ({ entry, progress, fact, expected }) => {
    expect(decideGuid(entry, progress, PLANNED_DN, fact)).toEqual(expected);
  });
});

describe('decideAnchorValue', () => {
  it.each([
    { name: 'new object: the immutableId is base64 of its objectGUID', entry: create(), guid: { objectGuid: GUID }, set: false, expected: { immutableId: OURS, stampConsistencyGuid: false } },
    { name: 'new object, ConsistencyGuid wanted: stamp it with the objectGUID', entry: create(), guid: { objectGuid: GUID }, set: true, expected: { immutableId: OURS, stampConsistencyGuid: true } },
    {
      name: 'adopted object with its own ConsistencyGuid: that is its anchor, and it is never overwritten',
      entry: adopt(),
      guid: { objectGuid: GUID, consistencyGuid: OWN_CONSISTENCY },
      set: true,
      expected: { immutableId: OWN_CONSISTENCY, stampConsistencyGuid: false },
    },
    { name: 'adopted object without a ConsistencyGuid, none wanted: its objectGUID', entry: adopt(), guid: { objectGuid: GUID }, set: false, expected: { immutableId: OURS, stampConsistencyGuid: false } },
    {
      name: "recovery: the cloud's existing value (the object was added with it as ConsistencyGuid), nothing stamped",
      entry: recovery(),
      guid: { objectGuid: GUID },
      set: true,
      expected: { immutableId: THEIRS, stampConsistencyGuid: false },
    },
  ])('$name', ({ entry, guid, set, expected }) => {
    expect(decideAnchorValue(entry, guid, set)).toEqual(expected);
  });
});

describe('cloudImmutableIdNow', () => {
  it.each([
    { name: 'read at the start of this run (a write that landed before a crash shows here)', readAtStart: new Map([['ann', OURS]]), expected: OURS },
    { name: 'read at the start as empty, though the plan saw a value: empty', readAtStart: new Map<string, string | null>([['ann', null]]), expected: null },
    { name: 'the user was not read at the start: as planned', readAtStart: new Map([['bob', OURS]]), expected: THEIRS },
    { name: 'nothing read at the start: as planned', readAtStart: undefined, expected: THEIRS },
  ])('$name', ({ readAtStart, expected }) => {
    expect(cloudImmutableIdNow(create({ currentImmutableId: THEIRS }), readAtStart)).toBe(expected);
  });
});

describe('decideAnchor', () => {
  it.each([
    {
      name: 'recovery: the cloud already holds the value and Graph would not change it: nothing written',
      entry: recovery(),
      progress: progress(),
      cloudNow: THEIRS,
      expected: { action: 'record', outcome: 'not-needed', reason: 'RECOVERED', message: 'mS-DS-ConsistencyGuid stamped with the existing immutableId; no cloud write needed' },
    },
    {
      name: 'the cloud already carries this immutableId (a write that landed before a crash): recorded, not sent again',
      entry: create(),
      progress: progress({ anchorStarted: OURS }),
      cloudNow: OURS,
      expected: { action: 'record', outcome: 'already-set', reason: 'ANCHOR_ALREADY_SET', message: 'the cloud user already carries this immutableId' },
    },
    { name: 'the cloud user has no immutableId: journal anchor-start, then write', entry: create(), progress: progress(), cloudNow: null, expected: { action: 'write', journalStart: true } },
    { name: "the cloud user carries another immutableId: journal anchor-start, write ours (the writer reports Graph's answer)", entry: adopt(), progress: progress(), cloudNow: THEIRS, expected: { action: 'write', journalStart: true } },
    { name: 'killed after anchor-start, the write did not land: write again, anchor-start not journaled twice', entry: create(), progress: progress({ anchorStarted: OURS }), cloudNow: null, expected: { action: 'write', journalStart: false } },
    { name: 'an earlier run started writing another value: journal anchor-start for this one', entry: create(), progress: progress({ anchorStarted: THEIRS }), cloudNow: null, expected: { action: 'write', journalStart: true } },
  ])('$name', ({ entry, progress, cloudNow, expected }) => {
    const immutableId = entry.recoverConsistencyGuid ?? OURS;
    expect(decideAnchor(entry, progress, immutableId, cloudNow)).toEqual(expected);
  });
});

describe('decideAnchorResult', () => {
  it.each<{ name: string; entry: PlanEntry; result: AnchorResult; expected: unknown }>([
    { name: 'created and written', entry: create(), result: { outcome: 'written' }, expected: { action: 'anchored', outcome: 'written', reason: 'CREATED_AND_ANCHORED', message: 'onPremisesImmutableId written' } },
    {
      name: "written, Graph's answer lost and the value read back",
      entry: create(),
      result: { outcome: 'written', confirmedByReadBack: true },
      expected: { action: 'anchored', outcome: 'written', reason: 'CREATED_AND_ANCHORED', message: "onPremisesImmutableId written (Graph's answer was lost; read back: it had landed)" },
    },
    { name: 'adopted, the writer found the value already there', entry: adopt(), result: { outcome: 'already-set' }, expected: { action: 'anchored', outcome: 'already-set', reason: 'ADOPTED_AND_ANCHORED', message: 'onPremisesImmutableId was already set' } },
    {
      name: 'another cloud user holds the value: the user fails at anchor with the writer’s reason',
      entry: create(),
      result: { outcome: 'conflict', reason: 'ANCHOR_CONFLICT', message: 'held by bob@corp.test' },
      expected: { action: 'fail', step: 'anchor', reason: 'ANCHOR_CONFLICT', message: 'held by bob@corp.test' },
    },
    { name: 'refused without a reason: ANCHOR_REFUSED', entry: create(), result: { outcome: 'refused' }, expected: { action: 'fail', step: 'anchor', reason: 'ANCHOR_REFUSED', message: 'refused' } },
    { name: 'failed without a reason: ANCHOR_FAILED', entry: create(), result: { outcome: 'failed', message: 'timed out' }, expected: { action: 'fail', step: 'anchor', reason: 'ANCHOR_FAILED', message: 'timed out' } },
  ])('$name', ({ entry, result, expected }) => {
    expect(decideAnchorResult(entry, result)).toEqual(expected);
  });
});

describe('decideManagerLink (the manager pass)', () => {
  const BOSS = 'CN=Bob Boss,OU=Cloud,DC=corp,DC=test';
  const OLD_BOSS = 'CN=Old Boss,OU=Cloud,DC=corp,DC=test';
  const reports = create({ managerCloudId: 'bob' });
  it.each([
    { name: 'user and manager both in AD, not linked yet: link', entry: reports, own: { dn: PLANNED_DN }, manager: { dn: BOSS }, progress: progress(), expected: { action: 'link', dn: PLANNED_DN, managerDn: BOSS } },
    { name: 'linked in this run\'s add: nothing to do', entry: reports, own: { dn: PLANNED_DN, managerDn: BOSS }, manager: { dn: BOSS }, progress: progress(), expected: { action: 'none' } },
    { name: 'linked by an earlier run (manager-set journaled): nothing to do', entry: reports, own: { dn: PLANNED_DN }, manager: { dn: BOSS }, progress: progress({ managerDn: BOSS }), expected: { action: 'none' } },
    {
      name: 'an earlier run linked another manager DN: link the one the manager has now',
      entry: reports,
      own: { dn: PLANNED_DN },
      manager: { dn: BOSS },
      progress: progress({ managerDn: OLD_BOSS }),
      expected: { action: 'link', dn: PLANNED_DN, managerDn: BOSS },
    },
    { name: 'the manager failed or is outside the plan (no object this run knows): not linked', entry: reports, own: { dn: PLANNED_DN }, manager: undefined, progress: progress(), expected: { action: 'none' } },
    { name: 'the user itself failed: not linked', entry: reports, own: undefined, manager: { dn: BOSS }, progress: progress(), expected: { action: 'none' } },
    { name: 'no manager in the cloud: nothing to link', entry: create(), own: { dn: PLANNED_DN }, manager: { dn: BOSS }, progress: progress(), expected: { action: 'none' } },
    { name: 'an adopted user: its manager is never changed', entry: adopt({ managerCloudId: 'bob' }), own: { dn: PLANNED_DN }, manager: { dn: BOSS }, progress: progress(), expected: { action: 'none' } },
  ])('$name', ({ entry, own, manager, progress, expected }) => {
    expect(decideManagerLink(entry, own, manager, progress)).toEqual(expected);
  });
});

describe('decideExchangeStamp (the stamp pass)', () => {
  const planned = { mail: 'ann@corp.test', proxyAddresses: ['SMTP:ann@corp.test'], msExchRecipientTypeDetails: '2147483648' };
  const exchange = { mailbox: null, stamp: [], notInSchema: [] };
  const adopted = adopt({ exchange: { ...exchange, planned } });
  it.each<{ name: string; entry: PlanEntry; own: { outcome: string; dn?: string }; progress?: UserProgress; expected: unknown }>([
    { name: 'adopted and anchored in this run: stamp the object at the DN it has now', entry: adopted, own: { outcome: 'anchored', dn: MOVED_DN }, expected: { action: 'stamp', dn: MOVED_DN, planned } },
    { name: 'adopted by an earlier run: stamp it (a re-run after the schema was extended)', entry: adopted, own: { outcome: 'unchanged' }, expected: { action: 'stamp', dn: PLANNED_DN, planned } },
    { name: 'the adopt failed: nothing stamped', entry: adopted, own: { outcome: 'failed', dn: PLANNED_DN }, expected: { action: 'none' } },
    {
      name: 'skipped because an earlier run created it: stamp what it lacks at the plan\'s DN',
      entry: create({ action: 'skip', reason: 'SKIP_ALREADY_ANCHORED', exchange: { ...exchange, planned } }),
      own: { outcome: 'skipped' },
      expected: { action: 'stamp', dn: PLANNED_DN, planned },
    },
    { name: 'this run folder checked the object already (exchange-stamped): not again', entry: adopted, own: { outcome: 'anchored', dn: PLANNED_DN }, progress: progress({ exchangeStamped: true }), expected: { action: 'none' } },
    { name: 'nothing planned to stamp: nothing stamped', entry: adopt(), own: { outcome: 'anchored', dn: PLANNED_DN }, expected: { action: 'none' } },
    { name: 'a user this run creates: its values went in the add, no stamp', entry: create({ exchange: { ...exchange, planned } }), own: { outcome: 'anchored', dn: PLANNED_DN }, expected: { action: 'none' } },
    {
      name: 'plan.json names an attribute that is neither mail nor Exchange: left out',
      entry: adopt({ exchange: { ...exchange, planned: { ...planned, userAccountControl: '512', servicePrincipalName: ['HTTP/x'] } } }),
      own: { outcome: 'anchored', dn: PLANNED_DN },
      expected: { action: 'stamp', dn: PLANNED_DN, planned },
    },
  ])('$name', ({ entry, own, progress, expected }) => {
    expect(decideExchangeStamp(entry, own, progress)).toEqual(expected);
  });
});
