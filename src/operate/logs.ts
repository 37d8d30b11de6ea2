/**
 * `logs` (kubectl's pkg/cmd/logs through a member's cluster proxy): resolve POD | TYPE/NAME | -l to
 * pods, choose containers, and stream each (pod, container) log as it arrives. Nothing is buffered
 * beyond one partial line per stream; the sink's backpressure pauses the HTTP response.
 */
import type { IncomingMessage } from 'node:http';
import { UserError } from '../errors';
import { KubeApiError, isNotFound } from '../kube/errors';
import type { K8sObject } from '../kube/types';
import type { Factory, Target } from '../kubectl/factory';
import { objectPath } from '../kubectl/mapper';
import { DEFAULT_CONTAINER_ANNOTATION, podSelector, podsMatching } from './stream/pod';

export interface LogsOptions {
  cluster: string;
  /** POD or TYPE/NAME (absent with a selector). */
  resource?: string;
  selector?: string;
  container?: string;
  allContainers: boolean;
  allPods: boolean;
  follow: boolean;
  timestamps: boolean;
  previous: boolean;
  prefix: boolean;
  ignoreErrors: boolean;
  insecureSkipTLSVerifyBackend: boolean;
  limitBytes: number;
  /** -1: all. */
  tail: number;
  tailGiven: boolean;
  sinceSeconds: number;
  sinceTime?: string;
  podRunningTimeoutMs: number;
  maxLogRequests: number;
}

/** Where output goes: write resolves when the sink can take more (backpressure). */
export interface LogsSink {
  write(chunk: string | Buffer): Promise<void>;
  /** A notice for stderr (`Defaulted container ...`, `Found 3 pods, using pod/x`). */
  notice(line: string): void;
}

type Container = { name: string };
export type Pod = K8sObject & {
  spec?: { containers?: Container[]; initContainers?: Container[]; ephemeralContainers?: Container[]; nodeName?: string };
  status?: { phase?: string; conditions?: { type: string; status: string; lastTransitionTime?: string }[]; containerStatuses?: { restartCount?: number }[] };
};

export interface LogStream {
  pod: string;
  container: string;
  namespace: string;
}

/** kube-apiserver's query for one stream (keys as kubectl sends them; unset ones omitted). */
export function logQuery(o: LogsOptions, container: string): Record<string, string | undefined> {
  const tail = o.tail !== -1 ? o.tail : o.selector && !o.tailGiven ? 10 : -1;
  return {
    container,
    follow: o.follow ? 'true' : undefined,
    insecureSkipTLSVerifyBackend: o.insecureSkipTLSVerifyBackend ? 'true' : undefined,
    limitBytes: o.limitBytes ? String(o.limitBytes) : undefined,
    previous: o.previous ? 'true' : undefined,
    sinceSeconds: o.sinceSeconds ? String(o.sinceSeconds) : undefined,
    sinceTime: o.sinceTime,
    tailLines: tail !== -1 ? String(tail) : undefined,
    timestamps: o.timestamps ? 'true' : undefined,
  };
}

/** kubectl's podutils.ByLogging ordering (logs; exec and attach take the reversed ActivePods), "best for logs" first. */
export function sortPodsForLogs(pods: Pod[]): Pod[] {
  const phaseRank = (p: Pod) => ({ Running: 0, Unknown: 1, Pending: 2 } as Record<string, number>)[p.status?.phase ?? ''] ?? 3;
  const ready = (p: Pod) => p.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True');
  const restarts = (p: Pod) => (p.status?.containerStatuses ?? []).reduce((a, c) => a + (c.restartCount ?? 0), 0);
  const t = (s?: string) => (s ? Date.parse(s) : 0);
  return [...pods].sort((a, b) => {
    if (!!a.spec?.nodeName !== !!b.spec?.nodeName) return a.spec?.nodeName ? -1 : 1;
    if (phaseRank(a) !== phaseRank(b)) return phaseRank(a) - phaseRank(b);
    const ra = ready(a);
    const rb = ready(b);
    if (!!ra !== !!rb) return ra ? -1 : 1;
    if (ra && rb && t(ra.lastTransitionTime) !== t(rb.lastTransitionTime)) return t(ra.lastTransitionTime) - t(rb.lastTransitionTime);
    if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a);
    return t(a.metadata.creationTimestamp as string | undefined) - t(b.metadata.creationTimestamp as string | undefined);
  });
}

/** The containers to read for one pod (kubectl's podcmd defaulting), with the notices kubectl prints. */
export function containersFor(pod: Pod, o: Pick<LogsOptions, 'container' | 'allContainers' | 'allPods'>, notice: (l: string) => void): string[] {
  const regular = (pod.spec?.containers ?? []).map((c) => c.name);
  const init = (pod.spec?.initContainers ?? []).map((c) => c.name);
  const ephem = (pod.spec?.ephemeralContainers ?? []).map((c) => c.name);
  if (o.allContainers) return [...init, ...regular, ...ephem];
  if (o.container) {
    if (![...regular, ...init, ...ephem].includes(o.container)) throw new UserError(`container ${o.container} is not valid for pod ${pod.metadata.name}`);
    return [o.container];
  }
  const annotated = pod.metadata.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
  if (annotated) {
    if (regular.includes(annotated)) return [annotated];
    notice(`Default container name "${annotated}" not found in pod ${pod.metadata.name}`);
  }
  if (!regular.length) throw new UserError(`pod ${pod.metadata.name} has no containers`);
  if (!o.allPods && (regular.length > 1 || init.length || ephem.length)) {
    notice(`Defaulted container "${regular[0]}" out of: ${[...regular, ...ephem.map((e) => `${e} (ephem)`), ...init.map((i) => `${i} (init)`)].join(', ')}`);
  }
  return [regular[0]];
}

const podsPath = (ns: string) => `/api/v1/namespaces/${encodeURIComponent(ns)}/pods`;

function notFound(e: unknown, what: string, ns: string): never {
  if (isNotFound(e)) throw new UserError(`error from server (NotFound): ${what} not found in namespace "${ns}"`);
  throw e;
}

/** The pods to read: none (selector without match) means "No resources found". */
export async function resolvePods(t: Target, ns: string, o: LogsOptions, notice: (l: string) => void, signal?: AbortSignal): Promise<Pod[]> {
  if (o.selector !== undefined) {
    const l = await t.client.request<{ items?: Pod[] }>('GET', podsPath(ns), { query: { labelSelector: o.selector }, signal });
    // improvement (§8.5): a stable order, pods by name (the reference's comes from a Go map)
    return [...(l.items ?? [])].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  }
  const arg = o.resource!;
  const slash = arg.indexOf('/');
  if (slash < 0) {
    const p = await t.client.request<Pod>('GET', `${podsPath(ns)}/${encodeURIComponent(arg)}`, { signal }).catch((e) => notFound(e, `pods "${arg}"`, ns));
    return [p];
  }
  const type = arg.slice(0, slash);
  const name = arg.slice(slash + 1);
  if (!type || !name) throw new UserError(`arguments in resource/name form must have a single resource and name`);
  const m = (await t.mapper()).mappingFor(type);
  const obj = await t.client.request<K8sObject>('GET', objectPath(m, m.namespaced ? ns : undefined, name), { signal }).catch((e) => notFound(e, `${m.group ? `${m.resource}.${m.group}` : m.resource} "${name}"`, ns));
  obj.kind ??= m.kind;
  if (m.kind === 'Pod' && !m.group) return [obj as Pod];
  const pods = sortPodsForLogs(await podsMatching(t.client, ns, podSelector({ ...obj, kind: m.kind }, 'get the logs from'), o.podRunningTimeoutMs, signal));
  if (o.allPods) return [...pods].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  if (pods.length > 1) notice(`Found ${pods.length} pods, using pod/${pods[0].metadata.name}`);
  return [pods[0]];
}

/** Reads one log response: raw chunks (prefix undefined) or whole lines each led by the prefix ('' in parallel: lines never interleave). */
async function copyStream(res: IncomingMessage, prefix: string | undefined, sink: LogsSink): Promise<void> {
  if (prefix === undefined) {
    for await (const chunk of res) await sink.write(chunk as Buffer);
    return;
  }
  const pre = Buffer.from(prefix);
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of res) {
    let buf = rest.length ? Buffer.concat([rest, chunk as Buffer]) : (chunk as Buffer);
    const last = buf.lastIndexOf(10);
    if (last < 0) {
      rest = buf;
      continue;
    }
    rest = Buffer.from(buf.subarray(last + 1));
    buf = buf.subarray(0, last + 1);
    const parts: Buffer[] = [];
    let at = 0;
    while (at < buf.length) {
      const nl = buf.indexOf(10, at);
      parts.push(pre, buf.subarray(at, nl + 1));
      at = nl + 1;
    }
    await sink.write(Buffer.concat(parts));
  }
  if (rest.length) await sink.write(Buffer.concat([pre, rest]));
}

/** Runs `logs`: 0, or throws (UserError / KubeApiError) for the CLI to print. */
export async function runLogs(f: Factory, o: LogsOptions, sink: LogsSink, signal?: AbortSignal): Promise<number> {
  const t = await f.forCluster(o.cluster);
  const ns = (await f.namespace()).namespace;
  const pods = await resolvePods(t, ns, o, sink.notice, signal);
  if (!pods.length) {
    sink.notice(`No resources found in ${ns} namespace.`);
    return 0;
  }
  const streams: LogStream[] = [];
  for (const p of pods) {
    let cs: string[];
    try {
      cs = containersFor(p, o, sink.notice);
    } catch (e) {
      if (!o.ignoreErrors || !(e instanceof UserError)) throw e;
      sink.notice(`error: ${e.message}`);
      continue;
    }
    for (const c of cs) streams.push({ pod: p.metadata.name, container: c, namespace: ns });
  }
  const prefix = o.prefix || o.allPods;
  const parallel = o.follow && streams.length > 1;
  const one = async (s: LogStream) => {
    try {
      const res = await t.client.stream(`${podsPath(s.namespace)}/${encodeURIComponent(s.pod)}/log`, { query: logQuery(o, s.container), signal });
      await copyStream(res, prefix ? `[pod/${s.pod}/${s.container}] ` : parallel ? '' : undefined, sink);
    } catch (e) {
      if (!o.ignoreErrors) throw e;
      // improvement (§8.5): the error goes to stderr, not into the log output
      sink.notice(`error: ${e instanceof KubeApiError ? e.message : (e as Error).message}`);
    }
  };
  if (parallel) {
    if (streams.length > o.maxLogRequests) {
      throw new UserError(`you are attempting to follow ${streams.length} log streams, but maximum allowed concurrency is ${o.maxLogRequests}, use --max-log-requests to increase the limit`);
    }
    await Promise.all(streams.map(one));
  } else {
    for (const s of streams) await one(s);
  }
  return 0;
}
