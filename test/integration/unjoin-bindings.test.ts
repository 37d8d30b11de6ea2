import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { runCli } from '../support/context';
import type { TestApiServer } from '../support/apiserver';
import { startControlPlane, startMember, tmpDir } from '../support/clusters';

/**
 * A cluster that a ResourceBinding still schedules to cannot go (karmada-controller-manager keeps its
 * Works): unjoin's and unregister's timeouts name those bindings and the fix, not the controller.
 * (The e2e scenario in karmada.e2e.test.ts shows the same with the real karmada-controller-manager.)
 */
let cp: TestApiServer;
let m1: TestApiServer;
let dir: string;
beforeEach(async () => {
  [cp, m1] = await Promise.all([startControlPlane(), startMember('11111111-1111-1111-1111-111111111111')]);
  cp.store.put({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'resourcebindings.work.karmada.io' },
    spec: { group: 'work.karmada.io', scope: 'Namespaced', names: { kind: 'ResourceBinding', plural: 'resourcebindings', singular: 'resourcebinding' }, versions: [{ name: 'v1alpha2', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }] },
  });
  dir = await tmpDir();
  await Promise.all([cp.writeKubeconfig(path.join(dir, 'karmada.config'), { cluster: 'karmada' }), m1.writeKubeconfig(path.join(dir, 'member1.config'), { cluster: 'member1' })]);
});
afterEach(async () => {
  await Promise.all([cp.close(), m1.close()]);
});

describe('unjoin when bindings still hold the cluster', () => {
  it('names the bindings and how to release them', async () => {
    const cfg = path.join(dir, 'karmada.config');
    expect((await runCli(['join', 'member1', '--kubeconfig', cfg, '--cluster-kubeconfig', path.join(dir, 'member1.config')])).code).toBe(0);
    await new Promise((r) => setTimeout(r, 20));
    cp.store.put({ apiVersion: 'work.karmada.io/v1alpha2', kind: 'ResourceBinding', metadata: { name: 'nginx-deployment', namespace: 'default' }, spec: { clusters: [{ name: 'member1', replicas: 2 }] } });
    cp.store.put({ apiVersion: 'work.karmada.io/v1alpha2', kind: 'ResourceBinding', metadata: { name: 'other-deployment', namespace: 'default' }, spec: { clusters: [{ name: 'member2', replicas: 1 }] } });
    cp.sim.stuckClusterDeletion = ['member1'];
    const r = await runCli(['unjoin', 'member1', '--kubeconfig', cfg, '--wait', '1s']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('1 binding still schedules workloads to cluster member1 (ResourceBinding/default/nginx-deployment)');
    expect(r.stderr).not.toContain('other-deployment');
    expect(r.stderr).not.toContain('has not finished cleaning up');
    expect(r.stderr).toContain('PropagationPolicy');
    expect(r.stderr).toContain('unjoin member1');
  });
});
