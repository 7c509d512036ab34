/**
 * Data goes to stdout, everything else (progress, logs, summaries) to stderr,
 * so `entra2ad ... --output json | jq` always works (cli-microsoft365's rule).
 */
import { csvTable } from './csv.js';
import { markdownTable } from './markdown.js';

export const OUTPUT_FORMATS = ['text', 'json', 'none'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
/** A command that lists users (one row per user) also writes them as CSV or a Markdown table. */
export const LIST_OUTPUT_FORMATS = ['text', 'json', 'csv', 'md', 'none'] as const;
export type ListOutputFormat = (typeof LIST_OUTPUT_FORMATS)[number];

/** The per-user rows of a listing command, for `--output csv|md`. */
export interface Table {
  columns: readonly string[];
  rows: readonly (readonly string[])[];
}

/** Somewhere text is written: process.stdout / process.stderr, or a buffer in a test. */
export interface TextSink {
  write(text: string): unknown;
  /** Only a terminal gets a progress bar or a `\r` counter; absent means not a terminal. */
  readonly isTTY?: boolean | undefined;
}

/**
 * Where a command writes: its data to `stdout`, everything for the person to
 * `stderr`. The CLI passes the process's streams; a test passes buffers and calls
 * the command in-process.
 */
export interface CommandIo {
  stdout: TextSink;
  stderr: TextSink;
}

/** The process's own streams. */
export function processIo(): CommandIo {
  return { stdout: process.stdout, stderr: process.stderr };
}

/**
 * `data` as JSON, `text()` for people, `table()` as CSV (src/csv.ts's dialect: BOM,
 * every field quoted, CRLF, formulas neutralised) or as a Markdown table.
 */
export function writeOutput(format: ListOutputFormat, data: unknown, text: () => string, stdout: TextSink = process.stdout, table?: () => Table): void {
  if (format === 'none') return;
  if (format === 'csv' || format === 'md') {
    if (!table) throw new Error(`--output ${format}: this command lists no users`);
    const { columns, rows } = table();
    stdout.write(format === 'csv' ? csvTable(columns, rows) : markdownTable(columns, rows));
    return;
  }
  stdout.write(format === 'json' ? `${JSON.stringify(data, null, 2)}\n` : `${text()}\n`);
}

/** A line for the person at the terminal; never data, never a secret. */
export function say(line: string, stderr: TextSink = process.stderr): void {
  stderr.write(`${line}\n`);
}

/** `say` bound to one command's stderr. */
export function sayTo(stderr: TextSink): (line: string) => void {
  return (line) => say(line, stderr);
}
