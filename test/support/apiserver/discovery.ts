/**
 * Aggregated discovery (apidiscovery.k8s.io/v2, and v2beta1) as kube-apiserver ≥ 1.30 serves it:
 * `GET /api` and `GET /apis` with `Accept: application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList`
 * return every group, version and resource in one document (Content-Type naming the type, which
 * client-go checks). Also adds the `categories` the real server reports (`all` for the workload kinds,
 * a CRD's spec.names.categories) to the legacy per-group-version lists. `enabled = false` makes the
 * server a legacy one (plain APIVersions / APIGroupList whatever the Accept header).
 */
import type { IncomingMessage } from 'node:http';
import type { ServerExtension } from './ext';
import type { ResourceDef } from './registry';
import type { ApiCore } from './server';

export const ALL_CATEGORY = new Set(['/pods', '/services', '/replicationcontrollers', 'apps/deployments', 'apps/replicasets', 'apps/statefulsets', 'apps/daemonsets', 'batch/jobs', 'batch/cronjobs', 'autoscaling/horizontalpodautoscalers']);
const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export function categoriesOf(core: ApiCore, d: ResourceDef): string[] | undefined {
  if (d.origin === 'crd') {
    try {
      const crd = core.store.get(core.defFor('apiextensions.k8s.io/v1', 'CustomResourceDefinition'), undefined, `${d.plural}.${d.group}`);
      const c = crd?.spec?.names?.categories as string[] | undefined;
      return c?.length ? c : undefined;
    } catch {
      return undefined;
    }
  }
  return ALL_CATEGORY.has(`${d.group}/${d.plural}`) ? ['all'] : undefined;
}

/** The aggregated-discovery version the client asks for first, if any. */
export function wantsAggregated(req: IncomingMessage): 'v2' | 'v2beta1' | undefined {
  for (const part of String(req.headers.accept ?? '').split(',')) {
    const [type, ...ps] = part.split(';').map((x) => x.trim());
    const params = Object.fromEntries(ps.map((p) => p.split('=') as [string, string]));
    if (type === 'application/json' && params.g === 'apidiscovery.k8s.io' && params.as === 'APIGroupDiscoveryList' && (params.v === 'v2' || params.v === 'v2beta1')) return params.v;
    if (!params.as) return undefined;
  }
  return undefined;
}

function resourceEntry(core: ApiCore, d: ResourceDef) {
  // kube-apiserver leaves group and version empty when they are the containing group version's
  const responseKind = { group: '', version: '', kind: d.kind };
  const categories = categoriesOf(core, d);
  return {
    resource: d.plural,
    responseKind,
    scope: d.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: d.singular,
    verbs: d.verbs ?? ALL_VERBS,
    ...(d.shortNames?.length ? { shortNames: d.shortNames } : {}),
    ...(categories ? { categories } : {}),
    ...(d.subresources.length
      ? {
          subresources: d.subresources.map((s) => ({
            subresource: s,
            responseKind: s === 'scale' ? { group: 'autoscaling', version: 'v1', kind: 'Scale' } : responseKind,
            verbs: s === 'token' || s === 'eviction' ? ['create'] : s === 'log' ? ['get'] : ['get', 'patch', 'update'],
          })),
        }
      : {}),
  };
}

export function aggregatedDocument(core: ApiCore, which: '/api' | '/apis', version: string) {
  const defs = core.registry.all();
  const groups = which === '/api' ? [{ group: '', versions: ['v1'] }] : core.registry.groups();
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: groups.map((g) => ({
      metadata: { ...(g.group ? { name: g.group } : {}), creationTimestamp: null },
      versions: g.versions.map((v) => ({ version: v, resources: defs.filter((d) => d.group === g.group && d.version === v).map((d) => resourceEntry(core, d)), freshness: 'Current' })),
    })),
  };
}

export interface DiscoveryExtension extends ServerExtension {
  /** Serve aggregated discovery (default true). */
  enabled: boolean;
}

export function discoveryExtension(core: ApiCore): DiscoveryExtension {
  const ext: DiscoveryExtension = {
    enabled: true,
    transform(r, out) {
      if (r.method !== 'GET' || out.code !== 200) return out;
      const p = r.url.pathname.replace(/\/+$/, '');
      if ((p === '/api' || p === '/apis') && ext.enabled) {
        const v = wantsAggregated(r.req);
        if (v) return { code: 200, body: aggregatedDocument(core, p, v), headers: { ...out.headers, 'Content-Type': `application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList` } };
        return out;
      }
      const body = out.body as { kind?: string; groupVersion?: string; resources?: { name: string; categories?: string[] }[] };
      if (body?.kind === 'APIResourceList' && body.groupVersion) {
        const [g, v] = body.groupVersion.includes('/') ? body.groupVersion.split('/') : ['', body.groupVersion];
        for (const r2 of body.resources ?? []) {
          const d = core.registry.byPath(g, v, r2.name);
          const c = d && categoriesOf(core, d);
          if (c) r2.categories = c;
        }
      }
      return out;
    },
  };
  return ext;
}
