import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { execSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { X509Certificate } from 'node:crypto';
import { parse } from 'yaml';
import { runCli } from '../support/context';
import { nodes, type TestApiServer } from '../support/apiserver';
import type { User } from '../support/apiserver/server';
import { startControlPlane, startMember, tmpDir } from '../support/clusters';
import { clusterInfoKubeconfig } from '../../src/install/kubeconfig';

const UID = '33333333-3333-3333-3333-333333333333';
/** What init's RBAC allows (registration.md §4): bootstrap tokens may only handle CSRs; agents act on their cluster. */
const authorize = (u: User, verb: string, resource: string) => {
  if (u.name.startsWith('system:bootstrap:')) return resource === 'certificatesigningrequests' && ['create', 'get', 'list', 'watch'].includes(verb) && u.groups.includes('system:bootstrappers:karmada:default-cluster-token');
  return u.name.startsWith('system:karmada:agent:');
};

let cp: TestApiServer;
let member: TestApiServer;
let dir: string;
let cpCfg: string;
let memberCfg: string;

beforeEach(async () => {
  [cp, member] = await Promise.all([startControlPlane({ authorize }), startTestMember()]);
  cp.sim.autoApproveCsr = true;
  cp.store.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cluster-info', namespace: 'kube-public' }, data: { kubeconfig: clusterInfoKubeconfig({ server: cp.url, caPem: cp.caPem }) } });
  dir = await tmpDir('kc-register-');
  cpCfg = path.join(dir, 'karmada-apiserver.config');
  memberCfg = path.join(dir, 'member.config');
  await cp.writeKubeconfig(cpCfg, { cluster: 'karmada-apiserver' });
  await member.writeKubeconfig(memberCfg, { cluster: 'member2' });
});
afterEach(async () => {
  await Promise.all([cp.close(), member.close()]);
});

async function startTestMember() {
  const { startTestApiServer } = await import('../support/apiserver');
  return startTestApiServer({ kubeSystemUid: UID, nodes: [nodes.untainted('m-node1')] });
}

const tokenCreate = async (...extra: string[]) => {
  const r = await runCli(['token', 'create', '--kubeconfig', cpCfg, ...extra]);
  expect(r.stderr).not.toContain('error:');
  return r.stdout.trim();
};
/** The register arguments printed by `token create --print-register-command`. */
const registerArgs = async () => (await tokenCreate('--print-register-command')).split(' ').slice(2);
const register = (args: string[], extra: string[] = []) => runCli(['register', ...args, '--kubeconfig', memberCfg, '--discovery-timeout', '3s', ...extra]);
const memberWrites = () => member.writes().length;

describe('token', () => {
  it('create, list (table and json), delete by id and by token; expiry shown', async () => {
    const token = await tokenCreate('--ttl', '1h', '--description', 'for member2');
    expect(token).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
    const [id, secret] = token.split('.');
    const s = cp.store.get('v1', 'Secret', 'kube-system', `bootstrap-token-${id}`)!;
    const d = Object.fromEntries(Object.entries(s.data as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));
    expect(s.type).toBe('bootstrap.kubernetes.io/token');
    expect(d).toMatchObject({ 'token-id': id, 'token-secret': secret, 'usage-bootstrap-signing': 'true', 'usage-bootstrap-authentication': 'true', 'auth-extra-groups': 'system:bootstrappers:karmada:default-cluster-token', description: 'for member2' });
    expect(Date.parse(d.expiration) - Date.now()).toBeGreaterThan(3500_000);
    expect(d.expiration).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const forever = await tokenCreate('--ttl', '0', '--usages', 'authentication');
    cp.store.put({ apiVersion: 'v1', kind: 'Secret', type: 'bootstrap.kubernetes.io/token', metadata: { name: 'bootstrap-token-old000', namespace: 'kube-system' }, data: { 'token-id': btoa('old000'), 'token-secret': btoa('0123456789abcdef'), expiration: btoa('2020-01-01T00:00:00Z'), 'usage-bootstrap-signing': btoa('true') } });
    const list = await runCli(['token', 'list', '--kubeconfig', cpCfg]);
    const lines = list.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^TOKEN\s+TTL\s+EXPIRES\s+USAGES\s+DESCRIPTION\s+EXTRA GROUPS$/);
    expect(lines.find((l) => l.startsWith(token))).toMatch(/\s59m\s.*authentication,signing\s+for member2\s+system:bootstrappers:karmada:default-cluster-token$/);
    expect(lines.find((l) => l.startsWith(forever))).toMatch(/<forever>\s+<never>\s+authentication\s+<none>/);
    expect(lines.find((l) => l.startsWith('old000'))).toMatch(/<invalid>\s+2020-01-01T00:00:00Z/);
    const json = JSON.parse((await runCli(['token', 'list', '--kubeconfig', cpCfg, '-o', 'json'])).stdout);
    expect(json.tokens.map((t: { id: string }) => t.id).sort()).toEqual([id, forever.split('.')[0], 'old000'].sort());
    const del = await runCli(['token', 'delete', id, forever, '--kubeconfig', cpCfg]);
    expect(del.stdout).toBe(`bootstrap token "${id}" deleted\nbootstrap token "${forever.split('.')[0]}" deleted\n`);
    expect(cp.store.get('v1', 'Secret', 'kube-system', `bootstrap-token-${id}`)).toBeUndefined();
    const missing = await runCli(['token', 'delete', 'zzzzzz', '--kubeconfig', cpCfg]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('bootstrap token "zzzzzz" not found');
  });

  it('--print-register-command prints the endpoint and the pin over the CA SubjectPublicKeyInfo (checked with openssl)', async () => {
    const line = await tokenCreate('--print-register-command');
    const m = /^karmadactl register (\S+) --token ([a-z0-9]{6}\.[a-z0-9]{16}) --discovery-token-ca-cert-hash (sha256:[0-9a-f]{64})$/.exec(line)!;
    expect(m).toBeTruthy();
    expect(m[1]).toBe(cp.url.replace('https://', ''));
    const file = path.join(dir, 'ca.crt');
    await writeFile(file, cp.caPem);
    const want = execSync(`openssl x509 -in ${file} -noout -pubkey | openssl pkey -pubin -outform der | sha256sum`).toString().split(' ')[0];
    expect(m[3]).toBe(`sha256:${want}`);
    const plugin = await runCli(['token', 'create', '--print-register-command', '--kubeconfig', cpCfg], { invokedAs: 'kubectl-karmada' });
    expect(plugin.stdout).toMatch(/^kubectl karmada register /);
  });

  it('bad --usages, --groups or --ttl: one-line error, no token created', async () => {
    for (const [flag, value, msg] of [['--usages', 'signing,nope', 'invalid --usages value "nope"'], ['--groups', 'admins', 'invalid --groups value "admins"'], ['--ttl', '-1h', '--ttl must not be negative']]) {
      const r = await runCli(['token', 'create', flag, value, '--kubeconfig', cpCfg]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(msg);
    }
    expect(cp.writes()).toEqual([]);
  });
});

describe('register', () => {
  it('end to end with the printed command: agent certificate, RBAC on the control plane, the agent on the member', async () => {
    const args = await registerArgs();
    const r = await register(args, ['--cluster-name', 'member2', '--cluster-zones', 'z1,z2']);
    expect(r.stderr).not.toContain('error:');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('cluster(member2) is joined successfully\n');
    const secret = member.store.get('v1', 'Secret', 'karmada-system', 'karmada-kubeconfig')!;
    const kc = parse(Buffer.from(secret.data['karmada-kubeconfig'], 'base64').toString());
    expect(kc.clusters[0].cluster.server).toBe(cp.url);
    const cert = new X509Certificate(Buffer.from(kc.users[0].user['client-certificate-data'], 'base64'));
    expect(cert.subject.split('\n').sort()).toEqual(['CN=system:karmada:agent:member2', 'O=system:karmada:agents']);
    expect(cert.verify(new X509Certificate(cp.caPem).publicKey)).toBe(true);
    const dep = member.store.get('apps/v1', 'Deployment', 'karmada-system', 'karmada-agent')!;
    const cmd: string[] = dep.spec.template.spec.containers[0].command;
    expect(cmd).toContain('--cluster-name=member2');
    expect(cmd).toContain(`--cluster-api-endpoint=${member.url}`);
    expect(cmd).toContain('--cluster-zones=z1,z2');
    expect(dep.spec.template.spec.containers[0].image).toBe('docker.io/karmada/karmada-agent:v1.18.2');
    expect(dep.status.readyReplicas).toBe(1);
    for (const kind of ['ClusterRole', 'ClusterRoleBinding']) expect(cp.store.get('rbac.authorization.k8s.io/v1', kind, undefined, 'system:karmada:member2:agent')).toBeTruthy();
    expect(cp.store.get('rbac.authorization.k8s.io/v1', 'Role', 'karmada-es-member2', 'system:karmada:member2:agent-work')).toBeTruthy();
    expect(cp.store.get('rbac.authorization.k8s.io/v1', 'RoleBinding', 'karmada-cluster', 'system:karmada:member2:agent-secret')).toBeTruthy();
    const csrs = cp.store.list('certificates.k8s.io/v1', 'CertificateSigningRequest').map((c) => c.metadata.name);
    expect(csrs.some((n) => n.startsWith('agent-rbac-generator-'))).toBe(false); // deleted after use
    expect(csrs.filter((n) => n.startsWith('member2-'))).toHaveLength(1);
    // no token, key or certificate in the output, even at -v 8
    const token = args[args.indexOf('--token') + 1];
    const again = await register(args, ['--cluster-name', 'member2', '-v', '8']);
    expect(again.code).toBe(0);
    expect(again.stdout + again.stderr).not.toContain(token.split('.')[1]);
    expect(again.stdout + again.stderr).not.toMatch(/PRIVATE KEY|BEGIN CERTIFICATE/);
  });

  it('a wrong pin is refused and nothing is written', async () => {
    const args = await registerArgs();
    args[args.indexOf('--discovery-token-ca-cert-hash') + 1] = `sha256:${'ab'.repeat(32)}`;
    const r = await register(args, ['--cluster-name', 'member2']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('none of the public keys');
    expect(r.stderr).toContain('are pinned');
    expect(memberWrites()).toBe(0);
    expect(cp.store.list('certificates.k8s.io/v1', 'CertificateSigningRequest')).toEqual([]);
  });

  it('a forged JWS and an unknown token are refused', async () => {
    const args = await registerArgs();
    const token = args[args.indexOf('--token') + 1];
    const id = token.split('.')[0];
    cp.sim.stop?.();
    const cm = cp.store.get('v1', 'ConfigMap', 'kube-public', 'cluster-info')!;
    const { detachedJws } = await import('../../src/registration/discovery');
    cp.store.put({ ...cm, data: { ...cm.data, [`jws-kubeconfig-${id}`]: detachedJws(cm.data.kubeconfig, id, '0000000000000000') } });
    const forged = await register(args, ['--cluster-name', 'member2']);
    expect(forged.code).toBe(1);
    expect(forged.stderr).toContain("failed to verify JWS signature of received cluster info object, can't trust this API Server");
    const unknown = [...args];
    unknown[unknown.indexOf('--token') + 1] = 'zzzzzz.0123456789abcdef';
    const u = await register(unknown, ['--cluster-name', 'member2', '--discovery-timeout', '1s']);
    expect(u.code).toBe(1);
    expect(u.stderr).toContain('could not find a JWS signature in the cluster-info ConfigMap for token ID "zzzzzz"');
    expect(u.stderr).toContain('token create --print-register-command');
    expect(memberWrites()).toBe(0);
  });

  it('without pins only with --discovery-token-unsafe-skip-ca-verification', async () => {
    const args = await registerArgs();
    const noPin = args.slice(0, args.indexOf('--discovery-token-ca-cert-hash'));
    const refused = await register(noPin, ['--cluster-name', 'member2']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('need to verify CACertHashes, or set --discovery-token-unsafe-skip-ca-verification=true');
    expect(cp.requests.filter((q) => q.path.includes('cluster-info'))).toEqual([]);
    const ok = await register(noPin, ['--cluster-name', 'member2', '--discovery-token-unsafe-skip-ca-verification']);
    expect(ok.stderr).toContain('CA not pinned');
    expect(ok.code).toBe(0);
  });

  it('a denied CSR stops at once with the reason, and what the run created is removed', async () => {
    cp.sim.autoApproveCsr = false;
    cp.sim.denyCsr = true;
    const started = Date.now();
    const r = await register(await registerArgs(), ['--cluster-name', 'member2', '--approval-timeout', '30s']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/certificate signing request agent-rbac-generator-member2\w{5} was denied \(TestDenied\)/);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(memberWrites()).toBe(0);
  });

  it('the default name is the kubeconfig cluster entry of the context in use; "kubernetes" stops with the fix', async () => {
    const args = await registerArgs();
    await member.writeKubeconfig(memberCfg, { cluster: 'kubernetes', context: 'kubernetes-admin@kubernetes' });
    const k = await register(args);
    expect(k.code).toBe(1);
    expect(k.stderr).toContain('the cluster name would be "kubernetes"');
    expect(k.stderr).toContain('pass --cluster-name NAME');
    expect(memberWrites()).toBe(0);
    await member.writeKubeconfig(memberCfg, { cluster: 'member7' });
    const ok = await register(args);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toContain('cluster name: member7');
    expect(ok.stdout).toBe('cluster(member7) is joined successfully\n');
  });

  it('refuses a name taken by another cluster without touching that cluster\'s RBAC', async () => {
    cp.store.put({ apiVersion: 'cluster.karmada.io/v1alpha1', kind: 'Cluster', metadata: { name: 'member2' }, spec: { syncMode: 'Pull', id: 'someone-else' } });
    cp.store.put({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'system:karmada:member2:agent' }, rules: [] });
    const r = await register(await registerArgs(), ['--cluster-name', 'member2']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('failed to register as cluster with name member2 already exists');
    expect(cp.store.get('rbac.authorization.k8s.io/v1', 'ClusterRole', undefined, 'system:karmada:member2:agent')).toBeTruthy();
    expect(memberWrites()).toBe(0);
  });

  const faults: [string, 'cp' | 'member', string, string | RegExp][] = [
    ['control-plane RBAC', 'cp', 'PATCH', /rolebindings\/system(:|%3A)karmada(:|%3A)member2(:|%3A)agent-work$/],
    ['agent CSR', 'cp', 'POST', /certificatesigningrequests$/],
    ['member namespace', 'member', 'POST', /^\/api\/v1\/namespaces$/],
    ['agent Deployment', 'member', 'PATCH', '/deployments/karmada-agent'],
  ];
  it.each(faults)('a failure at the %s: removed what it created; a re-run registers', async (_l, side, method, p) => {
    const args = await registerArgs();
    // the agent CSR is the second CSR of the run
    (side === 'cp' ? cp : member).faults.add({ method, path: p, status: 403, message: 'injected', nth: String(p).includes('certificatesigningrequests') ? 2 : 1 });
    const r = await register(args, ['--cluster-name', 'member2']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('injected');
    await new Promise((res) => setTimeout(res, 30));
    expect(member.store.get('apps/v1', 'Deployment', 'karmada-system', 'karmada-agent')).toBeUndefined();
    expect(member.store.get('v1', 'Namespace', undefined, 'karmada-system')).toBeUndefined();
    expect(cp.store.get('rbac.authorization.k8s.io/v1', 'ClusterRole', undefined, 'system:karmada:member2:agent')).toBeUndefined();
    const again = await register(args, ['--cluster-name', 'member2']);
    expect(again.stderr).not.toContain('error:');
    expect(again.code).toBe(0);
  });

  it('--dry-run stops after the member pre-flight checks', async () => {
    const r = await register(await registerArgs(), ['--cluster-name', 'member2', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('dry run');
    expect(memberWrites()).toBe(0);
    expect(cp.requests.filter((q) => q.path.includes('cluster-info'))).toEqual([]);
  });
});

describe('unregister', () => {
  /** What karmada-agent does once running: the Pull Cluster and the member credentials. */
  const agentStarted = () => {
    cp.store.put({ apiVersion: 'cluster.karmada.io/v1alpha1', kind: 'Cluster', metadata: { name: 'member2' }, spec: { syncMode: 'Pull', id: UID, apiEndpoint: member.url } });
    member.store.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'karmada-cluster', labels: { 'karmada.io/system': 'true' } }, status: { phase: 'Active' } });
    member.store.put({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'karmada-member2', namespace: 'karmada-cluster' } });
    cp.store.put({ apiVersion: 'work.karmada.io/v1alpha1', kind: 'Work', metadata: { name: 'w1', namespace: 'karmada-es-member2' }, spec: {} });
  };

  it('with --karmada-config leaves nothing register (or the agent) made, on either side, and no files are touched', async () => {
    expect((await register(await registerArgs(), ['--cluster-name', 'member2'])).code).toBe(0);
    agentStarted();
    const r = await runCli(['unregister', 'member2', '--cluster-kubeconfig', memberCfg, '--karmada-config', cpCfg]);
    expect(r.stderr).not.toContain('error:');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/cluster\(member2\) is unregistered successfully\n$/);
    await new Promise((res) => setTimeout(res, 30));
    expect(cp.store.get('cluster.karmada.io/v1alpha1', 'Cluster', undefined, 'member2')).toBeUndefined();
    expect(cp.store.list('work.karmada.io/v1alpha1', 'Work', 'karmada-es-member2')).toEqual([]);
    for (const kind of ['ClusterRole', 'ClusterRoleBinding']) expect(cp.store.get('rbac.authorization.k8s.io/v1', kind, undefined, 'system:karmada:member2:agent')).toBeUndefined();
    expect(cp.store.get('rbac.authorization.k8s.io/v1', 'Role', 'karmada-cluster', 'system:karmada:member2:agent-secret')).toBeUndefined();
    for (const [kind, ns, name] of [['Deployment', 'karmada-system', 'karmada-agent'], ['Secret', 'karmada-system', 'karmada-kubeconfig'], ['ServiceAccount', 'karmada-system', 'karmada-agent-sa'], ['ServiceAccount', 'karmada-cluster', 'karmada-member2']] as const) {
      expect(member.store.get(kind === 'Deployment' ? 'apps/v1' : 'v1', kind, ns, name)).toBeUndefined();
    }
    expect(member.store.get('rbac.authorization.k8s.io/v1', 'ClusterRole', undefined, 'karmada-agent')).toBeUndefined();
    expect(member.store.get('v1', 'Namespace', undefined, 'karmada-cluster')).toBeUndefined();
  });

  it('a re-run after a timed-out deletion that karmada completed by itself converges and says what was already gone', async () => {
    expect((await register(await registerArgs(), ['--cluster-name', 'member2'])).code).toBe(0);
    agentStarted();
    // The first run's --wait ran out while the Cluster carried its finalizer; karmada-controller-manager
    // then removed the execution space and the Cluster: the member side (agent, its RBAC, secrets) is left.
    // (the double completes a Cluster deletion at once, so the state the timed-out run left is set here)
    cp.store.delete('work.karmada.io/v1alpha1', 'Work', 'karmada-es-member2', 'w1');
    cp.store.delete('cluster.karmada.io/v1alpha1', 'Cluster', undefined, 'member2');
    expect(member.store.get('apps/v1', 'Deployment', 'karmada-system', 'karmada-agent')).toBeTruthy();
    const again = await runCli(['unregister', 'member2', '--cluster-kubeconfig', memberCfg, '--karmada-config', cpCfg]);
    expect(again.stderr).not.toContain('error:');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already gone: karmada: Cluster member2\n');
    expect(again.stdout).toMatch(/cluster\(member2\) is unregistered successfully\n$/);
    expect(member.store.get('apps/v1', 'Deployment', 'karmada-system', 'karmada-agent')).toBeUndefined();
    expect(member.store.get('v1', 'Secret', 'karmada-system', 'karmada-kubeconfig')).toBeUndefined();
    expect(cp.store.get('rbac.authorization.k8s.io/v1', 'ClusterRole', undefined, 'system:karmada:member2:agent')).toBeUndefined();
    // nothing left anywhere: a third run says there is nothing to unregister
    const third = await runCli(['unregister', 'member2', '--cluster-kubeconfig', memberCfg, '--karmada-config', cpCfg]);
    expect(third.code).toBe(1);
    expect(third.stderr).toContain('no cluster object member2 found');
  });

  it('without --karmada-config acts as the agent and lists the control-plane RBAC to clean up; refuses a Push cluster', async () => {
    expect((await register(await registerArgs(), ['--cluster-name', 'member2'])).code).toBe(0);
    agentStarted();
    const dry = await runCli(['unregister', 'member2', '--cluster-kubeconfig', memberCfg, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('karmada: Cluster member2 would be deleted');
    const r = await runCli(['unregister', 'member2', '--cluster-kubeconfig', memberCfg]);
    expect(r.code).toBe(0);
    expect(cp.requests.filter((q) => q.method === 'DELETE' && q.path.endsWith('/clusters/member2')).map((q) => q.user)).toEqual(['system:karmada:agent:member2']);
    expect(r.stderr).toContain('ClusterRole/system:karmada:member2:agent');
    expect(cp.store.get('rbac.authorization.k8s.io/v1', 'ClusterRole', undefined, 'system:karmada:member2:agent')).toBeTruthy();
    cp.store.put({ apiVersion: 'cluster.karmada.io/v1alpha1', kind: 'Cluster', metadata: { name: 'pushed' }, spec: { syncMode: 'Push', id: 'x' } });
    const push = await runCli(['unregister', 'pushed', '--cluster-kubeconfig', memberCfg, '--karmada-config', cpCfg]);
    expect(push.code).toBe(1);
    expect(push.stderr).toContain('please use command `unjoin`');
    const noKc = await runCli(['unregister', 'member2']);
    expect(noKc.stderr).toContain('--cluster-kubeconfig is required');
  });
});
