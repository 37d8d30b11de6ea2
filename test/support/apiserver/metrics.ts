/**
 * metrics-server on a test API server: the APIService `v1beta1.metrics.k8s.io` and the Service
 * `kube-system/metrics-server` exactly as metrics-server's release manifest (components.yaml) creates
 * them, after which the server serves `metrics.k8s.io/v1beta1` (resources `pods` PodMetrics,
 * namespaced, and `nodes` NodeMetrics, cluster-scoped, verbs get/list, empty singularName — as
 * metrics-server v0.8 publishes them) in its legacy and aggregated discovery; the PodMetrics /
 * NodeMetrics items are put by the test, shaped as metrics-server returns them (the pod's or node's
 * labels, timestamp, window, usage).
 */
import type { TestApiServer } from './index';

export async function installMetricsServer(s: TestApiServer): Promise<void> {
  s.store.put({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'metrics-server', namespace: 'kube-system', labels: { 'k8s-app': 'metrics-server' } },
    spec: { ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 'https' }], selector: { 'k8s-app': 'metrics-server' } },
  });
  s.store.put({
    apiVersion: 'apiregistration.k8s.io/v1',
    kind: 'APIService',
    metadata: { name: 'v1beta1.metrics.k8s.io', labels: { 'k8s-app': 'metrics-server' } },
    spec: { group: 'metrics.k8s.io', groupPriorityMinimum: 100, insecureSkipTLSVerify: true, service: { name: 'metrics-server', namespace: 'kube-system' }, version: 'v1beta1', versionPriority: 100 },
  });
  for (let i = 0; i < 200 && !s.core.registry.byPath('metrics.k8s.io', 'v1beta1', 'pods'); i++) await new Promise((r) => setTimeout(r, 5));
  if (!s.core.registry.byPath('metrics.k8s.io', 'v1beta1', 'pods')) throw new Error('metrics.k8s.io was not registered');
}

const stamp = () => new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** A PodMetrics as metrics-server returns it. */
export function podMetrics(name: string, containers: Record<string, { cpu: string; memory: string }>, o: { namespace?: string; labels?: Record<string, string> } = {}) {
  return {
    apiVersion: 'metrics.k8s.io/v1beta1',
    kind: 'PodMetrics',
    metadata: { name, namespace: o.namespace ?? 'default', labels: o.labels ?? {}, creationTimestamp: stamp() },
    timestamp: stamp(),
    window: '15.123s',
    containers: Object.entries(containers).map(([n, usage]) => ({ name: n, usage })),
  };
}

/** A NodeMetrics as metrics-server returns it. */
export function nodeMetrics(name: string, usage: { cpu: string; memory: string }, o: { labels?: Record<string, string> } = {}) {
  return {
    apiVersion: 'metrics.k8s.io/v1beta1',
    kind: 'NodeMetrics',
    metadata: { name, labels: o.labels ?? {}, creationTimestamp: stamp() },
    timestamp: stamp(),
    window: '20.05s',
    usage,
  };
}
