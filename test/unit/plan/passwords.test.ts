import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkPasswordComplexity, displayNameTokens, generatePassword, makeUniformPicker, type RandomBytes } from '../../../src/plan/passwords.js';

/** Deterministic byte source (xorshift32) so failures reproduce. */
function seeded(seed: number): RandomBytes {
  let x = seed >>> 0 || 1;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      out[i] = x & 0xff;
    }
    return out;
  };
}

describe('generatePassword', () => {
  it('has the length and all four classes, for many draws', () => {
    const rnd = seeded(42);
    for (let i = 0; i < 2000; i++) {
      const pw = generatePassword(12 + (i % 20), rnd);
      expect(pw).toHaveLength(12 + (i % 20));
      expect(pw).toMatch(/[A-Z]/);
      expect(pw).toMatch(/[a-z]/);
      expect(pw).toMatch(/[0-9]/);
      expect(pw).toMatch(/[^A-Za-z0-9]/);
      expect(checkPasswordComplexity(pw, 'jsmith', 'John Smith').ok).toBe(true);
    }
  });

  it('never starts with = + - @ (a spreadsheet would read credentials.csv\'s cell as a formula), while those symbols still occur inside', () => {
    const rnd = seeded(11);
    const drawn = Array.from({ length: 5000 }, () => generatePassword(16, rnd, { avoidAmbiguous: false }));
    expect(drawn.filter((pw) => /^[=+\-@]/.test(pw))).toEqual([]);
    for (const c of ['=', '+', '-', '@']) expect(drawn.some((pw) => pw.slice(1).includes(c)), c).toBe(true);
  });

  it('is deterministic for a given random source, and different across sources', () => {
    expect(generatePassword(16, seeded(7))).toBe(generatePassword(16, seeded(7)));
    expect(generatePassword(16, seeded(7))).not.toBe(generatePassword(16, seeded(8)));
    expect(generatePassword(16)).not.toBe(generatePassword(16)); // node:crypto by default
  });

  it('leaves out ambiguous characters unless asked not to', () => {
    const rnd = seeded(3);
    const all = Array.from({ length: 500 }, () => generatePassword(20, rnd)).join('');
    expect(all).not.toMatch(/[Il1O0o|]/);
    const loose = Array.from({ length: 500 }, () => generatePassword(20, rnd, { avoidAmbiguous: false })).join('');
    expect(loose).toMatch(/[Il1O0o]/);
  });

  it('never contains the sAMAccountName or display-name tokens (rejection works)', () => {
    // long passwords and 3-letter names make raw hits likely (a few per thousand draws)
    const rnd = seeded(99);
    const raw = seeded(99);
    let rawHits = 0;
    for (let i = 0; i < 3000; i++) {
      const unchecked = generatePassword(64, raw).toLowerCase();
      if (['abc', 'xyz', 'def'].some((t) => unchecked.includes(t))) rawHits++;
    }
    expect(rawHits).toBeGreaterThan(0); // the rule below is really exercised
    for (let i = 0; i < 3000; i++) {
      const pw = generatePassword(64, rnd, { samAccountName: 'Abc', displayName: 'Xyz Pqr-Def' });
      expect(pw.toLowerCase()).not.toContain('abc');
      expect(pw.toLowerCase()).not.toContain('xyz');
      expect(pw.toLowerCase()).not.toContain('def');
    }
  });

  it('picks uniformly: rejection sampling has no modulo bias', () => {
    const pick = makeUniformPicker(randomBytes);
    const n = 62; // 256 % 62 = 8: a plain modulo would favour 0..7
    const counts = new Array(n).fill(0);
    const draws = 310_000;
    for (let i = 0; i < draws; i++) counts[pick(n)]++;
    const expected = draws / n;
    const chi2 = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    // df = 61: p = 0.001 critical value is about 100
    expect(chi2).toBeLessThan(100);
    const low = counts.slice(0, 8).reduce((a, b) => a + b, 0) / 8;
    const high = counts.slice(8).reduce((a, b) => a + b, 0) / (n - 8);
    expect(Math.abs(low - high) / expected).toBeLessThan(0.03);
  });

  it('the picker throws away biased bytes', () => {
    // 256 % 3 = 1: byte 255 must be rejected, so [255, 4] yields 4 % 3 = 1
    const pick = makeUniformPicker(() => Uint8Array.from([255, 4]));
    expect(pick(3)).toBe(1);
  });
});

describe('checkPasswordComplexity', () => {
  it.each([
    ['', 'jsmith', 'John Smith', 'EMPTY'],
    ['xxJSMITHxx1!', 'jsmith', null, 'CONTAINS_ACCOUNT_NAME'],
    ['Smith2026!!x', 'jsm', 'John Smith', 'CONTAINS_DISPLAY_NAME_PART'],
    ['aaaaaaaaaaaa', 'jsmith', null, 'TOO_FEW_CATEGORIES'],
    ['aaaaaaAAAAAA', 'jsmith', null, 'TOO_FEW_CATEGORIES'],
  ] as const)('%j breaks %s', (pw, sam, dn, rule) => {
    const r = checkPasswordComplexity(pw, sam, dn);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.rule).toBe(rule);
  });

  it.each([
    ['aaaaaaAAAA11', 'jsmith', 'John Smith'],
    ['Jo!2xxxxxxxx', 'jo', 'Jo Li'], // names under 3 characters do not count
    ['ÄÖÜäöü123456', 'x', null],
  ])('%j passes', (pw, sam, dn) => {
    expect(checkPasswordComplexity(pw, sam, dn)).toEqual({ ok: true });
  });

  it('splits the display name like AD', () => {
    expect(displayNameTokens('Smith, John-Paul_Jr.#2\tX')).toEqual(['Smith', 'John', 'Paul']);
  });
});
