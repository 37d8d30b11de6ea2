/**
 * A Karmada federation for the operate commands' tests: a control plane (test API server serving
 * cluster.karmada.io), member test API servers, a Cluster object per member (Push mode, Ready, its
 * apiEndpoint the member's URL), and the cluster proxy double forwarding
 * `/apis/cluster.karmada.io/v1alpha1/clusters/<name>/proxy/...` to each member.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startControlPlane } from './clusters';
import { startTestApiServer, clusterProxy, type ClusterProxy, type TestApiServer } from './apiserver';

export interface Federation {
  karmada: TestApiServer;
  members: Record<string, TestApiServer>;
  proxy: ClusterProxy;
  /** kubeconfig for the karmada-apiserver (context `karmada`). */
  kubeconfig: string;
  dir: string;
  /** Env for runCli: HOME in the temp dir (discovery cache under it), no KUBECONFIG. */
  env: NodeJS.ProcessEnv;
  homedir: string;
  /** Marks a member's Cluster Ready=False. */
  setNotReady(name: string, reason?: string): void;
  close(): Promise<void>;
}

export async function startFederation(names: string[] = ['member1', 'member2'], o: { latencyMs?: number } = {}): Promise<Federation> {
  const karmada = await startControlPlane({ latencyMs: o.latencyMs });
  const members: Record<string, TestApiServer> = {};
  for (const [i, n] of names.entries()) members[n] = await startTestApiServer({ kubeSystemUid: `uid-${n}-${i}`, latencyMs: o.latencyMs });
  const proxy = clusterProxy(Object.fromEntries(Object.entries(members).map(([n, m]) => [n, { url: m.url, caPem: m.caPem, admin: m.admin }])));
  karmada.core.extensions.unshift(proxy);
  for (let i = 0; i < 200 && !karmada.core.registry.byPath('cluster.karmada.io', 'v1alpha1', 'clusters'); i++) await new Promise((r) => setTimeout(r, 10));
  for (const n of names) karmada.store.put(clusterObject(n, members[n].url));
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kc-fed-'));
  const kubeconfig = path.join(dir, 'karmada.config');
  await writeFile(kubeconfig, karmada.kubeconfig({ cluster: 'karmada-apiserver', context: 'karmada' }), { mode: 0o600 });
  return {
    karmada,
    members,
    proxy,
    kubeconfig,
    dir,
    homedir: dir,
    env: { HOME: dir },
    setNotReady(name, reason = 'ClusterNotReachable') {
      const c = karmada.store.get('cluster.karmada.io/v1alpha1', 'Cluster', undefined, name)!;
      karmada.store.put({ ...c, status: { ...c.status, conditions: [{ type: 'Ready', status: 'False', reason, message: 'cluster is not reachable', lastTransitionTime: new Date().toISOString() }] } });
    },
    async close() {
      proxy.close();
      await Promise.all([karmada.close(), ...Object.values(members).map((m) => m.close().catch(() => {}))]);
    },
  };
}

export function clusterObject(name: string, url: string) {
  return {
    apiVersion: 'cluster.karmada.io/v1alpha1',
    kind: 'Cluster',
    metadata: { name },
    spec: { syncMode: 'Push', apiEndpoint: url, id: `id-${name}`, secretRef: { namespace: 'karmada-cluster', name }, impersonatorSecretRef: { namespace: 'karmada-cluster', name: `${name}-impersonator` } },
    status: { kubernetesVersion: 'v1.34.0', conditions: [{ type: 'Ready', status: 'True', reason: 'ClusterReady', message: 'cluster is healthy and ready to accept workloads', lastTransitionTime: new Date().toISOString() }] },
  };
}

/** A Deployment as the tests create it (with status, as a controller would have set it). */
export function deployment(name: string, o: { namespace?: string; replicas?: number; ready?: number; labels?: Record<string, string>; image?: string } = {}) {
  const replicas = o.replicas ?? 1;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: o.namespace ?? 'default', labels: { app: name, ...o.labels } },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: o.image ?? 'nginx:1.27' }] } } },
    status: { replicas, readyReplicas: o.ready ?? replicas, updatedReplicas: replicas, availableReplicas: o.ready ?? replicas },
  };
}
