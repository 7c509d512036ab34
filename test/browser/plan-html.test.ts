/**
 * plan.html in a real browser (Debian's chromium, headless): loads nothing, logs no
 * error, shows the counts plan.json has, filters and searches, and shows hostile
 * display names as text. Screenshot: test-artifacts/plan.png.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planStream } from '../../src/plan/build-plan.js';
import type { Plan } from '../../src/plan/types.js';
import { parsePlan } from '../../src/plan/plan-json.js';
import { writePlanStream } from '../../src/report/plan-files.js';
import { launchChromium, matching, openFile, timedFilter, type OpenedPage } from '../harness/browser.js';
import { HOSTILE, artifact, artifactDir, reviewPlanInput } from './fixtures.js';

let browser: Browser;
let dir: string;
let plan: Plan;
let html: string;
let opened: OpenedPage;

beforeAll(async () => {
  browser = await launchChromium();
  dir = await mkdtemp(join(tmpdir(), 'entra2ad-plan-html-'));
  // Written the way `entra2ad plan` writes it: streamed, with the other plan files.
  await writePlanStream(dir, planStream(reviewPlanInput()));
  plan = parsePlan(await readFile(join(dir, 'plan.json'), 'utf8'));
  html = await readFile(join(dir, 'plan.html'), 'utf8');
  opened = await openFile(browser, join(dir, 'plan.html'));
});

afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const count = (action: string) => plan.entries.filter((e) => e.action === action).length;

describe('plan.html', () => {
  it('loads with no console error, no request and no dialog', () => {
    expect(opened.consoleErrors).toEqual([]);
    expect(opened.blockedRequests).toEqual([]);
    expect(opened.dialogs).toEqual([]);
  });

  it('charts the counts of plan.json', async () => {
    expect(count('blocked')).toBeGreaterThan(0);
    for (const action of ['create', 'adopt', 'skip', 'blocked'] as const) {
      const shown = await opened.page.textContent(`[data-count="${action}"] .bar-value`);
      expect(shown, action).toBe(plan.summary.byAction[action].toLocaleString('en-US'));
    }
    expect(await matching(opened.page)).toBe(plan.entries.length);
  });

  it('groups the blocked reasons with their sentence', async () => {
    const blocked = plan.entries.filter((e) => e.action === 'blocked');
    for (const e of blocked) {
      const group = opened.page.locator(`.group[data-reason="${e.reason}"]`);
      await expect.poll(() => group.count()).toBe(1);
      expect(await group.locator('.messages').textContent()).toContain(e.message);
    }
    const warned = plan.entries.flatMap((e) => e.warnings ?? []);
    expect(warned.length).toBeGreaterThan(0);
    for (const code of new Set(warned.map((w) => w.code))) expect(await opened.page.locator(`.group[data-reason="${code}"]`).count(), code).toBe(1);
  });

  it('shows the OU tree the creates go into, and that apply creates the OU', async () => {
    const tree = await opened.page.textContent('#ou-tree');
    expect(tree).toContain('DC=corp,DC=example,DC=test');
    expect(tree).toContain(`OU=Cloud Users ${count('create')} create`);
    expect(tree).toContain('does not exist yet');
    expect(tree).toContain('OU=Staff');
  });

  it('filters by decision and by reason, and searches by name', async () => {
    const page = opened.page;
    await timedFilter(page, () => page.selectOption('select[name="action"]', 'blocked').then(() => undefined));
    expect(await matching(page)).toBe(count('blocked'));
    const decisions = await page.$$eval('#users tbody tr td:nth-child(3)', (tds) => tds.map((td) => td.textContent));
    expect(new Set(decisions)).toEqual(new Set(['blocked']));

    await timedFilter(page, () => page.selectOption('select[name="action"]', '').then(() => undefined));
    await timedFilter(page, () => page.selectOption('select[name="reason"]', 'SKIP_GUEST').then(() => undefined));
    expect(await matching(page)).toBe(plan.entries.filter((e) => e.reason === 'SKIP_GUEST').length);
    await timedFilter(page, () => page.selectOption('select[name="reason"]', '').then(() => undefined));

    await timedFilter(page, () => page.fill('input[name="search"]', 'ANN@contoso'));
    expect(await matching(page)).toBe(plan.entries.filter((e) => e.userPrincipalName.toLowerCase().includes('ann@contoso')).length);
    await timedFilter(page, () => page.fill('input[name="search"]', 'onerror'));
    expect(await matching(page)).toBe(1);
    await timedFilter(page, () => page.fill('input[name="search"]', ''));
    expect(await matching(page)).toBe(plan.entries.length);
  });

  it('shows hostile display names as text: no element, no script, no formula', async () => {
    for (const name of Object.values(HOSTILE)) {
      expect(plan.entries.some((e) => e.displayName === name), name).toBe(true);
      const asText = await opened.page.$$eval('#users td', (tds, n) => tds.some((td) => td.textContent === n), name);
      expect(asText, name).toBe(true);
    }
    expect(await opened.page.evaluate('document.images.length')).toBe(0);
    expect(await opened.page.evaluate('document.scripts.length')).toBe(4);
    // The names never appear raw in the file: `<` is \u003c inside the JSON blocks.
    expect(html).not.toContain(HOSTILE.img);
    expect(html).not.toContain('</script><script>alert');
    expect(opened.dialogs).toEqual([]);
  });

  it('keeps a screenshot', async () => {
    await artifactDir();
    await opened.page.setViewportSize({ width: 1400, height: 1000 });
    await opened.page.screenshot({ path: artifact('plan.png'), fullPage: true });
    expect((await readFile(artifact('plan.png'))).subarray(1, 4).toString()).toBe('PNG');
  });
});

