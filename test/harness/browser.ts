/**
 * A real browser for the review-page tests: Debian's chromium driven by
 * playwright-core, headless. Every request that is not the page's own file is
 * blocked and counted; console errors, page errors and dialogs (an `alert` run by
 * injected markup) are collected, so a test can assert there were none.
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's package (`apt-get install -y chromium`, done by .ci/setup as root); ENTRA2AD_CHROMIUM overrides. */
export const CHROMIUM = process.env.ENTRA2AD_CHROMIUM ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`the review-page tests need chromium at ${CHROMIUM}: run (as root) apt-get install -y chromium, or bash .ci/setup, or set ENTRA2AD_CHROMIUM`);
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true });
}

export interface OpenedPage {
  page: Page;
  /** Requests other than the file itself (each was blocked). */
  blockedRequests: string[];
  consoleErrors: string[];
  dialogs: string[];
  /** Milliseconds from goto to the page script's `data-ready`. */
  loadMs: number;
}

export async function openFile(browser: Browser, file: string, viewport = { width: 1400, height: 1000 }): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport, javaScriptEnabled: true });
  const page = await context.newPage();
  const url = pathToFileURL(file).href;
  const opened: OpenedPage = { page, blockedRequests: [], consoleErrors: [], dialogs: [], loadMs: 0 };
  await context.route('**/*', async (route) => {
    if (route.request().url() === url) return route.continue();
    opened.blockedRequests.push(route.request().url());
    return route.abort();
  });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') opened.consoleErrors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => opened.consoleErrors.push(`pageerror: ${e.message}`));
  page.on('dialog', async (d) => {
    opened.dialogs.push(d.message());
    await d.dismiss();
  });
  const started = performance.now();
  await page.goto(url, { timeout: 120_000 });
  await page.waitForSelector('body[data-ready="true"]', { timeout: 120_000 });
  opened.loadMs = performance.now() - started;
  return opened;
}

/** Runs `act` and waits for the table to be filtered again; returns the wall time. */
export async function timedFilter(page: Page, act: () => Promise<void>): Promise<number> {
  const before = await page.getAttribute('body', 'data-filter-seq');
  const started = performance.now();
  await act();
  // Runs in the page (this program is typed without the DOM library, hence the cast).
  const seqNow = (seq: string | null) =>
    (globalThis as unknown as { document: { body: { getAttribute(name: string): string | null } } }).document.body.getAttribute('data-filter-seq') !== seq;
  await page.waitForFunction(seqNow, before, { timeout: 60_000 });
  return performance.now() - started;
}

/** The matching-row count the page reports. */
export async function matching(page: Page): Promise<number> {
  return Number(await page.getAttribute('#users .status', 'data-matching'));
}
