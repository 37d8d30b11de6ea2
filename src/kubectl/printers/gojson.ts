/**
 * Go's encoding/json and fmt as kubectl's printers see them: objects are maps (unstructured), so
 * keys are sorted; json.Marshal escapes `<`, `>`, `&`, U+2028 and U+2029; numbers that are integral
 * are int64 (apimachinery's JSON decoding turns integral numbers into int64), others float64.
 */

function escapeString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i];
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (c < 0x20) {
      if (ch === '\n') out += '\\n';
      else if (ch === '\r') out += '\\r';
      else if (ch === '\t') out += '\\t';
      else out += `\\u00${c.toString(16).padStart(2, '0')}`;
    } else if (ch === '<' || ch === '>' || ch === '&' || c === 0x2028 || c === 0x2029) {
      out += `\\u${c.toString(16).padStart(4, '0')}`;
    } else out += ch;
  }
  return out + '"';
}

/** A number as encoding/json writes it. */
export function goJSONNumber(n: number): string {
  if (!Number.isFinite(n)) return 'null';
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return BigInt(n).toString();
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) {
    // Go: 'e' format, then "e-07" cleaned up to "e-7"; JavaScript already writes "1e-7" / "1e+21".
    return n.toExponential();
  }
  return String(n);
}

/**
 * json.Marshal (indent '' → compact) or json.MarshalIndent(v, '', indent).
 * `sortKeys` false keeps the insertion order (Go structs); true is Go's map order.
 */
export function goJSON(v: unknown, indent = '', sortKeys = true): string {
  const nl = indent ? '\n' : '';
  const walk = (x: unknown, pad: string): string => {
    if (x === null || x === undefined) return 'null';
    if (typeof x === 'string') return escapeString(x);
    if (typeof x === 'number') return goJSONNumber(x);
    if (typeof x === 'bigint') return x.toString();
    if (typeof x === 'boolean') return x ? 'true' : 'false';
    if (x instanceof Date) return escapeString(x.toISOString().replace(/\.\d{3}Z$/, 'Z'));
    const inner = pad + indent;
    if (Array.isArray(x)) {
      if (x.length === 0) return '[]';
      return `[${nl}${x.map((e) => inner + walk(e, inner)).join(`,${nl}`)}${nl}${pad}]`;
    }
    if (typeof x === 'object') {
      const keys = Object.keys(x as object).filter((k) => (x as Record<string, unknown>)[k] !== undefined);
      if (sortKeys) keys.sort(goStringCompare);
      if (keys.length === 0) return '{}';
      const sep = indent ? ': ' : ':';
      return `{${nl}${keys.map((k) => inner + escapeString(k) + sep + walk((x as Record<string, unknown>)[k], inner)).join(`,${nl}`)}${nl}${pad}}`;
    }
    return 'null';
  };
  return walk(v, '');
}

/** Go compares strings byte-wise (UTF-8); for BMP text code-unit order is close enough except surrogates. */
export function goStringCompare(a: string, b: string): number {
  if (a === b) return 0;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** strconv.FormatFloat(f, 'g', -1, 64): what fmt's %v prints for a float64. */
export function goFloatG(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [mant, expStr] = n.toExponential().split('e');
  const exp = Number(expStr);
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    return `${mant}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  // Shortest %g switches to %e when the exponent is < -4 or >= 6 (strconv: eprec = 6 for shortest).
  return String(n);
}

/**
 * fmt.Sprint of a decoded JSON value: integral numbers as int64, floats with %v, nil as `<nil>`,
 * maps as `map[k:v ...]` (sorted keys), slices as `[a b]`.
 */
export function goSprint(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 2 ** 63 ? BigInt(v).toString() : goFloatG(v);
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return `[${v.map(goSprint).join(' ')}]`;
  if (typeof v === 'object') {
    const keys = Object.keys(v as object).sort(goStringCompare);
    return `map[${keys.map((k) => `${k}:${goSprint((v as Record<string, unknown>)[k])}`).join(' ')}]`;
  }
  return String(v);
}
