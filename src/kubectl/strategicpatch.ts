/**
 * apimachinery's strategicpatch (and jsonmergepatch) as kubectl apply uses them: two-way diffs,
 * the three-way patch of client-side apply (`original` = last-applied, `modified` = the manifest,
 * `current` = the live object), and applying a strategic patch (for --dry-run=client and tests).
 *
 * Patch metadata (merge key, strategies) comes from a `PatchSchema`: a function from the path of a
 * field (names only, list items transparent: `spec.template.spec.containers`) to its metadata. The
 * built-in table covers the common kinds; the server's OpenAPI can be plugged in the same way.
 * Directives: `$patch: delete|replace|merge`, `$setElementOrder/<field>`, `$retainKeys`,
 * `$deleteFromPrimitiveList/<field>`.
 */

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

export interface PatchMeta {
  /** `x-kubernetes-patch-strategy`: `merge`, `retainKeys`, `merge,retainKeys`, `replace`. */
  strategy?: string;
  /** `x-kubernetes-patch-merge-key`. */
  mergeKey?: string;
}

export type PatchSchema = (path: string[]) => PatchMeta | undefined;

const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObj(a)) {
    if (!isObj(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

// --------------------------------------------------------------------------- built-in table

/**
 * Merge keys and strategies of the common built-in kinds (k8s.io/api struct tags), by the path's
 * last one or two field names. Suffix `a.b` matches a field `b` inside a field `a`.
 */
const BUILTIN: [string, PatchMeta][] = [
  ['containers.ports', { strategy: 'merge', mergeKey: 'containerPort' }],
  ['initContainers.ports', { strategy: 'merge', mergeKey: 'containerPort' }],
  ['ephemeralContainers.ports', { strategy: 'merge', mergeKey: 'containerPort' }],
  ['spec.ports', { strategy: 'merge', mergeKey: 'port' }],
  ['containers', { strategy: 'merge', mergeKey: 'name' }],
  ['initContainers', { strategy: 'merge', mergeKey: 'name' }],
  ['ephemeralContainers', { strategy: 'merge', mergeKey: 'name' }],
  ['env', { strategy: 'merge', mergeKey: 'name' }],
  ['volumeMounts', { strategy: 'merge', mergeKey: 'mountPath' }],
  ['volumeDevices', { strategy: 'merge', mergeKey: 'devicePath' }],
  ['volumes', { strategy: 'merge,retainKeys', mergeKey: 'name' }],
  ['imagePullSecrets', { strategy: 'merge', mergeKey: 'name' }],
  ['hostAliases', { strategy: 'merge', mergeKey: 'ip' }],
  ['topologySpreadConstraints', { strategy: 'merge', mergeKey: 'topologyKey' }],
  ['resourceClaims', { strategy: 'merge,retainKeys', mergeKey: 'name' }],
  ['schedulingGates', { strategy: 'merge', mergeKey: 'name' }],
  ['conditions', { strategy: 'merge', mergeKey: 'type' }],
  ['metadata.finalizers', { strategy: 'merge' }],
  ['metadata.ownerReferences', { strategy: 'merge', mergeKey: 'uid' }],
  ['spec.strategy', { strategy: 'retainKeys' }],
  ['spec.updateStrategy', { strategy: 'retainKeys' }],
];

/** The built-in patch metadata (struct tags of k8s.io/api for the kinds people apply). */
export const builtinSchema: PatchSchema = (path) => {
  const last = path[path.length - 1];
  const two = path.length >= 2 ? `${path[path.length - 2]}.${last}` : '';
  for (const [k, m] of BUILTIN) if (k === two) return m;
  for (const [k, m] of BUILTIN) if (!k.includes('.') && k === last) return m;
  return undefined;
};

/** A schema from a table of `path → meta` (tests, ported cases): exact dotted paths. */
export function tableSchema(t: Record<string, PatchMeta>): PatchSchema {
  return (path) => t[path.join('.')];
}

const strategies = (m?: PatchMeta) => new Set((m?.strategy ?? '').split(',').filter(Boolean));

// --------------------------------------------------------------------------- diff

export interface DiffOptions {
  /** Only additions and changes (the three-way patch's delta current → modified). */
  ignoreDeletions?: boolean;
  /** Only deletions (the three-way patch's deletions original → modified). */
  ignoreChangesAndAdditions?: boolean;
  /** Emit `$setElementOrder` directives (kubectl: yes). */
  setElementOrder?: boolean;
  /** Emit `$retainKeys` for retainKeys fields (kubectl: yes in the three-way patch). */
  retainKeys?: boolean;
}

/** CreateTwoWayMergePatch: the strategic patch turning `original` into `modified`. */
export function createTwoWayMergePatch(original: Obj, modified: Obj, schema: PatchSchema = builtinSchema, o: DiffOptions = { setElementOrder: true, retainKeys: true }): Obj {
  return diffMaps(original, modified, [], schema, o);
}

function diffMaps(original: Obj, modified: Obj, path: string[], schema: PatchSchema, o: DiffOptions): Obj {
  const patch: Obj = {};
  if (!o.ignoreChangesAndAdditions && modified.$patch === 'replace') {
    // A replace directive in the manifest replaces the whole map.
    if (!deepEqual(original, modified)) return clone(modified);
  }
  for (const [k, mv] of Object.entries(modified)) {
    if (k.startsWith('$')) continue;
    const ov = original[k];
    const p = [...path, k];
    if (!(k in original)) {
      if (!o.ignoreChangesAndAdditions) patch[k] = clone(mv);
      continue;
    }
    if (isObj(ov) && isObj(mv)) {
      const sub = diffMaps(ov, mv, p, schema, o);
      const retain = o.retainKeys && strategies(schema(p)).has('retainKeys');
      // retainKeys: the directive also clears keys the live map has and the manifest does not.
      const extra = retain && Object.keys(ov).some((x) => !x.startsWith('$') && !(x in mv));
      if (Object.keys(sub).length || extra) {
        if (retain) sub.$retainKeys = Object.keys(mv).filter((x) => !x.startsWith('$')).sort();
        patch[k] = sub;
      }
      continue;
    }
    if (Array.isArray(ov) && Array.isArray(mv)) {
      diffLists(k, ov, mv, p, schema, o, patch);
      continue;
    }
    if (!deepEqual(ov, mv) && !o.ignoreChangesAndAdditions) patch[k] = clone(mv);
  }
  if (!o.ignoreDeletions) {
    for (const k of Object.keys(original)) {
      if (k.startsWith('$')) continue;
      if (!(k in modified)) patch[k] = null;
    }
  }
  return patch;
}

function diffLists(k: string, ov: Json[], mv: Json[], path: string[], schema: PatchSchema, o: DiffOptions, patch: Obj): void {
  const meta = schema(path);
  const merge = strategies(meta).has('merge');
  if (!merge) {
    if (!deepEqual(ov, mv) && !o.ignoreChangesAndAdditions) patch[k] = clone(mv);
    return;
  }
  const scalarList = (l: Json[]) => l.every((x) => !isObj(x));
  if (!meta?.mergeKey || (scalarList(ov) && scalarList(mv))) {
    // A merging list of primitives: additions as the list, deletions as $deleteFromPrimitiveList.
    const added = mv.filter((x) => !ov.some((y) => deepEqual(x, y)));
    const deleted = ov.filter((x, i) => !mv.some((y) => deepEqual(x, y)) && ov.findIndex((y) => deepEqual(x, y)) === i);
    if (added.length && !o.ignoreChangesAndAdditions) patch[k] = clone(added);
    if (deleted.length && !o.ignoreDeletions) patch[`$deleteFromPrimitiveList/${k}`] = clone(deleted);
    // apimachinery: the order directive goes with any difference between the two lists.
    const reordered = !o.ignoreChangesAndAdditions && !deepEqual(ov, mv);
    if (o.setElementOrder && mv.length && (patch[k] !== undefined || patch[`$deleteFromPrimitiveList/${k}`] !== undefined || reordered)) patch[`$setElementOrder/${k}`] = clone(mv);
    return;
  }
  const mk = meta.mergeKey;
  const keyOf = (x: Json) => (isObj(x) ? x[mk] : undefined);
  const items: Json[] = [];
  for (const m of mv) {
    if (!isObj(m)) continue;
    const orig = ov.find((x) => isObj(x) && deepEqual(keyOf(x), keyOf(m)));
    if (!isObj(orig)) {
      if (!o.ignoreChangesAndAdditions) items.push(clone(m));
      continue;
    }
    const sub = diffMaps(orig, m, path, schema, o);
    const retain = o.retainKeys && strategies(meta).has('retainKeys');
    const extra = retain && Object.keys(orig).some((x) => !x.startsWith('$') && !(x in m));
    if (Object.keys(sub).length || extra) {
      if (retain) sub.$retainKeys = Object.keys(m).filter((x) => !x.startsWith('$')).sort();
      items.push({ [mk]: clone(m[mk]), ...sub });
    }
  }
  if (!o.ignoreDeletions) {
    for (const x of ov) {
      if (isObj(x) && !mv.some((m) => isObj(m) && deepEqual(keyOf(m), keyOf(x)))) items.push({ [mk]: clone(x[mk]), $patch: 'delete' });
    }
  }
  if (items.length) patch[k] = items;
  // apimachinery: the order directive goes with any difference in the sequence of merge keys.
  const reordered = !o.ignoreChangesAndAdditions && !deepEqual(ov.map(keyOf), mv.map(keyOf));
  if (o.setElementOrder && mv.length && (items.length || reordered)) patch[`$setElementOrder/${k}`] = mv.filter(isObj).map((m) => ({ [mk]: clone(m[mk]) }));
}

// --------------------------------------------------------------------------- three-way

/** Thrown when a three-way patch would change a field someone else changed (overwrite=false). */
export class PatchConflictError extends Error {}

/**
 * CreateThreeWayMergePatch: deletions original → modified, merged with additions/changes current →
 * modified. `{}` means nothing to do (kubectl prints `unchanged`).
 */
export function createThreeWayMergePatch(original: Obj | undefined, modified: Obj, current: Obj, schema: PatchSchema = builtinSchema): Obj {
  const delta = diffMaps(current, modified, [], schema, { ignoreDeletions: true, setElementOrder: true, retainKeys: true });
  const deletions = diffMaps(original ?? {}, modified, [], schema, { ignoreChangesAndAdditions: true, setElementOrder: true, retainKeys: true });
  return mergePatches(deletions, delta, [], schema);
}

/** Merges two patches (the second wins on scalars; keyed lists merge by key). */
function mergePatches(a: Obj, b: Obj, path: string[], schema: PatchSchema): Obj {
  const out: Obj = clone(a);
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    if (isObj(cur) && isObj(v)) out[k] = mergePatches(cur, v, [...path, k], schema);
    else if (Array.isArray(cur) && Array.isArray(v) && !k.startsWith('$')) {
      const meta = schema([...path, k]);
      if (meta?.mergeKey && strategies(meta).has('merge')) {
        const mk = meta.mergeKey;
        const same = (x: Json, y: Json) => isObj(x) && isObj(y) && deepEqual(x[mk], y[mk]);
        const list: Json[] = v.map((item) => {
          const prev = cur.find((x) => same(x, item));
          return isObj(prev) && isObj(item) ? mergePatches(prev, item, [...path, k], schema) : clone(item);
        });
        for (const x of cur) if (!v.some((y) => same(x, y))) list.push(clone(x));
        out[k] = list;
      } else if (strategies(meta).has('merge')) out[k] = [...clone(cur), ...clone(v).filter((x) => !cur.some((y) => deepEqual(x, y)))];
      else out[k] = clone(v);
    } else out[k] = clone(v);
  }
  return out;
}

/** jsonmergepatch.CreateThreeWayJSONMergePatch (custom resources): RFC 7386 patches, lists atomic. */
export function createThreeWayJSONMergePatch(original: Obj | undefined, modified: Obj, current: Obj): Obj {
  const delta = jsonDiff(current, modified, true, false);
  const deletions = jsonDiff(original ?? {}, modified, false, true);
  return mergeJsonPatches(deletions, delta);
}

function jsonDiff(a: Obj, b: Obj, ignoreDeletions: boolean, onlyDeletions: boolean): Obj {
  const out: Obj = {};
  for (const [k, bv] of Object.entries(b)) {
    const av = a[k];
    if (!(k in a)) {
      if (!onlyDeletions) out[k] = clone(bv);
    } else if (isObj(av) && isObj(bv)) {
      const sub = jsonDiff(av, bv, ignoreDeletions, onlyDeletions);
      if (Object.keys(sub).length) out[k] = sub;
    } else if (!deepEqual(av, bv) && !onlyDeletions) out[k] = clone(bv);
  }
  if (!ignoreDeletions) for (const k of Object.keys(a)) if (!(k in b)) out[k] = null;
  return out;
}

function mergeJsonPatches(a: Obj, b: Obj): Obj {
  const out: Obj = clone(a);
  for (const [k, v] of Object.entries(b)) out[k] = isObj(out[k]) && isObj(v) ? mergeJsonPatches(out[k] as Obj, v) : clone(v);
  return out;
}

// --------------------------------------------------------------------------- apply a patch

/** StrategicMergePatch: applies a strategic patch to an object (used for --dry-run=client). */
export function strategicMergePatch(original: Obj, patch: Obj, schema: PatchSchema = builtinSchema): Obj {
  return mergeMap(clone(original), patch, [], schema);
}

function mergeMap(target: Obj, patch: Obj, path: string[], schema: PatchSchema): Obj {
  if (patch.$patch === 'replace') {
    const { $patch: _, ...rest } = patch;
    return clone(rest) as Obj;
  }
  if (patch.$patch === 'delete') return {};
  const retain = Array.isArray(patch.$retainKeys) ? new Set(patch.$retainKeys as string[]) : undefined;
  const out: Obj = target;
  const before: Record<string, Json[]> = {};
  const touched = new Set<string>();
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k === '$retainKeys') continue;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const f = k.slice('$deleteFromPrimitiveList/'.length);
      if (Array.isArray(out[f]) && Array.isArray(v)) out[f] = (out[f] as Json[]).filter((x) => !v.some((y) => deepEqual(x, y)));
      continue;
    }
    if (k.startsWith('$setElementOrder/')) {
      touched.add(k.slice('$setElementOrder/'.length));
      continue;
    }
    if (v === null) {
      delete out[k];
      continue;
    }
    const p = [...path, k];
    if (isObj(v)) out[k] = mergeMap(isObj(out[k]) ? (out[k] as Obj) : {}, v, p, schema);
    else if (Array.isArray(v)) {
      const cur = Array.isArray(out[k]) ? (out[k] as Json[]) : [];
      before[k] = cur;
      touched.add(k);
      out[k] = mergeList(cur, v, p, schema);
    } else out[k] = clone(v);
  }
  if (retain) for (const k of Object.keys(out)) if (!retain.has(k)) delete out[k];
  // Order of merging lists: the patch's (or $setElementOrder's) order, server-only items kept in place
  // relative to the live list (apimachinery normalizeElementOrder / mergeSortedSlice).
  for (const f of touched) {
    const meta = schema([...path, f]);
    if (!strategies(meta).has('merge') || !Array.isArray(out[f])) continue;
    const order = patch[`$setElementOrder/${f}`];
    const plist = Array.isArray(order) ? order : Array.isArray(patch[f]) ? (patch[f] as Json[]).filter((x) => !(isObj(x) && '$patch' in x)) : undefined;
    if (!plist) continue;
    const live = before[f] ?? (out[f] as Json[]);
    out[f] = normalizeOrder(out[f] as Json[], plist, live, meta?.mergeKey);
  }
  return out;
}

function normalizeOrder(merged: Json[], order: Json[], live: Json[], mk?: string): Json[] {
  const keyOf = (x: Json) => (mk && isObj(x) ? x[mk] : x);
  const idx = (list: Json[], x: Json) => list.findIndex((y) => deepEqual(keyOf(y), keyOf(x)));
  const inOrder = merged.filter((x) => idx(order, x) >= 0).sort((a, b) => idx(order, a) - idx(order, b));
  const serverOnly = merged.filter((x) => idx(order, x) < 0).sort((a, b) => idx(live, a) - idx(live, b));
  const out: Json[] = [];
  let i = 0;
  let j = 0;
  while (i < serverOnly.length || j < inOrder.length) {
    if (i >= serverOnly.length) out.push(inOrder[j++]);
    else if (j >= inOrder.length) out.push(serverOnly[i++]);
    else {
      const li = idx(live, serverOnly[i]);
      const ri = idx(live, inOrder[j]);
      if (li >= 0 && ri >= 0 && li < ri) out.push(serverOnly[i++]);
      else out.push(inOrder[j++]);
    }
  }
  return out;
}

function mergeList(target: Json[], patch: Json[], path: string[], schema: PatchSchema): Json[] {
  const meta = schema(path);
  if (!strategies(meta).has('merge')) {
    const replace = patch.find((x) => isObj(x) && x.$patch === 'replace');
    return clone(patch.filter((x) => x !== replace));
  }
  const mk = meta?.mergeKey;
  if (!mk || patch.every((x) => !isObj(x))) {
    const out: Json[] = [];
    for (const x of [...target, ...patch]) if (!out.some((y) => deepEqual(x, y))) out.push(clone(x));
    return out;
  }
  if (patch.some((x) => isObj(x) && x.$patch === 'replace')) return clone(patch.filter((x) => !(isObj(x) && x.$patch === 'replace')));
  let out = clone(target);
  for (const item of patch) {
    if (!isObj(item)) continue;
    if (item.$patch === 'delete') {
      out = out.filter((x) => !(isObj(x) && deepEqual(x[mk], item[mk])));
      continue;
    }
    const i = out.findIndex((x) => isObj(x) && deepEqual(x[mk], item[mk]));
    if (i >= 0) out[i] = mergeMap(out[i] as Obj, item, path, schema);
    else {
      const { $patch: _, ...rest } = item;
      out.push(mergeMap({}, rest as Obj, path, schema));
    }
  }
  return out;
}

/** RFC 7386 JSON merge patch. */
export function jsonMergePatch(target: Json, patch: Json): Json {
  if (!isObj(patch)) return clone(patch);
  const out: Obj = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = jsonMergePatch(out[k] ?? null, v);
  }
  return out;
}
