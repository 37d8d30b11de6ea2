import path from 'node:path';
import { readFileSync } from 'node:fs';
import { it } from 'vitest';
import { runCli } from '../support/context';
import { Processes, bridgeKarmada, clientFor, freeNodePort, startCluster, type Cluster, type KarmadaBridge } from './harness';
import type { KubeClient } from '../../src/kube/client';

export const CRDS = path.resolve(__dirname, '../../../shared/fixtures/karmada-crds-v1.18.2.tar.gz');

/** A host with the control plane our `init` installed (its components run for real), and members joined with our `join`. */
export interface Federation {
  procs: Processes;
  host: Cluster;
  members: Cluster[];
  /** The karmada-apiserver kubeconfig init wrote. */
  karmadaCfg: string;
  karmada: KubeClient;
  /** The control plane's bridge (its Service routes, what runs for real). */
  bridge: KarmadaBridge;
  file(name: string): string;
  /** Marks the run failed (logs are kept) and stops everything. */
  stop(): Promise<void>;
  failed: boolean;
}

/** Starts host + members, runs `init` on the host and `join` for each member (named member1, member2, …). */
export async function startFederation(name: string, o: { members?: string[]; hostNodes?: { name: string; labels?: Record<string, string> }[]; initFlags?: string[]; logContainers?: string[] } = {}): Promise<Federation> {
  const procs = await Processes.create(name);
  const file = (n: string) => path.join(procs.dir, n);
  const names = o.members ?? ['member1', 'member2'];
  const [host, ...members] = await Promise.all([
    startCluster(procs, 'host', { nodes: o.hostNodes ?? [{ name: 'master1', labels: { 'node-role.kubernetes.io/control-plane': '' } }] }),
    ...names.map((m) => startCluster(procs, m, { nodes: [{ name: `m${names.indexOf(m) + 1}-node` }], logContainers: o.logContainers })),
  ]);
  const port = await freeNodePort();
  const bridge = bridgeKarmada(procs, host, { nodePort: port });
  const r = await runCli(['init', '--kubeconfig', host.writeKubeconfig(file('host.config')), '--port', String(port), '-d', file('data'), '--karmada-pki', file('pki'), '--crds', CRDS, '--wait-component-ready-timeout', '240', ...(o.initFlags ?? [])]);
  if (r.code !== 0) throw new Error(`init failed: ${r.stderr}`);
  const ready = await bridge.ready;
  const karmadaCfg = file('data/karmada-apiserver.config');
  const karmada = await clientFor(readFileSync(karmadaCfg, 'utf8'));
  for (const [i, m] of names.entries()) {
    const j = await runCli(['join', m, '--kubeconfig', karmadaCfg, '--cluster-kubeconfig', members[i].writeKubeconfig(file(`${m}.config`), { context: m }), '--cluster-context', m]);
    if (j.code !== 0) throw new Error(`join ${m} failed: ${j.stderr}`);
  }
  const f: Federation = {
    procs,
    host,
    members,
    karmadaCfg,
    karmada,
    bridge: ready,
    file,
    failed: false,
    async stop() {
      karmada.close();
      bridge.stop();
      await procs.stop(f.failed);
    },
  };
  return f;
}

/** `it` that marks the federation failed (so its logs are kept) when the step fails. */
export function stepOf(fed: () => Federation | undefined) {
  return (name: string, fn: () => Promise<void>, timeout = 300_000) =>
    it(name, async () => {
      try {
        await fn();
      } catch (e) {
        const f = fed();
        if (f) f.failed = true;
        throw e;
      }
    }, timeout);
}
