import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { runCli } from '../support/context';
import type { TestApiServer } from '../support/apiserver';
import { startControlPlane, tmpDir } from '../support/clusters';
import { applyTaintChanges, parseTaintArgs } from '../../src/clusters/taint';

let cp: TestApiServer;
let cfg: string;
beforeEach(async () => {
  cp = await startControlPlane();
  cp.sim.clusterController = false;
  cfg = path.join(await tmpDir(), 'karmada.config');
  await cp.writeKubeconfig(cfg, { cluster: 'karmada' });
  for (const name of ['member1', 'member2']) cp.store.put({ apiVersion: 'cluster.karmada.io/v1alpha1', kind: 'Cluster', metadata: { name }, spec: { id: name, syncMode: 'Push', apiEndpoint: 'https://10.0.0.1:6443' } });
});
afterEach(() => cp.close());

const taints = (name: string) => cp.store.get('cluster.karmada.io/v1alpha1', 'Cluster', undefined, name)!.spec.taints;
const k = (...args: string[]) => runCli([...args, '--kubeconfig', cfg]);

describe('cordon / uncordon', () => {
  it('adds the unschedulable taint once, removes every match and keeps the other taints in order', async () => {
    const r = await k('cordon', 'member1');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('member1 cluster cordoned\n');
    expect(taints('member1')).toEqual([{ key: 'cluster.karmada.io/unschedulable', effect: 'NoSchedule' }]);
    const again = await k('cordon', 'member1');
    expect(again.stdout).toBe('member1 cluster already cordoned\n');
    const c = cp.store.get('cluster.karmada.io/v1alpha1', 'Cluster', undefined, 'member1')!;
    cp.store.put({ ...c, spec: { ...c.spec, taints: [{ key: 'a', effect: 'NoSchedule' }, ...c.spec.taints, { key: 'b', effect: 'NoExecute' }, { key: 'cluster.karmada.io/unschedulable', effect: 'NoSchedule' }] } });
    const u = await k('uncordon', 'member1');
    expect(u.stdout).toBe('member1 cluster uncordoned\n');
    expect(taints('member1')).toEqual([{ key: 'a', effect: 'NoSchedule' }, { key: 'b', effect: 'NoExecute' }]);
    expect((await k('uncordon', 'member1')).stdout).toBe('member1 cluster already uncordoned\n');
  });

  it('--dry-run reads and writes nothing; a missing cluster is a clear error; no name is a usage error', async () => {
    const w = cp.writes().length;
    const r = await k('cordon', 'member2', '--dry-run');
    expect(r.stdout).toBe('member2 cluster cordoned (dry run)\n');
    expect(cp.writes().length).toBe(w);
    expect(taints('member2')).toBeUndefined();
    const none = await k('cordon', 'nope');
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('clusters.cluster.karmada.io "nope" not found');
    const empty = await k('uncordon');
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('cluster name is required');
  });

  it('keeps a taint another client adds between our read and our write (optimistic concurrency, retried on conflict)', async () => {
    // Our PUT is held 300 ms; meanwhile the cluster controller marks the cluster not-ready.
    cp.faults.add({ method: 'PUT', path: '/clusters/member1', latencyMs: 300, nth: 1 });
    const run = k('cordon', 'member1');
    await new Promise((r) => setTimeout(r, 120));
    const c = cp.store.get('cluster.karmada.io/v1alpha1', 'Cluster', undefined, 'member1')!;
    cp.store.put({ ...c, spec: { ...c.spec, taints: [{ key: 'cluster.karmada.io/not-ready', effect: 'NoSchedule' }] } });
    const r = await run;
    expect(r.code).toBe(0);
    expect(taints('member1')).toEqual([
      { key: 'cluster.karmada.io/not-ready', effect: 'NoSchedule' },
      { key: 'cluster.karmada.io/unschedulable', effect: 'NoSchedule' },
    ]);
    const puts = cp.requests.filter((q) => q.method === 'PUT' && q.path.endsWith('/clusters/member1'));
    expect(puts.map((q) => q.status)).toEqual([409, 200]);
  });
});

describe('taint', () => {
  it('adds, refuses to overwrite without --overwrite, overwrites, removes by key and by key:effect', async () => {
    let r = await k('taint', 'clusters', 'member1', 'dedicated=special-user:NoSchedule', 'bar:NoExecute');
    expect(r.stdout).toBe('cluster/member1 tainted\n');
    expect(taints('member1')).toEqual([{ key: 'dedicated', value: 'special-user', effect: 'NoSchedule' }, { key: 'bar', effect: 'NoExecute' }]);
    r = await k('taint', 'clusters', 'member1', 'dedicated=other:NoSchedule');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cluster member1 already has dedicated taint(s) with same effect(s) and --overwrite is false');
    r = await k('taint', 'clusters', 'member1', 'dedicated=other:NoSchedule', '--overwrite');
    expect(r.stdout).toBe('cluster/member1 modified\n');
    expect(taints('member1')[0]).toEqual({ key: 'dedicated', value: 'other', effect: 'NoSchedule' });
    r = await k('taint', 'clusters', 'member1', 'bar:NoExecute-');
    expect(r.stdout).toBe('cluster/member1 untainted\n');
    r = await k('taint', 'cluster/member1', 'dedicated-');
    expect(r.stdout).toBe('cluster/member1 untainted\n');
    expect(taints('member1')).toBeUndefined();
    r = await k('taint', 'clusters', 'member1', 'dedicated-');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('taint "dedicated" not found');
  });

  it('several clusters in one command; --dry-run writes nothing', async () => {
    const w = cp.writes().length;
    const d = await k('taint', 'clusters', 'member1', 'member2', 'x=y:PreferNoSchedule', '--dry-run');
    expect(d.stdout).toBe('cluster/member1 tainted (dry run)\ncluster/member2 tainted (dry run)\n');
    expect(cp.writes().length).toBe(w);
    const r = await k('taint', 'clusters', 'member1', 'member2', 'x=y:PreferNoSchedule');
    expect(r.code).toBe(0);
    expect(taints('member2')).toEqual([{ key: 'x', value: 'y', effect: 'PreferNoSchedule' }]);
  });

  it.each([
    [['clusters', 'member1'], 'at least one taint update is required'],
    [['x=y:NoSchedule'], 'one or more resources must be specified as <resource> <name>'],
    [['nodes', 'n1', 'x=y:NoSchedule'], 'invalid resource type nodes, only ["cluster" "clusters"] are supported'],
    [['clusters', 'x=y:NoSchedule'], 'at least one resource name must be specified'],
    [['clusters', 'm', 'x=y:Sometimes'], 'invalid taint effect: Sometimes, unsupported taint effect'],
    [['clusters', 'm', 'x=y=z:NoSchedule'], 'invalid taint spec: x=y=z:NoSchedule'],
    [['clusters', 'm', 'x=y'], 'invalid taint spec: x=y'],
    [['clusters', 'm', 'bad key=v:NoSchedule'], 'invalid taint spec: bad key=v:NoSchedule'],
    [['clusters', 'm', 'a:NoSchedule', 'a:NoSchedule'], 'duplicated taints with the same key and effect'],
    [['clusters', 'm', 'a:NoSchedule', 'a-'], 'can not both modify and remove the following taint(s) in the same command: {"a":""}'],
    [['clusters', 'm', 'a:NoSchedule', 'other'], 'all resources must be specified before taint changes: other'],
  ])('rejects %j before any request', async (args, msg) => {
    const r = await k('taint', ...args);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(msg);
    expect(cp.requests.length).toBe(0);
  });
});

describe('completion', () => {
  it('completes cluster names for cordon, uncordon, unjoin and taint', async () => {
    const names = async (...args: string[]) => (await runCli(['__complete', ...args])).stdout.split('\n').filter((l) => l && !l.startsWith(':'));
    expect(await names('cordon', '--kubeconfig', cfg, '')).toEqual(['member1', 'member2']);
    expect(await names('uncordon', '--kubeconfig', cfg, 'member1', '')).toEqual(['member2']);
    expect(await names('unjoin', '--kubeconfig', cfg, '')).toEqual(['member1', 'member2']);
    expect(await names('taint', '--kubeconfig', cfg, '')).toEqual(['clusters']);
    expect(await names('taint', '--kubeconfig', cfg, 'clusters', '')).toEqual(['member1', 'member2']);
  });
});

describe('taint logic', () => {
  it('keeps timeAdded of a taint whose value is overwritten and reports unchanged when nothing changes', () => {
    const old = [{ key: 'k', value: 'v', effect: 'NoExecute', timeAdded: '2026-01-01T00:00:00Z' }];
    const { changes } = parseTaintArgs(['clusters', 'm', 'k=w:NoExecute']);
    expect(applyTaintChanges('m', old, changes, true)).toEqual({ taints: [{ key: 'k', value: 'w', effect: 'NoExecute', timeAdded: '2026-01-01T00:00:00Z' }], word: 'modified' });
    const same = parseTaintArgs(['clusters', 'm', 'k=v:NoExecute']).changes;
    expect(applyTaintChanges('m', old, same, true).word).toBe('unchanged');
  });
});
