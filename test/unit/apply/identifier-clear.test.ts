import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Plan, PlanEntry } from '../../../src/plan/types.js';
import { clearCandidates, clearObjectIdentifiers, type IdentifierClearPorts } from '../../../src/apply/identifier-clear.js';
import { Journal, readJournal } from '../../../src/journal/journal.js';
import { foldJournal, type RunState } from '../../../src/journal/state.js';
import { RunError } from '../../../src/journal/errors.js';

const GUID_A = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const GUID_B = '1f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const ANCHOR_A = 'AAECAwQFBgcICQoLDA0ODw==';
const ANCHOR_B = 'EBESExQVFhcYGRobHB0eHw==';

const entry = (cloudId: string, extra: Partial<PlanEntry> = {}): PlanEntry =>
  ({ cloudId, userPrincipalName: `${cloudId}@x.example`, displayName: cloudId, action: 'create', reason: 'RECOVER_CONSISTENCY_GUID', message: '', currentImmutableId: null, fingerprint: 'f', ...extra }) as PlanEntry;
const plan = (entries: PlanEntry[]) => ({ tenantId: 't', entries }) as unknown as Plan;

let dir: string;
let journal: Journal;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'entra2ad-clear-'));
  ({ journal } = await Journal.open(join(dir, 'journal.jsonl')));
});
afterEach(async () => {
  await journal.close().catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

/** A state where a and b were created, read back and stamped by apply. */
const appliedState = (): RunState => foldJournal([...appliedStateRecords()]);

function fakePorts(opts: { ad?: Record<string, string | undefined>; identifiers: Record<string, string | null>; forbid?: boolean }) {
  const patches: string[] = [];
  const ports: IdentifierClearPorts = {
    async readAd(guid) {
      const ad = opts.ad ?? { [GUID_A]: ANCHOR_A, [GUID_B]: ANCHOR_B };
      return guid in ad ? { dn: `CN=${guid}`, consistencyGuid: ad[guid] } : undefined;
    },
    async readIdentifier(id) {
      return opts.identifiers[id] ?? null;
    },
    async clear(id) {
      if (opts.forbid) throw Object.assign(new Error('Insufficient privileges'), { forbidden: true });
      patches.push(id);
      opts.identifiers[id] = null;
    },
    isForbidden: (e) => (e as { forbidden?: boolean }).forbidden === true,
  };
  return { ports, patches };
}

const recovered = [entry('a', { recoverConsistencyGuid: ANCHOR_A }), entry('b', { recoverConsistencyGuid: ANCHOR_B }), entry('new'), entry('c', { recoverConsistencyGuid: ANCHOR_A })];

describe('clearCandidates', () => {
  it('recovered users only; those apply has not completed are not ready', () => {
    const got = clearCandidates(plan(recovered), appliedState()).map((c) => [c.entry.cloudId, c.kind]);
    expect(got).toEqual([['a', 'ready'], ['b', 'ready'], ['c', 'not-ready']]);
  });
});

describe('clearObjectIdentifiers', () => {
  it('clears each identifier-bearing user once, journals start and done, and a second run writes nothing', async () => {
    const identifiers: Record<string, string | null> = { a: 'old-a', b: null };
    const { ports, patches } = fakePorts({ identifiers });
    const first = await clearObjectIdentifiers(ports, journal, clearCandidates(plan(recovered), appliedState()));
    expect(first.map((o) => [o.cloudId, o.outcome])).toEqual([['a', 'cleared'], ['b', 'already-clear'], ['c', 'not-ready']]);
    expect(patches).toEqual(['a']);
    await journal.close();
    const records = await readJournal(join(dir, 'journal.jsonl'));
    expect(records.map((r) => r.kind)).toEqual(['identifier-clear-start', 'identifier-cleared', 'identifier-cleared']);
    const state = foldJournal([...(appliedStateRecords()), ...records]);
    ({ journal } = await Journal.open(join(dir, 'journal.jsonl')));
    const second = await clearObjectIdentifiers(ports, journal, clearCandidates(plan(recovered), state));
    expect(second.map((o) => o.outcome)).toEqual(['done-earlier', 'done-earlier', 'not-ready']);
    expect(patches).toEqual(['a']);
  });

  it('a crash after the PATCH (start journaled, done not): the re-run reads null and writes nothing', async () => {
    const identifiers: Record<string, string | null> = { a: null, b: 'old-b' };
    const { ports, patches } = fakePorts({ identifiers });
    const state = foldJournal([...appliedStateRecords(), { kind: 'identifier-clear-start', at: 'x', cloudId: 'a', objectGuid: GUID_A }]);
    const out = await clearObjectIdentifiers(ports, journal, clearCandidates(plan(recovered.slice(0, 2)), state));
    expect(out.map((o) => [o.cloudId, o.outcome])).toEqual([['a', 'already-clear'], ['b', 'cleared']]);
    expect(patches).toEqual(['b']);
  });

  it('keeps the identifier when the AD object is gone or carries another ConsistencyGuid', async () => {
    const identifiers: Record<string, string | null> = { a: 'old-a', b: 'old-b' };
    const { ports, patches } = fakePorts({ ad: { [GUID_B]: ANCHOR_A }, identifiers });
    const out = await clearObjectIdentifiers(ports, journal, clearCandidates(plan(recovered.slice(0, 2)), appliedState()));
    expect(out.map((o) => o.reason)).toEqual(['OBJECT_IDENTIFIER_KEPT_NO_AD_OBJECT', 'OBJECT_IDENTIFIER_KEPT_ANCHOR_DIFFERS']);
    expect(patches).toEqual([]);
    expect(identifiers).toEqual({ a: 'old-a', b: 'old-b' });
  });

  it('a 403 stops at the first user with the permission and role named; the others are untouched', async () => {
    const identifiers: Record<string, string | null> = { a: 'old-a', b: 'old-b' };
    const { ports } = fakePorts({ identifiers, forbid: true });
    const error = await clearObjectIdentifiers(ports, journal, clearCandidates(plan(recovered.slice(0, 2)), appliedState())).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunError);
    expect((error as RunError).reason).toBe('OBJECT_IDENTIFIER_CLEAR_FORBIDDEN');
    expect((error as RunError).message).toMatch(/User-OnPremisesSyncBehavior\.ReadWrite\.All.*Hybrid Identity Administrator/);
    expect(identifiers).toEqual({ a: 'old-a', b: 'old-b' });
    await journal.close();
    const kinds = (await readJournal(join(dir, 'journal.jsonl'))).map((r) => [r.kind, 'cloudId' in r ? r.cloudId : '']);
    expect(kinds).toEqual([['identifier-clear-start', 'a'], ['identifier-clear-failed', 'a']]);
  });
});

function appliedStateRecords() {
  return [
    { kind: 'created', at: 'x', cloudId: 'a', dn: 'CN=A,OU=X,DC=d' },
    { kind: 'guid', at: 'x', cloudId: 'a', dn: 'CN=A,OU=X,DC=d', objectGuid: GUID_A },
    { kind: 'anchored', at: 'x', cloudId: 'a', immutableId: ANCHOR_A, outcome: 'not-needed' },
    { kind: 'created', at: 'x', cloudId: 'b', dn: 'CN=B,OU=X,DC=d' },
    { kind: 'guid', at: 'x', cloudId: 'b', dn: 'CN=B,OU=X,DC=d', objectGuid: GUID_B },
    { kind: 'anchored', at: 'x', cloudId: 'b', immutableId: ANCHOR_B, outcome: 'not-needed' },
  ] as const;
}
