/**
 * RFC 2849 (LDIF) primitives.
 *
 * - A value is written as `attr: value` only when it is a SAFE-STRING: every octet in
 *   %x01-7F except LF and CR, and not starting with SPACE, `:` or `<`. We also
 *   base64 values that END with a space (RFC 2849 note 8: "Values or distinguished
 *   names that end with SPACE SHOULD be base-64 encoded"). Everything else, notably
 *   any non-ASCII, is written `attr:: base64(UTF-8)`. The same rule applies to `dn:`.
 * - Lines longer than 76 characters are folded: a line separator and ONE leading
 *   space; never before the first character. Since unsafe values are base64, every
 *   line we write is ASCII, so folding never splits a UTF-8 sequence.
 * - Records are separated by one empty line; the file starts with `version: 1`.
 */
export const LDIF_LINE_WIDTH = 76;

/** RFC 2849 SAFE-STRING, plus "no trailing space". */
export function isSafeString(value: string): boolean {
  if (value.length === 0) return true;
  const first = value.charCodeAt(0);
  if (first === 0x20 || first === 0x3a || first === 0x3c) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0 || c === 0x0a || c === 0x0d || c > 0x7f) return false;
  }
  return value.charCodeAt(value.length - 1) !== 0x20;
}

/** Fold one logical line at `width` characters (continuations start with one space). */
export function foldLine(line: string, width: number = LDIF_LINE_WIDTH): string {
  if (line.length <= width) return line;
  const parts = [line.slice(0, width)];
  for (let i = width; i < line.length; i += width - 1) parts.push(` ${line.slice(i, i + width - 1)}`);
  return parts.join('\n');
}

/** `attr: value`, `attr:: base64` (text that is not safe, or bytes), folded. */
export function ldifAttribute(attr: string, value: string | Uint8Array): string {
  if (typeof value !== 'string') return foldLine(`${attr}:: ${Buffer.from(value).toString('base64')}`);
  if (isSafeString(value)) return foldLine(`${attr}: ${value}`);
  return foldLine(`${attr}:: ${Buffer.from(value, 'utf8').toString('base64')}`);
}

/** `# text`, folded; text is expected to be ASCII (we only write our own comments). */
export function ldifComment(text: string): string {
  return text
    .split('\n')
    .map((l) => foldLine(`# ${l}`))
    .join('\n');
}

export type LdifValue = string | Uint8Array;

/** One `changetype: add` record. */
export function ldifAddRecord(dn: string, attributes: ReadonlyArray<readonly [string, LdifValue | readonly LdifValue[]]>): string {
  const lines = [ldifAttribute('dn', dn), 'changetype: add'];
  for (const [attr, value] of attributes) {
    const values = Array.isArray(value) ? (value as readonly LdifValue[]) : [value as LdifValue];
    for (const v of values) lines.push(ldifAttribute(attr, v));
  }
  return lines.join('\n');
}
