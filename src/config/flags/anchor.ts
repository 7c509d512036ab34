/** `entra2ad anchor <value>`: GUID <-> immutableId. */
import { z } from 'zod';
import { defineCommand, flag, type ArgsOf } from './flag.js';
import { outputFlag } from './output.js';

export const anchorSpec = defineCommand({
  command: 'anchor <value>',
  describe: 'Convert between an objectGUID (GUID string) and an onPremisesImmutableId (base64)',
  flags: z.object({
    value: flag(z.string(), { positional: true, describe: 'GUID or immutableId' }),
    output: outputFlag(),
  }),
  examples: [
    ['$0 anchor f7cc07d7-7c15-447d-876d-c01b0e5a9e38', 'The immutableId Entra Connect computes for this objectGUID: 1wfM9xV8fUSHbcAbDlqeOA=='],
    ['$0 anchor 1wfM9xV8fUSHbcAbDlqeOA== --output json', 'The GUID behind a cloud user\'s onPremisesImmutableId, with both forms as JSON'],
  ],
});

export type AnchorArgs = ArgsOf<typeof anchorSpec.flags>;
