import { describe, expect, it } from 'vitest';
import { RESTMapper, UnknownResourceTypeError } from '../../src/kubectl/mapper';
import { discoveryCacheDir } from '../../src/kubectl/discovery';
import { parseResourceArgs, resolve } from '../../src/kubectl/builder';
import type { DiscoveryResult } from '../../src/kubectl/discovery';

const r = (name: string, kind: string, o: { ns?: boolean; short?: string[]; cat?: string[]; singular?: string } = {}) => ({ name, singularName: o.singular ?? kind.toLowerCase(), namespaced: o.ns ?? true, kind, verbs: ['get', 'list'], shortNames: o.short, categories: o.cat });
const d: DiscoveryResult = {
  groups: [
    { name: '', versions: [{ groupVersion: 'v1', version: 'v1' }], preferredVersion: { groupVersion: 'v1', version: 'v1' } },
    { name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } },
    { name: 'autoscaling', versions: [{ groupVersion: 'autoscaling/v2', version: 'v2' }, { groupVersion: 'autoscaling/v1', version: 'v1' }], preferredVersion: { groupVersion: 'autoscaling/v2', version: 'v2' } },
    { name: 'metrics.k8s.io', versions: [{ groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' }], preferredVersion: { groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' } },
  ],
  resources: new Map([
    ['v1', { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'v1', resources: [r('pods', 'Pod', { short: ['po'], cat: ['all'] }), r('pods/log', 'Pod'), r('services', 'Service', { short: ['svc'], cat: ['all'] }), r('namespaces', 'Namespace', { ns: false, short: ['ns'] })] }],
    ['apps/v1', { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'apps/v1', resources: [r('deployments', 'Deployment', { short: ['deploy'], cat: ['all'] }), r('replicasets', 'ReplicaSet', { short: ['rs'], cat: ['all'] })] }],
    ['autoscaling/v2', { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'autoscaling/v2', resources: [r('horizontalpodautoscalers', 'HorizontalPodAutoscaler', { short: ['hpa'], cat: ['all'] })] }],
    ['autoscaling/v1', { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'autoscaling/v1', resources: [r('horizontalpodautoscalers', 'HorizontalPodAutoscaler', { short: ['hpa'], cat: ['all'] })] }],
    ['metrics.k8s.io/v1beta1', { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'metrics.k8s.io/v1beta1', resources: [r('pods', 'PodMetrics', { singular: '' })] }],
  ]) as DiscoveryResult['resources'],
  failed: new Map(),
};
const m = new RESTMapper(d);
const gvr = (arg: string) => {
  const x = m.mappingFor(arg);
  return `${x.resource}.${x.version}.${x.group}`;
};

describe('REST mapper (kubectl resolution forms)', () => {
  it.each([
    ['deploy', 'deployments.v1.apps'],
    ['deployments', 'deployments.v1.apps'],
    ['deployment', 'deployments.v1.apps'],
    ['deployment.apps', 'deployments.v1.apps'],
    ['deploy.apps', 'deployments.v1.apps'],
    ['deployments.v1.apps', 'deployments.v1.apps'],
    ['Deployment', 'deployments.v1.apps'],
    ['Deployment.apps', 'deployments.v1.apps'],
    ['pods', 'pods.v1.'],
    ['po', 'pods.v1.'],
    ['pods.metrics.k8s.io', 'pods.v1beta1.metrics.k8s.io'],
    ['hpa', 'horizontalpodautoscalers.v2.autoscaling'],
    ['horizontalpodautoscalers.v1.autoscaling', 'horizontalpodautoscalers.v1.autoscaling'],
    ['hpa.autoscal', 'horizontalpodautoscalers.v2.autoscaling'],
  ])('%s → %s', (arg, want) => expect(gvr(arg)).toBe(want));

  it('unknown types get kubectl\'s text (the resource part only)', () => {
    expect(() => m.mappingFor('foo.bar')).toThrow(new UnknownResourceTypeError('foo'));
    expect(() => m.mappingFor('foo')).toThrow('the server doesn\'t have a resource type "foo"');
  });

  it('expands categories in discovery order, each resource once', () => {
    expect(resolve(m, parseResourceArgs(['all'])).map((x) => x.mapping.resource)).toEqual(['pods', 'services', 'deployments', 'replicasets', 'horizontalpodautoscalers']);
  });

  it('merges TYPE/NAME pairs of one type', () => {
    expect(resolve(m, parseResourceArgs(['deploy/a', 'deployments/b', 'po/c'])).map((x) => `${x.mapping.resource}:${x.names.join(',')}`)).toEqual(['deployments:a,b', 'pods:c']);
  });
});

describe('discovery cache directory (cli-runtime computeDiscoverCacheDir)', () => {
  it('keeps kubectl\'s layout, members under their proxy path', () => {
    expect(discoveryCacheDir('/h/.kube/cache', 'https://10.0.0.1:6443')).toBe('/h/.kube/cache/discovery/10.0.0.1_6443');
    expect(discoveryCacheDir('/c', 'https://karmada.example:5443/apis/cluster.karmada.io/v1alpha1/clusters/m1/proxy/')).toBe('/c/discovery/karmada.example_5443/apis/cluster.karmada.io/v1alpha1/clusters/m1/proxy');
  });
});
