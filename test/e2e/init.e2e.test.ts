import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { runCli } from '../support/context';
import { Processes, bridgeKarmada, clientFor, freeNodePort, startCluster, type Cluster } from './harness';
import { readFileSync } from 'node:fs';

const CRDS = path.resolve(__dirname, '../../../shared/fixtures/karmada-crds-v1.18.2.tar.gz');
const MASTER_TAINT = { key: 'node-role.kubernetes.io/master', effect: 'NoSchedule' };

let procs: Processes;
let host: Cluster;
let failed = false;
beforeAll(async () => {
  procs = await Processes.create('init');
  host = await startCluster(procs, 'host', { nodes: [{ name: 'master1', labels: { 'node-role.kubernetes.io/master': '', 'node-role.kubernetes.io/control-plane': '' }, taints: [MASTER_TAINT] }] });
}, 300_000);
afterAll(async () => {
  await procs?.stop(failed);
});

describe('init against a real host cluster (kube-apiserver, scheduler, controller-manager, kwok)', () => {
  it('single tainted master: clear error; with --tolerate-control-plane-taints the real scheduler places everything and the real karmada-apiserver accepts the CRDs', async () => {
    try {
      const hostCfg = host.writeKubeconfig(path.join(procs.dir, 'host.config'));
      const port = await freeNodePort();
      const flags = ['--kubeconfig', hostCfg, '--port', String(port), '-d', path.join(procs.dir, 'data'), '--karmada-pki', path.join(procs.dir, 'pki'), '--crds', CRDS, '--wait-component-ready-timeout', '150'];
      const tainted = await runCli(['init', ...flags]);
      expect(tainted.code).toBe(1);
      expect(tainted.stderr).toContain('master1');
      expect(tainted.stderr).toContain('node-role.kubernetes.io/master:NoSchedule');
      const bridge = bridgeKarmada(procs, host, { nodePort: port });
      const r = await runCli(['init', ...flags, '--tolerate-control-plane-taints']);
      expect(r.stderr).not.toContain('error:');
      expect(r.code).toBe(0);
      const b = await bridge.ready;
      const kc = readFileSync(path.join(procs.dir, 'data', 'karmada-apiserver.config'), 'utf8');
      const karmada = await clientFor(kc);
      const crds = await karmada.list('apiextensions.k8s.io/v1', 'CustomResourceDefinition');
      expect(crds.items.map((c) => c.metadata.name)).toContain('propagationpolicies.policy.karmada.io');
      const ci = await karmada.get<{ data: Record<string, string> } & import('../../src/kube/types').K8sObject>({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'kube-public', name: 'cluster-info' });
      expect(ci?.data.kubeconfig).toBeTruthy();
      karmada.close();
      b.stop();
    } catch (e) {
      failed = true;
      throw e;
    }
  }, 900_000);
});

describe('HA init on three real nodes', () => {
  it('3 karmada-apiservers spread by the real scheduler, a 3-member etcd on PVCs bound by the real PV controller, private registry in every pod', async () => {
    const p = await Processes.create('init-ha');
    let ok = false;
    try {
      const h = await startCluster(p, 'ha', { nodes: [{ name: 'n1' }, { name: 'n2' }, { name: 'n3' }] });
      const hc = await h.client();
      // static PVs of the storage class the PVCs ask for; kube-controller-manager binds them
      for (let i = 0; i < 3; i++) await hc.create({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: `pv-${i}` }, spec: { storageClassName: 'fast', capacity: { storage: '5Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: `/tmp/pv-${i}` } } });
      const port = await freeNodePort();
      const bridge = bridgeKarmada(p, h, { nodePort: port });
      const r = await runCli(['init', '--kubeconfig', h.writeKubeconfig(path.join(p.dir, 'ha.config')), '--port', String(port), '-d', path.join(p.dir, 'data'), '--karmada-pki', path.join(p.dir, 'pki'), '--crds', CRDS, '--wait-component-ready-timeout', '240',
        '--karmada-apiserver-replicas', '3', '--etcd-replicas', '3', '--etcd-storage-mode', 'PVC', '--storage-classes-name', 'fast', '--private-image-registry', 'registry.example.com/mirror']);
      expect(r.stderr).not.toContain('error:');
      expect(r.code).toBe(0);
      await bridge.ready;
      const pods = (await hc.list<import('../../src/kube/types').K8sObject & { spec: { nodeName: string; containers: { image: string }[] } }>('v1', 'Pod', { namespace: 'karmada-system' })).items;
      const apis = pods.filter((x) => x.metadata.name.startsWith('karmada-apiserver-'));
      expect(apis).toHaveLength(3);
      expect(new Set(apis.map((x) => x.spec.nodeName)).size).toBe(3);
      for (const pod of pods) expect(pod.spec.containers[0].image).toMatch(/^registry\.example\.com\/mirror\//);
      const pvcs = (await hc.list<import('../../src/kube/types').K8sObject & { status: { phase: string } }>('v1', 'PersistentVolumeClaim', { namespace: 'karmada-system' })).items;
      expect(pvcs.map((x) => x.status.phase)).toEqual(['Bound', 'Bound', 'Bound']);
      hc.close();
      bridge.stop();
      ok = true;
    } finally {
      await p.stop(!ok);
    }
  }, 900_000);
});
