import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { runCli } from '../support/context';
import { Processes, bridgeAgent, bridgeKarmada, clientFor, freeNodePort, startCluster, type Cluster, type KarmadaBridge } from './harness';
import type { K8sObject } from '../../src/kube/types';
import type { KubeClient } from '../../src/kube/client';

/**
 * The seed's test section on Karmada's own components, run from the Deployments our CLI created:
 * init on a host, member1 + member2 joined (Push), member3 registered (Pull, its real karmada-agent
 * registers it), then propagation, dynamic weights, the scheduler estimators, the descheduler and
 * karmada-search — each checked by reading the members' real APIs. One harness, scenarios in order.
 */
const CRDS = path.resolve(__dirname, '../../../shared/fixtures/karmada-crds-v1.18.2.tar.gz');
/** Test tuning of the descheduler (defaults 2m and 5m): listed in docs/notes/e2e.md. */
const DESCHEDULER_TUNE = { 'descheduling-interval': '5s', 'unschedulable-threshold': '15s' };

let procs: Processes;
let host: Cluster;
const m: Record<string, Cluster> = {};
const mc: Record<string, KubeClient> = {};
let bridge: KarmadaBridge;
let stopBridge: () => void;
let agent: { stop(): void };
let karmada: KubeClient;
let karmadaCfg: string;
let failed = false;
const file = (n: string) => path.join(procs.dir, n);
const MEMBERS = ['member1', 'member2', 'member3'] as const;
const started = performance.now();

beforeAll(async () => {
  procs = await Processes.create('karmada');
  // member1 has the most room (8 CPUs), member2 and member3 4 each: weights and estimates differ.
  // (Memory is ample: the general estimator grades a node by its smallest resource in Karmada's
  // default resource models, so 8 CPUs with 16Gi would count as 2 CPUs.)
  const [h, m1, m2, m3] = await Promise.all([
    startCluster(procs, 'host', { nodes: [{ name: 'host-node' }] }),
    startCluster(procs, 'member1', { nodes: [{ name: 'm1-node', capacity: { cpu: '8', memory: '64Gi' } }] }),
    startCluster(procs, 'member2', { nodes: [{ name: 'm2-node', capacity: { cpu: '4', memory: '32Gi' } }] }),
    startCluster(procs, 'member3', { nodes: [{ name: 'm3-node', capacity: { cpu: '4', memory: '32Gi' } }] }),
  ]);
  host = h;
  Object.assign(m, { member1: m1, member2: m2, member3: m3 });
  for (const n of MEMBERS) mc[n] = await m[n].client();
  const port = await freeNodePort();
  const b = bridgeKarmada(procs, host, { nodePort: port, tune: { 'karmada-descheduler': DESCHEDULER_TUNE } });
  stopBridge = b.stop;
  const r = await runCli(['init', '--kubeconfig', host.writeKubeconfig(file('host.config')), '--port', String(port), '-d', file('data'), '--karmada-pki', file('pki'), '--crds', CRDS, '--wait-component-ready-timeout', '300']);
  if (r.code !== 0) throw new Error(`init failed: ${r.stderr}`);
  bridge = await b.ready;
  karmadaCfg = file('data/karmada-apiserver.config');
  karmada = await clientFor(readFileSync(karmadaCfg, 'utf8'));
  for (const n of ['member1', 'member2']) {
    const j = await runCli(['join', n, '--kubeconfig', karmadaCfg, '--cluster-kubeconfig', m[n].writeKubeconfig(file(`${n}.config`))]);
    if (j.code !== 0) throw new Error(`join ${n} failed: ${j.stderr}`);
  }
  agent = bridgeAgent(procs, m.member3, { routes: bridge.routes });
  const t = await runCli(['token', 'create', '--print-register-command', '--kubeconfig', karmadaCfg]);
  if (t.code !== 0) throw new Error(`token create failed: ${t.stderr}`);
  const reg = await runCli(['register', ...t.stdout.trim().split(' ').slice(2), '--kubeconfig', m.member3.writeKubeconfig(file('member3.config')), '--cluster-name', 'member3', '--discovery-timeout', '2m']);
  if (reg.code !== 0) throw new Error(`register member3 failed: ${reg.stderr}`);
}, 900_000);

afterAll(async () => {
  karmada?.close();
  for (const c of Object.values(mc)) c.close();
  agent?.stop();
  stopBridge?.();
  process.stderr.write(`e2e karmada: ${((performance.now() - started) / 1000).toFixed(0)} s wall; real: ${bridge?.real.join(', ')}, member3 karmada-agent\n`);
  await procs?.stop(failed);
});

const step = (name: string, fn: () => Promise<void>, timeout = 600_000) =>
  it(name, async () => {
    try {
      await fn();
    } catch (e) {
      failed = true;
      throw e;
    }
  }, timeout);

type Obj = K8sObject & Record<string, any>;
/** Polls until `fn` returns a value (not undefined/false); the last error or value is in the timeout message. */
async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 180_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v as T;
      last = undefined;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}
const dep = (c: KubeClient, name: string) => c.get<Obj>({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name });
const replicasOn = async (name: string) => Object.fromEntries(await Promise.all(MEMBERS.map(async (n) => [n, (await dep(mc[n], name))?.spec.replicas ?? 0] as const)));
const binding = (name: string) => karmada.get<Obj>({ apiVersion: 'work.karmada.io/v1alpha2', kind: 'ResourceBinding', namespace: 'default', name: `${name}-deployment` });

function deployment(name: string, replicas: number, requests?: { cpu: string; memory: string }): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', labels: { app: name } },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'nginx', image: 'nginx', ...(requests ? { resources: { requests } } : {}) }] } } },
  };
}
function policy(name: string, clusters: string[], replicaScheduling: object): Obj {
  return {
    apiVersion: 'policy.karmada.io/v1alpha1',
    kind: 'PropagationPolicy',
    metadata: { name, namespace: 'default' },
    spec: { resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name }], placement: { clusterAffinity: { clusterNames: clusters }, replicaScheduling } },
  };
}
const dynamic = { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted', weightPreference: { dynamicWeight: 'AvailableReplicas' } };
async function remove(name: string) {
  await karmada.delete({ apiVersion: 'policy.karmada.io/v1alpha1', kind: 'PropagationPolicy', namespace: 'default', name });
  await karmada.delete({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name });
  await until(`${name} gone from the members`, async () => Object.values(await replicasOn(name)).every((x) => x === 0) && !(await binding(name)));
}
const ready = (c: Obj | undefined) => c?.status?.conditions?.find((x: { type: string }) => x.type === 'Ready')?.status === 'True';

describe('Karmada on its own components, installed by our CLI', () => {
  step('(6) every member Cluster Ready, set by the real status controllers: member1/member2 (Push), member3 (Pull) registered by the real karmada-agent', async () => {
    const clusters = await until('three Ready clusters', async () => {
      const list = (await karmada.list<Obj>('cluster.karmada.io/v1alpha1', 'Cluster')).items;
      return list.length === 3 && list.every(ready) ? list : undefined;
    });
    const by = Object.fromEntries(clusters.map((c) => [c.metadata.name, c]));
    expect(Object.keys(by).sort()).toEqual([...MEMBERS]);
    expect(by.member1.spec.syncMode).toBe('Push');
    expect(by.member3.spec).toMatchObject({ syncMode: 'Pull', id: m.member3.kubeSystemUid, apiEndpoint: m.member3.url });
    // the status controllers read the members: version and node summary are the real ones
    for (const n of MEMBERS) expect(by[n].status.kubernetesVersion).toBe('v1.35.4');
    await until('resource summaries', async () => {
      const list = (await karmada.list<Obj>('cluster.karmada.io/v1alpha1', 'Cluster')).items;
      const cpu = Object.fromEntries(list.map((c) => [c.metadata.name, c.status?.resourceSummary?.allocatable?.cpu]));
      return cpu.member1 === '8' && cpu.member2 === '4' && cpu.member3 === '4' ? true : undefined;
    });
    // the agent reported member3's credentials (its --report-secrets), as karmada-search needs them
    expect(by.member3.spec.secretRef?.name).toBe('member3');
  });

  step('(1) nginx, 2 replicas, Divided/Weighted static 1:1 over member2 + member3: one replica Running in each, status aggregated back', async () => {
    await karmada.create(deployment('nginx', 2));
    // (retried: the real karmada-webhook may still be starting; the policy must pass it)
    const pp = await until('the policy admitted by karmada-webhook', () => karmada.create<Obj>(policy('nginx', ['member2', 'member3'], { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted', weightPreference: { staticWeightList: [{ targetCluster: { clusterNames: ['member2'] }, weight: 1 }, { targetCluster: { clusterNames: ['member3'] }, weight: 1 }] } })), 60_000);
    // the real karmada-webhook mutated the policy on its way in
    expect(pp.spec.resourceSelectors[0].namespace).toBe('default');
    expect(pp.metadata.labels?.['propagationpolicy.karmada.io/permanent-id']).toMatch(/^[0-9a-f-]{36}$/);
    for (const n of ['member2', 'member3']) {
      const d = await until(`nginx ready on ${n}`, async () => {
        const x = await dep(mc[n], 'nginx');
        return x?.status?.readyReplicas === 1 ? x : undefined;
      });
      expect(d.spec.replicas).toBe(1);
      const pods = (await mc[n].list<Obj>('v1', 'Pod', { namespace: 'default', labelSelector: 'app=nginx' })).items;
      expect(pods.map((p) => p.status.phase)).toEqual(['Running']);
    }
    expect(await dep(mc.member1, 'nginx')).toBeUndefined();
    const agg = await until('status aggregated into the karmada-apiserver', async () => {
      const x = await dep(karmada, 'nginx');
      return x?.status?.readyReplicas === 2 && x.status.availableReplicas === 2 ? x : undefined;
    });
    expect(agg.status.replicas).toBe(2);
  });

  step('(5) karmada-search: a ResourceRegistry for Deployments in member2/member3, then the search cache lists them', async () => {
    const base = ['addons', 'enable', '--kubeconfig', file('host.config'), '--karmada-kubeconfig', karmadaCfg, '--pod-timeout', '180', '--apiservice-timeout', '180'];
    const r = await runCli([...base, 'karmada-search']);
    expect(r.stderr).not.toContain('error:');
    expect(r.code).toBe(0);
    await karmada.create({ apiVersion: 'search.karmada.io/v1alpha1', kind: 'ResourceRegistry', metadata: { name: 'deployments' }, spec: { targetCluster: { clusterNames: ['member2', 'member3'] }, resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment' }] } });
    const found = await until('nginx of member2 and member3 in the search cache', async () => {
      const list = await karmada.request<{ items: Obj[] }>('GET', '/apis/search.karmada.io/v1alpha1/search/cache/apis/apps/v1/deployments');
      const from = list.items.filter((d) => d.metadata.name === 'nginx').map((d) => d.metadata.annotations?.['resource.karmada.io/cached-from-cluster']).sort();
      return from.length === 2 ? from : undefined;
    });
    expect(found).toEqual(['member2', 'member3']);
  });

  step('karmada-metrics-adapter: enabled by addons, the real adapter serves its three APIServices through the aggregator', async () => {
    const r = await runCli(['addons', 'enable', 'karmada-metrics-adapter', '--kubeconfig', file('host.config'), '--karmada-kubeconfig', karmadaCfg, '--pod-timeout', '180', '--apiservice-timeout', '180']);
    expect(r.stderr).not.toContain('error:');
    expect(r.code).toBe(0);
    for (const name of ['v1beta1.metrics.k8s.io', 'v1beta1.custom.metrics.k8s.io', 'v1beta2.custom.metrics.k8s.io']) {
      await until(`${name} Available`, async () => (await karmada.get<Obj>({ apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', name }))?.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Available' && c.status === 'True'), 120_000);
    }
    // discovery of the resource metrics API is answered by the adapter itself
    const res = await karmada.request<{ resources: { name: string }[] }>('GET', '/apis/metrics.k8s.io/v1beta1');
    expect(res.resources.map((x) => x.name)).toEqual(expect.arrayContaining(['pods', 'nodes']));
  });

  step('(2) dynamicWeight AvailableReplicas over member1..member3: replicas follow the room each has (8:4:4 CPUs)', async () => {
    await karmada.create(deployment('dyn', 4, { cpu: '1', memory: '1Gi' }));
    await karmada.create(policy('dyn', [...MEMBERS], dynamic));
    const got = await until('dyn spread', async () => {
      const r = await replicasOn('dyn');
      return r.member1 + r.member2 + r.member3 === 4 ? r : undefined;
    });
    expect(got).toEqual({ member1: 2, member2: 1, member3: 1 });
    await until('dyn ready everywhere', async () => (await dep(karmada, 'dyn'))?.status?.readyReplicas === 4);
    await remove('dyn');
  });

  step('(4) Divided/Aggregated with a real scheduler estimator per member: too big is unschedulable and the binding says why; a fitting one goes where there is room', async () => {
    const base = ['addons', 'enable', '--kubeconfig', file('host.config'), '--karmada-kubeconfig', karmadaCfg, '--pod-timeout', '180'];
    for (const n of MEMBERS) {
      const e = await runCli([...base, 'karmada-scheduler-estimator', '-C', n, '--member-kubeconfig', m[n].writeKubeconfig(file(`${n}-est.config`)), '--member-context', n]);
      expect(e.stderr).not.toContain('error:');
      expect(e.code).toBe(0);
    }
    await until('the estimators running, their Services routed', async () => MEMBERS.every((n) => bridge.routes.resolve(`karmada-scheduler-estimator-${n}.karmada-system.svc.cluster.local:10352`) && !procs.exited().includes(`karmada-scheduler-estimator-${n}`)));
    const aggregated = { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Aggregated' };
    await karmada.create(deployment('big', 1, { cpu: '100', memory: '1Ti' }));
    await karmada.create(policy('big', [...MEMBERS], aggregated));
    const cond = await until('big unschedulable', async () => {
      const c = (await binding('big'))?.status?.conditions?.find((x: { type: string }) => x.type === 'Scheduled');
      return c?.status === 'False' ? c : undefined;
    });
    expect(cond.reason).toBe('Unschedulable');
    expect(cond.message).toContain('Clusters available replicas 0 are not enough to schedule.');
    expect(await replicasOn('big')).toEqual({ member1: 0, member2: 0, member3: 0 });
    await karmada.create(deployment('fit', 1, { cpu: '6', memory: '4Gi' }));
    await karmada.create(policy('fit', [...MEMBERS], aggregated));
    const b = await until('fit scheduled', async () => {
      const x = await binding('fit');
      return x?.spec?.clusters?.length ? x : undefined;
    });
    expect(b.spec.clusters).toEqual([{ name: 'member1', replicas: 1 }]);
    await until('fit running on member1', async () => (await dep(mc.member1, 'fit'))?.status?.readyReplicas === 1);
    await remove('fit');
    await remove('big');
  });

  step('(3) cordon member2 + karmada-descheduler: replicas member2 cannot run are moved to member3', async () => {
    const r = await runCli(['addons', 'enable', 'karmada-descheduler', '--kubeconfig', file('host.config'), '--karmada-kubeconfig', karmadaCfg, '--pod-timeout', '180']);
    expect(r.stderr).not.toContain('error:');
    expect(r.code).toBe(0);
    await karmada.create(deployment('moved', 2));
    await karmada.create(policy('moved', ['member2', 'member3'], dynamic));
    expect(await until('moved 1:1', async () => {
      const x = await replicasOn('moved');
      return x.member2 === 1 && x.member3 === 1 ? x : undefined;
    })).toEqual({ member1: 0, member2: 1, member3: 1 });
    // member2 can no longer run it: its node is cordoned and the pod is gone; the new one stays Pending
    await mc.member2.patch({ apiVersion: 'v1', kind: 'Node', name: 'm2-node' }, { spec: { unschedulable: true } }, 'merge');
    for (const p of (await mc.member2.list<Obj>('v1', 'Pod', { namespace: 'default', labelSelector: 'app=moved' })).items) await mc.member2.delete({ apiVersion: 'v1', kind: 'Pod', namespace: 'default', name: p.metadata.name });
    const c = await runCli(['cordon', 'member2', '--kubeconfig', karmadaCfg]);
    expect(c.stdout).toBe('member2 cluster cordoned\n');
    const moved = await until('the descheduler moved member2\'s replica to member3', async () => {
      const x = await replicasOn('moved');
      return x.member3 === 2 && x.member2 === 0 ? x : undefined;
    }, 240_000);
    expect(moved).toEqual({ member1: 0, member2: 0, member3: 2 });
    expect((await binding('moved'))!.spec.clusters).toEqual([{ name: 'member3', replicas: 2 }]);
    await until('moved ready on member3', async () => (await dep(mc.member3, 'moved'))?.status?.readyReplicas === 2);
    await remove('moved');
    expect((await runCli(['uncordon', 'member2', '--kubeconfig', karmadaCfg])).code).toBe(0);
    await mc.member2.patch({ apiVersion: 'v1', kind: 'Node', name: 'm2-node' }, { spec: { unschedulable: false } }, 'merge');
  });

  step('unregister while a binding still holds member3 (a workload only member3 may run, tolerating the terminating taint): the real controllers release it, the agent goes, the Cluster goes', async () => {
    await karmada.create(deployment('pinned', 1));
    const pp = policy('pinned', ['member3'], { replicaSchedulingType: 'Duplicated' });
    pp.spec.placement.clusterTolerations = [{ key: 'cluster.karmada.io/terminating', operator: 'Exists', effect: 'NoExecute' }];
    await karmada.create(pp);
    await until('pinned running on member3', async () => (await dep(mc.member3, 'pinned'))?.status?.readyReplicas === 1);
    const r = await runCli(['unregister', 'member3', '--cluster-kubeconfig', file('member3.config'), '--karmada-config', karmadaCfg, '--wait', '60s']);
    expect(r.stderr).not.toContain('error:');
    expect(r.code).toBe(0);
    expect(await karmada.get({ apiVersion: 'cluster.karmada.io/v1alpha1', kind: 'Cluster', name: 'member3' })).toBeUndefined();
    expect(await mc.member3.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'karmada-system', name: 'karmada-agent' })).toBeUndefined();
    await until('the agent process stopped with its Deployment', async () => procs.exited().includes('member3-karmada-agent'), 30_000);
    // karmada v1.18.2 released the binding itself: the deleted cluster is gone from its result
    expect((await binding('pinned'))?.spec?.clusters ?? []).toEqual([]);
    process.stderr.write(`e2e karmada: after unregister, pinned on member3 is ${(await dep(mc.member3, 'pinned')) ? 'left' : 'deleted'}\n`);
  });
});
