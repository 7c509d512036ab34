/**
 * Asking before the first write. Never prompts without a terminal: a script
 * must say --yes explicitly (cli-microsoft365's rule). The question goes to the
 * command's stderr (src/output.ts CommandIo), never to stdout, which carries data.
 */
import { createInterface } from 'node:readline/promises';
import { UsageError } from '../errors.js';
import type { TextSink } from '../output.js';

export interface ConfirmOptions {
  yes: boolean;
  /** Where the question is written: the command's stderr. */
  stderr: TextSink;
  /** Where the answer is read; default process.stdin (a test passes its own). */
  stdin?: NodeJS.ReadableStream & { readonly isTTY?: boolean };
}

export async function confirm(summary: string, options: ConfirmOptions): Promise<boolean> {
  if (options.yes) return true;
  const stdin = options.stdin ?? process.stdin;
  if (!stdin.isTTY || !options.stderr.isTTY) {
    throw new UsageError('CONFIRMATION_REQUIRED', 'this would write to the directory and the cloud; without a terminal, pass --yes to confirm', [], { field: '--yes' });
  }
  // The question through the sink, the answer a line from stdin (the terminal echoes it).
  options.stderr.write(`${summary}\nType "yes" to go ahead: `);
  const rl = createInterface({ input: stdin, terminal: false });
  try {
    const answer = await rl.question('');
    return answer.trim().toLowerCase() === 'yes';
  } finally {
    rl.close();
  }
}
