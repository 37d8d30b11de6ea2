import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { runCli } from '../support/context';
import type { Processes } from './harness';
import type { KubeClient } from '../../src/kube/client';
import type { K8sObject } from '../../src/kube/types';
import { goBin } from '../support/go-bin';
import { startFederation, stepOf, type Federation } from './federation';

/**
 * delete / label / annotate / patch on real components: our init on a real host (the karmada
 * control plane with its real kube-controller-manager, whose garbage collector finishes foreground
 * deletions), two real members joined with our join; Karmada's own kinds (Cluster through
 * karmada-aggregated-apiserver, PropagationPolicy as the real CRD); and the Go karmadactl v1.18.2 on
 * the same control plane for a few invocations.
 */
const GO = goBin('karmadactl');

let procs: Processes;
let karmada: KubeClient;
let karmadaCfg: string;
let fed: Federation | undefined;
const ka = (args: string[], o: { stdin?: string; stdinIsTTY?: boolean } = {}) => runCli([...args, '--kubeconfig', karmadaCfg], { env: { HOME: procs.dir }, homedir: procs.dir, ...o });
const go = (args: string[]) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((ok) =>
    execFile(GO, [...args, '--kubeconfig', karmadaCfg], { env: { HOME: path.join(procs.dir, 'go'), PATH: process.env.PATH }, timeout: 120_000 }, (e, stdout, stderr) => ok({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, stdout, stderr })),
  );

const pp = (name: string): K8sObject => ({
  apiVersion: 'policy.karmada.io/v1alpha1',
  kind: 'PropagationPolicy',
  metadata: { name, namespace: 'default' },
  spec: { conflictResolution: 'Abort', resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'nginx' }], placement: { clusterAffinity: { clusterNames: ['member1', 'member2'] } } },
} as K8sObject);
const cm = (name: string, owner?: K8sObject): K8sObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default', ownerReferences: owner ? [{ apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid!, blockOwnerDeletion: true }] : undefined },
  data: { a: 'b' },
} as K8sObject);

beforeAll(async () => {
  fed = await startFederation('mutate');
  ({ procs, karmada, karmadaCfg } = fed);
  // karmada-webhook runs for real (from init's Deployment): every policy written below goes through it.
  await karmada.create(pp('nginx-pp'));
}, 900_000);
afterAll(async () => {
  await fed?.stop();
});

const step = stepOf(() => fed);

const getObj = (p: string) => karmada.request<K8sObject>('GET', p);

describe('delete, label, annotate, patch on the real control plane', () => {
  step('label and annotate a Cluster (aggregated API) and a PropagationPolicy (CRD)', async () => {
    const l = await ka(['label', 'cluster', 'member1', 'region=eu']);
    expect(l.stderr).toBe('');
    expect(l.stdout).toBe('cluster.cluster.karmada.io/member1 labeled\n');
    expect((await getObj('/apis/cluster.karmada.io/v1alpha1/clusters/member1')).metadata.labels?.region).toBe('eu');
    const clash = await ka(['label', 'cluster', 'member1', 'region=us']);
    expect(clash.code).toBe(1);
    expect(clash.stderr).toMatch(/^error: 'region' already has a value \(eu\), and --overwrite is false/);
    const a = await ka(['annotate', 'pp', 'nginx-pp', 'work.karmada.io/conflict-resolution=overwrite']);
    expect(a.stdout).toBe('propagationpolicy.policy.karmada.io/nginx-pp annotated\n');
    const got = await getObj('/apis/policy.karmada.io/v1alpha1/namespaces/default/propagationpolicies/nginx-pp');
    expect(got.metadata.annotations?.['work.karmada.io/conflict-resolution']).toBe('overwrite');
    const stale = await ka(['label', 'pp', 'nginx-pp', 'x=y', '--resource-version=1']);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/Conflict/);
  });

  step('patch: json and merge on a CRD; strategic refused for the CRD by the real server; strategic on a Cluster', async () => {
    const j = await ka(['patch', 'propagationpolicy', 'nginx-pp', '--type=json', '-p', '[{"op": "replace", "path": "/spec/conflictResolution", "value":"Overwrite"}]']);
    expect(j.stderr).toBe('');
    expect(j.stdout).toBe('propagationpolicy.policy.karmada.io/nginx-pp patched\n');
    const same = await ka(['patch', 'pp', 'nginx-pp', '--type=merge', '-p', '{"spec":{"conflictResolution":"Overwrite"}}']);
    expect(same.stdout).toBe('propagationpolicy.policy.karmada.io/nginx-pp patched (no change)\n');
    const s = await ka(['patch', 'pp', 'nginx-pp', '-p', '{"spec":{"conflictResolution":"Abort"}}']);
    expect(s.code).toBe(1);
    expect(s.stderr).toMatch(/^error: application\/strategic-merge-patch\+json is not supported by policy.karmada.io\/v1alpha1, Kind=PropagationPolicy: /);
    const c = await ka(['patch', 'cluster', 'member2', '-p', '{"spec":{"taints":[{"key":"maintenance","effect":"NoSchedule"}]}}']);
    expect(c.stderr).toBe('');
    expect(c.stdout).toBe('cluster.cluster.karmada.io/member2 patched\n');
  });

  step('delete --cascade=foreground --wait: returns once the garbage collector removed the dependent and the owner', async () => {
    const owner = await karmada.create(cm('owner'));
    await karmada.create(cm('dependent', owner));
    const r = await ka(['delete', 'configmap', 'owner', '--cascade=foreground', '--timeout=120s']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('configmap "owner" deleted from default namespace\n');
    expect(r.code).toBe(0);
    expect(await karmada.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'owner' })).toBeUndefined();
    expect(await karmada.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'dependent' })).toBeUndefined();
  });

  (existsSync(GO) ? step : it.skip)('the Go karmadactl prints the same for the same invocations', async () => {
    await karmada.create(cm('go1'));
    await karmada.create(cm('ours1'));
    const cases: [string[], string[]][] = [
      [['label', 'cm', 'go1', 'k=v'], ['label', 'cm', 'ours1', 'k=v']],
      [['annotate', 'cm', 'go1', 'n=1'], ['annotate', 'cm', 'ours1', 'n=1']],
      [['patch', 'cm', 'go1', '-p', '{"data":{"a":"c"}}'], ['patch', 'cm', 'ours1', '-p', '{"data":{"a":"c"}}']],
      [['patch', 'cm', 'go1', '-p', '{"data":{"a":"c"}}'], ['patch', 'cm', 'ours1', '-p', '{"data":{"a":"c"}}']],
      [['delete', 'cm', 'go1'], ['delete', 'cm', 'ours1']],
    ];
    for (const [g, o] of cases) {
      const a = await go(g);
      const b = await ka(o);
      expect({ code: b.code, stdout: b.stdout.replace(/ours1/g, 'X') }).toEqual({ code: a.code, stdout: a.stdout.replace(/go1/g, 'X') });
    }
  });
});
