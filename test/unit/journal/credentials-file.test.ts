import { appendFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CredentialsFile, readCredentials } from '../../../src/journal/credentials-file.js';
import { useTempDir } from '../../harness/temp-dir.js';

const tmp = useTempDir('creds');

describe('CredentialsFile', () => {
  it('is created 0600 and tightens an existing looser file', async () => {
    const file = join(tmp.dir, 'credentials.csv');
    const creds = await CredentialsFile.open(file);
    await creds.close();
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const loose = join(tmp.dir, 'loose.csv');
    await writeFile(loose, 'userPrincipalName,sAMAccountName,password\n', { mode: 0o644 });
    await (await CredentialsFile.open(loose)).close();
    expect((await stat(loose)).mode & 0o777).toBe(0o600);
  });

  it('round-trips passwords with CSV specials and returns them on reopen (resume)', async () => {
    const file = join(tmp.dir, 'credentials.csv');
    const password = 'a,b"c\'d=e;f\\g';
    const creds = await CredentialsFile.open(file);
    await creds.record({ userPrincipalName: 'Zoe@Contoso.example', sAMAccountName: 'zoe', password });
    expect(creds.passwordFor('zoe@contoso.example')).toBe(password);
    await creds.close();
    const again = await CredentialsFile.open(file);
    expect(again.passwordFor('ZOE@contoso.example')).toBe(password);
    await again.close();
  });

  it('drops a torn last row (killed mid-write)', async () => {
    const file = join(tmp.dir, 'credentials.csv');
    const creds = await CredentialsFile.open(file);
    await creds.record({ userPrincipalName: 'a@x.example', sAMAccountName: 'a', password: 'P@ssw0rd-a-long' });
    await creds.close();
    await appendFile(file, '"b@x.example","b","unterminated');
    const rows = await readCredentials(file);
    expect([...rows.keys()]).toEqual(['a@x.example']);
  });
});
