/**
 * Real Kubernetes on loopback for the end-to-end tests: etcd, kube-apiserver, kube-controller-manager,
 * kube-scheduler and kwok per cluster (binaries from test/e2e/kube/build.sh), with generated
 * certificates and free ports. kwok turns Node objects into ready nodes and bound Pods into Running
 * pods without containers.
 *
 * The Karmada control plane that our init deploys to such a host is made real where it matters:
 * when the karmada-apiserver Deployment is available, the harness runs its container command with a
 * real kube-apiserver (secrets written to a temp dir, paths remapped, the NodePort bound on
 * 127.0.0.1), with its own real etcd using init's etcd certificates; likewise the karmada
 * kube-controller-manager (bootstrap signer, CSR signing, token cleaner, SA tokens) and
 * karmada-aggregated-apiserver (cluster.karmada.io). What stands in: cluster DNS and Service routing
 * (APIService traffic is routed to loopback through an Endpoints object), and karmada-controller-manager's
 * agent CSR approver (the harness approves agent CSRs the way its agentcsrapproving controller would).
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { stringify, parse } from 'yaml';
import { issueCertificate, issuerOf } from '../../src/pki/x509';
import { KubeClient } from '../../src/kube/client';
import { kubeconfigFromString } from '../../src/kube/config';
import type { K8sObject } from '../../src/kube/types';

export const E2E_TIMEOUT_MS = 15 * 60_000;

let binDir: string | undefined;
/** Builds (or finds cached) the real components; returns their directory. */
export function binaries(): string {
  if (binDir) return binDir;
  const script = path.resolve(process.cwd(), 'test/e2e/kube/build.sh'); // tests and benchmarks run from the repository root
  binDir = execFileSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 80 * 60_000 }).trim().split('\n').pop()!;
  return binDir;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

export { freeNodePort } from '../support/karmada-host';

const ecKey = () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'sec1', format: 'pem' }).toString();

interface Pki {
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  adminCert: string;
  adminKey: string;
  saKey: string;
  saPub: string;
}

function makePki(name: string): Pki {
  const now = new Date(Date.now() - 60_000);
  const later = new Date(Date.now() + 7 * 86_400_000);
  const caKey = ecKey();
  const ca = issueCertificate({ cn: `${name}-ca`, ca: true }, caKey, now, later);
  const issuer = issuerOf(ca.pem, caKey);
  const serverKey = ecKey();
  const server = issueCertificate({ cn: 'kube-apiserver', dns: ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'], ips: ['127.0.0.1', '10.96.0.1'] }, serverKey, now, later, issuer);
  const adminKey = ecKey();
  const admin = issueCertificate({ cn: 'kubernetes-admin', orgs: ['system:masters'], client: true }, adminKey, now, later, issuer);
  const saKey = ecKey();
  return { caCert: ca.pem, caKey, serverCert: server.pem, serverKey, adminCert: admin.pem, adminKey, saKey, saPub: createPublicKey(saKey).export({ type: 'spki', format: 'pem' }).toString() };
}

/** Processes of one test file: logs kept in the file's directory, everything killed at the end. */
export class Processes {
  readonly dir: string;
  private procs: { name: string; proc: ChildProcess; log: string }[] = [];
  private constructor(dir: string) {
    this.dir = dir;
  }
  static async create(prefix: string): Promise<Processes> {
    return new Processes(await mkdtemp(path.join(os.tmpdir(), `kc-e2e-${prefix}-`)));
  }
  start(name: string, bin: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
    const log = path.join(this.dir, `${name}.log`);
    const out = createWriteStream(log);
    const proc = spawn(bin, args, { env: { PATH: process.env.PATH, HOME: this.dir, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: false });
    proc.stdout!.pipe(out);
    proc.stderr!.pipe(out);
    // every process is bounded in time
    const guard = setTimeout(() => proc.kill('SIGKILL'), E2E_TIMEOUT_MS);
    guard.unref();
    proc.on('exit', () => clearTimeout(guard));
    this.procs.push({ name, proc, log });
    return proc;
  }
  /** Stops one process and waits for it to exit (e.g. a member's kube-apiserver, to make that member unreachable). */
  async kill(name: string): Promise<void> {
    const p = this.procs.find((x) => x.name === name);
    if (!p || p.proc.exitCode !== null || p.proc.signalCode !== null) return;
    const exited = new Promise<void>((r) => p.proc.once('exit', () => r()));
    p.proc.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (p.proc.exitCode === null && p.proc.signalCode === null) p.proc.kill('SIGKILL');
  }
  logTail(name: string, lines = 30): string {
    const p = this.procs.find((x) => x.name === name);
    if (!p || !existsSync(p.log)) return '';
    return readFileSync(p.log, 'utf8').split('\n').slice(-lines).join('\n');
  }
  exited(): string[] {
    return this.procs.filter((p) => p.proc.exitCode !== null || p.proc.signalCode !== null).map((p) => p.name);
  }
  async stop(keepLogs: boolean): Promise<void> {
    for (const p of [...this.procs].reverse()) if (p.proc.exitCode === null) p.proc.kill('SIGTERM');
    await Promise.all(
      this.procs.map(
        (p) =>
          new Promise<void>((resolve) => {
            if (p.proc.exitCode !== null || p.proc.signalCode !== null) return resolve();
            const t = setTimeout(() => {
              p.proc.kill('SIGKILL');
              resolve();
            }, 5000);
            p.proc.once('exit', () => {
              clearTimeout(t);
              resolve();
            });
          }),
      ),
    );
    if (!keepLogs) await rm(this.dir, { recursive: true, force: true });
    else process.stderr.write(`e2e logs kept in ${this.dir}\n`);
  }
}

const waitFor = async <T>(what: string, fn: () => Promise<T | undefined>, timeoutMs: number, procs?: Processes, proc?: string): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (procs && proc && procs.exited().includes(proc)) throw new Error(`${proc} exited while waiting for ${what}:\n${procs.logTail(proc)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}${procs && proc ? `\n${procs.logTail(proc)}` : ''}`);
};

export interface NodeDef {
  name: string;
  labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: string }[];
}

export interface Cluster {
  name: string;
  url: string;
  caPem: string;
  kubeSystemUid: string;
  /** A kubeconfig (admin) with context and cluster named after the cluster. */
  kubeconfig(o?: { context?: string; cluster?: string }): string;
  writeKubeconfig(file: string, o?: { context?: string; cluster?: string }): string;
  client(): Promise<KubeClient>;
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

function kubeconfigText(url: string, caPem: string, certPem: string, keyPem: string, name: string, o: { context?: string; cluster?: string } = {}): string {
  const cluster = o.cluster ?? name;
  const context = o.context ?? name;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: cluster, cluster: { server: url, 'certificate-authority-data': b64(caPem) } }],
    users: [{ name: `${cluster}-admin`, user: { 'client-certificate-data': b64(certPem), 'client-key-data': b64(keyPem) } }],
    contexts: [{ name: context, context: { cluster, user: `${cluster}-admin` } }],
    'current-context': context,
  });
}

export async function clientFor(kubeconfig: string): Promise<KubeClient> {
  return KubeClient.create(await kubeconfigFromString(kubeconfig), { timeoutMs: 15_000 });
}

/**
 * One real cluster: etcd, kube-apiserver, and (unless `bare`) kube-controller-manager, kube-scheduler
 * and kwok with the given fake nodes.
 */
export async function startCluster(procs: Processes, name: string, o: { nodes?: NodeDef[]; bare?: boolean } = {}): Promise<Cluster> {
  const bin = binaries();
  const dir = path.join(procs.dir, name);
  mkdirSync(dir, { recursive: true });
  const pki = makePki(name);
  const f = (n: string, content: string) => {
    const p = path.join(dir, n);
    writeFileSync(p, content, { mode: 0o600 });
    return p;
  };
  const [etcdPort, peerPort, apiPort] = await Promise.all([freePort(), freePort(), freePort()]);
  procs.start(`${name}-etcd`, path.join(bin, 'etcd'), [
    '--name', 'e', '--data-dir', path.join(dir, 'etcd'),
    '--listen-client-urls', `http://127.0.0.1:${etcdPort}`, '--advertise-client-urls', `http://127.0.0.1:${etcdPort}`,
    '--listen-peer-urls', `http://127.0.0.1:${peerPort}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${peerPort}`,
    '--initial-cluster', `e=http://127.0.0.1:${peerPort}`, '--unsafe-no-fsync', '--log-level', 'warn',
  ]);
  procs.start(`${name}-apiserver`, path.join(bin, 'kube-apiserver'), [
    `--etcd-servers=http://127.0.0.1:${etcdPort}`,
    `--secure-port=${apiPort}`, '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1',
    `--tls-cert-file=${f('apiserver.crt', pki.serverCert)}`, `--tls-private-key-file=${f('apiserver.key', pki.serverKey)}`,
    `--client-ca-file=${f('ca.crt', pki.caCert)}`,
    `--service-account-key-file=${f('sa.pub', pki.saPub)}`, `--service-account-signing-key-file=${f('sa.key', pki.saKey)}`,
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    '--service-cluster-ip-range=10.96.0.0/16', '--authorization-mode=RBAC', '--enable-bootstrap-token-auth=true',
    '--allow-privileged=true', `--cert-dir=${path.join(dir, 'certs')}`, '--profiling=false', '--enable-priority-and-fairness=false',
    '--endpoint-reconciler-type=none', '--v=1',
  ]);
  const url = `https://127.0.0.1:${apiPort}`;
  const adminKc = kubeconfigText(url, pki.caCert, pki.adminCert, pki.adminKey, name);
  const kcFile = f('admin.kubeconfig', adminKc);
  const client = await clientFor(adminKc);
  await waitFor(`${name} kube-apiserver /readyz`, async () => (await client.request<string>('GET', '/readyz').then(() => true)), 120_000, procs, `${name}-apiserver`);
  const ks = await waitFor(`${name} kube-system namespace`, () => client.get({ apiVersion: 'v1', kind: 'Namespace', name: 'kube-system' }), 60_000);
  if (!o.bare) {
    const [kcmPort, schedPort, kwokPort] = await Promise.all([freePort(), freePort(), freePort()]);
    procs.start(`${name}-kcm`, path.join(bin, 'kube-controller-manager'), [
      `--kubeconfig=${kcFile}`, `--service-account-private-key-file=${path.join(dir, 'sa.key')}`, `--root-ca-file=${path.join(dir, 'ca.crt')}`,
      `--cluster-signing-cert-file=${path.join(dir, 'ca.crt')}`, `--cluster-signing-key-file=${f('ca.key', pki.caKey)}`,
      '--controllers=*,bootstrapsigner,tokencleaner', '--use-service-account-credentials=false', '--leader-elect=false',
      '--bind-address=127.0.0.1', `--secure-port=${kcmPort}`, '--concurrent-deployment-syncs=10', '--v=1',
    ]);
    procs.start(`${name}-scheduler`, path.join(bin, 'kube-scheduler'), [`--kubeconfig=${kcFile}`, '--leader-elect=false', '--bind-address=127.0.0.1', `--secure-port=${schedPort}`, '--v=1']);
    procs.start(`${name}-kwok`, path.join(bin, 'kwok'), [`--kubeconfig=${kcFile}`, `--config=${f('kwok.yaml', kwokStages())}`, '--manage-all-nodes=true', `--server-address=127.0.0.1:${kwokPort}`, '--node-ip=127.0.0.1', '--cidr=10.0.0.1/16']);
    for (const n of o.nodes ?? []) {
      await client.create({
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: n.name, labels: { 'kubernetes.io/hostname': n.name, 'kubernetes.io/os': 'linux', type: 'kwok', ...(n.labels ?? {}) }, annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' } },
        spec: { taints: n.taints ?? [] },
        status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], allocatable: { cpu: '32', memory: '256Gi', pods: '110' }, capacity: { cpu: '32', memory: '256Gi', pods: '110' } },
      });
    }
    if (o.nodes?.length) await waitFor(`${name} nodes ready`, async () => {
      const nodes = await client.list<K8sObject & { status?: { conditions?: { type: string; status: string }[] } }>('v1', 'Node');
      return nodes.items.length === o.nodes!.length && nodes.items.every((x) => x.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) ? true : undefined;
    }, 90_000, procs, `${name}-kwok`);
    await waitFor(`${name} default service account`, () => client.get({ apiVersion: 'v1', kind: 'ServiceAccount', namespace: 'default', name: 'default' }), 60_000, procs, `${name}-kcm`);
  }
  client.close();
  return {
    name,
    url,
    caPem: pki.caCert,
    kubeSystemUid: ks.metadata.uid!,
    kubeconfig: (k = {}) => kubeconfigText(url, pki.caCert, pki.adminCert, pki.adminKey, name, k),
    writeKubeconfig(file, k = {}) {
      writeFileSync(file, kubeconfigText(url, pki.caCert, pki.adminCert, pki.adminKey, name, k), { mode: 0o600 });
      return file;
    },
    client: () => clientFor(adminKc),
  };
}

type Deploy = K8sObject & {
  spec: { template: { spec: { containers: { name: string; command?: string[]; args?: string[]; volumeMounts?: { name: string; mountPath: string; subPath?: string }[] }[]; volumes?: { name: string; secret?: { secretName: string } }[] } } };
  status?: { availableReplicas?: number };
};

/**
 * Runs a Deployment's first container for real on this machine: secret volumes written to disk,
 * mount paths and `$(POD_IP)` remapped, kubeconfig servers pointed at loopback, flags overridden.
 */
async function runDeployment(procs: Processes, host: KubeClient, ns: string, name: string, binary: string, o: { override: Record<string, string>; drop?: string[]; extra?: string[]; karmadaUrl?: string }): Promise<{ args: string[]; root: string }> {
  const d = await waitFor(`Deployment ${ns}/${name} on the host`, () => host.get<Deploy>({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name }), 10 * 60_000);
  const c = d.spec.template.spec.containers[0];
  const root = path.join(procs.dir, name);
  const remap: [string, string][] = [];
  for (const m of c.volumeMounts ?? []) {
    const v = d.spec.template.spec.volumes?.find((x) => x.name === m.name);
    if (!v?.secret) continue;
    const s = await host.get<K8sObject & { data?: Record<string, string> }>({ apiVersion: 'v1', kind: 'Secret', namespace: ns, name: v.secret.secretName });
    const target = path.join(root, m.mountPath);
    mkdirSync(m.subPath ? path.dirname(target) : target, { recursive: true });
    for (const [k, val] of Object.entries(s?.data ?? {})) {
      if (m.subPath && k !== m.subPath) continue;
      let text = Buffer.from(val, 'base64').toString('utf8');
      if (o.karmadaUrl && /server:/.test(text)) {
        const kc = parse(text);
        for (const cl of kc.clusters ?? []) cl.cluster.server = o.karmadaUrl;
        text = stringify(kc);
      }
      writeFileSync(m.subPath ? target : path.join(target, k), text, { mode: 0o600 });
    }
    remap.push([m.mountPath, target]);
  }
  let args = [...(c.command ?? []).slice(1), ...(c.args ?? [])].map((a) => {
    let x = a.replaceAll('$(POD_IP)', '127.0.0.1');
    for (const [from, to] of remap) x = x.replaceAll(from, to);
    return x;
  });
  const flagName = (a: string) => a.replace(/^--/, '').split('=')[0];
  args = args.filter((a) => !(flagName(a) in o.override) && !(o.drop ?? []).includes(flagName(a)));
  args.push(...Object.entries(o.override).map(([k, v]) => `--${k}=${v}`), ...(o.extra ?? []));
  procs.start(name, binary, args);
  return { args, root };
}

export interface KarmadaBridge {
  url: string;
  /** Everything that was started, for the README's "what is real". */
  real: string[];
  /** Pod start-up of the karmada-apiserver: from its Deployment appearing to the real one answering /readyz. */
  apiserverStartupMs: number;
  stop(): void;
}

/**
 * Watches the host for our init's karmada-apiserver Deployment and, once it is available, starts the
 * real control plane from it (see the file comment). Returns at once; `ready()` resolves when the
 * karmada-apiserver answers.
 */
export function bridgeKarmada(procs: Processes, host: Cluster, o: { namespace?: string; nodePort: number; latencyMs?: number }): { ready: Promise<KarmadaBridge>; stop(): void } {
  const ns = o.namespace ?? 'karmada-system';
  let stopped = false;
  let proxy: { close(): void } | undefined;
  const bin = binaries();
  let hostClient: Promise<KubeClient> | undefined;
  const hc2 = () => (hostClient ??= host.client());
  const ready = (async (): Promise<KarmadaBridge> => {
    const hc = await host.client();
    try {
      // Its pods become ready only when the real karmada-apiserver answers /readyz (kwokStages), as a
      // readiness probe would make them: whoever waits for the rollout waits for the real start-up.
      await waitFor('karmada-apiserver Deployment on the host', async () => {
        if (stopped) throw new Error('stopped');
        return hc.get<Deploy>({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: 'karmada-apiserver' });
      }, 10 * 60_000);
      const deploymentSeen = performance.now();
      // karmada's etcd, with init's etcd certificates (etcd-server has 127.0.0.1 among its SANs)
      const etcdSecret = (await hc.get<K8sObject & { data: Record<string, string> }>({ apiVersion: 'v1', kind: 'Secret', namespace: ns, name: 'etcd-cert' }))!;
      const etcdDir = path.join(procs.dir, 'karmada-etcd');
      mkdirSync(etcdDir, { recursive: true });
      for (const [k, v] of Object.entries(etcdSecret.data)) writeFileSync(path.join(etcdDir, k), Buffer.from(v, 'base64'), { mode: 0o600 });
      const [etcdPort, peerPort] = await Promise.all([freePort(), freePort()]);
      procs.start('karmada-etcd', path.join(bin, 'etcd'), [
        '--name', 'k', '--data-dir', path.join(etcdDir, 'data'),
        '--listen-client-urls', `https://127.0.0.1:${etcdPort}`, '--advertise-client-urls', `https://127.0.0.1:${etcdPort}`,
        '--listen-peer-urls', `http://127.0.0.1:${peerPort}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${peerPort}`, '--initial-cluster', `k=http://127.0.0.1:${peerPort}`,
        '--cert-file', path.join(etcdDir, 'etcd-server.crt'), '--key-file', path.join(etcdDir, 'etcd-server.key'),
        '--client-cert-auth', '--trusted-ca-file', path.join(etcdDir, 'etcd-ca.crt'), '--unsafe-no-fsync', '--log-level', 'warn',
      ]);
      const etcdUrl = `https://127.0.0.1:${etcdPort}`;
      const url = `https://127.0.0.1:${o.nodePort}`;
      // With added latency the real apiserver listens elsewhere and a delaying proxy holds the NodePort.
      const apiPort = o.latencyMs ? await freePort() : o.nodePort;
      if (o.latencyMs) proxy = await latencyProxy(o.nodePort, apiPort, o.latencyMs);
      await runDeployment(procs, hc, ns, 'karmada-apiserver', path.join(bin, 'kube-apiserver'), {
        override: { 'etcd-servers': etcdUrl, 'secure-port': String(apiPort), 'bind-address': '127.0.0.1', 'advertise-address': '127.0.0.1', 'enable-aggregator-routing': 'true', 'endpoint-reconciler-type': 'none', 'enable-priority-and-fairness': 'false' },
      });
      const adminKc = await adminOfKarmada(hc, ns, url);
      const admin = await clientFor(adminKc);
      await waitFor('karmada-apiserver /readyz', () => admin.request('GET', '/readyz').then(() => true), 120_000, procs, 'karmada-apiserver');
      const apiserverStartupMs = performance.now() - deploymentSeen;
      void markServing(hc2, ns, () => stopped);
      // Each component starts when its Deployment appears, independently: the Go karmadactl creates
      // kube-controller-manager only after the aggregated API is available, ours before.
      const kcm = (async () => {
        const kcmPort = await freePort();
        await runDeployment(procs, await hc2(), ns, 'kube-controller-manager', path.join(bin, 'kube-controller-manager'), {
          override: { 'bind-address': '127.0.0.1', 'secure-port': String(kcmPort), 'leader-elect': 'false' },
          karmadaUrl: url,
        });
      })();
      const aggregated = (async () => {
        const aggPort = await freePort();
        await runDeployment(procs, await hc2(), ns, 'karmada-aggregated-apiserver', path.join(bin, 'karmada-aggregated-apiserver'), {
          override: { 'etcd-servers': etcdUrl, 'bind-address': '0.0.0.0', 'secure-port': String(aggPort) },
          karmadaUrl: url,
        });
        // Stand-in for cluster DNS and Service routing: the APIService's traffic goes to this machine.
        await waitFor('the APIService v1alpha1.cluster.karmada.io', () => admin.get({ apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', name: 'v1alpha1.cluster.karmada.io' }), 10 * 60_000);
        await routeToLoopback(admin, ns, 'karmada-aggregated-apiserver', aggPort);
      })();
      await Promise.all([kcm, aggregated]);
      approveAgentCsrs(adminKc, () => stopped);
      // karmada-search, when `addons enable karmada-search` deploys it: real, on loopback, its APIService routed there.
      void (async () => {
        try {
          await waitFor('karmada-search Deployment', async () => (stopped ? Promise.reject(new Error('stopped')) : hc2().then((c) => c.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: 'karmada-search' }))), E2E_TIMEOUT_MS);
          const searchPort = await freePort();
          const c = await hc2();
          await runDeployment(procs, c, ns, 'karmada-search', path.join(bin, 'karmada-search'), { override: { 'etcd-servers': etcdUrl, 'bind-address': '0.0.0.0', 'secure-port': String(searchPort) }, karmadaUrl: url });
          const a = await clientFor(adminKc);
          await waitFor('the APIService v1alpha1.search.karmada.io', () => a.get({ apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', name: 'v1alpha1.search.karmada.io' }), E2E_TIMEOUT_MS);
          await routeToLoopback(a, ns, 'karmada-search', searchPort);
          a.close();
        } catch (e) {
          if (!stopped) writeFileSync(path.join(procs.dir, 'bridge-search-error.log'), String((e as Error).stack ?? e));
        }
      })();
      admin.close();
      return { url, apiserverStartupMs, real: ['karmada etcd', 'karmada-apiserver (kube-apiserver)', 'kube-controller-manager (karmada)', 'karmada-aggregated-apiserver', 'karmada-search (when enabled)'], stop: () => (stopped = true) };
    } finally {
      hc.close();
    }
  })();
  ready.catch((e) => {
    if (!stopped) {
      writeFileSync(path.join(procs.dir, 'bridge-error.log'), String((e as Error).stack ?? e));
      process.stderr.write(`e2e bridge failed: ${(e as Error).message}\n`);
    }
  });
  return {
    ready,
    stop: () => {
      stopped = true;
      proxy?.close();
    },
  };
}

/**
 * A TCP proxy on 127.0.0.1:`listen` to `target` that delays every chunk the client sends by `ms`:
 * each API request (one or a few chunks) pays the latency once, as over a slow link.
 */
export async function latencyProxy(listen: number, target: number, ms: number): Promise<{ port: number; close(): void }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.on('data', (d) => setTimeout(() => upstream.write(d), ms));
    upstream.on('data', (d) => client.write(d));
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(listen, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => {
      for (const x of sockets) x.destroy();
      server.close();
    },
  };
}

export const SERVING_ANNOTATION = 'e2e.karmada.io/serving';

/**
 * kwok's default pod stages (kwok v0.7.0 kustomize/stage/pod/fast), except that a karmada-apiserver
 * pod turns Ready only once it carries SERVING_ANNOTATION, which the bridge sets when the real
 * karmada-apiserver it runs answers /readyz.
 */
function kwokStages(): string {
  const base = [
    { key: '.metadata.deletionTimestamp', operator: 'DoesNotExist' },
    { key: '.status.podIP', operator: 'DoesNotExist' },
  ];
  const ready = (name: string, extra: unknown[]) => ({
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'Stage',
    metadata: { name },
    spec: { resourceRef: { apiGroup: 'v1', kind: 'Pod' }, selector: { matchExpressions: [...base, ...extra] }, next: { statusTemplate: POD_READY_TEMPLATE } },
  });
  const app = '.metadata.labels.app';
  const stages = [
    ready('pod-ready', [{ key: app, operator: 'NotIn', values: ['karmada-apiserver'] }]),
    ready('pod-ready-when-serving', [{ key: app, operator: 'In', values: ['karmada-apiserver'] }, { key: `.metadata.annotations["${SERVING_ANNOTATION}"]`, operator: 'In', values: ['true'] }]),
    {
      apiVersion: 'kwok.x-k8s.io/v1alpha1',
      kind: 'Stage',
      metadata: { name: 'pod-complete' },
      spec: {
        resourceRef: { apiGroup: 'v1', kind: 'Pod' },
        selector: { matchExpressions: [{ key: '.metadata.deletionTimestamp', operator: 'DoesNotExist' }, { key: '.status.phase', operator: 'In', values: ['Running'] }, { key: '.metadata.ownerReferences.[].kind', operator: 'In', values: ['Job'] }] },
        next: { statusTemplate: POD_COMPLETE_TEMPLATE },
      },
    },
    { apiVersion: 'kwok.x-k8s.io/v1alpha1', kind: 'Stage', metadata: { name: 'pod-delete' }, spec: { resourceRef: { apiGroup: 'v1', kind: 'Pod' }, selector: { matchExpressions: [{ key: '.metadata.deletionTimestamp', operator: 'Exists' }] }, next: { finalizers: { empty: true }, delete: true } } },
  ];
  return stages.map((x) => stringify(x)).join('---\n');
}

const POD_READY_TEMPLATE = `{{ $now := Now }}
conditions:
- lastTransitionTime: {{ $now | Quote }}
  status: "True"
  type: Initialized
- lastTransitionTime: {{ $now | Quote }}
  status: "True"
  type: Ready
- lastTransitionTime: {{ $now | Quote }}
  status: "True"
  type: ContainersReady
{{ range .spec.readinessGates }}
- lastTransitionTime: {{ $now | Quote }}
  status: "True"
  type: {{ .conditionType | Quote }}
{{ end }}
containerStatuses:
{{ range .spec.containers }}
- image: {{ .image | Quote }}
  name: {{ .name | Quote }}
  ready: true
  restartCount: 0
  state:
    running:
      startedAt: {{ $now | Quote }}
{{ end }}
initContainerStatuses:
{{ range .spec.initContainers }}
- image: {{ .image | Quote }}
  name: {{ .name | Quote }}
  ready: true
  restartCount: 0
  {{ if eq .restartPolicy "Always" }}
  started: true
  state:
    running:
      startedAt: {{ $now | Quote }}
  {{ else }}
  state:
    terminated:
      exitCode: 0
      finishedAt: {{ $now | Quote }}
      reason: Completed
      startedAt: {{ $now | Quote }}
  {{ end }}
{{ end }}
hostIP: {{ NodeIPWith .spec.nodeName | Quote }}
podIP: {{ PodIPWith .spec.nodeName ( or .spec.hostNetwork false ) ( or .metadata.uid "" ) ( or .metadata.name "" ) ( or .metadata.namespace "" ) | Quote }}
phase: Running
startTime: {{ $now | Quote }}
`;

const POD_COMPLETE_TEMPLATE = `{{ $now := Now }}
{{ $root := . }}
containerStatuses:
{{ range $index, $item := .spec.containers }}
{{ $origin := index $root.status.containerStatuses $index }}
- image: {{ $item.image | Quote }}
  name: {{ $item.name | Quote }}
  ready: false
  restartCount: 0
  started: false
  state:
    terminated:
      exitCode: 0
      finishedAt: {{ $now | Quote }}
      reason: Completed
      startedAt: {{ $now | Quote }}
{{ end }}
phase: Succeeded
`;

/** Marks every karmada-apiserver pod (also those created later, e.g. by a rolling update) as served by the real one. */
async function markServing(hc: () => Promise<KubeClient>, ns: string, stopped: () => boolean): Promise<void> {
  while (!stopped()) {
    try {
      const c = await hc();
      const pods = await c.list<K8sObject>('v1', 'Pod', { namespace: ns, labelSelector: 'app=karmada-apiserver' });
      for (const p of pods.items) {
        if (p.metadata.annotations?.[SERVING_ANNOTATION] === 'true' || p.metadata.deletionTimestamp) continue;
        await c.patch({ apiVersion: 'v1', kind: 'Pod', namespace: ns, name: p.metadata.name! }, { metadata: { annotations: { [SERVING_ANNOTATION]: 'true' } } }, 'merge').catch(() => undefined);
      }
    } catch {
      /* the host may be going away at the end of a test */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function adminOfKarmada(hc: KubeClient, ns: string, url: string): Promise<string> {
  const s = (await hc.get<K8sObject & { data: Record<string, string> }>({ apiVersion: 'v1', kind: 'Secret', namespace: ns, name: 'karmada-cert' }))!;
  const dec = (k: string) => Buffer.from(s.data[k], 'base64').toString();
  return kubeconfigText(url, dec('ca.crt'), dec('karmada.crt'), dec('karmada.key'), 'karmada-apiserver');
}

/** This machine's first non-loopback IPv4 address (Endpoints may not point at 127.0.0.0/8). */
export function localAddress(): string {
  for (const list of Object.values(os.networkInterfaces())) for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  throw new Error('no non-loopback IPv4 address on this machine: the e2e harness routes APIService traffic through one');
}

/** A selector-less Service with Endpoints (and an EndpointSlice) on this machine, and the APIServices of `service` pointed at it. */
async function routeToLoopback(admin: KubeClient, ns: string, service: string, port: number) {
  const name = `${service}-e2e`;
  const ip = localAddress();
  await admin.ensure({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { ports: [{ name: 'https', port: 443, targetPort: port, protocol: 'TCP' }] } });
  await admin.ensure({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace: ns }, subsets: [{ addresses: [{ ip }], ports: [{ name: 'https', port, protocol: 'TCP' }] }] });
  await admin.ensure({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name, namespace: ns, labels: { 'kubernetes.io/service-name': name, 'endpointslice.kubernetes.io/managed-by': 'e2e-harness' } }, addressType: 'IPv4', endpoints: [{ addresses: [ip], conditions: { ready: true } }], ports: [{ name: 'https', port, protocol: 'TCP' }] });
  const list = await admin.list<K8sObject & { spec: { service?: { name: string; namespace: string } } }>('apiregistration.k8s.io/v1', 'APIService');
  for (const a of list.items) {
    if (a.spec.service?.name !== service) continue;
    await admin.patch({ apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', name: a.metadata.name }, { spec: { service: { name, namespace: ns, port: 443 } } }, 'merge');
  }
}

/** What karmada-controller-manager's agentcsrapproving controller does for agent CSRs (registration.md §4). */
function approveAgentCsrs(adminKc: string, stopped: () => boolean) {
  const loop = async () => {
    const c = await clientFor(adminKc);
    while (!stopped()) {
      try {
        const csrs = await c.list<K8sObject & { spec: { signerName: string; request: string; usages: string[] }; status?: { conditions?: { type: string }[] } }>('certificates.k8s.io/v1', 'CertificateSigningRequest');
        for (const r of csrs.items) {
          if (r.status?.conditions?.length || r.spec.signerName !== 'kubernetes.io/kube-apiserver-client') continue;
          const { parseCsr } = await import('../../src/pki/x509');
          const req = parseCsr(Buffer.from(r.spec.request, 'base64').toString());
          if (req.orgs.join(',') !== 'system:karmada:agents' || !req.cn.startsWith('system:karmada:agent:')) continue;
          await c.request('PUT', `/apis/certificates.k8s.io/v1/certificatesigningrequests/${r.metadata.name}/approval`, {
            body: { ...r, status: { conditions: [{ type: 'Approved', status: 'True', reason: 'AgentCSRApproved', message: 'approved by the e2e harness (stands in for agentcsrapproving)' }] } },
          });
        }
      } catch {
        /* keep going */
      }
      await new Promise((r) => setTimeout(r, 300));
    }
    c.close();
  };
  void loop();
}
