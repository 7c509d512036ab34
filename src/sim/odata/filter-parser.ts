/**
 * A recursive-descent parser for Graph's $filter subset (see filter-ast.ts).
 * Keywords and function names are case-insensitive, as in Graph
 * (`startsWith` and `startswith` both work).
 */
import { GraphHttpError } from '../graph-error.js';
import type { ComparisonOperator, FilterNode, Literal, Operand } from './filter-ast.js';

type Token =
  | { t: 'punct'; v: '(' | ')' | ',' | ':' | '/'; at: number }
  | { t: 'string'; v: string; at: number }
  | { t: 'number'; v: number; at: number }
  | { t: 'word'; v: string; at: number }
  | { t: 'end'; at: number };

/** Graph answers a filter it cannot parse with 400 BadRequest "Invalid filter clause" (wording of the detail is ours). */
export function invalidFilter(detail: string): GraphHttpError {
  return new GraphHttpError(400, 'BadRequest', `Invalid filter clause: ${detail}`);
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/;
const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?/;
const NUMBER = /^-?\d+(\.\d+)?/;
const WORD = /^[A-Za-z_$][A-Za-z0-9_.]*/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '(' || c === ')' || c === ',' || c === ':' || c === '/') {
      tokens.push({ t: 'punct', v: c, at: i });
      i++;
      continue;
    }
    if (c === "'") {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw invalidFilter(`unterminated string literal at position ${i}.`);
        const d = text[j] as string;
        if (d === "'") {
          if (text[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          }
          break;
        }
        value += d;
        j++;
      }
      tokens.push({ t: 'string', v: value, at: i });
      i = j + 1;
      continue;
    }
    const rest = text.slice(i);
    const guid = GUID.exec(rest);
    if (guid) {
      tokens.push({ t: 'string', v: guid[0], at: i });
      i += guid[0].length;
      continue;
    }
    const date = DATE.exec(rest);
    if (date && date[0].length > 4) {
      tokens.push({ t: 'string', v: date[0], at: i });
      i += date[0].length;
      continue;
    }
    const num = NUMBER.exec(rest);
    if (num) {
      tokens.push({ t: 'number', v: Number(num[0]), at: i });
      i += num[0].length;
      continue;
    }
    const word = WORD.exec(rest);
    if (word) {
      tokens.push({ t: 'word', v: word[0], at: i });
      i += word[0].length;
      continue;
    }
    throw invalidFilter(`unexpected character '${c}' at position ${i}.`);
  }
  tokens.push({ t: 'end', at: text.length });
  return tokens;
}

const COMPARISONS: ReadonlySet<string> = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);

class Parser {
  private pos = 0;
  private readonly variables: string[] = [];

  constructor(private readonly tokens: Token[]) {}

  parse(): FilterNode {
    const node = this.parseOr();
    const next = this.peek();
    if (next.t !== 'end') throw invalidFilter(`unexpected '${describe(next)}' at position ${next.at}.`);
    return node;
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const token = this.peek();
    this.pos++;
    return token;
  }

  private isWord(token: Token, ...words: string[]): boolean {
    return token.t === 'word' && words.includes(token.v.toLowerCase());
  }

  private expectPunct(v: string): void {
    const token = this.next();
    if (token.t !== 'punct' || token.v !== v) throw invalidFilter(`expected '${v}' at position ${token.at}, found '${describe(token)}'.`);
  }

  private parseOr(): FilterNode {
    return this.parseChain('or', () => this.parseAnd());
  }

  private parseAnd(): FilterNode {
    return this.parseChain('and', () => this.parseUnary());
  }

  /** `operand (op operand)*`, left-associative: `a or b or c` is `(a or b) or c`. */
  private parseChain(op: 'and' | 'or', operand: () => FilterNode): FilterNode {
    let left = operand();
    while (this.isWord(this.peek(), op)) {
      this.next();
      left = { kind: op, left, right: operand() };
    }
    return left;
  }

  private parseUnary(): FilterNode {
    if (this.isWord(this.peek(), 'not')) {
      this.next();
      return { kind: 'not', operand: this.parseUnary() };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): FilterNode {
    const token = this.peek();
    if (token.t === 'punct' && token.v === '(') {
      this.next();
      const inner = this.parseOr();
      this.expectPunct(')');
      return inner;
    }
    const left = this.parseOperandOrLambda();
    if ('predicate' in left) return left;
    const op = this.peek();
    if (op.t === 'word' && COMPARISONS.has(op.v.toLowerCase())) {
      this.next();
      const right = this.parseOperandOrLambda();
      if ('predicate' in right) throw invalidFilter(`a lambda cannot be compared (position ${op.at}).`);
      return { kind: 'compare', op: op.v.toLowerCase() as ComparisonOperator, left, right };
    }
    if (this.isWord(op, 'in')) {
      this.next();
      this.expectPunct('(');
      const values: Literal[] = [];
      for (;;) {
        const v = this.next();
        values.push(this.literalOf(v));
        const sep = this.next();
        if (sep.t === 'punct' && sep.v === ')') break;
        if (!(sep.t === 'punct' && sep.v === ',')) throw invalidFilter(`expected ',' or ')' at position ${sep.at}.`);
      }
      return { kind: 'in', left, values };
    }
    if (left.kind === 'call') return { kind: 'call', call: left };
    throw invalidFilter(`expected an operator after position ${token.at}, found '${describe(op)}'.`);
  }

  private literalOf(token: Token): Literal {
    if (token.t === 'string' || token.t === 'number') return token.v;
    if (this.isWord(token, 'true')) return true;
    if (this.isWord(token, 'false')) return false;
    if (this.isWord(token, 'null')) return null;
    throw invalidFilter(`expected a literal at position ${token.at}, found '${describe(token)}'.`);
  }

  private parseOperandOrLambda(): Operand | Extract<FilterNode, { kind: 'any' }> {
    const token = this.next();
    if (token.t === 'string' || token.t === 'number') return { kind: 'literal', value: token.v };
    if (token.t !== 'word') throw invalidFilter(`unexpected '${describe(token)}' at position ${token.at}.`);
    const lower = token.v.toLowerCase();
    if (lower === 'true' || lower === 'false' || lower === 'null') return { kind: 'literal', value: this.literalOf(token) };
    const after = this.peek();
    if (after.t === 'punct' && after.v === '(') {
      if (lower !== 'startswith' && lower !== 'endswith') {
        // Graph's directory does not support e.g. contains() on users.
        throw new GraphHttpError(400, 'Request_UnsupportedQuery', `Unsupported Query. Function '${token.v}' is not supported.`);
      }
      this.next();
      const a = this.parseOperandOrLambda();
      this.expectPunct(',');
      const b = this.parseOperandOrLambda();
      this.expectPunct(')');
      if ('predicate' in a || 'predicate' in b) throw invalidFilter(`a lambda is not a function argument (position ${token.at}).`);
      return { kind: 'call', name: lower, args: [a, b] };
    }
    // A path: name(/name)* possibly ending in /$count or /any(...)
    const path = [token.v];
    while (this.peek().t === 'punct' && (this.peek() as { v: string }).v === '/') {
      this.next();
      const seg = this.next();
      if (seg.t !== 'word') throw invalidFilter(`expected a property name at position ${seg.at}.`);
      const segLower = seg.v.toLowerCase();
      if (segLower === '$count') return { kind: 'count', path };
      if (segLower === 'any' || segLower === 'all') {
        if (segLower === 'all') throw new GraphHttpError(400, 'Request_UnsupportedQuery', "Unsupported Query. Lambda operator 'all' is not supported.");
        return this.parseLambda(path);
      }
      path.push(seg.v);
    }
    const root = path[0] as string;
    if (this.variables.includes(root)) return { kind: 'variable', name: root, path: path.slice(1) };
    return { kind: 'property', path };
  }

  private parseLambda(path: string[]): Extract<FilterNode, { kind: 'any' }> {
    this.expectPunct('(');
    if (this.peek().t === 'punct' && (this.peek() as { v: string }).v === ')') {
      this.next();
      return { kind: 'any', path, variable: null, predicate: null };
    }
    const variable = this.next();
    if (variable.t !== 'word') throw invalidFilter(`expected a lambda variable at position ${variable.at}.`);
    this.expectPunct(':');
    this.variables.push(variable.v);
    const predicate = this.parseOr();
    this.variables.pop();
    this.expectPunct(')');
    return { kind: 'any', path, variable: variable.v, predicate };
  }
}

function describe(token: Token): string {
  return token.t === 'end' ? 'end of filter' : String(token.v);
}

export function parseFilter(text: string): FilterNode {
  if (text.trim() === '') throw invalidFilter('the filter is empty.');
  return new Parser(tokenize(text)).parse();
}
