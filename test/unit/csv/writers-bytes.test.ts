/**
 * Every CSV file entra2ad writes, byte for byte, for values that stress the dialect:
 * commas, quotes, line breaks, formula starts, empty and absent fields, non-ASCII.
 * The expected bytes were taken from the writers before they shared one dialect
 * module (src/csv.ts), so this proves the move changed no byte.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Plan, PlanEntry } from '../../../src/plan/types.js';
import { planToCsv } from '../../../src/report/plan-csv.js';
import { reportToCsv } from '../../../src/report/run-report.js';
import type { UserOutcome } from '../../../src/apply/outcome.js';
import { rollbackReportToCsv } from '../../../src/rollback/report.js';
import type { RollbackUserOutcome } from '../../../src/rollback/outcome.js';
import { CredentialsFile } from '../../../src/journal/credentials-file.js';
import { verifyToCsv } from '../../../src/verify/format.js';
import type { VerifyResult } from '../../../src/verify/types.js';

const AWKWARD = 'Smith, "Jo"\r\nŁukasz';

const outcome: UserOutcome = {
  cloudId: '=id',
  userPrincipalName: 'jo@contoso.example',
  action: 'create',
  outcome: 'failed',
  reason: '-REASON',
  message: AWKWARD,
  dn: '@CN=Jo,OU=X',
};

describe('CSV writers keep their bytes', () => {
  it('report.csv', () => {
    expect(reportToCsv([outcome])).toBe(
      '\uFEFF"userPrincipalName","action","outcome","reason","message","distinguishedName","objectGuid","immutableId","manager","id"\r\n"jo@contoso.example","create","failed","\'-REASON","Smith, ""Jo""\r\nŁukasz","\'@CN=Jo,OU=X","","","","\'=id"\r\n',
    );
    expect(reportToCsv([])).toBe(
      '\uFEFF"userPrincipalName","action","outcome","reason","message","distinguishedName","objectGuid","immutableId","manager","id"\r\n',
    );
  });

  it('rollback-report.csv', () => {
    const o: RollbackUserOutcome = { ...outcome, outcome: 'skipped', cloud: 'left', immutableId: '+abc==' };
    expect(rollbackReportToCsv([o])).toBe(
      '\uFEFF"userPrincipalName","outcome","reason","message","cloud","directory","distinguishedName","objectGuid","immutableId","id"\r\n"jo@contoso.example","skipped","\'-REASON","Smith, ""Jo""\r\nŁukasz","left","","\'@CN=Jo,OU=X","","\'+abc==","\'=id"\r\n',
    );
  });

  it('verify --output csv', () => {
    const result: VerifyResult = {
      sourceAnchor: 'ms-DS-ConsistencyGuid',
      summary: { 'hard-match': 0, 'soft-match': 0, duplicate: 1, blocked: 0, 'not-in-scope': 0 },
      predictions: [
        { kind: 'duplicate', reason: 'DUPLICATE_SAME_ANCHOR', message: AWKWARD, userPrincipalName: '\tjo@contoso.example', anchor: '+x/y==', cloudImmutableId: null },
      ],
    };
    expect(verifyToCsv(result)).toBe(
      '\uFEFF"userPrincipalName","prediction","reason","message","distinguishedName","objectGuid","anchor","anchorSource","cloudUserPrincipalName","cloudImmutableId","cloudId"\r\n"\'\tjo@contoso.example","duplicate","DUPLICATE_SAME_ANCHOR","Smith, ""Jo""\r\nŁukasz","","","\'+x/y==","","","",""\r\n',
    );
  });

  it('plan.csv, with and without entries', () => {
    const entry = {
      cloudId: 'id-1',
      userPrincipalName: 'jo@contoso.example',
      displayName: AWKWARD,
      action: 'create',
      reason: 'CREATE',
      message: '=1+1',
      cloud: { accountEnabled: false, department: '\rDept' },
    } as unknown as PlanEntry;
    const plan = { entries: [entry, { ...entry, cloudId: 'id-2', cloud: undefined }], summary: { byAction: {} } } as unknown as Plan;
    expect(planToCsv(plan)).toBe(
      '\uFEFF"userPrincipalName","displayName","givenName","surname","mail","department","jobTitle","accountEnabled","action","reason","message","sAMAccountName","cn","distinguishedName","id","oldSAMAccountName","oldDistinguishedName","mailbox","exchangeStamp","exchangeNotInSchema"\r\n"jo@contoso.example","Smith, ""Jo""\r\nŁukasz","","","","\'\rDept","","false","create","CREATE","\'=1+1","","","","id-1","","","","",""\r\n"jo@contoso.example","Smith, ""Jo""\r\nŁukasz","","","","","","","create","CREATE","\'=1+1","","","","id-2","","","","",""\r\n',
    );
    expect(planToCsv({ ...plan, entries: [] })).toBe(
      '\uFEFF"userPrincipalName","displayName","givenName","surname","mail","department","jobTitle","accountEnabled","action","reason","message","sAMAccountName","cn","distinguishedName","id","oldSAMAccountName","oldDistinguishedName","mailbox","exchangeStamp","exchangeNotInSchema"\r\n',
    );
  });

  it('credentials.csv: passwords verbatim, never neutralised', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'entra2ad-csv-bytes-'));
    try {
      const file = join(dir, 'credentials.csv');
      const creds = await CredentialsFile.open(file);
      await creds.record({ userPrincipalName: 'jo@contoso.example', sAMAccountName: 'jo', password: '=a,"b"\n-c' });
      await creds.record({ userPrincipalName: 'ann@contoso.example', sAMAccountName: '', password: '@x' });
      await creds.close();
      expect(await readFile(file, 'utf8')).toBe(
      'userPrincipalName,sAMAccountName,password\n"jo@contoso.example","jo","=a,""b""\n-c"\n"ann@contoso.example",,"@x"\n',
    );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
