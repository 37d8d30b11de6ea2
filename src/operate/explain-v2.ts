/**
 * `explain --output=plaintext-openapiv2`: kubectl v0.35.3's old renderer (k8s.io/kubectl/pkg/explain)
 * over the swagger 2.0 document of /openapi/v2, with kube-openapi's util/proto model of it
 * (Kind / Map / Array / Primitive / Reference / Arbitrary). Pure: returns the text or throws.
 */

type Obj = { [k: string]: unknown };

export interface Gvk {
  group: string;
  version: string;
  kind: string;
}

export function gvkString(g: Gvk): string {
  return `${g.group}/${g.version}, Kind=${g.kind}`;
}

function groupVersion(g: Gvk): string {
  return g.group ? `${g.group}/${g.version}` : g.version;
}

type Model =
  | { t: 'kind'; description: string; fields: Record<string, Obj>; required: string[] }
  | { t: 'map'; description: string; sub: Obj | undefined }
  | { t: 'array'; description: string; sub: Obj }
  | { t: 'primitive'; description: string; type: string }
  | { t: 'ref'; description: string; ref: string }
  | { t: 'arbitrary'; description: string };

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export class SwaggerModels {
  private readonly defs: Obj;
  private readonly resources = new Map<string, string>();

  constructor(doc: unknown) {
    this.defs = isObj(doc) && isObj(doc.definitions) ? doc.definitions : {};
    // kubectl's NewOpenAPIData: models in sorted order, a later model wins a shared GVK.
    for (const name of Object.keys(this.defs).sort()) {
      const gvks = (this.defs[name] as Obj)['x-kubernetes-group-version-kind'];
      if (!Array.isArray(gvks)) continue;
      for (const g of gvks) {
        if (isObj(g) && g.kind) this.resources.set(gvkString({ group: String(g.group ?? ''), version: String(g.version ?? ''), kind: String(g.kind) }), name);
      }
    }
  }

  lookupResource(gvk: Gvk): Model | undefined {
    const name = this.resources.get(gvkString(gvk));
    return name === undefined ? undefined : this.model(this.defs[name] as Obj);
  }

  /** proto.Definitions.ParseSchema */
  model(s: Obj | undefined): Model {
    s = s ?? {};
    const description = typeof s.description === 'string' ? s.description : '';
    if (typeof s.$ref === 'string' && s.$ref) return { t: 'ref', description, ref: s.$ref };
    const types = s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
    if (types.length === 0) {
      return s.properties !== undefined ? this.kind(s, description) : { t: 'arbitrary', description };
    }
    if (types.length > 1) throw new Error('definitions with multiple types aren\'t supported');
    if (types[0] === 'object') {
      if (s.properties !== undefined) return this.kind(s, description);
      return { t: 'map', description, sub: isObj(s.additionalProperties) ? s.additionalProperties : undefined };
    }
    if (types[0] === 'array') return { t: 'array', description, sub: (isObj(s.items) ? s.items : {}) as Obj };
    return { t: 'primitive', description, type: String(types[0]) };
  }

  private kind(s: Obj, description: string): Model {
    return {
      t: 'kind',
      description,
      fields: (isObj(s.properties) ? s.properties : {}) as Record<string, Obj>,
      required: Array.isArray(s.required) ? s.required.map(String) : [],
    };
  }

  /** A map without a schema for its values holds arbitrary values. */
  sub(m: Model & { t: 'map' | 'array' }): Model {
    return m.sub === undefined ? { t: 'arbitrary', description: '' } : this.model(m.sub);
  }

  deref(ref: string): Model {
    const name = ref.split('/').pop()!;
    const def = this.defs[name];
    if (!isObj(def)) throw new Error(`unknown model in reference: "${name}"`);
    return this.model(def);
  }
}

/** explain.GetTypeName */
function typeName(m: Model, models: SwaggerModels): string {
  switch (m.t) {
    case 'array': return `[]${typeName(models.sub(m), models)}`;
    case 'map': return `map[string]${typeName(models.sub(m), models)}`;
    case 'kind': return 'Object';
    case 'primitive': return m.type;
    case 'ref': return typeName(models.deref(m.ref), models);
    default: return '';
  }
}

const BULLET = /^(\d+\.?|-|\*)\s/;

/** explain.wrapString (formatter.go): paragraph-aware wrapping by words. */
export function wrapParagraphs(str: string, wrap: number): string[] {
  const wrapped: string[] = [];
  let words: string[] = [];
  let lastWord = '';
  const lineLen = (ws: string[]) => Buffer.byteLength(ws.join(' '));
  const flush = () => {
    if (words.length > 0) {
      lastWord = '';
      wrapped.push(words.join(' '));
      words = [];
    }
  };
  const add = (w: string) => {
    const next = [...words, w];
    if (lineLen(next) <= wrap || words.length === 0) {
      words = next;
      return true;
    }
    return false;
  };
  for (const s of str.split('\n')) {
    if (s.startsWith('    ')) {
      flush();
      wrapped.push(s);
      continue;
    }
    if (wrapped.length > 0 && s.trim().length === 0) {
      flush();
      wrapped.push('');
      continue;
    }
    const t = s.trim();
    if (lastWord.endsWith(':') || t.length === 0 || BULLET.test(t)) flush();
    for (const w of s.split(/[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/).filter(Boolean)) {
      lastWord = w;
      if (!add(w)) {
        flush();
        add(w);
      }
    }
  }
  flush();
  return wrapped;
}

class Formatter {
  constructor(private readonly out: string[], readonly level = 0, readonly wrap = 80) {}
  indent(n: number): Formatter {
    return new Formatter(this.out, this.level + n, this.wrap);
  }
  write(s: string): void {
    this.out.push(s === '' ? '\n' : `${' '.repeat(this.level)}${s}\n`);
  }
  writeWrapped(s: string): void {
    for (const line of wrapParagraphs(s, this.wrap - this.level)) this.write(line);
  }
}

/** explain.LookupSchemaForField */
function lookup(m: Model, path: string[], models: SwaggerModels): Model {
  let p = path;
  let cur = m;
  for (;;) {
    if (cur.t === 'primitive' || cur.t === 'arbitrary') return cur;
    if (p.length === 0) return cur;
    if (cur.t === 'kind') {
      const sub = cur.fields[p[0]];
      if (sub === undefined) throw new ExplainV2Error(`field "${p[0]}" does not exist`);
      p = p.slice(1);
      cur = models.model(sub);
    } else if (cur.t === 'ref') {
      cur = models.deref(cur.ref);
    } else {
      cur = models.sub(cur);
    }
  }
}

export class ExplainV2Error extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExplainV2Error';
  }
}

function printFields(f: Formatter, m: Model, models: SwaggerModels): void {
  if (m.t === 'array' || m.t === 'map') return printFields(f, models.sub(m), models);
  if (m.t === 'ref') return printFields(f, models.deref(m.ref), models);
  if (m.t !== 'kind') return;
  for (const key of Object.keys(m.fields).sort()) {
    const v = models.model(m.fields[key]);
    f.write(`${key}\t<${typeName(v, models)}>${m.required.includes(key) ? ' -required-' : ''}`);
    f.indent(2).writeWrapped(v.description);
    f.write('');
  }
}

function printRecursive(f: Formatter, m: Model, models: SwaggerModels, visited: Set<string>): void {
  if (m.t === 'array' || m.t === 'map') return printRecursive(f, models.sub(m), models, visited);
  if (m.t === 'ref') {
    if (visited.has(m.ref)) return;
    visited.add(m.ref);
    printRecursive(f, models.deref(m.ref), models, visited);
    visited.delete(m.ref);
    return;
  }
  if (m.t !== 'kind') return;
  for (const key of Object.keys(m.fields).sort()) {
    const v = models.model(m.fields[key]);
    f.write(`${key}\t<${typeName(v, models)}>`);
    printRecursive(f.indent(3), v, models, visited);
  }
}

/** explain.PrintModelDescription over the model of `gvk`. */
export function renderOpenAPIV2(models: SwaggerModels, gvk: Gvk, fieldPath: string[], recursive: boolean): string {
  const root = models.lookupResource(gvk);
  if (!root) throw new ExplainV2Error(`couldn't find resource for ${JSON.stringify(gvkString(gvk))}`);
  const name = fieldPath.length ? fieldPath[fieldPath.length - 1] : '';
  const target = lookup(root, fieldPath, models);
  const out: string[] = [];
  const w = new Formatter(out);
  const descriptions: string[] = [];
  let type = '';
  const kindAndVersion = () => {
    w.write(`KIND:     ${gvk.kind}`);
    w.write(`VERSION:  ${groupVersion(gvk)}\n`);
  };
  const printDescription = (own: string) => {
    w.write('DESCRIPTION:');
    let empty = true;
    [...descriptions, own].forEach((d, i) => {
      if (d === '') return;
      empty = false;
      if (i !== 0) w.write('');
      w.indent(5).writeWrapped(d);
    });
    if (empty) w.indent(5).writeWrapped('<empty>');
  };
  let cur = target;
  for (;;) {
    if (cur.t === 'array' || cur.t === 'map') {
      descriptions.push(cur.description);
      if (type === '') type = typeName(cur, models);
      cur = models.sub(cur);
    } else if (cur.t === 'ref') {
      descriptions.push(cur.description);
      cur = models.deref(cur.ref);
    } else break;
  }
  kindAndVersion();
  if (cur.t === 'kind') {
    if (type === '') type = typeName(cur, models);
    if (name !== '') w.write(`RESOURCE: ${name} <${type}>\n`);
    printDescription(cur.description);
    w.write('\nFIELDS:');
    if (recursive) printRecursive(w.indent(3), cur, models, new Set());
    else printFields(w.indent(3), cur, models);
  } else if (cur.t === 'primitive') {
    if (type === '') type = typeName(cur, models);
    w.write(`FIELD:    ${name} <${type}>\n`);
    printDescription(cur.description);
  } else {
    printDescription(cur.description);
  }
  return out.join('');
}
