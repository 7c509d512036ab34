/** `entra2ad verify`: what the next Entra Connect sync does with each AD user. */
import { z } from 'zod';
import { SOURCE_ANCHORS, VERIFY_SCOPES } from '../../verify/types.js';
import { defineCommand, flag, oneOf, type ArgsOf } from './flag.js';
import { listOutputFlag } from './output.js';
import { commonFlags } from './planning.js';

export const verifySpec = defineCommand({
  command: 'verify',
  describe:
    'Predict what the next Entra Connect sync does with each AD user (hard-match, soft-match, duplicate, blocked, not-in-scope); exit 4 when any would become a duplicate',
  flags: z.object({
    ...commonFlags,
    scope: flag(oneOf(VERIFY_SCOPES).default('ou'), {
      describe: 'AD users to check: the target OU, or the whole domain (then cloud users without AD object are listed too)',
    }),
    'source-anchor': flag(oneOf(SOURCE_ANCHORS).default('ms-DS-ConsistencyGuid'), {
      describe: "Entra Connect's sourceAnchor (ms-DS-ConsistencyGuid falls back to objectGUID when empty)",
    }),
    output: listOutputFlag(),
  }),
  examples: [
    ['$0 verify --config entra2ad.json', 'Before the next sync: duplicates and blocked users first; exit 4 if any would become a duplicate'],
    ['$0 verify --config entra2ad.json --scope domain --output csv > verify.csv', 'Every AD user of the domain, and cloud users no AD object matches, as CSV'],
    ['$0 verify --config entra2ad.json --source-anchor objectGUID --output md', 'For an older Entra Connect (sourceAnchor objectGUID), as a Markdown table'],
  ],
});

export type VerifyArgs = ArgsOf<typeof verifySpec.flags>;
