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
