import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startTestApiServer, nodes, type TestApiServer } from '../support/apiserver';
import { loadKubeconfig } from '../../src/kube/config';
import { KubeClient } from '../../src/kube/client';
import { KubeApiError, KubeConnectionError } from '../../src/kube/errors';
import { waitUntil, allWorkloadsReady, WaitTimeoutError } from '../../src/kube/wait';
import { diagnosePods } from '../../src/kube/diagnose';
import { RecordingClient } from '../../src/kube/recording';
import { mapLimit } from '../../src/kube/retry';
import type { K8sObject } from '../../src/kube/types';

const FAST = { attempts: 4, baseDelayMs: 5, maxDelayMs: 50 };
let s: TestApiServer;
let dir: string;
beforeAll(async () => {
  s = await startTestApiServer({ nodes: [nodes.untainted('node1')] });
  dir = await mkdtemp(path.join(os.tmpdir(), 'kc-kube-'));
});
afterAll(() => s.close());

async function client(o: { context?: string } = {}) {
  const file = path.join(dir, `kc-${Math.random().toString(36).slice(2)}`);
  await s.writeKubeconfig(file, { cluster: 'host', context: 'host-ctx' });
  return KubeClient.create(await loadKubeconfig({ path: file, context: o.context, env: {}, homedir: dir }), { retry: FAST });
}

describe('kubeconfig resolution', () => {
  it('uses an explicit path, and names the flag when it does not exist', async () => {
    const file = path.join(dir, 'one');
    await s.writeKubeconfig(file, { cluster: 'a', context: 'ctx-a' });
    const l = await loadKubeconfig({ path: file, env: {}, homedir: dir });
    expect(l.context).toBe('ctx-a');
    expect(l.server).toBe(s.url);
    await expect(loadKubeconfig({ path: path.join(dir, 'nope'), env: {}, homedir: dir, flagNames: { kubeconfig: '--karmada-kubeconfig' } })).rejects.toMatchObject({ message: expect.stringContaining('does not exist'), hint: expect.stringContaining('--karmada-kubeconfig') });
  });
  it('merges a KUBECONFIG list (first file wins) and selects contexts from either file', async () => {
    const a = path.join(dir, 'ka');
    const b = path.join(dir, 'kb');
    await s.writeKubeconfig(a, { cluster: 'karmada', context: 'karmada-apiserver' });
    await s.writeKubeconfig(b, { cluster: 'member1', context: 'member1' });
    const env = { KUBECONFIG: [a, path.join(dir, 'missing'), b].join(path.delimiter) };
    const first = await loadKubeconfig({ env, homedir: dir });
    expect(first.context).toBe('karmada-apiserver');
    expect(first.contexts.sort()).toEqual(['karmada-apiserver', 'member1']);
    const second = await loadKubeconfig({ env, homedir: dir, context: 'member1' });
    expect(second.context).toBe('member1');
  });
  it('falls back to default paths, then ~/.kube/config; fails with the fix when there is none', async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), 'kc-home-'));
    await expect(loadKubeconfig({ env: {}, homedir: home, purpose: 'host cluster' })).rejects.toMatchObject({ message: 'no kubeconfig found for the host cluster', hint: expect.stringContaining('--kubeconfig') });
    await mkdir(path.join(home, '.kube'));
    await s.writeKubeconfig(path.join(home, '.kube', 'config'), { context: 'home' });
    expect((await loadKubeconfig({ env: {}, homedir: home })).context).toBe('home');
    const etc = path.join(home, 'karmada-apiserver.config');
    await s.writeKubeconfig(etc, { context: 'karmada-apiserver' });
    expect((await loadKubeconfig({ env: {}, homedir: home, defaultPaths: [etc] })).context).toBe('karmada-apiserver');
  });
  it('rejects an unknown context and lists the available ones', async () => {
    const file = path.join(dir, 'ctx');
    await s.writeKubeconfig(file, { context: 'only' });
    await expect(loadKubeconfig({ path: file, context: 'other', env: {}, homedir: dir, flagNames: { context: '--karmada-context' } })).rejects.toMatchObject({
      message: expect.stringContaining('context "other" not found'),
      hint: 'use one of: only (--karmada-context)',
    });
    const noCurrent = path.join(dir, 'nocurrent');
    await writeFile(noCurrent, s.kubeconfig({ context: 'c1' }).replace(/current-context: .*/, 'current-context: ""'));
    await expect(loadKubeconfig({ path: noCurrent, env: {}, homedir: dir })).rejects.toMatchObject({ message: expect.stringContaining('no current-context') });
  });
});

describe('client: ensure, retries, errors', () => {
  const cm = (name: string, data: Record<string, string>): K8sObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', labels: { app: 't' } }, data });

  it('ensure creates, then reports unchanged, then updates a drifted object', async () => {
    const c = await client();
    const r1 = await c.ensure(cm('e1', { a: '1' }));
    expect(r1.action).toBe('created');
    const r2 = await c.ensure(cm('e1', { a: '1' }));
    expect(r2.action).toBe('unchanged');
    expect(r2.object.metadata.resourceVersion).toBe(r1.object.metadata.resourceVersion);
    s.store.put({ ...s.store.get('v1', 'ConfigMap', 'default', 'e1')!, data: { a: 'changed-by-someone' } });
    const r3 = await c.ensure(cm('e1', { a: '1' }));
    expect(r3.action).toBe('updated');
    expect(s.store.get('v1', 'ConfigMap', 'default', 'e1')!.data).toEqual({ a: '1' });
  });

  it('ensure converges when the object appears between its read and its write (conflict)', async () => {
    const c = await client();
    // The GET answers 404 as if the object did not exist yet; meanwhile another writer creates it.
    s.faults.add({ method: 'GET', path: '/configmaps/race', status: 404, times: 1 });
    s.store.put(cm('race', { a: 'theirs' }) as never);
    const r = await c.ensure(cm('race', { a: 'ours' }));
    expect(r.object.data).toEqual({ a: 'ours' });
    s.faults.clear();
  });

  it('secrets given as stringData compare equal on re-run', async () => {
    const c = await client();
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sd', namespace: 'default' }, type: 'Opaque', stringData: { 'ca.crt': 'PEM' } } as K8sObject;
    expect((await c.ensure(secret)).action).toBe('created');
    expect((await c.ensure(secret)).action).toBe('unchanged');
  });

  for (const [label, fault] of [
    ['500', { status: 500 }],
    ['429 with Retry-After', { status: 429 }],
    ['a dropped connection', { drop: true as const }],
  ] as const) {
    it(`retries after ${label}`, async () => {
      const c = await client();
      await c.ensure(cm('retry', { a: '1' }));
      const before = s.requests.length;
      s.faults.add({ method: 'GET', path: '/configmaps/retry', nth: 1, ...fault });
      const got = await c.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'retry', namespace: 'default' });
      expect(got?.data).toEqual({ a: '1' });
      expect(s.requests.slice(before).filter((r) => r.path.endsWith('/configmaps/retry'))).toHaveLength(2);
      s.faults.clear();
    });
  }

  for (const status of [403, 422]) {
    it(`does not retry a ${status}`, async () => {
      const c = await client();
      const before = s.requests.length;
      s.faults.add({ method: 'POST', path: '/configmaps', status, times: 5 });
      const err = await c.create(cm(`nr-${status}`, {})).catch((e) => e);
      expect(err).toBeInstanceOf(KubeApiError);
      expect(err.code).toBe(status);
      expect(s.requests.slice(before).filter((r) => r.method === 'POST')).toHaveLength(1);
      s.faults.clear();
    });
  }

  it('gives up after the retry budget with the last error', async () => {
    const c = await client();
    s.faults.add({ method: 'GET', path: '/configmaps/always', status: 503 });
    const err = await c.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'always', namespace: 'default' }).catch((e) => e);
    expect(err.code).toBe(503);
    expect(s.requests.filter((r) => r.path.endsWith('/configmaps/always'))).toHaveLength(FAST.attempts);
    s.faults.clear();
  });

  it('reports an unreachable server as a user-fixable connection error', async () => {
    const file = path.join(dir, 'down');
    await s.writeKubeconfig(file, { server: 'https://127.0.0.1:1' });
    const c = await KubeClient.create(await loadKubeconfig({ path: file, env: {}, homedir: dir }), { retry: FAST });
    const err = await c.list('v1', 'Namespace').catch((e) => e);
    expect(err).toBeInstanceOf(KubeConnectionError);
    expect(err.message).toBe('cannot reach the API server at https://127.0.0.1:1: connection refused');
    expect(err.hint).toContain('--kubeconfig');
  });

  it('get answers undefined on 404; delete answers false; resources come from discovery for CRDs', async () => {
    const c = await client();
    expect(await c.get({ apiVersion: 'v1', kind: 'Secret', name: 'none', namespace: 'default' })).toBeUndefined();
    expect(await c.delete({ apiVersion: 'v1', kind: 'Secret', name: 'none', namespace: 'default' })).toBe(false);
    await c.ensure({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'gadgets.example.io' }, spec: { group: 'example.io', scope: 'Cluster', names: { plural: 'gadgets', kind: 'Gadget' }, versions: [{ name: 'v1', served: true, storage: true }] } });
    await waitUntil(c, { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name: 'gadgets.example.io' }, (o) => ({ ready: (o[0] as any)?.status?.conditions?.some((x: any) => x.type === 'Established'), pending: ['crd'] }), { timeoutMs: 2000, what: 'crd' });
    const g = await c.ensure({ apiVersion: 'example.io/v1', kind: 'Gadget', metadata: { name: 'g1' } });
    expect(g.action).toBe('created');
    expect(await c.delete({ apiVersion: 'example.io/v1', kind: 'Gadget', name: 'g1' })).toBe(true);
  });

  it('runs independent requests in parallel with a limit', async () => {
    const c = await client();
    let inFlight = 0;
    let peak = 0;
    const names = Array.from({ length: 12 }, (_, i) => `par-${i}`);
    await mapLimit(names, 4, async (n) => {
      peak = Math.max(peak, ++inFlight);
      await c.ensure(cm(n, { n }));
      inFlight--;
    });
    expect(peak).toBe(4);
    expect(s.store.list('v1', 'ConfigMap', 'default').filter((o) => o.metadata.name.startsWith('par-'))).toHaveLength(12);
  });
});

describe('waits', () => {
  const deploy = (name: string, image: string): K8sObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image }] } } },
  });

  it('returns when the workload is ready (watch, no polling)', async () => {
    const c = await client();
    await c.ensure(deploy('ready-1', 'docker.io/ok:1'));
    const before = s.requests.length;
    const objs = await waitUntil(c, { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'ready-1' }, (o) => allWorkloadsReady(o, ['ready-1']), { timeoutMs: 5000, what: 'ready-1' });
    expect((objs[0] as any).status.readyReplicas).toBe(1);
    const gets = s.requests.slice(before).filter((r) => r.method === 'GET');
    expect(gets.length).toBeLessThanOrEqual(3); // one list, at most one watch (+1 re-list)
  });

  it('times out with what is not ready, and diagnoses the pods', async () => {
    const c = await client();
    s.sim.failImages(/registry\.k8s\.io/, 'imagePull');
    await c.ensure(deploy('stuck', 'registry.k8s.io/kube-apiserver:v1.35.2'));
    const err = await waitUntil(c, { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'stuck' }, (o) => allWorkloadsReady(o, ['stuck']), {
      timeoutMs: 400,
      what: 'stuck to become ready',
      explain: async () => (await diagnosePods(c, 'default', 'app=stuck')).map((p) => `${p.pod}: ${p.reason}`).join(', '),
    }).catch((e) => e);
    expect(err).toBeInstanceOf(WaitTimeoutError);
    expect(err.message).toMatch(/^timed out after 400ms waiting for stuck to become ready: deployment stuck: 0\/1 ready; stuck-\S+: ImagePullBackOff$/);
    const problems = await diagnosePods(c, 'default', 'app=stuck');
    expect(problems[0].images).toEqual(['registry.k8s.io/kube-apiserver:v1.35.2']);
    s.sim.clearFailures();
  });

  it('with timeout 0 waits without a limit', async () => {
    const c = await client();
    await c.ensure(deploy('late', 'docker.io/ok:1'));
    s.sim.podReadyDelayMs = 300;
    const objs = await waitUntil(c, { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'late' }, (o) => allWorkloadsReady(o, ['late']), { timeoutMs: 0, what: 'late' });
    expect(objs).toHaveLength(1);
    s.sim.podReadyDelayMs = 5;
  });
});

describe('recording client (dry run)', () => {
  it('records writes, answers reads from them and from a read-only real cluster, sends nothing', async () => {
    const real = await client();
    await real.ensure({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'existing', namespace: 'default' }, data: { a: '1' } });
    const before = s.writes().length;
    const rec = new RecordingClient({ readThrough: real });
    expect((await rec.ensure({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'existing', namespace: 'default' }, data: { a: '1' } })).action).toBe('unchanged');
    expect((await rec.ensure({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'new', namespace: 'default' }, data: { a: '1' } })).action).toBe('created');
    expect((await rec.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'new', namespace: 'default' }))?.data).toEqual({ a: '1' });
    expect(await rec.delete({ apiVersion: 'v1', kind: 'ConfigMap', name: 'existing', namespace: 'default' })).toBe(true);
    expect(await rec.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'existing', namespace: 'default' })).toBeUndefined();
    expect(rec.objects().map((o) => o.metadata.name)).toEqual(['new']);
    expect(s.writes().length).toBe(before);
    expect(s.store.get('v1', 'ConfigMap', 'default', 'existing')).toBeDefined();
  });
});

describe('ensure converges with server-side apply (§4)', () => {
  const sts = (o: { storage?: string; policy?: string; replicas?: number; extraLabel?: boolean } = {}): K8sObject => ({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'etcd', namespace: 'default', labels: { app: 'etcd', ...(o.extraLabel ? { old: 'yes' } : {}) } },
    spec: {
      replicas: o.replicas ?? 1,
      serviceName: 'etcd',
      ...(o.policy ? { podManagementPolicy: o.policy } : {}),
      selector: { matchLabels: { app: 'etcd' } },
      template: { metadata: { labels: { app: 'etcd' } }, spec: { containers: [{ name: 'etcd', image: 'etcd:3.5' }] } },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: o.storage ?? '5Gi' } } } }],
    },
  });

  it('removes a field the CLI stopped setting, and a healthy re-run moves no resourceVersion', async () => {
    const c = await client();
    const cfg = (extra: boolean): K8sObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'conv', namespace: 'default', labels: { app: 'x', ...(extra ? { old: 'yes' } : {}) } }, data: { a: '1', ...(extra ? { gone: '2' } : {}) } });
    const first = await c.ensure(cfg(true));
    expect(first.action).toBe('created');
    const again = await c.ensure(cfg(true));
    expect(again.action).toBe('unchanged');
    expect(again.object.metadata.resourceVersion).toBe(first.object.metadata.resourceVersion);
    const dropped = await c.ensure(cfg(false));
    expect(dropped.action).toBe('updated');
    const live = s.store.get('v1', 'ConfigMap', 'default', 'conv')!;
    expect(live.metadata.labels).toEqual({ app: 'x' });
    expect(live.data).toEqual({ a: '1' });
    expect(live.metadata.managedFields).toEqual([expect.objectContaining({ manager: 'karmadactl', operation: 'Apply' })]);
  });

  it('a status write by a controller between the read and the apply is not a change of ours', async () => {
    const c = await client();
    await c.ensure(sts());
    // The StatefulSet controller (the simulation) keeps writing status; ensure still reports unchanged.
    s.core.hooks.admit = (def, obj, old) => {
      if (def.plural === 'statefulsets' && old) s.store.put({ ...old, status: { ...(old.status ?? {}), observedGeneration: Math.random() } } as never);
    };
    try {
      expect((await c.ensure(sts())).action).toBe('unchanged');
    } finally {
      s.core.hooks.admit = undefined;
    }
  });

  it('stops before writing on an immutable change, naming the field and the fix', async () => {
    const c = await client();
    await c.ensure(sts());
    const before = s.writes().length;
    const err = await c.ensure(sts({ storage: '10Gi' })).catch((e) => e);
    expect(err.name).toBe('ImmutableFieldError');
    expect(err.message).toBe('StatefulSet default/etcd: volumeClaimTemplates cannot change (data (storage 5Gi) → data (storage 10Gi))');
    expect(err.hint).toContain('kubectl delete statefulset etcd -n default --cascade=orphan');
    expect(err.hint).toContain('data in existing PersistentVolumeClaims is kept');
    expect(s.writes().length).toBe(before);
    await expect(c.ensure(sts({ policy: 'Parallel' }))).rejects.toMatchObject({ message: expect.stringContaining('podManagementPolicy cannot change (OrderedReady → Parallel)') });
    // replicas may change: converges
    expect((await c.ensure(sts({ replicas: 3 }))).action).toBe('updated');
  });

  it('preflightImmutable finds every immutable change in a set before the first write', async () => {
    const { preflightImmutable } = await import('../../src/kube/api');
    const c = await client();
    await c.ensure({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'typed', namespace: 'default' }, type: 'Opaque', data: { a: 'Yg==' } });
    await c.ensure({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'sel', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } });
    const before = s.writes().length;
    const err = await preflightImmutable(c, [
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'typed', namespace: 'default' }, type: 'kubernetes.io/tls', data: { a: 'Yg==' } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'sel', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'b' } }, template: { metadata: { labels: { app: 'b' } } } } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'not-there-yet', namespace: 'default' } },
    ]).catch((e) => e);
    expect(err.changes.map((x: { object: string; field: string }) => `${x.object} ${x.field}`)).toEqual(['Secret default/typed type', 'Deployment default/sel selector']);
    expect(err.hint).toContain('`kubectl delete secret typed -n default` and `kubectl delete deployment sel -n default`');
    expect(s.writes().length).toBe(before);
  });

  it('the server refuses the same changes (a raw write of each gets the real 422)', async () => {
    const c = await client();
    await c.ensure(sts());
    const live = s.store.get('apps/v1', 'StatefulSet', 'default', 'etcd')!;
    const r = await c.apply({ ...sts({ storage: '10Gi' }) }).catch((e) => e);
    expect(r).toBeInstanceOf(KubeApiError);
    expect(r.code).toBe(422);
    expect(r.message).toContain("StatefulSet.apps \"etcd\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas'");
    expect(s.store.get('apps/v1', 'StatefulSet', 'default', 'etcd')!.metadata.resourceVersion).toBe(live.metadata.resourceVersion);
  });

  it('an apply conflict with another manager is a clear error naming the manager and the field', async () => {
    const c = await client();
    // Someone else created the object (kubectl create): karmadactl does not own it, so it applies without force.
    s.core.create(s.core.defFor('v1', 'ConfigMap'), 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'theirs', namespace: 'default' }, data: { mode: 'a' } }, { name: 'admin', groups: ['system:masters'] }, false, { manager: 'kubectl-create' });
    const err = await c.ensure({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'theirs', namespace: 'default' }, data: { mode: 'b' } }).catch((e) => e);
    expect(err.name).toBe('ApplyConflictError');
    expect(err.message).toBe('ConfigMap default/theirs was changed by another tool: .data.mode (managed by "kubectl-create")');
    expect(err.hint).toContain('stop "kubectl-create" from setting that field');
    // the same value is shared, not a conflict: both managers own it, the content did not change
    expect((await c.ensure({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'theirs', namespace: 'default' }, data: { mode: 'a' } })).action).toBe('unchanged');
    expect(s.store.get('v1', 'ConfigMap', 'default', 'theirs')!.metadata.managedFields.map((e: { manager: string; operation: string }) => `${e.manager}/${e.operation}`)).toEqual(['kubectl-create/Update', 'karmadactl/Apply']);
  });

  it('writes send fieldValidation=Strict: an unknown field is refused; warnings reach the callback once', async () => {
    const warnings: string[] = [];
    const file = path.join(dir, 'warn');
    await s.writeKubeconfig(file);
    const c = await KubeClient.create(await loadKubeconfig({ path: file, env: {}, homedir: dir }), { retry: FAST, onWarning: (m) => warnings.push(m) });
    const err = await c.ensure({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'strict', namespace: 'default' }, data: {}, dta: { typo: '1' } } as K8sObject).catch((e) => e);
    expect(err).toBeInstanceOf(KubeApiError);
    expect(err.code).toBe(400);
    expect(err.message).toContain('.dta: field not declared in schema');
    expect(s.requests.at(-1)!.query.fieldValidation).toBe('Strict');
    // A raw request without Strict: the server's default (Warn) answers with a Warning header.
    await c.request('POST', '/api/v1/namespaces/default/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'warned' }, extra: 1 } });
    await c.request('POST', '/api/v1/namespaces/default/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'warned2' }, extra: 1 } });
    expect(warnings).toEqual(['unknown field "extra"']);
  });

  it('a create retried after a lost answer that meets AlreadyExists returns our object', async () => {
    const c = await client();
    // The first POST is processed and its answer lost (5xx after the write); the retry gets 409 AlreadyExists.
    let first = true;
    s.core.hooks.admit = (def, obj) => {
      if (def.plural === 'configmaps' && obj.metadata.name === 'retried' && first) {
        first = false;
        s.core.store.put(def, { ...obj, apiVersion: 'v1', kind: 'ConfigMap' });
        throw new (class extends Error {})('lost');
      }
    };
    try {
      const made = await c.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'retried', namespace: 'default' }, data: { a: '1' } });
      expect(made.metadata.name).toBe('retried');
      expect(s.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/configmaps')).slice(-2).map((r) => r.status)).toEqual([500, 409]);
      // Someone else's object under that name is not ours: the 409 stands.
      first = true;
      s.core.hooks.admit = (def, obj) => {
        if (def.plural === 'configmaps' && obj.metadata.name === 'retried2' && first) {
          first = false;
          s.core.store.put(def, { ...obj, apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'other' } });
          throw new Error('lost');
        }
      };
      await expect(c.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'retried2', namespace: 'default' }, data: { a: '1' } })).rejects.toMatchObject({ code: 409, reason: 'AlreadyExists' });
      // Without a retry, AlreadyExists is an error as before.
      await expect(c.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'retried', namespace: 'default' }, data: { a: '1' } })).rejects.toMatchObject({ code: 409 });
    } finally {
      s.core.hooks.admit = undefined;
    }
  });

  it('a generateName create is not retried (a retry would make a second object)', async () => {
    const c = await client();
    s.faults.add({ method: 'POST', path: '/configmaps', status: 503, times: 1 });
    await expect(c.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'gen-', namespace: 'default', name: '' } } as K8sObject)).rejects.toMatchObject({ code: 503 });
    s.faults.clear();
  });
});

describe('impersonation from the kubeconfig (§7)', () => {
  it('sends as, as-groups, as-uid and as-user-extra of the kubeconfig user; flags override', async () => {
    const file = path.join(dir, 'imp');
    const text = s.kubeconfig().replace(/( +client-key-data: .*\n)/, '$1      as: jane\n      as-groups: [devs, ops]\n      as-uid: "1234"\n      as-user-extra:\n        team: [blue]\n');
    expect(text).toContain('as: jane');
    await writeFile(file, text);
    const c = await KubeClient.create(await loadKubeconfig({ path: file, env: {}, homedir: dir }), { retry: FAST });
    s.core.rbac = undefined;
    await c.get({ apiVersion: 'v1', kind: 'Namespace', name: 'default' });
    expect(s.requests.at(-1)!.user).toBe('jane');
    const { impersonationHeaders } = await import('../../src/kube/client');
    const user = (await loadKubeconfig({ path: file, env: {}, homedir: dir })).kc.getCurrentUser();
    expect(impersonationHeaders(user)).toEqual({ 'Impersonate-User': 'jane', 'Impersonate-Group': ['devs', 'ops'], 'Impersonate-Uid': '1234', 'Impersonate-Extra-team': ['blue'] });
    expect(impersonationHeaders(user, { user: 'bob', groups: ['x'] })).toMatchObject({ 'Impersonate-User': 'bob', 'Impersonate-Group': ['x'] });
    expect(() => impersonationHeaders({ impersonateGroups: ['g'] })).toThrow(/needs a user to impersonate/);
  });
});

describe('request logging', () => {
  it('logs requests at -v 6 and bodies at -v 8 with secret data, tokens and keys redacted', async () => {
    const lines: string[] = [];
    const file = path.join(dir, 'log');
    await s.writeKubeconfig(file, { user: { token: 'super-secret-token' } });
    s.core.tokens.set('super-secret-token', { name: 'admin2', groups: ['system:masters'] });
    const c = await KubeClient.create(await loadKubeconfig({ path: file, env: {}, homedir: dir }), { retry: FAST, log: (level, m) => level <= 8 && lines.push(m) });
    await c.ensure({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'logged', namespace: 'default' }, stringData: { 'tls.key': '-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----', password: 'hunter2' } });
    const text = lines.join('\n');
    expect(text).toMatch(/PATCH https:\/\/127\.0\.0\.1:\d+\/api\/v1\/namespaces\/default\/secrets\/logged\?fieldManager=karmadactl&fieldValidation=Strict&force=true 20[01]/);
    expect(text).toContain('Request Body:');
    expect(text).toContain('<redacted>');
    for (const secret of ['super-secret-token', 'hunter2', 'BEGIN RSA PRIVATE KEY', Buffer.from('hunter2').toString('base64')]) expect(text).not.toContain(secret);
  });
});
