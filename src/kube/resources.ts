/** apiVersion + kind → REST resource. Well-known kinds are resolved without a discovery round-trip. */
export interface ResourceInfo {
  /** Plural resource name, e.g. `deployments`. */
  name: string;
  namespaced: boolean;
}

const KNOWN: Record<string, Record<string, ResourceInfo>> = {
  v1: {
    Namespace: { name: 'namespaces', namespaced: false },
    Node: { name: 'nodes', namespaced: false },
    Pod: { name: 'pods', namespaced: true },
    Service: { name: 'services', namespaced: true },
    Secret: { name: 'secrets', namespaced: true },
    ConfigMap: { name: 'configmaps', namespaced: true },
    ServiceAccount: { name: 'serviceaccounts', namespaced: true },
    Event: { name: 'events', namespaced: true },
    Endpoints: { name: 'endpoints', namespaced: true },
    PersistentVolumeClaim: { name: 'persistentvolumeclaims', namespaced: true },
    PersistentVolume: { name: 'persistentvolumes', namespaced: false },
  },
  'apps/v1': {
    Deployment: { name: 'deployments', namespaced: true },
    StatefulSet: { name: 'statefulsets', namespaced: true },
    DaemonSet: { name: 'daemonsets', namespaced: true },
    ReplicaSet: { name: 'replicasets', namespaced: true },
  },
  'batch/v1': { Job: { name: 'jobs', namespaced: true } },
  'rbac.authorization.k8s.io/v1': {
    Role: { name: 'roles', namespaced: true },
    RoleBinding: { name: 'rolebindings', namespaced: true },
    ClusterRole: { name: 'clusterroles', namespaced: false },
    ClusterRoleBinding: { name: 'clusterrolebindings', namespaced: false },
  },
  'apiextensions.k8s.io/v1': { CustomResourceDefinition: { name: 'customresourcedefinitions', namespaced: false } },
  'apiregistration.k8s.io/v1': { APIService: { name: 'apiservices', namespaced: false } },
  'admissionregistration.k8s.io/v1': {
    MutatingWebhookConfiguration: { name: 'mutatingwebhookconfigurations', namespaced: false },
    ValidatingWebhookConfiguration: { name: 'validatingwebhookconfigurations', namespaced: false },
  },
  'certificates.k8s.io/v1': { CertificateSigningRequest: { name: 'certificatesigningrequests', namespaced: false } },
  'coordination.k8s.io/v1': { Lease: { name: 'leases', namespaced: true } },
  'storage.k8s.io/v1': { StorageClass: { name: 'storageclasses', namespaced: false } },
  'scheduling.k8s.io/v1': { PriorityClass: { name: 'priorityclasses', namespaced: false } },
  'policy/v1': { PodDisruptionBudget: { name: 'poddisruptionbudgets', namespaced: true } },
  'cluster.karmada.io/v1alpha1': { Cluster: { name: 'clusters', namespaced: false } },
};

export function knownResource(apiVersion: string, kind: string): ResourceInfo | undefined {
  return KNOWN[apiVersion]?.[kind];
}

/** `/api/v1` or `/apis/<group>/<version>`. */
export function apiPrefix(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

export function resourcePath(apiVersion: string, r: ResourceInfo, namespace?: string, name?: string, subresource?: string): string {
  let p = apiPrefix(apiVersion);
  if (r.namespaced && namespace) p += `/namespaces/${encodeURIComponent(namespace)}`;
  p += `/${r.name}`;
  if (name) p += `/${encodeURIComponent(name)}`;
  if (subresource) p += `/${subresource}`;
  return p;
}

/** kubectl's name for a resource in messages: `deployments.apps`, `secrets`. */
export function qualifiedResource(apiVersion: string, r: ResourceInfo): string {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  return group ? `${r.name}.${group}` : r.name;
}
