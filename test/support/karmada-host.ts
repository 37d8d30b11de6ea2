import net from 'node:net';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startTestApiServer, type TestApiServer, type TestApiServerOptions } from './apiserver';

/** A free TCP port in the NodePort range on 127.0.0.1. */
export async function freeNodePort(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = 30000 + Math.floor(Math.random() * 2767);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (ok) return port;
  }
  throw new Error('no free port in the NodePort range');
}

export interface KarmadaHost {
  host: TestApiServer;
  /** The karmada-apiserver, once its Deployment is ready (a test API server serving init's certificates). */
  karmada(): TestApiServer | undefined;
  port: number;
  dir: string;
  kubeconfigPath: string;
  /** Flags every init test passes: host kubeconfig, node port, local dirs, a short wait. */
  flags(extra?: string[]): string[];
  close(): Promise<void>;
}

/**
 * A host cluster whose karmada-apiserver Deployment "runs": when the Deployment is ready, a test API
 * server starts on 127.0.0.1:<NodePort> with the serving certificate and client CA from the
 * karmada-cert secret that init wrote — as the real pod would, reached through the node address.
 */
export async function startKarmadaHost(opts: TestApiServerOptions & { karmadaLatencyMs?: number } = {}): Promise<KarmadaHost> {
  const host = await startTestApiServer(opts);
  const port = await freeNodePort();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kc-init-'));
  const kubeconfigPath = path.join(dir, 'host.kubeconfig');
  await host.writeKubeconfig(kubeconfigPath, { cluster: 'host', context: 'host' });
  let karmada: TestApiServer | undefined;
  let starting: Promise<void> | undefined;
  let servedCa: string | undefined;
  const certsOf = (ns: string) => {
    const s = host.store.get('v1', 'Secret', ns, 'karmada-cert');
    if (!s?.data) return undefined;
    const dec = (k: string) => Buffer.from(s.data[k], 'base64').toString('utf8');
    return { certPem: dec('apiserver.crt'), keyPem: dec('apiserver.key'), caPem: dec('ca.crt'), caKeyPem: dec('ca.key') };
  };
  const maybeStart = (ns: string) => {
    if (karmada || starting) return;
    const d = host.store.get('apps/v1', 'Deployment', ns, 'karmada-apiserver');
    if (!d || (d.status?.readyReplicas ?? 0) < 1) return;
    const tls = certsOf(ns);
    if (!tls) return;
    servedCa = tls.caPem;
    starting = startTestApiServer({ port, latencyMs: opts.karmadaLatencyMs, tls }).then((k) => {
      karmada = k;
      starting = undefined;
    });
  };
  // A new CA in karmada-cert (init --rotate-ca): the apiserver is restarted with the new files, as the
  // pods would be (their data is in etcd, which the double does not keep: init re-creates it all).
  const maybeRestart = (ns: string) => {
    const tls = certsOf(ns);
    if (!karmada || starting || !tls || tls.caPem === servedCa) return;
    const old = karmada;
    karmada = undefined;
    starting = old.close().then(() => {
      starting = undefined;
      maybeStart(ns);
    });
  };
  const unsubscribe = host.core.store.subscribe((e) => {
    if (e.def.kind === 'Deployment' && e.object.metadata.name === 'karmada-apiserver') setImmediate(() => maybeStart(e.object.metadata.namespace));
    if (e.def.kind === 'Secret' && e.object.metadata.name === 'karmada-cert') setImmediate(() => maybeRestart(e.object.metadata.namespace));
  });
  return {
    host,
    karmada: () => karmada,
    port,
    dir,
    kubeconfigPath,
    flags: (extra = []) => ['--kubeconfig', kubeconfigPath, '--port', String(port), '-d', path.join(dir, 'data'), '--karmada-pki', path.join(dir, 'pki'), '--wait-component-ready-timeout', '20', ...extra],
    async close() {
      unsubscribe();
      await starting?.catch(() => undefined);
      await karmada?.close();
      await host.close();
    },
  };
}
