/**
 * `--output`: where a command's data goes on stdout (src/output.ts). Commands that
 * list users (one row per user: verify, preflight) also write csv (src/csv.ts's
 * dialect) and md (a GitHub table); the others say in --help that they do not.
 */
import { LIST_OUTPUT_FORMATS, OUTPUT_FORMATS } from '../../output.js';
import { flag, oneOf } from './flag.js';

/** text | json | none, for a command that prints no per-user list. */
export const outputFlag = () =>
  flag(oneOf(OUTPUT_FORMATS).default('text'), {
    alias: 'o',
    describe: 'stdout format: text for people, json for scripts, none (no csv/md: this command lists no users)',
  });

/** text | json | csv | md | none, for a command that prints one row per user. */
export const listOutputFlag = () =>
  flag(oneOf(LIST_OUTPUT_FORMATS).default('text'), {
    alias: 'o',
    describe: 'stdout format: text for people, json/csv for scripts, md for a GitHub table (one row per user), none',
  });
