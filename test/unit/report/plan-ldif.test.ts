import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { foldLine, isSafeString, ldifAttribute } from '../../../src/report/ldif.js';
import { ensureOuRecords, planToLdif } from '../../../src/report/plan-ldif.js';
import { RECOVER_ID, samplePlan } from './fixtures.js';

interface LdifRecord {
  dn: string;
  attrs: [string, Buffer][];
}

/** A small RFC 2849 reader for the test: unfold, split records, decode `::` base64. */
function readLdif(text: string): { version: string | null; records: LdifRecord[] } {
  const physical = text.split('\n');
  const logical: string[] = [];
  for (const line of physical) {
    if (line.startsWith(' ')) {
      expect(logical.length, 'a continuation line needs a line before it').toBeGreaterThan(0);
      logical[logical.length - 1] += line.slice(1);
    } else logical.push(line);
  }
  let version: string | null = null;
  const records: LdifRecord[] = [];
  let current: [string, Buffer][] = [];
  const flush = () => {
    if (current.length === 0) return;
    const [first, ...rest] = current;
    expect(first![0]).toBe('dn');
    records.push({ dn: first![1].toString('utf8'), attrs: rest });
    current = [];
  };
  for (const line of logical) {
    if (line === '') {
      flush();
      continue;
    }
    if (line.startsWith('#')) continue;
    const m = /^([A-Za-z0-9-;]+)(::?) ?(.*)$/.exec(line);
    expect(m, `not an LDIF line: ${line}`).not.toBeNull();
    const [, attr, sep, value] = m!;
    const bytes = sep === '::' ? Buffer.from(value!, 'base64') : Buffer.from(value!, 'utf8');
    if (attr === 'version' && records.length === 0 && current.length === 0) version = value!;
    else current.push([attr!, bytes]);
  }
  flush();
  return { version, records };
}

describe('LDIF primitives', () => {
  it.each([
    ['plain', true],
    ['', true],
    [' leading space', false],
    [':colon', false],
    ['<less', false],
    ['trailing space ', false],
    ['mid:dle <ok>', true],
    ['non-ASCII é', false],
    ['line\nbreak', false],
    ['cr\rx', false],
    ['nul\0x', false],
  ])('SAFE-STRING %j -> %s', (value, safe) => {
    expect(isSafeString(value)).toBe(safe);
    expect(ldifAttribute('cn', value).startsWith(safe ? 'cn: ' : 'cn:: ')).toBe(true);
  });

  it('folds at 76 with one leading space, and unfolds to the original', () => {
    const line = `description: ${'x'.repeat(200)}`;
    const folded = foldLine(line);
    const lines = folded.split('\n');
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(76);
    for (const l of lines.slice(1)) expect(l.startsWith(' ')).toBe(true);
    expect(lines[0]).toHaveLength(76);
    expect(lines.map((l, i) => (i === 0 ? l : l.slice(1))).join('')).toBe(line);
    expect(foldLine('short')).toBe('short');
  });

  it('binary values are base64', () => {
    expect(ldifAttribute('mS-DS-ConsistencyGuid', Buffer.from(RECOVER_ID, 'base64'))).toBe(`mS-DS-ConsistencyGuid:: ${RECOVER_ID}`);
  });
});

describe('plan.ldif', () => {
  const plan = samplePlan(false);
  const ldif = planToLdif(plan);
  const parsed = readLdif(ldif);
  const creates = plan.entries.filter((e) => e.action === 'create');

  it('starts with version: 1 and the comments, and says passwords are not included', () => {
    expect(ldif.startsWith('version: 1\n')).toBe(true);
    expect(ldif).toContain('# passwords are not included; accounts are created disabled');
    expect(parsed.version).toBe('1');
  });

  it('has the OU record first when the OU does not exist, then one add per create', () => {
    expect(parsed.records).toHaveLength(1 + creates.length);
    expect(parsed.records[0]!.dn).toBe(plan.targetOu);
    expect(parsed.records[0]!.attrs.map(([a, v]) => `${a}=${v}`)).toEqual(['changetype=add', 'objectClass=organizationalUnit', 'ou=Cloud Users']);
    expect(planToLdif(samplePlan(true))).not.toContain('objectClass: organizationalUnit');
    expect(ensureOuRecords('CN=Users,DC=x,DC=y')[0]).toContain('objectClass: container');
  });

  it("puts a recovered user's missing old OUs, top-down, right before it", () => {
    const recovered = { ...creates[0]!, ousToCreate: ['OU=EMEA,DC=corp,DC=example,DC=test', 'OU=Sales,OU=EMEA,DC=corp,DC=example,DC=test'] };
    const withOus = readLdif(planToLdif({ ...plan, entries: [recovered] }));
    expect(withOus.records.map((r) => r.dn)).toEqual([plan.targetOu, ...recovered.ousToCreate, recovered.dn]);
    expect(withOus.records[2]!.attrs.map(([a, v]) => `${a}=${v}`)).toEqual(['changetype=add', 'objectClass=organizationalUnit', 'ou=Sales']);
  });

  it('carries every planned value exactly (base64 and folding undone)', () => {
    creates.forEach((e, i) => {
      const r = parsed.records[i + 1]!;
      expect(r.dn).toBe(e.dn);
      const values = (attr: string) => r.attrs.filter(([a]) => a === attr).map(([, v]) => v.toString('utf8'));
      expect(values('changetype')).toEqual(['add']);
      expect(values('objectClass')).toEqual(['user']);
      expect(values('cn')).toEqual([e.cn]);
      expect(values('sAMAccountName')).toEqual([e.sAMAccountName]);
      expect(values('userAccountControl')).toEqual(['514']);
      for (const [attr, value] of Object.entries(e.attributes!)) expect(values(attr)).toEqual(Array.isArray(value) ? value : [value]);
      expect(values('unicodePwd')).toEqual([]);
    });
    const recover = creates.find((e) => e.recoverConsistencyGuid)!;
    const rec = parsed.records.find((r) => r.dn === recover.dn)!;
    const guid = rec.attrs.find(([a]) => a === 'mS-DS-ConsistencyGuid')![1];
    expect(guid).toHaveLength(16);
    expect(guid.toString('base64')).toBe(RECOVER_ID);
  });

  it('writes only ASCII lines of at most 76 characters', () => {
    for (const line of ldif.split('\n')) {
      expect(line.length).toBeLessThanOrEqual(76);
      expect(line).toMatch(/^[\x20-\x7E]*$/);
    }
    expect(ldif).toMatch(/^dn:: /m); // non-ASCII DNs are base64
    expect(ldif).toMatch(/^displayName:: /m);
  });

  const ldapadd = '/usr/bin/ldapadd';
  const dir = mkdtempSync(join(tmpdir(), 'entra2ad-ldif-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.skipIf(!existsSync(ldapadd))('is accepted by OpenLDAP ldapadd -n (parse only, no server)', () => {
    const file = join(dir, 'plan.ldif');
    writeFileSync(file, ldif);
    // -n: show what would be done without doing it; the URI points nowhere, so a
    // connection attempt would fail the test.
    const out = execFileSync(ldapadd, ['-n', '-v', '-H', 'ldap://127.0.0.1:1', '-f', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out.match(/^!?adding new entry/gm)).toHaveLength(1 + creates.length);
    // and a broken file is refused, so the check can fail
    const bad = join(dir, 'bad.ldif');
    writeFileSync(bad, 'version: 1\n\ndn: CN=x\nchangetype: add\ncn x\n');
    expect(() => execFileSync(ldapadd, ['-n', '-H', 'ldap://127.0.0.1:1', '-f', bad], { stdio: 'pipe' })).toThrow();
  });
});
