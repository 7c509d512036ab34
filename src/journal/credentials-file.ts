/**
 * credentials.csv: the one file that holds initial passwords. Created with mode
 * 0600 before any password is set on the DC, and each row is on disk (fsync)
 * before its password is sent, so a crash can never leave an account whose
 * password nobody knows. Never logged, never printed.
 */
import type { FileHandle } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { verbatimCsvHeader, verbatimCsvRecord } from '../csv.js';
import { RunError } from './errors.js';
import { openRunFileForAppend, readRunFile } from './run-files.js';

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
    // No link, no file of someone else's, mode 0600 set through the descriptor (src/journal/run-files.ts).
    const handle = await openRunFileForAppend(file);
    const existed = (await handle.stat()).size > 0;
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
    const read = await readRunFile(file);
    if (read === undefined) return new Map();
    text = read;
  } catch (error) {
    if (error instanceof RunError) throw error;
    throw new RunError('RUN_CREDENTIALS_READ', `cannot read ${file}`, { cause: error });
  }
  // A torn last row (killed mid-write) belongs to a password that was never sent: drop it.
  const rows = parse(text, { columns: true, skip_empty_lines: true, relax_quotes: false, skip_records_with_error: true }) as CredentialRow[];
  return new Map(rows.map((row) => [row.userPrincipalName.toLowerCase(), row]));
}
