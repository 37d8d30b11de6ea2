/**
 * `api-resources` and `api-versions` (kubectl's, bound to the karmada-apiserver or, with
 * `-s members --cluster X`, to a member through the cluster proxy). Domain module: returns text.
 */
import { UserError, UsageError } from '../errors';
import type { APIResource } from '../kubectl/discovery';
import type { Factory, Target } from '../kubectl/factory';
import type { OperationScope } from '../kubectl/flags';

export interface TargetSelection {
  scope: OperationScope;
  cluster: string;
}

/** The reference's validation: `all` rejected, members needs --cluster; --cluster without members is ignored (warned). */
export function validateScope(s: TargetSelection): string[] {
  if (s.scope === 'all') throw new UserError('not support operation scope: all', { hint: 'use --operation-scope=karmada or --operation-scope=members --cluster=NAME' });
  if (s.scope === 'members' && !s.cluster) throw new UserError('must specify a member cluster', { hint: 'add --cluster=NAME (see `get clusters`)' });
  if (s.scope === 'karmada' && s.cluster) return [`--cluster is ignored in the karmada operation scope; add --operation-scope=members to read cluster ${s.cluster}`];
  return [];
}

export async function targetFor(f: Factory, s: TargetSelection): Promise<Target> {
  return s.scope === 'members' ? f.forCluster(s.cluster) : f.karmada();
}

export function unexpectedArgs(args: string[], path: string): void {
  if (args.length) throw new UsageError(`unexpected arguments: [${args.join(' ')}]`, { hint: `See '${path} -h' for help and examples` });
}

export interface ApiResourcesOptions extends TargetSelection {
  output: '' | 'wide' | 'name' | 'json' | 'yaml' | 'kyaml';
  noHeaders: boolean;
  /** undefined = not given (no filter). */
  namespaced?: boolean;
  /** undefined = not given. */
  apiGroup?: string;
  verbs: string[];
  categories: string[];
  sortBy: '' | 'name' | 'kind';
  cached: boolean;
}

export interface FlatResource extends APIResource {
  group: string;
  version: string;
}

/** ServerPreferredResources: per group, each resource once, from the first (preferred) version serving it; no subresources, none without verbs. */
export async function preferredResources(t: Target): Promise<{ resources: FlatResource[]; failed: Map<string, Error> }> {
  const d = await t.discovery.all();
  const out: FlatResource[] = [];
  for (const g of d.groups) {
    const pref = g.preferredVersion?.version;
    const versions = [...g.versions].sort((a, b) => (a.version === pref ? -1 : b.version === pref ? 1 : 0));
    const seen = new Set<string>();
    for (const v of versions) {
      for (const r of d.resources.get(v.groupVersion)?.resources ?? []) {
        if (r.name.includes('/') || seen.has(r.name)) continue;
        seen.add(r.name);
        if (!r.verbs?.length) continue;
        out.push({ ...r, group: g.name, version: v.version });
      }
    }
  }
  return { resources: out, failed: d.failed };
}

export async function runApiResources(f: Factory, o: ApiResourcesOptions): Promise<{ stdout: string; errors: string[] }> {
  const t = await targetFor(f, o);
  if (!o.cached) t.discovery.invalidate();
  const { resources, failed } = await preferredResources(t);
  let list = resources.filter((r) => {
    if (o.apiGroup !== undefined && r.group !== o.apiGroup) return false;
    if (o.namespaced !== undefined && r.namespaced !== o.namespaced) return false;
    if (o.verbs.length && !o.verbs.every((v) => r.verbs.includes(v))) return false;
    if (o.categories.length && !o.categories.every((c) => (r.categories ?? []).includes(c))) return false;
    return true;
  });
  const keyOf = (r: FlatResource) => (o.sortBy === 'name' ? r.name : o.sortBy === 'kind' ? r.kind : r.group);
  list = list
    .map((r, i) => ({ r, i }))
    .sort((a, b) => cmp(keyOf(a.r), keyOf(b.r)) || cmp(a.r.name, b.r.name) || a.i - b.i)
    .map((x) => x.r);
  const errors = [...failed].map(([gv, e]) => `unable to retrieve the complete list of server APIs: ${gv}: ${e.message.replace(/^Error from server \([A-Za-z]+\): /, '')}`);
  let stdout = '';
  switch (o.output) {
    case 'name':
      stdout = list.map((r) => (r.group ? `${r.name}.${r.group}\n` : `${r.name}\n`)).join('');
      break;
    case 'json':
    case 'yaml':
    case 'kyaml': {
      const doc = {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: '',
        resources: list.map((r) => ({
          name: r.name,
          singularName: r.singularName,
          namespaced: r.namespaced,
          ...(r.group ? { group: r.group } : {}),
          version: r.version,
          kind: r.kind,
          verbs: r.verbs,
          ...(r.shortNames?.length ? { shortNames: r.shortNames } : {}),
          ...(r.categories?.length ? { categories: r.categories } : {}),
          ...(r.storageVersionHash ? { storageVersionHash: r.storageVersionHash } : {}),
        })),
      };
      if (o.output === 'json') stdout = `${JSON.stringify(doc, null, 4)}\n`;
      else {
        const { loadYaml } = await import('../kubectl/printers');
        stdout = (await loadYaml())(doc as never);
      }
      break;
    }
    default: {
      const { TabWriter } = await import('../kubectl/printers');
      const wide = o.output === 'wide';
      const lines: string[][] = [];
      if (!o.noHeaders) lines.push(['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND', ...(wide ? ['VERBS', 'CATEGORIES'] : [])]);
      for (const r of list) {
        const gv = r.group ? `${r.group}/${r.version}` : r.version;
        lines.push([r.name, (r.shortNames ?? []).join(','), gv, String(r.namespaced), r.kind, ...(wide ? [r.verbs.join(','), (r.categories ?? []).join(',')] : [])]);
      }
      stdout = new TabWriter().format(lines);
    }
  }
  return { stdout, errors };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export async function runApiVersions(f: Factory, s: TargetSelection): Promise<string> {
  const t = await targetFor(f, s);
  t.discovery.invalidate();
  let groups;
  try {
    groups = await t.discovery.groups();
  } catch (e) {
    throw new UserError(`couldn't get available api versions from server: ${(e as Error).message}`, { hint: (e as { hint?: string }).hint, cause: e });
  }
  const versions = groups.flatMap((g) => g.versions.map((v) => v.groupVersion)).sort(cmp);
  return versions.map((v) => `${v}\n`).join('');
}
