/**
 * `interpret`: --check (compile every rule of every customization) and execute (run one operation
 * locally on the given objects), spec §7. No cluster access: the customizations come from -f.
 * Returns text and an exit code; the command prints.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { Document, parse, parseAllDocuments, visit } from 'yaml';
import { UserError } from '../errors';
import { compileError, LuaError } from '../interpret/lua';
import { RESULT_NAMES, RULES, ruleByName, runRule, scriptOf, scriptsFor, type RuleName } from '../interpret/rules';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const MAX_INPUT_BYTES = 32 * 1024 * 1024;

export interface Source {
  /** file name (or URL, or "STDIN") */
  source: string;
  docs: Obj[];
}

/** Reads a file, a directory (.json/.yaml/.yml; -R recursive), an http(s) URL or `-` (stdin). */
export async function readSources(p: string, opts: { recursive?: boolean; stdin?: () => Promise<string>; flag: string }): Promise<Source[]> {
  let text: string;
  if (p === '-') {
    if (!opts.stdin) throw new UserError(`${opts.flag} - : reading from stdin is not supported here`);
    return [{ source: 'STDIN', docs: parseDocs(await opts.stdin(), 'STDIN') }];
  }
  if (/^https?:\/\//.test(p)) {
    let lastErr: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const res = await fetch(p, { signal: AbortSignal.timeout(30_000) });
        if (!res.ok) throw new UserError(`unable to read URL "${p}", server reported ${res.status} ${res.statusText}`);
        text = await res.text();
        if (text.length > MAX_INPUT_BYTES) throw new UserError(`${p} is larger than ${MAX_INPUT_BYTES} bytes`);
        return [{ source: p, docs: parseDocs(text, p) }];
      } catch (e) {
        lastErr = e;
        if (e instanceof UserError) throw e;
      }
    }
    throw new UserError(`unable to read URL "${p}": ${(lastErr as Error)?.message ?? 'request failed'}`);
  }
  let st;
  try {
    st = await stat(p);
  } catch {
    throw new UserError(`the path "${p}" does not exist`, { hint: `check the path given to ${opts.flag}` });
  }
  if (st.isDirectory()) {
    const out: Source[] = [];
    for (const e of (await readdir(p, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(p, e.name);
      if (e.isDirectory()) {
        if (opts.recursive) out.push(...(await readSources(full, opts)));
      } else if (/\.(json|ya?ml)$/.test(e.name)) out.push(...(await readSources(full, opts)));
    }
    return out;
  }
  if (st.size > MAX_INPUT_BYTES) throw new UserError(`${p} is larger than ${MAX_INPUT_BYTES} bytes`, { hint: 'split it into smaller files' });
  text = await readFile(p, 'utf8');
  return [{ source: p, docs: parseDocs(text, p) }];
}

/**
 * YAML 1.1 like go-yaml (yes/on/off booleans, octal), but timestamps stay strings: the reference
 * decodes through JSON (sigs.k8s.io/yaml), so `2023-04-06T15:01:47Z` reaches a script as a string.
 */
export const YAML_INPUT = {
  version: '1.1' as const,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  customTags: (tags: any[]) => tags.filter((t) => t?.tag !== 'tag:yaml.org,2002:timestamp'),
};

/** Multi-document YAML (YAML 1.1 like go-yaml) or JSON; empty documents skipped. */
export function parseDocs(text: string, source: string): Obj[] {
  let docs: Document[];
  try {
    docs = parseAllDocuments(text, YAML_INPUT) as Document[];
  } catch (e) {
    throw new UserError(`${source}: invalid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  const out: Obj[] = [];
  for (const d of Array.isArray(docs) ? docs : [docs]) {
    if (d.errors?.length) throw new UserError(`${source}: invalid YAML: ${d.errors[0].message.split('\n')[0]}`, { hint: 'fix the file' });
    const v = d.toJS({ maxAliasCount: 100 });
    if (v === null || v === undefined) continue;
    if (typeof v !== 'object' || Array.isArray(v)) throw new UserError(`${source}: expected an object, got ${Array.isArray(v) ? 'a list' : JSON.stringify(v)}`);
    out.push(v);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// --check

export interface CheckResult {
  text: string;
  ok: boolean;
}

export function checkCustomizations(sources: Source[]): CheckResult {
  const lines: string[] = [];
  let ok = true;
  for (const src of sources) {
    for (const doc of src.docs) {
      lines.push('-----------------------------------');
      lines.push(`SOURCE: ${doc?.metadata?.name || src.source}`);
      const [group, version] = String(doc.apiVersion ?? '').includes('/') ? String(doc.apiVersion).split('/', 2) : ['', String(doc.apiVersion ?? '')];
      if (doc.apiVersion !== 'config.karmada.io/v1alpha1' || doc.kind !== 'ResourceInterpreterCustomization') {
        lines.push(`not a ResourceInterpreterCustomization, got ${group}/${version}, Kind=${doc.kind ?? ''}`);
        ok = false;
        continue;
      }
      const target = doc.spec?.target ?? {};
      lines.push(`TARGET: ${target.apiVersion ?? ''} ${target.kind ?? ''}`);
      if (!target.kind) {
        lines.push('target.kind no set');
        ok = false;
        continue;
      }
      if (!target.apiVersion) {
        lines.push('target.apiVersion no set');
        ok = false;
        continue;
      }
      lines.push('RULERS:');
      const rows: [string, string][] = [];
      for (const rule of RULES) {
        const script = scriptOf(doc, rule);
        if (!script.trim()) rows.push([rule, 'UNSET']);
        else {
          const err = compileError(script);
          if (err) ok = false;
          rows.push([rule, err ? `ERROR: ${err}` : 'PASS']);
        }
      }
      const w = Math.max(...rows.map(([r]) => r.length + 1)) + 1;
      for (const [r, v] of rows) lines.push(`    ${`${r}:`.padEnd(w)}${v}`);
    }
  }
  return { text: lines.length ? `${lines.join('\n')}\n` : '', ok };
}

// ---------------------------------------------------------------------------------------------
// execute

export interface ExecuteOptions {
  operation: string;
  customizations: Obj[];
  desired?: Obj;
  observed?: Obj;
  statusItems?: Obj[] | null;
  desiredReplica: number;
}

export interface ExecuteResult {
  /** What the script printed (one entry per print call). */
  printed: string[];
  /** The YAML sections, as the reference prints them on stdout. */
  text: string;
  /** `Execute <Rule> error: ...` when the rule failed. */
  error?: string;
  rule: RuleName;
}

export function resolveOperation(op: string): RuleName {
  if (!op) throw new UserError('operation is not set for executing', { hint: `pass --operation, one of: ${RULES.join(', ')}` });
  const rule = ruleByName(op);
  if (!rule) throw new UserError(`operation ${op} is not supported. Use one of: ${RULES.join(', ')}`);
  return rule;
}

export function validateInputs(rule: RuleName, desired: boolean, observed: boolean): void {
  if (rule === 'Retain') {
    if (!desired) throw new UserError('desired, desired-file options are not set', { hint: 'pass --desired-file FILE' });
    if (!observed) throw new UserError('observed, observed-file options are not set', { hint: 'pass --observed-file FILE' });
    return;
  }
  if (!desired && !observed) throw new UserError('desired-file, observed-file options are not set', { hint: 'pass --observed-file FILE (or --desired-file FILE)' });
  if (desired && observed) throw new UserError('you can not specify both desired-file and observed-file options');
}

export function execute(o: ExecuteOptions): ExecuteResult {
  const rule = resolveOperation(o.operation);
  validateInputs(rule, !!o.desired, !!o.observed);
  const obj = (rule === 'Retain' ? o.desired : (o.desired ?? o.observed)) as Obj;
  const printed: string[] = [];
  const scripts = scriptsFor(o.customizations, String(obj.apiVersion ?? ''), String(obj.kind ?? ''), rule);
  if (!scripts.length) {
    return { rule, printed, text: '', error: `Execute ${rule} error: rule is not enabled (no customization with a ${rule} script targets ${obj.apiVersion ?? ''} ${obj.kind ?? ''})` };
  }
  let results: unknown[];
  try {
    results = runRule(rule, scripts, { desired: o.desired, observed: o.observed, statusItems: o.statusItems, desiredReplica: o.desiredReplica }, { print: (l) => printed.push(l) });
  } catch (e) {
    const msg = e instanceof LuaError ? e.message : (e as Error).message;
    return { rule, printed, text: '', error: `Execute ${rule} error: ${msg}` };
  }
  const names = RESULT_NAMES[rule];
  let text = '';
  names.forEach((n, i) => {
    text += `---\n# [${i + 1}/${names.length}] ${n}:\n${toYaml(results[i])}`;
  });
  return { rule, printed, text };
}

/** go-yaml v2's key order: digit runs compare as numbers, letters after other characters. */
export function goYamlKeyLess(a: string, b: string): number {
  const ar = [...a];
  const br = [...b];
  const isLetter = (c: string) => /\p{L}/u.test(c);
  const isDigit = (c: string) => c >= '0' && c <= '9';
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]);
    const bl = isLetter(br[i]);
    if (al && bl) return ar[i] < br[i] ? -1 : 1;
    if (al || bl) return bl ? -1 : 1;
    let an = 0;
    let bn = 0;
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10 + Number(ar[ai]);
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10 + Number(br[bi]);
    if (an !== bn) return an < bn ? -1 : 1;
    if (ai !== bi) return ai < bi ? -1 : 1;
    return ar[i] < br[i] ? -1 : 1;
  }
  return ar.length - br.length;
}

/** go-yaml v2 double-quotes a string that would read back as another type (or is empty). */
function readsAsNonString(v: string): boolean {
  if (v === '' || /^[yYnN]$/.test(v)) return true;
  if (v.includes('\n')) return false;
  try {
    const r: unknown = parse(v, { version: '1.1' });
    return r === null || typeof r === 'number' || typeof r === 'boolean' || r instanceof Date;
  } catch {
    return false;
  }
}

/** A result as the reference prints it: via JSON, keys in go-yaml order, go-yaml's quoting. */
export function toYaml(v: unknown): string {
  if (v === null || v === undefined) return 'null\n';
  const doc = new Document(JSON.parse(JSON.stringify(v)), {
    version: '1.1',
    sortMapEntries: (x, y) => goYamlKeyLess(String((x.key as { value?: unknown })?.value ?? x.key), String((y.key as { value?: unknown })?.value ?? y.key)),
  });
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && readsAsNonString(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return doc.toString({
    // go-yaml v2 folds long plain strings at 80 columns
    lineWidth: 80,
    minContentWidth: 0,
    indentSeq: false,
    // go-yaml v2 quotes with single quotes where plain style is impossible
    singleQuote: true,
  });
}
