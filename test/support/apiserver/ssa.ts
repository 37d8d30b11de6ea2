/**
 * Server-side apply for the test API server, after structured-merge-diff as kube-apiserver runs it:
 * every write records which manager owns which fields (metadata.managedFields, FieldsV1), an apply
 * owns exactly the fields of its configuration (fields it stops sending are removed when nobody else
 * owns them), and applying a field another manager owns with a different value is a conflict (409,
 * the real Status body) unless force=true, which takes the field over.
 *
 * Simplified: associative lists are the strategic-merge keyed lists of patch.ts (containers by name,
 * ports, env, volumes, ...); every other list is atomic; maps and structs are both granular.
 */
import type { ResourceDef } from './registry';
import { qualified } from './registry';
import { MERGE_KEYS, clone, strategicMerge } from './patch';
import type { Obj } from './store';
import { HttpError, statusBody } from './server';

type J = unknown;
const isObj = (v: J): v is Record<string, J> => !!v && typeof v === 'object' && !Array.isArray(v);

/** metadata fields that identify the object or belong to the server: never owned by a manager. */
const IDENTITY = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'managedFields', 'selfLink', 'generateName']);

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, J>;
  subresource?: string;
}

/** A path as FieldsV1 segments (`f:spec`, `k:{"name":"etcd"}`) joined by NUL. */
type PathKey = string;
const SEP = '\u0000';

function itemKey(field: string, item: J): string | undefined {
  const mk = MERGE_KEYS[field];
  if (!mk || !isObj(item)) return undefined;
  const name = item[mk] !== undefined ? mk : item.port !== undefined ? 'port' : item.name !== undefined ? 'name' : undefined;
  if (!name) return undefined;
  return `k:${JSON.stringify({ [name]: item[name] })}`;
}

function isAssociative(field: string, list: J[]): boolean {
  return Boolean(MERGE_KEYS[field]) && list.every((x) => itemKey(field, x) !== undefined);
}

/** The leaf fields an object sets (list items of associative lists also count, as `.`). */
export function fieldSet(obj: Obj, opts: { withStatus?: boolean } = {}): Set<PathKey> {
  const out = new Set<PathKey>();
  const walk = (v: J, path: string[], field: string) => {
    if (isObj(v)) {
      const entries = Object.entries(v);
      if (!entries.length) {
        out.add(path.join(SEP));
        return;
      }
      for (const [k, x] of entries) walk(x, [...path, `f:${k}`], k);
      return;
    }
    if (Array.isArray(v) && v.length && isAssociative(field, v)) {
      for (const it of v) {
        const p = [...path, itemKey(field, it)!];
        out.add([...p, '.'].join(SEP));
        for (const [k, x] of Object.entries(it as object)) walk(x, [...p, `f:${k}`], k);
      }
      return;
    }
    out.add(path.join(SEP));
  };
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'apiVersion' || k === 'kind') continue;
    if (k === 'status' && !opts.withStatus) continue;
    if (k === 'metadata') {
      for (const [mk, mv] of Object.entries((v ?? {}) as object)) if (!IDENTITY.has(mk)) walk(mv, ['f:metadata', `f:${mk}`], mk);
      continue;
    }
    walk(v, [`f:${k}`], k);
  }
  return out;
}

/** The value at a path, or undefined. */
function valueAt(obj: J, path: PathKey): J {
  let cur: J = obj;
  let field = '';
  for (const seg of path.split(SEP)) {
    if (seg === '.') return cur;
    if (seg.startsWith('f:')) {
      field = seg.slice(2);
      cur = isObj(cur) ? cur[field] : undefined;
    } else if (seg.startsWith('k:')) {
      cur = Array.isArray(cur) ? cur.find((x) => itemKey(field, x) === seg) : undefined;
    }
    if (cur === undefined) return undefined;
  }
  return cur;
}

function removeAt(obj: J, path: PathKey): void {
  const segs = path.split(SEP).filter((s) => s !== '.');
  const chain: { holder: J; seg: string; child: J }[] = [];
  let cur: J = obj;
  let field = '';
  for (const seg of segs) {
    const holder = cur;
    if (seg.startsWith('f:')) {
      field = seg.slice(2);
      cur = isObj(cur) ? cur[field] : undefined;
    } else cur = Array.isArray(cur) ? cur.find((x) => itemKey(field, x) === seg) : undefined;
    if (cur === undefined) return;
    chain.push({ holder, seg, child: cur });
  }
  // Remove the leaf, then every parent map or list item the removal left empty.
  for (let i = chain.length - 1; i >= 0; i--) {
    const { holder, seg, child } = chain[i];
    if (seg.startsWith('f:') && isObj(holder)) delete holder[seg.slice(2)];
    else if (Array.isArray(holder)) {
      const at = holder.indexOf(child);
      if (at >= 0) holder.splice(at, 1);
    }
    const empty = (isObj(holder) && !Object.keys(holder).length) || (Array.isArray(holder) && !holder.length);
    if (!empty || i === 0) break;
  }
}

const humanPath = (p: PathKey) =>
  p
    .split(SEP)
    .filter((s) => s !== '.')
    .map((s) => (s.startsWith('f:') ? `.${s.slice(2)}` : `[${s.slice(2).replace(/^\{"(\w+)":(.*)\}$/, '$1=$2')}]`))
    .join('');

// ---------------------------------------------------------------- FieldsV1 <-> path sets

export function toFieldsV1(set: Set<PathKey>): Record<string, J> {
  const root: Record<string, J> = {};
  for (const p of set) {
    let cur = root;
    for (const seg of p.split(SEP)) cur = (cur[seg] ??= {}) as Record<string, J>;
  }
  return root;
}

export function fromFieldsV1(f: Record<string, J> | undefined): Set<PathKey> {
  const out = new Set<PathKey>();
  const walk = (node: Record<string, J>, path: string[]) => {
    const keys = Object.keys(node);
    if (!keys.length) {
      if (path.length) out.add(path.join(SEP));
      return;
    }
    for (const k of keys) walk((node[k] ?? {}) as Record<string, J>, [...path, k]);
  };
  walk(f ?? {}, []);
  return out;
}

interface Entry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  set: Set<PathKey>;
  subresource?: string;
}

function entriesOf(o: Obj | undefined): Entry[] {
  const mf = (o?.metadata?.managedFields ?? []) as ManagedFieldsEntry[];
  return mf.map((e) => ({ manager: e.manager, operation: e.operation, apiVersion: e.apiVersion, time: e.time, subresource: e.subresource, set: fromFieldsV1(e.fieldsV1) }));
}

function serialize(entries: Entry[]): ManagedFieldsEntry[] | undefined {
  const out = entries
    .filter((e) => e.set.size)
    .map((e) => ({ manager: e.manager, operation: e.operation, apiVersion: e.apiVersion, time: e.time, fieldsType: 'FieldsV1' as const, fieldsV1: toFieldsV1(e.set), ...(e.subresource ? { subresource: e.subresource } : {}) }));
  return out.length ? out : undefined;
}

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const same = (a: J, b: J) => JSON.stringify(a) === JSON.stringify(b);

/** Every proper prefix of a path, and the path itself. */
function prefixes(p: PathKey): string[] {
  const segs = p.split(SEP);
  const out: string[] = [];
  for (let i = 1; i <= segs.length; i++) out.push(segs.slice(0, i).join(SEP));
  return out;
}

/** The entry of `set` that owns `p`: p itself, or a path above it (owning an atomic `.spec.x` owns all below). */
function ownerPath(set: Set<PathKey>, p: PathKey): PathKey | undefined {
  if (set.has(p)) return p;
  const segs = p.split(SEP);
  for (let i = segs.length - 1; i >= 1; i--) {
    const q = segs.slice(0, i).join(SEP);
    if (set.has(q)) return q;
  }
  return undefined;
}

export function conflictError(def: ResourceDef, name: string, conflicts: { manager: string; apiVersion: string; path: PathKey }[]) {
  const n = conflicts.length;
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) byManager.set(`"${c.manager}" using ${c.apiVersion}`, [...(byManager.get(`"${c.manager}" using ${c.apiVersion}`) ?? []), humanPath(c.path)]);
  let message: string;
  if (n === 1) message = `Apply failed with 1 conflict: conflict with ${[...byManager.keys()][0]}: ${humanPath(conflicts[0].path)}`;
  else
    message = `Apply failed with ${n} conflicts: ${[...byManager].map(([m, ps]) => (ps.length === 1 ? `conflict with ${m}: ${ps[0]}` : `conflicts with ${m}:\n${ps.map((p) => `- ${p}`).join('\n')}`)).join('\n')}`;
  return new HttpError(
    409,
    statusBody(409, 'Conflict', message, {
      name,
      group: def.group || undefined,
      kind: def.plural,
      causes: conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with "${c.manager}" using ${c.apiVersion}`, field: humanPath(c.path) })),
    }),
  );
}

/**
 * Server-side apply of `applied` by `manager` onto `cur` (undefined: the object does not exist).
 * Returns the merged object with its new managedFields; throws the 409 of a conflict.
 */
export function serverSideApply(def: ResourceDef, cur: Obj | undefined, applied: Obj, manager: string, force: boolean, subresource?: string): Obj {
  const apiVersion = def.group ? `${def.group}/${def.version}` : def.version;
  if (applied.metadata?.managedFields?.length) {
    throw new HttpError(400, statusBody(400, 'BadRequest', 'metadata.managedFields must be nil'));
  }
  const withStatus = subresource === 'status';
  const want = fieldSet(applied, { withStatus });
  const entries = entriesOf(cur);
  const mine = entries.find((e) => e.manager === manager && e.operation === 'Apply' && (e.subresource ?? '') === (subresource ?? ''));
  if (cur) {
    const conflicts: { manager: string; apiVersion: string; path: PathKey }[] = [];
    for (const e of entries) {
      if (e === mine) continue;
      for (const p of want) {
        if (p.endsWith(SEP + '.')) continue;
        const owned = ownerPath(e.set, p);
        if (!owned) continue;
        if (same(valueAt(cur, p), valueAt(applied, p))) continue;
        if (force) e.set.delete(owned);
        else conflicts.push({ manager: e.manager, apiVersion: e.apiVersion, path: p });
      }
    }
    if (conflicts.length) throw conflictError(def, cur.metadata.name, conflicts);
  }
  let result: Obj = cur ? clone(cur) : { apiVersion: applied.apiVersion, kind: applied.kind, metadata: {} };
  // Fields this manager applied before and no longer applies go, unless someone else owns them too.
  if (cur && mine) {
    const others = entries.filter((e) => e !== mine);
    const otherPrefixes = new Set<string>();
    for (const e of others) for (const o of e.set) for (const q of prefixes(o)) otherPrefixes.add(q);
    const wantPrefixes = new Set<string>();
    for (const w of want) for (const q of prefixes(w)) wantPrefixes.add(q);
    const dropped = [...mine.set].filter((p) => !want.has(p)).sort((a, b) => b.length - a.length);
    for (const p of dropped) {
      const base = p.endsWith(SEP + '.') ? p.slice(0, -2) : p;
      // Someone else owns it, something inside it, or something above it; or this apply still sets something inside it.
      if (otherPrefixes.has(base) || others.some((e) => ownerPath(e.set, base))) continue;
      if (wantPrefixes.has(base)) continue;
      removeAt(result, p);
    }
  }
  const { metadata: am, ...body } = clone(applied);
  const metaPatch = Object.fromEntries(Object.entries(am ?? {}).filter(([k]) => !IDENTITY.has(k)));
  result = strategicMerge(result, { ...body, metadata: metaPatch }) as Obj;
  result.metadata.name = cur?.metadata.name ?? applied.metadata?.name;
  if (applied.metadata?.namespace || cur?.metadata.namespace) result.metadata.namespace = cur?.metadata.namespace ?? applied.metadata.namespace;
  const next = entries.filter((e) => e !== mine);
  next.push({ manager, operation: 'Apply', apiVersion, time: mine && sameSet(mine.set, want) && same(stripMF(result), stripMF(cur)) ? mine.time : now(), set: want, subresource });
  // Fields the apply took over from an Update entry of other managers stay shared (same value): nothing to do.
  result.metadata.managedFields = serialize(order(next, entries));
  if (!result.metadata.managedFields) delete result.metadata.managedFields;
  return result;
}

const stripMF = (o: Obj | undefined) => o && { ...o, metadata: { ...o.metadata, managedFields: undefined, resourceVersion: undefined } };
const sameSet = (a: Set<string>, b: Set<string>) => a.size === b.size && [...a].every((x) => b.has(x));
/** Keep the server's order: existing entries where they were, new ones at the end. */
function order(next: Entry[], prev: Entry[]): Entry[] {
  const key = (e: Entry) => `${e.manager}|${e.operation}|${e.subresource ?? ''}`;
  const pos = new Map(prev.map((e, i) => [key(e), i]));
  return [...next].sort((a, b) => (pos.get(key(a)) ?? 1e9) - (pos.get(key(b)) ?? 1e9));
}

/**
 * A create, update or (non-apply) patch by `manager`: it owns the fields it changed (operation Update);
 * other managers lose them, as with the real field manager.
 */
export function recordUpdate(def: ResourceDef, old: Obj | undefined, next: Obj, manager: string, subresource?: string): void {
  const apiVersion = def.group ? `${def.group}/${def.version}` : def.version;
  const withStatus = subresource === 'status';
  const entries = entriesOf(old);
  const before = old ? fieldSet(old, { withStatus }) : new Set<PathKey>();
  const after = fieldSet(next, { withStatus });
  const changed = [...after].filter((p) => !before.has(p) || !same(valueAt(old, p), valueAt(next, p)));
  const removed = [...before].filter((p) => !after.has(p));
  if (!changed.length && !removed.length) {
    next.metadata.managedFields = old?.metadata?.managedFields;
    if (!next.metadata.managedFields) delete next.metadata.managedFields;
    return;
  }
  for (const e of entries) for (const p of [...changed, ...removed]) e.set.delete(p);
  let mine = entries.find((e) => e.manager === manager && e.operation === 'Update' && (e.subresource ?? '') === (subresource ?? ''));
  if (!mine) entries.push((mine = { manager, operation: 'Update', apiVersion, time: now(), set: new Set(), subresource }));
  mine.time = now();
  for (const p of changed) mine.set.add(p);
  next.metadata.managedFields = serialize(entries);
  if (!next.metadata.managedFields) delete next.metadata.managedFields;
}

/** The manager of a write: ?fieldManager=, else the User-Agent's program name (as the real server derives it). */
export function managerOf(query: Record<string, string>, userAgent: string | undefined): string {
  if (query.fieldManager) return query.fieldManager;
  const prog = (userAgent ?? 'unknown').split('/')[0].split(' ')[0];
  return prog || 'unknown';
}

export { qualified };
