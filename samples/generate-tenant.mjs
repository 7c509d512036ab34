#!/usr/bin/env node
// Synthetic tenant snapshots for the simulator, benchmarks and rehearsals.
//   npm run build && node samples/generate-tenant.mjs --users 100000 --seed 7 --out big-tenant.json
// The same --users/--seed always give the same file. See samples/README.md.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { generateTenant } from '../dist/samples/index.js';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string' },
    'synced-fraction': { type: 'string' },
    'no-edge-cases': { type: 'boolean', default: false },
  },
});
const users = Number(values.users);
const seed = Number(values.seed);
if (!Number.isInteger(users) || users < 1 || !Number.isInteger(seed)) {
  process.stderr.write('usage: generate-tenant.mjs --users N --seed S [--out FILE] [--synced-fraction 0.1] [--no-edge-cases]\n');
  process.exit(2);
}
const tenant = generateTenant({
  users,
  seed,
  edgeCases: !values['no-edge-cases'],
  ...(values['synced-fraction'] !== undefined ? { syncedFraction: Number(values['synced-fraction']) } : {}),
});
const json = `${JSON.stringify(tenant, null, 2)}\n`;
if (values.out) writeFileSync(values.out, json);
else process.stdout.write(json);
process.stderr.write(`${tenant.users.length} users, ${tenant.users.filter((u) => u.onPremisesSyncEnabled === true).length} synced, seed ${seed}\n`);
