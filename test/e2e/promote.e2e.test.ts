import { afterAll, beforeAll, describe, expect } from 'vitest';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { runCli } from '../support/context';
import type { KubeClient } from '../../src/kube/client';
import type { K8sObject } from '../../src/kube/types';
import { goBin } from '../support/go-bin';
import { startFederation, stepOf, type Federation } from './federation';

/**
 * promote on real components: objects created directly in member1 are promoted with -d; Karmada's
 * real controllers then adopt the member's objects in place (same UID, karmada.io/managed). The Go
 * karmadactl v1.18.2 promotes a second identical Deployment; the created objects are compared.
 */
const GO = goBin('karmadactl');
let fed: Federation | undefined;
let karmada: KubeClient;
let member: KubeClient;
const ka = (args: string[]) => runCli([...args, '--kubeconfig', fed!.karmadaCfg], { env: { HOME: fed!.procs.dir }, homedir: fed!.procs.dir });
const go = (args: string[]) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((ok) =>
    execFile(GO, [...args, '--kubeconfig', fed!.karmadaCfg], { env: { HOME: path.join(fed!.procs.dir, 'go'), PATH: process.env.PATH }, timeout: 120_000 }, (e, stdout, stderr) => ok({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, stdout, stderr })),
  );

const objs = (s: string): K8sObject[] => [
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${s}-cm`, namespace: 'default' }, data: { a: 'b' } },
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: `${s}-secret`, namespace: 'default' }, type: 'Opaque', data: { k: 'dg==' } },
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: `${s}-sa`, namespace: 'default' } },
  {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: s, namespace: 'default', labels: { app: s } },
    spec: { replicas: 1, selector: { matchLabels: { app: s } }, template: { metadata: { labels: { app: s } }, spec: { serviceAccountName: `${s}-sa`, containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.9', envFrom: [{ configMapRef: { name: `${s}-cm` } }, { secretRef: { name: `${s}-secret` } }] }] } } },
  } as K8sObject,
] as K8sObject[];

const paths = (s: string) => [
  `/api/v1/namespaces/default/configmaps/${s}-cm`,
  `/api/v1/namespaces/default/secrets/${s}-secret`,
  `/api/v1/namespaces/default/serviceaccounts/${s}-sa`,
  `/apis/apps/v1/namespaces/default/deployments/${s}`,
];

beforeAll(async () => {
  fed = await startFederation('promote', { members: ['member1'] });
  karmada = fed.karmada;
  member = await fed.members[0].client();
  for (const s of ['nginx', 'web']) for (const o of objs(s)) await member.create(o);
  // karmada-controller-manager's unified-auth controller grants the impersonation on the member
  // (karmada-impersonator ClusterRole/Binding); the proxy refuses until it has synced.
  const until = Date.now() + 240_000;
  for (;;) {
    try {
      await karmada.request('GET', '/apis/cluster.karmada.io/v1alpha1/clusters/member1/proxy/api/v1/namespaces/default/configmaps');
      break;
    } catch (e) {
      if (Date.now() > until) throw e;
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
}, 900_000);
afterAll(async () => {
  await fed?.stop();
});
const step = stepOf(() => fed);

/** The generated values (server-set, and the name that differs by design) replaced; nothing else touched. */
function normal(o: any, name: string): any {
  const t = JSON.parse(JSON.stringify(o).replaceAll(name, 'NAME'));
  for (const k of ['uid', 'resourceVersion', 'creationTimestamp', 'managedFields', 'generation']) delete t.metadata[k];
  for (const m of [t.metadata.labels, t.metadata.annotations]) for (const k of Object.keys(m ?? {})) if (k.includes('permanent-id')) m[k] = '<id>';
  delete t.status;
  return t;
}

describe('promote on the real control plane', () => {
  step('promote -d: template, dependencies and the policy in Karmada; the member keeps its objects (same UID) and Karmada adopts them', async () => {
    const uids = await Promise.all(paths('nginx').map((p) => member.request<K8sObject>('GET', p).then((o) => o.metadata.uid)));
    const r = await ka(['promote', 'deployment', 'nginx', '-n', 'default', '-C', 'member1', '-d']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Resource "apps/v1, Resource=deployments"(default/nginx) is promoted successfully');
    for (const p of paths('nginx')) {
      const o = await karmada.request<K8sObject>('GET', p);
      expect(o.metadata.annotations?.['work.karmada.io/conflict-resolution']).toBe('overwrite');
    }
    const pp = await karmada.request<any>('GET', '/apis/policy.karmada.io/v1alpha1/namespaces/default/propagationpolicies/nginx-6d7f8d5f5b');
    expect(pp.spec).toMatchObject({ propagateDeps: true, placement: { clusterAffinity: { clusterNames: ['member1'] } }, conflictResolution: 'Overwrite', preserveResourcesOnDeletion: true });
    // Karmada's controllers take the member's objects over in place.
    const deadline = Date.now() + 180_000;
    let managed: (string | undefined)[] = [];
    while (Date.now() < deadline) {
      const now = await Promise.all(paths('nginx').map((p) => member.request<K8sObject>('GET', p)));
      managed = now.map((o) => o.metadata.labels?.['karmada.io/managed']);
      if (managed.every((v) => v === 'true')) {
        expect(now.map((o) => o.metadata.uid)).toEqual(uids);
        break;
      }
      await new Promise((res) => setTimeout(res, 2000));
    }
    expect(managed).toEqual(['true', 'true', 'true', 'true']);
    const again = await ka(['promote', 'deployment', 'nginx', '-n', 'default', '-C', 'member1', '-d']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('nothing changed');
  });

  step('the Go karmadactl promotes an identical Deployment into the same objects', async () => {
    const ours = await ka(['promote', 'deployment', 'web', '-n', 'default', '-C', 'member1', '-o', 'yaml']);
    const theirs = await go(['promote', 'deployment', 'web', '-n', 'default', '-C', 'member1', '-o', 'yaml']);
    expect(ours.stdout).toBe(theirs.stdout);
    const g = await go(['promote', 'deployment', 'web', '-n', 'default', '-C', 'member1', '-d']);
    expect(g.code).toBe(0);
    const gp = await karmada.request<any>('GET', '/apis/policy.karmada.io/v1alpha1/namespaces/default/propagationpolicies/web-6d7f8d5f5b');
    const op = await karmada.request<any>('GET', '/apis/policy.karmada.io/v1alpha1/namespaces/default/propagationpolicies/nginx-6d7f8d5f5b');
    expect(normal(op, 'nginx')).toEqual(normal(gp, 'web'));
    for (const [i, p] of paths('web').entries()) {
      const theirsObj = await karmada.request<any>('GET', p);
      const oursObj = await karmada.request<any>('GET', paths('nginx')[i]);
      expect(normal(oursObj, 'nginx')).toEqual(normal(theirsObj, 'web'));
    }
  }, 300_000);
});
