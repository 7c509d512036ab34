/** `entra2ad rollback --run DIR --delete|--disable`: undoes what an apply run created. */
import { z } from 'zod';
import { cloudSignInFlags } from './cloud.js';
import { ldapFlags } from './directory.js';
import { defineCommand, flag, type ArgsOf } from './flag.js';
import { outputFlag } from './output.js';
import { configFlag } from './planning.js';
import { directoryConcurrencyFlag, yesFlag } from './run.js';

/** LDAP operations in flight when neither --directory-concurrency nor the config's apply.directoryConcurrency says. */
export const ROLLBACK_DIRECTORY_CONCURRENCY = 4;

export const rollbackSpec = defineCommand({
  command: 'rollback',
  describe:
    'Undo an apply run for the users it created: clear the immutableId it wrote, then delete or disable the AD object; adopted users are never touched; resumable',
  flags: z.object({
    run: flag(z.string(), { describe: 'The run folder apply used (holds journal.jsonl and plan.json)' }),
    delete: flag(z.boolean().optional(), { describe: 'Delete the AD users this run created', conflicts: 'disable' }),
    disable: flag(z.boolean().optional(), { describe: 'Disable (ACCOUNTDISABLE) the AD users this run created instead of deleting them' }),
    yes: yesFlag(),
    config: configFlag('JSON config file (its cloud and directory sections are used)'),
    'directory-concurrency': directoryConcurrencyFlag(ROLLBACK_DIRECTORY_CONCURRENCY),
    ...cloudSignInFlags,
    ...ldapFlags,
    output: outputFlag(),
  }),
  examples: [
    ['$0 rollback --config entra2ad.json --run run-2026-11-22 --delete', 'Clear the immutableIds the run wrote and delete the AD users it created (asks first)'],
    ['$0 rollback --config entra2ad.json --run run-2026-11-22 --disable --yes', 'Disable them instead, without asking; --delete later still works'],
  ],
});

export type RollbackArgs = ArgsOf<typeof rollbackSpec.flags>;
