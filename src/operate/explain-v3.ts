/**
 * `explain`'s OpenAPI v3 renderer: the output of kubectl v0.35.3's template renderer
 * (k8s.io/kubectl/pkg/explain/v2 with templates/plaintext.tmpl), written as functions instead of a
 * Go template. Each function below is one `define` of the template; Go template semantics that
 * shape the output are kept: truthiness (`or`, `if`, `with`), sorted map ranges, `wrap` (go-wordwrap
 * v1.0.1) and `indent` (pads after every newline, including a trailing one).
 *
 * Pure: takes the parsed group-version document, returns the text or throws ExplainError.
 */

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

export interface Gvr {
  group: string;
  version: string;
  resource: string;
}

/** kubectl's explainError: the message already starts with `error: `. */
export class ExplainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExplainError';
  }
}

/** schema.GroupVersionResource.String(): `apps/v1, Resource=deployments`, `/v1, Resource=pods`. */
export function gvrString(g: Gvr): string {
  return `${g.group}/${g.version}, Resource=${g.resource}`;
}

// ---- Go template semantics -------------------------------------------------------------------

/** text/template's truth: false, 0, nil, and empty strings, arrays and maps are false. */
export function truthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v as object).length > 0;
  return true;
}

/** `or a b`: the first truthy argument, else the last. */
function or<T>(...vals: T[]): T {
  for (const v of vals) if (truthy(v)) return v;
  return vals[vals.length - 1];
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Field access on a map: a missing key is nil. */
function field(o: unknown, k: string): Json | undefined {
  return isObj(o) ? o[k] : undefined;
}

/** Go's sort.Strings order (byte order; the same as UTF-16 order for the names seen in schemas). */
function sortedKeys(o: unknown): string[] {
  if (!isObj(o)) return [];
  return Object.keys(o).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** `and X (not (eq "bool" (printf "%T" X)))`: a non-empty, non-boolean additionalProperties. */
function mapValueSchema(s: unknown): Json | undefined {
  const ap = field(s, 'additionalProperties');
  return truthy(ap) && typeof ap !== 'boolean' ? ap : undefined;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

/** The template's `contains LIST VALUE` (reflect.DeepEqual against each element of a slice). */
function contains(list: unknown, value: unknown): boolean {
  return Array.isArray(list) && list.some((x) => deepEqual(x, value));
}

/** Go's unicode.IsSpace minus U+00A0 (go-wordwrap treats a no-break space as part of a word). */
function isWrapSpace(ch: string): boolean {
  switch (ch) {
    case '\t': case '\n': case '\v': case '\f': case '\r': case ' ': case '\u0085':
    case '\u1680': case '\u2028': case '\u2029': case '\u202f': case '\u205f': case '\u3000':
      return true;
    default: {
      const c = ch.codePointAt(0)!;
      return c >= 0x2000 && c <= 0x200a;
    }
  }
}

/** github.com/mitchellh/go-wordwrap v1.0.1 WrapString (lengths in code points). */
export function wordWrap(s: string, lim: number): string {
  let buf = '';
  let current = 0;
  let word = '';
  let wordLen = 0;
  let space = '';
  let spaceLen = 0;
  for (const ch of s) {
    if (ch === '\n') {
      if (wordLen === 0) {
        if (current + spaceLen > lim) {
          current = 0;
        } else {
          current += spaceLen;
          buf += space;
        }
        space = '';
        spaceLen = 0;
      } else {
        current += spaceLen + wordLen;
        buf += space + word;
        space = '';
        spaceLen = 0;
        word = '';
        wordLen = 0;
      }
      buf += ch;
      current = 0;
    } else if (isWrapSpace(ch)) {
      if (spaceLen === 0 || wordLen > 0) {
        current += spaceLen + wordLen;
        buf += space + word;
        space = '';
        spaceLen = 0;
        word = '';
        wordLen = 0;
      }
      space += ch;
      spaceLen++;
    } else {
      word += ch;
      wordLen++;
      if (current + wordLen + spaceLen > lim && wordLen < lim) {
        buf += '\n';
        current = 0;
        space = '';
        spaceLen = 0;
      }
    }
  }
  if (wordLen === 0) {
    if (current + spaceLen <= lim) buf += space;
  } else {
    buf += space + word;
  }
  return buf;
}

/** The template's `indent N`: N spaces before the text and after every newline. */
export function indent(amount: number, s: string): string {
  const pad = ' '.repeat(amount);
  return pad + s.replaceAll('\n', `\n${pad}`);
}

/** fmt's %v of a decoded JSON value (numbers are float64: 1e+06, 0.5, 3). */
export function goPrint(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'number') return goFloat(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(goPrint).join(' ')}]`;
  if (isObj(v)) return `map[${sortedKeys(v).map((k) => `${k}:${goPrint(v[k])}`).join(' ')}]`;
  return String(v);
}

function goFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  // strconv.FormatFloat(f, 'g', -1, 64), which fmt's %v uses: shortest digits, exponent form when
  // exp < -4 || exp >= 6 (so 1000000 prints as 1e+06).
  const [mant, expStr] = f.toExponential().split('e');
  const exp = Number(expStr);
  if (exp < -4 || exp >= 6) {
    const e = Math.abs(exp) < 10 ? `0${Math.abs(exp)}` : String(Math.abs(exp));
    return `${mant}e${exp < 0 ? '-' : '+'}${e}`;
  }
  return String(f);
}

/** go-openapi/jsonreference + the template's resolveRef: only `#/...` fragments, no JSON-pointer escapes. */
export function resolveRef(ref: unknown, doc: Obj): Obj | undefined {
  if (typeof ref !== 'string') return undefined;
  if (!ref.startsWith('#')) return undefined;
  let fragment: string;
  try {
    fragment = decodeURIComponent(ref.slice(1));
  } catch {
    return undefined;
  }
  let cur: Obj = doc;
  for (const k of fragment.split('/')) {
    if (k.length === 0) continue;
    const next = cur[k];
    if (!isObj(next)) return undefined;
    cur = next;
  }
  return cur;
}

// ---- the templates --------------------------------------------------------------------------

type History = Record<string, number> | undefined;

function withHistory(h: History, ref: string): Record<string, number> {
  return { ...(h ?? {}), [ref]: 1 };
}

/** define "typeGuess" */
export function typeGuess(schema: unknown, doc: Obj): string {
  if (!truthy(schema)) throw new Error("expected schema argument to subtemplate 'typeguess'");
  const s = schema as Obj;
  if (truthy(s.items)) return `[]${typeGuess(s.items, doc)}`;
  const ap = mapValueSchema(s);
  if (ap !== undefined) return `map[string]${typeGuess(ap, doc)}`;
  if (truthy(s.allOf) && !truthy(s.properties) && Array.isArray(s.allOf) && s.allOf.length === 1) {
    return typeGuess(s.allOf[0], doc);
  }
  const ref = s.$ref;
  if (truthy(ref)) {
    const refSchema = resolveRef(ref, doc);
    if (!truthy(refSchema) || !truthy(refSchema!.type) || refSchema!.type === 'object') {
      const name = String(ref).split('/').pop()!;
      return or(name.split('.').pop()!, 'Object');
    }
    return goPrint(or(refSchema!.type, 'Object'));
  }
  if (s.type === 'object') return 'Object';
  return goPrint(or(s.type ?? '', 'Object'));
}

/** define "extractEnum" */
function extractEnum(schema: unknown, isLongView: boolean, limit: number, indentAmount = 0): string {
  if (!truthy(schema)) return '';
  const en = field(schema, 'enum');
  if (!truthy(en) || !Array.isArray(en)) return '';
  const lim = or(limit, -1);
  let out = isLongView ? 'ENUM:' : `\n${indent(indentAmount, '')}enum: `;
  for (let i = 0; i < en.length; i++) {
    if (lim > -1 && i >= lim) {
      out += ', ....';
      break;
    }
    if (i > 0 && !isLongView) out += ', ';
    else if (isLongView) out += `\n${indent(4, '')}`;
    const el = en[i];
    out += typeof el === 'string' && el === '' ? '""' : goPrint(el);
  }
  return out;
}

/** define "description" */
function description(schema: unknown, doc: Obj): string {
  const s = or<unknown>(resolveRef(field(schema, '$ref'), doc), schema);
  if (!truthy(s)) return '';
  let out = '';
  const d = field(s, 'description');
  if (truthy(d)) out += `${goPrint(d)}\n`;
  const allOf = field(s, 'allOf');
  if (Array.isArray(allOf)) for (const sub of allOf) out += description(sub, doc);
  const items = field(s, 'items');
  if (truthy(items)) out += description(items, doc);
  const ap = mapValueSchema(s);
  if (ap !== undefined) out += description(ap, doc);
  return out;
}

/** define "fieldDetail" */
function fieldDetail(name: string, schema: Obj, short: boolean, level: number, doc: Obj): string {
  const indentAmount = level * 2;
  const fieldSchema = field(field(schema, 'properties'), name);
  let out = `${indent(indentAmount, name)}\t<${typeGuess(fieldSchema, doc)}>`;
  if (contains(schema.required, name)) out += ' -required-';
  out += extractEnum(fieldSchema, false, 4, indentAmount);
  out += '\n';
  if (!short) {
    const d = or<unknown>(field(fieldSchema, 'description'), '<no description>');
    out += `${indent(indentAmount + 2, wordWrap(goPrint(d), 78 - indentAmount))}\n\n`;
  }
  return out;
}

/** define "fieldList" */
function fieldList(schema: unknown, level: number, history: History, doc: Obj, recursive: boolean): string {
  const refString = goPrint(or<unknown>(field(schema, '$ref'), ''));
  if (truthy(refString) && truthy((history ?? {})[refString])) return '';
  const next = withHistory(history, refString);
  const resolved = or<unknown>(resolveRef(refString, doc), schema) as Obj;
  let out = '';
  const props = field(resolved, 'properties');
  for (const k of sortedKeys(props)) {
    out += fieldDetail(k, resolved, recursive, level, doc);
    if (recursive) out += fieldList((props as Obj)[k], level + 1, next, doc, recursive);
  }
  const allOf = field(resolved, 'allOf');
  if (Array.isArray(allOf)) for (const sub of allOf) out += fieldList(sub, level, next, doc, recursive);
  const items = field(resolved, 'items');
  if (truthy(items)) out += fieldList(items, level, next, doc, recursive);
  const ap = mapValueSchema(resolved);
  if (ap !== undefined) out += fieldList(ap, level, next, doc, recursive);
  return out;
}

/** define "output" */
function output(schema: unknown, fieldPath: string[], history: History, doc: Obj, recursive: boolean): string {
  const refString = goPrint(or<unknown>(field(schema, '$ref'), ''));
  const next = withHistory(history, refString);
  const resolved = or<unknown>(resolveRef(refString, doc), schema) as Obj;
  if (fieldPath.length === 0) {
    let out = 'DESCRIPTION:\n';
    out += `${indent(4, wordWrap(or(description(resolved, doc), '<empty>'), 76))}\n`;
    const fields = fieldList(resolved, 1, undefined, doc, recursive);
    if (truthy(fields)) out += `FIELDS:\n${fields}`;
    return out;
  }
  if (truthy(refString) && truthy((history ?? {})[refString])) return '';
  const props = field(resolved, 'properties');
  if (truthy(props) && truthy(field(props, fieldPath[0]))) {
    const sub = (props as Obj)[fieldPath[0]];
    let out = '';
    if (fieldPath.length === 1) {
      out += `FIELD: ${fieldPath[0]} <${typeGuess(sub, doc)}>\n`;
      out += `${extractEnum(sub, true, -1)}\n\n`;
    }
    return out + output(sub, fieldPath.slice(1), {}, doc, recursive);
  }
  const items = field(resolved, 'items');
  if (truthy(items)) return output(items, fieldPath, next, doc, recursive);
  const ap = mapValueSchema(resolved);
  if (ap !== undefined) return output(ap, fieldPath, next, doc, recursive);
  const allOf = field(resolved, 'allOf');
  if (Array.isArray(allOf)) {
    for (const sub of allOf) {
      const o = output(sub, fieldPath, next, doc, recursive);
      if (truthy(o)) return o;
    }
  }
  return '';
}

/** The GVK of a GVR, as the template finds it: from the operations of the resource's paths. */
export function findGvk(doc: Obj, gvr: Gvr): Json | undefined {
  const prefix = gvr.group ? `/apis/${gvr.group}` : '/api';
  const base = [prefix, gvr.version];
  const searchPaths = [
    [...base, gvr.resource],
    [...base, gvr.resource, '{name}'],
    [...base, 'namespaces', '{namespace}', gvr.resource],
    [...base, 'namespaces', '{namespace}', gvr.resource, '{name}'],
  ].map((p) => p.join('/'));
  let gvk: Json | undefined = '';
  for (const p of searchPaths) {
    const el = field(field(doc, 'paths'), p);
    if (!truthy(el)) continue;
    for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
      const op = field(el, method);
      if (!truthy(op)) continue;
      // `with $gvk = index ...`: assigned even when empty; `break` leaves only the method loop.
      gvk = field(op, 'x-kubernetes-group-version-kind');
      if (truthy(gvk)) break;
    }
  }
  return truthy(gvk) ? gvk : undefined;
}

/**
 * The whole plaintext template. kubectl writes the GROUP/KIND/VERSION header before it looks the
 * field up, so a missing field leaves the header on stdout; here nothing is returned on error
 * (an intended difference: no half-written result).
 */
export function renderPlaintext(doc: Obj, gvr: Gvr, fieldPath: string[], recursive: boolean): string {
  const gvk = findGvk(doc, gvr);
  if (!gvk) throw new ExplainError(`error: GVR (${gvrString(gvr)}) not found in OpenAPI schema`);
  let out = '';
  const g = gvk as Obj;
  if (truthy(g.group)) out += `GROUP:      ${goPrint(g.group)}\n`;
  out += `KIND:       ${goPrint(g.kind)}\n`;
  out += `VERSION:    ${goPrint(g.version)}\n`;
  out += '\n';
  const schemas = field(field(doc, 'components'), 'schemas');
  let body = '';
  for (const name of sortedKeys(schemas)) {
    const s = (schemas as Obj)[name];
    if (contains(field(s, 'x-kubernetes-group-version-kind'), gvk)) {
      body = output(s, fieldPath, undefined, doc, recursive);
      if (!truthy(body)) {
        throw new ExplainError(`error: field "${fieldPath[fieldPath.length - 1]}" does not exist`);
      }
      break;
    }
  }
  if (!truthy(body)) throw new ExplainError(`error: GVK ${goGvk(g)} not found in OpenAPI schema`);
  return `${out}${body}\n`;
}

/** %v of the gvk map: map[group:apps kind:Deployment version:v1]. */
function goGvk(g: Obj): string {
  return goPrint(g);
}
