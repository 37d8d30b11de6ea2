/** Fixtures of the mutating commands' tests: the PropagationPolicy CRD as Karmada installs it (enough of it). */
export const PROPAGATION_POLICY_CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'propagationpolicies.policy.karmada.io' },
  spec: {
    group: 'policy.karmada.io',
    scope: 'Namespaced',
    names: { kind: 'PropagationPolicy', plural: 'propagationpolicies', singular: 'propagationpolicy', shortNames: ['pp'], categories: ['karmada-io'] },
    versions: [{ name: 'v1alpha1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
  },
};

export function propagationPolicy(name: string, o: { namespace?: string; labels?: Record<string, string> } = {}) {
  return {
    apiVersion: 'policy.karmada.io/v1alpha1',
    kind: 'PropagationPolicy',
    metadata: { name, namespace: o.namespace ?? 'default', labels: o.labels },
    spec: { conflictResolution: 'Abort', resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'nginx' }], placement: { clusterAffinity: { clusterNames: ['member1', 'member2'] } } },
  };
}

/** A refused command line: exit 1, exactly one stderr line (equal to, or matching, `err`), and no write to the server. */
export async function expectRefused(run: () => Promise<{ code: number; stderr: string }>, err: string | RegExp, writes: () => number): Promise<void> {
  const { expect } = await import('vitest');
  const before = writes();
  const r = await run();
  expect(r.code).toBe(1);
  if (typeof err === 'string') expect(r.stderr).toBe(err);
  else expect(r.stderr).toMatch(err);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(writes()).toBe(before);
}
