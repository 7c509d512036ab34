/**
 * proxyAddresses: ALL of the cloud user's addresses are carried over, because after
 * the match AD becomes the source of authority and Connect would otherwise remove
 * the ones AD lacks.
 *
 * - Exactly one primary `SMTP:` (upper-case prefix); aliases `smtp:` (lower-case).
 *   When the cloud has several upper-case `SMTP:` (it should not), the one equal to
 *   `mail` stays primary, else the first; the others become aliases.
 * - Other types (`X500:`, `SIP:`, `x400:` ...) are kept as they are.
 * - No addresses but `mail` set -> `SMTP:<mail>`.
 * - Duplicates (same type, same address ignoring case) collapse to the first.
 * Order: primary first, then the rest in their cloud order (stable plans).
 */

/** The address after `SMTP:`/`smtp:`, lower-cased, for comparisons; null when not SMTP. */
export function smtpAddressKey(proxy: string): string | null {
  const m = /^smtp:(.*)$/i.exec(proxy.trim());
  return m ? m[1]!.trim().toLowerCase() : null;
}

export function normaliseProxyAddresses(proxyAddresses: readonly string[], mail: string | null): string[] {
  const cleaned = proxyAddresses.map((p) => p.trim()).filter((p) => /^[^:\s]+:.+/.test(p));
  const mailKey = mail?.trim().toLowerCase() || null;
  const primaries = cleaned.filter((p) => p.startsWith('SMTP:'));
  let primary: string | null =
    primaries.find((p) => smtpAddressKey(p) === mailKey) ?? primaries[0] ?? null;
  if (!primary && cleaned.length === 0 && mail && mail.trim()) primary = `SMTP:${mail.trim()}`;
  if (!primary && mailKey) {
    // smtp aliases only: promote the one equal to mail
    const alias = cleaned.find((p) => smtpAddressKey(p) === mailKey);
    if (alias) primary = `SMTP:${alias.slice(5)}`;
  }
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (p: string): void => {
    const k = smtpAddressKey(p);
    const dedupe = k !== null ? `smtp:${k}` : p.toLowerCase();
    if (seen.has(dedupe)) return;
    seen.add(dedupe);
    out.push(p);
  };
  if (primary) add(primary);
  for (const p of cleaned) {
    const k = smtpAddressKey(p);
    if (k !== null) add(`smtp:${p.slice(5)}`);
    else add(p);
  }
  return out;
}

/** The primary SMTP address (without prefix), as stored. */
export function primarySmtpAddress(proxyAddresses: readonly string[]): string | null {
  const p = proxyAddresses.find((x) => x.startsWith('SMTP:'));
  return p ? p.slice(5) : null;
}
