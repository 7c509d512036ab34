/**
 * Country: AD keeps it in three attributes that must agree
 * (learn.microsoft.com/windows/win32/adschema/a-c, a-co, a-countrycode):
 * `c` (ISO 3166 alpha-2), `co` (the name), `countryCode` (ISO numeric, an Integer).
 * Graph has a free-text `country` (whatever an admin typed: "Germany", "DE",
 * "Deutschland"...) and `usageLocation` (alpha-2, set for licensing). We resolve
 * `country` first (as alpha-2, alpha-3, or an ISO English name, ignoring case and
 * accents), then `usageLocation`; an unresolvable `country` is reported, not guessed.
 */
import { ISO_3166_1, type Iso3166Country } from './countries.js';

export interface CountryAttributes {
  c: string;
  co: string;
  /** Decimal, no leading zeros (`276`, `4`). */
  countryCode: string;
}

/** A few names in common use that ISO does not list in English. */
const EXTRA_ALIASES: Readonly<Record<string, string>> = {
  usa: 'US',
  'u.s.': 'US',
  'u.s.a.': 'US',
  america: 'US',
  uk: 'GB',
  'great britain': 'GB',
  britain: 'GB',
  england: 'GB',
  scotland: 'GB',
  wales: 'GB',
  'northern ireland': 'GB',
  deutschland: 'DE',
  'the netherlands': 'NL',
  holland: 'NL',
  russia: 'RU',
  'czech republic': 'CZ',
  turkey: 'TR',
  turkiye: 'TR',
  'ivory coast': 'CI',
  'republic of korea': 'KR',
  korea: 'KR',
  espana: 'ES',
  osterreich: 'AT',
  schweiz: 'CH',
  suisse: 'CH',
  sverige: 'SE',
  norge: 'NO',
  danmark: 'DK',
  suomi: 'FI',
  polska: 'PL',
  italia: 'IT',
  brasil: 'BR',
  'united arab emirates': 'AE',
  uae: 'AE',
};

function key(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

let index: Map<string, Iso3166Country> | undefined;
function lookupIndex(): Map<string, Iso3166Country> {
  if (index) return index;
  const m = new Map<string, Iso3166Country>();
  const byAlpha2 = new Map(ISO_3166_1.map((c) => [c.alpha2, c]));
  for (const c of ISO_3166_1) {
    m.set(key(c.alpha2), c);
    m.set(key(c.alpha3), c);
    m.set(key(c.name), c);
    for (const a of c.aliases ?? []) m.set(key(a), c);
  }
  for (const [alias, alpha2] of Object.entries(EXTRA_ALIASES)) {
    const c = byAlpha2.get(alpha2);
    if (c && !m.has(key(alias))) m.set(key(alias), c);
  }
  index = m;
  return m;
}

/** `Germany` | `DE` | `DEU` | `deutschland` -> the ISO row; null when unknown. */
export function findCountry(value: string | null | undefined): Iso3166Country | null {
  if (!value || !value.trim()) return null;
  return lookupIndex().get(key(value)) ?? null;
}

export function toCountryAttributes(c: Iso3166Country): CountryAttributes {
  return { c: c.alpha2, co: c.name, countryCode: String(Number(c.numeric)) };
}

export type CountryResolution =
  | { status: 'resolved'; from: 'country' | 'usageLocation'; attributes: CountryAttributes }
  | { status: 'none' }
  | { status: 'unknown'; value: string; attributes?: CountryAttributes };

/**
 * `country` wins when it resolves; else `usageLocation`. When `country` is set but
 * not recognised, the result says so (`unknown`) and still carries usageLocation's
 * attributes if that resolves, so the caller can warn and use them.
 */
export function resolveCountry(country: string | null, usageLocation: string | null): CountryResolution {
  const fromCountry = findCountry(country);
  if (fromCountry) return { status: 'resolved', from: 'country', attributes: toCountryAttributes(fromCountry) };
  const fromUsage = findCountry(usageLocation);
  if (country && country.trim()) {
    return fromUsage
      ? { status: 'unknown', value: country, attributes: toCountryAttributes(fromUsage) }
      : { status: 'unknown', value: country };
  }
  if (fromUsage) return { status: 'resolved', from: 'usageLocation', attributes: toCountryAttributes(fromUsage) };
  return { status: 'none' };
}
