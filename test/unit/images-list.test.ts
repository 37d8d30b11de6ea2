import { describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../support/context';
import { enableOptions } from '../../src/addons/addons';
import { DESCHEDULER, ESTIMATOR, METRICS_ADAPTER, SEARCH, deschedulerObjects, estimatorObjects, metricsAdapterObjects, searchObjects, type AddonSettings } from '../../src/addons/manifests';

const CRDS = path.resolve(__dirname, '../../../shared/fixtures/karmada-crds-v1.18.2.tar.gz');
const env = { KUBECONFIG: '/nonexistent' };

/** Every image of every container and initContainer of every pod-bearing object. */
function podImages(objs: any[]): string[] {
  const out: string[] = [];
  for (const o of objs) {
    const spec = o.kind === 'Pod' ? o.spec : o.spec?.template?.spec;
    if (!spec) continue;
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) out.push(c.image);
  }
  return out;
}

async function dryRunImages(extra: string[]): Promise<string[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kc-imgs-'));
  const r = await runCli(['init', '--dry-run', '--dry-run-dir', dir, '--karmada-apiserver-advertise-address', '10.0.0.10', '--crds', CRDS, '--key-algorithm', 'ecdsa-p256', '-o', 'json', ...extra], { env });
  expect(r.stderr).not.toContain('error:');
  expect(r.code).toBe(0);
  return podImages(JSON.parse(r.stdout).items);
}

async function printed(extra: string[]): Promise<{ lines: string[]; json: { component: string; image: string; source: string }[] }> {
  const r = await runCli(['init', '--print-images', ...extra], { env });
  expect(r.code).toBe(0);
  const j = await runCli(['init', '--print-images', '-o', 'json', ...extra], { env });
  expect(j.code).toBe(0);
  const doc = JSON.parse(j.stdout);
  expect(doc.kind).toBe('Images');
  return { lines: r.stdout.split('\n').filter(Boolean), json: doc.images };
}

/** The addons' images as their own manifests render them with `addons enable --private-image-registry`. */
function addonRenderImages(privateRegistry: string): string[] {
  const o = enableOptions({ 'private-image-registry': privateRegistry, 'pod-timeout': 120, 'apiservice-timeout': 120 }, new Set());
  const s = (a: keyof typeof o.images): AddonSettings => ({ namespace: 'karmada-system', hostClusterDomain: 'cluster.local', image: o.images[a], replicas: 1, priorityClass: 'system-node-critical' });
  const objs = [searchObjects(s(SEARCH), { servers: 'https://etcd:2379', prefix: '' }, 'Y2E='), metricsAdapterObjects(s(METRICS_ADAPTER), 'Y2E='), deschedulerObjects(s(DESCHEDULER)), estimatorObjects(s(ESTIMATOR), 'member1', 'kubeconfig', 'sum')];
  return podImages(objs.flatMap((x) => [...x.host, ...x.karmada]));
}

const CONFIG = `apiVersion: config.karmada.io/v1alpha1
kind: KarmadaInitConfig
spec:
  images:
    kubeImageTag: v1.34.1
    kubeImageRegistry: cfg.registry/k8s
    privateRegistry:
      registry: cfg.registry/karmada
  etcd:
    local:
      repository: cfg.registry/etcd-custom
      tag: 3.5.21-0
`;

describe('init --print-images agrees with init --dry-run', () => {
  const sets: [string, string[], string][] = [
    ['defaults', [], ''],
    ['cn mirror', ['--kube-image-mirror-country', 'cn'], ''],
    ['kube registry + tag', ['--kube-image-registry', 'k8s.mirror.local/', '--kube-image-tag', 'v1.34.0'], ''],
    ['private registry', ['--private-image-registry', 'reg.local:5000/karmada'], 'reg.local:5000/karmada'],
    ['private registry + per-image flags', ['--private-image-registry', 'reg.local', '--karmada-webhook-image', 'other.io/webhook:dev', '--etcd-image', 'etcd.io/etcd:3.5', '--karmada-apiserver-image', 'api.io/kube-apiserver:x'], 'reg.local'],
    ['private registry + kube registry', ['--private-image-registry', 'reg.local', '--kube-image-registry', 'k8s.local'], 'reg.local'],
    ['external etcd (no etcd image)', ['--external-etcd-servers', 'https://10.0.0.5:2379', '--external-etcd-ca-cert-path', 'CA', '--external-etcd-client-cert-path', 'CERT', '--external-etcd-client-key-path', 'KEY'], ''],
  ];
  for (const [name, flags, reg] of sets) {
    it(name, async () => {
      let extra = flags;
      if (name.startsWith('external etcd')) {
        // The dry run reads the external etcd files: give it real PEMs from a first dry run's PKI.
        const dir = await mkdtemp(path.join(os.tmpdir(), 'kc-ext-'));
        const first = await runCli(['init', '--dry-run', '--dry-run-dir', dir, '--karmada-apiserver-advertise-address', '10.0.0.10', '--crds', CRDS, '--key-algorithm', 'ecdsa-p256', '-o', 'json'], { env });
        const pki = JSON.parse(first.stdout).dryRun.pkiDir;
        extra = flags.map((f) => (f === 'CA' ? path.join(pki, 'etcd-ca.crt') : f === 'CERT' ? path.join(pki, 'etcd-client.crt') : f === 'KEY' ? path.join(pki, 'etcd-client.key') : f));
      }
      const rendered = await dryRunImages(extra);
      const { lines, json } = await printed(extra);
      const initImages = json.filter((e) => e.source === 'init').map((e) => e.image);
      expect(new Set(initImages)).toEqual(new Set(rendered));
      expect(initImages).toHaveLength(rendered.length);
      const addons = json.filter((e) => e.source === 'addon').map((e) => e.image);
      expect(new Set(addons)).toEqual(new Set(addonRenderImages(reg)));
      expect(lines).toEqual([...new Set([...initImages, ...addons])]);
      if (name.startsWith('external etcd')) expect(json.map((e) => e.component)).not.toContain('etcd');
      else expect(json.find((e) => e.component === 'etcd')).toBeTruthy();
    });
  }

  it('--config: the file\'s registries and tags are the list\'s, and match the render', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kc-imgcfg-'));
    const file = path.join(dir, 'init.yaml');
    await writeFile(file, CONFIG);
    const rendered = await dryRunImages(['--config', file]);
    const { lines, json } = await printed(['--config', file]);
    expect(new Set(json.filter((e) => e.source === 'init').map((e) => e.image))).toEqual(new Set(rendered));
    expect(lines).toContain('cfg.registry/k8s/kube-apiserver:v1.34.1');
    expect(lines).toContain('cfg.registry/etcd-custom:3.5.21-0');
    expect(lines).toContain('cfg.registry/karmada/karmada-scheduler:v1.18.2');
    expect(lines).toContain('cfg.registry/karmada/karmada-search:v1.18.2');
  });

  it('with a private registry every image line starts with it (the mirroring script\'s input)', async () => {
    const { lines, json } = await printed(['--private-image-registry', 'reg.local']);
    expect(lines.length).toBeGreaterThanOrEqual(11);
    for (const l of lines) expect(l.startsWith('reg.local/')).toBe(true);
    expect(json.map((e) => e.component)).toEqual(['etcd', 'karmada-apiserver', 'karmada-aggregated-apiserver', 'kube-controller-manager', 'karmada-scheduler', 'karmada-controller-manager', 'karmada-webhook', ESTIMATOR, SEARCH, METRICS_ADAPTER, DESCHEDULER]);
  });

  it('bad registry flag: one clear line, non-zero, nothing printed on stdout', async () => {
    const r = await runCli(['init', '--print-images', '--kube-image-mirror-country', 'mars'], { env });
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: .*kube-image-mirror-country/);
  });
});
