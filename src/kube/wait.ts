import type { KubeApi } from './api';
import type { K8sObject } from './types';
import { UserError } from '../errors';
import { formatGoDurationShort } from './duration-format';

export interface WaitTarget {
  apiVersion: string;
  kind: string;
  namespace?: string;
  /** One object by name; otherwise every object matching the selectors. */
  name?: string;
  labelSelector?: string;
}

export interface Readiness {
  ready: boolean;
  /** What is still not ready, one short phrase each ("deployment karmada-apiserver: 0/1 ready"). */
  pending: string[];
}

export interface WaitOptions {
  /** 0 or less: no limit. */
  timeoutMs: number;
  /** What we wait for, in messages: "karmada-apiserver to become ready". */
  what: string;
  signal?: AbortSignal;
  /** On timeout, a fuller explanation (pod states, last events, the fix). */
  explain?: (last: Readiness) => Promise<string | undefined>;
  /** Hint attached to the timeout error. */
  hint?: string;
  /** Called with each intermediate state (progress display). */
  onProgress?: (r: Readiness) => void;
}

export class WaitTimeoutError extends UserError {
  readonly pending: string[];
  constructor(message: string, pending: string[], hint?: string) {
    super(message, { hint });
    this.name = 'WaitTimeoutError';
    this.pending = pending;
  }
}

const key = (o: K8sObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/**
 * Waits with list + watch (no polling) until `check` says ready, re-listing when a watch ends.
 * On timeout it reports exactly what is still not ready.
 */
export async function waitUntil<T extends K8sObject>(
  client: KubeApi,
  target: WaitTarget,
  check: (objs: T[]) => Readiness,
  o: WaitOptions,
): Promise<T[]> {
  if (client.dryRun) return [];
  const deadline = o.timeoutMs > 0 ? Date.now() + o.timeoutMs : Infinity;
  const fieldSelector = target.name ? `metadata.name=${target.name}` : undefined;
  let last: Readiness = { ready: false, pending: [`${o.what}: nothing observed yet`] };
  const timedOut = () => Date.now() >= deadline;
  while (!timedOut()) {
    if (o.signal?.aborted) throw o.signal.reason;
    const objs = new Map<string, T>();
    let rv: string | undefined;
    try {
      const list = await client.list<T>(target.apiVersion, target.kind, { namespace: target.namespace, labelSelector: target.labelSelector, fieldSelector });
      for (const it of list.items) objs.set(key(it), it);
      rv = list.metadata.resourceVersion;
    } catch (e) {
      // The resource type may not be served yet (a CRD or APIService being registered): keep waiting.
      if ((e as { code?: number }).code !== 404) throw e;
      await new Promise((r) => setTimeout(r, Math.min(500, Math.max(0, deadline - Date.now()))));
      continue;
    }
    last = check([...objs.values()]);
    o.onProgress?.(last);
    if (last.ready) return [...objs.values()];
    const remaining = deadline - Date.now();
    const ac = new AbortController();
    const timer = Number.isFinite(remaining) ? setTimeout(() => ac.abort(new Error('deadline')), Math.max(0, remaining)) : undefined;
    const onAbort = () => ac.abort(o.signal?.reason);
    o.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const timeoutSeconds = Number.isFinite(remaining) ? Math.max(1, Math.min(300, Math.ceil(remaining / 1000))) : 300;
      for await (const ev of client.watch<T>(target.apiVersion, target.kind, {
        namespace: target.namespace,
        labelSelector: target.labelSelector,
        fieldSelector,
        resourceVersion: rv,
        timeoutSeconds,
        signal: ac.signal,
      })) {
        if (ev.type === 'BOOKMARK') continue;
        if (ev.type === 'DELETED') objs.delete(key(ev.object));
        else objs.set(key(ev.object), ev.object);
        last = check([...objs.values()]);
        o.onProgress?.(last);
        if (last.ready) return [...objs.values()];
      }
    } catch (e) {
      // 410 Gone (resourceVersion too old) and similar: list again.
      if ((e as { code?: number }).code !== 410 && !ac.signal.aborted) throw e;
    } finally {
      if (timer) clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      ac.abort();
    }
  }
  const extra = o.explain ? await o.explain(last).catch(() => undefined) : undefined;
  const pending = last.pending.length ? last.pending.join('; ') : 'not ready';
  throw new WaitTimeoutError(
    `timed out after ${formatGoDurationShort(o.timeoutMs)} waiting for ${o.what}: ${pending}${extra ? `; ${extra}` : ''}`,
    last.pending,
    o.hint,
  );
}

type Workload = K8sObject & {
  spec?: { replicas?: number };
  status?: { replicas?: number; readyReplicas?: number; updatedReplicas?: number; availableReplicas?: number; observedGeneration?: number; numberReady?: number; desiredNumberScheduled?: number; updatedNumberScheduled?: number };
  metadata: K8sObject['metadata'] & { generation?: number };
};

/** A Deployment/StatefulSet/DaemonSet is ready when its latest generation is fully rolled out and ready. */
export function workloadReadiness(w: Workload): { ready: boolean; detail: string } {
  const st = w.status ?? {};
  const kind = w.kind.toLowerCase();
  const observed = (st.observedGeneration ?? 0) >= (w.metadata.generation ?? 0);
  if (w.kind === 'DaemonSet') {
    const want = st.desiredNumberScheduled ?? 0;
    const ready = observed && want > 0 && (st.numberReady ?? 0) >= want && (st.updatedNumberScheduled ?? want) >= want;
    return { ready, detail: `${kind} ${w.metadata.name}: ${st.numberReady ?? 0}/${want} ready` };
  }
  const want = w.spec?.replicas ?? 1;
  const readyN = st.readyReplicas ?? 0;
  const updated = st.updatedReplicas ?? 0;
  const ready = observed && readyN >= want && updated >= want && (w.kind !== 'Deployment' || (st.availableReplicas ?? 0) >= want);
  return { ready, detail: `${kind} ${w.metadata.name}: ${readyN}/${want} ready${updated < want ? `, ${updated}/${want} updated` : ''}` };
}

export function allWorkloadsReady(objs: K8sObject[], expectedNames?: string[]): Readiness {
  const pending: string[] = [];
  for (const n of expectedNames ?? []) if (!objs.some((o) => o.metadata.name === n)) pending.push(`${n}: not found`);
  for (const o of objs) {
    const r = workloadReadiness(o as Workload);
    if (!r.ready) pending.push(r.detail);
  }
  return { ready: pending.length === 0 && (objs.length > 0 || (expectedNames?.length ?? 0) === 0), pending };
}
