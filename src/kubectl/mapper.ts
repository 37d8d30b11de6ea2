/**
 * kubectl's REST mapper over discovery (client-go restmapper: the priority mapper over the discovered
 * groups, wrapped in the short-name expander; cli-runtime's category expander and mappingFor):
 * `deploy`, `deployments`, `deployment`, `deployment.apps`, `deploy.apps`, `deployments.v1.apps`,
 * `Deployment`, `Deployment.apps`, `Deployment.v1.apps`, categories (`all`). When several groups serve
 * a name, the first group in discovery order wins (core first), and the preferred version within it.
 */
import type { DiscoveryResult } from './discovery';

export interface RESTMapping {
  group: string;
  version: string;
  /** Plural resource name (`deployments`). */
  resource: string;
  kind: string;
  namespaced: boolean;
  singular: string;
  verbs: string[];
  shortNames: string[];
  categories: string[];
}

/** `apps/v1` or `v1`. */
export const apiVersionOf = (m: { group: string; version: string }) => (m.group ? `${m.group}/${m.version}` : m.version);
/** kubectl's `deployments.apps` (core: `pods`). */
export const groupResource = (m: { group: string; resource: string }) => (m.group ? `${m.resource}.${m.group}` : m.resource);
/** `deployment.apps` as kubectl's name printer and `-o name` write it. */
export const kindGroup = (m: { group: string; kind: string }) => (m.group ? `${m.kind.toLowerCase()}.${m.group}` : m.kind.toLowerCase());

/** Collection path of a mapping, e.g. `/apis/apps/v1/namespaces/default/deployments`. */
export function collectionPath(m: RESTMapping, namespace?: string): string {
  const prefix = m.group ? `/apis/${m.group}/${m.version}` : `/api/${m.version}`;
  return `${prefix}${m.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : ''}/${m.resource}`;
}

export function objectPath(m: RESTMapping, namespace: string | undefined, name: string): string {
  return `${collectionPath(m, namespace)}/${encodeURIComponent(name)}`;
}

/** The builder's error for a type the server does not serve (kubectl's text). */
export class UnknownResourceTypeError extends Error {
  constructor(readonly resource: string) {
    super(`the server doesn't have a resource type "${resource}"`);
    this.name = 'UnknownResourceTypeError';
  }
}

export class RESTMapper {
  /** Every (non-sub)resource in priority order: groups in discovery order, preferred version first. */
  readonly mappings: RESTMapping[] = [];

  constructor(readonly discovery: DiscoveryResult) {
    for (const g of discovery.groups) {
      const versions = [...g.versions];
      const pref = g.preferredVersion?.version;
      versions.sort((a, b) => (a.version === pref ? -1 : b.version === pref ? 1 : 0));
      for (const v of versions) {
        const list = discovery.resources.get(v.groupVersion);
        for (const r of list?.resources ?? []) {
          if (r.name.includes('/')) continue;
          this.mappings.push({
            group: r.group ?? g.name,
            version: r.version ?? v.version,
            resource: r.name,
            kind: r.kind,
            namespaced: r.namespaced,
            singular: r.singularName || r.kind.toLowerCase(),
            verbs: r.verbs ?? [],
            shortNames: r.shortNames ?? [],
            categories: r.categories ?? [],
          });
        }
      }
    }
  }

  /** Category expansion (`all`): the resources in that category, in discovery order; undefined if no such category. */
  expandCategory(name: string): RESTMapping[] | undefined {
    const seen = new Set<string>();
    const out: RESTMapping[] = [];
    for (const m of this.mappings) {
      if (!m.categories.includes(name)) continue;
      const k = groupResource(m);
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(m);
    }
    return out.length ? out : undefined;
  }

  /** client-go's shortcut expander: short names become resources unless the input is already a resource or singular name. */
  private expandShortcut(resource: string, group: string): { resource: string; group: string } {
    for (const m of this.mappings) {
      if (group && m.group !== group) continue;
      if (m.resource === resource || m.singular === resource) return { resource, group };
    }
    for (const m of this.mappings) {
      if (group && m.group !== group) continue;
      if (m.shortNames.includes(resource)) return { resource: m.resource, group: m.group };
    }
    if (!group) return { resource, group };
    // group prefixes (`hpa.autoscal`)
    for (const m of this.mappings) {
      if (m.group.startsWith(group) && m.shortNames.includes(resource)) return { resource: m.resource, group: m.group };
    }
    return { resource, group };
  }

  /** Resources matching a (possibly partial) group/version/resource, like ResourcesFor with the lower-case fallback. */
  private byResource(resource: string, group: string, version: string): RESTMapping | undefined {
    const r = resource.toLowerCase();
    const exp = this.expandShortcut(r, group);
    const match = (m: RESTMapping) => (!exp.group || m.group === exp.group) && (!version || m.version === version) && (m.resource === exp.resource || m.singular === exp.resource);
    return this.mappings.find(match);
  }

  private byKind(kind: string, group: string, version: string): RESTMapping | undefined {
    return this.mappings.find((m) => m.kind === kind && (!group || m.group === group) && (!version || m.version === version));
  }

  /** cli-runtime Builder.mappingFor: resource forms first, then kind forms; unknown → kubectl's error. */
  mappingFor(arg: string): RESTMapping {
    const dots = arg.split('.');
    // resource.version.group
    if (dots.length >= 3) {
      const m = this.byResource(dots[0], dots.slice(2).join('.'), dots[1]);
      if (m) return m;
    }
    // resource.group (group may contain dots)
    const [res, ...grp] = dots;
    const gr = { resource: res, group: grp.join('.') };
    const m = this.byResource(gr.resource, gr.group, '');
    if (m) return m;
    // Kind.version.group, then Kind.group
    if (dots.length >= 3) {
      const k = this.byKind(dots[0], dots.slice(2).join('.'), dots[1]);
      if (k) return k;
    }
    const k = this.byKind(res, grp.join('.'), '');
    if (k) return k;
    throw new UnknownResourceTypeError(gr.resource);
  }

  /** The mapping for an object's apiVersion + kind (objects from files). */
  mappingForKind(apiVersion: string, kind: string): RESTMapping | undefined {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    return this.byKind(kind, group, version);
  }
}
