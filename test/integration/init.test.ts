import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { runCli } from '../support/context';
import { nodes } from '../support/apiserver';
import { startKarmadaHost, type KarmadaHost } from '../support/karmada-host';

const CRDS_1182 = path.resolve(__dirname, '../../../shared/fixtures/karmada-crds-v1.18.2.tar.gz');
const CRDS_150 = path.resolve(__dirname, '../../../shared/fixtures/karmada-crds-v1.5.0.tar.gz');
const crdCount = (tarball: string) => execFileSync('tar', ['tzf', tarball]).toString().split('\n').filter((f) => /^crds\/bases\/.*\.yaml$/.test(f)).length;

let env: KarmadaHost | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const init = (e: KarmadaHost, extra: string[] = []) => runCli(['init', ...e.flags(['--crds', CRDS_1182, ...extra])]);
const writes = (e: KarmadaHost) => e.host.writes();
const deploy = (e: KarmadaHost, name: string) => e.host.store.get('apps/v1', 'Deployment', 'karmada-system', name)!;

describe('init against a host cluster', () => {
  it('single node with a master taint: one clear error naming the node, the taint and both fixes; nothing created', async () => {
    env = await startKarmadaHost({ nodes: [nodes.taintedMaster('master1')] });
    const r = await init(env);
    expect(r.code).toBe(1);
    const line = r.stderr.trim().split('\n').pop()!;
    expect(line).toMatch(/^error: preflight: failed to find a healthy node for karmada-etcd: master1 \(taint node-role.kubernetes.io\/master:NoSchedule\)/);
    expect(line).toContain('--tolerate-control-plane-taints');
    expect(line).toContain('kubectl taint node master1 node-role.kubernetes.io/master:NoSchedule-');
    expect(writes(env)).toEqual([]);
    expect(existsSync(path.join(env.dir, 'data'))).toBe(false);
    expect(existsSync(path.join(env.dir, 'pki'))).toBe(false);
  });

  it('with --tolerate-control-plane-taints installs on the tainted node, waits until ready, writes a 0600 kubeconfig', async () => {
    env = await startKarmadaHost({ nodes: [nodes.taintedMaster('master1')] });
    const r = await init(env, ['--tolerate-control-plane-taints']);
    expect(r.stderr).not.toContain('error:');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Karmada v1.18.2 is installed and ready.`);
    expect(r.stdout).toContain(`https://127.0.0.1:${env.port}`);
    const node = env.host.store.get('v1', 'Node', undefined, 'master1')!;
    expect(node.metadata.labels['karmada.io/etcd']).toBe('');
    for (const name of ['karmada-apiserver', 'karmada-aggregated-apiserver', 'kube-controller-manager', 'karmada-scheduler', 'karmada-controller-manager', 'karmada-webhook']) {
      const d = deploy(env, name);
      expect(d.status.readyReplicas).toBe(1);
      expect(d.spec.template.spec.tolerations).toContainEqual({ key: 'node-role.kubernetes.io/master', operator: 'Exists', effect: 'NoSchedule' });
    }
    const kubeconfig = path.join(env.dir, 'data', 'karmada-apiserver.config');
    expect(statSync(kubeconfig).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(env.dir, 'pki', 'ca.key')).mode & 0o777).toBe(0o600);
    const k = env.karmada()!;
    expect(k.store.list('apiextensions.k8s.io/v1', 'CustomResourceDefinition')).toHaveLength(crdCount(CRDS_1182));
    expect(k.store.get('apiregistration.k8s.io/v1', 'APIService', undefined, 'v1alpha1.cluster.karmada.io')!.spec.caBundle).toBe(Buffer.from(await readFile(path.join(env.dir, 'pki', 'ca.crt'))).toString('base64'));
    const rb = k.store.get('apiextensions.k8s.io/v1', 'CustomResourceDefinition', undefined, 'resourcebindings.work.karmada.io')!;
    expect(rb.spec.conversion.webhook.clientConfig.url).toBe('https://karmada-webhook.karmada-system.svc:443/convert');
    expect((await readFile(kubeconfig, 'utf8'))).toContain(`server: https://127.0.0.1:${env.port}`);

    // A second run on a healthy install applies everything again, changes nothing, and says so.
    const before = [env.host.content(), k.content()];
    const again = await init(env, ['--tolerate-control-plane-taints']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('is already installed and up to date; nothing changed.');
    expect([env.host.content(), k.content()]).toEqual(before);
  });

  it('image pull failure: fails at the wait with the pods and the mirror flags; the re-run with a mirror converges', async () => {
    env = await startKarmadaHost({ nodes: [nodes.untainted('node1')] });
    env.host.sim.failImages(/^registry\.k8s\.io\//, 'imagePull');
    const r = await init(env, ['--wait-component-ready-timeout', '1']);
    expect(r.code).toBe(1);
    const line = r.stderr.trim().split('\n').pop()!;
    expect(line).toMatch(/^error: wait-apiserver: timed out after 1s waiting for (etcd|karmada-apiserver) to become ready/);
    expect(line).toContain('ImagePullBackOff');
    expect(line).toContain('--kube-image-mirror-country cn');
    const mirror = 'registry.cn-hangzhou.aliyuncs.com/google_containers';
    const ok = await init(env, ['--kube-image-registry', mirror]);
    expect(ok.stderr).not.toContain('error:');
    expect(ok.code).toBe(0);
    expect(deploy(env, 'karmada-apiserver').spec.template.spec.containers[0].image).toBe(`${mirror}/kube-apiserver:v1.35.2`);
    expect(env.host.store.get('apps/v1', 'StatefulSet', 'karmada-system', 'etcd')!.spec.template.spec.containers[0].image).toBe(`${mirror}/etcd:3.6.6-0`);
  });

  it('HA: 3 apiservers and a 3-member etcd on PVCs across three nodes, with ECDSA keys', async () => {
    env = await startKarmadaHost({ nodes: nodes.workers(3) });
    const r = await init(env, ['--karmada-apiserver-replicas', '3', '--etcd-replicas', '3', '--etcd-storage-mode', 'PVC', '--storage-classes-name', 'fast', '--key-algorithm', 'ecdsa-p256']);
    expect(r.stderr).not.toContain('error:');
    expect(r.code).toBe(0);
    const sts = env.host.store.get('apps/v1', 'StatefulSet', 'karmada-system', 'etcd')!;
    expect(sts.spec.replicas).toBe(3);
    expect(sts.spec.volumeClaimTemplates[0].spec).toMatchObject({ storageClassName: 'fast', resources: { requests: { storage: '5Gi' } } });
    const cmd: string[] = sts.spec.template.spec.containers[0].command;
    const peers = cmd.find((a) => a.startsWith('--initial-cluster='))!.split('=').slice(1).join('=').split(',');
    expect(peers).toEqual([0, 1, 2].map((i) => `etcd-${i}=http://etcd-${i}.etcd.karmada-system.svc.cluster.local:2380`));
    const api = deploy(env, 'karmada-apiserver');
    expect(api.spec.replicas).toBe(3);
    expect(api.status.readyReplicas).toBe(3);
    expect(api.spec.template.spec.containers[0].command).toContain('--apiserver-count=3');
    const pods = env.host.store.list('v1', 'Pod', 'karmada-system').filter((p) => p.metadata.labels?.app === 'karmada-apiserver');
    expect(new Set(pods.map((p) => p.spec.nodeName)).size).toBe(3);
    const certs = env.host.store.get('v1', 'Secret', 'karmada-system', 'karmada-cert')!;
    const key = Buffer.from(certs.data['karmada.key'], 'base64').toString();
    expect(key).toMatch(/^-----BEGIN EC PRIVATE KEY-----/);
  });

  it('reads the older flat CRD layout', async () => {
    env = await startKarmadaHost({ nodes: [nodes.untainted('node1')] });
    const r = await runCli(['init', ...env.flags(['--crds', CRDS_150])]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('(flat layout)');
    expect(env.karmada()!.store.list('apiextensions.k8s.io/v1', 'CustomResourceDefinition')).toHaveLength(crdCount(CRDS_150));
  });

  it('a failure injected in each phase stops the run there; a plain re-run converges', async () => {
    env = await startKarmadaHost({ nodes: [nodes.untainted('node1')] });
    const faults: [string, { method: string; path: RegExp }][] = [
      ['preflight', { method: 'GET', path: /\/api\/v1\/nodes$/ }],
      ['namespace', { method: 'PATCH', path: /\/api\/v1\/namespaces\/karmada-system$/ }],
      ['secrets', { method: 'PATCH', path: /\/secrets\/karmada-cert$/ }],
      ['etcd', { method: 'PATCH', path: /\/statefulsets\/etcd$/ }],
      ['apiserver', { method: 'PATCH', path: /\/deployments\/karmada-apiserver$/ }],
      ['components', { method: 'PATCH', path: /\/deployments\/karmada-webhook$/ }],
    ];
    for (const [phase, f] of faults) {
      env.host.faults.add({ ...f, status: 403, times: 1 });
      const r = await init(env);
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n').pop()).toMatch(new RegExp(`^error: ${phase}: Error from server \\(Forbidden\\)`));
      env.host.faults.clear();
    }
    const ok = await init(env);
    expect(ok.stderr).not.toContain('error:');
    expect(ok.code).toBe(0);
    // Faults on the karmada-apiserver side too.
    for (const [phase, f] of [['karmada-resources', { method: 'PATCH', path: /customresourcedefinitions\/works\.work\.karmada\.io$/ }], ['bootstrap', { method: 'PATCH', path: /configmaps\/cluster-info$/ }]] as const) {
      env.karmada()!.store.delete('v1', 'ConfigMap', 'kube-public', 'cluster-info');
      env.karmada()!.store.delete('apiextensions.k8s.io/v1', 'CustomResourceDefinition', undefined, 'works.work.karmada.io');
      env.karmada()!.faults.add({ ...f, status: 403, times: 1 });
      const r = await init(env);
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n').pop()).toMatch(new RegExp(`^error: ${phase}: `));
      env.karmada()!.faults.clear();
      const again = await init(env);
      expect(again.code).toBe(0);
    }
    expect(env.karmada()!.store.get('v1', 'ConfigMap', 'kube-public', 'cluster-info')).toBeDefined();
  }, 240_000); // 13 phases, each failed once and re-run: ~1 min on a quiet machine, more on a loaded one

  it('bad CRD tarballs and bad flags fail before anything is written', async () => {
    env = await startKarmadaHost({ nodes: [nodes.untainted('node1')] });
    const missing = await runCli(['init', ...env.flags(['--crds', path.join(env.dir, 'nope.tgz')])]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('does not exist');
    const badFlag = await runCli(['init', ...env.flags(['--crds', CRDS_1182, '--etcd-replicas', '3'])]);
    expect(badFlag.stderr.trim()).toBe('error: for data security, when etcd storage mode is hostPath, etcd-replicas can only be 1; for HA etcd use --etcd-storage-mode PVC --storage-classes-name NAME (or emptyDir)');
    expect(writes(env)).toEqual([]);
    expect(existsSync(path.join(env.dir, 'pki'))).toBe(false);
  });
});

describe('init --dry-run', () => {
  it('renders everything with no cluster at all and writes nothing outside its directory', async () => {
    const r = await runCli(['init', '--dry-run', '--karmada-apiserver-advertise-address', '10.0.0.10', '--crds', CRDS_1182, '-o', 'json'], { env: { KUBECONFIG: '/nonexistent' } });
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout);
    expect(list.kind).toBe('List');
    const kinds = list.items.map((o: { kind: string }) => o.kind);
    expect(kinds.filter((k: string) => k === 'CustomResourceDefinition')).toHaveLength(crdCount(CRDS_1182));
    expect(kinds.filter((k: string) => k === 'Deployment')).toHaveLength(6);
    const secret = list.items.find((o: any) => o.kind === 'Secret' && o.metadata.name === 'karmada-cert');
    expect(JSON.stringify(secret)).not.toContain('PRIVATE KEY');
    expect(list.dryRun.server).toBe('https://10.0.0.10:32443');
    expect(existsSync(path.join(list.dryRun.pkiDir, 'ca.crt'))).toBe(true);
  });

  it('applies registry overrides: cn mirror, private registry, per-image flags', async () => {
    const images = async (extra: string[]) => {
      const r = await runCli(['init', '--dry-run', '--karmada-apiserver-advertise-address', '10.0.0.10', '--crds', CRDS_1182, '-o', 'json', ...extra], { env: { KUBECONFIG: '/nonexistent' } });
      expect(r.code).toBe(0);
      const items = JSON.parse(r.stdout).items as any[];
      return Object.fromEntries(items.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet').map((o) => [o.metadata.name, o.spec.template.spec.containers[0].image]));
    };
    const cn = await images(['--kube-image-mirror-country', 'cn']);
    expect(cn['karmada-apiserver']).toBe('registry.cn-hangzhou.aliyuncs.com/google_containers/kube-apiserver:v1.35.2');
    expect(cn.etcd).toBe('registry.cn-hangzhou.aliyuncs.com/google_containers/etcd:3.6.6-0');
    expect(cn['karmada-scheduler']).toBe('docker.io/karmada/karmada-scheduler:v1.18.2');
    const priv = await images(['--private-image-registry', 'my.registry:5000/karmada']);
    expect(priv['kube-controller-manager']).toBe('my.registry:5000/karmada/kube-controller-manager:v1.35.2');
    expect(priv['karmada-webhook']).toBe('my.registry:5000/karmada/karmada-webhook:v1.18.2');
    const per = await images(['--private-image-registry', 'my.registry', '--karmada-webhook-image', 'other.io/webhook:dev', '--etcd-image', 'etcd.io/etcd:3.5']);
    expect(per['karmada-webhook']).toBe('other.io/webhook:dev');
    expect(per.etcd).toBe('etcd.io/etcd:3.5');
    expect(per['karmada-controller-manager']).toBe('my.registry/karmada-controller-manager:v1.18.2');
  });
});

const PKI_FILES = ['ca', 'karmada', 'apiserver', 'front-proxy-ca', 'front-proxy-client', 'etcd-ca', 'etcd-server', 'etcd-client'];
async function pkiFiles(e: KarmadaHost): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const n of PKI_FILES) for (const ext of ['crt', 'key']) out[`${n}.${ext}`] = await readFile(path.join(e.dir, 'pki', `${n}.${ext}`), 'utf8');
  return out;
}
function secretCerts(e: KarmadaHost): Record<string, string> {
  const s = e.host.store.get('v1', 'Secret', 'karmada-system', 'karmada-cert')!;
  return Object.fromEntries(Object.entries(s.data as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));
}
const changed = (a: Record<string, string>, b: Record<string, string>) => Object.keys(a).filter((k) => a[k] !== b[k]).sort();
const CA_FILES = ['ca.crt', 'ca.key', 'front-proxy-ca.crt', 'front-proxy-ca.key', 'etcd-ca.crt', 'etcd-ca.key'];

describe('init re-runs keep every valid CA', () => {
  it('changed --cert-external-ip, a leaf near expiry, a changed --key-algorithm: CA bytes unchanged, only the expected leaves re-issued and named', async () => {
    env = await startKarmadaHost({ nodes: [nodes.untainted('node1')] });
    expect((await init(env)).code).toBe(0);
    const first = await pkiFiles(env);
    const kubeconfig = path.join(env.dir, 'data', 'karmada-apiserver.config');
    const kc1 = await readFile(kubeconfig, 'utf8');

    const ip = await init(env, ['--cert-external-ip', '10.0.0.11']);
    expect(ip.stderr).not.toContain('error:');
    expect(ip.code).toBe(0);
    expect(ip.stderr).toContain('re-issuing karmada.crt: SANs changed (+10.0.0.11)');
    expect(ip.stderr).toContain('re-issuing apiserver.crt: SANs changed (+10.0.0.11)');
    const second = await pkiFiles(env);
    expect(changed(first, second)).toEqual(['apiserver.crt', 'karmada.crt']);
    for (const f of CA_FILES) expect(secretCerts(env)[f]).toBe(first[f]);
    expect(secretCerts(env)['karmada.crt']).toBe(second['karmada.crt']);
    const kc2 = await readFile(kubeconfig, 'utf8');
    expect(kc2).not.toBe(kc1); // the admin client certificate was re-issued
    expect(kc2).toContain(Buffer.from(first['ca.crt']).toString('base64'));

    // A leaf 10 days before its end (as if the install were a year old) is renewed, nothing else.
    const { issueCertificate, issuerOf } = await import('../../src/pki/x509');
    const soon = new Date(Date.now() + 10 * 86_400_000);
    const short = issueCertificate({ cn: 'front-proxy-client' }, second['front-proxy-client.key'], new Date(Date.now() - 86_400_000), soon, issuerOf(first['front-proxy-ca.crt'], first['front-proxy-ca.key'])).pem;
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path.join(env.dir, 'pki', 'front-proxy-client.crt'), short);
    const renew = await init(env, ['--cert-external-ip', '10.0.0.11']);
    expect(renew.code).toBe(0);
    expect(renew.stderr).toMatch(/re-issuing front-proxy-client\.crt: expires \d{4}-\d\d-\d\d \(within 30 days\) \(key kept\)/);
    const third = await pkiFiles(env);
    expect(changed({ ...second, 'front-proxy-client.crt': short }, third)).toEqual(['front-proxy-client.crt']);
    expect(secretCerts(env)['front-proxy-client.crt']).toBe(third['front-proxy-client.crt']);

    // A changed key algorithm: new leaf keys under the same (RSA) CAs.
    const ec = await init(env, ['--cert-external-ip', '10.0.0.11', '--key-algorithm', 'ecdsa-p256']);
    expect(ec.code).toBe(0);
    expect(ec.stderr).toContain('re-issuing etcd-client.crt: key algorithm changed (rsa → ecdsa-p256)');
    const fourth = await pkiFiles(env);
    for (const f of CA_FILES) expect(fourth[f]).toBe(first[f]);
    expect(changed(third, fourth)).toEqual(PKI_FILES.filter((n) => !n.endsWith('ca')).flatMap((n) => [`${n}.crt`, `${n}.key`]).sort());
    expect(fourth['karmada.key']).toMatch(/^-----BEGIN EC PRIVATE KEY-----/);
  });

  it('a changed API server address (a control-plane node added) re-issues karmada and apiserver only', async () => {
    env = await startKarmadaHost({ nodes: [nodes.untainted('node1')] });
    expect((await init(env)).code).toBe(0);
    const first = await pkiFiles(env);
    env.host.store.put({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node2', labels: { 'node-role.kubernetes.io/control-plane': '' } }, spec: {}, status: { conditions: [{ type: 'Ready', status: 'True' }], addresses: [{ type: 'InternalIP', address: '10.0.0.2' }] } });
    const r = await init(env);
    expect(r.stderr).not.toContain('error:');
    expect(r.stderr).toContain('re-issuing apiserver.crt: SANs changed (+10.0.0.2) (key kept)');
    const second = await pkiFiles(env);
    expect(changed(first, second)).toEqual(['apiserver.crt', 'karmada.crt']);
    expect(secretCerts(env)['apiserver.crt']).toBe(second['apiserver.crt']);
  });

  it('a changed --etcd-replicas re-issues only etcd-server', async () => {
    env = await startKarmadaHost({ nodes: nodes.workers(3) });
    const pvc = ['--etcd-storage-mode', 'PVC', '--storage-classes-name', 'fast'];
    expect((await init(env, pvc)).code).toBe(0);
    const first = await pkiFiles(env);
    const r = await init(env, [...pvc, '--etcd-replicas', '3']);
    expect(r.stderr).toMatch(/re-issuing etcd-server\.crt: SANs changed \(\+etcd-1\.etcd\.karmada-system\.svc\.cluster\.local, \+etcd-2/);
    const second = await pkiFiles(env);
    expect(changed(first, second)).toEqual(['etcd-server.crt']);
  });

  it('a damaged ca.key stops init before anything is written, naming the key and both fixes; --rotate-ca replaces all CAs and re-issues everything', async () => {
    env = await startKarmadaHost({ nodes: [nodes.untainted('node1')] });
    expect((await init(env)).code).toBe(0);
    const first = await pkiFiles(env);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path.join(env.dir, 'pki', 'ca.key'), 'not a key\n');
    const before = writes(env).length;
    const r = await init(env, ['--cert-external-ip', '10.0.0.11']);
    expect(r.code).toBe(1);
    const line = r.stderr.trim().split('\n').pop()!;
    expect(line).toBe(`error: certs: ca.key in ${path.join(env.dir, 'pki')} is not a valid private key: the CA cannot be used to issue certificates, and a new one would not be trusted by the running control plane; restore ca.crt and ca.key from a backup, or pass --rotate-ca to replace the CAs on purpose (every certificate and kubeconfig is then re-issued, and member clusters must be registered again)`);
    expect(line).not.toContain('not a valid certificate');
    expect(writes(env).length).toBe(before);
    expect((await readFile(path.join(env.dir, 'pki', 'karmada.crt'), 'utf8'))).toBe(first['karmada.crt']);
    expect(secretCerts(env)['ca.key']).toBe(first['ca.key']);

    // Restore the key from the cluster's copy: the re-run keeps everything.
    await writeFile(path.join(env.dir, 'pki', 'ca.key'), first['ca.key']);
    const ok = await init(env);
    expect(ok.code).toBe(0);
    expect(changed(first, await pkiFiles(env))).toEqual([]);

    // Rotation on purpose: new CAs, every leaf under them, secrets and kubeconfig re-issued.
    await writeFile(path.join(env.dir, 'pki', 'ca.key'), 'damaged again\n');
    const rot = await init(env, ['--rotate-ca']);
    expect(rot.stderr).not.toContain('error:');
    expect(rot.code).toBe(0);
    expect(rot.stderr).toContain('--rotate-ca');
    const rotated = await pkiFiles(env);
    expect(changed(first, rotated)).toEqual(Object.keys(first).sort());
    for (const f of CA_FILES) expect(rotated[f]).not.toBe(first[f]);
    const { X509Certificate } = await import('node:crypto');
    const ca = new X509Certificate(rotated['ca.crt']);
    for (const leaf of ['karmada', 'apiserver']) expect(new X509Certificate(rotated[`${leaf}.crt`]).verify(ca.publicKey)).toBe(true);
    expect(new X509Certificate(rotated['etcd-server.crt']).verify(new X509Certificate(rotated['etcd-ca.crt']).publicKey)).toBe(true);
    expect(new X509Certificate(rotated['front-proxy-client.crt']).verify(new X509Certificate(rotated['front-proxy-ca.crt']).publicKey)).toBe(true);
    expect(secretCerts(env)).toMatchObject(Object.fromEntries(Object.entries(rotated)));
    const kc = await readFile(path.join(env.dir, 'data', 'karmada-apiserver.config'), 'utf8');
    expect(kc).toContain(Buffer.from(rotated['ca.crt']).toString('base64'));
    expect(kc).toContain(Buffer.from(rotated['karmada.crt']).toString('base64'));
    const inCluster = Buffer.from(env.host.store.get('v1', 'Secret', 'karmada-system', 'karmada-controller-manager-config')!.data['karmada.config'], 'base64').toString();
    expect(inCluster).toContain(Buffer.from(rotated['ca.crt']).toString('base64'));
    expect(env.karmada()!.store.get('apiregistration.k8s.io/v1', 'APIService', undefined, 'v1alpha1.cluster.karmada.io')!.spec.caBundle).toBe(Buffer.from(rotated['ca.crt']).toString('base64'));
  });
});

describe('init never moves hostPath etcd', () => {
  it('the labelled etcd node is NotReady: init stops naming it and the fix; no second node is labelled, nothing written', async () => {
    env = await startKarmadaHost({ nodes: [nodes.untainted('node1'), { name: 'node2', internalIP: '127.0.0.1' }] });
    expect((await init(env)).code).toBe(0);
    const labelled = () => env!.host.store.list('v1', 'Node').filter((n) => n.metadata.labels && 'karmada.io/etcd' in n.metadata.labels).map((n) => n.metadata.name);
    expect(labelled()).toEqual(['node1']);
    const n1 = env.host.store.get('v1', 'Node', undefined, 'node1')!;
    env.host.store.put({ ...n1, status: { ...n1.status, conditions: n1.status.conditions.map((c: any) => (c.type === 'Ready' ? { ...c, status: 'Unknown' } : c)) } });
    const before = writes(env).length;
    const r = await init(env);
    expect(r.code).toBe(1);
    const line = r.stderr.trim().split('\n').pop()!;
    expect(line).toMatch(/^error: preflight: etcd's node node1 \(labelled karmada\.io\/etcd; its hostPath holds the etcd data\) cannot run etcd: not Ready; init does not move hostPath etcd/);
    expect(line).toContain('kubectl label node node1 karmada.io/etcd-');
    expect(labelled()).toEqual(['node1']);
    expect(writes(env).length).toBe(before);
  });
});
