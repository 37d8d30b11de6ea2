/**
 * YAML exactly as kubectl writes it: sigs.k8s.io/yaml marshals to JSON, decodes that with go-yaml
 * v2 and encodes it with go-yaml v2's emitter. Written from go-yaml v2's documented behaviour:
 * block style; map keys in go-yaml's order (numbers inside keys compare numerically, letters after
 * other characters); sequences not indented under their key; strings that YAML 1.1 would read as
 * something else double-quoted; strings that cannot be plain single-quoted; multi-line strings as
 * literal blocks (`|`, `|-`, `|+`); plain and quoted scalars folded at the first space after
 * column 80; empty maps and sequences as `{}` and `[]`.
 */

const BEST_WIDTH = 80;
const BEST_INDENT = 2;

const YAML11_SPECIAL = new Set([
  '', '~', 'null', 'Null', 'NULL', 'y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE',
  'on', 'On', 'ON', 'off', 'Off', 'OFF', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF', '.nan', '.NaN', '.NAN', '<<',
]);

/** Whether go-yaml v2 would resolve this plain scalar to something other than a string. */
export function yamlAmbiguous(s: string): boolean {
  if (YAML11_SPECIAL.has(s)) return true;
  if (/^\d{4}-\d{1,2}-\d{1,2}(([Tt]\d{1,2}:\d{1,2}:\d{1,2}(\.\d+)?(Z|[+-]\d{1,2}:\d{2}))|( \d{1,2}:\d{1,2}:\d{1,2}(\.\d+)?))?$/.test(s)) return true;
  const t = s.replaceAll('_', '');
  if (/^[-+]?(0[bB][01]+|0[xX][0-9a-fA-F]+|0[oO][0-7]+|[0-9]+)$/.test(t)) return true;
  if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(t)) return true;
  return /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$/.test(s);
}

function isPrintable(cp: number): boolean {
  return (
    cp === 0x0a ||
    (cp >= 0x20 && cp <= 0x7e) ||
    cp === 0x85 ||
    (cp >= 0xa0 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}
function isBreak(c: string): boolean {
  return c === '\r' || c === '\n' || c === '\u0085' || c === '\u2028' || c === '\u2029';
}
function isBlankz(c: string | undefined): boolean {
  return c === undefined || c === ' ' || c === '\t' || c === '\0' || isBreak(c);
}

interface Analysis {
  multiline: boolean;
  flowPlain: boolean;
  blockPlain: boolean;
  single: boolean;
  block: boolean;
}

/** yaml_emitter_analyze_scalar. */
function analyze(value: string): Analysis {
  const chars = [...value];
  if (chars.length === 0) return { multiline: false, flowPlain: false, blockPlain: true, single: true, block: false };
  let blockInd = false;
  let flowInd = false;
  if (value.startsWith('---') || value.startsWith('...')) blockInd = flowInd = true;
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let prevSpace = false;
  let prevBreak = false;
  let precededByWs = true;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    const followedByWs = i + 1 >= chars.length || chars[i + 1] === ' ' || chars[i + 1] === '\t';
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) flowInd = blockInd = true;
      else if (c === '?' || c === ':') {
        flowInd = true;
        if (followedByWs) blockInd = true;
      } else if (c === '-' && followedByWs) flowInd = blockInd = true;
    } else {
      if (',?[]{}'.includes(c)) flowInd = true;
      else if (c === ':') {
        flowInd = true;
        if (followedByWs) blockInd = true;
      } else if (c === '#' && precededByWs) flowInd = blockInd = true;
    }
    if (!isPrintable(c.codePointAt(0)!)) special = true;
    if (c === ' ') {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (prevBreak) breakSpace = true;
      prevSpace = true;
      prevBreak = false;
    } else if (isBreak(c)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (prevSpace) spaceBreak = true;
      prevSpace = false;
      prevBreak = true;
    } else {
      prevSpace = false;
      prevBreak = false;
    }
    precededByWs = isBlankz(c);
  }
  const a: Analysis = { multiline: lineBreaks, flowPlain: true, blockPlain: true, single: true, block: true };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) a.flowPlain = a.blockPlain = false;
  if (trailingSpace) a.block = false;
  if (breakSpace) a.flowPlain = a.blockPlain = a.single = false;
  if (spaceBreak || special) a.flowPlain = a.blockPlain = a.single = a.block = false;
  if (lineBreaks) a.flowPlain = a.blockPlain = false;
  if (flowInd) a.flowPlain = false;
  if (blockInd) a.blockPlain = false;
  return a;
}

type Style = 'plain' | 'single' | 'double' | 'literal';

function selectStyle(s: string, simpleKey: boolean): Style {
  const a = analyze(s);
  let style: Style = s.includes('\n') ? 'literal' : yamlAmbiguous(s) ? 'double' : 'plain';
  if (style === 'plain') {
    if (!a.blockPlain || (s.length === 0 && simpleKey) || (simpleKey && a.multiline)) style = 'single';
  }
  if (style === 'single' && !a.single) style = 'double';
  if (style === 'single' && simpleKey && a.multiline) style = 'double';
  if (style === 'literal' && (!a.block || simpleKey)) style = 'double';
  return style;
}

/** The output buffer with go-yaml's column tracking. */
class Out {
  text = '';
  column = 0;
  write(s: string): void {
    this.text += s;
    this.column += [...s].length;
  }
  newline(indent: number): void {
    this.text += '\n' + ' '.repeat(indent);
    this.column = indent;
  }
}

function writePlain(o: Out, s: string, indent: number, allowBreaks: boolean): void {
  const chars = [...s];
  let spaces = false;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === ' ') {
      if (allowBreaks && !spaces && o.column > BEST_WIDTH && chars[i + 1] !== ' ') o.newline(indent);
      else o.write(c);
      spaces = true;
    } else {
      o.write(c);
      spaces = false;
    }
  }
}

function writeSingle(o: Out, s: string, indent: number, allowBreaks: boolean): void {
  o.write("'");
  const chars = [...s];
  let spaces = false;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === ' ') {
      if (allowBreaks && !spaces && o.column > BEST_WIDTH && i > 0 && i < chars.length - 1 && chars[i + 1] !== ' ') o.newline(indent);
      else o.write(c);
      spaces = true;
    } else {
      o.write(c === "'" ? "''" : c);
      spaces = false;
    }
  }
  o.write("'");
}

const DQ_ESC: Record<string, string> = {
  '\0': '\\0', '\x07': '\\a', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\v': '\\v', '\f': '\\f', '\r': '\\r', '\x1b': '\\e',
  '"': '\\"', '\\': '\\\\', '\u0085': '\\N', '\u00a0': '\\_', '\u2028': '\\L', '\u2029': '\\P',
};

function writeDouble(o: Out, s: string, indent: number, allowBreaks: boolean): void {
  o.write('"');
  const chars = [...s];
  let spaces = false;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    const cp = c.codePointAt(0)!;
    if (!isPrintable(cp) || cp === 0xfeff || isBreak(c) || c === '"' || c === '\\') {
      let e = DQ_ESC[c];
      if (!e) {
        if (cp <= 0xff) e = `\\x${cp.toString(16).toUpperCase().padStart(2, '0')}`;
        else if (cp <= 0xffff) e = `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;
        else e = `\\U${cp.toString(16).toUpperCase().padStart(8, '0')}`;
      }
      o.write(e);
      spaces = false;
    } else if (c === ' ') {
      if (allowBreaks && !spaces && o.column > BEST_WIDTH && i !== 0 && i !== chars.length - 1) {
        o.newline(indent);
        if (chars[i + 1] === ' ') o.write('\\');
      } else o.write(c);
      spaces = true;
    } else {
      o.write(c);
      spaces = false;
    }
  }
  o.write('"');
}

function writeLiteral(o: Out, s: string, indent: number): void {
  let hints = '';
  if (s[0] === ' ' || isBreak(s[0])) hints += String(BEST_INDENT);
  const last = s[s.length - 1];
  if (!isBreak(last)) hints += '-';
  else if (s.length === 1) hints += '+';
  else if (isBreak(s[s.length - 2])) hints += '+';
  o.write(`|${hints}`);
  const lines = s.split('\n');
  // A value ending in "\n" yields a last empty element: the final break is written, not a line.
  if (lines[lines.length - 1] === '') lines.pop();
  for (const line of lines) {
    if (line === '') {
      o.text += '\n';
      o.column = 0;
    } else {
      o.newline(indent);
      o.write(line);
    }
  }
}

/** Writes a scalar string; `indent` is the continuation indent (context indent + 2). */
function writeString(o: Out, s: string, indent: number, simpleKey: boolean): void {
  const style = selectStyle(s, simpleKey);
  const allow = !simpleKey;
  if (style === 'plain') writePlain(o, s, indent, allow);
  else if (style === 'single') writeSingle(o, s, indent, allow);
  else if (style === 'double') writeDouble(o, s, indent, allow);
  else writeLiteral(o, s, indent);
}

function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 2 ** 63) return BigInt(n).toString();
  if (n === Infinity) return '.inf';
  if (n === -Infinity) return '-.inf';
  if (Number.isNaN(n)) return '.nan';
  // strconv.FormatFloat(f, 'g', -1, 64)
  const [mant, expStr] = n.toExponential().split('e');
  const exp = Number(expStr);
  if (exp < -4 || exp >= 21) return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(n);
}

/** go-yaml v2's keyList.Less for string keys. */
export function goYamlKeyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  const isLetter = (c: string) => /\p{L}/u.test(c);
  const isDigit = (c: string | undefined) => c !== undefined && /\p{Nd}/u.test(c);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]);
    const bl = isLetter(br[i]);
    if (al && bl) return ar[i] < br[i];
    if (al || bl) return bl;
    let an = 0n;
    let bn = 0n;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10n + BigInt(ar[ai].charCodeAt(0) - 48);
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10n + BigInt(br[bi].charCodeAt(0) - 48);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i] < br[i];
  }
  return ar.length < br.length;
}

function sortedKeys(m: Record<string, unknown>): string[] {
  return Object.keys(m)
    .filter((k) => m[k] !== undefined)
    .sort((x, y) => (goYamlKeyLess(x, y) ? -1 : goYamlKeyLess(y, x) ? 1 : 0));
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** A JSON-like value as go-yaml v2 block YAML (one document, trailing newline). */
export function goYamlStringify(root: unknown): string {
  const o = new Out();
  const scalar = (v: unknown, indent: number, simpleKey = false) => {
    if (v === null || v === undefined) o.write('null');
    else if (typeof v === 'boolean') o.write(v ? 'true' : 'false');
    else if (typeof v === 'number') o.write(formatNumber(v));
    else if (typeof v === 'bigint') o.write(v.toString());
    else if (v instanceof Date) writeString(o, v.toISOString().replace(/\.000Z$/, 'Z'), indent, simpleKey);
    else writeString(o, String(v), indent, simpleKey);
  };
  const isEmptyColl = (v: unknown) => (Array.isArray(v) && v.length === 0) || (isMap(v) && sortedKeys(v).length === 0);

  // Emits a mapping whose keys start at `indent`; the first key is written at the current position.
  const mapping = (m: Record<string, unknown>, indent: number, first: boolean) => {
    let firstKey = first;
    for (const k of sortedKeys(m)) {
      if (!firstKey) o.newline(indent);
      firstKey = false;
      scalar(k, indent + BEST_INDENT, true);
      o.write(':');
      value(m[k], indent, 'map');
    }
  };
  const sequence = (a: unknown[], indent: number, first: boolean) => {
    let firstItem = first;
    for (const item of a) {
      if (!firstItem) o.newline(indent);
      firstItem = false;
      o.write('-');
      value(item, indent, 'seq');
    }
  };
  // Emits a value after `key:` (ctx map, key at `indent`) or after `-` (ctx seq, dash at `indent`).
  const value = (v: unknown, indent: number, ctx: 'map' | 'seq') => {
    if (isEmptyColl(v)) {
      o.write(Array.isArray(v) ? ' []' : ' {}');
      return;
    }
    if (Array.isArray(v)) {
      if (ctx === 'map') {
        o.newline(indent); // indentless sequence under a key
        sequence(v, indent, true);
      } else {
        o.write(' ');
        sequence(v, indent + BEST_INDENT, true);
      }
      return;
    }
    if (isMap(v)) {
      if (ctx === 'map') {
        o.newline(indent + BEST_INDENT);
        mapping(v, indent + BEST_INDENT, true);
      } else {
        o.write(' ');
        mapping(v, indent + BEST_INDENT, true);
      }
      return;
    }
    o.write(' ');
    scalar(v, indent + BEST_INDENT);
  };

  if (isEmptyColl(root)) o.write(Array.isArray(root) ? '[]' : '{}');
  else if (Array.isArray(root)) sequence(root, 0, true);
  else if (isMap(root)) mapping(root, 0, true);
  else scalar(root, BEST_INDENT);
  return o.text + '\n';
}
