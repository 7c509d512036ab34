/**
 * The Exchange stamp pass says what it left alone (WARN_EXCHANGE_DIFFERS) through
 * the apply context's `say` (the command's stderr), never on process.stderr.
 */
import pLimit from 'p-limit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DirectoryWriter } from '../../../src/apply/ports.js';
import type { UserOutcome } from '../../../src/apply/outcome.js';
import { runStampPass } from '../../../src/apply/stamp-pass.js';
import type { ApplyContext } from '../../../src/apply/user.js';
import type { Journal } from '../../../src/journal/journal.js';
import type { JournalEntry } from '../../../src/journal/records.js';
import type { PlanEntry } from '../../../src/plan/types.js';

const DN = 'CN=Ann Lee,OU=Cloud,DC=corp,DC=test';
const UPN = 'ann@corp.test';

/** What the stamp pass reads of an adopted user's entry. */
const adopted = {
  cloudId: 'ann',
  userPrincipalName: UPN,
  action: 'adopt',
  dn: DN,
  exchange: { mailbox: null, stamp: [], notInSchema: [], planned: { mail: UPN, msExchRecipientTypeDetails: '2147483648' } },
} as Partial<PlanEntry> as PlanEntry;

function world(inAd: Record<string, string[]>) {
  const lines: string[] = [];
  const journal: JournalEntry[] = [];
  const added: Record<string, readonly string[]>[] = [];
  const directory = {
    readValues: async (_dn: string, names: readonly string[]) => Object.fromEntries(names.map((n) => [n, inAd[n] ?? []])),
    addValues: async (_dn: string, add: Readonly<Record<string, readonly string[]>>) => void added.push(add),
  } as unknown as DirectoryWriter;
  const ctx = {
    directory,
    journal: { append: async (e: JournalEntry) => void journal.push(e) } as unknown as Journal,
    directoryLimit: pLimit(1),
    say: (line: string) => void lines.push(line),
  } as unknown as ApplyContext;
  const outcomes: UserOutcome[] = [{ cloudId: 'ann', userPrincipalName: UPN, action: 'adopt', outcome: 'anchored', dn: DN, reason: 'ADOPTED_AND_ANCHORED', message: '' }];
  return { ctx, lines, journal, added, outcomes };
}

afterEach(() => vi.restoreAllMocks());

describe('runStampPass', () => {
  it('a value set by hand that differs: WARN_EXCHANGE_DIFFERS through ctx.say, not process.stderr; the missing value added', async () => {
    const processStderr = vi.spyOn(process.stderr, 'write');
    const w = world({ mail: ['ann.lee@corp.test'] });
    await runStampPass(w.ctx, [adopted], w.outcomes);
    expect(w.lines).toEqual([`WARN_EXCHANGE_DIFFERS ${UPN}: mail is ann.lee@corp.test in AD, ${UPN} in the cloud; left as it is`]);
    expect(processStderr.mock.calls.filter(([text]) => String(text).includes('WARN_EXCHANGE_DIFFERS'))).toEqual([]);
    expect(w.added).toEqual([{ msExchRecipientTypeDetails: ['2147483648'] }]);
    expect(w.outcomes[0]!.exchange).toEqual({
      added: ['msExchRecipientTypeDetails'],
      differences: [{ attribute: 'mail', ad: ['ann.lee@corp.test'], planned: [UPN] }],
      lostAddresses: [],
    });
  });

  it('nothing differs: nothing said', async () => {
    const w = world({ mail: [UPN], msExchRecipientTypeDetails: ['2147483648'] });
    await runStampPass(w.ctx, [adopted], w.outcomes);
    expect(w.lines).toEqual([]);
    expect(w.journal).toEqual([{ kind: 'exchange-stamped', cloudId: 'ann', dn: DN, attributes: [] }]);
  });
});
