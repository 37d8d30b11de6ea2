/**
 * RBAC for the test API server (option `rbac: true`): requests are authorized from the Roles,
 * ClusterRoles, RoleBindings and ClusterRoleBindings in the store, as kube-apiserver's RBAC authorizer
 * does (system:masters always allowed; aggregated ClusterRoles by their aggregationRule). The server's
 * bootstrap roles that this CLI's flows rely on are seeded: system:basic-user, system:discovery,
 * system:public-info-viewer and system:node-bootstrapper with their default bindings.
 */
import type { Authorizer, User } from './server';
import type { Obj, Store } from './store';
import type { Registry } from './registry';

interface Rule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}
interface Subject {
  kind: string;
  name: string;
  namespace?: string;
  apiGroup?: string;
}

function subjectMatches(s: Subject, u: User, bindingNs: string | undefined): boolean {
  if (s.kind === 'User') return s.name === u.name;
  if (s.kind === 'Group') return u.groups.includes(s.name);
  if (s.kind === 'ServiceAccount') return u.name === `system:serviceaccount:${s.namespace ?? bindingNs}:${s.name}`;
  return false;
}

const has = (list: string[] | undefined, v: string) => (list ?? []).includes('*') || (list ?? []).includes(v);

function resourceMatches(rule: Rule, resource: string): boolean {
  const rs = rule.resources ?? [];
  if (rs.includes('*') || rs.includes(resource)) return true;
  const [main, sub] = resource.split('/');
  return sub ? rs.includes(`*/${sub}`) || rs.includes(`${main}/*`) : false;
}

function ruleAllows(r: Rule, verb: string, resource: string, group: string, name: string | undefined): boolean {
  if (!has(r.verbs, verb) || !has(r.apiGroups, group) || !resourceMatches(r, resource)) return false;
  if (r.resourceNames?.length) return name !== undefined && r.resourceNames.includes(name);
  return true;
}

function nonResourceAllows(r: Rule, verb: string, path: string): boolean {
  if (!has(r.verbs, verb)) return false;
  return (r.nonResourceURLs ?? []).some((u) => u === '*' || u === path || (u.endsWith('*') && path.startsWith(u.slice(0, -1))));
}

export const BOOTSTRAP_ROLES: Obj[] = [
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'system:basic-user', labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } }, rules: [{ apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], verbs: ['create'] }, { apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'], verbs: ['create'] }] },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'system:discovery', labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } }, rules: [{ nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'], verbs: ['get'] }] },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'system:public-info-viewer', labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } }, rules: [{ nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'], verbs: ['get'] }] },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'system:node-bootstrapper', labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } }, rules: [{ apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests'], verbs: ['create', 'get', 'list', 'watch'] }] },
  ...[
    ['system:basic-user', 'system:authenticated'],
    ['system:discovery', 'system:authenticated'],
    ['system:public-info-viewer', 'system:authenticated'],
  ].map(([role, group]) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: role, labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: group }] })),
];

export class Rbac {
  constructor(private readonly store: Store, private readonly registry: Registry) {}

  private defOf(kind: string) {
    return this.registry.byKind('rbac.authorization.k8s.io/v1', kind)!;
  }

  private clusterRoleRules(name: string): Rule[] {
    const cr = this.store.get(this.defOf('ClusterRole'), undefined, name);
    if (!cr) return [];
    const rules: Rule[] = [...(cr.rules ?? [])];
    for (const sel of cr.aggregationRule?.clusterRoleSelectors ?? []) {
      for (const other of this.store.list(this.defOf('ClusterRole'))) {
        if (other.metadata.name === name) continue;
        const labels = other.metadata.labels ?? {};
        if (Object.entries(sel.matchLabels ?? {}).every(([k, v]) => labels[k] === v)) rules.push(...(other.rules ?? []));
      }
    }
    return rules;
  }

  private rulesFor(u: User, ns: string | undefined): Rule[] {
    const rules: Rule[] = [];
    for (const b of this.store.list(this.defOf('ClusterRoleBinding'))) {
      if (!(b.subjects ?? []).some((s: Subject) => subjectMatches(s, u, undefined))) continue;
      if (b.roleRef?.kind === 'ClusterRole') rules.push(...this.clusterRoleRules(b.roleRef.name));
    }
    if (ns) {
      for (const b of this.store.list(this.defOf('RoleBinding'), ns)) {
        if (!(b.subjects ?? []).some((s: Subject) => subjectMatches(s, u, ns))) continue;
        if (b.roleRef?.kind === 'ClusterRole') rules.push(...this.clusterRoleRules(b.roleRef.name));
        else if (b.roleRef?.kind === 'Role') rules.push(...(this.store.get(this.defOf('Role'), ns, b.roleRef.name)?.rules ?? []));
      }
    }
    return rules;
  }

  /** The resource authorizer the server calls (the same signature as a test's own). */
  readonly authorize: Authorizer = (u, verb, resource, group, ns, name) => {
    if (u.groups.includes('system:masters')) return true;
    return this.rulesFor(u, ns).some((r) => ruleAllows(r, verb, resource, group, name));
  };

  /** GET /version and friends. */
  allowsPath(u: User, verb: string, path: string): boolean {
    if (u.groups.includes('system:masters')) return true;
    return this.rulesFor(u, undefined).some((r) => nonResourceAllows(r, verb, path));
  }

  seed(): void {
    for (const o of BOOTSTRAP_ROLES) {
      const def = this.defOf(o.kind);
      if (!this.store.get(def, undefined, o.metadata.name)) this.store.put(def, structuredClone(o));
    }
  }
}
