import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/context';
import { startFederation, type Federation } from '../support/federation';
import { PROPAGATION_POLICY_CRD, expectRefused } from '../support/mutate';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ServerExtension } from '../support/apiserver/ext';

let refusePolicy = false;
const refuser: ServerExtension = {
  intercept(r, res) {
    if (!refusePolicy || r.method !== 'POST' || !r.url.pathname.endsWith('/propagationpolicies')) return false;
    res.writeHead(403, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Forbidden', code: 403, message: 'propagationpolicies.policy.karmada.io is forbidden: User "x" cannot create resource' }));
    return true;
  },
};
const writes = () => fed.karmada.writes().filter((w) => !w.path.includes('/discovery')).length;

let fed: Federation;
const run = (args: string[]) => runCli([...args, '--kubeconfig', fed.kubeconfig], { env: fed.env, homedir: fed.homedir });
const deploy = (name: string) => ({
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: { name, namespace: 'default', uid: 'u-1', resourceVersion: '5', annotations: { 'deployment.kubernetes.io/revision': '1' } },
  spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { serviceAccountName: 'sa1', containers: [{ name: 'c', image: 'nginx', envFrom: [{ configMapRef: { name: 'cm1' } }] }] } } },
  status: { replicas: 1 },
});

beforeAll(async () => {
  fed = await startFederation(['member1']);
  fed.karmada.core.extensions.unshift(refuser);
  fed.karmada.store.put(PROPAGATION_POLICY_CRD);
  fed.karmada.store.put({ ...PROPAGATION_POLICY_CRD, metadata: { name: 'clusterpropagationpolicies.policy.karmada.io' }, spec: { ...PROPAGATION_POLICY_CRD.spec, scope: 'Cluster', names: { kind: 'ClusterPropagationPolicy', plural: 'clusterpropagationpolicies', singular: 'clusterpropagationpolicy' } } });
  for (let i = 0; i < 200 && !fed.karmada.core.registry.byPath('policy.karmada.io', 'v1alpha1', 'propagationpolicies'); i++) await new Promise((r) => setTimeout(r, 10));
  const m = fed.members.member1.store;
  m.put(deploy('nginx'));
  m.put(deploy('web'));
  m.put(deploy('api'));
  m.put({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'system:test', uid: 'x' }, rules: [] });
  m.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm1', namespace: 'default' }, data: { a: 'b' } });
  m.put({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa1', namespace: 'default' } });
});
afterAll(async () => fed?.close());

describe('promote', () => {
  it('checks in order', async () => {
    expect((await run(['promote', 'deploy'])).stderr).toBe('error: incorrect command format, please use correct command format\n');
    expect((await run(['promote', 'deploy', 'nginx'])).stderr).toBe('error: the cluster cannot be empty\n');
    expect((await run(['promote', 'deploy', 'nginx', '-C', 'member1', '-o', 'wide'])).stderr).toBe('error: invalid output format: supported formats are json and yaml\n');
    expect((await run(['promote', 'deploy', 'nope', '-C', 'member1'])).stderr).toBe("error: failed to get resource in cluster(member1). err: the deploy or nope don't exist in cluster(member1)\n");
  });
  it('-o yaml -d creates nothing', async () => {
    const r = await run(['promote', 'deploy', 'nginx', '-C', 'member1', '-o', 'yaml', '-d']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('name: nginx-6d7f8d5f5b');
    expect(r.stdout).toContain('work.karmada.io/conflict-resolution: overwrite');
    expect(r.stdout).not.toContain('uid:');
    expect(fed.karmada.store.get('v1', 'ConfigMap', 'default', 'cm1')).toBeUndefined();
  });
  it('promotes with dependencies, then a re-run changes nothing', async () => {
    const r = await run(['promote', 'deploy', 'nginx', '-C', 'member1', '-d']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Resource "apps/v1, Resource=deployments"(default/nginx) is promoted successfully');
    const d = fed.karmada.store.get('apps/v1', 'Deployment', 'default', 'nginx')!;
    expect((d.metadata as any).annotations).toEqual({ 'work.karmada.io/conflict-resolution': 'overwrite' });
    expect(fed.karmada.store.get('v1', 'ConfigMap', 'default', 'cm1')).toBeDefined();
    expect(fed.karmada.store.get('v1', 'ServiceAccount', 'default', 'sa1')).toBeDefined();
    const p = fed.karmada.store.get('policy.karmada.io/v1alpha1', 'PropagationPolicy', 'default', 'nginx-6d7f8d5f5b')! as any;
    expect(p.spec).toMatchObject({ propagateDeps: true, placement: { clusterAffinity: { clusterNames: ['member1'] } }, conflictResolution: 'Overwrite', preserveResourcesOnDeletion: true });
    const again = await run(['promote', 'deploy', 'nginx', '-C', 'member1', '-d']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('nothing changed');
  });

  it('a policy that cannot be created undoes this run (template and dependencies)', async () => {
    fed.karmada.store.delete('v1', 'ConfigMap', 'default', 'cm1');
    fed.karmada.store.delete('v1', 'ServiceAccount', 'default', 'sa1');
    refusePolicy = true;
    try {
      const r = await run(['promote', 'deploy', 'web', '-C', 'member1', '-d']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^error: failed to create PropagationPolicy \(default\/web-6d7f8d5f5b\): .*forbidden/);
      expect(r.stdout).toContain('is reverted successfully');
    } finally {
      refusePolicy = false;
    }
    expect(fed.karmada.store.get('apps/v1', 'Deployment', 'default', 'web')).toBeUndefined();
    expect(fed.karmada.store.get('v1', 'ConfigMap', 'default', 'cm1')).toBeUndefined();
    expect(fed.karmada.store.get('v1', 'ServiceAccount', 'default', 'sa1')).toBeUndefined();
    // the re-run converges
    expect((await run(['promote', 'deploy', 'web', '-C', 'member1'])).code).toBe(0);
    expect(fed.karmada.store.get('policy.karmada.io/v1alpha1', 'PropagationPolicy', 'default', 'web-6d7f8d5f5b')).toBeDefined();
  });
  it('an existing policy of that name writes nothing', async () => {
    fed.karmada.store.put({ apiVersion: 'policy.karmada.io/v1alpha1', kind: 'PropagationPolicy', metadata: { name: 'taken', namespace: 'default' }, spec: {} });
    await expectRefused(() => run(['promote', 'deploy', 'api', '-C', 'member1', '--policy-name', 'taken']), 'error: the PropagationPolicy(default/taken) already exist, please edit it to propagate resource\n', writes);
  });
  it('a missing cluster and --dry-run write nothing', async () => {
    await expectRefused(() => run(['promote', 'deploy', 'api', '-C', 'nope']), /^error: failed to get Factory of the member cluster\. err: .*nope/, writes);
    const before = writes();
    const r = await run(['promote', 'deploy', 'api', '-C', 'member1', '--dry-run']);
    expect([r.code, r.stdout]).toEqual([0, '']);
    expect(writes()).toBe(before);
  });
  it('a cluster-scoped object gets a ClusterPropagationPolicy', async () => {
    const r = await run(['promote', 'clusterrole', 'system:test', '-C', 'member1']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('ClusterPropagationPolicy system.test-54499c54c is created successfully');
    expect(r.stdout).toContain('Resource "rbac.authorization.k8s.io/v1, Resource=clusterroles"(system:test) is promoted successfully');
    expect(fed.karmada.store.get('rbac.authorization.k8s.io/v1', 'ClusterRole', undefined, 'system:test')).toBeDefined();
  });

  it('-d uses a ResourceInterpreterCustomization from Karmada; interpret reads it by name', async () => {
    fed.karmada.store.put({ ...PROPAGATION_POLICY_CRD, metadata: { name: 'resourceinterpretercustomizations.config.karmada.io' }, spec: { ...PROPAGATION_POLICY_CRD.spec, group: 'config.karmada.io', scope: 'Cluster', names: { kind: 'ResourceInterpreterCustomization', plural: 'resourceinterpretercustomizations', singular: 'resourceinterpretercustomization' } } });
    for (let i = 0; i < 200 && !fed.karmada.core.registry.byPath('config.karmada.io', 'v1alpha1', 'resourceinterpretercustomizations'); i++) await new Promise((r) => setTimeout(r, 10));
    const lua = 'function GetDependencies(desiredObj)\n  return {{apiVersion = "v1", kind = "ConfigMap", namespace = desiredObj.metadata.namespace, name = "extra"}}\nend';
    fed.karmada.store.put({ apiVersion: 'config.karmada.io/v1alpha1', kind: 'ResourceInterpreterCustomization', metadata: { name: 'deps' }, spec: { target: { apiVersion: 'apps/v1', kind: 'Deployment' }, customizations: { dependencyInterpretation: { luaScript: lua } } } });
    fed.members.member1.store.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'extra', namespace: 'default' }, data: {} });
    fed.members.member1.store.put(deploy('cfg'));
    const r = await run(['promote', 'deploy', 'cfg', '-C', 'member1', '-d']);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n').slice(0, 2)).toEqual(['use configurable interpreter', 'Dependency resource "/v1, Resource=configmaps"(default/extra) is promoted successfully']);
    expect(fed.karmada.store.get('v1', 'ConfigMap', 'default', 'extra')).toBeDefined();
    const i = await run(['interpret', 'deps', '--check']);
    expect(i.stderr).toBe('');
    expect(i.stdout).toMatch(/InterpretDependency:\s+PASS/);
  });

  it('--cluster-kubeconfig reads the member with its own kubeconfig; its context defaults to the cluster name', async () => {
    const kc = path.join(fed.dir, 'member1.config');
    await writeFile(kc, fed.members.member1.kubeconfig({ cluster: 'm1', context: 'member1' }), { mode: 0o600 });
    fed.members.member1.store.put(deploy('kc'));
    const r = await run(['promote', 'deploy', 'kc', '-C', 'member1', '--cluster-kubeconfig', kc, '-o', 'json']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('"name": "kc-6d7f8d5f5b"');
    const bad = await run(['promote', 'deploy', 'kc', '-C', 'member1', '--cluster-kubeconfig', kc, '--cluster-context', 'other']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: failed to get Factory of the member cluster\. err: .*other/);
  });
});
