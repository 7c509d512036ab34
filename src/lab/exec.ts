/**
 * Running the Samba and iproute2 tools.
 */
import { execFile } from 'node:child_process';
import { debug } from './debug.js';

export interface ExecResult {
  stdout: string;
  stderr: string;
}

/** Runs a program without a shell. `secret` values are masked in the debug trail and in error text. */
export function exec(file: string, args: string[], options: { secret?: string[]; timeoutMs?: number } = {}): Promise<ExecResult> {
  const mask = (text: string): string => (options.secret ?? []).reduce((t, s) => (s === '' ? t : t.split(s).join('***')), text);
  debug('lab: exec %s %s', file, mask(args.join(' ')));
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: options.timeoutMs ?? 120_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        const detail = mask(`${stderr}\n${stdout}`.trim()).split('\n').slice(-15).join('\n');
        // No `cause`: Node's error carries the unmasked command line in `cmd`.
        reject(new Error(`${file} ${mask(args.join(' '))} failed (${error.code ?? error.signal ?? 'error'}):\n${detail}`));
      } else {
        resolve({ stdout, stderr });
      }
    });
  });
}
