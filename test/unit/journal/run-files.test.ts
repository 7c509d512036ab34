/**
 * The run folder's files cannot be redirected: a symbolic link, a FIFO, a directory or
 * a file owned by someone else under the name of credentials.csv, journal.jsonl,
 * log.jsonl or run.lock is refused (RUN_FILE_UNSAFE, exit 2) and what it points at is
 * left exactly as it was; the folder is 0700 and files 0600; a system directory, a
 * linked folder, a file or someone else's folder is no run folder (RUN_FOLDER_UNSAFE).
 */
import { execFileSync } from 'node:child_process';
import { chmod, chown, lstat, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Entra2adError } from '../../../src/errors.js';
import { createRunLogger } from '../../../src/log.js';
import { writeChunksAtomic, writeFilesAtomic } from '../../../src/report/write-files.js';
import { CredentialsFile } from '../../../src/journal/credentials-file.js';
import { Journal } from '../../../src/journal/journal.js';
import { RunLock } from '../../../src/journal/run-lock.js';
import { ensureRunFolder, systemDirectoryOf } from '../../../src/journal/run-files.js';
import { rejectionOf } from '../../harness/errors.js';

let dir: string;
let outside: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'entra2ad-run-files-'));
  outside = await mkdtemp(join(tmpdir(), 'entra2ad-victim-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

const isRoot = process.getuid?.() === 0;
const OTHER_UID = 65534; // nobody

/** A file someone else prepared: its content and mode, to prove nothing touched it. */
async function victim(name = 'victim.txt'): Promise<{ file: string; before: () => Promise<[string, number]> }> {
  const file = join(outside, name);
  await writeFile(file, 'the other user\'s file\n', { mode: 0o644 });
  const snap = async (): Promise<[string, number]> => [await readFile(file, 'utf8'), (await stat(file)).mode & 0o777];
  return { file, before: snap };
}

const openers: [string, (file: string) => Promise<unknown>][] = [
  ['credentials.csv', (file) => CredentialsFile.open(file)],
  ['journal.jsonl', (file) => Journal.open(file)],
  ['log.jsonl', async (file) => createRunLogger(file)],
];

describe('run-folder files', () => {
  it.each(openers)('%s: a symbolic link is refused (RUN_FILE_UNSAFE, exit 2) and its target unchanged', async (name, openIt) => {
    const target = await victim();
    const expected = await target.before();
    await symlink(target.file, join(dir, name));
    const e = await rejectionOf(Entra2adError, openIt(join(dir, name)));
    expect([e.reason, e.exitCode]).toEqual(['RUN_FILE_UNSAFE', 2]);
    expect(e.message).toMatch(/is a symbolic link/);
    expect(await target.before()).toEqual(expected);
  });

  it.each(openers)('%s: a link to a file that does not exist yet is refused and nothing is created', async (name, openIt) => {
    await symlink(join(outside, 'planted.csv'), join(dir, name));
    expect((await rejectionOf(Entra2adError, openIt(join(dir, name)))).reason).toBe('RUN_FILE_UNSAFE');
    await expect(stat(join(outside, 'planted.csv'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it.runIf(isRoot).each(openers)("%s: a file owned by another user is refused, its content and mode unchanged", async (name, openIt) => {
    const file = join(dir, name);
    await writeFile(file, 'theirs\n', { mode: 0o644 });
    await chown(file, OTHER_UID, OTHER_UID);
    const e = await rejectionOf(Entra2adError, openIt(file));
    expect(e.reason).toBe('RUN_FILE_UNSAFE');
    expect(e.message).toMatch(/belongs to uid 65534/);
    expect(await readFile(file, 'utf8')).toBe('theirs\n');
    expect((await stat(file)).mode & 0o777).toBe(0o644);
  });

  it.each(openers)('%s: a FIFO or a directory under the name is refused without blocking', async (name, openIt) => {
    execFileSync('mkfifo', [join(dir, name)]);
    expect((await rejectionOf(Entra2adError, openIt(join(dir, name)))).message).toMatch(/not a regular file/);
    await rm(join(dir, name));
    await mkdir(join(dir, name));
    expect((await rejectionOf(Entra2adError, openIt(join(dir, name)))).message).toMatch(/not a regular file/);
  });

  it('credentials.csv, journal.jsonl and log.jsonl are created 0600, and an existing 0644 one is tightened', async () => {
    await writeFile(join(dir, 'credentials.csv'), 'userPrincipalName,sAMAccountName,password\n', { mode: 0o644 });
    await chmod(join(dir, 'credentials.csv'), 0o644);
    const credentials = await CredentialsFile.open(join(dir, 'credentials.csv'));
    await credentials.close();
    const { journal } = await Journal.open(join(dir, 'journal.jsonl'));
    await journal.close();
    createRunLogger(join(dir, 'log.jsonl'));
    for (const name of ['credentials.csv', 'journal.jsonl', 'log.jsonl']) expect((await stat(join(dir, name))).mode & 0o777, name).toBe(0o600);
  });

  it('plan and report files are 0600, and a link planted under their name is replaced, not written through', async () => {
    const target = await victim();
    const expected = await target.before();
    await symlink(target.file, join(dir, 'report.csv'));
    await writeChunksAtomic(join(dir, 'report.csv'), ['a,b\n']);
    expect(await target.before()).toEqual(expected);
    expect((await lstat(join(dir, 'report.csv'))).isFile()).toBe(true);
    expect((await stat(join(dir, 'report.csv'))).mode & 0o777).toBe(0o600);
    await writeFilesAtomic(dir, { 'plan.json': '{}\n' });
    expect((await stat(join(dir, 'plan.json'))).mode & 0o777).toBe(0o600);
  });

  it('run.lock: a link planted under the lock name does not make the lock write through it', async () => {
    const target = await victim();
    const expected = await target.before();
    await symlink(target.file, join(dir, 'run.lock'));
    // The link reads as a lock without an owner: taken over (unlinked), never written through.
    const lock = await RunLock.acquire(dir, 'apply');
    await lock.release();
    expect(await target.before()).toEqual(expected);
  });
});

describe('the run folder', () => {
  it('is created 0700; an existing 0755 one of ours is tightened', async () => {
    await ensureRunFolder(join(dir, 'new', 'run'));
    expect((await stat(join(dir, 'new', 'run'))).mode & 0o777).toBe(0o700);
    await mkdir(join(dir, 'open'), { mode: 0o755 });
    await chmod(join(dir, 'open'), 0o755);
    await ensureRunFolder(join(dir, 'open'));
    expect((await stat(join(dir, 'open'))).mode & 0o777).toBe(0o700);
  });

  it('a linked folder, a file, or (as root) a folder of another user is RUN_FOLDER_UNSAFE, exit 2', async () => {
    await symlink(outside, join(dir, 'linked'));
    expect((await rejectionOf(Entra2adError, ensureRunFolder(join(dir, 'linked')))).message).toMatch(/symbolic link/);
    await writeFile(join(dir, 'file'), 'x');
    const e = await rejectionOf(Entra2adError, ensureRunFolder(join(dir, 'file')));
    expect([e.reason, e.exitCode]).toEqual(['RUN_FOLDER_UNSAFE', 2]);
    if (isRoot) {
      await mkdir(join(dir, 'theirs'));
      await chown(join(dir, 'theirs'), OTHER_UID, OTHER_UID);
      expect((await rejectionOf(Entra2adError, ensureRunFolder(join(dir, 'theirs')))).message).toMatch(/belongs to uid 65534/);
    }
  });

  it('a system directory is refused before anything is created in it', async () => {
    const name = `entra2ad-test-${process.pid}`;
    for (const path of ['/etc', `/etc/${name}`, `/usr/local/${name}`, '/']) {
      const e = await rejectionOf(Entra2adError, ensureRunFolder(path));
      expect([path, e.reason]).toEqual([path, 'RUN_FOLDER_UNSAFE']);
    }
    await expect(stat(`/etc/${name}`)).rejects.toMatchObject({ code: 'ENOENT' });
    // Reached through a link: the real place counts.
    await symlink('/etc', join(dir, 'etc-link'));
    expect((await rejectionOf(Entra2adError, ensureRunFolder(join(dir, 'etc-link', name)))).message).toMatch(/system directory \/etc/);
    await expect(stat(`/etc/${name}`)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it.each([
    ['/', '/'],
    ['/etc', '/etc'],
    ['/etc/', '/etc'],
    ['/etc/x/y', '/etc'],
    ['/usr/local/runs', '/usr'],
    ['/var/lib/x', '/var/lib'],
    ['/etcetera', undefined],
    ['/home/admin/runs', undefined],
    ['/tmp/run', undefined],
    ['/var/tmp/run', undefined],
  ])('systemDirectoryOf(%s) = %s', (path, expected) => {
    expect(systemDirectoryOf(path)).toBe(expected);
  });
});
