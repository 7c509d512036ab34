import { describe, expect, it } from 'vitest';
import { JOHN_SMITHS, NAME_CORPUS } from '../../../fixtures/names/corpus.js';
import { rdnValue } from '../../../../src/directory/dn.js';
import type { PlanEntry } from '../../../../src/plan/types.js';
import { CN_MAX_LENGTH, CnAllocator, cleanCn, cnProblem, withCnSuffix } from '../../../../src/plan/names/cn.js';
import {
  SAM_MAX_LENGTH,
  SamAccountNameAllocator,
  fallbackSamAccountName,
  finalizeSamAccountName,
  samAccountNameProblem,
  withNumericSuffix,
} from '../../../../src/plan/names/sam-account-name.js';
import { parseTemplate, renderTemplate, templateProblem } from '../../../../src/plan/names/templates.js';
import { toAscii } from '../../../../src/plan/names/transliterate.js';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
import { TARGET_OU, makeUser, person, planFor, settings } from '../helpers.js';


function corpusUsers() {
  return NAME_CORPUS.map((c, i) =>
    makeUser({
      id: `3f2504e0-4f89-41d3-9a0c-${String(i).padStart(12, '0')}`,
      givenName: c.given,
      surname: c.surname,
      displayName: c.displayName !== undefined ? c.displayName : [c.given, c.surname].filter(Boolean).join(' ') || null,
      userPrincipalName: `corpus${i}@contoso.com`,
    }),
  );
}

function assertAdRules(entries: readonly PlanEntry[]): void {
  const sams = new Set<string>();
  const cns = new Set<string>();
  for (const e of entries) {
    expect(e.action).toBe('create');
    const sam = e.sAMAccountName!;
    expect(samAccountNameProblem(sam), `${e.userPrincipalName}: "${sam}"`).toBeNull();
    expect(sam).toMatch(/^[a-z0-9][a-z0-9._-]*$/);
    expect(sam.length).toBeLessThanOrEqual(SAM_MAX_LENGTH);
    expect(sam.endsWith('.')).toBe(false);
    expect(sams.has(sam.toLowerCase()), `duplicate ${sam}`).toBe(false);
    sams.add(sam.toLowerCase());
    const cn = e.cn!;
    expect(cnProblem(cn), `${e.userPrincipalName}: CN "${cn}"`).toBeNull();
    expect(cns.has(cn.toLowerCase()), `duplicate CN ${cn}`).toBe(false);
    cns.add(cn.toLowerCase());
    expect(rdnValue(e.dn!)).toBe(cn);
    expect(e.dn!.endsWith(`,${TARGET_OU}`)).toBe(true);
  }
}

describe('name corpus', () => {
  it(`has at least 150 names`, () => {
    expect(NAME_CORPUS.length + JOHN_SMITHS.length).toBeGreaterThanOrEqual(150);
    expect(NAME_CORPUS.length).toBeGreaterThanOrEqual(150);
  });

  it('obeys the AD rules for every name with the default templates, in one plan', () => {
    assertAdRules(planFor(corpusUsers()).entries);
  });

  it('obeys the AD rules for every name with {given}.{surname} and {displayName} templates', () => {
    const p = planFor(corpusUsers(), { s: settings({ samTemplates: ['{given}.{surname}', '{displayName}'] }) });
    assertAdRules(p.entries);
  });

  const single = settings({ samTemplates: ['{given}.{surname}'] });
  const withExpectation = NAME_CORPUS.map((c, i) => ({ c, i })).filter(({ c }) => c.sam !== undefined);
  it.each(withExpectation.map(({ c, i }) => [c.note, c, i] as const))('%s', (_note, c, i) => {
    const user = makeUser({
      id: `3f2504e0-4f89-41d3-9a0c-${String(i).padStart(12, '0')}`,
      givenName: c.given,
      surname: c.surname,
      displayName: c.displayName !== undefined ? c.displayName : [c.given, c.surname].filter(Boolean).join(' ') || null,
      userPrincipalName: `corpus${i}@contoso.com`,
    });
    const [e] = planFor([user], { s: single }).entries;
    if (c.sam === null) {
      expect(e!.sAMAccountName).toBe(fallbackSamAccountName(user.id));
      expect(e!.warnings?.map((w) => w.code)).toContain('WARN_SAM_FALLBACK');
    } else {
      expect(e!.sAMAccountName).toBe(c.sam);
    }
    if (c.cn !== undefined) expect(e!.cn).toBe(c.cn);
    assertAdRules([e!]);
  });

  it('pins the headline examples', () => {
    const s = settings({ samTemplates: ['{given}.{surname}'] });
    const p = planFor([person('Łukasz', 'Żółć', 'a@contoso.com'), person('Anna', 'Straße', 'b@contoso.com'), person('Işıl', 'Yılmaz', 'c@contoso.com')], { s });
    expect(p.entries.map((e) => e.sAMAccountName)).toEqual(['lukasz.zolc', 'anna.strasse', 'isil.yilmaz']);
    expect(toAscii('Straße')).toBe('Strasse');
    expect(toAscii('Ørsted ł ø')).toBe('Orsted l o');
  });

  it('50 John Smiths get 50 distinct names and CNs', () => {
    const users = JOHN_SMITHS.map((j) => person(j.given, j.surname, `${j.upnPrefix}@contoso.com`));
    const byUpn = planFor(users);
    assertAdRules(byUpn.entries);
    // with only {given}.{surname}, suffixes 2..50 in planning order
    const p = planFor(users, { s: settings({ samTemplates: ['{given}.{surname}'] }) });
    assertAdRules(p.entries);
    const names = p.entries.map((e) => e.sAMAccountName).sort();
    expect(names).toContain('john.smith');
    expect(names).toContain('john.smith50');
    expect(p.entries.map((e) => e.cn)).toContain('John Smith (50)');
    expect(p.summary.byWarning?.['WARN_SAM_SUFFIXED']).toBe(49);
  });
});

describe('sAMAccountName', () => {
  it('suffix still fits in 20 by cutting the base', () => {
    expect(withNumericSuffix('johnsmith', 2)).toBe('johnsmith2');
    expect(withNumericSuffix('verylongname12345678', 2)).toBe('verylongname12345672');
    expect(withNumericSuffix('verylongname12345678', 10)).toBe('verylongname12345610');
    expect(withNumericSuffix('abcdefghijklmnopqr.s', 2)).toBe('abcdefghijklmnopqr2');
    const alloc = new SamAccountNameAllocator(['verylongname12345678']);
    expect(alloc.allocate(['verylongname12345678'], 'x').sAMAccountName).toBe('verylongname12345672');
    expect(alloc.allocate(['VeryLongName12345678'], 'x').sAMAccountName).toBe('verylongname12345673');
  });

  it('is unique case-insensitively against the directory and the plan', () => {
    const alloc = new SamAccountNameAllocator(['JSmith', 'john.smith', 'john.smith2']);
    // all templates taken: the FIRST template's name gets the lowest free suffix
    expect(alloc.allocate(['jsmith', 'john.smith'], 'id').sAMAccountName).toBe('jsmith2');
    expect(alloc.allocate(['john.smith'], 'id').sAMAccountName).toBe('john.smith3');
    expect(alloc.allocate(['JOHN.SMITH'], 'id').sAMAccountName).toBe('john.smith4');
  });

  it('tries templates in order before suffixing', () => {
    const alloc = new SamAccountNameAllocator(['john']);
    expect(alloc.allocate(['john', 'jsmith'], 'id')).toEqual({ sAMAccountName: 'jsmith', source: 'template', templateIndex: 1 });
  });

  it('never plans the built-in accounts', () => {
    const alloc = new SamAccountNameAllocator();
    expect(alloc.allocate(['Administrator'], 'id').sAMAccountName).toBe('administrator2');
    expect(alloc.allocate(['krbtgt'], 'id').sAMAccountName).toBe('krbtgt2');
  });

  it('falls back to a stable id-derived name, suffixed when taken', () => {
    const id = 'AB12cd34-0000-4000-8000-000000000001';
    expect(fallbackSamAccountName(id)).toBe('uab12cd340000');
    const alloc = new SamAccountNameAllocator(['uab12cd340000']);
    expect(alloc.allocate([null, '😀'], id)).toEqual({ sAMAccountName: 'uab12cd3400002', source: 'fallback' });
  });

  it('finalize drops trailing dots after truncation and rejects names without letters or digits', () => {
    expect(finalizeSamAccountName('abcdefghijklmnopqrs.tuv')).toBe('abcdefghijklmnopqrs');
    expect(finalizeSamAccountName('.-_')).toBeNull();
    expect(finalizeSamAccountName('a..b')).toBe('a.b');
  });

  it('validator names each Windows rule', () => {
    expect(samAccountNameProblem('')).toMatch(/empty/);
    expect(samAccountNameProblem('a'.repeat(21))).toMatch(/more than 20/);
    expect(samAccountNameProblem('a b')).toMatch(/space/);
    expect(samAccountNameProblem('a|b')).toMatch(/forbidden/);
    expect(samAccountNameProblem('ab.')).toMatch(/dot/);
    expect(samAccountNameProblem('john.smith')).toBeNull();
  });

  it('honours a transliteration locale', () => {
    const s = settings({ samTemplates: ['{given}.{surname}'], transliterationLocale: 'sv' });
    expect(planFor([person('Åsa', 'Öberg', 'a@contoso.com')], { s }).entries[0]!.sAMAccountName).toBe('asa.oberg');
    const de = settings({ samTemplates: ['{given}.{surname}'] });
    expect(planFor([person('Jürgen', 'Öberg', 'a@contoso.com')], { s: de }).entries[0]!.sAMAccountName).toBe('juergen.oeberg');
  });

  it('{given:1}{surname} takes the first transliterated character', () => {
    const s = settings({ samTemplates: ['{given:1}{surname}'] });
    expect(planFor([person('Łukasz', 'Żółć', 'a@contoso.com')], { s }).entries[0]!.sAMAccountName).toBe('lzolc');
    expect(planFor([person('Ægir', 'Berg', 'a@contoso.com')], { s }).entries[0]!.sAMAccountName).toBe('aberg');
  });
});

describe('CN', () => {
  it('stays Unicode, trimmed, without control characters', () => {
    expect(cleanCn('  Łukasz\tŻółć \u0007 ')).toBe('Łukasz Żółć');
    expect(cleanCn('\u202EJohn\u200B')).toBe('John');
    expect(cleanCn('👨\u200D👩\u200D👧')).toBe('👨\u200D👩\u200D👧');
  });

  it('is at most 64 UTF-16 units and never splits a surrogate pair', () => {
    const alloc = new CnAllocator();
    const long = '😀'.repeat(40);
    const { cn, truncated } = alloc.allocate([long], 'id');
    expect(truncated).toBe(true);
    expect(cn.length).toBe(64);
    expect(cn).toBe('😀'.repeat(32));
    const odd = alloc.allocate(['a' + '😀'.repeat(40)], 'id').cn;
    expect(odd.length).toBe(63);
    expect(odd).not.toMatch(LONE_SURROGATE);
  });

  it('is unique in the OU case-insensitively, suffix " (n)" within 64', () => {
    const alloc = new CnAllocator(['john smith', 'JOHN SMITH (2)']);
    expect(alloc.allocate(['John Smith'], 'id').cn).toBe('John Smith (3)');
    expect(alloc.allocate(['John Smith'], 'id').cn).toBe('John Smith (4)');
    const base = 'x'.repeat(64);
    const a2 = new CnAllocator([base]);
    const got = a2.allocate([base], 'id').cn;
    expect(got).toBe(`${'x'.repeat(60)} (2)`);
    expect(withCnSuffix(base, 10).length).toBe(CN_MAX_LENGTH);
  });

  it('treats full-width and katakana/hiragana as the same name, like AD', () => {
    const alloc = new CnAllocator(['ＪＯＨＮ', 'さくら']);
    expect(alloc.allocate(['john'], 'id').cn).toBe('john (2)');
    expect(alloc.allocate(['サクラ'], 'id').cn).toBe('サクラ (2)');
  });

  it('falls back to given+surname, then the UPN prefix, then the id', () => {
    const users = [
      makeUser({ displayName: null, givenName: 'Ann', surname: 'Lee', userPrincipalName: 'a@contoso.com' }),
      makeUser({ displayName: '  ', givenName: null, surname: null, userPrincipalName: 'bob.b@contoso.com' }),
    ];
    const p = planFor(users);
    expect(p.entries.map((e) => e.cn)).toEqual(['Ann Lee', 'bob.b']);
  });

  it('escapes the DN and parses back', () => {
    const p = planFor([makeUser({ displayName: '#1 Smith, John + "Co" <x>; \\ ', userPrincipalName: 'a@contoso.com' })]);
    const e = p.entries[0]!;
    expect(e.cn).toBe('#1 Smith, John + "Co" <x>; \\');
    expect(e.dn).toBe(`CN=\\#1 Smith\\, John \\+ \\"Co\\" \\<x\\>\\; \\\\,${TARGET_OU}`);
    expect(rdnValue(e.dn!)).toBe(e.cn);
  });
});

describe('templates', () => {
  it('renders null when a variable is empty, so the next template is tried', () => {
    const ctx = { given: 'John', surname: null };
    expect(renderTemplate('{given}.{surname}', ctx)).toBeNull();
    expect(renderTemplate('{given:2}-x', ctx)).toBe('Jo-x');
    expect(renderTemplate('{{{given}}}', ctx)).toBe('{John}');
  });

  it('reports syntax problems', () => {
    expect(templateProblem('{given')).toMatch(/unclosed/);
    expect(templateProblem('{nope}')).toMatch(/unknown variable "nope"/);
    expect(templateProblem('{given:0}')).toMatch(/at least 1/);
    expect(templateProblem('a}b')).toMatch(/unmatched/);
    expect(parseTemplate('{upnPrefix}').variables).toEqual(['upnPrefix']);
  });
});
