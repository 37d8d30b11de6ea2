import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { parse } from 'yaml';
import { runCli } from '../support/context';
import { mergeKubeconfigs } from './kubeconfigs';
import { Processes, bridgeAgent, bridgeKarmada, clientFor, freeNodePort, startCluster, type Cluster, type KarmadaBridge } from './harness';
import type { K8sObject } from '../../src/kube/types';
import type { KubeClient } from '../../src/kube/client';

/**
 * The seed's whole journey on real components: init on a tainted single-node host, join member1,
 * token + register member2, cordon, addons (search, descheduler, an estimator per member),
 * unjoin, unregister, deinit — each step checked by reading the real API.
 */
const CRDS = path.resolve(__dirname, '../../../shared/fixtures/karmada-crds-v1.18.2.tar.gz');

let procs: Processes;
let host: Cluster;
let m1: Cluster;
let m2: Cluster;
let karmada: KubeClient;
let karmadaCfg: string;
let bridged: KarmadaBridge;
let agentBridge: { stop(): void } | undefined;
let failed = false;
let ran = 0;
const port = { value: 0 };
const file = (n: string) => path.join(procs.dir, n);

beforeAll(async () => {
  procs = await Processes.create('journey');
  [host, m1, m2] = await Promise.all([
    startCluster(procs, 'host', { nodes: [{ name: 'master1', labels: { 'node-role.kubernetes.io/control-plane': '' }, taints: [{ key: 'node-role.kubernetes.io/master', effect: 'NoSchedule' }] }] }),
    startCluster(procs, 'member1', { nodes: [{ name: 'm1-node' }] }),
    startCluster(procs, 'member2', { nodes: [{ name: 'm2-node' }] }),
  ]);
  port.value = await freeNodePort();
}, 600_000);
afterAll(async () => {
  karmada?.close();
  agentBridge?.stop();
  process.stderr.write(`e2e journey: ${ran} steps ran against real kube-apiserver/etcd/controller-manager/scheduler/kwok and a real karmada-apiserver\n`);
  await procs?.stop(failed);
});

const step = (name: string, fn: () => Promise<void>, timeout = 600_000) =>
  it(name, async () => {
    try {
      await fn();
      ran++;
    } catch (e) {
      failed = true;
      throw e;
    }
  }, timeout);

const get = async <T = K8sObject & Record<string, any>>(c: Cluster | KubeClient, ref: { apiVersion: string; kind: string; name: string; namespace?: string }): Promise<T | undefined> => {
  const own = 'kubeSystemUid' in c;
  const client: KubeClient = own ? await (c as Cluster).client() : (c as KubeClient);
  try {
    return (await client.get(ref)) as T | undefined;
  } finally {
    if (own) client.close();
  }
};

describe('the seed journey on real Kubernetes', () => {
  step('init: the tainted single node is refused with both fixes; with the toleration, offline CRDs and the cn mirror it installs and the real karmada-apiserver serves', async () => {
    const flags = ['--kubeconfig', host.writeKubeconfig(file('host.config')), '--port', String(port.value), '-d', file('data'), '--karmada-pki', file('pki'), '--crds', CRDS, '--wait-component-ready-timeout', '240', '--kube-image-mirror-country', 'cn'];
    const refused = await runCli(['init', ...flags]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('kubectl taint node master1 node-role.kubernetes.io/master:NoSchedule-');
    expect(refused.stderr).toContain('--tolerate-control-plane-taints');
    const bridge = bridgeKarmada(procs, host, { nodePort: port.value });
    const r = await runCli(['init', ...flags, '--tolerate-control-plane-taints']);
    expect(r.stderr).not.toContain('error:');
    expect(r.code).toBe(0);
    bridged = await bridge.ready;
    karmadaCfg = file('data/karmada-apiserver.config');
    karmada = await clientFor(readFileSync(karmadaCfg, 'utf8'));
    const hc = await host.client();
    const pods = (await hc.list<K8sObject & { spec: { nodeName?: string; containers: { image: string }[] } }>('v1', 'Pod', { namespace: 'karmada-system' })).items;
    hc.close();
    const api = pods.find((p) => p.metadata.name.startsWith('karmada-apiserver-'))!;
    expect(api.spec.nodeName).toBe('master1'); // placed by the real scheduler, past the taint
    expect(api.spec.containers[0].image).toMatch(/^registry\.cn-hangzhou\.aliyuncs\.com\/google_containers\/kube-apiserver:/);
    const crds = await karmada.list('apiextensions.k8s.io/v1', 'CustomResourceDefinition');
    expect(crds.items.length).toBeGreaterThanOrEqual(19);
    expect((await karmada.list('cluster.karmada.io/v1alpha1', 'Cluster')).items).toEqual([]);
  });

  step('join member1 with contexts of one kubeconfig file', async () => {
    const all = mergeKubeconfigs(file('all.config'), [readFileSync(karmadaCfg, 'utf8'), m1.kubeconfig({ context: 'member1', cluster: 'member1' })], 'karmada-apiserver');
    const r = await runCli(['join', 'member1', '--kubeconfig', all, '--karmada-context', 'karmada-apiserver', '--cluster-kubeconfig', all, '--cluster-context', 'member1']);
    expect(r.stderr).not.toContain('error:');
    expect(r.code).toBe(0);
    const c = await get(karmada, { apiVersion: 'cluster.karmada.io/v1alpha1', kind: 'Cluster', name: 'member1' });
    expect(c!.spec).toMatchObject({ id: m1.kubeSystemUid, syncMode: 'Push', apiEndpoint: m1.url });
    const secret = await get(karmada, { apiVersion: 'v1', kind: 'Secret', namespace: 'karmada-cluster', name: 'member1' });
    expect(secret!.metadata.ownerReferences![0]).toMatchObject({ kind: 'Cluster', name: 'member1', uid: c!.metadata.uid });
    // the token the real token controller issued authenticates on the member as the join ServiceAccount
    const token = Buffer.from(secret!.data.token, 'base64').toString();
    const asSa = await clientFor(`apiVersion: v1\nkind: Config\nclusters: [{name: m, cluster: {server: ${m1.url}, certificate-authority-data: ${secret!.data.caBundle}}}]\nusers: [{name: u, user: {token: ${token}}}]\ncontexts: [{name: c, context: {cluster: m, user: u}}]\ncurrent-context: c\n`);
    expect((await asSa.list('v1', 'Namespace')).items.length).toBeGreaterThan(0);
    asSa.close();
  });

  step('token create --print-register-command, then register member2 with the printed command', async () => {
    const t = await runCli(['token', 'create', '--print-register-command', '--kubeconfig', karmadaCfg]);
    expect(t.code).toBe(0);
    const args = t.stdout.trim().split(' ').slice(2);
    // the real karmada-agent runs from the Deployment register creates
    agentBridge = bridgeAgent(procs, m2, { routes: bridged.routes });
    const r = await runCli(['register', ...args, '--kubeconfig', m2.writeKubeconfig(file('member2.config')), '--cluster-name', 'member2', '--discovery-timeout', '2m']);
    expect(r.stderr).not.toContain('error:');
    expect(r.code).toBe(0);
    const s = await get(m2, { apiVersion: 'v1', kind: 'Secret', namespace: 'karmada-system', name: 'karmada-kubeconfig' });
    const kc = parse(Buffer.from(s!.data['karmada-kubeconfig'], 'base64').toString());
    const cert = new X509Certificate(Buffer.from(kc.users[0].user['client-certificate-data'], 'base64'));
    expect(cert.subject).toContain('CN=system:karmada:agent:member2');
    // the agent's certificate, signed by the real karmada kube-controller-manager, is accepted by the real karmada-apiserver
    const agent = await clientFor(Buffer.from(s!.data['karmada-kubeconfig'], 'base64').toString());
    const review = await agent.request<{ status: { allowed: boolean } }>('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { group: 'cluster.karmada.io', resource: 'clusters', verb: 'create' } } } });
    expect(review.status.allowed).toBe(true);
    agent.close();
    expect((await get(m2, { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'karmada-system', name: 'karmada-agent' }))!.status.readyReplicas).toBe(1);
  });

  step('cordon member1', async () => {
    const r = await runCli(['cordon', 'member1', '--kubeconfig', karmadaCfg]);
    expect(r.stdout).toBe('member1 cluster cordoned\n');
    const c = await get(karmada, { apiVersion: 'cluster.karmada.io/v1alpha1', kind: 'Cluster', name: 'member1' });
    expect(c!.spec.taints).toEqual([{ key: 'cluster.karmada.io/unschedulable', effect: 'NoSchedule' }]);
  });

  step('addons: search (real karmada-search behind its APIService), descheduler, an estimator for each member', async () => {
    const base = ['addons', 'enable', '--kubeconfig', file('host.config'), '--karmada-kubeconfig', karmadaCfg, '--pod-timeout', '180', '--apiservice-timeout', '180'];
    const r = await runCli([...base, 'karmada-search', 'karmada-descheduler']);
    expect(r.stderr).not.toContain('error:');
    expect(r.code).toBe(0);
    for (const [name, c] of [['member1', m1], ['member2', m2]] as const) {
      const e = await runCli([...base, 'karmada-scheduler-estimator', '-C', name, '--member-kubeconfig', c.writeKubeconfig(file(`${name}-est.config`), { context: name }), '--member-context', name]);
      expect(e.stderr).not.toContain('error:');
      expect(e.code).toBe(0);
    }
    const list = await runCli(['addons', 'list', '-o', 'json', '--kubeconfig', file('host.config'), '--karmada-kubeconfig', karmadaCfg]);
    const rows = JSON.parse(list.stdout).addons.map((x: { addon: string; cluster?: string; status: string }) => `${x.addon}${x.cluster ? `/${x.cluster}` : ''}=${x.status}`);
    expect(rows).toEqual(expect.arrayContaining(['karmada-search=enabled', 'karmada-descheduler=enabled', 'karmada-scheduler-estimator/member1=enabled', 'karmada-scheduler-estimator/member2=enabled']));
    // the search API answers through the real aggregator
    const rr = await karmada.list('search.karmada.io/v1alpha1', 'ResourceRegistry');
    expect(rr.items).toEqual([]);
  });

  step('unjoin member1 leaves neither side with what join made', async () => {
    const r = await runCli(['unjoin', 'member1', '--kubeconfig', karmadaCfg, '--cluster-kubeconfig', m1.writeKubeconfig(file('member1.config'), { context: 'member1' })]);
    expect(r.stderr).not.toContain('error:');
    expect(r.code).toBe(0);
    expect(await get(karmada, { apiVersion: 'cluster.karmada.io/v1alpha1', kind: 'Cluster', name: 'member1' })).toBeUndefined();
    expect(await get(m1, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: 'karmada-controller-manager:karmada-member1' })).toBeUndefined();
  });

  step('unregister member2 (after its real agent registered the Cluster) removes the agent and the control-plane RBAC', async () => {
    // registered by the real karmada-agent, not by the test
    const deadline = Date.now() + 180_000;
    let c: (K8sObject & Record<string, any>) | undefined;
    while (Date.now() < deadline && !(c = await get(karmada, { apiVersion: 'cluster.karmada.io/v1alpha1', kind: 'Cluster', name: 'member2' }))?.status?.conditions?.some((x: { type: string; status: string }) => x.type === 'Ready' && x.status === 'True')) await new Promise((r) => setTimeout(r, 1000));
    expect(c?.spec).toMatchObject({ syncMode: 'Pull', id: m2.kubeSystemUid, apiEndpoint: m2.url });
    expect(c?.status?.conditions?.find((x: { type: string }) => x.type === 'Ready')?.status).toBe('True');
    const r = await runCli(['unregister', 'member2', '--cluster-kubeconfig', file('member2.config'), '--karmada-config', karmadaCfg]);
    expect(r.stderr).not.toContain('error:');
    expect(r.code).toBe(0);
    expect(await get(m2, { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'karmada-system', name: 'karmada-agent' })).toBeUndefined();
    expect(await get(karmada, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: 'system:karmada:member2:agent' })).toBeUndefined();
  });

  step('deinit removes the control plane from the host', async () => {
    const r = await runCli(['deinit', '--kubeconfig', file('host.config'), '--force', '--purge-namespace']);
    expect(r.stderr).not.toContain('error:');
    expect(r.code).toBe(0);
    const hc = await host.client();
    expect((await hc.list('apps/v1', 'Deployment', { namespace: 'karmada-system' })).items).toEqual([]);
    expect((await hc.get({ apiVersion: 'v1', kind: 'Node', name: 'master1' }))?.metadata.labels?.['karmada.io/etcd']).toBeUndefined();
    hc.close();
  });
});
