/** Resource definitions served by the test API server: built-ins, plus those added by CRDs and APIServices. */
export interface ResourceDef {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  subresources: string[];
  /** Where it came from: built in, a CRD, or an aggregated APIService. */
  origin: 'builtin' | 'crd' | 'aggregated';
  verbs?: string[];
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

const b = (group: string, version: string, kind: string, plural: string, namespaced: boolean, subresources: string[] = [], shortNames?: string[]): ResourceDef => ({
  group,
  version,
  kind,
  plural,
  singular: kind.toLowerCase(),
  namespaced,
  subresources,
  shortNames,
  origin: 'builtin',
});

export const BUILTINS: ResourceDef[] = [
  b('', 'v1', 'Namespace', 'namespaces', false, ['status', 'finalize'], ['ns']),
  b('', 'v1', 'Node', 'nodes', false, ['status'], ['no']),
  b('', 'v1', 'Pod', 'pods', true, ['status', 'log', 'eviction'], ['po']),
  b('', 'v1', 'Service', 'services', true, ['status'], ['svc']),
  b('', 'v1', 'Secret', 'secrets', true),
  b('', 'v1', 'ConfigMap', 'configmaps', true, [], ['cm']),
  b('', 'v1', 'ServiceAccount', 'serviceaccounts', true, ['token'], ['sa']),
  b('', 'v1', 'Event', 'events', true, [], ['ev']),
  b('', 'v1', 'Endpoints', 'endpoints', true, [], ['ep']),
  b('', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', true, ['status'], ['pvc']),
  b('', 'v1', 'PersistentVolume', 'persistentvolumes', false, ['status'], ['pv']),
  b('apps', 'v1', 'Deployment', 'deployments', true, ['status', 'scale'], ['deploy']),
  b('apps', 'v1', 'StatefulSet', 'statefulsets', true, ['status', 'scale'], ['sts']),
  b('apps', 'v1', 'DaemonSet', 'daemonsets', true, ['status'], ['ds']),
  b('apps', 'v1', 'ReplicaSet', 'replicasets', true, ['status', 'scale'], ['rs']),
  b('batch', 'v1', 'Job', 'jobs', true, ['status']),
  b('batch', 'v1', 'CronJob', 'cronjobs', true, ['status'], ['cj']),
  b('', 'v1', 'ResourceQuota', 'resourcequotas', true, ['status'], ['quota']),
  b('networking.k8s.io', 'v1', 'Ingress', 'ingresses', true, ['status'], ['ing']),
  b('rbac.authorization.k8s.io', 'v1', 'Role', 'roles', true),
  b('rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'rolebindings', true),
  b('rbac.authorization.k8s.io', 'v1', 'ClusterRole', 'clusterroles', false),
  b('rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', 'clusterrolebindings', false),
  b('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', 'customresourcedefinitions', false, ['status'], ['crd', 'crds']),
  b('apiregistration.k8s.io', 'v1', 'APIService', 'apiservices', false, ['status']),
  b('admissionregistration.k8s.io', 'v1', 'MutatingWebhookConfiguration', 'mutatingwebhookconfigurations', false),
  b('admissionregistration.k8s.io', 'v1', 'ValidatingWebhookConfiguration', 'validatingwebhookconfigurations', false),
  b('certificates.k8s.io', 'v1', 'CertificateSigningRequest', 'certificatesigningrequests', false, ['approval', 'status'], ['csr']),
  b('coordination.k8s.io', 'v1', 'Lease', 'leases', true),
  b('storage.k8s.io', 'v1', 'StorageClass', 'storageclasses', false, [], ['sc']),
  b('scheduling.k8s.io', 'v1', 'PriorityClass', 'priorityclasses', false, [], ['pc']),
  b('policy', 'v1', 'PodDisruptionBudget', 'poddisruptionbudgets', true, ['status'], ['pdb']),
];

/** What karmada-aggregated-apiserver (and friends) serve once their APIService is registered. */
export const DEFAULT_AGGREGATED: ResourceDef[] = [
  { group: 'cluster.karmada.io', version: 'v1alpha1', kind: 'Cluster', plural: 'clusters', singular: 'cluster', namespaced: false, subresources: ['status', 'proxy'], origin: 'aggregated' },
  { group: 'search.karmada.io', version: 'v1alpha1', kind: 'ResourceRegistry', plural: 'resourceregistries', singular: 'resourceregistry', namespaced: false, subresources: ['status'], origin: 'aggregated' },
  { group: 'metrics.k8s.io', version: 'v1beta1', kind: 'PodMetrics', plural: 'pods', singular: '', namespaced: true, subresources: [], origin: 'aggregated', verbs: ['get', 'list'] },
  { group: 'metrics.k8s.io', version: 'v1beta1', kind: 'NodeMetrics', plural: 'nodes', singular: '', namespaced: false, subresources: [], origin: 'aggregated', verbs: ['get', 'list'] },
];

export class Registry {
  private defs: ResourceDef[] = [...BUILTINS];

  all(): ResourceDef[] {
    return this.defs;
  }
  byPath(group: string, version: string, plural: string): ResourceDef | undefined {
    return this.defs.find((d) => d.group === group && d.version === version && d.plural === plural);
  }
  byKind(apiVersion: string, kind: string): ResourceDef | undefined {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    return this.defs.find((d) => d.group === group && d.version === version && d.kind === kind);
  }
  add(defs: ResourceDef[]): void {
    for (const d of defs) {
      this.defs = this.defs.filter((x) => !(x.group === d.group && x.version === d.version && x.plural === d.plural));
      this.defs.push(d);
    }
  }
  remove(pred: (d: ResourceDef) => boolean): void {
    this.defs = this.defs.filter((d) => !pred(d));
  }
  groups(): { group: string; versions: string[] }[] {
    const m = new Map<string, Set<string>>();
    for (const d of this.defs) if (d.group) (m.get(d.group) ?? m.set(d.group, new Set()).get(d.group)!).add(d.version);
    return [...m].map(([group, v]) => ({ group, versions: [...v] }));
  }
  resourceList(group: string, version: string) {
    const defs = this.defs.filter((d) => d.group === group && d.version === version);
    if (!defs.length) return undefined;
    const resources: object[] = [];
    for (const d of defs) {
      resources.push({ name: d.plural, singularName: d.singular, namespaced: d.namespaced, kind: d.kind, verbs: d.verbs ?? ALL_VERBS, ...(d.shortNames ? { shortNames: d.shortNames } : {}) });
      for (const s of d.subresources) resources.push({ name: `${d.plural}/${s}`, singularName: '', namespaced: d.namespaced, kind: s === 'scale' ? 'Scale' : d.kind, verbs: ['get', 'patch', 'update'] });
    }
    return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
  }
}

export const apiVersionOf = (d: ResourceDef) => (d.group ? `${d.group}/${d.version}` : d.version);
/** kubectl-style qualified resource name used in messages: `deployments.apps`. */
export const qualified = (d: ResourceDef) => (d.group ? `${d.plural}.${d.group}` : d.plural);
