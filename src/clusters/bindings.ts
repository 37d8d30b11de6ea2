import type { KubeApi } from '../kube/api';
import type { K8sObject } from '../kube/types';

type Binding = K8sObject & { spec?: { clusters?: { name: string }[] } };

/**
 * The ResourceBindings and ClusterResourceBindings whose scheduling result still places replicas on
 * `cluster`: while one does, karmada-controller-manager keeps (or re-creates) its Works in the
 * cluster's execution space, so the Cluster object cannot go. Best effort: an identity that may not
 * list bindings (an agent's) gets an empty list.
 */
export async function bindingsHolding(karmada: KubeApi, cluster: string, limit = 5): Promise<{ names: string[]; total: number }> {
  const names: string[] = [];
  for (const kind of ['ResourceBinding', 'ClusterResourceBinding']) {
    const list = await karmada.list<Binding>('work.karmada.io/v1alpha2', kind).catch(() => ({ items: [] as Binding[] }));
    for (const b of list.items) if (b.spec?.clusters?.some((c) => c.name === cluster)) names.push(`${kind}/${b.metadata.namespace ? `${b.metadata.namespace}/` : ''}${b.metadata.name}`);
  }
  return { names: names.slice(0, limit), total: names.length };
}

/** " ResourceBinding/ns/a, … (and 3 more)" for an error message. */
export function describeBindings(b: { names: string[]; total: number }): string {
  return `${b.names.join(', ')}${b.total > b.names.length ? ` (and ${b.total - b.names.length} more)` : ''}`;
}

/** The error text and fix when bindings still hold the cluster; undefined when none do. */
export function heldByBindings(cluster: string, b: { names: string[]; total: number }, program: string, retry: string): { message: string; hint: string } | undefined {
  if (!b.total) return undefined;
  return {
    message: `${b.total === 1 ? '1 binding still schedules' : `${b.total} bindings still schedule`} workloads to cluster ${cluster} (${describeBindings(b)}), so karmada keeps their Works in its execution space`,
    hint: `change their PropagationPolicy or ClusterPropagationPolicy so it no longer selects ${cluster} (or delete those workloads), then run '${program} ${retry}' again; --force removes the finalizers instead and leaves the workloads on the member`,
  };
}
