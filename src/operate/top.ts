/**
 * `top pod` / `top node` across member clusters (karmada v1.18.2 pkg/karmadactl/top): each member's
 * metrics.k8s.io/v1beta1 API (normally metrics-server) is read through the karmada-apiserver's
 * cluster proxy, every cluster at the same time (get's fan-out: one connection pool, per-cluster
 * deadline). Rows are printed exactly as the reference prints them (kubectl's units: CPU in
 * millicores rounded up, memory in whole Mi; its sort orders; Go's tabwriter with every cell
 * tab-terminated); each cluster that failed (no metrics API, metrics not ready, unreachable) is one
 * error, and the other clusters' rows are still printed.
 *
 * Domain module: returns text and errors, never writes to stdout.
 */
import { UserError } from '../errors';
import { KubeApiError } from '../kube/errors';
import { formatGoDuration } from '../util/duration';
import { Quantity } from '../kubectl/format/quantity';
import type { Factory, Target } from '../kubectl/factory';
import { classify, targetsOf, withDeadline, type TargetError } from './get';

export const METRICS_GROUP = 'metrics.k8s.io';
export const METRICS_VERSION = 'v1beta1';
/** Karmada's annotation naming the cluster a metrics item was queried from (autoscaling/v1alpha1). */
export const QUERY_FROM_CLUSTER = 'resource.karmada.io/query-from-cluster';
/** kubectl's metricsCreationDelay. */
const METRICS_CREATION_DELAY_MS = 2 * 60_000;

export type SortBy = '' | 'cpu' | 'memory';
type ResourceList = Record<string, string | undefined>;

export interface ContainerMetrics {
  name: string;
  usage: ResourceList;
}
export interface PodMetrics {
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  containers?: ContainerMetrics[];
}
export interface NodeMetrics {
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  usage?: ResourceList;
}

export interface TopCommonOptions {
  clusters: string[];
  labelSelector: string;
  sortBy: SortBy;
  noHeaders: boolean;
  /** Accepted for compatibility; the metrics are read as JSON. */
  useProtocolBuffers: boolean;
  /** Per-cluster deadline (0 = none). */
  clusterTimeoutMs: number;
}
export interface TopPodOptions extends TopCommonOptions {
  name?: string;
  fieldSelector: string;
  allNamespaces: boolean;
  containers: boolean;
  sum: boolean;
}
export interface TopNodeOptions extends TopCommonOptions {
  name?: string;
  showCapacity: boolean;
}

export interface TopResult {
  stdout: string;
  errors: TargetError[];
  /** `No resources found ...` on stderr (nothing printed, nothing failed). */
  notice?: string;
}

// ------------------------------------------------------------------------------- validation

export function parseSortBy(v: string): SortBy {
  if (v === '' || v === 'cpu' || v === 'memory') return v;
  throw new UserError('--sort-by accepts only cpu or memory', { hint: 'use --sort-by=cpu or --sort-by=memory' });
}

/** fields.ParseSelector's syntax: `key=value`, `key==value`, `key!=value`, comma-separated. */
export function validateFieldSelector(sel: string): void {
  if (!sel) return;
  for (const part of sel.split(',')) {
    if (!/^[^=!,\s][^=!,]*(=|==|!=)[^=!,]*$/.test(part.trim())) {
      throw new UserError(`invalid selector: '${sel}'; can't understand '${part}'`, { hint: 'write --field-selector key=value, key==value or key!=value, separated by commas' });
    }
  }
}

// ----------------------------------------------------------------------------- formatting

const q = (s: string | undefined): Quantity => Quantity.tryParse(s ?? '0') ?? Quantity.parse('0');
const cpuMilli = (l: ResourceList | undefined) => q(l?.cpu).milliValue();
const memBytes = (l: ResourceList | undefined) => q(l?.memory).value();

/** CPU as kubectl prints it: millicores rounded up (`2000m`). */
export function formatCpu(v: string | Quantity | undefined): string {
  return `${(typeof v === 'object' ? v : q(v)).milliValue()}m`;
}
/** Memory as kubectl prints it: whole mebibytes, truncated (`1024Mi`). */
export function formatMemory(v: string | Quantity | undefined): string {
  return `${(typeof v === 'object' ? v : q(v)).value() / 1048576n}Mi`;
}

/** `int64(float64(usage milli) / float64(available milli) * 100)` with Go's amd64 conversion of NaN/±Inf. */
export function percent(usage: Quantity, available: Quantity): string {
  const f = (Number(usage.milliValue()) / Number(available.milliValue())) * 100;
  if (!Number.isFinite(f) || Math.abs(f) >= 2 ** 63) return '-9223372036854775808%';
  return `${Math.trunc(f)}%`;
}

/** A pod's usage: the sum over its containers (getPodMetrics). */
export function podUsage(m: PodMetrics): { cpu: Quantity; memory: Quantity } {
  let cpu = Quantity.parse('0');
  let memory = Quantity.parse('0');
  for (const c of m.containers ?? []) {
    cpu = cpu.add(q(c.usage?.cpu));
    memory = memory.add(q(c.usage?.memory));
  }
  return { cpu, memory };
}

const clusterOf = (m: { metadata: { annotations?: Record<string, string> } }) => m.metadata.annotations?.[QUERY_FROM_CLUSTER] ?? '';
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const desc = (a: bigint, b: bigint) => (a > b ? -1 : a < b ? 1 : 0);

/** PodMetricsSorter (stable, over the deterministic cluster order). */
export function sortPods(items: PodMetrics[], withNamespace: boolean, sortBy: SortBy): PodMetrics[] {
  const usage = new Map(items.map((m) => [m, podUsage(m)]));
  return [...items].sort((a, b) => {
    if (sortBy === 'cpu') return desc(usage.get(a)!.cpu.milliValue(), usage.get(b)!.cpu.milliValue());
    if (sortBy === 'memory') return desc(usage.get(a)!.memory.value(), usage.get(b)!.memory.value());
    return cmp(clusterOf(a), clusterOf(b)) || (withNamespace ? cmp(a.metadata.namespace ?? '', b.metadata.namespace ?? '') : 0) || cmp(a.metadata.name, b.metadata.name);
  });
}

/** kubectl's ContainerMetricsSorter. */
export function sortContainers(cs: ContainerMetrics[], sortBy: SortBy): ContainerMetrics[] {
  return [...cs].sort((a, b) => {
    if (sortBy === 'cpu') return desc(cpuMilli(a.usage), cpuMilli(b.usage));
    if (sortBy === 'memory') return desc(memBytes(a.usage), memBytes(b.usage));
    return cmp(a.name, b.name);
  });
}

/** NodeMetricsSorter: by node name only (not by cluster), or usage descending. */
export function sortNodes(items: NodeMetrics[], sortBy: SortBy): NodeMetrics[] {
  return [...items].sort((a, b) => {
    if (sortBy === 'cpu') return desc(cpuMilli(a.usage), cpuMilli(b.usage));
    if (sortBy === 'memory') return desc(memBytes(a.usage), memBytes(b.usage));
    return cmp(a.metadata.name, b.metadata.name);
  });
}

/**
 * Go's text/tabwriter (liggitt/tabwriter as cli-runtime's GetNewTabWriter sets it up: minwidth 6,
 * padding 3, pad ' ', RememberWidths), column blocks included: `text` is what the reference writes
 * (cells terminated by `\t`, lines by `\n`), formatted at one Flush.
 */
export function goTabwrite(text: string, minwidth = 6, padding = 3): string {
  const rows = text.split('\n');
  if (rows[rows.length - 1] === '') rows.pop();
  const lines = rows.map((r) => r.split('\t'));
  const runes = (s: string) => [...s].length;
  const widths: number[] = [];
  const maxwidths: number[] = [];
  let out = '';
  const writeLines = (l0: number, l1: number) => {
    for (let i = l0; i < l1; i++) {
      const line = lines[i];
      for (let j = 0; j < line.length; j++) {
        out += line[j];
        if (j < widths.length) out += ' '.repeat(Math.max(0, widths[j] - runes(line[j])));
      }
      out += '\n';
    }
  };
  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    for (let t = line0; t < line1; t++) {
      if (column >= lines[t].length - 1) continue;
      writeLines(line0, t);
      line0 = t;
      let width = minwidth;
      for (; t < line1; t++) {
        if (column >= lines[t].length - 1) break;
        const w = runes(lines[t][column]) + padding;
        if (w > width) width = w;
      }
      if (maxwidths.length < widths.length) maxwidths.push(...widths.slice(maxwidths.length));
      if (maxwidths.length === widths.length) maxwidths.push(width);
      else if (maxwidths[widths.length] > width) width = maxwidths[widths.length];
      else if (maxwidths[widths.length] < width) maxwidths[widths.length] = width;
      widths.push(width);
      format(line0, t);
      widths.pop();
      line0 = t; // the line that ended the block has no cell in this column: skipping it is right
    }
    writeLines(line0, line1);
  };
  format(0, lines.length);
  return out;
}

const POD_COLUMNS = ['NAME', 'CLUSTER', 'CPU(cores)', 'MEMORY(bytes)'];
const NODE_COLUMNS = ['NAME', 'CLUSTER', 'CPU(cores)', 'CPU%', 'MEMORY(bytes)', 'MEMORY%'];
const cells = (xs: string[]) => xs.map((x) => `${x}\t`).join('');

function usageCells(cpu: Quantity, memory: Quantity, available?: ResourceList): string {
  let s = `${formatCpu(cpu)}\t`;
  if (available && available.cpu !== undefined) s += `${percent(cpu, q(available.cpu))}\t`;
  s += `${formatMemory(memory)}\t`;
  if (available && available.memory !== undefined) s += `${percent(memory, q(available.memory))}\t`;
  return s;
}

/**
 * PrintPodMetrics. One difference: the `--sum` lines are aligned under the CPU and MEMORY columns
 * with --no-headers too (the reference forgets the NAMESPACE/POD columns there).
 */
export function printPodMetrics(items: PodMetrics[], o: { containers: boolean; withNamespace: boolean; noHeaders: boolean; sortBy: SortBy; sum: boolean }): string {
  if (!items.length) return '';
  let raw = '';
  const columnWidth = POD_COLUMNS.length + (o.withNamespace ? 1 : 0) + (o.containers ? 1 : 0);
  if (!o.noHeaders) raw += cells([...(o.withNamespace ? ['NAMESPACE'] : []), ...(o.containers ? ['POD'] : []), ...POD_COLUMNS]) + '\n';
  for (const m of sortPods(items, o.withNamespace, o.sortBy)) {
    const ns = o.withNamespace ? `${m.metadata.namespace ?? ''}\t` : '';
    if (o.containers) {
      for (const c of sortContainers(m.containers ?? [], o.sortBy)) raw += `${ns}${m.metadata.name}\t${c.name}\t${clusterOf(m)}\t${usageCells(q(c.usage?.cpu), q(c.usage?.memory))}\n`;
    } else {
      const u = podUsage(m);
      raw += `${ns}${m.metadata.name}\t${clusterOf(m)}\t${usageCells(u.cpu, u.memory)}\n`;
    }
  }
  if (o.sum) {
    let cpu = Quantity.parse('0');
    let memory = Quantity.parse('0');
    for (const m of items) {
      const u = podUsage(m);
      cpu = cpu.add(u.cpu);
      memory = memory.add(u.memory);
    }
    raw += '\t'.repeat(columnWidth - 2) + '________\t________\t\n';
    raw += '\t'.repeat(columnWidth - 4) + `\t\t${usageCells(cpu, memory)}\n`;
  }
  return goTabwrite(raw);
}

/** PrintNodeMetrics: metrics rows (with percentages when the node is known), then nodes without metrics. */
export function printNodeMetrics(items: NodeMetrics[], available: { cluster: string; nodes: Map<string, ResourceList> }[], o: { noHeaders: boolean; sortBy: SortBy }): string {
  if (!items.length) return '';
  let raw = o.noHeaders ? '' : cells(NODE_COLUMNS) + '\n';
  const left = available.map((a) => ({ cluster: a.cluster, nodes: new Map(a.nodes) }));
  for (const m of sortNodes(items, o.sortBy)) {
    const cluster = clusterOf(m);
    const nodes = left.find((a) => a.cluster === cluster)?.nodes;
    const avail = nodes?.get(m.metadata.name);
    raw += `${m.metadata.name}\t${cluster}\t${usageCells(q(m.usage?.cpu), q(m.usage?.memory), avail)}\n`;
    nodes?.delete(m.metadata.name);
  }
  for (const a of left) for (const name of [...a.nodes.keys()].sort()) raw += `${name}\t${a.cluster}\t<unknown>\t<unknown>\t<unknown>\t<unknown>\t\n`;
  return goTabwrite(raw);
}

// ------------------------------------------------------------------------------ fetching

/** A per-cluster failure of top's own (not a transport error). */
class TopClusterError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

const NO_METRICS_HINT = 'install metrics-server in the member cluster (its APIService v1beta1.metrics.k8s.io must be Available)';

function offersMetrics(groups: { name: string; versions: { version: string }[] }[]): boolean {
  return groups.some((g) => g.name === METRICS_GROUP && g.versions.some((v) => v.version === METRICS_VERSION));
}

/** Discovery through the proxy; a cached answer without metrics.k8s.io is checked once more live. */
async function requireMetricsApi(t: Target): Promise<void> {
  if (offersMetrics(await t.discovery.groups())) return;
  t.discovery.invalidate();
  if (!offersMetrics(await t.discovery.groups())) throw new TopClusterError('metrics API not available', NO_METRICS_HINT);
}

const METRICS_BASE = `/apis/${METRICS_GROUP}/${METRICS_VERSION}`;
const ACCEPT = { Accept: 'application/json, */*' };

function toTargetError(t: Target, e: unknown, timeoutMs: number): TargetError {
  if (e instanceof TopClusterError) return { cluster: t.name, message: e.message, hint: e.hint };
  if (e instanceof KubeApiError && e.code === 503 && e.url.includes(METRICS_BASE)) {
    return { cluster: t.name, message: `metrics API not available: ${e.status.message ?? e.reason}`, hint: "the member's metrics-server does not answer; check its APIService v1beta1.metrics.k8s.io and its pods" };
  }
  return classify(t, e, timeoutMs);
}

/** Runs `fn` on every member at once, each under the per-cluster deadline; failures become errors. */
async function fanOut<T>(f: Factory, o: TopCommonOptions, fn: (t: Target, signal: AbortSignal | undefined) => Promise<T>): Promise<{ targets: Target[]; ok: { t: Target; v: T }[]; errors: TargetError[] }> {
  const targets = await targetsOf(f, { scope: 'members', clusters: o.clusters }, o.clusterTimeoutMs);
  const settled = await Promise.all(
    targets.map(async (t) => {
      const signal = o.clusterTimeoutMs > 0 ? AbortSignal.timeout(o.clusterTimeoutMs) : undefined;
      try {
        return { t, v: await withDeadline(fn(t, signal), signal) };
      } catch (e) {
        return { t, e };
      }
    }),
  );
  const ok: { t: Target; v: T }[] = [];
  const errors: TargetError[] = [];
  for (const s of settled) {
    if ('v' in s) ok.push({ t: s.t, v: s.v as T });
    else errors.push(toTargetError(s.t, s.e, o.clusterTimeoutMs));
  }
  return { targets, ok, errors };
}

const mark = <M extends { metadata: { annotations?: Record<string, string> } }>(m: M, cluster: string): M => ({ ...m, metadata: { ...m.metadata, annotations: { ...(m.metadata.annotations ?? {}), [QUERY_FROM_CLUSTER]: cluster } } });

type Pod = { metadata: { name: string; namespace?: string; creationTimestamp?: string } };

/** Why a cluster returned no pod metrics: none needed (no pods), too old, or not yet. */
function checkEmpty(pods: Pod[], now: number): void {
  if (!pods.length) return;
  for (const p of pods) {
    const age = now - Date.parse(p.metadata.creationTimestamp ?? '');
    if (age > METRICS_CREATION_DELAY_MS) throw new TopClusterError(`Metrics not available for pod ${p.metadata.namespace}/${p.metadata.name}, age: ${formatGoDuration(age)}`, 'metrics-server has no usage for this pod; check that it can scrape the node the pod runs on');
  }
  throw new TopClusterError('metrics not available yet', 'metrics-server reports usage about a minute after a pod starts; try again shortly');
}

export async function runTopPod(f: Factory, o: TopPodOptions): Promise<TopResult> {
  const { namespace } = await f.namespace();
  const query: Record<string, string | undefined> = { labelSelector: o.labelSelector || undefined, fieldSelector: o.fieldSelector || undefined };
  const { ok, errors } = await fanOut(f, o, async (t, signal) => {
    await requireMetricsApi(t);
    let items: PodMetrics[];
    if (o.name) {
      const ns = o.allNamespaces ? undefined : namespace;
      items = [await t.client.request<PodMetrics>('GET', ns ? `${METRICS_BASE}/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(o.name)}` : `${METRICS_BASE}/pods/${encodeURIComponent(o.name)}`, { headers: ACCEPT, signal })];
    } else {
      const path = o.allNamespaces ? `${METRICS_BASE}/pods` : `${METRICS_BASE}/namespaces/${encodeURIComponent(namespace)}/pods`;
      items = (await t.client.request<{ items?: PodMetrics[] }>('GET', path, { headers: ACCEPT, signal, query })).items ?? [];
    }
    if (!items.length) {
      // The reference looks for the pods in the current namespace even with -A; this looks where the metrics were asked for.
      let pods: Pod[];
      if (o.name) pods = [await t.client.request<Pod>('GET', `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(o.name)}`, { signal })];
      else pods = (await t.client.request<{ items?: Pod[] }>('GET', o.allNamespaces ? '/api/v1/pods' : `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`, { signal, query })).items ?? [];
      checkEmpty(pods, Date.now());
    }
    return items.map((m) => mark(m, t.name));
  });
  const items = ok.flatMap((x) => x.v);
  const result: TopResult = { stdout: printPodMetrics(items, { containers: o.containers, withNamespace: o.allNamespaces, noHeaders: o.noHeaders, sortBy: o.sortBy, sum: o.sum }), errors };
  if (!items.length && !errors.length) result.notice = o.allNamespaces ? 'No resources found' : `No resources found in ${namespace} namespace.`;
  return result;
}

type Node = { metadata: { name: string }; status?: { allocatable?: ResourceList; capacity?: ResourceList } };

export async function runTopNode(f: Factory, o: TopNodeOptions): Promise<TopResult> {
  const query = { labelSelector: o.labelSelector || undefined };
  const { ok, errors } = await fanOut(f, o, async (t, signal) => {
    await requireMetricsApi(t);
    const items = o.name
      ? [await t.client.request<NodeMetrics>('GET', `${METRICS_BASE}/nodes/${encodeURIComponent(o.name)}`, { headers: ACCEPT, signal })]
      : ((await t.client.request<{ items?: NodeMetrics[] }>('GET', `${METRICS_BASE}/nodes`, { headers: ACCEPT, signal, query })).items ?? []);
    if (!items.length) throw new TopClusterError('metrics not available yet', 'metrics-server reports node usage about a minute after it starts; try again shortly');
    const nodes = o.name ? [await t.client.request<Node>('GET', `/api/v1/nodes/${encodeURIComponent(o.name)}`, { signal })] : ((await t.client.request<{ items?: Node[] }>('GET', '/api/v1/nodes', { signal, query })).items ?? []);
    const available = new Map(nodes.map((n) => [n.metadata.name, (o.showCapacity ? n.status?.capacity : n.status?.allocatable) ?? {}]));
    return { items: items.map((m) => mark(m, t.name)), available };
  });
  const items = ok.flatMap((x) => x.v.items);
  const available = ok.map((x) => ({ cluster: x.t.name, nodes: x.v.available }));
  const result: TopResult = { stdout: printNodeMetrics(items, available, { noHeaders: o.noHeaders, sortBy: o.sortBy }), errors };
  if (!items.length && !errors.length) result.notice = 'No resources found';
  return result;
}
