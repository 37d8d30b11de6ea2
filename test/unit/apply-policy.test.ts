import { describe, expect, it } from 'vitest';
import { fnv32a, generatePolicy, generatePolicyName, gvkString, safeEncodeString } from '../../src/operate/apply-policy';

describe('generated policy name (spec §6.4 worked examples)', () => {
  it('Deployment default/web → web-6d7f8d5f5b', () => {
    expect(generatePolicyName('default', 'web', gvkString('apps', 'v1', 'Deployment'))).toBe('web-6d7f8d5f5b');
  });
  it('Namespace team-a (cluster-scoped, core group) → team-a-646d6c6947', () => {
    expect(generatePolicyName('', 'team-a', gvkString('', 'v1', 'Namespace'))).toBe('team-a-646d6c6947');
  });
  it('ConfigMap team-a/system:cfg → system.cfg-65d8f79b77 (":" becomes ".")', () => {
    expect(generatePolicyName('team-a', 'system:cfg', gvkString('', 'v1', 'ConfigMap'))).toBe('system.cfg-65d8f79b77');
  });
  it('the hash ignores the name and is lower-cased', () => {
    const a = generatePolicyName('default', 'A', gvkString('apps', 'v1', 'Deployment'));
    expect(a).toBe('a-6d7f8d5f5b');
  });
  it('FNV-1a 32 and the safe alphabet', () => {
    expect(fnv32a('')).toBe(0x811c9dc5);
    expect(fnv32a('a')).toBe(0xe40c292c);
    expect(safeEncodeString('0123456789')).toBe('456789bcdf');
  });
});

describe('generated policy shape', () => {
  it('namespaced object, --all-clusters: PropagationPolicy with an empty cluster affinity', () => {
    const p = generatePolicy({ group: 'apps', version: 'v1', kind: 'Deployment', name: 'web', namespace: 'default', namespaced: true }, { allClusters: true, clusters: [] });
    expect(p).toEqual({
      kind: 'PropagationPolicy',
      apiVersion: 'policy.karmada.io/v1alpha1',
      metadata: { name: 'web-6d7f8d5f5b', namespace: 'default' },
      spec: { resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'web' }], placement: { clusterAffinity: {} } },
    });
    expect(Object.keys((p.spec as { resourceSelectors: object[] }).resourceSelectors[0])).toEqual(['apiVersion', 'kind', 'namespace', 'name']);
  });
  it('cluster-scoped object, -C: ClusterPropagationPolicy, no namespace, clusterNames as given', () => {
    const p = generatePolicy({ group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole', name: 'reader', namespace: '', namespaced: false }, { allClusters: false, clusters: ['member2', 'member1'] });
    expect(p.kind).toBe('ClusterPropagationPolicy');
    expect(p.metadata).toEqual({ name: generatePolicyName('', 'reader', 'rbac.authorization.k8s.io/v1, Kind=ClusterRole') });
    expect(p.spec).toEqual({ resourceSelectors: [{ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: 'reader' }], placement: { clusterAffinity: { clusterNames: ['member2', 'member1'] } } });
  });
});
