import { describe, expect, it } from 'vitest';
import { RESTMapper } from '../../src/kubectl/mapper';
import type { APIResourceList, DiscoveryResult } from '../../src/kubectl/discovery';
import { parseFieldPath, parseGroupVersion, resolveRequest, resourcesFor } from '../../src/operate/explain';

const list = (gv: string, resources: [string, string, string[]?][]): APIResourceList => ({
  kind: 'APIResourceList',
  apiVersion: 'v1',
  groupVersion: gv,
  resources: resources.map(([name, kind, shortNames]) => ({ name, singularName: kind.toLowerCase(), namespaced: true, kind, verbs: ['get', 'list'], shortNames })),
});
const discovery: DiscoveryResult = {
  groups: [
    { name: '', versions: [{ groupVersion: 'v1', version: 'v1' }], preferredVersion: { groupVersion: 'v1', version: 'v1' } },
    { name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } },
    { name: 'example.io', versions: [{ groupVersion: 'example.io/v1', version: 'v1' }], preferredVersion: { groupVersion: 'example.io/v1', version: 'v1' } },
  ],
  resources: new Map([
    ['v1', list('v1', [['pods', 'Pod', ['po']], ['events', 'Event', ['ev']]])],
    ['apps/v1', list('apps/v1', [['deployments', 'Deployment', ['deploy']]])],
    ['example.io/v1', list('example.io/v1', [['events', 'Event'], ['deployments', 'Deployment']])],
  ]),
  failed: new Map(),
};
const mapper = new RESTMapper(discovery);
const req = (s: string, v = false) => {
  const r = resolveRequest(mapper, s, v);
  return [`${r.gvr.group}/${r.gvr.version}/${r.gvr.resource}`, r.fieldPath];
};

describe('explain TYPE[.FIELD...] (kubectl pkg/explain)', () => {
  it('short, singular, plural and kind names', () => {
    expect(req('po.spec')).toEqual(['/v1/pods', ['spec']]);
    expect(req('Pod')).toEqual(['/v1/pods', []]);
    expect(req('pod.spec.containers.')).toEqual(['/v1/pods', ['spec', 'containers']]);
    expect(req('deploy.spec.replicas')).toEqual(['apps/v1/deployments', ['spec', 'replicas']]);
  });
  it('a group written after the resource selects that group (matching prefix), else the first group wins', () => {
    expect(resourcesFor(mapper, 'deployments').map((m) => m.group)).toEqual(['apps', 'example.io']);
    expect(req('deployments.spec')).toEqual(['apps/v1/deployments', ['spec']]);
    expect(req('deployments.example.io.spec')).toEqual(['example.io/v1/deployments', ['spec']]);
    expect(req('events')).toEqual(['/v1/events', []]);
    // kubectl takes the first group whose `resource.group` prefixes the input, and core's `events`
    // prefixes every `events...`: the rest becomes a field path (as SplitAndParseResourceRequestWithMatchingPrefix does)
    expect(req('events.example.io')).toEqual(['/v1/events', ['example', 'io']]);
    // kubectl's quirk: the node glued to the group name is dropped
    expect(req('deployments.appsx.spec')).toEqual(['apps/v1/deployments', ['spec']]);
    // with --api-version every node after the resource is a field
    expect(req('deployments.apps.spec', true)).toEqual(['apps/v1/deployments', ['apps', 'spec']]);
  });
  it("kubectl's errors", () => {
    expect(() => req('nothings')).toThrow('the server doesn\'t have a resource type "nothings"');
    expect(() => parseFieldPath('[0].spec')).toThrow('invalid jsonpath syntax, first node must be field node');
    expect(() => req('pods.spec[0]')).toThrow('invalid jsonpath syntax, first node must be field node');
    expect(() => req('pods.spec[0]', true)).toThrow('invalid jsonpath syntax, all nodes must be field nodes');
    expect(parseGroupVersion('apps/v1')).toEqual({ group: 'apps', version: 'v1' });
    expect(parseGroupVersion('v1')).toEqual({ group: '', version: 'v1' });
    expect(() => parseGroupVersion('a/b/c')).toThrow('unexpected GroupVersion string: a/b/c');
  });
});
