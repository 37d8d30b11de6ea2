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
  });

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
