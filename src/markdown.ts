/**
 * `--output md`: a GitHub-flavoured Markdown table (github.github.com/gfm/#tables-extension-),
 * to paste into an issue, a pull request or a wiki page. Each cell shows the text it
 * holds: a `|` would end the cell and is escaped (`\|`, as GFM says), as are the
 * characters that would turn a value into emphasis, code, a link or markup
 * (`\ * _ ` [ ] < > ~ &`, `_` only at a word's edge; a DN's `\,` stays `\,`); a line break becomes `<br>`, and
 * invisible characters are shown as csv.ts shows them.
 */
import { showInvisible } from './csv.js';

const MARKDOWN_SPECIAL = /[\\|*`[\]<>~&]/g;
/** `_` only at a word's edge: inside a word (`BLOCKED_PRIVILEGED_ROLE`) it never makes emphasis (CommonMark 6.2), so it stays readable. */
const EDGE_UNDERSCORE = /(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu;

export function markdownCell(value: string): string {
  return showInvisible(value)
    .replace(MARKDOWN_SPECIAL, (c) => `\\${c}`)
    .replace(EDGE_UNDERSCORE, '\\_')
    .replace(/\r\n|\r|\n/g, '<br>');
}

/** Header, delimiter row, one row per record; every line ends with LF. */
export function markdownTable(columns: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map(markdownCell).join(' | ')} |\n`;
  return line(columns) + `|${columns.map(() => '---').join('|')}|\n` + rows.map(line).join('');
}
