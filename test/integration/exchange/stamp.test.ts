/**
 * Stamp what a remote mailbox needs: plan (with the Exchange CSV) then apply through the
 * built CLI, against our own tenant fixture (tenant-fixture.ts) in the simulator, in a
 * forest WITH the Exchange schema (a second lab DC, test/harness/exchange-dc.ts) and in
 * the harness's default forest WITHOUT it. Checked from the outside with ldapsearch,
 * every stamped attribute and value; expectations are the published values
 * (src/exchange/recipient-values.ts), written out here, not computed by the code under test.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guidToBytes } from '../../../src/anchor/index.js';
import { childDn } from '../../../src/directory/index.js';
import type { SambaDc } from '../../../src/lab/index.js';
import type { Plan, PlanEntry } from '../../../src/plan/types.js';
import { dcInfo, plainLdapClient, uniqueSuffix, type DcInfo } from '../../harness/dc.js';
import { startExchangeDc } from '../../harness/exchange-dc.js';
import { ldapsearch, ldifValues } from '../../harness/ldapsearch.js';
import { planThenApply, readPlan, startRig, tempDir, type Rig } from '../../harness/rig.js';
import { describeRun } from '../../harness/run-cli.js';
import { CASES, caseOf, exchangeTenant, exoCsvText, ROUTING } from './tenant-fixture.js';

const ATTRS = ['mail', 'mailNickname', 'proxyAddresses', 'targetAddress', 'msExchRecipientTypeDetails', 'msExchRecipientDisplayType', 'msExchRemoteRecipientType', 'msExchMailboxGuid', 'msExchArchiveGuid'];

interface Forest {
  rig: Rig;
  dc: DcInfo;
  plan: Plan;
  planOut: string;
  ad: Map<string, string>;
}

/** plan (+ CSV) then apply into a fresh OU of `ownDc` (default: the harness DC); the LDIF of each user, by UPN. */
async function planAndApply(csvFile: string, ownDc?: DcInfo): Promise<Forest> {
  const dc = ownDc ?? dcInfo();
  const rig = await startRig({ tenant: await exchangeTenant(), sim: { seed: 1 }, ou: childDn(dc.baseDn, 'OU', `exo-${uniqueSuffix()}`), label: 'exo-run', dc: ownDc });
  const { plan, planned } = await planThenApply(rig, ['--exchange-csv', csvFile]);
  const { stdout } = await ldapsearch(rig.ou, 'one', ['userPrincipalName', ...ATTRS], dc);
  const ad = new Map<string, string>();
  for (const block of stdout.split(/\n\n+/)) {
    const upn = ldifValues(block, 'userPrincipalName')[0]?.value;
    if (upn) ad.set(upn.toLowerCase(), block);
  }
  return { rig, dc, plan, planOut: planned.stdout + planned.stderr, ad };
}

const values = (f: Forest, key: string, attr: string): string[] => ldifValues(f.ad.get(caseOf(key).upn)!, attr).map((v) => (v.base64 ? `b64:${v.value}` : v.value));
const guidB64 = (guid: string): string => `b64:${Buffer.from(guidToBytes(guid)).toString('base64')}`;
const entryOf = (f: Forest, key: string): PlanEntry => f.plan.entries.find((e) => e.userPrincipalName === caseOf(key).upn)!;

let exo: SambaDc | undefined;
let exoInfo: DcInfo;
let csvFile: string;
let withSchema: Forest;
let withoutSchema: Forest;

beforeAll(async () => {
  const dir = await tempDir('csv');
  csvFile = join(dir, 'mailboxes.csv');
  await writeFile(csvFile, exoCsvText());
  const started = await startExchangeDc();
  exo = started.dc;
  exoInfo = started.info;
  withSchema = await planAndApply(csvFile, exoInfo);
  withoutSchema = await planAndApply(csvFile);
});
afterAll(async () => {
  await withSchema?.rig.close();
  await withoutSchema?.rig.close();
  await exo?.stop();
});

describe('a forest with the Exchange schema', () => {
  it('the plan records what the forest has and, per user, what is stamped', () => {
    expect(withSchema.plan.exchangeSchema?.source).toBe('directory');
    expect(withSchema.plan.exchangeSchema?.attributes).toContain('msExchMailboxGuid');
    expect(withSchema.plan.exchangeCsv).toEqual({ rows: 4, problems: [] });
    expect(entryOf(withSchema, 'ann').exchange).toMatchObject({ mailbox: 'user', notInSchema: [] });
    expect(entryOf(withSchema, 'ann').exchange!.stamp).toEqual(expect.arrayContaining(['mail', 'proxyAddresses', 'mailNickname', 'targetAddress', 'msExchMailboxGuid', 'msExchArchiveGuid']));
  });

  it('a user mailbox with aliases and an archive: every attribute and value', () => {
    const ann = caseOf('ann');
    expect(values(withSchema, 'ann', 'mail')).toEqual([ann.upn]);
    expect(values(withSchema, 'ann', 'mailNickname')).toEqual(['ann.archive']);
    expect(values(withSchema, 'ann', 'proxyAddresses').sort()).toEqual(
      [`SMTP:${ann.upn}`, ...ann.aliases, `smtp:ann.archive@${ROUTING}`, `X500:${ann.csv!.legacyDn}`].sort(),
    );
    expect(values(withSchema, 'ann', 'targetAddress')).toEqual([`SMTP:ann.archive@${ROUTING}`]);
    expect(values(withSchema, 'ann', 'msExchRecipientTypeDetails')).toEqual(['2147483648']); // RemoteUserMailbox
    expect(values(withSchema, 'ann', 'msExchRecipientDisplayType')).toEqual(['-1073741818']); // ACLableSyncedMailboxUser
    expect(values(withSchema, 'ann', 'msExchRemoteRecipientType')).toEqual(['3']); // ProvisionMailbox | ProvisionArchive
    expect(values(withSchema, 'ann', 'msExchMailboxGuid')).toEqual([guidB64(ann.csv!.exchangeGuid)]);
    expect(values(withSchema, 'ann', 'msExchArchiveGuid')).toEqual([guidB64(ann.csv!.archiveGuid)]);
  });

  it.each([
    ['sales', '34359738368', '-2147483642', '97'], // RemoteSharedMailbox, SyncedMailboxUser, ProvisionMailbox|SharedMailbox
    ['room', '8589934592', '-2147481850', '33'], // RemoteRoomMailbox, SyncedConferenceRoomMailbox, ProvisionMailbox|RoomMailbox
    ['beamer', '17179869184', '-2147481594', '65'], // RemoteEquipmentMailbox, SyncedEquipmentMailbox, ProvisionMailbox|EquipmentMailbox
  ])('%s: the remote values of its kind, its GUID and X500, no archive', (key, details, display, remote) => {
    const c = caseOf(key);
    expect(values(withSchema, key, 'msExchRecipientTypeDetails')).toEqual([details]);
    expect(values(withSchema, key, 'msExchRecipientDisplayType')).toEqual([display]);
    expect(values(withSchema, key, 'msExchRemoteRecipientType')).toEqual([remote]);
    expect(values(withSchema, key, 'targetAddress')).toEqual([`SMTP:${c.upn.split('@')[0]}@${ROUTING}`]);
    expect(values(withSchema, key, 'msExchMailboxGuid')).toEqual([guidB64(c.csv!.exchangeGuid)]);
    expect(values(withSchema, key, 'msExchArchiveGuid')).toEqual([]);
    expect(values(withSchema, key, 'proxyAddresses')).toContain(`X500:${c.csv!.legacyDn}`);
  });

  it('a mailbox the CSV does not list: its kind and routing, no GUID, and the plan says why', () => {
    expect(values(withSchema, 'bob', 'msExchRecipientTypeDetails')).toEqual(['2147483648']);
    expect(values(withSchema, 'bob', 'msExchMailboxGuid')).toEqual([]);
    expect(entryOf(withSchema, 'bob').warnings?.map((w) => w.code)).toContain('WARN_NO_EXCHANGE_GUID');
  });

  it('no Exchange Online mailbox: its addresses only; no mail at all: nothing', () => {
    expect(values(withSchema, 'elsewhere', 'mail')).toEqual([caseOf('elsewhere').upn]);
    for (const attr of ['targetAddress', 'msExchRecipientTypeDetails', 'msExchMailboxGuid']) expect(values(withSchema, 'elsewhere', attr)).toEqual([]);
    for (const attr of ATTRS.filter((a) => a !== 'mailNickname')) expect(values(withSchema, 'nomail', attr)).toEqual([]);
    expect(entryOf(withSchema, 'nomail').exchange?.mailbox).toBeNull();
  });

  it('every user of the fixture is in AD', () => {
    expect(withSchema.ad.size).toBe(CASES.length);
  });
});

describe('a forest without the Exchange schema', () => {
  it('stamps mail and proxyAddresses only, and the plan says so and what to do', () => {
    expect(withoutSchema.plan.exchangeSchema).toEqual({ source: 'directory', attributes: [] });
    expect(withoutSchema.planOut).toMatch(/Exchange schema: none .*only mail and proxyAddresses.*PrepareSchema.*2\.5\.76/s);
    for (const key of ['ann', 'sales', 'room', 'beamer']) {
      const c = caseOf(key);
      expect(values(withoutSchema, key, 'mail')).toEqual([c.upn]);
      // The X500 of the CSV still goes into proxyAddresses (a base-schema attribute): replies to old mail keep working.
      expect(values(withoutSchema, key, 'proxyAddresses')).toContain(`X500:${c.csv!.legacyDn}`);
      for (const attr of ['mailNickname', 'targetAddress', 'msExchRecipientTypeDetails', 'msExchMailboxGuid']) expect(values(withoutSchema, key, attr)).toEqual([]);
      const e = entryOf(withoutSchema, key);
      expect(e.exchange?.notInSchema).toEqual(expect.arrayContaining(['mailNickname', 'targetAddress', 'msExchRecipientTypeDetails', 'msExchMailboxGuid']));
      expect(e.warnings?.map((w) => w.code)).toContain('WARN_EXCHANGE_NOT_IN_SCHEMA');
    }
  });
});

describe('a hostile Exchange CSV', () => {
  async function planWith(csv: string): Promise<{ plan: Plan; out: string }> {
    const rig = await startRig({ tenant: await exchangeTenant(), sim: { seed: 1 }, dc: exoInfo, ou: childDn(exoInfo.baseDn, 'OU', `h-${uniqueSuffix()}`), label: 'exo-hostile' });
    try {
      const file = join(rig.dir, 'hostile.csv');
      await writeFile(file, csv);
      const run = await rig.plan(rig.dir, ['--exchange-csv', file]);
      expect(run.code, describeRun(run)).toBe(0);
      return { plan: await readPlan(rig.dir), out: run.stdout + run.stderr };
    } finally {
      await rig.close();
    }
  }
  // The fixture's users exist in this forest already (the apply above): the plan adopts them, with the mailbox values planned.
  const planned = (e: PlanEntry): Record<string, string | string[]> | undefined => (e.action === 'create' ? e.attributes : e.exchange?.planned);
  const q = (cells: string[]): string => cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(',');
  const header = q(['UserPrincipalName', 'ExchangeGuid', 'ArchiveGuid', 'LegacyExchangeDN', 'RecipientTypeDetails', 'PrimarySmtpAddress']);
  const rowOf = (key: string, over: Partial<Record<'guid' | 'legacy', string>> = {}): string => {
    const c = caseOf(key);
    return q([c.upn, over.guid ?? c.csv!.exchangeGuid, c.csv!.archiveGuid, over.legacy ?? c.csv!.legacyDn, c.csv!.type, c.upn]);
  };

  it('wrong columns: one file-level problem, the plan goes on without the CSV', async () => {
    const { plan, out } = await planWith('"Name","Guid"\r\n"ann","x"\r\n');
    expect(plan.exchangeCsv?.rows).toBe(0);
    expect(plan.exchangeCsv?.problems.map((p) => p.code)).toEqual(['EXO_CSV_COLUMNS']);
    expect(out).toMatch(/EXO_CSV_COLUMNS/);
    expect(plan.entries.filter((e) => e.action === 'create' || e.action === 'adopt')).toHaveLength(CASES.length);
    expect(entryOf({ plan } as Forest, 'ann').warnings?.map((w) => w.code)).toContain('WARN_NO_EXCHANGE_GUID');
  });

  it('duplicate rows, a GUID that is not one, a formula, an unknown user: row-level problems, the good row still used', async () => {
    const csv = [
      header, // line 1
      rowOf('ann'), // 2: good
      rowOf('sales'), // 3
      rowOf('sales'), // 4: duplicate
      rowOf('room', { guid: 'not-a-guid' }), // 5
      rowOf('beamer', { legacy: '=HYPERLINK("http://evil.example","x")' }), // 6
      q(['ghost@contoso.example', '55555555-6666-4777-8888-999999999999', '', '', 'UserMailbox', 'ghost@contoso.example']), // 7
    ].join('\r\n');
    const { plan } = await planWith(`${csv}\r\n`);
    const problems = plan.exchangeCsv!.problems.map((p) => [p.code, p.row, p.user]);
    expect(problems).toEqual([
      ['EXO_CSV_DUPLICATE_UPN', 4, caseOf('sales').upn],
      ['EXO_CSV_BAD_GUID', 5, caseOf('room').upn],
      ['EXO_CSV_FORMULA', 6, caseOf('beamer').upn],
      ['EXO_CSV_UNKNOWN_USER', 7, 'ghost@contoso.example'],
    ]);
    expect(plan.exchangeCsv!.rows).toBe(1);
    expect(planned(entryOf({ plan } as Forest, 'ann'))?.['msExchMailboxGuid']).toBe(caseOf('ann').csv!.exchangeGuid);
    for (const key of ['sales', 'room', 'beamer']) {
      const e = entryOf({ plan } as Forest, key);
      expect(['create', 'adopt']).toContain(e.action);
      expect(planned(e)?.['msExchMailboxGuid']).toBeUndefined();
      expect(planned(e)?.['msExchRecipientTypeDetails']).toBeDefined(); // Graph still says which kind
    }
    expect(JSON.stringify(plan)).not.toMatch(/HYPERLINK/);
  });
});

describe('re-running stamps what is missing, never twice, never over a hand-made change', () => {
  /** plan + apply again with the same simulator (the users now carry their anchors); journal records and stderr. */
  async function rerun(f: Forest): Promise<{ plan: Plan; stamped: { cloudId: string; attributes: string[] }[]; stderr: string }> {
    const work = await tempDir('rerun');
    const planRun = await f.rig.plan(work, ['--exchange-csv', csvFile]);
    expect(planRun.code, describeRun(planRun)).toBe(0);
    const applyRun = await f.rig.apply(['--plan', join(work, 'plan.json'), '--yes']);
    expect(applyRun.code, describeRun(applyRun)).toBe(0);
    const journal = (await readFile(join(work, 'journal.jsonl'), 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { kind: string; cloudId: string; attributes: string[] });
    return { plan: await readPlan(work), stamped: journal.filter((r) => r.kind === 'exchange-stamped' && r.attributes.length > 0), stderr: applyRun.stderr };
  }

  it('adds what an object lacks, reports what the admin changed, and a second re-run adds nothing', async () => {
    const f = withSchema;
    const dn = (key: string): string => f.plan.entries.find((e) => e.userPrincipalName === caseOf(key).upn)!.dn!;
    // Since the first run: ann's archive GUID and sales's routing address are gone, the admin renamed the room's alias.
    const { Change, Attribute } = await import('ldapts');
    const client = plainLdapClient(f.dc);
    await client.bind(f.dc.bindDn, f.dc.bindPassword);
    try {
      await client.modify(dn('ann'), new Change({ operation: 'delete', modification: new Attribute({ type: 'msExchArchiveGuid' }) }));
      await client.modify(dn('sales'), new Change({ operation: 'delete', modification: new Attribute({ type: 'targetAddress' }) }));
      await client.modify(dn('room'), new Change({ operation: 'replace', modification: new Attribute({ type: 'mailNickname', values: ['fjord-room'] }) }));
    } finally {
      await client.unbind();
    }

    const first = await rerun(f);
    // The users carry their anchors now: skipped, with the mailbox values planned for the stamp.
    const ann = first.plan.entries.find((e) => e.cloudId === caseOf('ann').id)!;
    expect(ann.reason).toBe('SKIP_HAS_IMMUTABLE_ID');
    expect(ann.exchange?.planned?.['msExchArchiveGuid']).toBe(caseOf('ann').csv!.archiveGuid);
    expect(first.stamped.map((r) => [r.cloudId, r.attributes]).sort()).toEqual(
      [
        [caseOf('ann').id, ['msExchArchiveGuid']],
        [caseOf('sales').id, ['targetAddress']],
      ].sort(),
    );
    expect(first.stderr).toMatch(/WARN_EXCHANGE_DIFFERS room\.fjord@contoso\.example: mailNickname is fjord-room in AD, room\.fjord in the cloud/);
    const { stdout } = await ldapsearch(f.rig.ou, 'one', ['userPrincipalName', ...ATTRS], f.dc);
    const blocks = new Map(stdout.split(/\n\n+/).map((b) => [ldifValues(b, 'userPrincipalName')[0]?.value.toLowerCase() ?? '', b]));
    const v = (key: string, attr: string): string[] => ldifValues(blocks.get(caseOf(key).upn)!, attr).map((x) => (x.base64 ? `b64:${x.value}` : x.value));
    expect(v('ann', 'msExchArchiveGuid')).toEqual([guidB64(caseOf('ann').csv!.archiveGuid)]);
    expect(v('sales', 'targetAddress')).toEqual([`SMTP:sales.shared@${ROUTING}`]);
    expect(v('room', 'mailNickname')).toEqual(['fjord-room']);

    const second = await rerun(f);
    expect(second.stamped).toEqual([]);
    expect(second.stderr).toMatch(/WARN_EXCHANGE_DIFFERS room\.fjord/);
  });
});
