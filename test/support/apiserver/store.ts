import { randomUUID } from 'node:crypto';
import type { ResourceDef } from './registry';
import { apiVersionOf } from './registry';
import { clone } from './patch';

export type Obj = Record<string, any> & { apiVersion: string; kind: string; metadata: Record<string, any> };
export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';
export interface StoreEvent {
  rv: number;
  type: EventType;
  def: ResourceDef;
  object: Obj;
}

const defKey = (d: ResourceDef) => `${d.plural}.${d.group}/${d.version}`;
const objKey = (ns: string | undefined, name: string) => `${ns ?? ''}/${name}`;

/** Objects by resource, one global resourceVersion counter, and an event log for watches. */
export class Store {
  rv = 100;
  private data = new Map<string, Map<string, Obj>>();
  readonly log: StoreEvent[] = [];
  private listeners = new Set<(e: StoreEvent) => void>();

  private bucket(d: ResourceDef): Map<string, Obj> {
    const k = defKey(d);
    let b = this.data.get(k);
    if (!b) this.data.set(k, (b = new Map()));
    return b;
  }

  get(d: ResourceDef, ns: string | undefined, name: string): Obj | undefined {
    const o = this.bucket(d).get(objKey(d.namespaced ? ns : undefined, name));
    return o && clone(o);
  }

  list(d: ResourceDef, ns?: string): Obj[] {
    return [...this.bucket(d).values()].filter((o) => !ns || !d.namespaced || o.metadata.namespace === ns).map(clone);
  }

  /** Writes (create or replace) and emits a watch event; fills server-managed metadata. */
  put(d: ResourceDef, obj: Obj, o: { create?: boolean } = {}): Obj {
    const b = this.bucket(d);
    const key = objKey(d.namespaced ? obj.metadata.namespace : undefined, obj.metadata.name);
    const prev = b.get(key);
    const next = clone(obj);
    next.apiVersion = apiVersionOf(d);
    next.kind = d.kind;
    next.metadata.resourceVersion = String(++this.rv);
    if (!prev || o.create) {
      next.metadata.uid ??= randomUUID();
      next.metadata.creationTimestamp ??= new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      next.metadata.generation ??= 1;
    } else {
      next.metadata.uid = prev.metadata.uid;
      next.metadata.creationTimestamp = prev.metadata.creationTimestamp;
      const specChanged = JSON.stringify({ ...prev, metadata: undefined, status: undefined }) !== JSON.stringify({ ...next, metadata: undefined, status: undefined });
      next.metadata.generation = (prev.metadata.generation ?? 1) + (specChanged ? 1 : 0);
    }
    if (!d.namespaced) delete next.metadata.namespace;
    b.set(key, next);
    this.emit({ rv: this.rv, type: prev ? 'MODIFIED' : 'ADDED', def: d, object: clone(next) });
    return clone(next);
  }

  delete(d: ResourceDef, ns: string | undefined, name: string): Obj | undefined {
    const b = this.bucket(d);
    const key = objKey(d.namespaced ? ns : undefined, name);
    const prev = b.get(key);
    if (!prev) return undefined;
    b.delete(key);
    const gone = { ...clone(prev), metadata: { ...prev.metadata, resourceVersion: String(++this.rv) } };
    this.emit({ rv: this.rv, type: 'DELETED', def: d, object: gone });
    return gone;
  }

  allObjects(): { def: ResourceDef; obj: Obj }[] {
    return [];
  }

  private emit(e: StoreEvent) {
    this.log.push(e);
    if (this.log.length > 20_000) this.log.splice(0, 5_000);
    for (const l of this.listeners) l(e);
  }

  subscribe(fn: (e: StoreEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}
