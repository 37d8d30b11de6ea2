import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/context';
import { startFederation, type Federation } from '../support/federation';
import { PROPAGATION_POLICY_CRD } from '../support/mutate';

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
  fed.karmada.store.put(PROPAGATION_POLICY_CRD);
  for (let i = 0; i < 200 && !fed.karmada.core.registry.byPath('policy.karmada.io', 'v1alpha1', 'propagationpolicies'); i++) await new Promise((r) => setTimeout(r, 10));
  const m = fed.members.member1.store;
  m.put(deploy('nginx'));
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
});
