/**
 * "The agent's RBAC is enough", tested: the control plane evaluates RBAC from the Roles and bindings it
 * stores (rbac: true) — init's own RBAC (templates/karmada/rbac.yaml) and what register creates —
 * and the agent's requests are made with the agent's own certificate, taken from the member cluster.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import { runCli } from '../support/context';
import { nodes, startTestApiServer, type TestApiServer } from '../support/apiserver';
import { startControlPlane, tmpDir } from '../support/clusters';
import { clusterInfoKubeconfig } from '../../src/install/kubeconfig';
import { kubeconfigFromString } from '../../src/kube/config';
import { KubeClient } from '../../src/kube/client';
import { KubeApiError } from '../../src/kube/errors';
import type { K8sObject } from '../../src/kube/types';

const UID = '44444444-4444-4444-4444-444444444444';
let cp: TestApiServer;
let member: TestApiServer;
let cpCfg: string;
let memberCfg: string;
let agent: KubeClient;

const status = (p: Promise<unknown>) => p.then(() => 200, (e) => (e instanceof KubeApiError ? e.code : Promise.reject(e)));

beforeAll(async () => {
  [cp, member] = await Promise.all([startControlPlane({ rbac: true }), startTestApiServer({ kubeSystemUid: UID, nodes: [nodes.untainted('m1')] })]);
  cp.sim.autoApproveCsr = true;
  // init's RBAC on the karmada-apiserver, as init writes it.
  const text = (await readFile(path.resolve('templates/karmada/rbac.yaml'), 'utf8')).replace('{{clusterInfoKubeconfig}}', JSON.stringify(clusterInfoKubeconfig({ server: cp.url, caPem: cp.caPem })));
  for (const d of parseAllDocuments(text)) {
    const o = d.toJS() as K8sObject | null;
    if (o?.kind) cp.store.put(o as never);
  }
  const dir = await tmpDir('kc-agent-rbac-');
  cpCfg = path.join(dir, 'karmada-apiserver.config');
  memberCfg = path.join(dir, 'member.config');
  await cp.writeKubeconfig(cpCfg, { cluster: 'karmada-apiserver' });
  await member.writeKubeconfig(memberCfg, { cluster: 'member2' });
});
afterAll(async () => {
  agent?.close();
  await Promise.all([cp.close(), member.close()]);
});

describe('the agent RBAC, evaluated', () => {
  it('register works with only the bootstrap token and the RBAC init created', async () => {
    const line = (await runCli(['token', 'create', '--kubeconfig', cpCfg, '--print-register-command'])).stdout.trim();
    const r = await runCli(['register', ...line.split(' ').slice(2), '--kubeconfig', memberCfg, '--cluster-name', 'member2', '--discovery-timeout', '3s']);
    expect(r.stderr).not.toContain('error:');
    expect(r.code).toBe(0);
    // The bootstrap token could do nothing but CSRs and cluster-info: nothing else was written as it.
    const boot = cp.requests.filter((q) => q.user.startsWith('system:bootstrap:') && q.method !== 'GET');
    expect(boot.length).toBeGreaterThan(0);
    expect(boot.every((q) => q.path.includes('certificatesigningrequests'))).toBe(true);
    expect(cp.requests.filter((q) => q.status === 403)).toEqual([]);
  });

  it("the agent's own requests are allowed by that RBAC, and nothing beyond it", async () => {
    const secret = member.store.get('v1', 'Secret', 'karmada-system', 'karmada-kubeconfig')!;
    const text = Buffer.from(secret.data['karmada-kubeconfig'], 'base64').toString('utf8');
    agent = await KubeClient.create(await kubeconfigFromString(text, { source: 'agent' }), { retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    const C = 'cluster.karmada.io/v1alpha1';
    // What karmada-agent does at start and in its loops: registers its Cluster (Pull), reports status, renews its lease, syncs works, sends events.
    expect(cp.store.get(C, 'Cluster', undefined, 'member2')).toBeUndefined();
    expect(await status(agent.create({ apiVersion: C, kind: 'Cluster', metadata: { name: 'member2' }, spec: { syncMode: 'Pull', id: UID, apiEndpoint: member.url } }))).toBe(200);
    expect(await status(agent.get({ apiVersion: C, kind: 'Cluster', name: 'member2' }))).toBe(200);
    expect(await status(agent.list(C, 'Cluster'))).toBe(200);
    const cluster = (await agent.get<K8sObject & { status?: unknown }>({ apiVersion: C, kind: 'Cluster', name: 'member2' }))!;
    expect(await status(agent.request('PUT', `/apis/${C}/clusters/member2/status`, { body: { ...cluster, status: { conditions: [{ type: 'Ready', status: 'True', reason: 'ClusterReady', message: 'cluster is healthy and ready to accept workloads', lastTransitionTime: new Date().toISOString() }] } } }))).toBe(200);
    expect(await status(agent.create({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'member2', namespace: 'karmada-cluster' }, spec: { holderIdentity: 'member2', leaseDurationSeconds: 40 } }))).toBe(200);
    expect(await status(agent.get({ apiVersion: 'v1', kind: 'Namespace', name: 'karmada-es-member2' }))).toBe(200);
    expect(await status(agent.list('work.karmada.io/v1alpha1', 'Work', { namespace: 'karmada-es-member2' }))).toBe(200);
    expect(await status(agent.create({ apiVersion: 'v1', kind: 'Event', metadata: { name: 'member2.1', namespace: 'default' }, involvedObject: { kind: 'Cluster', name: 'member2' }, reason: 'Test', message: 'x' }))).toBe(200);
    expect(await status(agent.request('GET', '/version'))).toBe(200);
    // Beyond its RBAC: other clusters' works, secrets elsewhere, deleting another cluster, RBAC itself.
    expect(await status(agent.list('work.karmada.io/v1alpha1', 'Work', { namespace: 'karmada-es-other' }))).toBe(403);
    expect(await status(agent.get({ apiVersion: 'v1', kind: 'Secret', namespace: 'kube-system', name: 'anything' }))).toBe(403);
    expect(await status(agent.delete({ apiVersion: C, kind: 'Cluster', name: 'someone-else' }))).toBe(403);
    expect(await status(agent.list('rbac.authorization.k8s.io/v1', 'ClusterRole'))).toBe(403);
    const denied = await agent.get({ apiVersion: 'v1', kind: 'Secret', namespace: 'kube-system', name: 'anything' }).catch((e) => e);
    expect(denied.message).toBe('Error from server (Forbidden): secrets "anything" is forbidden: User "system:karmada:agent:member2" cannot get resource "secrets" in API group "" in the namespace "kube-system"');
  });

  it('unregister without --karmada-config runs as the agent: allowed to remove its cluster; --force is refused before any deletion', async () => {
    const writes = cp.writes().length;
    const forced = await runCli(['unregister', 'member2', '--cluster-kubeconfig', memberCfg, '--force']);
    expect(forced.code).toBe(1);
    expect(forced.stderr.trim()).toBe('error: --force needs --karmada-config: removing the finalizer of the Cluster object takes the karmada-apiserver administrator, not the agent; pass the karmada-apiserver kubeconfig with --karmada-config, or run without --force');
    expect(cp.writes().length).toBe(writes);
    expect(cp.store.get('cluster.karmada.io/v1alpha1', 'Cluster', undefined, 'member2')).toBeDefined();
    const r = await runCli(['unregister', 'member2', '--cluster-kubeconfig', memberCfg]);
    expect(r.stderr).not.toContain('error:');
    expect(r.code).toBe(0);
    expect(cp.store.get('cluster.karmada.io/v1alpha1', 'Cluster', undefined, 'member2')).toBeUndefined();
  });
});
