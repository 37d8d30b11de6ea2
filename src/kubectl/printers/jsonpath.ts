/**
 * kubectl's JSONPath dialect (k8s.io/client-go/util/jsonpath), written from its documented and
 * tested behaviour: text outside `{}` is printed as is; inside: `.field`, `['key']`, `[n]`,
 * `[start:end:step]` (negative indices), `[*]`, `[a,b]` unions, `..` recursive descent, `*`,
 * `[?(@.x == "y")]` filters (== != < > <= >=, and existence `[?(@.x)]`), `"literal"` strings,
 * `range … end`. Maps and arrays print as compact JSON, scalars as Go's fmt prints them, and the
 * results of one `{}` are separated by spaces.
 *
 * Differences from client-go, on purpose: numbers compare numerically across int/float (Go
 * refuses to compare an int64 field with a float literal); the error for indexing a non-array
 * names the JSON type (`map[string]interface {}` as Go prints it for decoded JSON).
 */

type Param = { known: boolean; value: number; derived: boolean };
type ListNode = { t: 'list'; nodes: Node[] };
type Node =
  | ListNode
  | { t: 'text'; text: string }
  | { t: 'field'; name: string }
  | { t: 'array'; params: [Param, Param, Param] }
  | { t: 'filter'; left: ListNode; right: ListNode; op: string }
  | { t: 'int'; v: number }
  | { t: 'float'; v: number }
  | { t: 'bool'; v: boolean }
  | { t: 'wildcard' }
  | { t: 'recursive' }
  | { t: 'union'; nodes: ListNode[] }
  | { t: 'ident'; name: string };

export class JSONPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JSONPathError';
  }
}

const EOF = '';

class Parser {
  root: ListNode = { t: 'list', nodes: [] };
  private input = '';
  private pos = 0;
  private start = 0;
  private width = 0;

  parse(text: string): ListNode {
    this.input = text;
    this.root = { t: 'list', nodes: [] };
    this.pos = 0;
    this.start = 0;
    this.parseText(this.root);
    return this.root;
  }

  private consume(): string {
    const v = this.input.slice(this.start, this.pos);
    this.start = this.pos;
    return v;
  }
  private next(): string {
    if (this.pos >= this.input.length) {
      this.width = 0;
      return EOF;
    }
    const cp = this.input.codePointAt(this.pos)!;
    const ch = String.fromCodePoint(cp);
    this.width = ch.length;
    this.pos += this.width;
    return ch;
  }
  private peek(): string {
    const r = this.next();
    this.backup();
    return r;
  }
  private backup(): void {
    this.pos -= this.width;
  }
  private rest(): string {
    return this.input.slice(this.pos);
  }

  private parseText(cur: ListNode): void {
    for (;;) {
      if (this.rest().startsWith('{')) {
        if (this.pos > this.start) cur.nodes.push({ t: 'text', text: this.consume() });
        this.pos += 1;
        this.consume();
        const n: ListNode = { t: 'list', nodes: [] };
        cur.nodes.push(n);
        this.parseInside(n);
        return;
      }
      if (this.next() === EOF) break;
    }
    if (this.pos > this.start) cur.nodes.push({ t: 'text', text: this.consume() });
  }

  private parseInside(cur: ListNode): void {
    // Iterative where client-go recurses: each step consumes input or returns.
    for (;;) {
      const rest = this.rest();
      if (rest.startsWith('}')) {
        this.pos += 1;
        this.consume();
        this.parseText(this.root);
        return;
      }
      if (rest.startsWith('[?(')) {
        this.parseFilter(cur);
        continue;
      }
      if (rest.startsWith('..')) {
        const last = cur.nodes[cur.nodes.length - 1];
        if (last && last.t === 'recursive') throw new JSONPathError('invalid multiple recursive descent');
        this.pos += 2;
        this.consume();
        cur.nodes.push({ t: 'recursive' });
        if (isAlphaNumeric(this.peek())) this.parseField(cur);
        continue;
      }
      const r = this.next();
      if (r === EOF || r === '\r' || r === '\n') throw new JSONPathError('unclosed action');
      if (r === ' ' || r === '@' || r === '$') {
        this.consume();
      } else if (r === '[') {
        this.parseArray(cur);
      } else if (r === '"' || r === "'") {
        this.parseQuote(cur, r);
      } else if (r === '.') {
        this.parseField(cur);
      } else if (r === '+' || r === '-' || isDigit(r)) {
        this.backup();
        this.parseNumber(cur);
      } else if (isAlphaNumeric(r)) {
        this.backup();
        this.parseIdentifier(cur);
      } else {
        throw new JSONPathError(`unrecognized character in action: ${goRuneRepr(r)}`);
      }
    }
  }

  private parseIdentifier(cur: ListNode): void {
    for (;;) {
      const r = this.next();
      if (isTerminator(r)) {
        this.backup();
        break;
      }
    }
    const v = this.consume();
    if (v === 'true' || v === 'false') cur.nodes.push({ t: 'bool', v: v === 'true' });
    else cur.nodes.push({ t: 'ident', name: v });
  }

  private parseNumber(cur: ListNode): void {
    const r = this.peek();
    if (r === '+' || r === '-') this.next();
    for (;;) {
      const c = this.next();
      if (c !== '.' && !isDigit(c)) {
        this.backup();
        break;
      }
    }
    const v = this.consume();
    if (/^[+-]?\d+$/.test(v)) {
      cur.nodes.push({ t: 'int', v: Number(v) });
      return;
    }
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(v)) {
      cur.nodes.push({ t: 'float', v: Number(v) });
      return;
    }
    throw new JSONPathError(`cannot parse number ${v}`);
  }

  private parseArray(cur: ListNode): void {
    for (;;) {
      const c = this.next();
      if (c === EOF || c === '\n') throw new JSONPathError('unterminated array');
      if (c === ']') break;
    }
    let text = this.consume();
    text = text.slice(1, -1);
    if (text === '*') text = ':';
    const strs = text.split(',');
    if (strs.length > 1) {
      const union: ListNode[] = [];
      for (const s of strs) union.push(parseAction(`[${s.trim()}]`));
      cur.nodes.push({ t: 'union', nodes: union });
      return;
    }
    const dict = /^'([^']*)'$/.exec(text);
    if (dict) {
      for (const n of parseAction(`.${dict[1]}`).nodes) cur.nodes.push(n);
      return;
    }
    const m = /^(-?\d*)(:-?\d*)?(:-?\d*)?$/.exec(text);
    if (!m) throw new JSONPathError(`invalid array index ${text}`);
    const vals = [m[1] ?? '', m[2] ?? '', m[3] ?? ''];
    const params: [Param, Param, Param] = [
      { known: false, value: 0, derived: false },
      { known: false, value: 0, derived: false },
      { known: false, value: 0, derived: false },
    ];
    for (let i = 0; i < 3; i++) {
      let v = vals[i];
      if (v !== '') {
        if (i > 0) v = v.slice(1);
        if (i > 0 && v === '') params[i].known = false;
        else {
          if (!/^-?\d+$/.test(v)) throw new JSONPathError(`array index ${v} is not a number`);
          params[i].known = true;
          params[i].value = Number(v);
        }
      } else if (i === 1) {
        params[i] = { known: true, value: params[0].value + 1, derived: true };
      }
    }
    cur.nodes.push({ t: 'array', params });
  }

  private parseFilter(cur: ListNode): void {
    this.pos += 3;
    this.consume();
    let begin = false;
    let end = false;
    let pair = '';
    for (;;) {
      const r = this.next();
      if (r === EOF || r === '\n') throw new JSONPathError('unterminated filter');
      if (r === '"' || r === "'") {
        if (!begin) {
          begin = true;
          pair = r;
          continue;
        }
        if (this.input[this.pos - 2] !== '\\' && r === pair) end = true;
      } else if (r === ')') {
        if (begin === end) break;
      }
    }
    if (this.next() !== ']') throw new JSONPathError('unclosed array expect ]');
    let text = this.consume();
    text = text.slice(0, -2);
    const m = /^([^!<>=]+)([!<>=]+)(.+?)$/s.exec(text);
    if (!m) {
      cur.nodes.push({ t: 'filter', left: parseAction(text), right: { t: 'list', nodes: [] }, op: 'exists' });
    } else {
      cur.nodes.push({ t: 'filter', left: parseAction(m[1]), right: parseAction(m[3]), op: m[2] });
    }
  }

  private parseQuote(cur: ListNode, end: string): void {
    for (;;) {
      const c = this.next();
      if (c === EOF || c === '\n') throw new JSONPathError('unterminated quoted string');
      if (c === end && this.input[this.pos - 2] !== '\\') break;
    }
    const v = this.consume();
    let s: string;
    try {
      s = unquoteExtend(v);
    } catch (e) {
      throw new JSONPathError(`unquote string ${v} error ${(e as Error).message}`);
    }
    cur.nodes.push({ t: 'text', text: s });
  }

  private parseField(cur: ListNode): void {
    this.consume();
    for (;;) {
      const r = this.next();
      if (r === '\\') {
        this.next();
        continue;
      }
      if (isTerminator(r)) {
        this.backup();
        break;
      }
    }
    const v = this.consume();
    if (v === '*') cur.nodes.push({ t: 'wildcard' });
    else cur.nodes.push({ t: 'field', name: v.replaceAll('\\', '') });
  }
}

function parseAction(text: string): ListNode {
  const p = new Parser();
  const root = p.parse(`{${text}}`);
  return root.nodes[0] as ListNode;
}

function isDigit(r: string): boolean {
  return r !== '' && /^\p{Nd}$/u.test(r);
}
function isAlphaNumeric(r: string): boolean {
  return r === '_' || (r !== '' && /^[\p{L}\p{Nd}]$/u.test(r));
}
function isTerminator(r: string): boolean {
  return r === EOF || r === ' ' || r === '\t' || r === '\r' || r === '\n' || '.,[]$@{}'.includes(r);
}
function goRuneRepr(r: string): string {
  const cp = r.codePointAt(0)!;
  const hex = cp.toString(16).toUpperCase().padStart(4, '0');
  return `U+${hex} '${r}'`;
}

/** strconv.Unquote, also for single-quoted strings of any length. */
function unquoteExtend(s: string): string {
  if (s.length < 2) throw new Error('invalid syntax');
  const q = s[0];
  if (q !== s[s.length - 1] || (q !== '"' && q !== "'")) throw new Error('invalid syntax');
  s = s.slice(1, -1);
  if (!s.includes('\\') && !s.includes(q)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === q) throw new Error('invalid syntax');
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = s[++i];
    switch (n) {
      case 'a': out += '\x07'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'v': out += '\v'; break;
      case '\\': out += '\\'; break;
      case "'": case '"':
        if (n !== q) throw new Error('invalid syntax');
        out += n;
        break;
      case 'x': case 'u': case 'U': {
        const len = n === 'x' ? 2 : n === 'u' ? 4 : 8;
        const hex = s.slice(i + 1, i + 1 + len);
        if (hex.length !== len || !/^[0-9a-fA-F]+$/.test(hex)) throw new Error('invalid syntax');
        out += String.fromCodePoint(parseInt(hex, 16));
        i += len;
        break;
      }
      default:
        if (n !== undefined && /[0-7]/.test(n)) {
          const oct = s.slice(i, i + 3);
          if (!/^[0-7]{3}$/.test(oct)) throw new Error('invalid syntax');
          out += String.fromCharCode(parseInt(oct, 8));
          i += 2;
          break;
        }
        throw new Error('invalid syntax');
    }
  }
  return out;
}

// ---- evaluation ----

/** The Go nil interface / invalid value: a missing input. */
const NIL = Symbol('nil');
type Value = unknown;

function isNil(v: Value): boolean {
  return v === null || v === undefined || v === NIL;
}
function isMap(v: Value): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
/** What Go's reflect prints as the type of a decoded JSON value. */
export function goTypeName(v: Value): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (Array.isArray(v)) return '[]interface {}';
  if (isMap(v)) return 'map[string]interface {}';
  return 'interface {}';
}

function children(v: Value): Value[] {
  if (Array.isArray(v)) return v;
  if (isMap(v)) return Object.values(v);
  if (typeof v === 'string') return [...Buffer.from(v, 'utf8')];
  return [];
}

import { goJSON, goSprint } from './gojson';

export interface JSONPathOptions {
  /** kubectl's --allow-missing-template-keys (kubectl's default: true). */
  allowMissingKeys?: boolean;
  /** jsonpath-as-json: every result set printed as one indented JSON array. */
  outputJSON?: boolean;
  /** Sort object keys when printing JSON (Go maps do; Go structs do not). Default true. */
  sortKeys?: boolean;
}

export class JSONPath {
  private readonly root: ListNode;
  private beginRange = 0;
  private inRange = 0;
  private endRange = 0;
  private lastEnd = -1;
  private readonly allowMissingKeys: boolean;
  private readonly outputJSON: boolean;
  private readonly sortKeys: boolean;

  /** Parses the template; throws JSONPathError with client-go's message on bad syntax. */
  constructor(readonly template: string, o: JSONPathOptions = {}) {
    this.root = new Parser().parse(template);
    this.allowMissingKeys = o.allowMissingKeys ?? false;
    this.outputJSON = o.outputJSON ?? false;
    this.sortKeys = o.sortKeys ?? true;
  }

  /** The result sets: one per `{}` action or text (a range contributes one set per iteration step). */
  findResults(data: unknown): unknown[][] {
    this.beginRange = this.inRange = this.endRange = 0;
    this.lastEnd = -1;
    return this.find(data, 0).map((set) => set.map((v) => (v === NIL ? null : v)));
  }

  /** Executes the template and returns the text client-go would write. */
  execute(data: unknown): string {
    let out = '';
    for (const set of this.findResults(data)) out += this.printResults(set);
    return out;
  }

  printResults(results: unknown[]): string {
    if (this.outputJSON) results = [results];
    let out = '';
    results.forEach((r, i) => {
      let text: string;
      if (this.outputJSON) text = goJSON(r, '    ', this.sortKeys) + '\n';
      else if (Array.isArray(r) || isMap(r)) text = goJSON(r, '', this.sortKeys);
      else text = goSprint(r);
      if (i !== results.length - 1) text += ' ';
      out += text;
    });
    return out;
  }

  private find(data: Value, start: number): Value[][] {
    const nodes = this.root.nodes;
    const cur = [data];
    const full: Value[][] = [];
    for (let i = start; i < nodes.length; i++) {
      const results = this.walk(cur, nodes[i]);
      if (this.endRange > 0 && this.endRange <= this.inRange) {
        this.endRange--;
        this.lastEnd = i;
        break;
      }
      if (this.beginRange > 0) {
        this.beginRange--;
        this.inRange++;
        if (results.length > 0) {
          for (const v of results) full.push(...this.find(v, i + 1));
        } else {
          this.find(NIL, i + 1);
        }
        this.inRange--;
        for (let k = i + 1; k < nodes.length; k++) {
          if (k === this.lastEnd) {
            i = k;
            break;
          }
        }
        continue;
      }
      full.push(results);
    }
    return full;
  }

  private walk(input: Value[], node: Node): Value[] {
    switch (node.t) {
      case 'list': {
        let cur = input;
        for (const n of node.nodes) cur = this.walk(cur, n);
        return cur;
      }
      case 'text':
        return [node.text];
      case 'int':
      case 'float':
      case 'bool':
        return input.map(() => node.v);
      case 'field':
        return this.evalField(input, node.name);
      case 'array':
        return this.evalArray(input, node.params);
      case 'filter':
        return this.evalFilter(input, node);
      case 'wildcard': {
        const out: Value[] = [];
        for (const v of input) if (!isNil(v)) out.push(...children(v));
        return out;
      }
      case 'recursive':
        return this.evalRecursive(input);
      case 'union': {
        const out: Value[] = [];
        for (const l of node.nodes) out.push(...this.walk(input, l));
        return out;
      }
      case 'ident':
        if (node.name === 'range') {
          this.beginRange++;
          return input;
        }
        if (node.name === 'end') {
          if (this.inRange > 0) {
            this.endRange++;
            return [];
          }
          throw new JSONPathError('not in range, nothing to end');
        }
        throw new JSONPathError(`unrecognized identifier ${node.name}`);
    }
  }

  private evalField(input: Value[], name: string): Value[] {
    const out: Value[] = [];
    if (input.length === 0) return out;
    for (const v of input) {
      if (isNil(v)) continue;
      if (isMap(v) && Object.prototype.hasOwnProperty.call(v, name) && v[name] !== undefined) out.push(v[name]);
    }
    if (out.length === 0 && !this.allowMissingKeys) throw new JSONPathError(`${name} is not found`);
    return out;
  }

  private evalArray(input: Value[], p: [Param, Param, Param]): Value[] {
    const out: Value[] = [];
    for (const v of input) {
      if (isNil(v)) continue;
      if (!Array.isArray(v)) throw new JSONPathError(`${goTypeName(v)} is not array or slice`);
      // client-go mutates its parsed params; copy them so a template can be executed many times.
      const s = { ...p[0] };
      const e = { ...p[1] };
      const len = v.length;
      if (!s.known) s.value = 0;
      if (s.value < 0) s.value += len;
      if (!e.known) e.value = len;
      if (e.value < 0 || (e.value === 0 && e.derived)) e.value += len;
      if (e.value === s.value) return out;
      if (s.value >= len || s.value < 0) throw new JSONPathError(`array index out of bounds: index ${s.value}, length ${len}`);
      if (e.value > len || e.value < 0) throw new JSONPathError(`array index out of bounds: index ${e.value - 1}, length ${len}`);
      if (s.value > e.value) throw new JSONPathError(`starting index ${s.value} is greater than ending index ${e.value}`);
      const slice = v.slice(s.value, e.value);
      let step = 1;
      if (p[2].known) {
        if (p[2].value <= 0) throw new JSONPathError('step must be > 0');
        step = p[2].value;
      }
      for (let i = 0; i < slice.length; i += step) out.push(slice[i]);
    }
    return out;
  }

  private evalRecursive(input: Value[]): Value[] {
    const out: Value[] = [];
    for (const v of input) {
      if (isNil(v)) continue;
      const kids = children(v);
      if (kids.length !== 0) {
        out.push(v);
        out.push(...this.evalRecursive(kids));
      }
    }
    return out;
  }

  private evalFilter(input: Value[], node: { left: ListNode; right: ListNode; op: string }): Value[] {
    const out: Value[] = [];
    for (const v of input) {
      if (!Array.isArray(v)) throw new JSONPathError(`${goSprint(v === NIL ? null : v)} is not array or slice and cannot be filtered`);
      for (const item of v) {
        let lefts: Value[];
        let err: unknown;
        try {
          lefts = this.walk([item], node.left);
        } catch (e) {
          lefts = [];
          err = e;
        }
        if (node.op === 'exists') {
          if (lefts.length > 0) out.push(item);
          continue;
        }
        if (err) throw err;
        if (lefts.length === 0) continue;
        if (lefts.length > 1) throw new JSONPathError('can only compare one element at a time');
        const rights = this.walk([item], node.right);
        if (rights.length === 0) continue;
        if (rights.length > 1) throw new JSONPathError('can only compare one element at a time');
        if (compare(lefts[0], rights[0], node.op)) out.push(item);
      }
    }
    return out;
  }
}

function basicKind(v: Value): 'bool' | 'number' | 'string' | 'other' {
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'string') return 'string';
  return 'other';
}

function compare(l: Value, r: Value, op: string): boolean {
  const kl = basicKind(l);
  const kr = basicKind(r);
  switch (op) {
    case '==':
    case '!=': {
      if (kl === 'other' || kr === 'other') throw new JSONPathError('invalid type for comparison');
      if (kl !== kr) throw new JSONPathError('incompatible types for comparison');
      return op === '==' ? l === r : l !== r;
    }
    case '<':
    case '>':
    case '<=':
    case '>=': {
      if (kl === 'other' || kr === 'other' || kl === 'bool' || kr === 'bool') throw new JSONPathError('invalid type for comparison');
      if (kl !== kr) throw new JSONPathError('incompatible types for comparison');
      const a = l as number | string;
      const b = r as number | string;
      if (op === '<') return a < b;
      if (op === '>') return a > b;
      if (op === '<=') return a <= b;
      return a >= b;
    }
    default:
      throw new JSONPathError(`unrecognized filter operator ${op}`);
  }
}

const relaxedRe = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/s;

/**
 * kubectl's RelaxedJSONPathExpression (custom-columns, --sort-by): `a.b`, `.a.b`, `{a.b}` and
 * `{.a.b}` all become `{.a.b}`.
 */
export function relaxedJSONPathExpression(expr: string): string {
  if (expr.length === 0) return expr;
  const m = relaxedRe.exec(expr);
  if (!m) {
    throw new JSONPathError("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'");
  }
  return `{.${m[1] ?? m[2]}}`;
}
