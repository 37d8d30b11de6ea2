import type { K8sObject } from './types';

const SERVER_MANAGED_METADATA = new Set(['resourceVersion', 'uid', 'creationTimestamp', 'generation', 'managedFields', 'selfLink']);

/** Whether every field set in `desired` has the same value in `live` (fields the server adds are ignored). */
export function isSubset(desired: unknown, live: unknown, path: string[] = []): boolean {
  if (desired === null || desired === undefined) return true;
  if (Array.isArray(desired)) {
    if (!Array.isArray(live) || live.length !== desired.length) return false;
    return desired.every((d, i) => isSubset(d, live[i], path));
  }
  if (typeof desired === 'object') {
    if (!live || typeof live !== 'object' || Array.isArray(live)) return false;
    const l = live as Record<string, unknown>;
    return Object.entries(desired as Record<string, unknown>).every(([k, v]) => {
      if (path.length === 1 && path[0] === 'metadata' && SERVER_MANAGED_METADATA.has(k)) return true;
      return isSubset(v, l[k], [...path, k]);
    });
  }
  // int-or-string fields (ports, quantities written as numbers) compare by their text.
  return desired === live || String(desired) === String(live);
}

/** Secrets are sent with `data` (base64): the API never returns stringData, so comparisons must use data. */
export function normalizeForApply(obj: K8sObject): K8sObject {
  if (obj.kind !== 'Secret' || obj.apiVersion !== 'v1' || !obj.stringData) return obj;
  const { stringData, ...rest } = obj as K8sObject & { stringData?: Record<string, string>; data?: Record<string, string> };
  const data: Record<string, string> = { ...(rest.data ?? {}) };
  for (const [k, v] of Object.entries(stringData ?? {})) data[k] = Buffer.from(v, 'utf8').toString('base64');
  return { ...rest, data };
}

/** One change the API server would refuse (an immutable field), with the way out. */
export interface ImmutableChange {
  /** `StatefulSet karmada-system/etcd` */
  object: string;
  /** `volumeClaimTemplates` */
  field: string;
  /** What differs, shortened: `storage 5Gi → 10Gi`. */
  detail: string;
  /** The command that removes the obstacle. */
  fix: string;
  /** What happens to data or workloads when the fix is run. */
  consequence: string;
}

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : {});
const short = (v: unknown) => {
  const s = v === undefined ? '(unset)' : typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
};

/**
 * Would applying `desired` over `live` change a field the API server refuses to change? Compared
 * the way the server stores them: fields the server defaults are compared with their defaults, and a
 * field the server filled in (defaults inside a volumeClaimTemplate, a Job's template) counts as equal.
 */
export function immutableChanges(desired: K8sObject, live: K8sObject): ImmutableChange[] {
  const out: ImmutableChange[] = [];
  const ns = live.metadata.namespace ?? desired.metadata.namespace;
  const name = live.metadata.name;
  const object = `${desired.kind} ${ns ? `${ns}/` : ''}${name}`;
  const nsFlag = ns ? ` -n ${ns}` : '';
  const resource = desired.kind.toLowerCase();
  const d = rec(desired.spec);
  const l = rec(live.spec);
  const differs = (dv: unknown, lv: unknown, dflt?: unknown) => {
    const a = dv === undefined ? dflt : dv;
    const b = lv === undefined ? dflt : lv;
    if (a === undefined) return b !== undefined && !(Array.isArray(b) && !b.length);
    return !isSubset(a, b) || (Array.isArray(a) && Array.isArray(b) && a.length !== b.length);
  };
  const add = (field: string, dv: unknown, lv: unknown, fix: string, consequence: string) => out.push({ object, field, detail: `${short(lv)} → ${short(dv)}`, fix, consequence });
  const api = desired.apiVersion;
  const kind = desired.kind;
  if (api === 'apps/v1' && kind === 'StatefulSet') {
    const fix = `kubectl delete statefulset ${name}${nsFlag} --cascade=orphan`;
    const consequence = 'its pods keep running until the new StatefulSet replaces them, and data in existing PersistentVolumeClaims is kept (a hostPath ↔ PVC change does not move data)';
    const fields: [string, unknown][] = [['volumeClaimTemplates', undefined], ['podManagementPolicy', 'OrderedReady'], ['selector', undefined], ['serviceName', undefined]];
    for (const [f, dflt] of fields) {
      if (f === 'volumeClaimTemplates') {
        const dv = (d.volumeClaimTemplates as unknown[]) ?? [];
        const lv = (l.volumeClaimTemplates as unknown[]) ?? [];
        if (dv.length !== lv.length || !isSubset(dv, lv)) add(f, summarizeVct(dv), summarizeVct(lv), fix, consequence);
      } else if (differs(d[f], l[f], dflt)) add(f, d[f] ?? dflt, l[f] ?? dflt, fix, consequence);
    }
  }
  if (api === 'apps/v1' && ['Deployment', 'ReplicaSet', 'DaemonSet'].includes(kind) && d.selector !== undefined && differs(d.selector, l.selector)) {
    add('selector', d.selector, l.selector, `kubectl delete ${resource} ${name}${nsFlag}`, 'its pods are deleted and created again by the new object');
  }
  if (api === 'batch/v1' && kind === 'Job') {
    const fix = `kubectl delete job ${name}${nsFlag}`;
    if (d.template !== undefined && !isSubset(d.template, l.template)) add('template', '(changed)', '(as created)', fix, 'the job runs again');
    if (d.manualSelector === true && differs(d.selector, l.selector)) add('selector', d.selector, l.selector, fix, 'the job runs again');
  }
  if (api === 'v1' && kind === 'Secret' && ((desired.type as string | undefined) ?? 'Opaque') !== ((live.type as string | undefined) ?? 'Opaque')) {
    add('type', desired.type ?? 'Opaque', live.type ?? 'Opaque', `kubectl delete secret ${name}${nsFlag}`, 'it is created again with the new type');
  }
  if (api === 'v1' && (kind === 'Secret' || kind === 'ConfigMap') && live.immutable === true && (desired.immutable !== true || !isSubset(desired.data ?? {}, live.data ?? {}) || Object.keys(rec(desired.data)).length !== Object.keys(rec(live.data)).length)) {
    add('data', '(changed)', '(immutable: true)', `kubectl delete ${resource} ${name}${nsFlag}`, 'it is created again');
  }
  if (api === 'v1' && kind === 'Service' && d.clusterIP !== undefined && l.clusterIP !== undefined && d.clusterIP !== l.clusterIP && !(d.clusterIP === '' && l.clusterIP)) {
    add('clusterIP', d.clusterIP, l.clusterIP, `kubectl delete service ${name}${nsFlag}`, 'clients of the old address lose it');
  }
  if (api === 'v1' && kind === 'PersistentVolumeClaim') {
    const { resources: _r, volumeName: _v, volumeAttributesClassName: _c, ...dRest } = d;
    if (!isSubset(dRest, l)) add('spec', dRest, '(as created)', `kubectl delete pvc ${name}${nsFlag}`, 'the data in the volume is lost');
  }
  if (api === 'rbac.authorization.k8s.io/v1' && (kind === 'RoleBinding' || kind === 'ClusterRoleBinding') && desired.roleRef !== undefined && differs(desired.roleRef, live.roleRef)) {
    add('roleRef', rec(desired.roleRef).name, rec(live.roleRef).name, `kubectl delete ${resource} ${name}${nsFlag}`, 'it is created again with the new role');
  }
  return out;
}

function summarizeVct(list: unknown[]): string {
  if (!list.length) return 'none';
  return list
    .map((t) => {
      const s = rec(rec(t).spec);
      const storage = rec(rec(s.resources).requests).storage;
      return `${String(rec(rec(t).metadata).name ?? '?')} (${[storage !== undefined ? `storage ${String(storage)}` : '', s.storageClassName ? `class ${String(s.storageClassName)}` : ''].filter(Boolean).join(', ') || 'default'})`;
    })
    .join(', ');
}

/** One line per change: what differs and the command to run before re-running. */
export function describeImmutableChanges(changes: ImmutableChange[]): { message: string; hint: string } {
  const first = changes[0];
  const fields = [...new Set(changes.filter((c) => c.object === first.object).map((c) => c.field))];
  const what = changes
    .filter((c) => c.object === first.object)
    .map((c) => (fields.length > 1 ? `${c.field}: ${c.detail}` : c.detail))
    .join('; ');
  const others = [...new Set(changes.map((c) => c.object))].filter((o) => o !== first.object);
  const message = `${first.object}: ${fields.join(', ')} cannot change (${what})${others.length ? `; also ${others.join(', ')}` : ''}`;
  const fixes = [...new Map(changes.map((c) => [c.object, c])).values()].map((c) => `\`${c.fix}\``);
  const hint = `delete it with ${fixes.join(' and ')} and re-run; ${first.consequence}`;
  return { message, hint };
}

/**
 * Whether an apply left the object as it was: the same apart from status, resourceVersion and
 * managedFields (a controller's status write between our read and our apply moves the resourceVersion
 * without any change of ours; so does the first apply over an object this CLI created with a POST,
 * which only moves its fields from karmadactl's Update entry to its Apply entry).
 */
export function sameApartFromStatus(a: K8sObject, b: K8sObject): boolean {
  const norm = (o: K8sObject) => {
    const { resourceVersion: _r, managedFields: _m, ...m } = o.metadata;
    return stableJson({ ...o, status: undefined, metadata: m });
  };
  return norm(a) === norm(b);
}

function stableJson(v: unknown): string {
  const sort = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(sort);
    if (x && typeof x === 'object') return Object.fromEntries(Object.keys(x).sort().filter((k) => (x as Rec)[k] !== undefined).map((k) => [k, sort((x as Rec)[k])]));
    return x;
  };
  return JSON.stringify(sort(v));
}
