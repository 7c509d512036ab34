/**
 * The shell of plan.html and report.html: one self-contained file that loads
 * nothing (no network, no CDN) and opens from disk in any current browser.
 *
 * The data goes in as JSON inside `<script type="application/json">` blocks, which
 * the browser never runs; the page script (page-app.ts) builds the page from them
 * with textContent only. Written in three parts so a 100,000-user plan is streamed
 * row by row like the other plan files: `pageStart` (up to the rows block),
 * `pageRow` per row, `pageEnd` (tail data and the script).
 *
 * Defence in depth: a Content-Security-Policy allows only this page's own script and
 * style (by hash) and no request of any kind, so even an injected `<img onerror>`
 * could neither run nor load. https://www.w3.org/TR/CSP3/#grammardef-hash-source
 */
import { showInvisible } from '../../csv.js';
import { createHash } from 'node:crypto';
import { PAGE_APP } from './page-app.js';
import { PAGE_STYLE } from './page-style.js';

/** A table column of the page; `filter`: a drop-down; `tokens`: the cell is a list ([code, message] pairs), filtered by code; `search`: searched by the search box. */
export interface PageColumn {
  key: string;
  label: string;
  filter?: boolean;
  tokens?: boolean;
  search?: boolean;
  cls?: string;
}

/** Rows whose `col` has one of `values`, grouped by `reasonCol`, each group with its sentences (`messageCol`). `tokens`: group the [code, message] pairs of `col`. */
export interface PageGroupSpec {
  title: string;
  note?: string;
  tone: 'blocked' | 'warning' | 'skip' | 'note';
  col: number;
  values: string[];
  reasonCol: number;
  messageCol: number;
  tokens?: boolean;
  collapsed?: boolean;
}

/** The OU tree: rows whose `col` is one of `values`, placed by the parent of the DN in `dnCol`. */
export interface PageTreeSpec {
  title: string;
  col: number;
  values: string[];
  dnCol: number;
  targetOu: string;
  targetOuExists: boolean | null | undefined;
}

export interface PageHead {
  kind: 'plan' | 'report';
  title: string;
  facts: [string, string][];
  columns: PageColumn[];
  tableTitle: string;
  groups: PageGroupSpec[];
  tree?: PageTreeSpec;
}

export interface PageBar {
  key: string;
  label: string;
  value: number;
  tone: string;
}

export interface PageTail {
  charts: { title: string; bars: PageBar[] }[];
  findings?: { level: string; code: string; message: string }[];
  /** One sentence per code (warnings, verify reasons), shown above a group's own messages. */
  sentences?: Record<string, string>;
}

export type PageCell = string | [string, string][];

/**
 * JSON that cannot end its <script> block: `<` (and `>`, `&`, U+2028/9 for good measure)
 * become \u escapes, which JSON.parse reads back as the same characters.
 * https://html.spec.whatwg.org/multipage/scripting.html#restrictions-for-contents-of-script-elements
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
const CSP = [
  "default-src 'none'",
  `script-src ${hash(PAGE_APP)}`,
  `style-src ${hash(PAGE_STYLE)}`,
  "img-src 'none'",
  "connect-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export function pageStart(head: PageHead): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>entra2ad ${head.kind}</title>`,
    `<style>${PAGE_STYLE}</style>`,
    '</head>',
    '<body>',
    `<noscript>This page needs JavaScript to show the ${head.kind}; the same rows are in ${head.kind}.csv.</noscript>`,
    '<main id="app"></main>',
    `<script type="application/json" id="e2a-head">${jsonForScript(head)}</script>`,
    '<script type="application/json" id="e2a-rows">[',
  ].join('\n');
}

/** Controls, bidi overrides and zero-width characters shown visibly (csv.ts showInvisible), as in plan.csv. */
function visibleCell(cell: PageCell): PageCell {
  return typeof cell === 'string' ? showInvisible(cell) : cell.map(([a, b]) => [showInvisible(a), showInvisible(b)]);
}

export function pageRow(row: readonly PageCell[], index: number): string {
  return `${index === 0 ? '\n' : ',\n'}${jsonForScript(row.map(visibleCell))}`;
}

export function pageEnd(tail: PageTail): string {
  return ['\n]</script>', `<script type="application/json" id="e2a-tail">${jsonForScript(tail)}</script>`, `<script>${PAGE_APP}</script>`, '</body>', '</html>', ''].join(
    '\n',
  );
}
