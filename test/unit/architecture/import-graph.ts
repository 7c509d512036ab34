/**
 * The import graph of src/, read from the source text: every relative import
 * (static, `export ... from`, side-effect and dynamic `import('...')`), resolved
 * to the file it names. Specifiers of packages and `node:` modules are not ours
 * and are left out. A regular expression is enough here: this code base writes
 * one import statement per line start, and the tests below check the reader
 * against planted imports so a change of style that defeats it fails loudly.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

export interface Import {
  /** The importing file, relative to the root, with forward slashes: `cloud/guards-reader.ts`. */
  from: string;
  /** The imported file, same form. */
  to: string;
  /** The specifier as written. */
  specifier: string;
}

const FROM = /^[ \t]*(?:import|export)\b[^;'"]*?\bfrom\s*['"]([^'"]+)['"]/gm;
const BARE = /^[ \t]*import\s*['"]([^'"]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

export function listTsFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) out.push(path);
    }
  };
  walk(root);
  return out.sort();
}

/** The relative specifiers of one file's text. */
export function specifiersOf(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(FROM)) found.push(m[1]!);
  for (const m of text.matchAll(BARE)) found.push(m[1]!);
  for (const line of text.split('\n')) {
    // A dynamic import inside a comment is prose, not an edge.
    if (/^\s*(\/\/|\*|\/\*)/.test(line)) continue;
    for (const m of line.matchAll(DYNAMIC)) found.push(m[1]!);
  }
  return found.filter((s) => s.startsWith('./') || s.startsWith('../'));
}

function resolveSpecifier(fromFile: string, specifier: string): string {
  const base = resolve(dirname(fromFile), specifier);
  for (const candidate of [base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return base.replace(/\.js$/, '.ts');
}

const slash = (p: string): string => p.split(sep).join('/');

export function importsUnder(root: string): Import[] {
  const out: Import[] = [];
  for (const file of listTsFiles(root)) {
    for (const specifier of specifiersOf(readFileSync(file, 'utf8'))) {
      out.push({ from: slash(relative(root, file)), to: slash(relative(root, resolveSpecifier(file, specifier))), specifier });
    }
  }
  return out;
}

/** The top-level unit a file belongs to: its folder under the root, or the file itself (`cli.ts`). */
export function unitOf(file: string): string {
  const i = file.indexOf('/');
  return i === -1 ? file : file.slice(0, i);
}

export const show = (i: Import): string => `src/${i.from} imports '${i.specifier}' (src/${i.to})`;

/**
 * The strongly connected components of more than one unit (Tarjan), each with
 * the imports that run between its members: a cycle between folders and the
 * lines that make it.
 */
export function unitCycles(imports: readonly Import[]): { units: string[]; edges: Import[] }[] {
  const adjacency = new Map<string, Set<string>>();
  for (const i of imports) {
    const a = unitOf(i.from);
    const b = unitOf(i.to);
    if (!adjacency.has(a)) adjacency.set(a, new Set());
    if (!adjacency.has(b)) adjacency.set(b, new Set());
    if (a !== b) adjacency.get(a)!.add(b);
  }
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of adjacency.get(v)!) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const v of [...adjacency.keys()].sort()) if (!index.has(v)) visit(v);
  return components.map((units) => {
    const members = new Set(units);
    return { units, edges: imports.filter((i) => unitOf(i.from) !== unitOf(i.to) && members.has(unitOf(i.from)) && members.has(unitOf(i.to))) };
  });
}
