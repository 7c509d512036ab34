/** Flags of the two commands that write to AD and the cloud (apply, rollback). */
import { z } from 'zod';
import { DIRECTORY_CONCURRENCY_RANGE } from '../config-file.js';
import { flag, wholeNumber } from './flag.js';

/** LDAP operations in flight; the same bounds as the config file's apply.directoryConcurrency. */
export const directoryConcurrencyFlag = (fallback: number) =>
  flag(wholeNumber(DIRECTORY_CONCURRENCY_RANGE.min, DIRECTORY_CONCURRENCY_RANGE.max).optional(), { describe: `LDAP operations in flight [default: the config file's apply.directoryConcurrency, else ${fallback}]` });

export const yesFlag = () => flag(z.boolean().optional(), { alias: 'y', describe: 'Do not ask for confirmation (required without a terminal)' });
