/**
 * What only the apply tests need: a plan made on a healthy simulator for an apply
 * under another, which sample users Graph refuses (federated), and a simple bind
 * as a created user. The rig, the tenant and the other read-backs: test/harness/
 * (rig.ts, tenant.ts, ldapsearch.ts, graph.ts).
 */
import { InvalidCredentialsError } from 'ldapts';
import { expect } from 'vitest';
import type { TenantSnapshot } from '../../../src/graph/tenant-snapshot.js';
import type { SimulatorOptions } from '../../../src/sim/index.js';
import { plainLdapClient } from '../../harness/dc.js';
import { startRig, startSampleRig, tempDir, type Rig } from '../../harness/rig.js';
import { describeRun } from '../../harness/run-cli.js';

/**
 * Plans the sample tenant into a fresh run folder `dir` on a healthy simulator (stopped after, its OU
 * removed), then starts `rig` on the same tenant and target OU with the simulator options `sim`: the
 * plan's ids are the tenant's, so apply runs it under `sim`'s conditions.
 */
export async function planHealthyThenStart(label: string, sim: Omit<SimulatorOptions, 'tenant'>): Promise<{ rig: Rig; dir: string }> {
  const healthy = await startSampleRig();
  const dir = await tempDir(label);
  try {
    const planned = await healthy.plan(dir, ['--upn-domain', 'contoso.example']);
    expect(planned.code, describeRun(planned)).toBe(0);
  } finally {
    await healthy.close();
  }
  return { rig: await startRig({ tenant: healthy.tenant, ou: healthy.ou, sim }), dir };
}

/** Users whose UPN is in a Federated domain of the tenant: Graph refuses their immutableId today. */
export function federatedUpns(tenant: TenantSnapshot): Set<string> {
  const federated = new Set(tenant.domains.filter((d) => d.authenticationType === 'Federated').map((d) => d.id.toLowerCase()));
  return new Set(tenant.users.map((u) => u.userPrincipalName.toLowerCase()).filter((upn) => federated.has(upn.split('@')[1] ?? '')));
}

// ---------------------------------------------------------------- passwords

export type BindCheck = 'ok' | 'must-change' | 'wrong-password' | `other: ${string}`;

/**
 * Simple bind as `upn` with `password` on the harness DC. AD answers 49 with
 * "data 773" when the password is right but must be changed (pwdLastSet 0) and
 * "data 52e" when it is wrong; other data codes (533 disabled...) come back as is.
 */
export async function checkBind(upn: string, password: string): Promise<BindCheck> {
  const client = plainLdapClient();
  try {
    await client.bind(upn, password);
    return 'ok';
  } catch (error) {
    const message = (error as Error).message;
    if (error instanceof InvalidCredentialsError || (error as { code?: number }).code === 49) {
      if (/data 773/i.test(message)) return 'must-change';
      if (/data 52e/i.test(message)) return 'wrong-password';
    }
    return `other: ${message}`;
  } finally {
    await client.unbind().catch(() => undefined);
  }
}
