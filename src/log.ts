/**
 * The per-run JSON-lines log (pino). Secrets are redacted by key wherever they
 * appear, as a second line of defence: the code never passes them in the first place.
 */
import { pino, type Logger } from 'pino';
import { openRunFileForAppendSync } from './journal/run-files.js';

export const REDACTED_KEYS = ['password', 'clientSecret', 'bindPassword', 'secret', 'accessToken', 'token', 'authorization', 'unicodePwd'];

export function createRunLogger(file: string | undefined): Logger {
  if (!file) return pino({ level: 'silent' });
  return pino(
    {
      level: process.env.ENTRA2AD_LOG_LEVEL ?? 'info',
      base: { pid: process.pid },
      redact: { paths: REDACTED_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]), censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    // Opened like every run-folder file: no link, no file of someone else's, 0600 (src/journal/run-files.ts).
    pino.destination({ dest: openRunFileForAppendSync(file), sync: true }),
  );
}
