/**
 * report.html in a real browser: the outcomes and the next-sync prediction of a run
 * (verify), with hostile names, no request and no console error; filtering by
 * outcome and by prediction. Screenshot: test-artifacts/report.png.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportHtmlChunks } from '../../src/report/html/report-html.js';
import type { RunReport } from '../../src/report/run-report.js';
import { summariseApply, type UserOutcome } from '../../src/apply/outcome.js';
import type { Prediction, VerifyResult } from '../../src/verify/types.js';
import { writeChunksAtomic } from '../../src/report/write-files.js';
import { launchChromium, matching, openFile, timedFilter, type OpenedPage } from '../harness/browser.js';
import { HOSTILE, artifact, artifactDir, reviewPlan } from './fixtures.js';

let browser: Browser;
let dir: string;
let report: RunReport;
let verify: VerifyResult;
let opened: OpenedPage;

/** Outcomes of a run of the review plan: one create failed, the rest as planned. */
function runOf(): { report: RunReport; verify: VerifyResult } {
  const plan = reviewPlan();
  const failUpn = 'ann@contoso.com';
  const users: UserOutcome[] = plan.entries.map((e, i) => {
    const base = { cloudId: e.cloudId, userPrincipalName: e.userPrincipalName, action: e.action };
    if (e.action === 'skip') return { ...base, outcome: 'skipped', reason: e.reason, message: e.message };
    if (e.action === 'blocked') return { ...base, outcome: 'blocked', reason: e.reason, message: e.message };
    if (e.userPrincipalName === failUpn) return { ...base, outcome: 'failed', reason: 'PASSWORD_POLICY', message: 'the DC refused the password: it is too short; raise password.length' };
    const guid = `6f1c3c84-0000-4000-8000-${String(i).padStart(12, '0')}`;
    return { ...base, outcome: 'anchored', reason: 'ANCHORED', message: `created as ${e.dn}`, dn: e.dn!, objectGuid: guid, immutableId: `id${i}==` };
  });
  const predictions: Prediction[] = users
    .filter((u) => u.outcome === 'anchored')
    .map((u, i) =>
      i === 0
        ? { kind: 'duplicate', reason: 'DUPLICATE_IMMUTABLE_ID_DIFFERS', message: `${u.userPrincipalName}: the cloud immutableId is another object's; clear it`, userPrincipalName: u.userPrincipalName, cloudId: u.cloudId }
        : { kind: 'hard-match', reason: 'HARD_MATCH', message: 'the anchors agree: the next sync hard-matches', userPrincipalName: u.userPrincipalName, cloudId: u.cloudId },
    );
  const summary = { 'hard-match': 0, 'soft-match': 0, duplicate: 0, blocked: 0, 'not-in-scope': 0 };
  for (const p of predictions) summary[p.kind]++;
  return {
    report: {
      formatVersion: 1,
      tool: { name: 'entra2ad', version: '0.1.0' },
      startedAt: '2026-12-02T10:00:00.000Z',
      finishedAt: '2026-12-02T10:01:00.000Z',
      tenantId: 'tenant-1',
      directory: 'DC=corp,DC=example,DC=test',
      targetOu: plan.targetOu,
      summary: summariseApply(users),
      users,
    },
    verify: { sourceAnchor: 'ms-DS-ConsistencyGuid', predictions, summary },
  };
}

beforeAll(async () => {
  browser = await launchChromium();
  dir = await mkdtemp(join(tmpdir(), 'entra2ad-report-html-'));
  ({ report, verify } = runOf());
  await writeChunksAtomic(join(dir, 'report.html'), reportHtmlChunks(report, verify));
  opened = await openFile(browser, join(dir, 'report.html'));
});
afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('report.html', () => {
  it('loads with no console error, no request and no dialog', () => {
    expect(opened.consoleErrors).toEqual([]);
    expect(opened.blockedRequests).toEqual([]);
    expect(opened.dialogs).toEqual([]);
  });

  it('charts the outcomes of report.json and the prediction of verify', async () => {
    for (const [k, v] of Object.entries(report.summary)) expect(await opened.page.textContent(`[data-count="${k}"] .bar-value`), k).toBe(String(v));
    for (const [k, v] of Object.entries(verify.summary)) expect(await opened.page.textContent(`[data-count="next-${k}"] .bar-value`), k).toBe(String(v));
    expect(await matching(opened.page)).toBe(report.users.length);
  });

  it('groups the failure and the duplicate with their sentences', async () => {
    expect(await opened.page.textContent('.group[data-reason="PASSWORD_POLICY"]')).toContain('raise password.length');
    expect(await opened.page.textContent('.group[data-reason="DUPLICATE_IMMUTABLE_ID_DIFFERS"]')).toContain('clear it');
  });

  it('filters by outcome and by next-sync prediction, and "Show these users" selects a group', async () => {
    const page = opened.page;
    await timedFilter(page, () => page.selectOption('select[name="outcome"]', 'anchored').then(() => undefined));
    expect(await matching(page)).toBe(report.summary.anchored);
    await timedFilter(page, () => page.selectOption('select[name="outcome"]', '').then(() => undefined));
    await timedFilter(page, () => page.selectOption('select[name="nextSync"]', 'hard-match').then(() => undefined));
    expect(await matching(page)).toBe(verify.summary['hard-match']);
    await timedFilter(page, () => page.click('.group[data-reason="PASSWORD_POLICY"] button'));
    expect(await matching(page)).toBe(1);
    expect(await page.$eval('select[name="nextSync"]', (s) => (s as unknown as { value: string }).value)).toBe('');
  });

  it('shows hostile values as text', async () => {
    const page = opened.page;
    await timedFilter(page, () => page.selectOption('select[name="outcome"]', '').then(() => undefined));
    await timedFilter(page, () => page.selectOption('select[name="reason"]', '').then(() => undefined));
    await timedFilter(page, () => page.fill('input[name="search"]', 'img'));
    expect(await matching(page)).toBe(1);
    const dn = report.users.find((u) => u.userPrincipalName === 'img@contoso.com')!.dn!;
    expect(dn).toContain('<img');
    expect(await page.$$eval('#users td', (tds, n) => tds.some((td) => td.textContent === n), dn)).toBe(true);
    expect(await page.evaluate('document.images.length')).toBe(0);
    expect(await readFile(join(dir, 'report.html'), 'utf8')).not.toContain(HOSTILE.img.slice(0, 8));
  });

  it('keeps a screenshot', async () => {
    await timedFilter(opened.page, () => opened.page.fill('input[name="search"]', ''));
    await artifactDir();
    await opened.page.screenshot({ path: artifact('report.png'), fullPage: true });
    expect((await readFile(artifact('report.png'))).subarray(1, 4).toString()).toBe('PNG');
  });
});
