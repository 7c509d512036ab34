/**
 * credentials.csv is untrusted on resume: only a password whose salted digest this run
 * journaled before filing it may be set; a pre-seeded row is CREDENTIALS_UNTRUSTED.
 */
import { describe, expect, it } from 'vitest';
import { credentialsWithoutAccount, digestPassword, matchesDigest, untrustedCredentialUsers } from '../../../src/journal/password-digest.js';
import { foldJournal } from '../../../src/journal/state.js';

describe('password digest', () => {
  it('recognises the password it was made from, and nothing else', () => {
    const d = digestPassword('Brv-8331#Qtxw-Hjp');
    expect(d.salt).toMatch(/^[0-9a-f]{32}$/);
    expect(d.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(d)).not.toContain('Brv-8331');
    expect(matchesDigest('Brv-8331#Qtxw-Hjp', d)).toBe(true);
    expect(matchesDigest('Brv-8331#Qtxw-Hjq', d)).toBe(false);
    expect(matchesDigest('Brv-8331#Qtxw-Hjp', { ...d, salt: digestPassword('x').salt })).toBe(false);
    // Salted: the same password twice gives two digests.
    expect(digestPassword('same').digest).not.toBe(digestPassword('same').digest);
    expect(matchesDigest('x', { salt: 'zz', digest: d.digest })).toBe(false);
  });

  it('untrustedCredentialUsers: a row without a journaled digest, or with another password, for a create still to do', () => {
    const mine = digestPassword('mine-Pw#1');
    const state = foldJournal([
      { kind: 'password-filed', at: '', cloudId: 'a', ...mine },
      { kind: 'password-filed', at: '', cloudId: 'b', ...digestPassword('old-Pw#2') },
      { kind: 'password-filed', at: '', cloudId: 'done', ...digestPassword('x') },
      { kind: 'created', at: '', cloudId: 'done', dn: 'CN=done' },
    ]);
    const entry = (id: string, action = 'create') => ({ cloudId: id, userPrincipalName: `${id}@contoso.example`, action });
    const rows = new Map(
      [
        ['a', 'mine-Pw#1'],
        ['b', 'planted-Pw#3'],
        ['seeded', 'known-Pw#4'],
        ['done', 'whatever'],
        ['adopted', 'whatever'],
      ].map(([id, password]) => [`${id}@contoso.example`, { password: password! }]),
    );
    expect(untrustedCredentialUsers([entry('a'), entry('b'), entry('seeded'), entry('done'), entry('adopted', 'adopt'), entry('fresh')], state.users, rows)).toEqual([
      'b@contoso.example',
      'seeded@contoso.example',
    ]);
  });

  it('credentialsWithoutAccount: rows whose create never started (the password is set nowhere)', () => {
    const state = foldJournal([
      { kind: 'password-filed', at: '', cloudId: 'made', ...digestPassword('a') },
      { kind: 'create-start', at: '', cloudId: 'made', dn: 'CN=made' },
      { kind: 'created', at: '', cloudId: 'made', dn: 'CN=made' },
      { kind: 'password-filed', at: '', cloudId: 'started', ...digestPassword('b') },
      { kind: 'create-start', at: '', cloudId: 'started', dn: 'CN=started' },
      { kind: 'password-filed', at: '', cloudId: 'never', ...digestPassword('c') },
    ]);
    const entry = (id: string) => ({ cloudId: id, userPrincipalName: `${id}@contoso.example`, action: 'create' });
    const rows = new Map(['made', 'started', 'never'].map((id) => [`${id}@contoso.example`, { password: 'x' }]));
    expect(credentialsWithoutAccount([entry('made'), entry('started'), entry('never'), entry('no-row')], state.users, rows)).toEqual(['never@contoso.example']);
  });
});
