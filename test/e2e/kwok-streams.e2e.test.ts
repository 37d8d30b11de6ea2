import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Processes, startCluster, E2E_TIMEOUT_MS, type Cluster } from './harness';
import type { KubeClient } from '../../src/kube/client';
import type { K8sObject } from '../../src/kube/types';

/** The harness' kwok serves real pod logs (a growing file) to kube-apiserver's pods/log. */
let procs: Processes;
let c: Cluster;
let client: KubeClient;

beforeAll(async () => {
  procs = await Processes.create('kwok-streams');
  c = await startCluster(procs, 'm1', { nodes: [{ name: 'n1' }], logContainers: ['side'] });
  client = await c.client();
  await client.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'x' }, { name: 'side', image: 'x' }] } });
  for (let i = 0; i < 120; i++) {
    const p = await client.get<K8sObject & { status?: { phase?: string } }>({ apiVersion: 'v1', kind: 'Pod', namespace: 'default', name: 'p' });
    if (p?.status?.phase === 'Running') break;
    await new Promise((r) => setTimeout(r, 500));
  }
}, E2E_TIMEOUT_MS);

afterAll(async () => {
  client?.close();
  await procs?.stop(false);
});

describe('kwok streams', () => {
  it('serves each container its own log file through kube-apiserver', async () => {
    c.podLog('app').append('one\ntwo');
    c.podLog('side').append('side-line', { stream: 'stderr' });
    expect(await client.request('GET', '/api/v1/namespaces/default/pods/p/log', { query: { container: 'app' } })).toBe('one\ntwo\n');
    expect(await client.request('GET', '/api/v1/namespaces/default/pods/p/log', { query: { container: 'side' } })).toBe('side-line\n');
    expect(await client.request('GET', '/api/v1/namespaces/default/pods/p/log', { query: { container: 'app', tailLines: '1' } })).toBe('two\n');
  });
});
