/**
 * verify warns, per user, when a mailbox user is about to be matched to an AD object
 * without its addresses (WARN_MAILBOX_LOSS, naming them), and not when the object has
 * them all. Default forest (no Exchange schema): only addresses count there.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { childDn } from '../../../src/directory/index.js';
import type { VerifyResult } from '../../../src/verify/types.js';
import { connectDirectory, useTestOu } from '../../harness/dc.js';
import { startRig } from '../../harness/rig.js';
import { describeRun } from '../../harness/run-cli.js';
import { newUser, strongPassword, uniqueSam } from '../../harness/users.js';
import { caseOf, exchangeTenant, ROUTING } from './tenant-fixture.js';

const ou = useTestOu();
let result: VerifyResult;
let stderr: string;
const annSam = uniqueSam('av');
const salesSam = uniqueSam('sv');

beforeAll(async () => {
  const rig = await startRig({ tenant: await exchangeTenant(), sim: { seed: 1 }, ou: ou.dn, label: 'verify-mbx' });
  await using dir = await connectDirectory();
  const ann = caseOf('ann');
  const sales = caseOf('sales');
  // ann: only her primary address in AD; sales: every address the cloud has.
  await dir.createUser(newUser(ou.dn, { sam: annSam, attributes: { userPrincipalName: ann.upn, mail: ann.upn, proxyAddresses: [`SMTP:${ann.upn}`] } }), strongPassword());
  await dir.createUser(
    newUser(ou.dn, { sam: salesSam, attributes: { userPrincipalName: sales.upn, mail: sales.upn, proxyAddresses: [`SMTP:${sales.upn}`, ...sales.aliases, `smtp:sales.shared@${ROUTING}`] } }),
    strongPassword(),
  );
  const run = await rig.run('verify', ['--target-ou', ou.dn, '--output', 'json']);
  expect(run.code, describeRun(run)).toBe(0);
  result = JSON.parse(run.stdout) as VerifyResult;
  stderr = run.stderr;
});

describe('verify and mailboxes', () => {
  it('warns for the mailbox user whose AD object lacks addresses, naming them', () => {
    const ann = result.predictions.find((p) => p.cloudId === caseOf('ann').id)!;
    expect(['hard-match', 'soft-match']).toContain(ann.kind);
    const w = ann.warnings?.find((x) => x.code === 'WARN_MAILBOX_LOSS');
    expect(w?.message).toContain(caseOf('ann').aliases[0]);
    expect(w?.message).toContain(`smtp:ann.archive@${ROUTING}`);
    expect(w?.message).toContain(childDn(ou.dn, 'CN', annSam));
    expect(stderr).toMatch(/WARN_MAILBOX_LOSS ann\.archive@/);
  });

  it('no warning for the one whose AD object has every address (this forest has no Exchange attributes to ask for)', () => {
    const sales = result.predictions.find((p) => p.cloudId === caseOf('sales').id)!;
    expect(['hard-match', 'soft-match']).toContain(sales.kind);
    expect(sales.warnings ?? []).toEqual([]);
  });
});
