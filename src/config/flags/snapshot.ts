/** `entra2ad snapshot --out FILE`: the tenant as a snapshot file for the simulator. */
import { z } from 'zod';
import { cloudSignInFlags } from './cloud.js';
import { defineCommand, flag, type ArgsOf } from './flag.js';
import { outputFlag } from './output.js';

export const snapshotSpec = defineCommand({
  command: 'snapshot',
  describe: 'Write the tenant (users, domains, roles, sync features) as a snapshot file the simulator can load',
  flags: z.object({
    ...cloudSignInFlags,
    out: flag(z.string(), { describe: 'Snapshot file to write (mode 0600)' }),
    output: outputFlag(),
  }),
  examples: [
    ['$0 snapshot --tenant-id contoso.onmicrosoft.com --client-id 00000000-0000-0000-0000-000000000000 --out tenant.json', 'Read-only: the tenant as a file to rehearse against with `entra2ad sim --tenant tenant.json`'],
  ],
});

export type SnapshotArgs = ArgsOf<typeof snapshotSpec.flags>;
