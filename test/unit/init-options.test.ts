import { describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { INIT_FLAGS, initOptionsFromFlags, normalizeExtraArgs, validateInitOptions } from '../../src/install/options';
import { resolveImages, kubeRegistry } from '../../src/install/images';
import { mergeInitConfig } from '../../src/install/config';
import { parseGoDuration, formatGoDuration } from '../../src/util/duration';
import { selectEtcdNode, apiserverAddresses, checkSelectedNodes, type NodeLike } from '../../src/install/nodes';

const defaults = () => Object.fromEntries(INIT_FLAGS.map((f) => [f.name, f.default]));
const opts = (over: Record<string, unknown> = {}) => initOptionsFromFlags({ ...defaults(), ...over });

describe('init flags', () => {
  it('keeps the reference names, shorthands and defaults', () => {
    const f = Object.fromEntries(INIT_FLAGS.map((x) => [x.name, x]));
    expect(f.namespace).toMatchObject({ shorthand: 'n', default: 'karmada-system' });
    expect(f.port).toMatchObject({ shorthand: 'p', default: 32443 });
    expect(f['karmada-data']).toMatchObject({ shorthand: 'd', default: '/etc/karmada' });
    expect(f['karmada-pki'].default).toBe('/etc/karmada/pki');
    expect(f['cert-validity-period'].default).toBe('8760h0m0s');
    expect(f['etcd-storage-mode'].default).toBe('hostPath');
    expect(f['wait-component-ready-timeout'].default).toBe(120);
    for (const c of ['karmada-apiserver', 'karmada-scheduler', 'karmada-kube-controller-manager', 'karmada-controller-manager', 'karmada-webhook', 'karmada-aggregated-apiserver']) {
      expect(f[`${c}-replicas`].default).toBe(1);
      expect(f[`${c}-priority-class`].default).toBe('system-node-critical');
      expect(f[`${c}-extra-args`].type).toBe('stringSlice');
    }
    expect(new Set(INIT_FLAGS.map((x) => x.name)).size).toBe(INIT_FLAGS.length);
  });

  it('Go durations round-trip', () => {
    for (const s of ['8760h0m0s', '1h30m0s', '45s', '500ms']) expect(formatGoDuration(parseGoDuration(s))).toBe(s);
    expect(parseGoDuration('1.5h')).toBe(5_400_000);
    expect(() => parseGoDuration('10 days')).toThrow('time: invalid duration "10 days"');
  });

  it('extra args: commas inside a value are kept, bad items named', () => {
    expect(normalizeExtraArgs('x', ['--a=1', '2', '--b'])).toEqual(['--a=1,2', '--b']);
    expect(() => normalizeExtraArgs('x', ['a=1'])).toThrow(/no preceding --key/);
    expect(() => normalizeExtraArgs('x', [' --a'])).toThrow(/whitespace/);
  });

  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['hostPath with 3 etcd replicas', { 'etcd-replicas': 3 }, /etcd-replicas can only be 1/],
    ['PVC without a storage class', { 'etcd-storage-mode': 'PVC' }, /storageClassesName/],
    ['unknown storage mode', { 'etcd-storage-mode': 'nfs' }, /^invalid argument "nfs" for "--etcd-storage-mode" flag: unsupported etcd-storage-mode: use emptyDir, hostPath or PVC/],
    ['bad advertise address', { 'karmada-apiserver-advertise-address': '10.0.0' }, /^invalid argument "10.0.0" for "--karmada-apiserver-advertise-address" flag: must be an IPv4 or IPv6 address/],
    ['CA cert without key', { 'ca-cert-file': '/x' }, /must be used together/],
    ['bad pull policy', { 'image-pull-policy': 'always' }, /^invalid argument "always" for "--image-pull-policy" flag: must be one of Always, IfNotPresent, Never$/],
    ['port outside the NodePort range', { port: 5443 }, /^invalid argument "5443" for "--port" flag: must be an integer from 30000 to 32767$/],
    ['zero replicas', { 'karmada-webhook-replicas': 0 }, /^invalid argument "0" for "--karmada-webhook-replicas" flag: must be an integer from 1 to 2147483647$/],
    ['negative timeout', { 'wait-component-ready-timeout': -1 }, /^invalid argument "-1" for "--wait-component-ready-timeout" flag: must be an integer from 0 to 2147483$/],
    ['bad external IP', { 'cert-external-ip': '1.2.3.4,nope' }, /^invalid argument "nope" for "--cert-external-ip" flag/],
    ['unknown mirror country', { 'kube-image-mirror-country': 'mars' }, /"--kube-image-mirror-country" flag: must be cn/],
    ['unknown key algorithm', { 'key-algorithm': 'dsa' }, /^invalid argument "dsa" for "--key-algorithm" flag: must be one of rsa-3072, ecdsa-p256$/],
    ['bad PVC size', { 'etcd-storage-mode': 'PVC', 'storage-classes-name': 's', 'etcd-pvc-size': 'lots' }, /^invalid argument "lots" for "--etcd-pvc-size" flag: must be a Kubernetes quantity/],
    ['a zoned advertise address', { 'karmada-apiserver-advertise-address': 'fe80::1%eth0' }, /^invalid argument "fe80::1%eth0" for "--karmada-apiserver-advertise-address" flag: must be an IPv4 or IPv6 address without a zone/],
    ['0.0.0.0 as advertise address', { 'karmada-apiserver-advertise-address': '0.0.0.0' }, /not the unspecified address/],
    [':: as a certificate IP', { 'cert-external-ip': '::' }, /"--cert-external-ip" flag: must be an address clients can connect to/],
    ['a validity beyond Go durations', { 'cert-validity-period': '99999999999h' }, /^invalid argument "99999999999h" for "--cert-validity-period" flag: must be at most 2562047h47m16\.854s$/],
    ['a zero validity', { 'cert-validity-period': '0s' }, /"--cert-validity-period" flag: must be a positive duration/],
    ['3000000000 scheduler replicas', { 'karmada-scheduler-replicas': 3000000000 }, /"--karmada-scheduler-replicas" flag: must be an integer from 1 to 2147483647/],
    ['negative etcd replicas', { 'etcd-storage-mode': 'emptyDir', 'etcd-replicas': -1 }, /"--etcd-replicas" flag: must be an integer from 1/],
    ['a PVC size of 0', { 'etcd-storage-mode': 'PVC', 'storage-classes-name': 's', 'etcd-pvc-size': '0' }, /^invalid argument "0" for "--etcd-pvc-size" flag: must be a size of at least one byte/],
    ['a namespace with a space', { namespace: 'karmada system' }, /^invalid argument "karmada system" for "--namespace" flag: must be a lowercase RFC 1123 label/],
    ['a registry with a space', { 'private-image-registry': 'my registry' }, /"--private-image-registry" flag: must be a registry/],
    ['a 100k-character image, echoed short', { 'etcd-image': 'a'.repeat(100_000) }, /^invalid argument "a{60}…" \(100000 characters\) for "--etcd-image" flag/],
    ['an ESC in a priority class, escaped', { 'etcd-priority-class': 'x\u001b[31m' }, /^invalid argument "x\\x1b\[31m" for "--etcd-priority-class" flag/],
    ['--dry-run-dir without --dry-run', { 'dry-run-dir': '/tmp/x' }, /^--dry-run-dir is only used with --dry-run$/],
    ['a relative etcd data path', { 'etcd-data': 'data' }, /"--etcd-data" flag: must be an absolute path/],
    ['external etcd cert without key', { 'external-etcd-servers': 'https://e:2379', 'external-etcd-client-cert-path': '/c' }, /both or none/],
  ];
  for (const [label, over, re] of cases) {
    it(`rejects ${label} with the fix`, () => {
      let err: any;
      try {
        validateInitOptions(opts(over), 'karmadactl');
      } catch (e) {
        err = e;
      }
      expect(err?.message).toMatch(re);
      expect(`${err.message}${err.hint ?? ''}`).not.toContain('\n');
    });
  }
  it('accepts the defaults and a valid HA set', () => {
    expect(() => validateInitOptions(opts(), 'karmadactl')).not.toThrow();
    expect(() => validateInitOptions(opts({ 'etcd-replicas': 3, 'etcd-storage-mode': 'PVC', 'storage-classes-name': 's' }), 'karmadactl')).not.toThrow();
  });
});

describe('images', () => {
  const img = (over: Record<string, unknown>) => resolveImages(opts(over).images);
  it('kube registry precedence: registry > mirror country > private registry > default', () => {
    const i = { kubeRegistry: 'a.io', kubeMirrorCountry: 'cn', privateRegistry: 'p.io' };
    expect(kubeRegistry(i)).toBe('a.io');
    expect(kubeRegistry({ ...i, kubeRegistry: '' })).toBe('registry.cn-hangzhou.aliyuncs.com/google_containers');
    expect(kubeRegistry({ ...i, kubeRegistry: '', kubeMirrorCountry: '' })).toBe('p.io');
    expect(kubeRegistry({ kubeRegistry: '', kubeMirrorCountry: '', privateRegistry: '' })).toBe('registry.k8s.io');
  });
  it('karmada images: rewritten by the private registry only when left at their default', () => {
    expect(img({}).scheduler).toBe('docker.io/karmada/karmada-scheduler:v1.18.2');
    expect(img({ 'private-image-registry': 'p.io' }).scheduler).toBe('p.io/karmada-scheduler:v1.18.2');
    expect(img({ 'private-image-registry': 'p.io', 'karmada-scheduler-image': 'x.io/s:1' }).scheduler).toBe('x.io/s:1');
    expect(img({ 'kube-image-tag': 'v1.34.0' }).apiserver).toBe('registry.k8s.io/kube-apiserver:v1.34.0');
    expect(img({ 'kube-image-tag': 'v1.34.0' }).etcd).toBe('registry.k8s.io/etcd:3.6.6-0');
  });
});

describe('--config', () => {
  it('merges a KarmadaInitConfig: set values win, keys are case-insensitive, extra args merge by name', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kc-cfg-'));
    const file = path.join(dir, 'c.yaml');
    await writeFile(file, `apiVersion: config.karmada.io/v1alpha1
kind: KarmadaInitConfig
spec:
  karmadaCrds: /tmp/crds.tar.gz
  images:
    kubeImageMirrorCountry: cn
  etcd:
    local:
      replicas: 3
      storageMode: PVC
      storageClassesName: fast
  components:
    karmadaAPIServer:
      replicas: 3
      networking: { namespace: other, port: 31000 }
      extraArgs: [{ name: v, value: "5" }]
  bogus: 1
`);
    const { flags, warnings } = await mergeInitConfig(file, { ...defaults(), 'karmada-apiserver-extra-args': ['--audit-log-path=-', '--v=3'] });
    const o = initOptionsFromFlags(flags);
    expect(o.crds).toBe('/tmp/crds.tar.gz');
    expect(o.etcd).toMatchObject({ replicas: 3, storageMode: 'PVC', storageClass: 'fast' });
    expect(o.namespace).toBe('other');
    expect(o.port).toBe(31000);
    expect(o.components['karmada-apiserver'].extraArgs.sort()).toEqual(['--audit-log-path=-', '--v=5']);
    expect(o.images.kubeMirrorCountry).toBe('cn');
    expect(warnings).toEqual(['--config: unknown field spec.bogus ignored']);
  });
  it('refuses the wrong kind or version with the reference wording', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kc-cfg-'));
    const file = path.join(dir, 'c.yaml');
    await writeFile(file, 'apiVersion: config.karmada.io/v1beta9\nkind: KarmadaInitConfig\n');
    await expect(mergeInitConfig(file, {})).rejects.toThrow(/invalid Group or Version/);
    await writeFile(file, 'kind: KarmadaInitConfig\n');
    await expect(mergeInitConfig(file, {})).rejects.toThrow(/kind and apiVersion is mandatory/);
    await writeFile(file, 'apiVersion: v1\nkind: KarmadaInitConfig\nspec: [\n');
    await expect(mergeInitConfig(file, {})).rejects.toThrow(/line \d+/);
  });
});

describe('nodes', () => {
  const node = (name: string, o: { taints?: { key: string; effect: string }[]; ready?: boolean; labels?: Record<string, string>; ip?: string } = {}): NodeLike => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: o.labels ?? {} },
    spec: { taints: o.taints },
    status: { conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }], addresses: [{ type: 'InternalIP', address: o.ip ?? '10.0.0.1' }] },
  });
  const master = { key: 'node-role.kubernetes.io/master', effect: 'NoSchedule' };
  it('picks the first healthy untainted node, or an earlier run\'s labelled node', () => {
    expect(selectEtcdNode([node('a', { taints: [master] }), node('b', { ready: false }), node('c')], { tolerateControlPlaneTaints: false, program: 'karmadactl' })).toEqual({ name: 'c', reused: false });
    expect(selectEtcdNode([node('a'), node('b', { labels: { 'karmada.io/etcd': '' } })], { tolerateControlPlaneTaints: false, program: 'karmadactl' })).toEqual({ name: 'b', reused: true });
  });
  it('never moves hostPath etcd: a labelled node that cannot run etcd, or two labelled nodes, stop with the fix', () => {
    const o = { tolerateControlPlaneTaints: false, program: 'karmadactl', dataPath: '/var/lib/karmada-etcd' };
    const lbl = { 'karmada.io/etcd': '' };
    let err: any;
    try {
      selectEtcdNode([node('a', { labels: lbl, ready: false }), node('b')], o);
    } catch (e) {
      err = e;
    }
    expect(err.message).toBe("etcd's node a (labelled karmada.io/etcd; its hostPath holds the etcd data) cannot run etcd: not Ready; init does not move hostPath etcd to another node, where it would start empty");
    expect(err.hint).toContain('copy /var/lib/karmada-etcd to the new node');
    expect(err.hint).toContain('kubectl label node a karmada.io/etcd-');
    expect(() => selectEtcdNode([node('a', { labels: lbl, taints: [{ key: 'gpu', effect: 'NoSchedule' }] }), node('b')], o)).toThrow(/cannot run etcd: taint gpu:NoSchedule/);
    expect(() => selectEtcdNode([node('a', { labels: lbl }), node('b', { labels: lbl })], o)).toThrow('several nodes carry the karmada.io/etcd label (a, b)');
  });
  it('names every blocked node and both fixes; the flag tolerates control-plane taints only', () => {
    const nodes = [node('m1', { taints: [master] }), node('m2', { taints: [{ key: 'gpu', effect: 'NoSchedule' }] })];
    let err: any;
    try {
      selectEtcdNode(nodes, { tolerateControlPlaneTaints: false, program: 'karmadactl' });
    } catch (e) {
      err = e;
    }
    expect(err.message).toBe('failed to find a healthy node for karmada-etcd: m1 (taint node-role.kubernetes.io/master:NoSchedule); m2 (taint gpu:NoSchedule)');
    expect(err.hint).toContain('kubectl taint node m1 node-role.kubernetes.io/master:NoSchedule-');
    expect(err.hint).toContain('--tolerate-control-plane-taints');
    expect(selectEtcdNode(nodes, { tolerateControlPlaneTaints: true, program: 'karmadactl' }).name).toBe('m1');
  });
  it('explicit selectors must match a usable node', () => {
    expect(() => checkSelectedNodes([node('a')], { disk: 'ssd' }, { tolerateControlPlaneTaints: false })).toThrow('no node found by label disk=ssd');
    expect(() => checkSelectedNodes([node('a', { labels: { disk: 'ssd' }, taints: [master] })], { disk: 'ssd' }, { tolerateControlPlaneTaints: false })).toThrow(/no node matching disk=ssd can run etcd: a \(taint node-role.kubernetes.io\/master:NoSchedule\)/);
  });
  it('apiserver addresses: advertise address, else master IPs, else the first three nodes', () => {
    expect(apiserverAddresses([node('a')], '1.2.3.4')).toEqual(['1.2.3.4']);
    expect(apiserverAddresses([node('w', { ip: '10.0.0.9' }), node('m', { ip: '10.0.0.1', labels: { 'node-role.kubernetes.io/control-plane': '' } })])).toEqual(['10.0.0.1']);
    expect(apiserverAddresses(['a', 'b', 'c', 'd'].map((n, i) => node(n, { ip: `10.0.1.${i}` })))).toEqual(['10.0.1.0', '10.0.1.1', '10.0.1.2']);
  });
});

describe('--config types, documents and unknown fields', () => {
  const load = async (body: string) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kc-cfg-'));
    const file = path.join(dir, 'c.yaml');
    await writeFile(file, body);
    return mergeInitConfig(file, defaults());
  };
  const head = 'apiVersion: config.karmada.io/v1alpha1\nkind: KarmadaInitConfig\n';
  it('a wrong type is an error naming the field path', async () => {
    const cases: [string, string][] = [
      ['spec:\n  certificates:\n    externalIP: 10.0.0.1\n', 'spec.certificates.externalIP: expected a list of strings, got a string'],
      ['spec:\n  etcd:\n    local:\n      replicas: "3"\n', 'spec.etcd.local.replicas: expected an integer, got a string'],
      ['spec:\n  components:\n    karmadaAPIServer:\n      networking:\n        port: 1.5\n', 'spec.components.karmadaAPIServer.networking.port: expected an integer, got a number'],
      ['spec:\n  components:\n    karmadaAPIServer:\n      networking:\n        port: 99999999999\n', 'spec.components.karmadaAPIServer.networking.port: 99999999999 is out of range for a 32-bit integer'],
      ['spec:\n  certificates:\n    validityPeriod: 8760\n', 'spec.certificates.validityPeriod: expected a duration string such as 8760h, got an integer'],
      ['spec:\n  etcd:\n    local:\n      nodeSelectorLabels: [a]\n', 'spec.etcd.local.nodeSelectorLabels: expected a mapping of strings, got a list'],
      ['spec:\n  images:\n    imagePullSecrets: [a, {b: c}]\n', 'spec.images.imagePullSecrets[1]: expected a string, got a mapping'],
      ['spec:\n  components:\n    karmadaScheduler:\n      extraArgs: "--v=4"\n', 'spec.components.karmadaScheduler.extraArgs: expected a list of {name, value}, got a string'],
      ['spec: []\n', 'spec: expected a mapping, got a list'],
    ];
    for (const [body, want] of cases) await expect(load(head + body)).rejects.toThrow(`failed to load karmada init configuration: ${want}`);
  });
  it('only the first document is read; a trailing --- is fine; not a mapping is refused', async () => {
    const r = await load(`${head}spec:\n  karmadaDataPath: /d1\n---\n`);
    expect(r.flags['karmada-data']).toBe('/d1');
    const two = await load(`${head}spec:\n  karmadaDataPath: /d1\n---\n${head}spec:\n  karmadaDataPath: /d2\n`);
    expect(two.flags['karmada-data']).toBe('/d1');
    await expect(load('---\n---\n' + head)).rejects.toThrow('kind and apiVersion is mandatory');
    await expect(load('just text\n')).rejects.toThrow('is not a YAML mapping (got a string)');
  });
  it('unknown fields are ignored at any depth, each reported', async () => {
    const r = await load(`${head}spec:\n  etcd:\n    local:\n      dataPath: /x\n      bogus: 1\n  images:\n    kubeImageTag: v1\n    extra: {}\n`);
    expect(r.flags['etcd-data']).toBe('/x');
    expect(r.warnings).toEqual(['--config: unknown field spec.etcd.local.bogus ignored', '--config: unknown field spec.images.extra ignored']);
  });
});

describe('deinit --delete-etcd-data safety', () => {
  it('refuses /, system directories, paths inside them, home directories and relative paths', async () => {
    const { checkEtcdDataPath } = await import('../../src/install/deinit');
    for (const bad of ['/', '//', '/etc', '/usr/', '/var', '/var/lib', '/home', '/root', '/boot', '/bin', '/sbin', '/lib64', '/opt', '/proc', '/sys', '/dev', '/tmp', '/etc/karmada', '/proc/1', '/var/lib/kubelet/pods', '/home/alice', '/var/lib/../..', 'var/lib/karmada-etcd', 'data', '']) {
      expect(() => checkEtcdDataPath(bad, 'node1'), bad).toThrow(/^refusing to delete the etcd data at .* on node node1: /);
    }
    for (const ok of ['/var/lib/karmada-etcd', '/var/lib/karmada-etcd/', '/data/etcd', '/home/alice/etcd', '/opt/karmada/etcd']) expect(checkEtcdDataPath(ok, 'n')).toBe(ok.replace(/\/$/, ''));
  });
  it.skipIf(!existsSync('/bin/sh'))("the clean-up pod's script deletes only a directory that holds etcd's member/", async () => {
    const { cleanupScript } = await import('../../src/install/deinit');
    const { mkdir, readdir } = await import('node:fs/promises');
    const { spawnSync } = await import('node:child_process');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kc-etcd-'));
    await writeFile(path.join(dir, 'precious'), 'x');
    const refused = spawnSync('sh', ['-c', cleanupScript('/var/lib/karmada-etcd', dir)], { encoding: 'utf8' });
    expect(refused.status).toBe(3);
    expect(refused.stderr).toContain('no etcd member/ directory in /var/lib/karmada-etcd: nothing deleted');
    expect(await readdir(dir)).toEqual(['precious']);
    await mkdir(path.join(dir, 'member', 'snap'), { recursive: true });
    await writeFile(path.join(dir, '.hidden'), 'x');
    const ok = spawnSync('sh', ['-c', cleanupScript('/var/lib/karmada-etcd', dir)], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(ok.stdout.trim()).toBe('0');
    expect(await readdir(dir)).toEqual([]);
  });
});
