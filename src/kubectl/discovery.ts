/**
 * Discovery with kubectl's disk cache (client-go discovery/cached/disk): the same directory layout and
 * file format, so karmadactl and kubectl share one cache —
 *   <cache dir>/discovery/<host_port>[/<proxy path>]/servergroups.json            (APIGroupList)
 *   <cache dir>/discovery/<host_port>[/<proxy path>]/<group>/<version>/serverresources.json (APIResourceList)
 * where <cache dir> is $KUBECACHEDIR or ~/.kube/cache, files live 6 hours (by modification time), and
 * member clusters reached through the cluster proxy are cached under the proxy's sub-path.
 * Aggregated discovery (apidiscovery.k8s.io/v2: two requests for everything) where the server offers
 * it; the legacy /api + /apis + one request per group version otherwise.
 */
import { mkdir, readFile, rename, stat, writeFile, chmod } from 'node:fs/promises';
import path from 'node:path';
import type { KubeClient } from '../kube/client';
import { mapLimit } from '../kube/retry';

export interface GroupVersionForDiscovery {
  groupVersion: string;
  version: string;
}
export interface APIGroup {
  name: string;
  versions: GroupVersionForDiscovery[];
  preferredVersion?: GroupVersionForDiscovery;
}
export interface APIGroupList {
  kind: 'APIGroupList';
  apiVersion: 'v1';
  groups: APIGroup[];
}
export interface APIResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  storageVersionHash?: string;
}
export interface APIResourceList {
  kind: 'APIResourceList';
  apiVersion: 'v1';
  groupVersion: string;
  resources: APIResource[];
}

export interface DiscoveryResult {
  groups: APIGroup[];
  /** Resource lists by group version ("v1", "apps/v1"), in discovery order. */
  resources: Map<string, APIResourceList>;
  /** Group versions that could not be read (partial discovery). */
  failed: Map<string, Error>;
}

/** kubectl's Accept header for aggregated discovery (client-go discovery.AcceptV2 + v2beta1 + plain JSON). */
export const AGGREGATED_ACCEPT = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

export const DISCOVERY_TTL_MS = 6 * 60 * 60 * 1000;

/** `$KUBECACHEDIR`, else `~/.kube/cache` (cli-runtime getDefaultCacheDir). */
export function defaultCacheDir(env: NodeJS.ProcessEnv, homedir: string): string {
  return env.KUBECACHEDIR || path.join(homedir, '.kube', 'cache');
}

/** cli-runtime computeDiscoverCacheDir: scheme stripped, every character outside [\w/.()] replaced by `_`. */
export function discoveryCacheDir(cacheDir: string, host: string): string {
  const schemeless = host.replace('https://', '').replace('http://', '');
  const safe = schemeless.replace(/[^(\w/.)]/g, '_');
  return path.join(cacheDir, 'discovery', safe).replace(/(.)\/+$/, '$1');
}

interface AggregatedResource {
  resource: string;
  responseKind?: { group?: string; version?: string; kind?: string };
  scope?: 'Namespaced' | 'Cluster';
  singularResource?: string;
  verbs?: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: { subresource: string; responseKind?: { kind?: string }; verbs?: string[] }[];
}
interface AggregatedList {
  kind?: string;
  items?: { metadata?: { name?: string }; versions?: { version: string; resources?: AggregatedResource[]; freshness?: string }[] }[];
}

export class Discovery {
  private cached?: Promise<DiscoveryResult>;
  private invalidated = false;
  /** Files this process wrote (always fresh for it, as client-go's ourFiles). */
  private ours = new Set<string>();

  constructor(
    readonly client: KubeClient,
    /** The host's cache directory (discoveryCacheDir), or undefined for no disk cache. */
    readonly dir: string | undefined,
    private readonly o: { ttlMs?: number; now?: () => number; signal?: AbortSignal } = {},
  ) {}

  /** kubectl's Invalidate(): the next read ignores the disk cache (api-resources without --cached). */
  invalidate(): void {
    this.invalidated = true;
    this.cached = undefined;
  }

  /** Groups and every group version's resources (ServerGroupsAndResources). */
  all(): Promise<DiscoveryResult> {
    return (this.cached ??= this.load().catch((e) => {
      this.cached = undefined;
      throw e;
    }));
  }

  async groups(): Promise<APIGroup[]> {
    return (await this.all()).groups;
  }

  private async load(): Promise<DiscoveryResult> {
    const fromDisk = await this.readCache();
    if (fromDisk) return fromDisk;
    const live = await this.fetch();
    await this.writeCache(live);
    return live;
  }

  // ------------------------------------------------------------------ server

  private get<T>(p: string, accept?: string): Promise<T> {
    return this.client.request<T>('GET', p, { headers: accept ? { Accept: accept } : undefined, signal: this.o.signal });
  }

  private async fetch(): Promise<DiscoveryResult> {
    const [core, apis] = await Promise.all([
      this.get<AggregatedList & { versions?: string[] }>('/api', AGGREGATED_ACCEPT),
      this.get<AggregatedList & { groups?: APIGroup[] }>('/apis', AGGREGATED_ACCEPT),
    ]);
    if (core?.kind === 'APIGroupDiscoveryList' && apis?.kind === 'APIGroupDiscoveryList') {
      const out: DiscoveryResult = { groups: [], resources: new Map(), failed: new Map() };
      fromAggregated(core, out);
      fromAggregated(apis, out);
      return out;
    }
    // Legacy discovery: the group list, then one request per group version.
    const groups: APIGroup[] = [];
    const coreVersions = core?.kind === 'APIGroupDiscoveryList' ? (core.items ?? []).flatMap((i) => (i.versions ?? []).map((v) => v.version)) : (core?.versions ?? []);
    if (coreVersions.length) {
      const versions = coreVersions.map((v) => ({ groupVersion: v, version: v }));
      groups.push({ name: '', versions, preferredVersion: versions[0] });
    }
    const apiGroups = apis?.kind === 'APIGroupDiscoveryList' ? await this.get<{ groups?: APIGroup[] }>('/apis') : apis;
    groups.push(...(apiGroups?.groups ?? []));
    const gvs = groups.flatMap((g) => g.versions.map((v) => v.groupVersion));
    const resources = new Map<string, APIResourceList>();
    const failed = new Map<string, Error>();
    const lists = await mapLimit(gvs, 16, async (gv) => {
      try {
        return await this.get<APIResourceList>(gv.includes('/') ? `/apis/${gv}` : `/api/${gv}`);
      } catch (e) {
        failed.set(gv, e as Error);
        return undefined;
      }
    });
    gvs.forEach((gv, i) => {
      const l = lists[i];
      if (l) resources.set(gv, { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv, resources: l.resources ?? [] });
    });
    return { groups, resources, failed };
  }

  // ------------------------------------------------------------------ disk cache

  private file(gv?: string): string {
    if (!gv) return path.join(this.dir!, 'servergroups.json');
    const [g, v] = gv.includes('/') ? gv.split('/') : ['', gv];
    return path.join(this.dir!, g, v, 'serverresources.json');
  }

  private async readFresh<T>(file: string): Promise<T | undefined> {
    if (this.invalidated && !this.ours.has(file)) return undefined;
    try {
      const st = await stat(file);
      const now = this.o.now?.() ?? Date.now();
      if (now > st.mtimeMs + (this.o.ttlMs ?? DISCOVERY_TTL_MS)) return undefined;
      if (st.size > 64 * 1024 * 1024) return undefined; // bounded read
      return JSON.parse(await readFile(file, 'utf8')) as T;
    } catch {
      return undefined;
    }
  }

  private async readCache(): Promise<DiscoveryResult | undefined> {
    if (!this.dir) return undefined;
    const list = await this.readFresh<APIGroupList>(this.file());
    if (!list || !Array.isArray(list.groups)) return undefined;
    const groups = list.groups.map((g) => ({ ...g, name: g.name ?? '' }));
    const out: DiscoveryResult = { groups, resources: new Map(), failed: new Map() };
    const gvs = groups.flatMap((g) => (g.versions ?? []).map((v) => v.groupVersion));
    const lists = await Promise.all(gvs.map((gv) => this.readFresh<APIResourceList>(this.file(gv))));
    const missing: string[] = [];
    gvs.forEach((gv, i) => {
      const l = lists[i];
      if (l && Array.isArray(l.resources)) out.resources.set(gv, l);
      else missing.push(gv);
    });
    // A group version whose file expired or is missing is read from the server, as client-go does.
    await mapLimit(missing, 16, async (gv) => {
      try {
        const l = await this.get<APIResourceList>(gv.includes('/') ? `/apis/${gv}` : `/api/${gv}`);
        const list: APIResourceList = { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv, resources: l.resources ?? [] };
        out.resources.set(gv, list);
        await this.writeFileAtomic(this.file(gv), list);
      } catch (e) {
        out.failed.set(gv, e as Error);
      }
    });
    // keep discovery order
    out.resources = new Map(gvs.filter((gv) => out.resources.has(gv)).map((gv) => [gv, out.resources.get(gv)!]));
    return out;
  }

  private async writeCache(r: DiscoveryResult): Promise<void> {
    if (!this.dir) return;
    try {
      const list: APIGroupList = { kind: 'APIGroupList', apiVersion: 'v1', groups: r.groups };
      await this.writeFileAtomic(this.file(), list);
      for (const [gv, l] of r.resources) await this.writeFileAtomic(this.file(gv), l);
    } catch {
      /* an unwritable cache is not an error (kubectl logs it at -v 3) */
    }
  }

  private async writeFileAtomic(file: string, data: unknown): Promise<void> {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o750 });
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2, 10)}`;
    await writeFile(tmp, `${JSON.stringify(data)}\n`, { mode: 0o660 });
    await chmod(tmp, 0o660);
    await rename(tmp, file);
    this.ours.add(file);
  }
}

function fromAggregated(list: AggregatedList, out: DiscoveryResult): void {
  for (const item of list.items ?? []) {
    const name = item.metadata?.name ?? '';
    const versions: GroupVersionForDiscovery[] = [];
    for (const v of item.versions ?? []) {
      const gv = name ? `${name}/${v.version}` : v.version;
      versions.push({ groupVersion: gv, version: v.version });
      if (v.freshness === 'Stale') {
        out.failed.set(gv, new Error(`the server is currently unable to handle the request for ${gv} (stale discovery)`));
        continue;
      }
      const resources: APIResource[] = [];
      for (const r of v.resources ?? []) {
        const namespaced = r.scope === 'Namespaced';
        resources.push({
          name: r.resource,
          singularName: r.singularResource ?? '',
          namespaced,
          ...(r.responseKind?.group && r.responseKind.group !== name ? { group: r.responseKind.group } : {}), // '' = the containing group (kube-apiserver sends '')
          ...(r.responseKind?.version && r.responseKind.version !== v.version ? { version: r.responseKind.version } : {}),
          kind: r.responseKind?.kind ?? '',
          verbs: r.verbs ?? [],
          ...(r.shortNames?.length ? { shortNames: r.shortNames } : {}),
          ...(r.categories?.length ? { categories: r.categories } : {}),
        });
        for (const s of r.subresources ?? []) {
          resources.push({ name: `${r.resource}/${s.subresource}`, singularName: '', namespaced, kind: s.responseKind?.kind ?? '', verbs: s.verbs ?? [] });
        }
      }
      out.resources.set(gv, { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv, resources });
    }
    out.groups.push({ name, versions, preferredVersion: versions[0] });
  }
}
