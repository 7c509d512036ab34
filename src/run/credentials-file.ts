/**
 * credentials.csv: the one file that holds initial passwords. Created with mode
 * 0600 before any password is set on the DC, and each row is on disk (fsync)
 * before its password is sent, so a crash can never leave an account whose
 * password nobody knows. Never logged, never printed.
 */
import { open, readFile, stat, chmod, type FileHandle } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { verbatimCsvHeader, verbatimCsvRecord } from '../csv.js';
import { RunError } from './errors.js';

const HEADER = ['userPrincipalName', 'sAMAccountName', 'password'] as const;

export interface CredentialRow {
  userPrincipalName: string;
  sAMAccountName: string;
  password: string;
}

export class CredentialsFile {
  private constructor(
    private readonly handle: FileHandle,
    readonly file: string,
    /** Passwords already on file, by UPN (lower case): reused on resume. */
    private readonly known: Map<string, CredentialRow>,
  ) {}

  static async open(file: string): Promise<CredentialsFile> {
    const known = await readCredentials(file);
    const existed = known.size > 0 || (await exists(file));
    const handle = await open(file, 'a', 0o600);
    // `mode` applies only on creation: an existing file is tightened too.
    await chmod(file, 0o600);
    if (!existed) {
      await handle.write(verbatimCsvHeader(HEADER));
      await handle.datasync();
    }
    return new CredentialsFile(handle, file, known);
  }

  passwordFor(userPrincipalName: string): string | undefined {
    return this.known.get(userPrincipalName.toLowerCase())?.password;
  }

  /** Appends a row and waits until it is on disk. */
  async record(row: CredentialRow): Promise<void> {
    await this.handle.write(verbatimCsvRecord([row.userPrincipalName, row.sAMAccountName, row.password]));
    await this.handle.datasync();
    this.known.set(row.userPrincipalName.toLowerCase(), row);
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

export async function readCredentials(file: string): Promise<Map<string, CredentialRow>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw new RunError('RUN_CREDENTIALS_READ', `cannot read ${file}`, { cause: error });
  }
  // A torn last row (killed mid-write) belongs to a password that was never sent: drop it.
  const rows = parse(text, { columns: true, skip_empty_lines: true, relax_quotes: false, skip_records_with_error: true }) as CredentialRow[];
  return new Map(rows.map((row) => [row.userPrincipalName.toLowerCase(), row]));
}

async function exists(file: string): Promise<boolean> {
  try {
    return (await stat(file)).size > 0;
  } catch {
    return false;
  }
}
