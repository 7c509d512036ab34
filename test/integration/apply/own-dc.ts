/**
 * Read-backs for the apply tests that run against a DC of their own
 * (test/harness/dc.ts startOwnDc): AD through a client of the test's own, the
 * run's progress through its journal.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SambaDc } from '../../../src/lab/index.js';
import { plainLdapClient } from '../../harness/dc.js';
import { describeRun, type CliResult } from '../../harness/run-cli.js';

/** How many objects in the DC's domain carry each UPN (lower case). */
export async function upnCounts(dc: SambaDc): Promise<Map<string, number>> {
  const client = plainLdapClient(dc);
  try {
    await client.bind(dc.bindDn, dc.bindPassword);
    const { searchEntries } = await client.search(dc.baseDn, {
      scope: 'sub',
      filter: '(&(objectClass=user)(userPrincipalName=*))',
      attributes: ['userPrincipalName'],
      paged: { pageSize: 500 },
    });
    const counts = new Map<string, number>();
    for (const entry of searchEntries) {
      const upn = String(entry.userPrincipalName).toLowerCase();
      counts.set(upn, (counts.get(upn) ?? 0) + 1);
    }
    return counts;
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

export async function journalCount(runDir: string, kind: string): Promise<number> {
  try {
    const text = await readFile(join(runDir, 'journal.jsonl'), 'utf8');
    return text.split('\n').filter((line) => line.includes(`"kind":"${kind}"`)).length;
  } catch {
    return 0;
  }
}

/** Resolves once the run has journaled `n` created users (so the DC goes away mid-creates, not before them). */
export async function whenCreated(runDir: string, n: number, run: Promise<CliResult>): Promise<void> {
  let ended = false;
  void run.then(() => (ended = true));
  for (;;) {
    if ((await journalCount(runDir, 'created')) >= n) return;
    if (ended) throw new Error(`the apply ended before ${n} users were created: ${describeRun(await run)}`);
    await sleep(50);
  }
}
