/**
 * Server-side Tables (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`), as kube-apiserver
 * answers them: meta.k8s.io/v1 Table with columnDefinitions and rows whose `object` is
 * PartialObjectMetadata (includeObject=Metadata, the default), the whole object (Object) or absent
 * (None). Columns and cells follow kubernetes pkg/printers/internalversion for the built-in kinds
 * served here (pods, deployments, replicasets, statefulsets, daemonsets, services, namespaces, nodes,
 * configmaps, secrets, serviceaccounts), karmada's printer for clusters.cluster.karmada.io, a CRD's
 * additionalPrinterColumns (JSONPath subset: fields, [n], [?(@.k=="v")]), and Name/Age otherwise.
 * Ages are computed by the server (apimachinery duration.HumanDuration), as the real one does.
 */
import type { IncomingMessage } from 'node:http';
import type { ServerExtension } from './ext';
import type { ResourceDef } from './registry';
import type { ApiCore } from './server';
import type { Obj } from './store';

interface Column {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}
type Cell = string | number | boolean | null;

const NAME_DESC = "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";
const AGE_DESC = 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

const col = (name: string, o: { type?: string; format?: string; priority?: number; description?: string } = {}): Column => ({
  name,
  type: o.type ?? 'string',
  format: o.format ?? '',
  description: o.description ?? (name === 'Age' ? AGE_DESC : name),
  priority: o.priority ?? 0,
});
const NAME = col('Name', { format: 'name', description: NAME_DESC });
const AGE = col('Age');

/** apimachinery duration.HumanDuration. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    return dy === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

const age = (o: Obj, now: number) => (o.metadata?.creationTimestamp ? humanDuration(now - Date.parse(o.metadata.creationTimestamp)) : '<unknown>');
const none = (s: unknown) => (s === undefined || s === null || s === '' ? '<none>' : String(s));
const containers = (o: Obj) => (o.spec?.template?.spec?.containers ?? []) as { name: string; image: string }[];
function formatSelector(sel: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] } | undefined): string {
  if (!sel) return '<none>';
  const parts = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    if (e.operator === 'In' || e.operator === 'NotIn') parts.push(`${e.key} ${e.operator.toLowerCase()} (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.length ? parts.join(',') : '<none>';
}
const mapSelector = (m: Record<string, string> | undefined) => (m && Object.keys(m).length ? Object.entries(m).map(([k, v]) => `${k}=${v}`).join(',') : '<none>');

interface Printer {
  columns: Column[];
  row(o: Obj, now: number): Cell[];
}

const WORKLOAD_WIDE = [col('Containers', { priority: 1 }), col('Images', { priority: 1 })];
const wide = (o: Obj) => [containers(o).map((c) => c.name).join(','), containers(o).map((c) => c.image).join(',')];

const PRINTERS: Record<string, Printer> = {
  '/pods': {
    columns: [NAME, col('Ready'), col('Status'), col('Restarts'), AGE, col('IP', { priority: 1 }), col('Node', { priority: 1 }), col('Nominated Node', { priority: 1 }), col('Readiness Gates', { priority: 1 })],
    row(o, now) {
      const statuses = (o.status?.containerStatuses ?? []) as { ready?: boolean; restartCount?: number; state?: { waiting?: { reason?: string }; terminated?: { reason?: string } } }[];
      const total = (o.spec?.containers ?? []).length;
      const ready = statuses.filter((s) => s.ready).length;
      const restarts = statuses.reduce((n, s) => n + (s.restartCount ?? 0), 0);
      let reason: string = o.status?.reason ?? o.status?.phase ?? 'Pending';
      for (const s of statuses) {
        const r = s.state?.waiting?.reason ?? s.state?.terminated?.reason;
        if (r) reason = r;
      }
      if (o.metadata?.deletionTimestamp) reason = 'Terminating';
      return [o.metadata.name, `${ready}/${total}`, reason, restarts, age(o, now), none(o.status?.podIP), none(o.spec?.nodeName), none(o.status?.nominatedNodeName), '<none>'];
    },
  },
  'apps/deployments': {
    columns: [NAME, col('Ready'), col('Up-to-date'), col('Available'), AGE, ...WORKLOAD_WIDE, col('Selector', { priority: 1 })],
    row: (o, now) => [o.metadata.name, `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 1}`, o.status?.updatedReplicas ?? 0, o.status?.availableReplicas ?? 0, age(o, now), ...wide(o), formatSelector(o.spec?.selector)],
  },
  'apps/replicasets': {
    columns: [NAME, col('Desired'), col('Current'), col('Ready'), AGE, ...WORKLOAD_WIDE, col('Selector', { priority: 1 })],
    row: (o, now) => [o.metadata.name, o.spec?.replicas ?? 1, o.status?.replicas ?? 0, o.status?.readyReplicas ?? 0, age(o, now), ...wide(o), formatSelector(o.spec?.selector)],
  },
  'apps/statefulsets': {
    columns: [NAME, col('Ready'), AGE, ...WORKLOAD_WIDE],
    row: (o, now) => [o.metadata.name, `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 1}`, age(o, now), ...wide(o)],
  },
  'apps/daemonsets': {
    columns: [NAME, col('Desired'), col('Current'), col('Ready'), col('Up-to-date'), col('Available'), col('Node Selector'), AGE, ...WORKLOAD_WIDE, col('Selector', { priority: 1 })],
    row: (o, now) => [o.metadata.name, o.status?.desiredNumberScheduled ?? 0, o.status?.currentNumberScheduled ?? 0, o.status?.numberReady ?? 0, o.status?.updatedNumberScheduled ?? 0, o.status?.numberAvailable ?? 0, mapSelector(o.spec?.template?.spec?.nodeSelector), age(o, now), ...wide(o), formatSelector(o.spec?.selector)],
  },
  '/services': {
    columns: [NAME, col('Type'), col('Cluster-IP'), col('External-IP'), col('Port(s)'), AGE, col('Selector', { priority: 1 })],
    row(o, now) {
      const ports = ((o.spec?.ports ?? []) as { port: number; nodePort?: number; protocol?: string }[]).map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(',');
      const ext = o.spec?.type === 'ExternalName' ? o.spec?.externalName : (o.status?.loadBalancer?.ingress ?? []).map((i: { ip?: string }) => i.ip).join(',') || (o.spec?.type === 'LoadBalancer' ? '<pending>' : '<none>');
      return [o.metadata.name, o.spec?.type ?? 'ClusterIP', none(o.spec?.clusterIP), ext, ports || '<none>', age(o, now), mapSelector(o.spec?.selector)];
    },
  },
  '/namespaces': { columns: [NAME, col('Status'), AGE], row: (o, now) => [o.metadata.name, o.status?.phase ?? 'Active', age(o, now)] },
  '/nodes': {
    columns: [NAME, col('Status'), col('Roles'), AGE, col('Version'), col('Internal-IP', { priority: 1 }), col('External-IP', { priority: 1 }), col('OS-Image', { priority: 1 }), col('Kernel-Version', { priority: 1 }), col('Container-Runtime', { priority: 1 })],
    row(o, now) {
      const ready = (o.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready');
      let status = ready?.status === 'True' ? 'Ready' : ready ? 'NotReady' : 'Unknown';
      if (o.spec?.unschedulable) status += ',SchedulingDisabled';
      const roles = Object.keys(o.metadata.labels ?? {}).filter((k) => k.startsWith('node-role.kubernetes.io/')).map((k) => k.slice('node-role.kubernetes.io/'.length)).sort();
      const addr = (t: string) => none((o.status?.addresses ?? []).find((a: { type: string }) => a.type === t)?.address);
      const info = o.status?.nodeInfo ?? {};
      return [o.metadata.name, status, roles.length ? roles.join(',') : '<none>', age(o, now), none(info.kubeletVersion), addr('InternalIP'), addr('ExternalIP'), none(info.osImage), none(info.kernelVersion), none(info.containerRuntimeVersion)];
    },
  },
  '/configmaps': { columns: [NAME, col('Data'), AGE], row: (o, now) => [o.metadata.name, Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length, age(o, now)] },
  '/secrets': { columns: [NAME, col('Type'), col('Data'), AGE], row: (o, now) => [o.metadata.name, o.type ?? 'Opaque', Object.keys(o.data ?? {}).length, age(o, now)] },
  '/serviceaccounts': { columns: [NAME, col('Secrets'), AGE], row: (o, now) => [o.metadata.name, (o.secrets ?? []).length, age(o, now)] },
  'cluster.karmada.io/clusters': {
    columns: [NAME, col('Version'), col('Mode'), col('Ready'), AGE, col('APIEndpoint', { priority: 1 })],
    row(o, now) {
      const ready = (o.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready');
      return [o.metadata.name, o.status?.kubernetesVersion ?? '', o.spec?.syncMode ?? '', ready?.status ?? 'Unknown', age(o, now), o.spec?.apiEndpoint ?? ''];
    },
  },
};

/** A JSONPath subset (the simple paths CRDs use): `.a.b`, `.a[0]`, `.a[?(@.k=="v")].b`. First match. */
export function evalSimpleJsonPath(obj: unknown, expr: string): unknown {
  const tokens = expr.trim().replace(/^\{|\}$/g, '').match(/\.[^.[\]]+|\[\?\(@\.[^)]*\)\]|\[\d+\]|\[\*\]/g) ?? [];
  let cur: unknown[] = [obj];
  for (const t of tokens) {
    const next: unknown[] = [];
    for (const c of cur) {
      if (c === null || c === undefined) continue;
      if (t.startsWith('.')) next.push((c as Record<string, unknown>)[t.slice(1)]);
      else if (t === '[*]') next.push(...(Array.isArray(c) ? c : []));
      else if (/^\[\d+\]$/.test(t)) next.push(Array.isArray(c) ? c[Number(t.slice(1, -1))] : undefined);
      else {
        const m = /^\[\?\(@\.([\w.-]+)\s*==\s*["']([^"']*)["']\)\]$/.exec(t);
        if (m && Array.isArray(c)) next.push(...c.filter((x) => evalSimpleJsonPath(x, `.${m[1]}`) === m[2]));
      }
    }
    cur = next.filter((x) => x !== undefined);
  }
  return cur[0];
}

function crdPrinter(core: ApiCore, def: ResourceDef): Printer {
  let cols: { name: string; type: string; format?: string; description?: string; priority?: number; jsonPath: string }[] = [];
  try {
    const crd = core.store.get(core.defFor('apiextensions.k8s.io/v1', 'CustomResourceDefinition'), undefined, `${def.plural}.${def.group}`);
    cols = (crd?.spec?.versions ?? []).find((v: { name: string }) => v.name === def.version)?.additionalPrinterColumns ?? [];
  } catch {
    cols = [];
  }
  if (!cols.length) cols = [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' }];
  return {
    columns: [NAME, ...cols.map((c) => col(c.name, { type: c.type, format: c.format ?? '', description: c.description ?? (c.name === 'Age' ? AGE_DESC : c.name), priority: c.priority ?? 0 }))],
    row: (o, now) => [
      o.metadata.name,
      ...cols.map((c): Cell => {
        const v = evalSimpleJsonPath(o, c.jsonPath);
        if (v === undefined || v === null) return null;
        if (c.type === 'date') return typeof v === 'string' ? humanDuration(now - Date.parse(v)) : null;
        if (c.type === 'integer' || c.type === 'number' || c.type === 'boolean') return v as Cell;
        return typeof v === 'object' ? JSON.stringify(v) : String(v);
      }),
    ],
  };
}

function printerFor(core: ApiCore, def: ResourceDef): Printer {
  const p = PRINTERS[`${def.group}/${def.plural}`];
  if (p) return p;
  if (def.origin === 'crd') return crdPrinter(core, def);
  return { columns: [NAME, AGE], row: (o, now) => [o.metadata.name, age(o, now)] };
}

/** Wants a meta.k8s.io Table (v1 or v1beta1) first? */
export function wantsTable(req: IncomingMessage): 'v1' | 'v1beta1' | undefined {
  const accept = String(req.headers.accept ?? '');
  for (const part of accept.split(',')) {
    const params = Object.fromEntries(part.split(';').slice(1).map((p) => p.trim().split('=') as [string, string]));
    if (params.as === 'Table' && params.g === 'meta.k8s.io' && (params.v === 'v1' || params.v === 'v1beta1')) return params.v;
    if (!params.as && part.trim().split(';')[0] !== '') return undefined; // a plain type listed first wins
  }
  return undefined;
}

function rowObject(o: Obj, include: string, def: ResourceDef) {
  if (include === 'None') return undefined;
  if (include === 'Object') return { ...o, apiVersion: o.apiVersion ?? (def.group ? `${def.group}/${def.version}` : def.version), kind: o.kind ?? def.kind };
  const { managedFields: _m, ...metadata } = o.metadata;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: { ...metadata, managedFields: o.metadata.managedFields } };
}

export function toTable(core: ApiCore, def: ResourceDef, objs: Obj[], o: { version: string; include: string; resourceVersion?: string; continueToken?: string; now?: number; noHeaders?: boolean }) {
  const p = printerFor(core, def);
  const now = o.now ?? Date.now();
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${o.version}`,
    metadata: { resourceVersion: o.resourceVersion ?? '', ...(o.continueToken ? { continue: o.continueToken } : {}) },
    columnDefinitions: o.noHeaders ? null : p.columns,
    rows: objs.map((x) => {
      const object = rowObject(x, o.include, def);
      return { cells: p.row(x, now), ...(object ? { object } : {}) };
    }),
  };
}

function resourceOf(core: ApiCore, pathname: string): { def: ResourceDef; name?: string; sub?: string } | undefined {
  const seg = pathname.replace(/\/+$/, '').split('/').filter(Boolean).map(decodeURIComponent);
  let group: string, version: string, rest: string[];
  if (seg[0] === 'api' && seg.length >= 3) [group, version, rest] = ['', seg[1], seg.slice(2)];
  else if (seg[0] === 'apis' && seg.length >= 4) [group, version, rest] = [seg[1], seg[2], seg.slice(3)];
  else return undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3 && core.registry.byPath(group, version, rest[2])?.namespaced) rest = rest.slice(2);
  const def = core.registry.byPath(group, version, rest[0]);
  return def ? { def, name: rest[1], sub: rest[2] } : undefined;
}

/** The extension: GET of an object or a collection, and watch events, as Tables when asked for. */
export function tableExtension(core: ApiCore): ServerExtension {
  return {
    transform(r, out) {
      if (r.method !== 'GET' || out.code !== 200) return out;
      const version = wantsTable(r.req);
      if (!version) return out;
      const res = resourceOf(r.core, r.url.pathname);
      if (!res || res.sub) return out;
      const body = out.body as Obj & { items?: Obj[] };
      const objs = res.name ? [body] : (body.items ?? []);
      const include = r.query.includeObject || 'Metadata';
      return { ...out, body: toTable(r.core, res.def, objs, { version, include, resourceVersion: res.name ? undefined : body.metadata?.resourceVersion, continueToken: body.metadata?.continue }) };
    },
    watchEvent(req, def, _type, object, query) {
      const version = wantsTable(req);
      if (!version) return object;
      return toTable(core, def, [object], { version, include: query.includeObject || 'Metadata', resourceVersion: object.metadata?.resourceVersion });
    },
  };
}
