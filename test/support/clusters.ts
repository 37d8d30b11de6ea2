import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { startTestApiServer, type TestApiServer } from './apiserver';

/**
 * A Karmada control plane as join/unjoin/cordon/taint/register see it: a test API server whose
 * cluster.karmada.io API is served (its APIService registered, as karmada-aggregated-apiserver
 * does), whose Work CRD exists, and whose simulated karmada-controller-manager adds the cluster
 * finalizer and execution space, and removes both when a Cluster is deleted.
 */
export async function startControlPlane(opts: Parameters<typeof startTestApiServer>[0] = {}): Promise<TestApiServer> {
  const cp = await startTestApiServer(opts);
  cp.store.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'karmada-system' }, status: { phase: 'Active' } });
  cp.store.put({
    apiVersion: 'apiregistration.k8s.io/v1',
    kind: 'APIService',
    metadata: { name: 'v1alpha1.cluster.karmada.io' },
    spec: { group: 'cluster.karmada.io', version: 'v1alpha1', service: { name: 'karmada-aggregated-apiserver', namespace: 'karmada-system' }, groupPriorityMinimum: 2000, versionPriority: 10 },
  });
  cp.store.put({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'works.work.karmada.io' },
    spec: { group: 'work.karmada.io', scope: 'Namespaced', names: { kind: 'Work', plural: 'works', singular: 'work' }, versions: [{ name: 'v1alpha1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }] },
  });
  cp.sim.clusterController = true;
  await new Promise((r) => setTimeout(r, 5));
  return cp;
}

export async function startMember(uid: string): Promise<TestApiServer> {
  return startTestApiServer({ kubeSystemUid: uid });
}

export async function tmpDir(prefix = 'kc-clusters-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

/** One kubeconfig file holding a context per server (context name = cluster name). */
export async function mergedKubeconfig(file: string, servers: Record<string, TestApiServer>, current?: string): Promise<string> {
  const docs = Object.entries(servers).map(([name, s]) => parse(s.kubeconfig({ cluster: name, context: name })));
  const merged = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: docs.flatMap((d) => d.clusters),
    users: docs.flatMap((d) => d.users),
    contexts: docs.flatMap((d) => d.contexts),
    'current-context': current ?? Object.keys(servers)[0],
  };
  await writeFile(file, stringify(merged), { mode: 0o600 });
  return file;
}
