/** `entra2ad plan --out DIR`: the dry run. */
import { z } from 'zod';
import { defineCommand, flag, type ArgsOf } from './flag.js';
import { outputFlag } from './output.js';
import { commonFlags } from './planning.js';

export const planSpec = defineCommand({
  command: 'plan',
  describe: 'Dry run: read the tenant (and the DC, when given) and write plan.json, plan.csv and plan.ldif; changes nothing',
  flags: z.object({
    ...commonFlags,
    out: flag(z.string(), { describe: 'Folder to write the plan files to' }),
    output: outputFlag(),
  }),
  examples: [
    ['$0 plan --config entra2ad.json --out run-2026-11-22', 'The dry run: review run-2026-11-22/plan.csv (or plan.html), then apply its plan.json'],
    ['$0 plan --config entra2ad.json --upn-domain contoso.com --group 0d3c0e4a-5b1f-4a43-9d5e-2f6b7c8d9e01 --out run-sales', 'Only the members of one Entra group in one UPN domain'],
    ['$0 plan --config entra2ad.json --recover --map-dn DC=lost,DC=local=DC=corp,DC=example,DC=com --out run-recovery', 'Recovery after losing the DC: recreate synced users under their old names in the new domain'],
  ],
});

export type PlanArgs = ArgsOf<typeof planSpec.flags>;
