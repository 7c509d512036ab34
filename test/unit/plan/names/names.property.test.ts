import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GraphUser } from '../../../../src/graph/user.js';
import type { DirectorySnapshot } from '../../../../src/directory/types.js';
import { rdnValue } from '../../../../src/directory/dn.js';
import { CN_MAX_LENGTH, cnKey } from '../../../../src/plan/names/cn.js';
import { SAM_FORBIDDEN_CHARACTERS, SAM_MAX_LENGTH } from '../../../../src/plan/names/sam-account-name.js';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
import { TARGET_OU, makeUser, planFor, settings } from '../helpers.js';

const tricky = fc.constantFrom(
  'John', 'Smith', 'john', 'SMITH', 'Łukasz', 'Żółć', 'Straße', '山田', '😀', '', ' ', '...', '"/\\[]:;|=,+*?<>',
  'a'.repeat(70), '#x', ' lead', 'trail ', 'Ｊｏｈｎ', 'サクラ', 'さくら', '\u200B', '\u0000', 'Jo\u0301', 'ı', 'İ',
);
const anyText = fc.oneof(
  { weight: 3, arbitrary: tricky },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 80 }) },
);
const maybeText = fc.option(anyText, { nil: null });
const domain = fc.constantFrom('contoso.com', 'fabrikam.com', 'example.org');
const upn = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.oneof(tricky, fc.stringMatching(/^[a-z][a-z0-9.]{0,15}$/)), domain).map(([l, d]) => `${l}@${d}`) },
  { weight: 1, arbitrary: anyText },
);

const userArb = fc
  .record({
    id: fc.uuid(),
    userPrincipalName: upn,
    displayName: maybeText,
    givenName: maybeText,
    surname: maybeText,
    mailNickname: maybeText,
    accountEnabled: fc.option(fc.boolean(), { nil: null }),
    department: maybeText,
  })
  .map((r): GraphUser => makeUser(r));

const users = fc.array(userArb, { maxLength: 25 });

const directoryArb: fc.Arbitrary<DirectorySnapshot> = fc
  .record({
    sams: fc.array(fc.oneof(fc.constantFrom('john.smith', 'JOHN', 'jsmith', 'smith', 'lukasz.zolc', 'u0', 'john.smith2'), fc.stringMatching(/^[a-z0-9.]{1,20}$/)), { maxLength: 15 }),
    cns: fc.array(fc.oneof(tricky, fc.constantFrom('John Smith', 'JOHN SMITH (2)', 'john')), { maxLength: 15 }),
  })
  .map(({ sams, cns }) => ({
    domainDn: 'DC=corp,DC=example,DC=test',
    targetOu: TARGET_OU,
    targetOuExists: true,
    objects: sams.map((s, i) => ({
      dn: `CN=obj${i},OU=Other,DC=corp,DC=example,DC=test`,
      objectClass: ['top', 'person', 'organizationalperson', 'user'],
      sAMAccountName: s,
      proxyAddresses: [],
      objectGuid: 'f7cc07d7-7c15-447d-876d-c01b0e5a9e38',
    })),
    cnsInTargetOu: cns.filter((c) => c.trim() !== ''),
  }));

const s = settings();

describe('naming properties (fast-check)', () => {
  it('sAMAccountName is always valid and unique, also against the directory', () => {
    fc.assert(
      fc.property(users, directoryArb, (us, dir) => {
        const plan = planFor(us, { s, dir });
        const taken = new Set(dir.objects.map((o) => o.sAMAccountName!.toLowerCase()));
        for (const e of plan.entries.filter((x) => x.action === 'create')) {
          const sam = e.sAMAccountName!;
          expect(sam.length).toBeGreaterThan(0);
          expect(sam.length).toBeLessThanOrEqual(SAM_MAX_LENGTH);
          expect(sam).toMatch(/^[\x21-\x7E]+$/);
          for (const ch of SAM_FORBIDDEN_CHARACTERS) expect(sam.includes(ch)).toBe(false);
          expect(sam.endsWith('.')).toBe(false);
          expect(taken.has(sam.toLowerCase()), `${sam} collides`).toBe(false);
          taken.add(sam.toLowerCase());
        }
      }),
      { numRuns: 300 },
    );
  });

  it('CN is non-empty, <= 64, unique in the OU, and the DN parses back to it', () => {
    fc.assert(
      fc.property(users, directoryArb, (us, dir) => {
        const plan = planFor(us, { s, dir });
        const taken = new Set(dir.cnsInTargetOu.map(cnKey));
        for (const e of plan.entries.filter((x) => x.action === 'create')) {
          const cn = e.cn!;
          expect(cn.length).toBeGreaterThan(0);
          expect(cn.length).toBeLessThanOrEqual(CN_MAX_LENGTH);
          expect(cn).toBe(cn.trim());
          expect(cn).not.toMatch(LONE_SURROGATE);
          expect(/\p{Cc}/u.test(cn)).toBe(false);
          expect(taken.has(cnKey(cn)), `${cn} collides`).toBe(false);
          taken.add(cnKey(cn));
          expect(rdnValue(e.dn!)).toBe(cn);
          expect(e.dn!.endsWith(`,${TARGET_OU}`)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('every user ends in exactly one entry', () => {
    fc.assert(
      fc.property(users, fc.option(directoryArb, { nil: undefined }), (us, dir) => {
        const plan = planFor(us, { s, dir });
        expect(plan.entries.length).toBe(us.length);
        expect(plan.entries.map((e) => e.cloudId).sort()).toEqual(us.map((u) => u.id).sort());
        expect(plan.summary.total).toBe(us.length);
        const sum = Object.values(plan.summary.byAction).reduce((a, b) => a + b, 0);
        expect(sum).toBe(us.length);
      }),
      { numRuns: 200 },
    );
  });

  it('is deterministic: same input, and shuffled input, give a deep-equal plan', () => {
    fc.assert(
      fc.property(
        users.chain((us) => fc.tuple(fc.constant(us), fc.shuffledSubarray(us, { minLength: us.length, maxLength: us.length }))),
        directoryArb,
        ([us, shuffled], dir) => {
          const a = planFor(us, { s, dir });
          expect(planFor(us, { s, dir })).toEqual(a);
          expect(planFor(shuffled, { s, dir })).toEqual(a);
        },
      ),
      { numRuns: 200 },
    );
  });
});
