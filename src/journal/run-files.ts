/**
 * The run folder and the files entra2ad appends to or reads back from it (journal,
 * credentials, lock, log), opened so that what someone else prepared cannot redirect
 * a write or feed a read:
 * - the folder is created 0700; an existing one must be a real directory (not a
 *   symbolic link) owned by the current user, and is tightened to 0700
 *   (RUN_FOLDER_UNSAFE otherwise); a system directory is never one (/, /etc, /usr...);
 * - a file is opened with O_NOFOLLOW (open(2): a symbolic link as the last component
 *   fails with ELOOP) and then the opened descriptor is checked with fstat, not the
 *   path: a regular file owned by the current user (RUN_FILE_UNSAFE otherwise), and
 *   its mode set to 0600 through the descriptor.
 * Files that are replaced whole (plan, reports) are written aside and renamed
 * (src/report/write-files.ts): rename(2) replaces a link, it never writes through it.
 *
 * On Windows there is no O_NOFOLLOW nor uid: only the file-type checks apply.
 */
import { closeSync, constants, fchmodSync, fstatSync, openSync, type Stats } from 'node:fs';
import { chmod, lstat, mkdir, open, realpath, type FileHandle } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { ExitCode } from '../errors.js';
import { RunError } from './errors.js';

export const RUN_FOLDER_MODE = 0o700;
export const RUN_FILE_MODE = 0o600;

const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const NONBLOCK = constants.O_NONBLOCK ?? 0;

/**
 * Directories that hold the system, never a run folder: writing plans or passwords
 * there as root would plant files other users or services read (FHS 3.0,
 * refspecs.linuxfoundation.org/FHS_3.0). `/` itself only; the others with everything below.
 */
export const SYSTEM_DIRECTORIES = ['/etc', '/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/boot', '/dev', '/proc', '/sys', '/run', '/var/lib', '/var/log', '/var/spool', '/var/cache', '/var/mail'];

/** The system directory `absolute` is or lies in, else undefined (pure; POSIX paths). */
export function systemDirectoryOf(absolute: string): string | undefined {
  const path = absolute.length > 1 ? absolute.replace(/\/+$/, '') : absolute;
  if (path === '/') return '/';
  return SYSTEM_DIRECTORIES.find((d) => path === d || path.startsWith(`${d}/`));
}

const unsafeFolder = (dir: string, why: string): RunError =>
  new RunError('RUN_FOLDER_UNSAFE', `${dir} ${why}; nothing was written. Use a folder of your own (--out)`, { field: '--out' }, ExitCode.Usage);

const unsafeFile = (file: string, why: string): RunError =>
  new RunError('RUN_FILE_UNSAFE', `${file} ${why}; nothing was written to it. Remove it, or use a new run folder (--out)`, { field: '--out' }, ExitCode.Usage);

/** Creates the run folder (0700) or checks and tightens an existing one; throws RUN_FOLDER_UNSAFE. */
export async function ensureRunFolder(dir: string): Promise<void> {
  const absolute = resolve(dir);
  if (process.platform !== 'win32') {
    // The real place, not what a link in the path names: the nearest existing ancestor resolved.
    const real = await realPathOf(absolute);
    const system = systemDirectoryOf(real);
    if (system !== undefined) throw unsafeFolder(dir, `is ${system === real ? '' : 'inside '}the system directory ${system}`);
  }
  try {
    await mkdir(absolute, { recursive: true, mode: RUN_FOLDER_MODE });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') throw unsafeFolder(dir, 'is not a directory (it, or a folder above it, is a file)');
    throw error;
  }
  const stats = await lstat(absolute);
  if (stats.isSymbolicLink()) throw unsafeFolder(dir, 'is a symbolic link');
  if (!stats.isDirectory()) throw unsafeFolder(dir, 'is not a directory');
  if (!ownedByMe(stats)) throw unsafeFolder(dir, `belongs to uid ${stats.uid}, not to this user (uid ${process.getuid?.()})`);
  if (process.platform !== 'win32' && (stats.mode & 0o777) !== RUN_FOLDER_MODE) await chmod(absolute, RUN_FOLDER_MODE);
}

/** Opens `file` for appending (created 0600), refusing a link, a non-regular file or someone else's. */
export async function openRunFileForAppend(file: string): Promise<FileHandle> {
  const handle = await openChecked(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT);
  try {
    if (process.platform !== 'win32') await handle.chmod(RUN_FILE_MODE);
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** openRunFileForAppend, synchronously (the run logger opens its file at construction): the descriptor. */
export function openRunFileForAppendSync(file: string): number {
  let fd: number;
  try {
    fd = openSync(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | NOFOLLOW | NONBLOCK, RUN_FILE_MODE);
  } catch (error) {
    throw openError(file, error);
  }
  try {
    refuseUnsafeFile(file, fstatSync(fd));
    if (process.platform !== 'win32') fchmodSync(fd, RUN_FILE_MODE);
    return fd;
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** Each of `names` in `dir` that exists is checked as openRunFileForAppend would (nothing is created or changed). */
export async function checkRunFiles(dir: string, names: readonly string[]): Promise<void> {
  for (const name of names) {
    try {
      const handle = await openChecked(join(dir, name), constants.O_RDONLY);
      await handle.close();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

/** The text of `file`, read through a checked descriptor; undefined when it does not exist. */
export async function readRunFile(file: string): Promise<string | undefined> {
  let handle: FileHandle;
  try {
    handle = await openChecked(file, constants.O_RDONLY);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

async function openChecked(file: string, flags: number): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    // O_NONBLOCK: a FIFO planted under the name must not block the open (regular files ignore it).
    handle = await open(file, flags | NOFOLLOW | NONBLOCK, RUN_FILE_MODE);
  } catch (error) {
    throw openError(file, error);
  }
  try {
    refuseUnsafeFile(file, await handle.stat());
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** What was opened must be a regular file of this user: a planted FIFO, device or someone else's file is refused. */
function refuseUnsafeFile(file: string, stats: Stats): void {
  if (!stats.isFile()) throw unsafeFile(file, 'is not a regular file');
  if (!ownedByMe(stats)) throw unsafeFile(file, `belongs to uid ${stats.uid}, not to this user (uid ${process.getuid?.()})`);
}

function openError(file: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  // ELOOP: O_NOFOLLOW met a link (Linux, macOS); EMLINK: the same on FreeBSD.
  if (code === 'ELOOP' || code === 'EMLINK') return unsafeFile(file, 'is a symbolic link');
  // EISDIR: a directory; ENXIO: a FIFO without a reader (O_NONBLOCK), or a device.
  if (code === 'EISDIR' || code === 'ENXIO') return unsafeFile(file, 'is not a regular file');
  return error;
}

function ownedByMe(stats: Stats): boolean {
  const uid = process.getuid?.();
  return uid === undefined || stats.uid === uid;
}

async function realPathOf(absolute: string): Promise<string> {
  let existing = absolute;
  const rest: string[] = [];
  for (;;) {
    try {
      const real = await realpath(existing);
      return rest.length === 0 ? real : `${real === sep ? '' : real}${sep}${rest.join(sep)}`;
    } catch {
      const parent = dirname(existing);
      if (parent === existing) return absolute;
      rest.unshift(existing.slice(parent.length).replace(/^[\\/]+/, ''));
      existing = parent;
    }
  }
}
