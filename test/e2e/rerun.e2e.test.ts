/**
 * Re-running init against a real host cluster (kube-apiserver, controller-manager, scheduler, kwok):
 * a healthy re-run applies everything again and moves no resourceVersion of what karmadactl owns; a
 * re-run with changed flags converges (HA replicas) or stops before writing with the fix (etcd storage
 * mode: volumeClaimTemplates cannot change), as the real kube-apiserver would refuse the change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { runCli } from '../support/context';
import { Processes, bridgeKarmada, clientFor, freeNodePort, startCluster, type Cluster } from './harness';
import type { KubeClient } from '../../src/kube/client';
import type { K8sObject } from '../../src/kube/types';

const CRDS = path.resolve(__dirname, '../../../shared/fixtures/karmada-crds-v1.18.2.tar.gz');
const NS = 'karmada-system';
const KINDS: [string, string][] = [['v1', 'Secret'], ['v1', 'Service'], ['v1', 'ServiceAccount'], ['apps/v1', 'Deployment'], ['apps/v1', 'StatefulSet']];

let procs: Processes;
let host: Cluster;
let hc: KubeClient;
let flags: string[];
let bridge: { stop(): void } | undefined;
let failed = false;

/** The summary lines of init's host phases: each must say only "unchanged N" on a healthy re-run. */
const hostPhaseLines = (stdout: string) => stdout.split('\n').filter((l) => /\[(namespace|secrets|etcd|apiserver|components)\]/.test(l));

/** What karmadactl owns of every object in karmada-system: resourceVersion (non-workloads), generation and karmadactl's managedFields. */
async function owned(): Promise<Record<string, { rv?: string; generation?: number; ours: unknown }>> {
  const out: Record<string, { rv?: string; generation?: number; ours: unknown }> = {};
  for (const [api, kind] of KINDS) {
    for (const o of (await hc.list<K8sObject>(api, kind, { namespace: NS })).items) {
      const ours = ((o.metadata.managedFields ?? []) as { manager: string }[]).filter((e) => e.manager === 'karmadactl');
      if (!ours.length) continue;
      // Workloads get status writes from their controllers; their spec is what generation counts.
      const workload = kind === 'Deployment' || kind === 'StatefulSet';
      out[`${kind}/${o.metadata.name}`] = { rv: workload ? undefined : o.metadata.resourceVersion, generation: o.metadata.generation as number | undefined, ours };
    }
  }
  return out;
}

beforeAll(async () => {
  procs = await Processes.create('rerun');
  // Three nodes: going from 1 to 2 karmada-apiservers rolls the Deployment (--apiserver-count changes), and
  // its required hostname anti-affinity needs a free node for the surge pod (with 2 nodes it deadlocks).
  host = await startCluster(procs, 'rerun', { nodes: [{ name: 'n1' }, { name: 'n2' }, { name: 'n3' }] });
  hc = await host.client();
  const port = await freeNodePort();
  flags = ['--kubeconfig', host.writeKubeconfig(path.join(procs.dir, 'host.config')), '--port', String(port), '-d', path.join(procs.dir, 'data'), '--karmada-pki', path.join(procs.dir, 'pki'), '--crds', CRDS, '--wait-component-ready-timeout', '200'];
  bridge = bridgeKarmada(procs, host, { nodePort: port });
  const r = await runCli(['init', ...flags]);
  if (r.code !== 0) failed = true;
  expect(r.stderr).not.toContain('error:');
}, 900_000);
afterAll(async () => {
  bridge?.stop();
  hc?.close();
  await procs?.stop(failed);
});

describe('re-running init against a real host cluster', () => {
  it('a healthy re-run applies again and changes nothing karmadactl owns', async () => {
    try {
      const before = await owned();
      expect(Object.keys(before)).toEqual(expect.arrayContaining(['StatefulSet/etcd', 'Deployment/karmada-apiserver', 'Secret/karmada-cert']));
      const r = await runCli(['init', ...flags]);
      expect(r.stderr).not.toContain('error:');
      expect(r.code).toBe(0);
      // On the host nothing moved.
      const lines = hostPhaseLines(r.stdout + r.stderr);
      expect(lines).toHaveLength(5);
      for (const l of lines) expect(l).toMatch(/: unchanged \d+( \(|$)/);
      expect(await owned()).toEqual(before);
    } catch (e) {
      failed = true;
      throw e;
    }
  }, 900_000);

  it('a changed --etcd-storage-mode stops before any write with the fix; the real server agrees the change is refused', async () => {
    try {
      const before = await owned();
      const r = await runCli(['init', ...flags, '--etcd-storage-mode', 'PVC', '--storage-classes-name', 'standard']);
      expect(r.code).toBe(1);
      const line = r.stderr.trim().split('\n').pop()!;
      expect(line).toMatch(/^error: immutable: StatefulSet karmada-system\/etcd: volumeClaimTemplates cannot change/);
      expect(line).toContain('kubectl delete statefulset etcd -n karmada-system --cascade=orphan');
      expect(await owned()).toEqual(before);
      // What the preflight spared us: the real kube-apiserver refuses exactly that change.
      const live = (await hc.get<K8sObject & { spec: Record<string, unknown> }>({ apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: NS, name: 'etcd' }))!;
      const raw = await hc
        .apply({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'etcd', namespace: NS }, spec: { selector: live.spec.selector, serviceName: live.spec.serviceName, template: live.spec.template, volumeClaimTemplates: [{ metadata: { name: 'etcd-data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] } }, { force: true })
        .catch((e) => e);
      expect(raw.code).toBe(422);
      expect(raw.message).toContain('updates to statefulset spec for fields other than');
    } catch (e) {
      failed = true;
      throw e;
    }
  }, 900_000);

  it('a changed --karmada-apiserver-replicas converges: the Deployment is scaled, nothing else karmadactl owns moves', async () => {
    try {
      const before = await owned();
      const r = await runCli(['init', ...flags, '--karmada-apiserver-replicas', '2']);
      expect(r.stderr).not.toContain('error:');
      expect(r.code).toBe(0);
      const d = (await hc.get<K8sObject & { spec: { replicas: number } }>({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: NS, name: 'karmada-apiserver' }))!;
      expect(d.spec.replicas).toBe(2);
      const after = await owned();
      const moved = Object.keys(after).filter((k) => JSON.stringify(after[k]) !== JSON.stringify(before[k]));
      expect(moved).toEqual(['Deployment/karmada-apiserver']);
    } catch (e) {
      failed = true;
      throw e;
    }
  }, 900_000);

  it('a changed --karmada-apiserver-advertise-address converges or stops with a one-line fix', async () => {
    // Another loopback address: in the certificates' SANs and the kubeconfig (nothing leaves 127.0.0.0/8).
    const addr = '127.0.0.2';
    const r = await runCli(['init', ...flags, '--karmada-apiserver-replicas', '2', '--karmada-apiserver-advertise-address', addr]);
    if (r.code === 0) {
      expect(r.stderr).not.toContain('error:');
    } else {
      const line = r.stderr.trim().split('\n').pop()!;
      expect(line).toMatch(/^error: [^\n]+; [^\n]+$/);
      expect(line).not.toMatch(/Error from server \(Invalid\)/);
    }
  }, 900_000);
});
