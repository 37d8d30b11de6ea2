/**
 * The pod exec and attach talk to (kubectl polymorphichelpers.attachablePodForObject, GetFirstPod,
 * podcmd.FindOrDefaultContainerByName): a Pod as is; a workload or Service by its selector — the
 * most active pod first (kubectl sorts with ActivePods reversed), waiting up to
 * --pod-running-timeout for one to appear; then the container (-c, the default-container
 * annotation, else the first with kubectl's `Defaulted container …` note).
 */
import { UserError } from '../../errors';
import type { KubeClient } from '../../kube/client';
import type { K8sObject } from '../../kube/types';
import type { RESTMapper } from '../../kubectl/mapper';
import { objectPath } from '../../kubectl/mapper';

export interface Container {
  name: string;
  tty?: boolean;
  stdin?: boolean;
}

export type Pod = K8sObject & {
  spec?: { containers?: Container[]; initContainers?: Container[]; ephemeralContainers?: Container[]; nodeName?: string; restartPolicy?: string };
  status?: {
    phase?: string;
    conditions?: { type: string; status: string; lastTransitionTime?: string }[];
    containerStatuses?: { name: string; restartCount?: number }[];
    initContainerStatuses?: { name: string; restartCount?: number }[];
  };
};

export const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** metav1.LabelSelectorAsSelector(...).String(): requirements sorted by key. */
export function selectorString(sel: LabelSelector): string {
  const reqs: { key: string; text: string }[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) reqs.push({ key: k, text: `${k}=${v}` });
  for (const e of sel.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort();
    switch (e.operator) {
      case 'In':
        reqs.push({ key: e.key, text: `${e.key} in (${values.join(',')})` });
        break;
      case 'NotIn':
        reqs.push({ key: e.key, text: `${e.key} notin (${values.join(',')})` });
        break;
      case 'Exists':
        reqs.push({ key: e.key, text: e.key });
        break;
      case 'DoesNotExist':
        reqs.push({ key: e.key, text: `!${e.key}` });
        break;
      default:
        throw new UserError(`"${e.operator}" is not a valid label selector operator`);
    }
  }
  return reqs
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((r) => r.text)
    .join(',');
}

/** Go's type name of a decoded object, as kubectl's messages print it (`*v1.ConfigMap`). */
function goType(o: K8sObject): string {
  const version = (o.apiVersion ?? '').split('/').pop() || 'v1';
  const builtin = !(o.apiVersion ?? '').includes('.') || /\.k8s\.io\//.test(o.apiVersion ?? '');
  return builtin ? `*${version}.${o.kind}` : '*unstructured.Unstructured';
}

/** The pod selector of a workload or Service (kubectl SelectorsForObject), as a string. */
export function podSelector(o: K8sObject, action = 'attach to'): string {
  const spec = (o as { spec?: Record<string, unknown> }).spec ?? {};
  const group = (o.apiVersion ?? '').includes('/') ? o.apiVersion.split('/')[0] : '';
  const kind = o.kind;
  const notImplemented = () => new UserError(`cannot ${action} ${goType(o)}: selector for ${goType(o)} not implemented`, { hint: 'name a pod, or a Deployment, ReplicaSet, StatefulSet, DaemonSet, ReplicationController, Job or Service' });
  if (group === '' && kind === 'ReplicationController') return selectorString({ matchLabels: (spec.selector as Record<string, string>) ?? {} });
  if (group === '' && kind === 'Service') {
    const s = spec.selector as Record<string, string> | undefined;
    if (!s || !Object.keys(s).length) throw new UserError(`invalid service '${o.metadata.name}': Service is defined without a selector`);
    return selectorString({ matchLabels: s });
  }
  const workloads = new Set(['ReplicaSet', 'StatefulSet', 'DaemonSet', 'Deployment']);
  if ((['apps', 'extensions'].includes(group) && workloads.has(kind)) || (group === 'batch' && kind === 'Job')) {
    const sel = spec.selector as LabelSelector | undefined;
    if (!sel) throw new UserError(`invalid ${kind.toLowerCase()} '${o.metadata.name}': ${kind} has no selector`);
    return selectorString(sel);
  }
  throw notImplemented();
}

const PHASE_ORDER: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };
const ready = (p: Pod) => (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
const readyTime = (p: Pod) => {
  const c = (p.status?.conditions ?? []).find((x) => x.type === 'Ready' && x.status === 'True');
  return c?.lastTransitionTime ? Date.parse(c.lastTransitionTime) : 0;
};
const restarts = (p: Pod) => Math.max(0, ...(p.status?.containerStatuses ?? []).map((s) => s.restartCount ?? 0), ...(p.status?.initContainerStatuses ?? []).map((s) => s.restartCount ?? 0));
const created = (p: Pod) => (p.metadata.creationTimestamp ? Date.parse(p.metadata.creationTimestamp as string) : 0);
/** afterOrZero: a zero time counts as "after" (least preferred). */
const afterOrZero = (a: number, b: number) => (a === 0 || b === 0 ? a === 0 : a > b);

/** kubectl podutils.ActivePods Less: true when `a` is less active than `b`. */
export function lessActive(a: Pod, b: Pod): boolean {
  const na = a.spec?.nodeName ?? '';
  const nb = b.spec?.nodeName ?? '';
  if (na !== nb && (!na || !nb)) return !na;
  const pa = PHASE_ORDER[a.status?.phase ?? ''] ?? 0;
  const pb = PHASE_ORDER[b.status?.phase ?? ''] ?? 0;
  if (pa !== pb) return pa < pb;
  if (ready(a) !== ready(b)) return !ready(a);
  if (ready(a) && ready(b)) {
    const ra = readyTime(a);
    const rb = readyTime(b);
    if (ra !== rb) return afterOrZero(ra, rb);
  }
  if (restarts(a) !== restarts(b)) return restarts(a) > restarts(b);
  const ca = created(a);
  const cb = created(b);
  if (ca !== cb) return afterOrZero(ca, cb);
  return false;
}

/** Most active first (sort.Reverse(ActivePods)). */
export function sortMostActive(pods: Pod[]): Pod[] {
  return [...pods].sort((a, b) => (lessActive(b, a) ? -1 : lessActive(a, b) ? 1 : 0));
}

/**
 * kubectl's GetPodList/GetFirstPod: LIST with the selector; when none matches, WATCH until one is
 * added or modified, up to the timeout, and return that one.
 */
export async function podsMatching(client: KubeClient, namespace: string, selector: string, timeoutMs: number, signal?: AbortSignal): Promise<Pod[]> {
  const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`;
  const list = await client.request<{ metadata?: { resourceVersion?: string }; items?: Pod[] }>('GET', path, { query: { labelSelector: selector }, signal });
  const items = (list.items ?? []).map((p) => ({ ...p, apiVersion: 'v1', kind: 'Pod' }));
  if (items.length) return items;
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  const onAbort = () => ac.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const ev of client.watchPath<Pod>(path, { query: { labelSelector: selector, resourceVersion: list.metadata?.resourceVersion, timeoutSeconds: String(Math.max(1, Math.ceil(timeoutMs / 1000))) }, signal: ac.signal })) {
      if (ev.type === 'ADDED' || ev.type === 'MODIFIED') return [{ ...ev.object, apiVersion: 'v1', kind: 'Pod' }];
    }
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
  throw new UserError('timed out waiting for the condition', { hint: `no pod matching ${selector} appeared in namespace ${namespace}; raise --pod-running-timeout or check the workload's pods` });
}

export interface ResolveOptions {
  client: KubeClient;
  mapper: () => Promise<RESTMapper>;
  namespace: string;
  /** `POD`, `TYPE/NAME`, or (attach) `TYPE NAME`; or an object read from `-f`. */
  args?: string[];
  object?: K8sObject;
  podRunningTimeoutMs: number;
  signal?: AbortSignal;
}

/** The object named by the arguments (a bare name is a pod), fetched from the target. */
async function fetchObject(o: ResolveOptions): Promise<K8sObject> {
  const args = o.args ?? [];
  let type = 'pods';
  let name: string;
  if (args.length === 2) [type, name] = args;
  else if (args[0].includes('/')) {
    const i = args[0].indexOf('/');
    type = args[0].slice(0, i);
    name = args[0].slice(i + 1);
    if (!type || !name) throw new UserError(`arguments in resource/name form must have a single resource and name`, { hint: `got "${args[0]}"` });
  } else name = args[0];
  if (type === 'pods' || type === 'pod' || type === 'po') {
    const p = await o.client.request<Pod>('GET', `/api/v1/namespaces/${encodeURIComponent(o.namespace)}/pods/${encodeURIComponent(name)}`);
    return { ...p, apiVersion: 'v1', kind: 'Pod' };
  }
  const mapping = (await o.mapper()).mappingFor(type);
  const obj = await o.client.request<K8sObject>('GET', objectPath(mapping, o.namespace, name));
  return { ...obj, apiVersion: obj.apiVersion ?? (mapping.group ? `${mapping.group}/${mapping.version}` : mapping.version), kind: obj.kind ?? mapping.kind };
}

/** The pod to exec into or attach to. */
export async function resolvePod(o: ResolveOptions): Promise<Pod> {
  const obj = o.object ?? (await fetchObject(o));
  if (obj.kind === 'Pod' && (obj.apiVersion === 'v1' || !obj.apiVersion)) return obj as Pod;
  const selector = podSelector(obj);
  return sortMostActive(await podsMatching(o.client, obj.metadata.namespace ?? o.namespace, selector, o.podRunningTimeoutMs, o.signal))[0];
}

/**
 * podcmd.FindOrDefaultContainerByName: the named container (attach checks it locally; exec leaves
 * it to the server), else the annotation's, else the first, noting the choice on `note`.
 */
export function chooseContainer(pod: Pod, o: { name?: string; check: boolean; quiet: boolean; note: (line: string) => void }): Container {
  const spec = pod.spec ?? {};
  const all = [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
  if (o.name) {
    const c = all.find((x) => x.name === o.name);
    if (c) return c;
    if (o.check) throw new UserError(`cannot attach to the container: container ${o.name} not found in pod ${pod.metadata.name}`, { hint: `use one of: ${all.map((x) => x.name).join(', ')}` });
    return { name: o.name };
  }
  const annotated = pod.metadata.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
  if (annotated) {
    const c = all.find((x) => x.name === annotated);
    if (c) return c;
    if (!o.quiet) o.note(`Default container name "${annotated}" not found in pod ${pod.metadata.name}`);
  }
  const containers = spec.containers ?? [];
  if (!containers.length) throw new UserError(`pod ${pod.metadata.namespace}/${pod.metadata.name} does not have any containers`);
  if (!o.quiet && (containers.length > 1 || (spec.initContainers ?? []).length || (spec.ephemeralContainers ?? []).length)) {
    const names = [...containers.map((c) => c.name), ...(spec.ephemeralContainers ?? []).map((c) => `${c.name} (ephem)`), ...(spec.initContainers ?? []).map((c) => `${c.name} (init)`)];
    o.note(`Defaulted container "${containers[0].name}" out of: ${names.join(', ')}`);
  }
  return containers[0];
}
