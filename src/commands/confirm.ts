/**
 * Asking before the first write. Never prompts without a terminal: a script
 * must say --yes explicitly (cli-microsoft365's rule).
 */
import { createInterface } from 'node:readline/promises';
import { UsageError } from '../errors.js';

export async function confirm(summary: string, options: { yes: boolean }): Promise<boolean> {
  if (options.yes) return true;
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw new UsageError('CONFIRMATION_REQUIRED', 'this would write to the directory and the cloud; without a terminal, pass --yes to confirm', [], { field: '--yes' });
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${summary}\nType "yes" to go ahead: `);
    return answer.trim().toLowerCase() === 'yes';
  } finally {
    rl.close();
  }
}
