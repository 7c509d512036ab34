/**
 * Graph user -> the AD attributes of the new user, through the attribute table
 * (attribute-map.ts), with AD's limits enforced here rather than by the DC:
 * - control characters removed (CR/LF kept, as CRLF, only in multi-line attributes
 *   such as streetAddress), values trimmed, empty values omitted (AD refuses empty
 *   strings);
 * - values longer than the schema's rangeUpper (attribute-limits.ts) cut, with a
 *   WARN_TRUNCATED warning; proxyAddresses longer than 1123 are dropped instead (a
 *   cut address is a wrong address);
 * - accountEnabled -> userAccountControl 512 (enabled) / 514 (disabled); `null`
 *   counts as disabled. With password mode `none` the account stays 514;
 * - manager -> `managerCloudId` (apply resolves it to a DN in a second pass).
 */
import type { GraphUser } from '../graph/user.js';
import { isExchangeAttribute, type ExchangeSchema } from '../exchange/attributes.js';
import { ATTRIBUTE_MAX_LENGTH } from './attribute-limits.js';
import type { AttributeRule } from './attribute-map.js';
import { resolveCountry } from './country.js';
import { UAC, UAC_DISABLED_USER } from '../directory/uac.js';
import { truncateUtf16 } from './names/cn.js';
import { renderTemplate, templateContext, type TemplateContext } from './names/templates.js';
import { normaliseProxyAddresses } from './proxy-addresses.js';
import type { PasswordMode, PlanWarning } from './types.js';

const MULTI_LINE_ATTRIBUTES = new Set(['streetAddress', 'description', 'info', 'postalAddress']);
/** Anything cleanValue might have to remove: control characters or (possibly lone) surrogates. */
const SUSPECT = /[\u0000-\u001F\u007F-\u009F\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export interface MappedAttributes {
  attributes: Record<string, string | string[]>;
  userAccountControl: number;
  managerCloudId?: string;
  warnings: PlanWarning[];
  /** Exchange attributes the table would have written that the forest's schema does not have. */
  notInSchema: string[];
}

export interface MapOptions {
  rules: readonly AttributeRule[];
  /** What the forest's schema has of the Exchange attributes (effectiveExchangeSchema): the others are never written. */
  exchangeSchema: ExchangeSchema;
  passwordMode: PasswordMode;
  /** Precomputed context (create-entry.ts shares it with the name templates, names/allocate.ts). */
  context?: TemplateContext;
}

/** Clean one value for attribute `attr`; returns the value ('' = omit) and whether anything was removed. */
export function cleanValue(attr: string, value: string): { value: string; removed: boolean } {
  if (!SUSPECT.test(value)) return { value: value.includes('  ') ? value.replace(/ {2,}/g, ' ').trim() : value.trim(), removed: false };
  const v = value.replace(LONE_SURROGATE, '');
  if (MULTI_LINE_ATTRIBUTES.has(attr)) {
    const removed = v.length !== value.length || /(?![\r\n])\p{Cc}/u.test(v);
    const lines = v
      .replace(/(?![\r\n])\p{Cc}/gu, '')
      .split(/\r\n?|\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '');
    return { value: lines.join('\r\n'), removed };
  }
  const removed = v.length !== value.length || /\p{Cc}/u.test(v);
  return { value: v.replace(/\p{Cc}/gu, ' ').replace(/ {2,}/g, ' ').trim(), removed };
}

/** Clean + enforce the length limit; null when empty. */
export function limitValue(attr: string, raw: string, warnings: PlanWarning[]): string | null {
  const { value, removed } = cleanValue(attr, raw);
  if (removed)
    warnings.push({ code: 'WARN_CONTROL_CHARACTERS_REMOVED', field: attr, message: `control characters removed from ${attr}` });
  if (value === '') return null;
  const max = ATTRIBUTE_MAX_LENGTH[attr];
  if (max !== undefined && value.length > max) {
    const cut = truncateUtf16(value, max).trimEnd();
    warnings.push({
      code: 'WARN_TRUNCATED',
      field: attr,
      message: `${attr} was ${value.length} characters; cut to ${cut.length} (AD allows ${max})`,
    });
    return cut === '' ? null : cut;
  }
  return value;
}

export function userAccountControlFor(accountEnabled: boolean | null, passwordMode: PasswordMode): number {
  return accountEnabled === true && passwordMode !== 'none' ? UAC.NORMAL_ACCOUNT : UAC_DISABLED_USER;
}

const lowerNamesCache = new WeakMap<ExchangeSchema, ReadonlySet<string>>();
/** The schema's attribute names in lower case, made once per plan (mapAttributes runs once per user). */
function lowerNames(schema: ExchangeSchema): ReadonlySet<string> {
  let set = lowerNamesCache.get(schema);
  if (!set) lowerNamesCache.set(schema, (set = new Set(schema.attributes.map((a) => a.toLowerCase()))));
  return set;
}

export function mapAttributes(user: GraphUser, options: MapOptions): MappedAttributes {
  const warnings: PlanWarning[] = [];
  const attributes: Record<string, string | string[]> = {};
  const notInSchema: string[] = [];
  const exchangeHas = lowerNames(options.exchangeSchema);
  const ctx = options.context ?? templateContext(user);
  let country: ReturnType<typeof resolveCountry> | undefined;
  const countryOnce = (): ReturnType<typeof resolveCountry> => {
    if (!country) {
      country = resolveCountry(user.country, user.usageLocation);
      if (country.status === 'unknown')
        warnings.push({
          code: 'WARN_COUNTRY_UNKNOWN',
          field: 'c',
          message: country.attributes
            ? `country "${country.value}" is not an ISO 3166 country; usageLocation ${country.attributes.c} was used`
            : `country "${country.value}" is not an ISO 3166 country; c, co and countryCode were left empty`,
        });
    }
    return country;
  };

  for (const rule of options.rules) {
    const attr = rule.attribute;
    const source = rule.source;
    const absent = isExchangeAttribute(attr) && !exchangeHas.has(attr.toLowerCase());
    if (absent && !('template' in source)) continue;
    if ('template' in source) {
      const rendered = renderTemplate(source.template, ctx);
      if (rendered === null) continue;
      if (absent) {
        // AD would refuse it (noSuchAttribute): the plan says what this forest cannot hold.
        if (rendered.trim() !== '') notInSchema.push(attr);
        continue;
      }
      const v = limitValue(attr, rendered, warnings);
      if (v !== null) attributes[attr] = v;
      continue;
    }
    switch (source.computed) {
      case 'proxyAddresses': {
        const all = normaliseProxyAddresses(user.proxyAddresses ?? [], user.mail);
        const max = ATTRIBUTE_MAX_LENGTH['proxyAddresses']!;
        const kept: string[] = [];
        for (const p of all) {
          const { value } = cleanValue('proxyAddresses', p);
          if (value === '') continue;
          if (value.length > max) {
            warnings.push({
              code: 'WARN_VALUE_DROPPED',
              field: 'proxyAddresses',
              message: `proxy address of ${value.length} characters left out (AD allows ${max})`,
            });
            continue;
          }
          kept.push(value);
        }
        if (kept.length > 0) attributes['proxyAddresses'] = kept;
        break;
      }
      case 'c':
      case 'co':
      case 'countryCode': {
        const r = countryOnce();
        const attrs = r.status === 'resolved' ? r.attributes : r.status === 'unknown' ? r.attributes : undefined;
        if (attrs) attributes[source.computed] = attrs[source.computed];
        break;
      }
    }
  }
  const result: MappedAttributes = {
    attributes,
    userAccountControl: userAccountControlFor(user.accountEnabled, options.passwordMode),
    warnings,
    notInSchema,
  };
  const managerId = user.manager?.id;
  if (managerId) result.managerCloudId = managerId;
  return result;
}
