/**
 * Data goes to stdout, everything else (progress, logs, summaries) to stderr,
 * so `entra2ad ... --output json | jq` always works (cli-microsoft365's rule).
 */
export const OUTPUT_FORMATS = ['text', 'json', 'none'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function writeOutput(format: OutputFormat, data: unknown, text: () => string): void {
  if (format === 'none') return;
  process.stdout.write(format === 'json' ? `${JSON.stringify(data, null, 2)}\n` : `${text()}\n`);
}

/** A line for the person at the terminal; never data, never a secret. */
export function say(line: string): void {
  process.stderr.write(`${line}\n`);
}
