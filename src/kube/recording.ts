import { randomUUID } from 'node:crypto';
import type { EnsureResult, KubeApi, PatchType, WatchOptions } from './api';
import type { K8sObject, KubeList, ListOptions, ObjectRef, WatchEvent } from './types';
import { normalizeForApply } from './compare';
import { predictEnsure } from './api';

export interface RecordedOp {
  op: 'apply' | 'create' | 'replace' | 'patch' | 'delete' | 'request';
  object?: K8sObject;
  ref?: ObjectRef;
  patch?: unknown;
  method?: string;
  path?: string;
}

const keyOf = (r: { apiVersion: string; kind: string; namespace?: string; name?: string }) =>
  `${r.apiVersion}|${r.kind}|${r.namespace ?? ''}|${r.name ?? ''}`;

/**
 * The dry-run client: every write is recorded (and remembered, so later reads see it), nothing is
 * sent. With `readThrough`, reads fall back to a real cluster, so a dry run against a live cluster
 * reports what would change; without it, the run needs no cluster at all.
 */
export class RecordingClient implements KubeApi {
  readonly dryRun = true;
  readonly server: string;
  readonly ops: RecordedOp[] = [];
  private readonly store = new Map<string, K8sObject>();
  private readonly deleted = new Set<string>();
  private readonly readThrough?: KubeApi;

  constructor(o: { server?: string; readThrough?: KubeApi } = {}) {
    this.server = o.server ?? o.readThrough?.server ?? 'https://<karmada-apiserver>';
    this.readThrough = o.readThrough;
  }

  /** The objects that would be written, in order, latest version of each once. */
  objects(): K8sObject[] {
    const seen = new Map<string, K8sObject>();
    for (const op of this.ops) if (op.object) seen.set(keyOf({ ...op.object, ...op.object.metadata }), op.object);
    return [...seen.values()];
  }

  private remember(obj: K8sObject): K8sObject {
    const k = keyOf({ ...obj, ...obj.metadata });
    const prev = this.store.get(k);
    const stored: K8sObject = {
      ...obj,
      metadata: { ...obj.metadata, uid: prev?.metadata.uid ?? obj.metadata.uid ?? randomUUID(), resourceVersion: '1', creationTimestamp: new Date().toISOString() },
    };
    this.store.set(k, stored);
    this.deleted.delete(k);
    return stored;
  }

  async get<T extends K8sObject = K8sObject>(ref: ObjectRef): Promise<T | undefined> {
    const k = keyOf(ref);
    if (this.deleted.has(k)) return undefined;
    const own = this.store.get(k);
    if (own) return own as T;
    return this.readThrough ? this.readThrough.get<T>(ref).catch(() => undefined) : undefined;
  }

  async list<T extends K8sObject = K8sObject>(apiVersion: string, kind: string, opts: ListOptions = {}): Promise<KubeList<T>> {
    const base = this.readThrough ? await this.readThrough.list<T>(apiVersion, kind, opts).catch(() => undefined) : undefined;
    const items = new Map<string, T>();
    for (const it of base?.items ?? []) items.set(keyOf({ apiVersion, kind, ...it.metadata }), it);
    for (const [k, o] of this.store) {
      if (o.apiVersion !== apiVersion || o.kind !== kind) continue;
      if (opts.namespace && o.metadata.namespace !== opts.namespace) continue;
      if (opts.labelSelector && !matchesSimpleSelector(o.metadata.labels ?? {}, opts.labelSelector)) continue;
      items.set(k, o as T);
    }
    for (const k of this.deleted) items.delete(k);
    return { items: [...items.values()], metadata: { resourceVersion: '1' } };
  }

  async create<T extends K8sObject = K8sObject>(obj: K8sObject): Promise<T> {
    this.ops.push({ op: 'create', object: obj });
    return this.remember(obj) as T;
  }

  async replace<T extends K8sObject = K8sObject>(obj: K8sObject): Promise<T> {
    this.ops.push({ op: 'replace', object: obj });
    return this.remember(obj) as T;
  }

  async patch<T extends K8sObject = K8sObject>(ref: ObjectRef, patch: unknown, type: PatchType, opts: { subresource?: string } = {}): Promise<T> {
    this.ops.push({ op: 'patch', ref, patch: { type, subresource: opts.subresource, patch } });
    const cur = (await this.get<T>(ref)) ?? ({ apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace: ref.namespace } } as T);
    if (type === 'merge' || type === 'strategic' || type === 'apply') return this.remember(mergePatch(cur, patch) as K8sObject) as T;
    return cur;
  }

  async apply<T extends K8sObject = K8sObject>(obj: K8sObject): Promise<T> {
    this.ops.push({ op: 'apply', object: obj });
    return this.remember(obj) as T;
  }

  async ensure<T extends K8sObject = K8sObject>(obj: K8sObject): Promise<EnsureResult<T>> {
    const desired = normalizeForApply(obj);
    const live = await this.get<T>({ apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, namespace: obj.metadata.namespace });
    const action = predictEnsure(desired, live);
    if (action === 'unchanged') return { action, object: live! };
    this.ops.push({ op: 'apply', object: obj });
    return { action, object: this.remember(obj) as T };
  }

  async delete(ref: ObjectRef): Promise<boolean> {
    const existed = Boolean(await this.get(ref));
    this.ops.push({ op: 'delete', ref });
    const k = keyOf(ref);
    this.store.delete(k);
    this.deleted.add(k);
    return existed;
  }

  async *watch<T extends K8sObject = K8sObject>(_apiVersion: string, _kind: string, _opts?: WatchOptions): AsyncIterable<WatchEvent<T>> {
    // Nothing ever changes in a dry run.
  }

  async request<T = unknown>(method: string, path: string, opts: { query?: Record<string, string | undefined>; body?: unknown } = {}): Promise<T> {
    if (method === 'GET') return (this.readThrough ? await this.readThrough.request<T>(method, path, opts).catch(() => undefined) : undefined) as T;
    this.ops.push({ op: 'request', method, path, patch: opts.body });
    return undefined as T;
  }
}

function mergePatch(target: unknown, patch: unknown): unknown {
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as object) } : {};
  for (const [k, v] of Object.entries(patch as object)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** `a=b,c!=d,e` selectors only (what this CLI uses). */
export function matchesSimpleSelector(labels: Record<string, string>, selector: string): boolean {
  return selector.split(',').filter(Boolean).every((term) => {
    const neq = term.split('!=');
    if (neq.length === 2) return labels[neq[0].trim()] !== neq[1].trim();
    const eq = term.split(/==?/);
    if (eq.length === 2) return labels[eq[0].trim()] === eq[1].trim();
    const t = term.trim();
    return t.startsWith('!') ? !(t.slice(1) in labels) : t in labels;
  });
}
