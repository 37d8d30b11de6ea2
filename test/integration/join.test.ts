import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { runCli } from '../support/context';
import type { TestApiServer } from '../support/apiserver';
import { mergedKubeconfig, startControlPlane, startMember, tmpDir } from '../support/clusters';

let cp: TestApiServer;
let m1: TestApiServer;
let m2: TestApiServer;
let dir: string;
let cpCfg: string;
let m1Cfg: string;
let m2Cfg: string;

beforeEach(async () => {
  [cp, m1, m2] = await Promise.all([startControlPlane(), startMember('11111111-1111-1111-1111-111111111111'), startMember('22222222-2222-2222-2222-222222222222')]);
  dir = await tmpDir();
  cpCfg = path.join(dir, 'karmada.config');
  m1Cfg = path.join(dir, 'member1.config');
  m2Cfg = path.join(dir, 'member2.config');
  await Promise.all([cp.writeKubeconfig(cpCfg, { cluster: 'karmada' }), m1.writeKubeconfig(m1Cfg, { cluster: 'member1' }), m2.writeKubeconfig(m2Cfg, { cluster: 'member2' })]);
});
afterEach(async () => {
  await Promise.all([cp.close(), m1.close(), m2.close()]);
});

const join = (name: string, cfg: string, extra: string[] = []) => runCli(['join', name, '--kubeconfig', cpCfg, '--cluster-kubeconfig', cfg, ...extra]);
const cluster = (name: string) => cp.store.get('cluster.karmada.io/v1alpha1', 'Cluster', undefined, name);
const memberObjects = (m: TestApiServer, name: string) => ({
  ns: m.store.get('v1', 'Namespace', undefined, 'karmada-cluster'),
  sa: m.store.get('v1', 'ServiceAccount', 'karmada-cluster', `karmada-${name}`),
  imp: m.store.get('v1', 'ServiceAccount', 'karmada-cluster', 'karmada-impersonator'),
  role: m.store.get('rbac.authorization.k8s.io/v1', 'ClusterRole', undefined, `karmada-controller-manager:karmada-${name}`),
  binding: m.store.get('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', undefined, `karmada-controller-manager:karmada-${name}`),
  token: m.store.get('v1', 'Secret', 'karmada-cluster', `karmada-${name}`),
});
const writesOf = (s: TestApiServer) => s.writes().length;
/** A re-run applies everything again and must change nothing a user sees. */
const contentOf = (s: TestApiServer) => s.content();

describe('join', () => {
  it('registers a member from two kubeconfig files: the objects of the reference on both sides', async () => {
    const r = await join('member1', m1Cfg, ['--cluster-provider', 'aws', '--cluster-region', 'eu-west-1', '--cluster-zones', 'a,b', '--cluster-zones', 'c']);
    expect(r.stderr).not.toContain('error:');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('cluster(member1) is joined successfully\n');
    const mo = memberObjects(m1, 'member1');
    expect(mo.ns!.metadata.labels).toEqual({ 'karmada.io/system': 'true' });
    expect(mo.sa!.metadata.labels).toEqual({ 'karmada.io/system': 'true' });
    expect(mo.imp).toBeTruthy();
    expect(mo.role!.rules).toEqual([{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { nonResourceURLs: ['*'], verbs: ['get'] }]);
    expect(mo.binding!.subjects).toEqual([{ kind: 'ServiceAccount', name: 'karmada-member1', namespace: 'karmada-cluster' }]);
    expect(mo.token!.type).toBe('kubernetes.io/service-account-token');
    const c = cluster('member1')!;
    expect(c.spec).toEqual({
      id: '11111111-1111-1111-1111-111111111111',
      syncMode: 'Push',
      apiEndpoint: m1.url,
      secretRef: { namespace: 'karmada-cluster', name: 'member1' },
      impersonatorSecretRef: { namespace: 'karmada-cluster', name: 'member1-impersonator' },
      provider: 'aws',
      region: 'eu-west-1',
      zones: ['a', 'b', 'c'],
    });
    const creds = cp.store.get('v1', 'Secret', 'karmada-cluster', 'member1')!;
    const imp = cp.store.get('v1', 'Secret', 'karmada-cluster', 'member1-impersonator')!;
    const dec = (s: string) => Buffer.from(s, 'base64').toString();
    expect(dec(creds.data.token)).toBe(dec(mo.token!.data.token));
    expect(dec(creds.data.caBundle)).toBe(m1.caPem);
    expect(dec(imp.data.token)).toBe(dec(m1.store.get('v1', 'Secret', 'karmada-cluster', 'karmada-impersonator')!.data.token));
    for (const s of [creds, imp]) expect(s.metadata.ownerReferences).toEqual([{ apiVersion: 'cluster.karmada.io/v1alpha1', kind: 'Cluster', name: 'member1', uid: c.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    // the token values are never printed
    expect(r.stdout + r.stderr).not.toContain(dec(creds.data.token));
  });

  it('uses contexts of one kubeconfig file for both sides; a re-run changes nothing; -o json', async () => {
    const file = await mergedKubeconfig(path.join(dir, 'all.config'), { karmada: cp, member1: m1 }, 'member1');
    const args = ['join', 'member1', '--kubeconfig', file, '--karmada-context', 'karmada', '--cluster-kubeconfig', file, '--cluster-context', 'member1'];
    const r = await runCli(args);
    expect(r.code).toBe(0);
    expect(cluster('member1')!.spec.id).toBe('11111111-1111-1111-1111-111111111111');
    const before = [contentOf(cp), contentOf(m1)];
    const again = await runCli([...args, '-o', 'json']);
    expect(again.code).toBe(0);
    const out = JSON.parse(again.stdout);
    expect(out).toMatchObject({ cluster: 'member1', alreadyJoined: true, syncMode: 'Push' });
    expect(out.changes.every((c: { action: string }) => c.action === 'unchanged')).toBe(true);
    expect([contentOf(cp), contentOf(m1)]).toEqual(before);
    const text = await runCli(args);
    expect(text.stdout).toBe('cluster(member1) is already joined; nothing changed\n');
  });

  it.each([
    ['Member1', /invalid cluster name\(Member1\)/],
    ['a'.repeat(49), /must be no more than 48 characters/],
    ['bad.name', /invalid cluster name/],
    ['impersonator', /collides with the karmada-impersonator/],
    ['', /cluster name is required/],
  ])('rejects the name %j before any request', async (name, re) => {
    const r = await join(name, m1Cfg);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(re);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(cp.requests.length + m1.requests.length).toBe(0);
  });

  it('refuses a name already taken by another cluster, and the same cluster under a second name, before writing', async () => {
    expect((await join('member1', m1Cfg)).code).toBe(0);
    const w = [writesOf(cp), writesOf(m2), writesOf(m1)];
    const dup = await join('member1', m2Cfg);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('the cluster ID 22222222-2222-2222-2222-222222222222 or the cluster name member1 has been registered');
    expect(dup.stderr).toContain('choose another cluster name');
    const second = await join('other', m1Cfg);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('already registered as "member1"');
    expect(second.stderr).toContain('unjoin member1');
    expect([writesOf(cp), writesOf(m2), writesOf(m1)]).toEqual(w);
  });

  it('says when --kubeconfig is not a Karmada control plane', async () => {
    const r = await runCli(['join', 'member1', '--kubeconfig', m2Cfg, '--cluster-kubeconfig', m1Cfg]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is not a Karmada control plane/);
    expect(r.stderr).toContain('karmada-apiserver.config');
    expect(writesOf(m1) + writesOf(m2)).toBe(0);
  });

  const steps: [string, 'cp' | 'member', string, string | RegExp][] = [
    ['member namespace', 'member', 'POST', /^\/api\/v1\/namespaces$/],
    ['member ClusterRoleBinding', 'member', 'PATCH', '/clusterrolebindings'],
    ['member token secret', 'member', 'POST', /\/namespaces\/karmada-cluster\/secrets$/],
    ['control-plane namespace', 'cp', 'POST', /^\/api\/v1\/namespaces$/],
    ['control-plane secret', 'cp', 'PATCH', /\/namespaces\/karmada-cluster\/secrets\/member1$/],
    ['Cluster object', 'cp', 'POST', '/clusters'],
    ['owner reference patch', 'cp', 'PATCH', /secrets\/member1-impersonator$/],
  ];
  it.each(steps)('a failure at the %s: error names the phase, what the run created is removed, a re-run joins', async (_label, side, method, p) => {
    const target = side === 'cp' ? cp : m1;
    // A pre-existing namespace on the member must survive the rollback.
    target.faults.add({ method, path: p, status: 403, message: 'injected', nth: 1 });
    const r = await join('member1', m1Cfg);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^.*error: (member|karmada): /m);
    expect(r.stderr).toContain('injected');
    await new Promise((res) => setTimeout(res, 30)); // namespaces deleted by the rollback finish terminating
    expect(cluster('member1')).toBeUndefined();
    expect(m1.store.get('v1', 'Namespace', undefined, 'karmada-cluster')).toBeUndefined();
    expect(cp.store.list('v1', 'Secret', 'karmada-cluster')).toEqual([]);
    expect(m1.store.get('rbac.authorization.k8s.io/v1', 'ClusterRole', undefined, 'karmada-controller-manager:karmada-member1')).toBeUndefined();
    const again = await join('member1', m1Cfg);
    expect(again.stderr).not.toContain('error:');
    expect(again.code).toBe(0);
    expect(cluster('member1')!.spec.id).toBe('11111111-1111-1111-1111-111111111111');
  });

  it('--dry-run reads both sides, prints the plan and writes nothing on either', async () => {
    const r = await join('member1', m1Cfg, ['--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('member: Namespace karmada-cluster would be created');
    expect(r.stdout).toContain('karmada: Cluster member1 would be created');
    expect(r.stdout).toContain('dry run: nothing was written');
    expect(writesOf(cp) + writesOf(m1)).toBe(0);
  });

  it('impersonates on the control plane with --karmada-as and --karmada-as-group', async () => {
    const r = await join('member1', m1Cfg, ['--karmada-as', 'karmada-admin', '--karmada-as-group', 'system:masters', '--karmada-as-group', 'ops,team']);
    expect(r.code).toBe(0);
    const users = new Set(cp.requests.map((q) => q.user));
    expect(users).toEqual(new Set(['karmada-admin']));
    expect(new Set(m1.requests.map((q) => q.user))).toEqual(new Set(['kubernetes-admin']));
  });
});

describe('unjoin', () => {
  it('after join leaves neither side with anything join made, and says what it removed', async () => {
    expect((await join('member1', m1Cfg)).code).toBe(0);
    const r = await runCli(['unjoin', 'member1', '--kubeconfig', cpCfg, '--cluster-kubeconfig', m1Cfg]);
    expect(r.stderr).not.toContain('error:');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('deleted karmada: Cluster member1');
    expect(r.stdout).toContain('deleted member: Namespace karmada-cluster');
    expect(r.stdout).toMatch(/cluster\(member1\) is unjoined successfully\n$/);
    await new Promise((res) => setTimeout(res, 30));
    expect(cluster('member1')).toBeUndefined();
    expect(cp.store.get('v1', 'Namespace', undefined, 'karmada-es-member1')).toBeUndefined();
    expect(cp.store.list('v1', 'Secret', 'karmada-cluster')).toEqual([]);
    expect(cp.store.get('v1', 'Namespace', undefined, 'karmada-cluster')).toBeUndefined();
    const mo = memberObjects(m1, 'member1');
    expect([mo.ns, mo.sa, mo.imp, mo.role, mo.binding, mo.token]).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
  });

  it('keeps a member namespace that join did not create; --dry-run deletes nothing', async () => {
    m1.store.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'karmada-cluster' }, status: { phase: 'Active' } });
    expect((await join('member1', m1Cfg)).code).toBe(0);
    expect(m1.store.get('v1', 'Namespace', undefined, 'karmada-cluster')!.metadata.labels).toBeUndefined();
    const w = [writesOf(cp), writesOf(m1)];
    const dry = await runCli(['unjoin', 'member1', '--kubeconfig', cpCfg, '--cluster-kubeconfig', m1Cfg, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('karmada: Cluster member1 would be deleted');
    expect(dry.stdout).toContain('member: Namespace karmada-cluster would be kept');
    expect([writesOf(cp), writesOf(m1)]).toEqual(w);
    const r = await runCli(['unjoin', 'member1', '--kubeconfig', cpCfg, '--cluster-kubeconfig', m1Cfg]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('kept member: Namespace karmada-cluster (not created by karmada)');
    expect(m1.store.get('v1', 'Namespace', undefined, 'karmada-cluster')).toBeTruthy();
    expect(m1.store.get('v1', 'ServiceAccount', 'karmada-cluster', 'karmada-member1')).toBeUndefined();
  });

  it('a deletion the controller never finishes: a clear error after --wait; --force removes the finalizers', async () => {
    expect((await join('member1', m1Cfg)).code).toBe(0);
    await new Promise((res) => setTimeout(res, 20));
    expect(cluster('member1')!.metadata.finalizers).toEqual(['karmada.io/cluster-controller']);
    cp.store.put({ apiVersion: 'work.karmada.io/v1alpha1', kind: 'Work', metadata: { name: 'w1', namespace: 'karmada-es-member1', finalizers: ['karmada.io/execution-controller'] }, spec: {} });
    cp.sim.stuckClusterDeletion = ['member1'];
    const r = await runCli(['unjoin', 'member1', '--kubeconfig', cpCfg, '--wait', '1s']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('finalizers: karmada.io/cluster-controller');
    expect(r.stderr).toContain('--force');
    const f = await runCli(['unjoin', 'member1', '--kubeconfig', cpCfg, '--wait', '1s', '--force']);
    expect(f.stderr).not.toContain('error:');
    expect(f.code).toBe(0);
    expect(f.stdout).toContain('(forced)');
    expect(f.stdout).toContain('kept member cluster objects (no --cluster-kubeconfig given)');
    expect(cluster('member1')).toBeUndefined();
    expect(cp.store.get('work.karmada.io/v1alpha1', 'Work', 'karmada-es-member1', 'w1')?.metadata.finalizers ?? []).toEqual([]);
  });

  it('errors: unknown cluster, Pull-mode cluster, bad --wait', async () => {
    const none = await runCli(['unjoin', 'nope', '--kubeconfig', cpCfg]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no cluster object nope found in karmada control Plane');
    cp.store.put({ apiVersion: 'cluster.karmada.io/v1alpha1', kind: 'Cluster', metadata: { name: 'pulled' }, spec: { syncMode: 'Pull', id: 'x' } });
    const pull = await runCli(['unjoin', 'pulled', '--kubeconfig', cpCfg]);
    expect(pull.code).toBe(1);
    expect(pull.stderr).toContain('please use command `unregister`');
    const wait = await runCli(['unjoin', 'member1', '--kubeconfig', cpCfg, '--wait', '0s']);
    expect(wait.code).toBe(1);
    expect(wait.stderr).toContain('must be a positive duration');
  });
});
