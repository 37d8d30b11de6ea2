/**
 * Go's text/template, for kubectl's `-o go-template` / `template`: written from the language's
 * documentation and its test suite (no npm package implements the Go dialect faithfully).
 *
 * Supported: text and `{{…}}` actions with `{{-`/`-}}` trimming and `{{/* comments *\/}}`;
 * pipelines with `|`; fields `.a.b` (maps), `$` and variables (`$x := …`, `$x = …`,
 * `range $i, $e := …`); `(…)` with field chains; literals (strings, raw strings, chars, numbers,
 * true/false/nil); `if`/`else if`/`else`, `range` (slices, maps in sorted key order, integers;
 * `else`, `break`, `continue`), `with`/`else with`, `define`/`template`/`block`; the built-in
 * functions and, or, not, len, index, slice, print, printf, println, html, js, urlquery, eq, ne,
 * lt, le, gt, ge; kubectl's `exists` and `base64decode`. Missing map keys print `<no value>`
 * (kubectl's --allow-missing-template-keys=true, Go's missingkey=default) or fail with Go's
 * `map has no entry for key "x"` (false, missingkey=error).
 *
 * Not supported: methods on Go values (there are none on decoded JSON), `call`.
 * Difference: numbers compare across int and float (Go refuses `eq 1 1.0`).
 */
import { goSprint, goStringCompare } from './gojson';

export class GoTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GoTemplateError';
  }
}

/** Go's invalid reflect.Value: a missing key, nil. Prints as `<no value>`. */
const NOVALUE = Symbol('no value');
type V = unknown;

// ---------------- lexer ----------------

type TokType =
  | 'text' | 'left' | 'right' | 'pipe' | 'lparen' | 'rparen' | 'declare' | 'assign' | 'comma'
  | 'string' | 'char' | 'number' | 'bool' | 'nil' | 'dot' | 'field' | 'variable' | 'identifier'
  | 'keyword' | 'space' | 'comment' | 'eof';

interface Tok {
  t: TokType;
  v: string;
  pos: number;
  /** For strings: the unquoted value; numbers: the value. */
  val?: unknown;
}

const KEYWORDS = new Set(['block', 'break', 'continue', 'define', 'else', 'end', 'if', 'range', 'nil', 'template', 'with']);

function isSpaceCh(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}
function isAlnum(c: string): boolean {
  return c !== undefined && c !== '' && /[\p{L}\p{Nd}_]/u.test(c);
}

function lex(name: string, src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  const lineOf = (p: number) => 1 + (src.slice(0, p).match(/\n/g)?.length ?? 0);
  const fail = (p: number, msg: string): never => {
    throw new GoTemplateError(`template: ${name}:${lineOf(p)}: ${msg}`);
  };
  while (i < src.length) {
    const start = src.indexOf('{{', i);
    if (start < 0) {
      toks.push({ t: 'text', v: src.slice(i), pos: i });
      break;
    }
    let text = src.slice(i, start);
    let p = start + 2;
    const trimLeft = src[p] === '-' && isSpaceCh(src[p + 1] ?? '');
    if (trimLeft) {
      text = text.replace(/[ \t\r\n]+$/, '');
      p += 2;
    }
    if (text) toks.push({ t: 'text', v: text, pos: i });
    // comment
    let q = p;
    while (isSpaceCh(src[q] ?? '') && trimLeft) q++;
    if (src.startsWith('/*', trimLeft ? q : p)) {
      const cs = trimLeft ? q : p;
      const ce = src.indexOf('*/', cs + 2);
      if (ce < 0) fail(cs, 'unclosed comment');
      let after = ce + 2;
      let trimRight = false;
      if (src.startsWith(' -}}', after) || src.startsWith('\t-}}', after) || src.startsWith('\n-}}', after) || src.startsWith('\r-}}', after)) {
        trimRight = true;
        after += 4;
      } else if (src.startsWith('}}', after)) {
        after += 2;
      } else fail(ce, 'comment ends before closing delimiter');
      toks.push({ t: 'left', v: '{{', pos: start });
      toks.push({ t: 'comment', v: src.slice(cs, ce + 2), pos: cs });
      toks.push({ t: 'right', v: '}}', pos: after - 2 });
      i = after;
      if (trimRight) while (i < src.length && isSpaceCh(src[i])) i++;
      continue;
    }
    toks.push({ t: 'left', v: '{{', pos: start });
    let parenDepth = 0;
    // inside action
    for (;;) {
      if (p >= src.length) fail(p, 'unclosed action');
      const c = src[p];
      // right delimiter, possibly with trim marker
      if (isSpaceCh(c) && src[p + 1] === '-' && src.startsWith('}}', p + 2)) {
        if (parenDepth > 0) fail(p, 'unclosed left paren');
        toks.push({ t: 'right', v: '}}', pos: p + 2 });
        p += 4;
        while (p < src.length && isSpaceCh(src[p])) p++;
        break;
      }
      if (src.startsWith('}}', p)) {
        if (parenDepth > 0) fail(p, 'unclosed left paren');
        toks.push({ t: 'right', v: '}}', pos: p });
        p += 2;
        break;
      }
      if (c === '\n' || c === '\r') {
        // Go ≥1.16 allows newlines inside actions; treat as space.
      }
      if (isSpaceCh(c)) {
        const s = p;
        while (p < src.length && isSpaceCh(src[p]) && !(src[p + 1] === '-' && src.startsWith('}}', p + 2))) p++;
        if (p === s) p++;
        toks.push({ t: 'space', v: src.slice(s, p), pos: s });
        continue;
      }
      if (c === '|') {
        toks.push({ t: 'pipe', v: c, pos: p++ });
        continue;
      }
      if (c === '(') {
        parenDepth++;
        toks.push({ t: 'lparen', v: c, pos: p++ });
        continue;
      }
      if (c === ')') {
        parenDepth--;
        if (parenDepth < 0) fail(p, `unexpected right paren`);
        toks.push({ t: 'rparen', v: c, pos: p++ });
        continue;
      }
      if (c === ',') {
        toks.push({ t: 'comma', v: c, pos: p++ });
        continue;
      }
      if (c === ':') {
        if (src[p + 1] !== '=') fail(p, 'expected :=');
        toks.push({ t: 'declare', v: ':=', pos: p });
        p += 2;
        continue;
      }
      if (c === '=') {
        toks.push({ t: 'assign', v: '=', pos: p++ });
        continue;
      }
      if (c === '"') {
        const s = p++;
        while (p < src.length && src[p] !== '"') {
          if (src[p] === '\\') p++;
          if (src[p] === '\n') fail(s, 'unterminated quoted string');
          p++;
        }
        if (p >= src.length) fail(s, 'unterminated quoted string');
        p++;
        const raw = src.slice(s, p);
        toks.push({ t: 'string', v: raw, pos: s, val: unquoteGo(raw, () => fail(s, `invalid syntax`)) });
        continue;
      }
      if (c === '`') {
        const s = p++;
        const e = src.indexOf('`', p);
        if (e < 0) fail(s, 'unterminated raw quoted string');
        toks.push({ t: 'string', v: src.slice(s, e + 1), pos: s, val: src.slice(s + 1, e).replaceAll('\r', '') });
        p = e + 1;
        continue;
      }
      if (c === "'") {
        const s = p++;
        while (p < src.length && src[p] !== "'") {
          if (src[p] === '\\') p++;
          p++;
        }
        if (p >= src.length) fail(s, 'unterminated character constant');
        p++;
        const raw = src.slice(s, p);
        const str = unquoteGo(`"${raw.slice(1, -1).replaceAll('"', '\\"')}"`, () => fail(s, `malformed character constant: ${raw}`));
        const cps = [...str];
        if (cps.length !== 1) fail(s, `malformed character constant: ${raw}`);
        toks.push({ t: 'char', v: raw, pos: s, val: cps[0].codePointAt(0) });
        continue;
      }
      if (c === '$') {
        const s = p++;
        while (isAlnum(src[p])) p++;
        toks.push({ t: 'variable', v: src.slice(s, p), pos: s });
        continue;
      }
      if (c === '.') {
        if (isAlnum(src[p + 1]) && !/\d/.test(src[p + 1])) {
          const s = p++;
          while (isAlnum(src[p])) p++;
          toks.push({ t: 'field', v: src.slice(s, p), pos: s });
          continue;
        }
        if (!/\d/.test(src[p + 1] ?? '')) {
          toks.push({ t: 'dot', v: '.', pos: p++ });
          continue;
        }
      }
      if (/[0-9+\-.]/.test(c)) {
        const m = /^[+-]?(0[xX][0-9a-fA-F_]+(\.[0-9a-fA-F_]*)?([pP][+-]?\d+)?|0[bB][01_]+|0[oO][0-7_]+|(\d[\d_]*)?\.?[\d_]*([eE][+-]?\d+)?)(i?)/.exec(src.slice(p));
        const lit = m ? m[0] : '';
        if (!lit || lit === '+' || lit === '-' || lit === '.' || isAlnum(src[p + lit.length])) fail(p, `bad number syntax: "${src.slice(p, p + Math.max(1, lit.length + 1))}"`);
        const n = parseGoNumber(lit);
        if (n === undefined) fail(p, `bad number syntax: "${lit}"`);
        toks.push({ t: 'number', v: lit, pos: p, val: n });
        p += lit.length;
        continue;
      }
      if (isAlnum(c)) {
        const s = p;
        while (isAlnum(src[p])) p++;
        const w = src.slice(s, p);
        if (w === 'true' || w === 'false') toks.push({ t: 'bool', v: w, pos: s, val: w === 'true' });
        else if (w === 'nil') toks.push({ t: 'nil', v: w, pos: s });
        else if (KEYWORDS.has(w)) toks.push({ t: 'keyword', v: w, pos: s });
        else toks.push({ t: 'identifier', v: w, pos: s });
        continue;
      }
      fail(p, `unrecognized character in action: ${goRune(c)}`);
    }
    i = p;
  }
  toks.push({ t: 'eof', v: '', pos: src.length });
  return toks;
}

function goRune(c: string): string {
  const cp = c.codePointAt(0)!;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')} '${c}'`;
}

function parseGoNumber(lit: string): number | undefined {
  let s = lit.replaceAll('_', '');
  if (s.endsWith('i')) return undefined; // complex numbers: not supported
  let sign = 1;
  if (s[0] === '+' || s[0] === '-') {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  let n: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(s)) n = parseInt(s.slice(2), 16);
  else if (/^0[bB][01]+$/.test(s)) n = parseInt(s.slice(2), 2);
  else if (/^0[oO][0-7]+$/.test(s)) n = parseInt(s.slice(2), 8);
  else if (/^0[0-7]+$/.test(s)) n = parseInt(s.slice(1), 8);
  else if (/^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) n = Number(s);
  else return undefined;
  return sign * n;
}

function unquoteGo(raw: string, bad: () => never): string {
  const s = raw.slice(1, -1);
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = s[++i];
    const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'" };
    if (n in simple) out += simple[n];
    else if (n === 'x' || n === 'u' || n === 'U') {
      const len = n === 'x' ? 2 : n === 'u' ? 4 : 8;
      const hex = s.slice(i + 1, i + 1 + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) bad();
      out += n === 'x' ? String.fromCharCode(parseInt(hex, 16)) : String.fromCodePoint(parseInt(hex, 16));
      i += len;
    } else if (/[0-7]/.test(n ?? '')) {
      const oct = s.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(oct)) bad();
      out += String.fromCharCode(parseInt(oct, 8));
      i += 2;
    } else bad();
  }
  return out;
}

// ---------------- parser ----------------

type Arg =
  | { k: 'field'; path: string[]; pos: number; src: string }
  | { k: 'chain'; node: Arg; path: string[]; pos: number; src: string }
  | { k: 'var'; name: string; path: string[]; pos: number; src: string }
  | { k: 'dot'; pos: number; src: string }
  | { k: 'nil'; pos: number; src: string }
  | { k: 'lit'; value: unknown; pos: number; src: string }
  | { k: 'ident'; name: string; pos: number; src: string }
  | { k: 'pipe'; pipe: Pipe; pos: number; src: string };

interface Cmd {
  args: Arg[];
  pos: number;
}
interface Pipe {
  decl: string[];
  isAssign: boolean;
  cmds: Cmd[];
  pos: number;
  src: string;
}

type Item =
  | { k: 'text'; text: string }
  | { k: 'action'; pipe: Pipe }
  | { k: 'if' | 'with'; pipe: Pipe; list: Item[]; else?: Item[] }
  | { k: 'range'; pipe: Pipe; list: Item[]; else?: Item[] }
  | { k: 'template'; name: string; pipe?: Pipe; pos: number }
  | { k: 'break' | 'continue'; pos: number };

class TParser {
  private p = 0;
  private rangeDepth = 0;
  readonly defines = new Map<string, Item[]>();
  private vars: string[][] = [['$']];
  constructor(
    private readonly name: string,
    private readonly src: string,
    private readonly toks: Tok[],
    private readonly funcs: Set<string>,
  ) {}

  private line(pos: number): number {
    return 1 + (this.src.slice(0, pos).match(/\n/g)?.length ?? 0);
  }
  private fail(pos: number, msg: string): never {
    throw new GoTemplateError(`template: ${this.name}:${this.line(pos)}: ${msg}`);
  }
  private peek(): Tok {
    return this.toks[this.p];
  }
  private next(): Tok {
    return this.toks[this.p++];
  }
  private peekNonSpace(): Tok {
    let q = this.p;
    while (this.toks[q].t === 'space') q++;
    return this.toks[q];
  }
  private nextNonSpace(): Tok {
    let t = this.next();
    while (t.t === 'space') t = this.next();
    return t;
  }
  private expect(t: TokType, ctx: string): Tok {
    const tok = this.nextNonSpace();
    if (tok.t !== t) this.unexpected(tok, ctx);
    return tok;
  }
  private unexpected(tok: Tok, ctx: string): never {
    const desc = tok.t === 'eof' ? 'EOF' : tok.t === 'right' ? '"}}"' : `"${tok.v}"`;
    this.fail(tok.pos, `unexpected ${desc} in ${ctx}`);
  }

  parseTop(): Item[] {
    const [items, end] = this.itemList(true);
    if (end) this.fail(end.pos, `unexpected ${end.what}`);
    return items;
  }

  /** Parses items until {{end}}/{{else}} (returned) or EOF (when allowed). */
  private itemList(top: boolean): [Item[], { what: string; pos: number } | undefined] {
    const items: Item[] = [];
    for (;;) {
      const t = this.next();
      if (t.t === 'eof') {
        if (!top) this.fail(t.pos, 'unexpected EOF');
        return [items, undefined];
      }
      if (t.t === 'text') {
        items.push({ k: 'text', text: t.v });
        continue;
      }
      if (t.t !== 'left') this.unexpected(t, 'input');
      const kw = this.peekNonSpace();
      if (kw.t === 'comment') {
        this.nextNonSpace();
        this.expect('right', 'comment');
        continue;
      }
      if (kw.t === 'keyword') {
        switch (kw.v) {
          case 'end':
          case 'else':
            this.nextNonSpace();
            return [items, { what: `{{${kw.v}}}`, pos: kw.pos }];
          case 'if':
          case 'with':
          case 'range':
            this.nextNonSpace();
            items.push(this.control(kw.v));
            continue;
          case 'break':
          case 'continue':
            this.nextNonSpace();
            if (this.rangeDepth === 0) this.fail(kw.pos, `{{${kw.v}}} outside {{range}}`);
            this.expect('right', kw.v);
            items.push({ k: kw.v, pos: kw.pos });
            continue;
          case 'define': {
            this.nextNonSpace();
            const nm = this.expect('string', 'define clause');
            this.expect('right', 'define clause');
            const saved = this.vars;
            this.vars = [['$']];
            const [body, end] = this.itemList(false);
            this.vars = saved;
            if (end?.what !== '{{end}}') this.fail(end?.pos ?? 0, `unexpected ${end?.what} in define clause`);
            this.expect('right', 'end');
            this.defines.set(String(nm.val), body);
            continue;
          }
          case 'template':
          case 'block': {
            this.nextNonSpace();
            const nm = this.expect('string', `${kw.v} clause`);
            let pipe: Pipe | undefined;
            if (this.peekNonSpace().t !== 'right') pipe = this.pipeline(`${kw.v} clause`, false);
            else this.nextNonSpace();
            if (kw.v === 'block') {
              const saved = this.vars;
              this.vars = [['$']];
              const [body, end] = this.itemList(false);
              this.vars = saved;
              if (end?.what !== '{{end}}') this.fail(end?.pos ?? 0, `unexpected ${end?.what} in block clause`);
              this.expect('right', 'end');
              this.defines.set(String(nm.val), body);
            }
            items.push({ k: 'template', name: String(nm.val), pipe, pos: kw.pos });
            continue;
          }
          default:
            break;
        }
      }
      const pipe = this.pipeline('command', true);
      items.push({ k: 'action', pipe });
    }
  }

  private control(kind: 'if' | 'with' | 'range'): Item {
    this.vars.push([]);
    const pipe = this.pipeline(kind, kind !== 'range' ? true : true, kind === 'range');
    if (kind === 'range') this.rangeDepth++;
    const [list, end] = this.itemList(false);
    if (kind === 'range') this.rangeDepth--;
    let elseList: Item[] | undefined;
    if (end?.what === '{{else}}') {
      // `else if` / `else with` chain: parse as a nested control that consumes our {{end}}.
      const nk = this.peekNonSpace();
      if ((kind === 'if' && nk.t === 'keyword' && nk.v === 'if') || (kind === 'with' && nk.t === 'keyword' && nk.v === 'with')) {
        this.nextNonSpace();
        this.vars.pop();
        const nested = this.control(nk.v as 'if' | 'with');
        return { k: kind, pipe, list, else: [nested] } as Item;
      }
      this.expect('right', 'else');
      const [el, end2] = this.itemList(false);
      if (end2?.what !== '{{end}}') this.fail(end2?.pos ?? 0, `expected end; found ${end2?.what}`);
      elseList = el;
    } else if (end?.what !== '{{end}}') {
      this.fail(end?.pos ?? 0, 'unexpected EOF');
    }
    this.expect('right', 'end');
    this.vars.pop();
    return { k: kind, pipe, list, else: elseList } as Item;
  }

  private hasVar(name: string): boolean {
    return this.vars.some((s) => s.includes(name));
  }

  /** Parses a pipeline up to `}}` (or `)` when inParen). */
  private pipeline(ctx: string, allowDecl: boolean, isRange = false, inParen = false): Pipe {
    const startTok = this.peekNonSpace();
    const pipe: Pipe = { decl: [], isAssign: false, cmds: [], pos: startTok.pos, src: '' };
    // declarations
    if (allowDecl && this.peekNonSpace().t === 'variable') {
      const save = this.p;
      const v = this.nextNonSpace();
      const nt = this.peekNonSpace();
      if (nt.t === 'declare' || nt.t === 'assign') {
        this.nextNonSpace();
        pipe.decl.push(v.v);
        pipe.isAssign = nt.t === 'assign';
        if (pipe.isAssign && !this.hasVar(v.v)) this.fail(v.pos, `undefined variable "${v.v}"`);
      } else if (nt.t === 'comma' && isRange) {
        this.nextNonSpace();
        const v2 = this.expect('variable', 'range');
        const d = this.nextNonSpace();
        if (d.t !== 'declare' && d.t !== 'assign') this.unexpected(d, 'range');
        pipe.isAssign = d.t === 'assign';
        pipe.decl.push(v.v, v2.v);
      } else {
        this.p = save;
      }
      if (!pipe.isAssign) for (const d of pipe.decl) this.vars[this.vars.length - 1].push(d);
    }
    const end: TokType = inParen ? 'rparen' : 'right';
    for (;;) {
      const t = this.peekNonSpace();
      if (t.t === end) {
        this.nextNonSpace();
        if (pipe.cmds.length === 0) this.fail(t.pos, `missing value for ${ctx}`);
        pipe.src = this.src.slice(startTok.pos, t.pos).trim();
        return pipe;
      }
      if (t.t === 'eof') this.fail(t.pos, inParen ? 'unclosed left paren' : 'unclosed action');
      pipe.cmds.push(this.command(ctx, end));
    }
  }

  private command(ctx: string, end: TokType): Cmd {
    const cmd: Cmd = { args: [], pos: this.peekNonSpace().pos };
    for (;;) {
      const t = this.peekNonSpace();
      if (t.t === end) break;
      if (t.t === 'pipe') {
        this.nextNonSpace();
        if (cmd.args.length === 0) this.fail(t.pos, 'missing command');
        return cmd;
      }
      if (t.t === 'eof') this.fail(t.pos, 'unclosed action');
      // operands must be separated by spaces
      if (cmd.args.length > 0 && this.peek().t !== 'space') this.unexpected(this.peek(), 'operand');
      cmd.args.push(this.operand(ctx));
    }
    if (cmd.args.length === 0) this.fail(this.peekNonSpace().pos, 'missing command');
    return cmd;
  }

  private operand(ctx: string): Arg {
    const t = this.nextNonSpace();
    let node: Arg;
    switch (t.t) {
      case 'field':
        node = { k: 'field', path: [t.v.slice(1)], pos: t.pos, src: t.v };
        break;
      case 'variable':
        if (!this.hasVar(t.v)) this.fail(t.pos, `undefined variable "${t.v}"`);
        node = { k: 'var', name: t.v, path: [], pos: t.pos, src: t.v };
        break;
      case 'dot':
        node = { k: 'dot', pos: t.pos, src: '.' };
        break;
      case 'nil':
        node = { k: 'nil', pos: t.pos, src: 'nil' };
        break;
      case 'string':
      case 'char':
      case 'number':
      case 'bool':
        node = { k: 'lit', value: t.val, pos: t.pos, src: t.v };
        break;
      case 'identifier':
        if (!this.funcs.has(t.v)) this.fail(t.pos, `function "${t.v}" not defined`);
        node = { k: 'ident', name: t.v, pos: t.pos, src: t.v };
        break;
      case 'lparen': {
        const pipe = this.pipeline('parenthesized pipeline', true, false, true);
        node = { k: 'pipe', pipe, pos: t.pos, src: `(${pipe.src})` };
        break;
      }
      default:
        this.unexpected(t, ctx === 'command' ? 'operand' : ctx);
    }
    // field chain directly after the term
    while (this.peek().t === 'field') {
      const f = this.next();
      const name = f.v.slice(1);
      if (node.k === 'field' || node.k === 'var') {
        node.path.push(name);
        node.src += f.v;
      } else if (node.k === 'chain') {
        node.path.push(name);
        node.src += f.v;
      } else {
        if (node.k === 'lit' || node.k === 'nil' || node.k === 'dot') this.fail(f.pos, `unexpected . after term "${node.src}"`);
        node = { k: 'chain', node, path: [name], pos: node.pos, src: node.src + f.v };
      }
    }
    return node;
  }
}

// ---------------- values and functions ----------------

function unwrap(v: V): V {
  return v === null || v === undefined ? NOVALUE : v;
}
function isMap(v: V): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function typeName(v: V): string {
  if (v === NOVALUE) return '<nil>';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float64';
  if (Array.isArray(v)) return '[]interface {}';
  if (isMap(v)) return 'map[string]interface {}';
  return 'interface {}';
}

/** Go's `truth`: false, 0, "", nil, empty map/slice are false. */
export function truth(v: V): boolean {
  if (v === NOVALUE || v === null || v === undefined) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (isMap(v)) return Object.keys(v).length > 0;
  return true;
}

function printValue(v: V): string {
  if (v === NOVALUE || v === null || v === undefined) return '<no value>';
  return goSprint(v);
}

/** fmt.Sprint: spaces between operands when neither side is a string. */
function sprint(args: V[]): string {
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += fmtArg(a);
  });
  return out;
}
function fmtArg(a: V): string {
  return a === NOVALUE ? '<nil>' : goSprint(a);
}

function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + '"';
}

/** A subset of fmt.Sprintf: flags `-+# 0`, width, precision, verbs v s d q x X o b c f F e E g G t T %. */
export function sprintf(format: string, args: V[]): string {
  let out = '';
  let ai = 0;
  const re = /%([-+# 0]*)(\*|\d+)?(?:\.(\*|\d+)?)?([a-zA-Z%])/g;
  let last = 0;
  for (let m = re.exec(format); m; m = re.exec(format)) {
    out += format.slice(last, m.index);
    last = re.lastIndex;
    const [, flags, wS, pS, verb] = m;
    if (verb === '%') {
      out += '%';
      continue;
    }
    let width = wS === '*' ? Number(args[ai++]) : wS ? Number(wS) : undefined;
    const prec = pS === '*' ? Number(args[ai++]) : pS !== undefined ? Number(pS) : m[0].includes('.') ? 0 : undefined;
    if (ai >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    const a = args[ai++];
    let s: string;
    const num = typeof a === 'number';
    const bad = () => `%!${verb}(${typeName(a)}=${fmtArg(a)})`;
    switch (verb) {
      case 'v':
        s = a === NOVALUE ? '<nil>' : flags.includes('#') && typeof a === 'string' ? goQuote(a) : goSprint(a);
        break;
      case 's':
        s = typeof a === 'string' ? a : Array.isArray(a) || isMap(a) ? goSprint(a) : num && Number.isInteger(a) ? `%!s(int=${a})` : fmtArg(a) === '<nil>' ? '%!s(<nil>)' : bad();
        if (prec !== undefined && typeof a === 'string') s = [...s].slice(0, prec).join('');
        break;
      case 'q':
        s = typeof a === 'string' ? goQuote(a) : num && Number.isInteger(a) ? `'${String.fromCodePoint(a as number)}'` : bad();
        break;
      case 'd':
        s = num && Number.isInteger(a) ? BigInt(a as number).toString() : bad();
        if (num && Number.isInteger(a) && flags.includes('+') && (a as number) >= 0) s = '+' + s;
        break;
      case 'x':
      case 'X':
      case 'o':
      case 'b':
        if (num && Number.isInteger(a)) {
          const base = verb === 'o' ? 8 : verb === 'b' ? 2 : 16;
          s = BigInt(a as number).toString(base);
          if (flags.includes('#') && verb !== 'b') s = (verb === 'o' ? '0' : '0x') + s;
        } else if (typeof a === 'string' && (verb === 'x' || verb === 'X')) {
          s = Buffer.from(a, 'utf8').toString('hex');
        } else s = bad();
        if (verb === 'X') s = s.toUpperCase();
        break;
      case 'c':
        s = num && Number.isInteger(a) ? String.fromCodePoint(a as number) : bad();
        break;
      case 'f':
      case 'F':
        s = num ? (a as number).toFixed(prec ?? 6) : bad();
        if (num && flags.includes('+') && (a as number) >= 0) s = '+' + s;
        break;
      case 'e':
      case 'E': {
        if (!num) {
          s = bad();
          break;
        }
        const [mant, e] = (a as number).toExponential(prec ?? 6).split('e');
        s = `${mant}e${e[0] === '-' ? '-' : '+'}${e.replace(/^[+-]/, '').padStart(2, '0')}`;
        if (verb === 'E') s = s.toUpperCase();
        break;
      }
      case 'g':
      case 'G':
        s = num ? (prec !== undefined ? String(Number((a as number).toPrecision(prec || 1))) : goSprint(Number.isInteger(a) ? (a as number) + 0 : a)) : bad();
        if (verb === 'G') s = s.toUpperCase();
        break;
      case 't':
        s = typeof a === 'boolean' ? String(a) : bad();
        break;
      case 'T':
        s = typeName(a);
        break;
      default:
        s = `%!${verb}(${typeName(a)}=${fmtArg(a)})`;
    }
    if (width !== undefined && width < 0) width = undefined;
    if (width !== undefined) {
      const len = [...s].length;
      if (len < width) {
        if (flags.includes('-')) s = s + ' '.repeat(width - len);
        else if (flags.includes('0') && /[dxXobfFeEgG]/.test(verb) && num) {
          const neg = s.startsWith('-') || s.startsWith('+');
          s = neg ? s[0] + '0'.repeat(width - len) + s.slice(1) : '0'.repeat(width - len) + s;
        } else s = ' '.repeat(width - len) + s;
      }
    }
    out += s;
  }
  out += format.slice(last);
  if (ai < args.length) out += `%!(EXTRA ${args.slice(ai).map((a) => `${typeName(a)}=${fmtArg(a)}`).join(', ')})`;
  return out;
}

function htmlEscape(s: string): string {
  return s.replace(/[<>&'"\0]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&#39;', '"': '&#34;', '\0': '\uFFFD' })[c]!);
}
function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (ch === '"') out += '\\"';
    else if (ch === '<') out += '\\u003C';
    else if (ch === '>') out += '\\u003E';
    else if (ch === '&') out += '\\u0026';
    else if (ch === '=') out += '\\u003D';
    else if (c < 0x20) out += `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;
    else out += ch;
  }
  return out;
}
function queryEscape(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const ch = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(ch)) out += ch;
    else if (ch === ' ') out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

type Kind = 'bool' | 'int' | 'float' | 'string' | 'other';
function basicKind(v: V): Kind {
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'string') return 'string';
  return 'other';
}

class ExecError extends Error {}

function eqValues(a: V, b: V): boolean {
  const ka = basicKind(a);
  const kb = basicKind(b);
  if (a === NOVALUE || b === NOVALUE) {
    if (a === NOVALUE && b === NOVALUE) return true;
    throw new ExecError('incompatible types for comparison');
  }
  if (ka === 'other' || kb === 'other') {
    if (ka !== kb) throw new ExecError('incompatible types for comparison');
    throw new ExecError(`non-comparable type ${fmtArg(a)}: ${typeName(a)}`);
  }
  const numeric = (k: Kind) => k === 'int' || k === 'float';
  if (ka !== kb && !(numeric(ka) && numeric(kb))) throw new ExecError('incompatible types for comparison');
  return a === b;
}
function ltValues(a: V, b: V): boolean {
  const ka = basicKind(a);
  const kb = basicKind(b);
  if (ka === 'other' || ka === 'bool' || kb === 'other' || kb === 'bool') throw new ExecError(`invalid type for comparison`);
  const numeric = (k: Kind) => k === 'int' || k === 'float';
  if (ka !== kb && !(numeric(ka) && numeric(kb))) throw new ExecError('incompatible types for comparison');
  if (ka === 'string') return goStringCompare(a as string, b as string) < 0;
  return (a as number) < (b as number);
}

function toIndex(v: V, len?: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new ExecError(`cannot index slice/array with type ${typeName(v)}`);
  if (v < 0 || (len !== undefined && v >= len)) throw new ExecError(`index out of range: ${v}`);
  return v;
}

function indexFn(item: V, ...idx: V[]): V {
  let v = item;
  if (v === NOVALUE) throw new ExecError('index of untyped nil');
  for (const i of idx) {
    if (v === NOVALUE) throw new ExecError('index of nil pointer');
    if (Array.isArray(v)) v = unwrap(v[toIndex(i, v.length)]);
    else if (typeof v === 'string') v = Buffer.from(v, 'utf8')[toIndex(i, Buffer.byteLength(v))];
    else if (isMap(v)) {
      if (typeof i !== 'string') throw new ExecError(`value has type ${typeName(i)}; should be string`);
      v = Object.prototype.hasOwnProperty.call(v, i) ? unwrap(v[i]) : NOVALUE;
    } else throw new ExecError(`can't index item of type ${typeName(v)}`);
  }
  return v;
}

function sliceFn(item: V, ...idx: V[]): V {
  if (item === NOVALUE) throw new ExecError('slice of untyped nil');
  if (idx.length > 3) throw new ExecError(`too many slice indexes: ${idx.length}`);
  let len: number;
  if (typeof item === 'string') {
    if (idx.length === 3) throw new ExecError('cannot 3-index slice a string');
    len = Buffer.byteLength(item);
  } else if (Array.isArray(item)) len = item.length;
  else throw new ExecError(`can't slice item of type ${typeName(item)}`);
  const ix = idx.map((i) => toIndex(i, len + 1));
  const lo = ix[0] ?? 0;
  const hi = ix[1] ?? len;
  if (lo > hi) throw new ExecError(`invalid slice index: ${lo} > ${hi}`);
  if (typeof item === 'string') return Buffer.from(item, 'utf8').subarray(lo, hi).toString('utf8');
  return (item as unknown[]).slice(lo, hi);
}

/** kubectl's `exists`: whether `index item idx…` would find something non-nil. */
function existsFn(item: V, ...idx: V[]): boolean {
  let v = item;
  for (const i of idx) {
    if (v === NOVALUE || v === null) return false;
    if (Array.isArray(v) || typeof v === 'string') {
      if (typeof i !== 'number' || !Number.isInteger(i)) return false;
      const len = Array.isArray(v) ? v.length : Buffer.byteLength(v);
      if (i < 0 || i >= len) return false;
      v = Array.isArray(v) ? unwrap(v[i]) : Buffer.from(v as string, 'utf8')[i];
    } else if (isMap(v)) {
      if (typeof i !== 'string') return false;
      v = Object.prototype.hasOwnProperty.call(v, i) ? unwrap(v[i]) : NOVALUE;
    } else return false;
  }
  return v !== NOVALUE && v !== null;
}

function lenFn(v: V): number {
  if (typeof v === 'string') return Buffer.byteLength(v);
  if (Array.isArray(v)) return v.length;
  if (isMap(v)) return Object.keys(v).length;
  throw new ExecError(`len of ${v === NOVALUE ? 'nil pointer' : `type ${typeName(v)}`}`);
}

function base64decode(v: V): string {
  if (typeof v !== 'string') throw new ExecError(`wrong type for value; expected string; got ${typeName(v)}`);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(v) || v.length % 4 !== 0) {
    const bad = v.search(/[^A-Za-z0-9+/=]/);
    throw new ExecError(`base64 decode failed: illegal base64 data at input byte ${bad >= 0 ? bad : v.length - (v.length % 4)}`);
  }
  return Buffer.from(v, 'base64').toString('utf8');
}

type Fn = (...args: V[]) => V;
const FUNCS: Record<string, Fn> = {
  // and/or are evaluated lazily by the executor; these handle the already-evaluated form.
  and: (...a) => {
    for (const x of a) if (!truth(x)) return x;
    return a[a.length - 1];
  },
  or: (...a) => {
    for (const x of a) if (truth(x)) return x;
    return a[a.length - 1];
  },
  not: (a) => !truth(a),
  len: (a) => lenFn(a),
  index: (item, ...idx) => indexFn(item, ...idx),
  slice: (item, ...idx) => sliceFn(item, ...idx),
  print: (...a) => sprint(a),
  println: (...a) => a.map(fmtArg).join(' ') + '\n',
  printf: (f, ...a) => {
    if (typeof f !== 'string') throw new ExecError(`wrong type for value; expected string; got ${typeName(f)}`);
    return sprintf(f, a);
  },
  html: (...a) => htmlEscape(a.length === 1 && typeof a[0] === 'string' ? a[0] : sprint(a)),
  js: (...a) => jsEscape(a.length === 1 && typeof a[0] === 'string' ? a[0] : sprint(a)),
  urlquery: (...a) => queryEscape(a.length === 1 && typeof a[0] === 'string' ? a[0] : sprint(a)),
  eq: (a, ...b) => {
    if (b.length === 0) throw new ExecError('missing argument for comparison');
    for (const x of b) if (eqValues(a, x)) return true;
    return false;
  },
  ne: (a, b) => !eqValues(a, b),
  lt: (a, b) => ltValues(a, b),
  le: (a, b) => ltValues(a, b) || eqValues(a, b),
  gt: (a, b) => !ltValues(a, b) && !eqValues(a, b),
  ge: (a, b) => !ltValues(a, b),
  exists: (item, ...idx) => existsFn(item, ...idx),
  base64decode: (v) => base64decode(v),
};
const ARITY: Record<string, [number, number]> = {
  not: [1, 1], len: [1, 1], ne: [2, 2], lt: [2, 2], le: [2, 2], gt: [2, 2], ge: [2, 2], base64decode: [1, 1],
  and: [1, Infinity], or: [1, Infinity], index: [1, Infinity], slice: [1, Infinity], printf: [1, Infinity], eq: [1, Infinity], exists: [1, Infinity],
};

// ---------------- executor ----------------

class BreakSignal {}
class ContinueSignal {}

export interface GoTemplateOptions {
  /** Template name in messages (kubectl: `output`). */
  name?: string;
  /** true: missingkey=default (`<no value>`); false: missingkey=error. kubectl's default: true. */
  allowMissingKeys?: boolean;
  /** Bound on the output size (default 64 MiB): a runaway template fails instead of exhausting memory. */
  maxOutput?: number;
}

export class GoTemplate {
  private readonly items: Item[];
  private readonly defines: Map<string, Item[]>;
  private readonly name: string;
  private readonly missingError: boolean;
  private readonly maxOutput: number;
  private out = '';
  private depth = 0;

  /** Parses; throws GoTemplateError with Go's message (`template: output:1: …`). */
  constructor(readonly text: string, o: GoTemplateOptions = {}) {
    this.name = o.name ?? 'output';
    this.missingError = o.allowMissingKeys === false;
    this.maxOutput = o.maxOutput ?? 64 << 20;
    const parser = new TParser(this.name, text, lex(this.name, text), new Set(Object.keys(FUNCS)));
    this.items = parser.parseTop();
    this.defines = parser.defines;
  }

  /** Executes on decoded JSON data; throws GoTemplateError (`template: output:1:2: executing "output" at <.x>: …`). */
  execute(data: unknown): string {
    this.out = '';
    this.depth = 0;
    const vars: [string, V][] = [['$', unwrap(data)]];
    this.runList(this.items, unwrap(data), vars);
    return this.out;
  }

  private write(s: string): void {
    this.out += s;
    if (this.out.length > this.maxOutput) throw new GoTemplateError(`template: ${this.name}: output larger than ${this.maxOutput} bytes`);
  }

  private errAt(pos: number, src: string, msg: string): never {
    const before = this.text.slice(0, pos);
    const line = 1 + (before.match(/\n/g)?.length ?? 0);
    const nl = before.lastIndexOf('\n');
    const col = nl < 0 ? pos : pos - nl - 1;
    const ctx = src.length > 20 ? `${src.slice(0, 20)}...` : src;
    throw new GoTemplateError(`template: ${this.name}:${line}:${col}: executing "${this.name}" at <${ctx}>: ${msg}`);
  }

  private runList(items: Item[], dot: V, vars: [string, V][]): void {
    const mark = vars.length;
    for (const it of items) this.runItem(it, dot, vars);
    vars.length = mark;
  }

  private runItem(it: Item, dot: V, vars: [string, V][]): void {
    switch (it.k) {
      case 'text':
        this.write(it.text);
        return;
      case 'action': {
        const v = this.evalPipe(it.pipe, dot, vars);
        if (it.pipe.decl.length === 0) this.write(printValue(v));
        return;
      }
      case 'if':
      case 'with': {
        const mark = vars.length;
        const v = this.evalPipe(it.pipe, dot, vars);
        if (truth(v)) this.runList(it.list, it.k === 'with' ? v : dot, vars);
        else if (it.else) this.runList(it.else, dot, vars);
        vars.length = mark;
        return;
      }
      case 'range':
        this.runRange(it, dot, vars);
        return;
      case 'break':
        throw new BreakSignal();
      case 'continue':
        throw new ContinueSignal();
      case 'template': {
        const body = this.defines.get(it.name);
        if (!body) this.errAt(it.pos, `template "${it.name}"`, `no such template "${it.name}"`);
        if (++this.depth > 100000) this.errAt(it.pos, `template "${it.name}"`, 'exceeded maximum template depth (100000)');
        const d = it.pipe ? this.evalPipe(it.pipe, dot, vars) : NOVALUE;
        this.runList(body, d, [['$', d]]);
        this.depth--;
        return;
      }
    }
  }

  private runRange(it: Extract<Item, { k: 'range' }>, dot: V, vars: [string, V][]): void {
    const mark = vars.length;
    const decl = it.pipe.decl;
    const pipe = { ...it.pipe, decl: [] };
    const v = this.evalPipe(pipe, dot, vars);
    let entries: [V, V][] = [];
    if (Array.isArray(v)) entries = v.map((e, i) => [i, unwrap(e)]);
    else if (isMap(v)) entries = Object.keys(v).sort(goStringCompare).map((k) => [k, unwrap(v[k])]);
    else if (typeof v === 'number' && Number.isInteger(v)) {
      if (decl.length > 1) this.errAt(it.pipe.pos, it.pipe.src, `can't use ${v} to iterate over more than one variable`);
      entries = Array.from({ length: Math.max(0, v) }, (_, i) => [i, i]);
    } else if (v !== NOVALUE && v !== false) {
      this.errAt(it.pipe.pos, it.pipe.src, `range can't iterate over ${fmtArg(v)}`);
    }
    if (entries.length === 0) {
      if (it.else) this.runList(it.else, dot, vars);
      vars.length = mark;
      return;
    }
    for (const [k, e] of entries) {
      const inner = vars.length;
      if (decl.length === 1) this.setVar(vars, decl[0], e, it.pipe.isAssign);
      else if (decl.length === 2) {
        this.setVar(vars, decl[0], k, it.pipe.isAssign);
        this.setVar(vars, decl[1], e, it.pipe.isAssign);
      }
      try {
        this.runList(it.list, e, vars);
      } catch (sig) {
        if (sig instanceof BreakSignal) {
          vars.length = inner;
          break;
        }
        if (!(sig instanceof ContinueSignal)) throw sig;
      }
      vars.length = inner;
    }
    vars.length = mark;
  }

  private setVar(vars: [string, V][], name: string, v: V, assign: boolean): void {
    if (assign) {
      for (let i = vars.length - 1; i >= 0; i--) {
        if (vars[i][0] === name) {
          vars[i][1] = v;
          return;
        }
      }
    }
    vars.push([name, v]);
  }

  private evalPipe(pipe: Pipe, dot: V, vars: [string, V][]): V {
    let v: V = NOVALUE;
    let first = true;
    for (const cmd of pipe.cmds) {
      v = this.evalCmd(cmd, dot, vars, first ? undefined : { v });
      first = false;
    }
    v = unwrap(v);
    if (pipe.decl.length > 0) this.setVar(vars, pipe.decl[0], v, pipe.isAssign);
    return v;
  }

  private evalCmd(cmd: Cmd, dot: V, vars: [string, V][], final?: { v: V }): V {
    const first = cmd.args[0];
    if (first.k === 'nil') this.errAt(first.pos, first.src, 'nil is not a command');
    if (first.k === 'ident') return this.call(first, cmd.args.slice(1), dot, vars, final);
    if (cmd.args.length > 1 || final) {
      if (first.k === 'field' || first.k === 'chain' || (first.k === 'var' && first.path.length > 0)) {
        this.errAt(first.pos, first.src, `can't evaluate field ${first.k === 'chain' || first.k === 'var' ? first.path[first.path.length - 1] : first.path[first.path.length - 1]} in type ${typeName(this.evalArg(first, dot, vars))}`);
      }
      this.errAt(first.pos, first.src, `can't give argument to non-function ${first.src}`);
    }
    return this.evalArg(first, dot, vars);
  }

  private call(fn: Extract<Arg, { k: 'ident' }>, argNodes: Arg[], dot: V, vars: [string, V][], final?: { v: V }): V {
    const n = argNodes.length + (final ? 1 : 0);
    const [min, max] = ARITY[fn.name] ?? [0, Infinity];
    if (n < min || n > max) {
      this.errAt(fn.pos, fn.src, `wrong number of args for ${fn.name}: want ${max === Infinity ? `at least ${min}` : min} got ${n}`);
    }
    // and/or short-circuit (Go ≥1.18).
    if (fn.name === 'and' || fn.name === 'or') {
      let last: V = NOVALUE;
      const all = [...argNodes.map((a) => () => this.evalArg(a, dot, vars)), ...(final ? [() => final.v] : [])];
      for (const get of all) {
        last = get();
        if (fn.name === 'and' ? !truth(last) : truth(last)) return last;
      }
      return last;
    }
    const args = argNodes.map((a) => this.evalArg(a, dot, vars));
    if (final) args.push(final.v);
    try {
      return FUNCS[fn.name](...args);
    } catch (e) {
      if (e instanceof ExecError) this.errAt(fn.pos, fn.src, `error calling ${fn.name}: ${e.message}`);
      throw e;
    }
  }

  private evalArg(a: Arg, dot: V, vars: [string, V][]): V {
    switch (a.k) {
      case 'dot':
        return dot;
      case 'nil':
        return NOVALUE;
      case 'lit':
        return a.value;
      case 'field':
        return this.fields(dot, a.path, a);
      case 'var': {
        let v: V = NOVALUE;
        let found = false;
        for (let i = vars.length - 1; i >= 0; i--) {
          if (vars[i][0] === a.name) {
            v = vars[i][1];
            found = true;
            break;
          }
        }
        if (!found) this.errAt(a.pos, a.src, `undefined variable: ${a.name}`);
        return this.fields(v, a.path, a);
      }
      case 'pipe':
        return this.evalPipe(a.pipe, dot, vars);
      case 'chain':
        return this.fields(this.evalArg(a.node, dot, vars), a.path, a);
      case 'ident':
        return this.call(a, [], dot, vars);
    }
  }

  private fields(v: V, path: string[], node: Arg): V {
    let cur = v;
    for (const name of path) {
      if (cur === NOVALUE) {
        if (this.missingError) this.errAt(node.pos, node.src, `nil data; no entry for key "${name}"`);
        return NOVALUE;
      }
      if (isMap(cur)) {
        if (Object.prototype.hasOwnProperty.call(cur, name)) cur = unwrap(cur[name]);
        else {
          if (this.missingError) this.errAt(node.pos, node.src, `map has no entry for key "${name}"`);
          cur = NOVALUE;
        }
        continue;
      }
      this.errAt(node.pos, node.src, `can't evaluate field ${name} in type ${typeName(cur)}`);
    }
    return cur;
  }
}
