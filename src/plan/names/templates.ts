/**
 * Name and attribute templates: literal text with `{variable}` and `{variable:N}`
 * (the first N characters of the value). `{{` and `}}` are literal braces.
 *
 * A template over a user renders to `null` when any variable it names is empty for
 * that user: `{given}.{surname}` for a user without a surname is "no candidate",
 * never `john.`. That is what lets a list of templates fall through to the next.
 *
 * Variables are the Graph user's string properties by their Graph names
 * (`givenName`, `jobTitle`, `city`, ...: TEMPLATE_PROPERTIES, src/graph/user.ts), plus:
 * - `given`, `surname`: given name and surname
 * - `upnPrefix`, `upnDomain`: the two halves of userPrincipalName
 * - `businessPhone`: businessPhones[0]
 * - `extensionAttribute1`..`extensionAttribute15`: onPremisesExtensionAttributes
 */
import { EXTENSION_ATTRIBUTE_NAMES, TEMPLATE_PROPERTIES, type GraphUser } from '../../graph/user.js';

export type TemplatePart = { kind: 'text'; text: string } | { kind: 'var'; name: string; length?: number };

export interface ParsedTemplate {
  source: string;
  parts: TemplatePart[];
  variables: string[];
}

export type TemplateContext = Readonly<Record<string, string | null | undefined>>;

/** Every variable a template may name. */
export const TEMPLATE_VARIABLES: readonly string[] = [
  ...TEMPLATE_PROPERTIES,
  'given',
  'upnPrefix',
  'upnDomain',
  'businessPhone',
  ...EXTENSION_ATTRIBUTE_NAMES,
];
const KNOWN = new Set(TEMPLATE_VARIABLES);

export class TemplateSyntaxError extends Error {}

const cache = new Map<string, ParsedTemplate>();

/** Parse (and cache) a template; throws TemplateSyntaxError naming the problem. */
export function parseTemplate(source: string): ParsedTemplate {
  const hit = cache.get(source);
  if (hit) return hit;
  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    if (ch === '{' && source[i + 1] === '{') {
      text += '{';
      i += 2;
    } else if (ch === '}' && source[i + 1] === '}') {
      text += '}';
      i += 2;
    } else if (ch === '{') {
      const end = source.indexOf('}', i);
      if (end < 0) throw new TemplateSyntaxError(`unclosed "{" at position ${i}`);
      const m = /^([A-Za-z][A-Za-z0-9]*)(?::([0-9]+))?$/.exec(source.slice(i + 1, end));
      if (!m) throw new TemplateSyntaxError(`"${source.slice(i, end + 1)}" is not {name} or {name:N}`);
      const name = m[1]!;
      if (!KNOWN.has(name)) throw new TemplateSyntaxError(`unknown variable "${name}" (known: ${TEMPLATE_VARIABLES.join(', ')})`);
      const length = m[2] === undefined ? undefined : Number(m[2]);
      if (length !== undefined && length < 1) throw new TemplateSyntaxError(`{${name}:${m[2]}}: N must be at least 1`);
      if (text) parts.push({ kind: 'text', text });
      text = '';
      parts.push(length === undefined ? { kind: 'var', name } : { kind: 'var', name, length });
      i = end + 1;
    } else if (ch === '}') {
      throw new TemplateSyntaxError(`unmatched "}" at position ${i} (write "}}" for a literal brace)`);
    } else {
      text += ch;
      i++;
    }
  }
  if (text) parts.push({ kind: 'text', text });
  const parsed: ParsedTemplate = {
    source,
    parts,
    variables: parts.flatMap((p) => (p.kind === 'var' ? [p.name] : [])),
  };
  if (cache.size < 1000) cache.set(source, parsed);
  return parsed;
}

/** Problem text when the template is invalid, else null. */
export function templateProblem(source: string): string | null {
  try {
    parseTemplate(source);
    return null;
  } catch (e) {
    return e instanceof TemplateSyntaxError ? e.message : String(e);
  }
}

/**
 * Render over a context. `transform` is applied to each variable value before
 * `{x:N}` takes its first N characters (code points): `{given:1}` of `Ægir` under a
 * transliterating transform is the first character of `AEgir`, i.e. `A`.
 * Returns null when a named variable is empty (after transform).
 */
export function renderTemplate(
  template: string | ParsedTemplate,
  context: TemplateContext,
  transform: (value: string) => string = (v) => v,
): string | null {
  const parsed = typeof template === 'string' ? parseTemplate(template) : template;
  let out = '';
  for (const part of parsed.parts) {
    if (part.kind === 'text') {
      out += part.text;
      continue;
    }
    const raw = context[part.name];
    if (raw === null || raw === undefined) return null;
    let value = transform(raw);
    if (value.trim() === '') return null;
    if (part.length !== undefined) value = Array.from(value).slice(0, part.length).join('');
    out += value;
  }
  return out;
}

function splitUpn(upn: string): { prefix: string | null; domain: string | null } {
  const at = upn.lastIndexOf('@');
  if (at < 0) return { prefix: upn || null, domain: null };
  return { prefix: upn.slice(0, at) || null, domain: upn.slice(at + 1) || null };
}

/** The variables of one Graph user. */
export function templateContext(user: GraphUser): TemplateContext {
  const ctx: Record<string, string | null> = {};
  for (const key of TEMPLATE_PROPERTIES) {
    const v = user[key];
    ctx[key] = typeof v === 'string' ? v : null;
  }
  const { prefix, domain } = splitUpn(user.userPrincipalName ?? '');
  ctx['given'] = ctx['givenName'] ?? null;
  ctx['upnPrefix'] = prefix;
  ctx['upnDomain'] = domain;
  ctx['businessPhone'] = user.businessPhones?.[0] ?? null;
  const ext = user.onPremisesExtensionAttributes;
  for (const name of EXTENSION_ATTRIBUTE_NAMES) ctx[name] = ext?.[name] ?? null;
  return ctx;
}
