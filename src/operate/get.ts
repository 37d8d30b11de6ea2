/**
 * `get` across the Karmada control plane and its members (karmada v1.18.2 pkg/karmadactl/get, with
 * the improvements listed in docs/notes/layer.md): every target is fetched in parallel over the
 * factory's one connection pool, with a per-cluster timeout; rows from every target that answered
 * are printed in a deterministic order (cluster — Karmada first, then the -C order or cluster name
 * order —, namespace, name; or --sort-by across all rows); each target that failed gives one error
 * line naming the cluster and the reason. Structured output is ONE List whose member objects carry
 * the annotation `resource.karmada.io/cached-from-cluster: <cluster>` (Karmada's own key for "which
 * cluster this object came from").
 *
 * Domain module: returns text (or hands it to the sinks of a watch), never writes to stdout.
 */
import { UserError } from '../errors';
import { formatGoDuration } from '../util/duration';
import { KubeApiError, KubeConnectionError } from '../kube/errors';
import { parseResourceArgs, resolve, type ResourceArgs, type ResourceRequest } from '../kubectl/builder';
import { clusterNotReady, KARMADA_LABEL, notJoined, type ClusterObject, type Factory, type Target } from '../kubectl/factory';
import type { OperationScope } from '../kubectl/flags';
import { collectionPath, groupResource, objectPath, UnknownResourceTypeError, type RESTMapping } from '../kubectl/mapper';
import type { PrintOptions } from '../kubectl/printers';
import type { ExtraColumn, KubeObjectLike, Table, TableRow } from '../kubectl/printers';

/** kubectl's Accept header for server-side Tables. */
export const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
/** The annotation that marks which member cluster an object of `-o json|yaml|...` came from. */
export const CLUSTER_ANNOTATION = 'resource.karmada.io/cached-from-cluster';
export const MANAGED_LABEL = 'karmada.io/managed';

export interface GetOptions {
  scope: OperationScope;
  clusters: string[];
  args: string[];
  labelSelector: string;
  fieldSelector: string;
  allNamespaces: boolean;
  ignoreNotFound: boolean;
  chunkSize: number;
  print: PrintOptions;
  watch: boolean;
  watchOnly: boolean;
  outputWatchEvents: boolean;
  /** Per-cluster deadline for the non-watch requests (0 = none). */
  clusterTimeoutMs: number;
}

/** A per-target failure: printed as one line `cluster(<name>): <message>`. */
export interface TargetError {
  cluster: string;
  message: string;
  hint?: string;
}

export interface GetResult {
  stdout: string;
  errors: TargetError[];
  /** `No resources found ...` (stderr) when nothing was printed and nothing failed. */
  notice?: string;
  /** Warnings (e.g. -C ignored in scope karmada), printed first on stderr. */
  warnings: string[];
}

type Row = TableRow & { cluster: string; order: number };

interface Fetched {
  target: Target;
  order: number;
  /** Per request (same index as `requests`): the table (human) or objects (structured). */
  parts: { request: ResourceRequest; table?: Table; objects?: KubeObjectLike[]; resourceVersion?: string }[];
}

export function validateGet(o: GetOptions): { args: ResourceArgs; warnings: string[] } {
  const warnings: string[] = [];
  if (o.clusters.length && o.scope === 'karmada') {
    warnings.push(`--clusters is ignored in the karmada operation scope; add --operation-scope=members (or all) to read ${o.clusters.join(',')}`);
  }
  if (o.outputWatchEvents && !o.watch && !o.watchOnly) throw new UserError('--output-watch-events option can only be used with --watch or --watch-only');
  if (o.chunkSize < 0) throw new UserError(`invalid --chunk-size ${o.chunkSize}`, { hint: 'use 0 (no chunking) or a positive number' });
  const args = parseResourceArgs(o.args, { selector: o.labelSelector });
  if (o.allNamespaces && (args.names?.length || args.pairs?.length)) throw new UserError('a resource cannot be retrieved by name across all namespaces', { hint: 'drop -A and give the namespace with -n' });
  return { args, warnings };
}

/** Targets in output order: Karmada (scope karmada/all), then members (-C order, else name order). */
export async function targetsOf(f: Factory, o: Pick<GetOptions, 'scope' | 'clusters'>, timeoutMs: number): Promise<Target[]> {
  const out: Target[] = [];
  if (o.scope !== 'members') out.push(await f.karmada());
  if (o.scope === 'karmada') return out;
  let clusters: ClusterObject[];
  try {
    clusters = await f.clusters();
  } catch (e) {
    throw new UserError(`cannot list the member clusters of the Karmada control plane: ${messageOf(e)}`, { hint: hintOf(e), cause: e });
  }
  let names: string[];
  if (o.clusters.length) {
    const known = new Set(clusters.map((c) => c.metadata.name));
    const missing = o.clusters.filter((c) => !known.has(c));
    if (missing.length) throw notJoined(missing, f.ctx.program);
    names = [...new Set(o.clusters)];
  } else names = clusters.map((c) => c.metadata.name).sort();
  const retry = { attempts: 2, baseDelayMs: 100, maxDelayMs: 500 };
  for (const n of names) out.push(await f.forCluster(n, { cluster: clusters.find((c) => c.metadata.name === n), retry, timeoutMs: timeoutMs || undefined }));
  return out;
}

function messageOf(e: unknown): string {
  if (e instanceof KubeApiError) return e.message;
  return (e as Error)?.message ?? String(e);
}
function hintOf(e: unknown): string | undefined {
  return (e as { hint?: string })?.hint;
}

/** One line for a failed member: what failed, why (Ready condition), and what to do. */
export function classify(t: Target, e: unknown, timeoutMs: number): TargetError {
  const cluster = t.name;
  const notReady = t.member ? clusterNotReady(t.cluster) : undefined;
  const suffix = notReady ? `; ${notReady}` : '';
  if ((e as Error)?.name === 'AbortError' || (e as Error)?.name === 'TimeoutError') {
    return { cluster, message: `no answer within ${formatGoDuration(timeoutMs)}${suffix}`, hint: 'the cluster is slow or unreachable; raise --cluster-timeout or check the cluster' };
  }
  if (e instanceof UnknownResourceTypeError) return { cluster, message: e.message };
  if (e instanceof KubeApiError) {
    const text = e.status.message ?? '';
    if (t.member && e.code === 403 && /clusters\/proxy/.test(text)) {
      return { cluster, message: `forbidden: ${text}`, hint: 'the karmada user needs the clusters/proxy permission (ClusterRole/ClusterRoleBinding cluster-proxy-admin, as init creates)' };
    }
    if (t.member && e.code === 403) {
      return { cluster, message: `forbidden by the member cluster: ${text}`, hint: "the member's ClusterRole karmada-impersonator must allow impersonating this user and its groups (karmada-controller-manager's unified-auth controller syncs it from the clusters/proxy bindings on the karmada-apiserver), and the member must grant the user access" };
    }
    if (t.member && (e.code === 500 || e.code === 502 || e.code === 503 || e.code === 504)) {
      return { cluster, message: `unreachable through the cluster proxy: ${text.trim() || e.reason}${suffix}`, hint: notReady ? undefined : 'check that the member API server is up and reachable from karmada-aggregated-apiserver' };
    }
    if (t.member && e.code === 404 && /clusters\.cluster\.karmada\.io/.test(text)) {
      return { cluster, message: `the cluster is no longer joined (${text})` };
    }
    return { cluster, message: e.message.replace(/^Error from server \(NotFound\): /, 'Error from server (NotFound): ') };
  }
  if (e instanceof KubeConnectionError) return { cluster, message: `unreachable: ${e.message}${suffix}`, hint: e.hint };
  return { cluster, message: `${messageOf(e)}${suffix}`, hint: hintOf(e) };
}

/** The objects and tables of one target. Throws for a target-level failure. */
async function fetchTarget(t: Target, order: number, a: ResourceArgs, o: GetOptions, ns: string, human: boolean, signal: AbortSignal | undefined, answered: () => void = () => {}): Promise<Fetched> {
  const mapper = await t.mapper();
  const requests = resolve(mapper, a);
  const out: Fetched = { target: t, order, parts: [] };
  const headers = human ? { Accept: TABLE_ACCEPT } : undefined;
  const query: Record<string, string | undefined> = {};
  if (o.labelSelector) query.labelSelector = o.labelSelector;
  if (o.fieldSelector) query.fieldSelector = o.fieldSelector;
  if (human && o.print.sortBy) query.includeObject = 'Object';
  const namespace = o.allNamespaces ? undefined : ns;
  await Promise.all(
    requests.map(async (r, i) => {
      const part: Fetched['parts'][number] = { request: r };
      out.parts[i] = part;
      if (r.names.length) {
        const got = await Promise.all(
          r.names.map(async (n) => {
            try {
              const got = await t.client.request<Record<string, unknown>>('GET', objectPath(r.mapping, r.mapping.namespaced ? ns : undefined, n), { headers, signal, query: human && o.print.sortBy ? { includeObject: 'Object' } : undefined });
              answered();
              return got;
            } catch (e) {
              if (e instanceof KubeApiError && e.code === 404 && o.ignoreNotFound) return undefined;
              throw e;
            }
          }),
        );
        absorb(part, got.filter((x): x is Record<string, unknown> => !!x), r.mapping, human);
        return;
      }
      let cont: string | undefined;
      const pages: Record<string, unknown>[] = [];
      do {
        const page = await t.client.request<Record<string, unknown> & { metadata?: { continue?: string; resourceVersion?: string } }>('GET', collectionPath(r.mapping, namespace), {
          headers,
          signal,
          query: { ...query, limit: o.chunkSize > 0 ? String(o.chunkSize) : undefined, continue: cont },
        });
        answered();
        pages.push(page);
        cont = page?.metadata?.continue || undefined;
      } while (cont);
      absorb(part, pages, r.mapping, human, true);
    }),
  );
  return out;
}

/** Tables (or lists) from the server → one table / object list per request. */
function absorb(part: Fetched['parts'][number], bodies: Record<string, unknown>[], m: RESTMapping, human: boolean, lists = false): void {
  const apiVersion = m.group ? `${m.group}/${m.version}` : m.version;
  if (human) {
    const table: Table = { columnDefinitions: [], rows: [] };
    for (const b of bodies) {
      if (b.kind === 'Table') {
        const t = b as unknown as Table;
        if (t.columnDefinitions?.length) table.columnDefinitions = t.columnDefinitions;
        table.rows.push(...(t.rows ?? []));
        part.resourceVersion = t.metadata?.resourceVersion ?? part.resourceVersion;
      } else {
        // A server without Table support: kubectl's default NAME/AGE table.
        const objs = lists ? ((b.items as KubeObjectLike[]) ?? []) : [b as KubeObjectLike];
        const dt = defaultTableLazy(objs);
        if (!table.columnDefinitions.length) table.columnDefinitions = dt.columnDefinitions;
        table.rows.push(...dt.rows);
        part.resourceVersion = (b.metadata as { resourceVersion?: string })?.resourceVersion ?? part.resourceVersion;
      }
    }
    part.table = table;
    return;
  }
  const objects: KubeObjectLike[] = [];
  for (const b of bodies) {
    if (lists) {
      for (const i of (b.items as KubeObjectLike[]) ?? []) objects.push({ apiVersion, kind: m.kind, ...i });
      part.resourceVersion = (b.metadata as { resourceVersion?: string })?.resourceVersion ?? part.resourceVersion;
    } else objects.push(b as KubeObjectLike);
  }
  part.objects = objects;
}

let defaultTableFn: ((o: KubeObjectLike[]) => Table) | undefined;
function defaultTableLazy(objs: KubeObjectLike[]): Table {
  return defaultTableFn!(objs);
}

/** Runs the targets in parallel; failed ones become errors (never abort the others). */
async function fetchAll(targets: Target[], a: ResourceArgs, o: GetOptions, ns: string, human: boolean): Promise<{ fetched: Fetched[]; errors: TargetError[] }> {
  const settled = await Promise.all(
    targets.map(async (t, i) => {
      // The deadline runs until the cluster's first answer: a dead or black-holed member fails after
      // --cluster-timeout, a large list that answers chunk after chunk is not cut off.
      const ac = o.clusterTimeoutMs > 0 ? new AbortController() : undefined;
      const timer = ac ? setTimeout(() => ac.abort(), o.clusterTimeoutMs) : undefined;
      try {
        return { ok: await withDeadline(fetchTarget(t, i, a, o, ns, human, ac?.signal, () => clearTimeout(timer)), ac?.signal) };
      } catch (e) {
        return { err: e, t };
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const fetched: Fetched[] = [];
  const failures: { t: Target; e: unknown }[] = [];
  for (const s of settled) {
    if ('ok' in s) fetched.push(s.ok!);
    else failures.push({ t: s.t!, e: s.err });
  }
  // A type that some targets serve and others do not (karmada-only policies, member-only CRDs):
  // the targets without it are skipped, not failed. Unknown everywhere: one error.
  const errors: TargetError[] = [];
  const unknown = failures.filter((f) => f.e instanceof UnknownResourceTypeError);
  if (unknown.length && unknown.length === targets.length) throw new UserError((unknown[0].e as Error).message);
  for (const f of failures) if (!(f.e instanceof UnknownResourceTypeError)) errors.push(classify(f.t, f.e, o.clusterTimeoutMs));
  return { fetched, errors };
}

export function withDeadline<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(Object.assign(new Error('deadline exceeded'), { name: 'TimeoutError' }));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(signal.aborted ? Object.assign(new Error('deadline exceeded'), { name: 'TimeoutError' }) : e);
      },
    );
  });
}

const key = (m: RESTMapping) => groupResource(m);

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Deterministic order: target order, then namespace, then name. */
function rowOrder(a: Row, b: Row): number {
  return a.order - b.order || cmpStr(a.object?.metadata?.namespace ?? '', b.object?.metadata?.namespace ?? '') || cmpStr(String(a.object?.metadata?.name ?? a.cells?.[0] ?? ''), String(b.object?.metadata?.name ?? b.cells?.[0] ?? ''));
}

function objOrder(a: { o: KubeObjectLike; order: number }, b: { o: KubeObjectLike; order: number }): number {
  return a.order - b.order || cmpStr(a.o.metadata?.namespace ?? '', b.o.metadata?.namespace ?? '') || cmpStr(a.o.metadata?.name ?? '', b.o.metadata?.name ?? '');
}

/** --sort-by across every cluster's rows: the printers' sorter (kubectl's), stable over the deterministic order. */
async function sortBy<T>(items: T[], field: string, objOf: (x: T) => unknown): Promise<T[]> {
  const { sortTableRows, PrintError } = await import('../kubectl/printers');
  try {
    const rows = items.map((x, i) => ({ cells: [], object: objOf(x) as KubeObjectLike, i }));
    return sortTableRows({ columnDefinitions: [], rows }, field).rows.map((r) => items[r.i]);
  } catch (e) {
    if (e instanceof PrintError) throw new UserError(e.message);
    throw e;
  }
}

/** Merges per-target tables of one resource by column name (clusters of different versions stay aligned). */
function mergeTables(tables: { table: Table; cluster: string; order: number }[]): Table<Row> {
  const cols: Table['columnDefinitions'] = [];
  const names = new Set<string>();
  for (const { table } of tables) {
    for (const c of table.columnDefinitions ?? []) {
      if (!names.has(c.name)) {
        names.add(c.name);
        cols.push(c);
      }
    }
  }
  const rows: Row[] = [];
  for (const { table, cluster, order } of tables) {
    const idx = cols.map((c) => (table.columnDefinitions ?? []).findIndex((d) => d.name === c.name));
    for (const r of table.rows ?? []) rows.push({ ...r, cells: idx.map((i) => (i >= 0 ? r.cells[i] : null)), cluster, order });
  }
  return { kind: 'Table', apiVersion: 'meta.k8s.io/v1', columnDefinitions: cols, rows };
}

function adoption(r: Row): string {
  if (r.cluster === KARMADA_LABEL) return '-';
  return r.object?.metadata?.labels?.[MANAGED_LABEL] === 'true' ? 'Y' : 'N';
}

export function extraColumns(resource: string, watch = false): ExtraColumn<Row>[] {
  return [
    { name: 'CLUSTER', position: 'afterName', cell: (r) => r.cluster },
    { name: 'ADOPTION', position: 'end', priority: resource === 'pods' && !watch ? 1 : 0, cell: (r) => adoption(r) },
  ];
}

/** The non-watch `get`: everything fetched, merged and rendered. */
export async function runGet(f: Factory, o: GetOptions): Promise<GetResult> {
  const { args, warnings } = validateGet(o);
  const printers = await import('../kubectl/printers');
  defaultTableFn = (objs) => printers.defaultTable(objs);
  const human = printers.isHumanReadable(o.print);
  const { namespace } = await f.namespace();
  const targets = await targetsOf(f, o, o.clusterTimeoutMs);
  const { fetched, errors } = await fetchAll(targets, args, o, namespace, human);
  fetched.sort((a, b) => a.order - b.order);
  const result: GetResult = { stdout: '', errors, warnings };

  // resource types in argument order (first target that resolved them)
  const types: RESTMapping[] = [];
  for (const fe of fetched) for (const p of fe.parts) if (!types.some((t) => key(t) === key(p.request.mapping))) types.push(p.request.mapping);
  const kinds = new Set(types.map((t) => `${t.group}/${t.kind}`));
  const showKind = o.print.showKind || kinds.size > 1;
  let anyNamespaced = false;
  let count = 0;

  if (human) {
    const groups: { table: Table<Row>; kind?: { kind: string; group?: string }; resource: string; namespaced: boolean }[] = [];
    for (const m of types) {
      const tables = fetched.flatMap((fe) => fe.parts.filter((p) => key(p.request.mapping) === key(m) && p.table).map((p) => ({ table: p.table!, cluster: fe.target.name, order: fe.order })));
      const merged = mergeTables(tables);
      merged.rows = o.print.sortBy ? await sortBy([...merged.rows].sort(rowOrder), o.print.sortBy, (r) => r.object) : merged.rows.sort(rowOrder);
      count += merged.rows.length;
      if (m.namespaced) anyNamespaced = true;
      groups.push({ table: merged, kind: showKind ? { kind: m.kind, group: m.group } : undefined, resource: m.resource, namespaced: m.namespaced });
    }
    let out = '';
    for (const g of groups) {
      const p = new printers.TablePrinter<Row>({
        wide: o.print.format === 'wide',
        noHeaders: o.print.noHeaders,
        showLabels: o.print.showLabels,
        labelColumns: o.print.labelColumns,
        withNamespace: o.allNamespaces && g.namespaced,
        kind: g.kind,
        extraColumns: extraColumns(g.resource),
      });
      const text = p.print(g.table);
      if (!text) continue;
      if (out && !o.print.noHeaders) out += '\n';
      out += text;
    }
    result.stdout = out;
  } else {
    const all: { o: KubeObjectLike; order: number }[] = [];
    for (const fe of fetched) {
      for (const p of fe.parts) {
        if (p.request.mapping.namespaced) anyNamespaced = true;
        for (const obj of p.objects ?? []) all.push({ o: fe.target.member ? markCluster(obj, fe.target.name) : obj, order: fe.order });
      }
    }
    let items = all.sort(objOrder);
    if (o.print.sortBy) items = await sortBy(items, o.print.sortBy, (x) => x.o);
    count = items.length;
    const printer = await printers.createPrinter(o.print);
    // kubectl prints a lone named object as itself; anything else (and every multi-cluster result) as one List
    const singleImplied = targets.length === 1 && types.length === 1 && ((args.types?.length === 1 && args.names?.length === 1) || args.pairs?.length === 1);
    try {
      if (singleImplied) result.stdout = items.length ? printer.printObject(items[0].o as never) : '';
      else result.stdout = printer.printList(items.map((x) => x.o as never));
    } catch (e) {
      if (e instanceof printers.PrintError) throw new UserError(e.message);
      throw e;
    }
  }

  if (count === 0 && !errors.length && !o.ignoreNotFound && human) {
    if (o.scope === 'members' && targets.length === 0) result.notice = 'No member Clusters found in Karmada control plane';
    else if (anyNamespaced && !o.allNamespaces && types.every((t) => t.namespaced)) result.notice = `No resources found in ${namespace} namespace.`;
    else result.notice = 'No resources found';
  }
  return result;
}

/** A copy of a member object marked with its cluster. */
export function markCluster(obj: KubeObjectLike, cluster: string): KubeObjectLike {
  const metadata = { ...(obj.metadata ?? {}) };
  metadata.annotations = { ...((metadata.annotations as Record<string, string> | undefined) ?? {}), [CLUSTER_ANNOTATION]: cluster };
  return { ...obj, metadata };
}

// ------------------------------------------------------------------------------------ watch

export interface WatchSinks {
  out(text: string): void;
  error(e: TargetError): void;
  warn(text: string): void;
}

/**
 * `get --watch` / `--watch-only`: list (unless watch-only) and then watch every target, one stream
 * each, multiplexed into one output; ends when every stream has ended. Returns the number of targets
 * that failed (listing or watching).
 */
export async function runGetWatch(f: Factory, o: GetOptions, sinks: WatchSinks, signal?: AbortSignal): Promise<number> {
  const { args, warnings } = validateGet(o);
  for (const w of warnings) sinks.warn(w);
  const printers = await import('../kubectl/printers');
  defaultTableFn = (objs) => printers.defaultTable(objs);
  const human = printers.isHumanReadable(o.print);
  const { namespace } = await f.namespace();
  const targets = await targetsOf(f, o, o.clusterTimeoutMs);
  // resolve per target first: one resource type for the whole run, as kubectl requires
  const resolved = await Promise.all(
    targets.map(async (t) => {
      try {
        const rs = resolve(await t.mapper(), args);
        return { t, rs };
      } catch (e) {
        return { t, e };
      }
    }),
  );
  let failed = 0;
  const ok = resolved.filter((r) => r.rs) as { t: Target; rs: ResourceRequest[] }[];
  for (const r of resolved) {
    if (r.e && !(r.e instanceof UnknownResourceTypeError && ok.length)) {
      failed++;
      sinks.error(classify(r.t, r.e, o.clusterTimeoutMs));
    }
  }
  if (!ok.length) return failed || 1;
  const kinds = new Set(ok.flatMap((r) => r.rs.map((x) => key(x.mapping))));
  if (kinds.size > 1 || ok.some((r) => r.rs.length !== 1)) throw new UserError('watch is only supported on individual resources and resource collections - more than 1 resource was found');
  const mapping = ok[0].rs[0].mapping;
  const names = ok[0].rs[0].names;
  if (names.length > 1) throw new UserError('watch is only supported on individual resources and resource collections - more than 1 resource was found');

  const table = human
    ? new printers.TablePrinter<Row>({
        wide: o.print.format === 'wide',
        noHeaders: o.print.noHeaders,
        showLabels: o.print.showLabels,
        labelColumns: o.print.labelColumns,
        withNamespace: o.allNamespaces && mapping.namespaced,
        kind: o.print.showKind ? { kind: mapping.kind, group: mapping.group } : undefined,
        extraColumns: extraColumns(mapping.resource, false),
      })
    : undefined;
  const printer = human ? undefined : await printers.createPrinter(o.print);
  let columns: Table['columnDefinitions'] | undefined;
  const emit = (tbl: Table | undefined, obj: KubeObjectLike | undefined, t: Target, order: number, type: string) => {
    try {
      if (table && tbl) {
        if (tbl.columnDefinitions?.length) columns ??= tbl.columnDefinitions;
        const rows = (tbl.rows ?? []).map((r) => ({ ...r, cluster: t.name, order }));
        if (!rows.length) return;
        sinks.out(table.print({ columnDefinitions: columns ?? tbl.columnDefinitions ?? [], rows }, o.outputWatchEvents ? { eventType: type } : {}));
      } else if (printer && obj) {
        const marked = t.member ? markCluster(obj, t.name) : obj;
        sinks.out(o.outputWatchEvents ? printer.printEvent(type, marked as never) : printer.printObject(marked as never));
      }
    } catch (e) {
      if (e instanceof printers.PrintError) throw new UserError(e.message);
      throw e;
    }
  };

  const headers = human ? { Accept: TABLE_ACCEPT } : undefined;
  const baseQuery: Record<string, string | undefined> = { labelSelector: o.labelSelector || undefined, fieldSelector: o.fieldSelector || undefined };
  if (names.length) baseQuery.fieldSelector = [`metadata.name=${names[0]}`, o.fieldSelector].filter(Boolean).join(',');
  const ns = mapping.namespaced && !o.allNamespaces ? namespace : undefined;
  const path = collectionPath(mapping, ns);

  const order = new Map(targets.map((t, i) => [t.name, i]));
  // 1. initial lists, in target order (so the first rows come out sorted)
  const lists = await Promise.all(
    ok.map(async ({ t }) => {
      const deadline = o.clusterTimeoutMs > 0 ? AbortSignal.timeout(o.clusterTimeoutMs) : undefined;
      try {
        const body = await withDeadline(t.client.request<Record<string, unknown> & { metadata?: { resourceVersion?: string } }>('GET', path, { headers, signal: deadline, query: baseQuery }), deadline);
        return { t, body };
      } catch (e) {
        return { t, e };
      }
    }),
  );
  const live: { t: Target; rv: string }[] = [];
  for (const l of lists) {
    if (l.e) {
      failed++;
      sinks.error(classify(l.t, l.e, o.clusterTimeoutMs));
      continue;
    }
    const body = l.body!;
    const idx = order.get(l.t.name)!;
    if (!o.watchOnly) {
      if (human) {
        const tbl = body.kind === 'Table' ? (body as unknown as Table) : printers.defaultTable(((body.items as KubeObjectLike[]) ?? []));
        const rows = [...(tbl.rows ?? [])].map((r) => ({ ...r, cluster: l.t.name, order: idx })).sort(rowOrder);
        emit({ ...tbl, rows }, undefined, l.t, idx, 'ADDED');
      } else {
        const apiVersion = mapping.group ? `${mapping.group}/${mapping.version}` : mapping.version;
        for (const i of ((body.items as KubeObjectLike[]) ?? []).sort((a, b) => objOrder({ o: a, order: 0 }, { o: b, order: 0 }))) emit(undefined, { apiVersion, kind: mapping.kind, ...i }, l.t, idx, 'ADDED');
      }
    }
    live.push({ t: l.t, rv: body.metadata?.resourceVersion ?? '' });
  }

  // 2. one watch per target, until every stream ends
  await Promise.all(
    live.map(async ({ t, rv }) => {
      const idx = order.get(t.name)!;
      try {
        for await (const ev of t.client.watchPath<Record<string, unknown>>(path, { headers, signal, query: { ...baseQuery, resourceVersion: rv || undefined } })) {
          if (ev.type === 'BOOKMARK') continue;
          const obj = ev.object;
          if (human) emit(obj.kind === 'Table' ? (obj as unknown as Table) : printers.defaultTable([obj as KubeObjectLike]), undefined, t, idx, ev.type);
          else emit(undefined, obj as KubeObjectLike, t, idx, ev.type);
        }
      } catch (e) {
        if (e instanceof UserError && !(e instanceof KubeConnectionError)) throw e;
        failed++;
        sinks.error(classify(t, e, o.clusterTimeoutMs));
      }
    }),
  );
  return failed;
}
