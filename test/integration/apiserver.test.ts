import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as k8s from '@kubernetes/client-node';
import { createHmac, X509Certificate, generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';
import { startTestApiServer, nodes, type TestApiServer } from '../support/apiserver';

const kcFor = (s: TestApiServer, o?: Parameters<TestApiServer['kubeconfig']>[0]) => {
  const kc = new k8s.KubeConfig();
  kc.loadFromString(s.kubeconfig(o));
  return kc;
};
const statusOf = async (p: Promise<unknown>) => {
  try {
    await p;
    return { code: 200, body: undefined as any };
  } catch (e) {
    const err = e as { code?: number; body?: unknown };
    return { code: err.code ?? 0, body: typeof err.body === 'string' ? JSON.parse(err.body) : err.body };
  }
};
const until = async (fn: () => Promise<boolean> | boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fn()) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return false;
};

describe('test API server through @kubernetes/client-node', () => {
  let s: TestApiServer;
  let core: k8s.CoreV1Api;
  let apps: k8s.AppsV1Api;
  beforeAll(async () => {
    s = await startTestApiServer({ nodes: [nodes.taintedMaster('master1'), nodes.untainted('node1')], kubeSystemUid: 'uid-kube-system-1' });
    core = kcFor(s).makeApiClient(k8s.CoreV1Api);
    apps = kcFor(s).makeApiClient(k8s.AppsV1Api);
  });
  afterAll(() => s.close());

  it('authenticates client certificates, tokens and rejects anonymous writes', async () => {
    const ns = await core.readNamespace({ name: 'kube-system' });
    expect(ns.metadata?.uid).toBe('uid-kube-system-1');
    const anon = kcFor(s, { user: 'anonymous' }).makeApiClient(k8s.CoreV1Api);
    expect((await statusOf(anon.listNamespace())).code).toBe(403);
    const bad = kcFor(s, { user: { token: 'nope' } }).makeApiClient(k8s.CoreV1Api);
    expect((await statusOf(bad.listNamespace())).code).toBe(401);
    s.core.tokens.set('tok-1', { name: 'alice', groups: ['system:masters'] });
    const alice = kcFor(s, { user: { token: 'tok-1' } }).makeApiClient(k8s.CoreV1Api);
    expect((await alice.listNamespace()).items.length).toBeGreaterThanOrEqual(4);
    expect(s.requests.at(-1)?.user).toBe('alice');
  });

  it('returns Status bodies like the real server for 404, 409 and 422', async () => {
    const nf = await statusOf(core.readNamespacedSecret({ name: 'missing', namespace: 'default' }));
    expect(nf.code).toBe(404);
    expect(nf.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'NotFound', message: 'secrets "missing" not found', details: { name: 'missing', kind: 'secrets' }, code: 404 });
    await core.createNamespacedSecret({ namespace: 'default', body: { metadata: { name: 'dup' }, stringData: { a: 'b' } } });
    const dup = await statusOf(core.createNamespacedSecret({ namespace: 'default', body: { metadata: { name: 'dup' } } }));
    expect(dup.body).toMatchObject({ reason: 'AlreadyExists', message: 'secrets "dup" already exists', code: 409 });
    const inv = await statusOf(core.createNamespacedSecret({ namespace: 'default', body: { metadata: { name: 'Bad_Name' } } }));
    expect(inv.code).toBe(422);
    expect(inv.body.reason).toBe('Invalid');
    expect(inv.body.message).toMatch(/^Secret "Bad_Name" is invalid: metadata.name: Invalid value/);
    const noNs = await statusOf(core.createNamespacedConfigMap({ namespace: 'nope', body: { metadata: { name: 'x' } } }));
    expect(noNs.body).toMatchObject({ reason: 'NotFound', message: 'namespaces "nope" not found' });
    const cur = await core.readNamespacedSecret({ name: 'dup', namespace: 'default' });
    await core.replaceNamespacedSecret({ name: 'dup', namespace: 'default', body: { ...cur, data: { a: Buffer.from('c').toString('base64') } } });
    const stale = await statusOf(core.replaceNamespacedSecret({ name: 'dup', namespace: 'default', body: cur }));
    expect(stale.body.reason).toBe('Conflict');
    expect(stale.body.message).toContain('the object has been modified; please apply your changes to the latest version and try again');
  });

  it('supports merge, strategic, JSON and apply patches', async () => {
    const api = k8s.KubernetesObjectApi.makeApiClient(kcFor(s));
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'p', labels: { a: '1' } }, data: { x: '1' } } });
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'p', namespace: 'default' } };
    await api.patch({ ...ref, data: { y: '2' } } as k8s.KubernetesObject, undefined, undefined, undefined, undefined, k8s.PatchStrategy.MergePatch);
    let cm = await core.readNamespacedConfigMap({ name: 'p', namespace: 'default' });
    expect(cm.data).toEqual({ x: '1', y: '2' });
    await api.patch([{ op: 'replace', path: '/data/x', value: '3' }] as unknown as k8s.KubernetesObject, undefined, undefined, undefined, undefined, k8s.PatchStrategy.JsonPatch).catch(() => undefined);
    const failedTest = await statusOf(
      fetchJson(s, 'PATCH', '/api/v1/namespaces/default/configmaps/p', [{ op: 'test', path: '/data/x', value: 'nope' }], 'application/json-patch+json'),
    );
    expect(failedTest.code).toBe(422);
    await fetchJson(s, 'PATCH', '/api/v1/namespaces/default/configmaps/p?fieldManager=tester', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'p' }, data: { z: '9' } }, 'application/apply-patch+yaml');
    cm = await core.readNamespacedConfigMap({ name: 'p', namespace: 'default' });
    expect(cm.data?.z).toBe('9');
    expect(cm.data?.y).toBe('2');
    const created = await fetchJson(s, 'PATCH', '/api/v1/namespaces/default/configmaps/fresh?fieldManager=tester', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fresh' }, data: { a: 'b' } }, 'application/apply-patch+yaml');
    expect(created.metadata.managedFields[0].manager).toBe('tester');
    const dep = { metadata: { name: 'sm', namespace: 'default' }, spec: { replicas: 0, selector: { matchLabels: { app: 'sm' } }, template: { metadata: { labels: { app: 'sm' } }, spec: { containers: [{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:1' }] } } } };
    await apps.createNamespacedDeployment({ namespace: 'default', body: dep });
    await fetchJson(s, 'PATCH', '/apis/apps/v1/namespaces/default/deployments/sm', { spec: { template: { spec: { containers: [{ name: 'b', image: 'b:2' }] } } } }, 'application/strategic-merge-patch+json');
    const d = await apps.readNamespacedDeployment({ name: 'sm', namespace: 'default' });
    expect(d.spec?.template.spec?.containers.map((c) => `${c.name}=${c.image}`)).toEqual(['a=a:1', 'b=b:2']);
  });

  it('selects by label and field, and watches from a resourceVersion', async () => {
    for (const [n, tier] of [['w1', 'web'], ['w2', 'db'], ['w3', 'web']]) await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: n, labels: { tier } } } });
    const web = await core.listNamespacedConfigMap({ namespace: 'default', labelSelector: 'tier in (web)' });
    expect(web.items.map((i) => i.metadata?.name).sort()).toEqual(['w1', 'w3']);
    const notWeb = await core.listNamespacedConfigMap({ namespace: 'default', labelSelector: 'tier,tier!=web' });
    expect(notWeb.items.map((i) => i.metadata?.name)).toEqual(['w2']);
    const byName = await core.listNamespacedConfigMap({ namespace: 'default', fieldSelector: 'metadata.name=w2' });
    expect(byName.items).toHaveLength(1);
    const rv = web.metadata?.resourceVersion;
    const seen: string[] = [];
    const w = new k8s.Watch(kcFor(s));
    const req = await w.watch('/api/v1/namespaces/default/configmaps', { resourceVersion: rv, labelSelector: 'tier=web' }, (type, obj) => seen.push(`${type}:${obj.metadata.name}`), () => undefined);
    await core.deleteNamespacedConfigMap({ name: 'w1', namespace: 'default' });
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'w4', labels: { tier: 'web' } } } });
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'w5', labels: { tier: 'db' } } } });
    expect(await until(() => seen.length >= 2)).toBe(true);
    req.abort();
    expect(seen).toEqual(['DELETED:w1', 'ADDED:w4']);
  });

  it('runs workloads: pods scheduled around taints, Ready, status updated; image pull failures visible', async () => {
    await core.createNamespace({ body: { metadata: { name: 'wl' } } });
    const tpl = (name: string, image: string, tolerations?: k8s.V1Toleration[]) => ({ metadata: { name, namespace: 'wl' }, spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image }], tolerations } } } });
    await apps.createNamespacedDeployment({ namespace: 'wl', body: tpl('ok', 'docker.io/x:1') });
    expect(await until(async () => (await apps.readNamespacedDeployment({ name: 'ok', namespace: 'wl' })).status?.readyReplicas === 1)).toBe(true);
    const pods = await core.listNamespacedPod({ namespace: 'wl', labelSelector: 'app=ok' });
    expect(pods.items[0].spec?.nodeName).toBe('node1'); // master1 is tainted
    expect(pods.items[0].metadata?.ownerReferences?.[0].kind).toBe('Deployment');

    s.sim.failImages(/registry\.k8s\.io/, 'imagePull');
    await apps.createNamespacedDeployment({ namespace: 'wl', body: tpl('pull', 'registry.k8s.io/kube-apiserver:v1.35.2') });
    expect(await until(async () => (await core.listNamespacedPod({ namespace: 'wl', labelSelector: 'app=pull' })).items[0]?.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ImagePullBackOff')).toBe(true);
    const ev = await core.listNamespacedEvent({ namespace: 'wl' });
    expect(ev.items.some((e) => e.reason === 'Failed' && e.message?.includes('registry.k8s.io/kube-apiserver:v1.35.2'))).toBe(true);
    s.sim.clearFailures();
    expect(await until(async () => (await apps.readNamespacedDeployment({ name: 'pull', namespace: 'wl' })).status?.readyReplicas === 1)).toBe(true);

    // Only a tainted node: pending without toleration, running with it.
    const solo = await startTestApiServer({ nodes: [nodes.taintedMaster('m')] });
    try {
      const a = kcFor(solo).makeApiClient(k8s.AppsV1Api);
      const c = kcFor(solo).makeApiClient(k8s.CoreV1Api);
      await a.createNamespacedDeployment({ namespace: 'default', body: { ...tpl('p', 'x'), metadata: { name: 'p', namespace: 'default' } } });
      expect(await until(async () => (await c.listNamespacedPod({ namespace: 'default' })).items[0]?.status?.conditions?.[0]?.reason === 'Unschedulable')).toBe(true);
      await a.createNamespacedDeployment({ namespace: 'default', body: { ...tpl('t', 'x', [{ key: 'node-role.kubernetes.io/master', operator: 'Exists', effect: 'NoSchedule' }]), metadata: { name: 't', namespace: 'default' } } });
      expect(await until(async () => (await a.readNamespacedDeployment({ name: 't', namespace: 'default' })).status?.readyReplicas === 1)).toBe(true);
    } finally {
      await solo.close();
    }
  });

  it('populates service-account token secrets, signs approved CSRs, signs cluster-info for bootstrap tokens', async () => {
    await core.createNamespacedServiceAccount({ namespace: 'default', body: { metadata: { name: 'sa1' } } });
    await core.createNamespacedSecret({ namespace: 'default', body: { metadata: { name: 'sa1-token', annotations: { 'kubernetes.io/service-account.name': 'sa1' } }, type: 'kubernetes.io/service-account-token' } });
    let token = '';
    expect(await until(async () => Boolean((token = Buffer.from((await core.readNamespacedSecret({ name: 'sa1-token', namespace: 'default' })).data?.token ?? '', 'base64').toString())))).toBe(true);
    const asSa = kcFor(s, { user: { token } }).makeApiClient(k8s.CoreV1Api);
    expect((await statusOf(asSa.listNamespacedSecret({ namespace: 'default' }))).code).toBe(403); // SA users get no default rights
    expect(s.requests.at(-1)?.user).toBe('system:serviceaccount:default:sa1');

    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const key = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()) as forge.pki.rsa.PrivateKey;
    const csr = forge.pki.createCertificationRequest();
    csr.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
    csr.setSubject([{ name: 'commonName', value: 'system:karmada:agent:member1' }, { name: 'organizationName', value: 'system:karmada:agents' }]);
    csr.sign(key, forge.md.sha256.create());
    const certs = kcFor(s).makeApiClient(k8s.CertificatesV1Api);
    await certs.createCertificateSigningRequest({ body: { metadata: { name: 'agent-csr' }, spec: { request: Buffer.from(forge.pki.certificationRequestToPem(csr)).toString('base64'), signerName: 'kubernetes.io/kube-apiserver-client', usages: ['digital signature', 'key encipherment', 'client auth'], expirationSeconds: 3600 } } });
    const cur = await certs.readCertificateSigningRequest({ name: 'agent-csr' });
    await certs.replaceCertificateSigningRequestApproval({ name: 'agent-csr', body: { ...cur, status: { conditions: [{ type: 'Approved', status: 'True', reason: 'Test', message: 'ok' }] } } });
    let pem = '';
    expect(await until(async () => Boolean((pem = Buffer.from((await certs.readCertificateSigningRequest({ name: 'agent-csr' })).status?.certificate ?? '', 'base64').toString())))).toBe(true);
    const x = new X509Certificate(pem);
    expect(x.verify(new X509Certificate(s.caPem).publicKey)).toBe(true);
    expect(x.checkPrivateKey(privateKey)).toBe(true);
    expect(x.subject).toContain('CN=system:karmada:agent:member1');

    await core.createNamespacedConfigMap({ namespace: 'kube-public', body: { metadata: { name: 'cluster-info' }, data: { kubeconfig: 'apiVersion: v1\nkind: Config\n' } } });
    await core.createNamespacedSecret({ namespace: 'kube-system', body: { metadata: { name: 'bootstrap-token-abcdef' }, type: 'bootstrap.kubernetes.io/token', stringData: { 'token-id': 'abcdef', 'token-secret': '0123456789abcdef', 'usage-bootstrap-authentication': 'true', 'usage-bootstrap-signing': 'true', 'auth-extra-groups': 'system:bootstrappers:karmada:default-cluster-token' } } });
    let jws = '';
    expect(await until(async () => Boolean((jws = (await core.readNamespacedConfigMap({ name: 'cluster-info', namespace: 'kube-public' })).data?.['jws-kubeconfig-abcdef'] ?? '')))).toBe(true);
    // Verify independently (RFC 7515, detached payload).
    const [h, , sig] = jws.split('.');
    const expected = createHmac('sha256', '0123456789abcdef').update(`${h}.${Buffer.from('apiVersion: v1\nkind: Config\n').toString('base64url')}`).digest('base64url');
    expect(sig).toBe(expected);
    const anon = kcFor(s, { user: 'anonymous' }).makeApiClient(k8s.CoreV1Api);
    expect((await anon.readNamespacedConfigMap({ name: 'cluster-info', namespace: 'kube-public' })).data?.kubeconfig).toContain('kind: Config');
    const boot = kcFor(s, { user: { token: 'abcdef.0123456789abcdef' } }).makeApiClient(k8s.CoreV1Api);
    await statusOf(boot.listNamespace());
    expect(s.requests.at(-1)?.user).toBe('system:bootstrap:abcdef');
  });

  it('adds CRD and APIService resources to discovery and serves them', async () => {
    const ext = kcFor(s).makeApiClient(k8s.ApiextensionsV1Api);
    await ext.createCustomResourceDefinition({ body: { metadata: { name: 'widgets.example.io' }, spec: { group: 'example.io', scope: 'Namespaced', names: { plural: 'widgets', kind: 'Widget', singular: 'widget' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } }, subresources: { status: {} } }] } } });
    expect(await until(async () => (await ext.readCustomResourceDefinition({ name: 'widgets.example.io' })).status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ?? false)).toBe(true);
    const api = k8s.KubernetesObjectApi.makeApiClient(kcFor(s));
    await api.create({ apiVersion: 'example.io/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'default' } });
    expect((await api.read({ apiVersion: 'example.io/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'default' } })).metadata?.name).toBe('w');
    const before = await statusOf(fetchJson(s, 'GET', '/apis/cluster.karmada.io/v1alpha1'));
    expect(before.code).toBe(404);
    const reg = kcFor(s).makeApiClient(k8s.ApiregistrationV1Api);
    await reg.createAPIService({ body: { metadata: { name: 'v1alpha1.cluster.karmada.io' }, spec: { group: 'cluster.karmada.io', version: 'v1alpha1', groupPriorityMinimum: 2000, versionPriority: 10, service: { name: 'karmada-aggregated-apiserver', namespace: 'karmada-system' } } } });
    expect(await until(async () => (await reg.readAPIService({ name: 'v1alpha1.cluster.karmada.io' })).status?.conditions?.[0]?.status === 'True')).toBe(true);
    const list = await fetchJson(s, 'GET', '/apis/cluster.karmada.io/v1alpha1');
    expect(list.resources.map((r: { name: string }) => r.name)).toContain('clusters');
  });

  it('injects faults: status on the N-th matching request, latency, dropped connections', async () => {
    s.faults.add({ method: 'GET', path: '/api/v1/namespaces/default/configmaps/p', nth: 2, status: 500 });
    expect((await statusOf(core.readNamespacedConfigMap({ name: 'p', namespace: 'default' }))).code).toBe(200);
    const second = await statusOf(core.readNamespacedConfigMap({ name: 'p', namespace: 'default' }));
    expect(second.code).toBe(500);
    expect(second.body.reason).toBe('InternalError');
    expect((await statusOf(core.readNamespacedConfigMap({ name: 'p', namespace: 'default' }))).code).toBe(200);
    s.faults.clear();
    s.faults.add({ path: /configmaps\/p$/, latencyMs: 120, times: 1 });
    const t0 = Date.now();
    await core.readNamespacedConfigMap({ name: 'p', namespace: 'default' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(110);
    s.faults.clear();
    s.faults.add({ path: /configmaps\/p$/, drop: true, times: 1 });
    const dropped = await statusOf(core.readNamespacedConfigMap({ name: 'p', namespace: 'default' }));
    expect(dropped.code).not.toBe(200);
    expect(s.requests.filter((r) => r.fault === 'drop')).toHaveLength(1);
    s.faults.clear();
  });

  it('deletes namespaces with their content and garbage-collects owned objects', async () => {
    await core.createNamespace({ body: { metadata: { name: 'gone' } } });
    const owner = await core.createNamespacedConfigMap({ namespace: 'gone', body: { metadata: { name: 'owner' } } });
    await core.createNamespacedSecret({ namespace: 'default', body: { metadata: { name: 'owned', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata!.uid! }] } } });
    await core.deleteNamespace({ name: 'gone' });
    expect(await until(async () => (await statusOf(core.readNamespace({ name: 'gone' }))).code === 404)).toBe(true);
    expect(s.store.get('v1', 'ConfigMap', 'gone', 'owner')).toBeUndefined();
    expect(await until(() => !s.store.get('v1', 'Secret', 'default', 'owned'))).toBe(true);
  });

  it('closes promptly with watches open', async () => {
    const t = await startTestApiServer();
    const w = new k8s.Watch(kcFor(t));
    await w.watch('/api/v1/namespaces', {}, () => undefined, () => undefined);
    const t0 = Date.now();
    await t.close();
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});

/** Raw request with the admin certificate (for patch types and paths the typed clients do not expose). */
describe('test API server: what a real kube-apiserver refuses (apply, validation, RBAC)', () => {
  let s: TestApiServer;
  beforeAll(async () => {
    s = await startTestApiServer({ rbac: true, tokens: { 'tok-dev': { name: 'dev', groups: ['system:authenticated'] } } });
  });
  afterAll(() => s.close());
  const apply = (path: string, body: unknown, q = 'fieldManager=a') => fetchJson(s, 'PATCH', `${path}?${q}`, body, 'application/apply-patch+yaml');
  const dep = (labels: Record<string, string>, selector: Record<string, string>, image = 'i:1') => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'default' }, spec: { selector: { matchLabels: selector }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image }] } } } });

  it('server-side apply: managedFields per manager, fields an applier stops sending removed, conflicts as 409 with the real body, force takes over', async () => {
    const cm = (data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa', namespace: 'default' }, data });
    await apply('/api/v1/namespaces/default/configmaps/ssa', cm({ a: '1', b: '2' }));
    await apply('/api/v1/namespaces/default/configmaps/ssa', cm({ c: '3' }), 'fieldManager=other');
    let live = s.store.get('v1', 'ConfigMap', 'default', 'ssa')!;
    expect(live.metadata.managedFields.map((e: { manager: string; fieldsV1: unknown }) => [e.manager, e.fieldsV1])).toEqual([['a', { 'f:data': { 'f:a': {}, 'f:b': {} } }], ['other', { 'f:data': { 'f:c': {} } }]]);
    const rv = live.metadata.resourceVersion;
    await apply('/api/v1/namespaces/default/configmaps/ssa', cm({ a: '1', b: '2' }));
    expect(s.store.get('v1', 'ConfigMap', 'default', 'ssa')!.metadata.resourceVersion).toBe(rv);
    await apply('/api/v1/namespaces/default/configmaps/ssa', cm({ a: '1' }));
    expect(s.store.get('v1', 'ConfigMap', 'default', 'ssa')!.data).toEqual({ a: '1', c: '3' });
    const conflict = await statusOf(apply('/api/v1/namespaces/default/configmaps/ssa', cm({ c: 'mine' })));
    expect(conflict.code).toBe(409);
    expect(conflict.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Apply failed with 1 conflict: conflict with "other" using v1: .data.c',
      reason: 'Conflict',
      details: { name: 'ssa', kind: 'configmaps', causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "other" using v1', field: '.data.c' }] },
      code: 409,
    });
    await apply('/api/v1/namespaces/default/configmaps/ssa', cm({ c: 'mine' }), 'fieldManager=a&force=true');
    live = s.store.get('v1', 'ConfigMap', 'default', 'ssa')!;
    expect(live.data).toEqual({ c: 'mine' });
    expect(live.metadata.managedFields.map((e: { manager: string }) => e.manager)).toEqual(['a']);
  });

  it('unknown fields: 400 under Strict (JSON and apply wording), a Warning header under the default Warn; CRDs by their schema', async () => {
    const strictPost = await statusOf(fetchJson(s, 'POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Strict', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'u1' }, dat: {} }));
    expect(strictPost.code).toBe(400);
    expect(strictPost.body.message).toBe('ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "dat"');
    const nested = await statusOf(apply('/apis/apps/v1/namespaces/default/deployments/d', { ...dep({ app: 'x' }, { app: 'x' }), spec: { ...dep({ app: 'x' }, { app: 'x' }).spec, replica: 2 } }, 'fieldManager=a&fieldValidation=Strict'));
    expect(nested.body.message).toBe('failed to create typed patch object (default/d; apps/v1, Kind=Deployment): .spec.replica: field not declared in schema');
    const ctr = await statusOf(fetchJson(s, 'POST', '/api/v1/namespaces/default/pods?fieldValidation=Strict', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i', imagePullPolicyy: 'Always' }] } }));
    expect(ctr.body.message).toContain('unknown field "spec.containers[0].imagePullPolicyy"');
    const warned = await rawRequest(s, 'POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'u2' }, dat: {} });
    expect(warned.status).toBe(201);
    expect(warned.warning).toBe('299 - "unknown field \\"dat\\""');
    s.store.put({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.io' }, spec: { group: 'example.io', scope: 'Namespaced', names: { kind: 'Widget', plural: 'widgets', singular: 'widget' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' }, free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } } } } } }] } });
    await new Promise((r) => setTimeout(r, 20));
    const bad = await statusOf(fetchJson(s, 'POST', '/apis/example.io/v1/namespaces/default/widgets?fieldValidation=Strict', { apiVersion: 'example.io/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 1, colour: 'red', free: { anything: 1 } } }));
    expect(bad.code).toBe(400);
    expect(bad.body.message).toContain('unknown field "spec.colour"');
    expect(bad.body.message).not.toContain('anything');
  });

  it('immutable fields and selectors that do not match the template: 422 with the real text', async () => {
    const mismatch = await statusOf(fetchJson(s, 'POST', '/apis/apps/v1/namespaces/default/deployments', dep({ app: 'y' }, { app: 'x' })));
    expect(mismatch.code).toBe(422);
    expect(mismatch.body.message).toBe('Deployment.apps "d" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"y"}: `selector` does not match template `labels`');
    await fetchJson(s, 'POST', '/apis/apps/v1/namespaces/default/deployments', dep({ app: 'x' }, { app: 'x' }));
    const sel = await statusOf(apply('/apis/apps/v1/namespaces/default/deployments/d', dep({ app: 'z' }, { app: 'z' }), 'fieldManager=a&force=true'));
    expect(sel.body.message).toMatch(/^Deployment\.apps "d" is invalid: spec\.selector: Invalid value: .*: field is immutable$/);
    await fetchJson(s, 'POST', '/api/v1/namespaces/default/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'st' }, type: 'Opaque' });
    const type = await statusOf(apply('/api/v1/namespaces/default/secrets/st', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'st', namespace: 'default' }, type: 'kubernetes.io/tls' }, 'fieldManager=a&force=true'));
    expect(type.body.message).toBe('Secret "st" is invalid: type: Invalid value: "kubernetes.io/tls": field is immutable');
    const sts = (policy?: string) => ({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'e', namespace: 'default' }, spec: { serviceName: 'e', ...(policy ? { podManagementPolicy: policy } : {}), selector: { matchLabels: { app: 'e' } }, template: { metadata: { labels: { app: 'e' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } });
    await apply('/apis/apps/v1/namespaces/default/statefulsets/e', sts());
    // the default (OrderedReady) spelled out is no change; Parallel is
    await apply('/apis/apps/v1/namespaces/default/statefulsets/e', sts('OrderedReady'));
    const pmp = await statusOf(apply('/apis/apps/v1/namespaces/default/statefulsets/e', sts('Parallel')));
    expect(pmp.body.message).toContain("StatefulSet.apps \"e\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas'");
    await fetchJson(s, 'POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'rb' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r1' }, subjects: [] });
    const rr = await statusOf(apply('/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings/rb', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'rb', namespace: 'default' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r2' } }, 'fieldManager=a&force=true'));
    expect(rr.body.message).toContain('cannot change roleRef');
  });

  it('rbac: true evaluates stored Roles and bindings; system:masters bypasses; discovery for every authenticated user', async () => {
    const dev = kcFor(s, { user: { token: 'tok-dev' } }).makeApiClient(k8s.CoreV1Api);
    expect((await statusOf(dev.listNamespacedConfigMap({ namespace: 'default' }))).code).toBe(403);
    s.store.put({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'cm-read', namespace: 'default' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }, { apiGroups: [''], resources: ['secrets'], resourceNames: ['only-this'], verbs: ['get'] }] });
    s.store.put({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'cm-read', namespace: 'default' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cm-read' }, subjects: [{ kind: 'User', name: 'dev' }] });
    expect((await statusOf(dev.listNamespacedConfigMap({ namespace: 'default' }))).code).toBe(200);
    expect((await statusOf(dev.listNamespacedConfigMap({ namespace: 'kube-system' }))).code).toBe(403);
    expect((await statusOf(dev.readNamespacedSecret({ name: 'only-this', namespace: 'default' }))).code).toBe(404);
    const other = await statusOf(dev.readNamespacedSecret({ name: 'other', namespace: 'default' }));
    expect(other.body.message).toBe('secrets "other" is forbidden: User "dev" cannot get resource "secrets" in API group "" in the namespace "default"');
    expect((await statusOf(dev.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'no' } } }))).code).toBe(403);
    expect((await rawRequest(s, 'GET', '/version', undefined, 'tok-dev')).status).toBe(200);
    expect((await statusOf(kcFor(s).makeApiClient(k8s.CoreV1Api).listNamespacedConfigMap({ namespace: 'kube-system' }))).code).toBe(200);
  });
});

async function rawRequest(s: TestApiServer, method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; warning?: string; body: any }> {
  const https = await import('node:https');
  return new Promise((resolve, reject) => {
    const auth = token ? { headers: { Authorization: `Bearer ${token}` } } : { cert: s.admin.certPem, key: s.admin.keyPem };
    const req = https.request(`${s.url}${path}`, { method, ca: s.caPem, ...auth, headers: { ...(auth.headers ?? {}), ...(body ? { 'Content-Type': 'application/json' } : {}) } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, warning: res.headers.warning as string | undefined, body: text }));
    });
    req.on('error', reject);
    if (body) req.write(JSON.stringify(body));
    req.end();
  });
}

async function fetchJson(s: TestApiServer, method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<any> {
  const https = await import('node:https');
  return new Promise((resolve, reject) => {
    const req = https.request(`${s.url}${path}`, { method, ca: s.caPem, cert: s.admin.certPem, key: s.admin.keyPem, headers: body ? { 'Content-Type': contentType } : {} }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => {
        const parsed = text ? JSON.parse(text) : undefined;
        if ((res.statusCode ?? 0) >= 300) reject(Object.assign(new Error(text), { code: res.statusCode, body: parsed }));
        else resolve(parsed);
      });
    });
    req.on('error', reject);
    if (body) req.write(JSON.stringify(body));
    req.end();
  });
}
