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

describe('request logging', () => {
  it('logs requests at -v 6 and bodies at -v 8 with secret data, tokens and keys redacted', async () => {
    const lines: string[] = [];
    const file = path.join(dir, 'log');
    await s.writeKubeconfig(file, { user: { token: 'super-secret-token' } });
    s.core.tokens.set('super-secret-token', { name: 'admin2', groups: ['system:masters'] });
    const c = await KubeClient.create(await loadKubeconfig({ path: file, env: {}, homedir: dir }), { retry: FAST, log: (level, m) => level <= 8 && lines.push(m) });
    await c.ensure({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'logged', namespace: 'default' }, stringData: { 'tls.key': '-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----', password: 'hunter2' } });
    const text = lines.join('\n');
    expect(text).toMatch(/PATCH https:\/\/127\.0\.0\.1:\d+\/api\/v1\/namespaces\/default\/secrets\/logged\?fieldManager=karmadactl&force=true 20[01]/);
    expect(text).toContain('Request Body:');
    expect(text).toContain('<redacted>');
    for (const secret of ['super-secret-token', 'hunter2', 'BEGIN RSA PRIVATE KEY', Buffer.from('hunter2').toString('base64')]) expect(text).not.toContain(secret);
  });
});
