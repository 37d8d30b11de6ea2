/**
 * KYAML (kubectl -o kyaml; sigs.k8s.io/yaml/kyaml), written from its documented behaviour: a
 * `---` header, flow mappings `{ … }` with one `key: value,` per line, keys unquoted unless they
 * need quotes, every string value double-quoted (multi-line strings folded with `\`), lists of
 * maps/lists "cuddled" (`[{ … }, { … }]`), other lists one item per line, trailing commas, two
 * spaces per level. Keys are in Go's JSON order (the object is marshalled to JSON first).
 */
import { goJSONNumber, goStringCompare } from './gojson';

const FOLD = '\\\n';

function goParseBoolOK(s: string): boolean {
  return ['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s);
}
function goParseIntOK(s: string): boolean {
  return /^[+-]?(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|0[0-7]*|[1-9][0-9]*)$/.test(s);
}
function goParseFloatOK(s: string): boolean {
  if (/^[+-]?(inf|infinity|nan)$/i.test(s)) return true;
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return true;
  return /^[+-]?0[xX]([0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)[pP][+-]?\d+$/.test(s);
}
function isTimestamp(s: string): boolean {
  return /^\d{4}-\d{1,2}-\d{1,2}(([Tt]\d{1,2}:\d{1,2}:\d{1,2}(\.\d+)?(Z|[+-]\d{1,2}:\d{2}))|( \d{1,2}:\d{1,2}:\d{1,2}(\.\d+)?))?$/.test(s);
}

/** KYAML's yamlGuessesWrong: a YAML parser could take this string for another type. */
export function kyamlGuessesWrong(s: string): boolean {
  const l = s.toLowerCase();
  if (s.length <= 5 && ['null', '~', ''].includes(l)) return true;
  if (goParseBoolOK(s)) return true;
  if (s.length <= 5 && ['true', 'y', 'yes', 'on', 'false', 'n', 'no', 'off'].includes(l)) return true;
  const t = s.replaceAll('_', '');
  if (goParseIntOK(t) || goParseFloatOK(t)) return true;
  if (/^[+-]?[1-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$/.test(s)) return true;
  if (s.length <= 5 && ['.inf', '-.inf', '+.inf', '.nan'].includes(l)) return true;
  return isTimestamp(s);
}

function needsQuotes(s: string): boolean {
  if (s === '' || kyamlGuessesWrong(s)) return true;
  const runes = [...s];
  return runes.some((r, i) => {
    if (/[\p{L}\p{N}_]/u.test(r)) return false;
    if (i > 0 && i < runes.length - 1 && (r === '-' || r === '.' || r === '/')) return false;
    return true;
  });
}

function indentStr(level: number): string {
  return '  '.repeat(level);
}

const ESC: Record<string, string> = {
  '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\r': '\\r', '\t': '\\t', '\v': '\\v', '\0': '\\0', '\x1b': '\\e',
  '\u0085': '\\N', '\u00a0': '\\_', '\u2028': '\\L', '\u2029': '\\P',
};

/** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
function isPrint(r: string): boolean {
  return r === ' ' || /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(r);
}

function renderString(val: string, indent: number, lazy: boolean, compact: boolean): string {
  const multi = val.includes('\n');
  if (!multi && lazy && !needsQuotes(val)) return val;
  const newline = compact ? '\\n' : '\\n' + FOLD;
  let buf = '"';
  if (multi && !compact) buf += FOLD;
  for (const r of val) {
    if (buf.endsWith('\n')) {
      buf += indentStr(indent);
      buf += /\s/u.test(r) && r !== '\n' ? '\\' : ' ';
    }
    if (r === '"' || r === '\\') {
      buf += '\\' + r;
      continue;
    }
    if (isPrint(r)) {
      buf += r;
      continue;
    }
    if (r === '\n') {
      buf += newline;
      continue;
    }
    const e = ESC[r];
    if (e) {
      buf += e;
      continue;
    }
    const cp = r.codePointAt(0)!;
    if (cp < 0x20 || cp === 0x7f) buf += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp < 0x10000) buf += `\\u${cp.toString(16).padStart(4, '0')}`;
    else buf += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  if (multi && !compact) {
    if (!buf.endsWith('\n')) buf += FOLD;
    buf += indentStr(indent);
  }
  return buf + '"';
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function render(v: unknown, indent: number, sortKeys = true): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return goJSONNumber(v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'string') return renderString(v, indent + 1, false, false);
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    if (v.every((c) => Array.isArray(c) || isMap(c))) return `[${v.map((c) => render(c, indent)).join(', ')}]`;
    let out = '[\n' + indentStr(indent);
    for (const c of v) out += indentStr(1) + render(c, indent + 1) + ',\n' + indentStr(indent);
    return out + ']';
  }
  if (isMap(v)) {
    const keys = Object.keys(v).filter((k) => v[k] !== undefined);
    if (sortKeys) keys.sort(goStringCompare);
    if (keys.length === 0) return '{}';
    let out = '{\n';
    for (const k of keys) out += indentStr(indent + 1) + renderString(k, indent + 1, true, true) + ': ' + render(v[k], indent + 1) + ',\n';
    return out + indentStr(indent) + '}';
  }
  return renderString(String(v), indent + 1, false, false);
}

/**
 * One KYAML document (with its `---` header and a trailing newline). `sortTopKeys: false` keeps
 * the top-level key order (a Go struct such as a WatchEvent: type, object).
 */
export function kyamlStringify(v: unknown, o: { sortTopKeys?: boolean } = {}): string {
  return `---\n${render(v, 0, o.sortTopKeys ?? true)}\n`;
}
