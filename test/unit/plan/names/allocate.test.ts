import { describe, expect, it } from 'vitest';
import type { DirectoryObject } from '../../../../src/directory/types.js';
import { DirectoryIndex } from '../../../../src/plan/directory-index.js';
import { NameAllocator } from '../../../../src/plan/names/allocate.js';
import { templateContext } from '../../../../src/plan/names/templates.js';
import type { PlannedIdentity } from '../../../../src/plan/recovery-names.js';
import { TARGET_OU, adObject, directory, person, settings } from '../helpers.js';

const OLD_OU = 'OU=Sales,DC=corp,DC=example,DC=test';
const ID = 'abcdef01-2345-4000-8000-000000000000';
const identity = (over: Partial<PlannedIdentity>): PlannedIdentity => ({ fallbacks: [], renamed: [], ...over });

/** Ann Lee (ann@contoso.com), named by a fresh allocator over `objects` and `cns` (the target OU's children). */
function annLee(opts: { objects?: DirectoryObject[]; cns?: string[]; noDirectory?: boolean; kept?: PlannedIdentity[]; identity?: PlannedIdentity; displayName?: string | null; given?: string | null } = {}) {
  const s = settings();
  const index = opts.noDirectory ? null : new DirectoryIndex(directory(opts.objects ?? [], opts.cns ?? []));
  const names = new NameAllocator(s, index);
  for (const k of opts.kept ?? []) names.keep(k);
  const user = person(opts.given === undefined ? 'Ann' : opts.given, 'Lee', 'ann@contoso.com', { id: ID, displayName: opts.displayName === undefined ? 'Ann Lee' : opts.displayName });
  return names.allocate(user, templateContext(user), opts.identity);
}

describe('NameAllocator', () => {
  it.each([
    ['the first template, in the target OU', {}, { sAMAccountName: 'ann', cn: 'Ann Lee', dn: `CN=Ann Lee,${TARGET_OU}`, warnings: [] }],
    ['no directory read: unique only within the plan', { noDirectory: true }, { sAMAccountName: 'ann', cn: 'Ann Lee' }],
    ['upnPrefix taken (any case): the next template', { objects: [adObject({ dn: `CN=x,${OLD_OU}`, sAMAccountName: 'ANN' })] }, { sAMAccountName: 'ann.lee', warnings: [] }],
    [
      'every template taken: the first one suffixed, with a warning',
      { objects: ['ann', 'ann.lee', 'alee'].map((sam, i) => adObject({ dn: `CN=x${i},${OLD_OU}`, sAMAccountName: sam })) },
      { sAMAccountName: 'ann2', warnings: [expect.objectContaining({ code: 'WARN_SAM_SUFFIXED', field: 'sAMAccountName' })] },
    ],
    [
      'a CN taken in the target OU as AD compares it (width, case): suffixed, with a warning',
      { cns: ['ＡＮＮ lee'] },
      { cn: 'Ann Lee (2)', dn: `CN=Ann Lee (2),${TARGET_OU}`, warnings: [expect.objectContaining({ code: 'WARN_CN_SUFFIXED', field: 'cn' })] },
    ],
    [
      "the same CN under another parent is not the target OU's",
      { objects: [adObject({ dn: `CN=Ann Lee,${OLD_OU}` })] },
      { cn: 'Ann Lee', warnings: [] },
    ],
    ['no display name: the CN fallback template', { displayName: null }, { cn: 'Ann Lee' }],
    ['no display name and no given name: the UPN prefix', { displayName: null, given: null }, { cn: 'ann' }],
    [
      'a 70-character display name: the CN cut to 64, with a warning',
      { displayName: 'A'.repeat(70) },
      { cn: 'A'.repeat(64), warnings: [expect.objectContaining({ code: 'WARN_CN_TRUNCATED' })] },
    ],
    [
      'a kept old sAMAccountName is not handed out again',
      { kept: [identity({ sAMAccountName: 'Ann' })] },
      { sAMAccountName: 'ann.lee' },
    ],
    [
      'a kept old CN in the target OU is not handed out again',
      { kept: [identity({ parentDn: TARGET_OU.toLowerCase(), cn: 'ann lee' })] },
      { cn: 'Ann Lee (2)' },
    ],
    [
      'recovery in place: the old names and place, as kept',
      { identity: identity({ sAMAccountName: 'alee.old', parentDn: OLD_OU, cn: 'Lee, Ann' }) },
      { sAMAccountName: 'alee.old', cn: 'Lee, Ann', parentDn: OLD_OU, dn: `CN=Lee\\, Ann,${OLD_OU}`, warnings: [] },
    ],
    [
      "recovery in place, old CN held: a CN from the templates, unique among the old parent's objects",
      { objects: [adObject({ dn: `CN=Ann Lee,${OLD_OU}` })], identity: identity({ sAMAccountName: 'alee.old', parentDn: OLD_OU }) },
      { sAMAccountName: 'alee.old', cn: 'Ann Lee (2)', dn: `CN=Ann Lee (2),${OLD_OU}` },
    ],
    [
      'recovery in place, renamed: the warnings in order (CN, then why renamed)',
      { cns: ['Ann Lee'], identity: identity({ renamed: ['the old sAMAccountName x is held by y'] }) },
      {
        sAMAccountName: 'ann',
        warnings: [
          expect.objectContaining({ code: 'WARN_CN_SUFFIXED' }),
          { code: 'WARN_RECOVER_RENAMED', field: 'sAMAccountName', message: 'not recreated under its old name: the old sAMAccountName x is held by y' },
        ],
      },
    ],
  ])('%s', (_name, opts, expected) => {
    expect(annLee(opts)).toMatchObject(expected);
  });

  it('hands names out in call order: the second Ann Lee gets the next template, the CN a suffix', () => {
    const names = new NameAllocator(settings(), null);
    const a = person('Ann', 'Lee', 'ann@contoso.com');
    const b = person('Ann', 'Lee', 'ann@fabrikam.com');
    expect(names.allocate(a, templateContext(a))).toMatchObject({ sAMAccountName: 'ann', cn: 'Ann Lee' });
    expect(names.allocate(b, templateContext(b))).toMatchObject({ sAMAccountName: 'ann.lee', cn: 'Ann Lee (2)' });
  });

  it('no usable template: the name from the cloud id, with a warning', () => {
    const names = new NameAllocator(settings({ samTemplates: ['{department}'] }), null);
    const u = person('Ann', 'Lee', 'ann@contoso.com', { id: ID, department: null });
    expect(names.allocate(u, templateContext(u))).toMatchObject({ sAMAccountName: 'uabcdef012345', warnings: [expect.objectContaining({ code: 'WARN_SAM_FALLBACK' })] });
  });

  it('a template that does not parse fails when the allocator is made, before any user is named', () => {
    expect(() => new NameAllocator({ ...settings(), cnTemplate: '{displayName' }, null)).toThrow();
  });
});
