/** `entra2ad preflight`: the tenant and user guards, alone. */
import { z } from 'zod';
import { defineCommand, type ArgsOf } from './flag.js';
import { listOutputFlag } from './output.js';
import { commonFlags } from './planning.js';

export const preflightSpec = defineCommand({
  command: 'preflight',
  describe:
    'Read the tenant (and the DC, when given) and report what would stop or block a run: tenant sync blocks, role holders, previously synced and federated users, directory conflicts; exit 1 on a tenant stop',
  flags: z.object({
    ...commonFlags,
    output: listOutputFlag(),
  }),
  examples: [
    ['$0 preflight --config entra2ad.json', 'What would stop the run or block users, before planning'],
    ['$0 preflight --config entra2ad.json --recover --output csv > blocked.csv', 'Recovery: the blocked and adopted users as CSV for Excel (tenant findings stay on stderr)'],
    ['$0 preflight --config entra2ad.json --output md', 'The same users as a Markdown table, to paste into a change ticket'],
  ],
});

export type PreflightArgs = ArgsOf<typeof preflightSpec.flags>;
