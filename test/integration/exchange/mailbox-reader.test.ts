/**
 * Know the mailbox: GET /users/{id}/mailboxSettings against the simulator, for each
 * kind of mailbox, a user without one (404 MailboxNotEnabledForRESTAPI), and an app
 * without MailboxSettings.Read (403: unknown, never "no mailbox", permission named).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMailboxes } from '../../../src/cloud/index.js';
import { DEFAULT_APP_PERMISSIONS } from '../../../src/sim/permissions.js';
import { startSimulator, type RunningSimulator } from '../../../src/sim/index.js';
import { graphFor } from '../../harness/graph.js';
import { CASES, caseOf, exchangeTenant } from './tenant-fixture.js';

let sim: RunningSimulator;
let refusing: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ tenant: await exchangeTenant(), throttle: false });
  const tenant = await exchangeTenant();
  tenant.app = { applicationPermissions: DEFAULT_APP_PERMISSIONS.filter((p) => p !== 'MailboxSettings.Read') };
  refusing = await startSimulator({ tenant, throttle: false });
});
afterAll(async () => {
  await sim?.close();
  await refusing?.close();
});

describe('readMailboxes', () => {
  it('tells each kind of mailbox from no mailbox', async () => {
    const facts = await readMailboxes(graphFor(sim), CASES.map((c) => c.id));
    expect(facts.get(caseOf('ann').id)).toEqual({ status: 'mailbox', userPurpose: 'user', kind: 'user' });
    expect(facts.get(caseOf('sales').id)).toMatchObject({ status: 'mailbox', kind: 'shared' });
    expect(facts.get(caseOf('room').id)).toMatchObject({ status: 'mailbox', kind: 'room' });
    expect(facts.get(caseOf('beamer').id)).toMatchObject({ status: 'mailbox', kind: 'equipment' });
    expect(facts.get(caseOf('elsewhere').id)).toEqual({ status: 'none', code: 'MailboxNotEnabledForRESTAPI' });
    expect(facts.get(caseOf('nomail').id)).toEqual({ status: 'none', code: 'MailboxNotEnabledForRESTAPI' });
  });

  it('without MailboxSettings.Read: unknown, naming the permission, and asks no further after the refusal', async () => {
    const graph = graphFor(refusing);
    await readMailboxes(graph, [CASES[0]!.id]); // token acquired
    const cost = async (ids: string[]): Promise<number> => {
      const before = refusing.stats().requests;
      await readMailboxes(graph, ids, { concurrency: 1 });
      return refusing.stats().requests - before;
    };
    // 60 users are three batches of 20; after the first batch's 403 the others are not sent.
    const many = [...CASES.map((c) => c.id), ...Array.from({ length: 53 }, (_, i) => `f0000000-0000-4000-8000-${String(i).padStart(12, '0')}`)];
    expect(await cost(many)).toBe(await cost([CASES[0]!.id]));
    const facts = await readMailboxes(graph, many, { concurrency: 1 });
    expect(facts.size).toBe(60);
    for (const fact of facts.values()) {
      expect(fact.status).toBe('unknown');
      expect(fact.status === 'unknown' && fact.code).toBe('ErrorAccessDenied');
      expect(fact.status === 'unknown' && fact.message).toMatch(/MailboxSettings\.Read/);
    }
  });
});
