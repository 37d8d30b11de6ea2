/**
 * Real Kubernetes on loopback for the end-to-end tests: etcd, kube-apiserver, kube-controller-manager,
 * kube-scheduler and kwok per cluster (binaries from test/e2e/kube/build.sh), with generated
 * certificates and free ports. kwok turns Node objects into ready nodes and bound Pods into Running
 * pods without containers.
 *
 * The Karmada control plane that our init deploys to such a host runs for real: when the
 * karmada-apiserver Deployment appears, the harness runs its container command with a real
 * kube-apiserver (secrets written to a temp dir, paths remapped, the NodePort bound on 127.0.0.1)
 * and a real etcd with init's etcd certificates; then every Karmada component Deployment on the host
 * — kube-controller-manager, karmada-aggregated-apiserver, karmada-controller-manager,
 * karmada-scheduler, karmada-webhook, and the addons karmada-search, karmada-descheduler,
 * karmada-metrics-adapter, karmada-scheduler-estimator-<member> — runs from its own Deployment, and
 * the karmada-agent that `register` deploys runs from its Deployment on the member (bridgeAgent).
 * Only what loopback forces is overridden (see planFor and docs/notes/e2e.md). What stands in:
 * cluster DNS and Service routing (ServiceRoutes: an HTTP CONNECT proxy given to every component
 * as HTTPS_PROXY, mapping <service>.<namespace>.svc host names to the loopback ports), the kubelet
 * (kwok; a pod's readiness is not its process's), and a pod's in-cluster identity (a kubeconfig with
 * a TokenRequest token of its ServiceAccount).
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
  // an already built directory (e.g. while build.sh is still running elsewhere): used as is
  if (process.env.KARMADACTL_E2E_BIN) return (binDir = process.env.KARMADACTL_E2E_BIN);
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
  /** Set by stop(): loops that watch clusters for this file end. */
  closed = false;
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
    proc.on('error', (e) => out.write(`e2e harness: cannot run ${bin}: ${e.message}\n`));
    // every process is bounded in time
    const guard = setTimeout(() => proc.kill('SIGKILL'), E2E_TIMEOUT_MS);
    guard.unref();
    proc.on('exit', () => clearTimeout(guard));
    this.procs.push({ name, proc, log });
    return proc;
  }
  /** Stops one process (e.g. its Deployment was deleted); its log stays. */
  async kill(name: string): Promise<void> {
    const p = this.procs.find((x) => x.name === name && x.proc.exitCode === null && x.proc.signalCode === null);
    if (!p) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        p.proc.kill('SIGKILL');
        resolve();
      }, 5000);
      p.proc.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
      p.proc.kill('SIGTERM');
    });
  }
  /** A process name not used yet in this file (a restarted component gets `name-2`, its own log). */
  uniqueName(name: string): string {
    let n = name;
    for (let i = 2; this.procs.some((x) => x.name === n); i++) n = `${name}-${i}`;
    return n;
  }
  logTail(name: string, lines = 30): string {
    const p = [...this.procs].reverse().find((x) => x.name === name);
    if (!p || !existsSync(p.log)) return '';
    return readFileSync(p.log, 'utf8').split('\n').slice(-lines).join('\n');
  }
  exited(): string[] {
    return this.procs.filter((p) => p.proc.exitCode !== null || p.proc.signalCode !== null).map((p) => p.name);
  }
  async stop(keepLogs: boolean): Promise<void> {
    this.closed = true;
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
    if (!keepLogs && !process.env.KARMADACTL_E2E_KEEP_LOGS) await rm(this.dir, { recursive: true, force: true });
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
  /** Capacity (= allocatable) of the node; default cpu 32, memory 256Gi, pods 110. */
  capacity?: { cpu?: string; memory?: string; pods?: string };
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
  /**
   * The log of a container as kwok's kubelet server serves it (`logs`, `logs -f`, `attach`), for every
   * pod of the cluster: containers named in startCluster's `logContainers` have their own file, all
   * others share one. Append lines while a test follows it. (Absent for `bare` clusters.)
   */
  podLog(container?: string): PodLog;
}

/** A CRI-format log file kwok reads (crilogs: `<RFC3339Nano> <stream> F <line>`). */
export interface PodLog {
  file: string;
  previousFile: string;
  /** Appends lines (split on \n) to the current log; `previous` to the previous container's. */
  append(text: string, o?: { stream?: 'stdout' | 'stderr'; time?: Date; previous?: boolean }): void;
}

function podLogOf(dir: string, key: string): PodLog {
  const file = path.join(dir, `${key}.log`);
  const previousFile = path.join(dir, `${key}.previous.log`);
  for (const f of [file, previousFile]) if (!existsSync(f)) writeFileSync(f, '');
  return {
    file,
    previousFile,
    append(text, o = {}) {
      const t = (o.time ?? new Date()).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
      const lines = text.replace(/\n$/, '').split('\n');
      appendFileSync(o.previous ? previousFile : file, lines.map((l) => `${t} ${o.stream ?? 'stdout'} F ${l}\n`).join(''));
    },
  };
}

/**
 * kwok's ClusterLogs/ClusterAttach (per container name, default file for the rest) and ClusterExec
 * (commands run locally, in `workDir`), so kube-apiserver's pods/log, exec and attach reach kwok.
 */
function kwokStreams(logDir: string, containers: string[], workDir: string): string {
  const logs = [...containers.map((c) => ({ c, key: `container-${c}` })), { c: undefined, key: 'default' }];
  podLogOf(logDir, 'default');
  for (const c of containers) podLogOf(logDir, `container-${c}`);
  const docs = [
    { apiVersion: 'kwok.x-k8s.io/v1alpha1', kind: 'ClusterLogs', metadata: { name: 'e2e-logs' }, spec: { logs: logs.map((l) => ({ ...(l.c ? { containers: [l.c] } : {}), logsFile: path.join(logDir, `${l.key}.log`), previousLogsFile: path.join(logDir, `${l.key}.previous.log`), follow: true })) } },
    { apiVersion: 'kwok.x-k8s.io/v1alpha1', kind: 'ClusterAttach', metadata: { name: 'e2e-attach' }, spec: { attaches: logs.map((l) => ({ ...(l.c ? { containers: [l.c] } : {}), logsFile: path.join(logDir, `${l.key}.log`) })) } },
    { apiVersion: 'kwok.x-k8s.io/v1alpha1', kind: 'ClusterExec', metadata: { name: 'e2e-exec' }, spec: { execs: [{ local: { workDir } }] } },
  ];
  return docs.map((x) => stringify(x)).join('---\n');
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
export async function startCluster(procs: Processes, name: string, o: { nodes?: NodeDef[]; bare?: boolean; logContainers?: string[] } = {}): Promise<Cluster> {
  const bin = binaries();
  const dir = path.join(procs.dir, name);
  mkdirSync(dir, { recursive: true });
  const pki = makePki(name);
  const logDir = path.join(dir, 'pod-logs');
  const execDir = path.join(dir, 'exec');
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
    // pods/log, exec, attach: kwok's kubelet server at the node's InternalIP and daemonEndpoints port (TLS, not verified)
    '--kubelet-preferred-address-types=InternalIP',
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
      // kwok renews node status only about every 55 s; the default grace period (50 s) would flap nodes NotReady
      '--node-monitor-grace-period=5m',
    ]);
    procs.start(`${name}-scheduler`, path.join(bin, 'kube-scheduler'), [`--kubeconfig=${kcFile}`, '--leader-elect=false', '--bind-address=127.0.0.1', `--secure-port=${schedPort}`, '--v=1']);
    mkdirSync(logDir, { recursive: true });
    mkdirSync(execDir, { recursive: true });
    const kwokConfig = `${kwokStages()}---\n${kwokStreams(logDir, o.logContainers ?? [], execDir)}`;
    procs.start(`${name}-kwok`, path.join(bin, 'kwok'), [
      `--kubeconfig=${kcFile}`, `--config=${f('kwok.yaml', kwokConfig)}`, '--manage-all-nodes=true',
      `--server-address=127.0.0.1:${kwokPort}`, `--node-port=${kwokPort}`,
      `--tls-cert-file=${path.join(dir, 'apiserver.crt')}`, `--tls-private-key-file=${path.join(dir, 'apiserver.key')}`,
      '--node-ip=127.0.0.1', '--cidr=10.0.0.1/16',
    ]);
    for (const n of o.nodes ?? []) {
      await client.create({
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: n.name, labels: { 'kubernetes.io/hostname': n.name, 'kubernetes.io/os': 'linux', type: 'kwok', ...(n.labels ?? {}) }, annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' } },
        spec: { taints: n.taints ?? [] },
        status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], allocatable: { cpu: '32', memory: '256Gi', pods: '110', ...(n.capacity ?? {}) }, capacity: { cpu: '32', memory: '256Gi', pods: '110', ...(n.capacity ?? {}) } },
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
    podLog(container?: string) {
      if (o.bare) throw new Error(`${name} is bare: no kwok, no pod logs`);
      return podLogOf(logDir, container && (o.logContainers ?? []).includes(container) ? `container-${container}` : 'default');
    },
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
async function runDeployment(procs: Processes, host: KubeClient, ns: string, name: string, binary: string, o: { override: Record<string, string>; drop?: string[]; extra?: string[]; karmadaUrl?: string; env?: NodeJS.ProcessEnv; procName?: string; deployment?: Deploy }): Promise<{ args: string[]; root: string }> {
  const d = o.deployment ?? (await waitFor(`Deployment ${ns}/${name} on the host`, () => host.get<Deploy>({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name }), 10 * 60_000));
  const c = d.spec.template.spec.containers[0];
  const procName = o.procName ?? name;
  const root = path.join(procs.dir, procName);
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
  procs.start(procName, binary, args, o.env);
  return { args, root };
}

/**
 * Stand-in for cluster DNS and Service routing: an HTTP CONNECT proxy on 127.0.0.1 that every real
 * component gets as HTTPS_PROXY (NO_PROXY keeps loopback direct). A connection to
 * `<service>.<namespace>.svc[.<domain>]:<port>` is tunnelled to the loopback port where the harness
 * runs that Service's process. TLS stays end to end: the client checks the server's certificate
 * against the very host name our CLI configured (webhook URL, APIService's ExternalName Service,
 * estimator Service, kubeconfig server), so a wrong SAN fails here as it would in a cluster.
 */
export class ServiceRoutes {
  private routes = new Map<string, number>();
  private sockets = new Set<net.Socket>();
  private constructor(
    private server: net.Server,
    readonly port: number,
    private log: string,
  ) {}
  static async start(dir: string): Promise<ServiceRoutes> {
    let self: ServiceRoutes | undefined;
    const server = net.createServer((c) => self!.handle(c));
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', () => resolve()));
    self = new ServiceRoutes(server, (server.address() as net.AddressInfo).port, path.join(dir, 'service-routes.log'));
    return self;
  }
  private key(service: string, namespace: string, port: number) {
    return `${service}.${namespace}:${port}`;
  }
  set(service: string, namespace: string, port: number, localPort: number) {
    this.routes.set(this.key(service, namespace, port), localPort);
  }
  delete(service: string, namespace: string, port: number) {
    this.routes.delete(this.key(service, namespace, port));
  }
  /** The environment that sends a process's connections to Services through this proxy. */
  env(): NodeJS.ProcessEnv {
    const url = `http://127.0.0.1:${this.port}`;
    return { HTTPS_PROXY: url, https_proxy: url, NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost' };
  }
  /** `host:port` of a CONNECT request → the loopback port of its Service, if the harness runs it. */
  resolve(target: string): number | undefined {
    const m = /^([^:]+):(\d+)$/.exec(target);
    if (!m) return undefined;
    const labels = m[1].toLowerCase().replace(/\.$/, '').split('.');
    if (labels.length < 3 || labels[2] !== 'svc') return undefined;
    return this.routes.get(this.key(labels[0], labels[1], Number(m[2])));
  }
  private handle(client: net.Socket) {
    this.sockets.add(client);
    client.on('close', () => this.sockets.delete(client)).on('error', () => client.destroy());
    let head = Buffer.alloc(0);
    const onData = (d: Buffer) => {
      head = Buffer.concat([head, d]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > 16_384) client.destroy();
        return;
      }
      client.off('data', onData);
      const line = head.subarray(0, head.indexOf('\r\n')).toString();
      const rest = head.subarray(end + 4);
      const [method, target] = line.split(' ');
      const local = method === 'CONNECT' ? this.resolve(target) : undefined;
      note(this.log, `${line} -> ${local ? `127.0.0.1:${local}` : 'no route'}`);
      if (!local) {
        client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      const up = net.connect(local, '127.0.0.1');
      this.sockets.add(up);
      up.once('connect', () => {
        client.write('HTTP/1.1 200 Connection established\r\n\r\n');
        if (rest.length) up.write(rest);
        client.pipe(up);
        up.pipe(client);
      });
      const end2 = () => {
        client.destroy();
        up.destroy();
        this.sockets.delete(up);
      };
      up.on('close', end2).on('error', end2);
      client.on('close', end2);
    };
    client.on('data', onData);
  }
  close() {
    for (const s of this.sockets) s.destroy();
    this.server.close();
  }
}

export interface KarmadaBridge {
  url: string;
  /** Everything that was started, for the README's "what is real" (grows as addons are enabled). */
  real: string[];
  /** Pod start-up of the karmada-apiserver: from its Deployment appearing to the real one answering /readyz. */
  apiserverStartupMs: number;
  /** The Service routes of this control plane (for member-side components such as karmada-agent). */
  routes: ServiceRoutes;
  stop(): void;
}

export interface BridgeOptions {
  namespace?: string;
  nodePort: number;
  latencyMs?: number;
  /** Extra flag values per component Deployment name (test tuning, e.g. the descheduler's intervals); listed in docs/notes/e2e.md. */
  tune?: Record<string, Record<string, string>>;
}

interface Plan {
  bin: string;
  override: Record<string, string>;
  /** the Service (in the namespace) and port whose traffic goes to `local` */
  route?: { service: string; port: number; local: number };
}

/** Appends to a log of the harness; never throws (the directory may be gone at the end of a file). */
function note(file: string, text: string) {
  try {
    appendFileSync(file, `${new Date().toISOString()} ${text}\n`);
  } catch {
    /* the test file has ended */
  }
}

const loopbackAddr = async () => `127.0.0.1:${await freePort()}`;

/**
 * What each Karmada component needs overridden on loopback: only ports and bind addresses (every
 * component listens on `$(POD_IP)` or 0.0.0.0 with fixed ports), and etcd's address (a real etcd on
 * a free port stands in for the etcd StatefulSet). Everything else is the Deployment's own command.
 */
async function planFor(name: string, etcdUrl: string, tune: Record<string, Record<string, string>>): Promise<Plan | undefined> {
  const bin = (b: string) => path.join(binaries(), b);
  const probes = async () => ({ 'metrics-bind-address': await loopbackAddr(), 'health-probe-bind-address': await loopbackAddr() });
  let plan: Plan | undefined;
  if (name === 'kube-controller-manager') plan = { bin: bin('kube-controller-manager'), override: { 'bind-address': '127.0.0.1', 'secure-port': String(await freePort()), 'leader-elect': 'false' } };
  else if (name === 'karmada-aggregated-apiserver' || name === 'karmada-search' || name === 'karmada-metrics-adapter') {
    const local = await freePort();
    plan = { bin: bin(name), override: { 'bind-address': '127.0.0.1', 'secure-port': String(local), ...(name === 'karmada-metrics-adapter' ? { 'metrics-bind-address': await loopbackAddr() } : { 'etcd-servers': etcdUrl }) }, route: { service: name, port: 443, local } };
  } else if (name === 'karmada-controller-manager' || name === 'karmada-scheduler' || name === 'karmada-descheduler') plan = { bin: bin(name), override: await probes() };
  else if (name === 'karmada-webhook') {
    const local = await freePort();
    plan = { bin: bin(name), override: { 'secure-port': String(local), ...(await probes()) }, route: { service: name, port: 443, local } };
  } else if (name.startsWith('karmada-scheduler-estimator-')) {
    const local = await freePort();
    plan = { bin: bin('karmada-scheduler-estimator'), override: { 'server-port': String(local), ...(await probes()) }, route: { service: name, port: 10352, local } };
  }
  if (plan && !existsSync(plan.bin)) throw new Error(`${plan.bin} is not built (bash test/e2e/kube/build.sh)`);
  if (plan) plan.override = { ...plan.override, ...(tune[name] ?? {}) };
  return plan;
}

/**
 * Watches the host for our init's karmada-apiserver Deployment and, once it is available, starts the
 * real control plane from it (see the file comment); then every Karmada component Deployment that
 * appears on the host (init's, and each addon's) runs for real, is restarted when its Deployment
 * changes and stopped when it is deleted or scaled to 0. Returns at once; `ready` resolves when the
 * karmada-apiserver answers and its kube-controller-manager and karmada-aggregated-apiserver run.
 */
export function bridgeKarmada(procs: Processes, host: Cluster, o: BridgeOptions): { ready: Promise<KarmadaBridge>; stop(): void } {
  const ns = o.namespace ?? 'karmada-system';
  let stopped = false;
  let proxy: { close(): void } | undefined;
  let routes: ServiceRoutes | undefined;
  const bin = binaries();
  let hostClient: Promise<KubeClient> | undefined;
  const hc2 = () => (hostClient ??= host.client());
  const ready = (async (): Promise<KarmadaBridge> => {
    const hc = await host.client();
    try {
      routes = await ServiceRoutes.start(procs.dir);
      // Its pods become ready only when the real karmada-apiserver answers /readyz (kwokStages), as a
      // readiness probe would make them: whoever waits for the rollout waits for the real start-up.
      await waitFor('karmada-apiserver Deployment on the host', async () => {
        if (stopped) throw new Error('stopped');
        return hc.get<Deploy>({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: 'karmada-apiserver' });
      }, 10 * 60_000);
      const deploymentSeen = performance.now();
      // karmada's etcd, with init's etcd certificates (etcd-server has 127.0.0.1 among its SANs)
      const etcdDir = path.join(procs.dir, 'karmada-etcd');
      mkdirSync(etcdDir, { recursive: true });
      const [etcdPort, peerPort] = await Promise.all([freePort(), freePort()]);
      // Like a kubelet starting a pod: the secret volume is read when the process starts (a restart re-reads it).
      const startEtcd = async (c: KubeClient, procName: string) => {
        const etcdSecret = (await c.get<K8sObject & { data: Record<string, string> }>({ apiVersion: 'v1', kind: 'Secret', namespace: ns, name: 'etcd-cert' }))!;
        for (const [k, v] of Object.entries(etcdSecret.data)) writeFileSync(path.join(etcdDir, k), Buffer.from(v, 'base64'), { mode: 0o600 });
        procs.start(procName, path.join(bin, 'etcd'), [
          '--name', 'k', '--data-dir', path.join(etcdDir, 'data'),
          '--listen-client-urls', `https://127.0.0.1:${etcdPort}`, '--advertise-client-urls', `https://127.0.0.1:${etcdPort}`,
          '--listen-peer-urls', `http://127.0.0.1:${peerPort}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${peerPort}`, '--initial-cluster', `k=http://127.0.0.1:${peerPort}`,
          '--cert-file', path.join(etcdDir, 'etcd-server.crt'), '--key-file', path.join(etcdDir, 'etcd-server.key'),
          '--client-cert-auth', '--trusted-ca-file', path.join(etcdDir, 'etcd-ca.crt'), '--unsafe-no-fsync', '--log-level', 'warn',
        ]);
      };
      const etcdSts = await hc.get<Deploy>({ apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: ns, name: 'etcd' }).catch(() => undefined);
      await startEtcd(hc, 'karmada-etcd');
      const etcdUrl = `https://127.0.0.1:${etcdPort}`;
      const url = `https://127.0.0.1:${o.nodePort}`;
      // With added latency the real apiserver listens elsewhere and a delaying proxy holds the NodePort.
      const apiPort = o.latencyMs ? await freePort() : o.nodePort;
      if (o.latencyMs) proxy = await latencyProxy(o.nodePort, apiPort, o.latencyMs);
      // The components' kubeconfigs name https://karmada-apiserver.<ns>.svc.<domain>:5443: routed to the NodePort.
      routes.set('karmada-apiserver', ns, 5443, o.nodePort);
      const startApiserver = async (c: KubeClient, procName: string, deployment?: Deploy) => {
        await runDeployment(procs, c, ns, 'karmada-apiserver', path.join(bin, 'kube-apiserver'), {
          deployment,
          procName,
          override: { 'etcd-servers': etcdUrl, 'secure-port': String(apiPort), 'bind-address': '127.0.0.1', 'advertise-address': '127.0.0.1', 'endpoint-reconciler-type': 'none', 'enable-priority-and-fairness': 'false' },
          env: routes!.env(),
        });
        const admin = await clientFor(await adminOfKarmada(c, ns, url));
        try {
          await waitFor('karmada-apiserver /readyz', () => admin.request('GET', '/readyz').then(() => true), 120_000, procs, procName);
        } finally {
          admin.close();
        }
      };
      const apiDep = (await hc.get<Deploy>({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: 'karmada-apiserver' }))!;
      await startApiserver(hc, 'karmada-apiserver', apiDep);
      const apiserverStartupMs = performance.now() - deploymentSeen;
      // The pods of the template the real karmada-apiserver was started from turn Ready (see markServing).
      const serving: { template?: Record<string, string> } = { template: templateAnnotations(apiDep) };
      void markServing(hc2, ns, serving, () => stopped || procs.closed);
      void superviseControlPlane(procs, hc2, ns, { etcd: { key: etcdSts ? templateKey(etcdSts) : undefined, proc: 'karmada-etcd' }, apiserver: { key: templateKey(apiDep), proc: 'karmada-apiserver' } }, { startEtcd, startApiserver }, serving, () => stopped || procs.closed);
      const real = ['karmada etcd', 'karmada-apiserver (kube-apiserver)'];
      const running = new Map<string, { key: string; proc: string; route?: Plan['route']; restarts?: number }>();
      void superviseComponents(procs, hc2, ns, etcdUrl, routes, o.tune ?? {}, running, real, () => stopped || procs.closed);
      // Each component starts when its Deployment appears, independently: the Go karmadactl creates
      // kube-controller-manager only after the aggregated API is available, ours before.
      await waitFor('kube-controller-manager and karmada-aggregated-apiserver running', async () => (stopped ? Promise.reject(new Error('stopped')) : running.has('kube-controller-manager') && running.has('karmada-aggregated-apiserver')), 10 * 60_000);
      return { url, apiserverStartupMs, real, routes, stop: () => (stopped = true) };
    } finally {
      hc.close();
    }
  })();
  ready.catch((e) => {
    if (!stopped && !procs.closed) {
      note(path.join(procs.dir, 'bridge-error.log'), String((e as Error).stack ?? e));
      process.stderr.write(`e2e bridge failed: ${(e as Error).message}\n`);
    }
  });
  return {
    ready,
    stop: () => {
      stopped = true;
      proxy?.close();
      routes?.close();
    },
  };
}

const depKey = (d: Deploy) => `${d.metadata.uid}/${d.metadata.generation ?? 0}`;

async function superviseComponents(procs: Processes, hc: () => Promise<KubeClient>, ns: string, etcdUrl: string, routes: ServiceRoutes, tune: Record<string, Record<string, string>>, running: Map<string, { key: string; proc: string; route?: Plan['route']; restarts?: number }>, real: string[], stopped: () => boolean) {
  const errLog = path.join(procs.dir, 'bridge-components-error.log');
  while (!stopped()) {
    try {
      const c = await hc();
      const deps = (await c.list<Deploy & { spec: { replicas?: number } }>('apps/v1', 'Deployment', { namespace: ns })).items.filter((d) => d.spec.replicas !== 0 && !d.metadata.deletionTimestamp);
      for (const d of deps) {
        const name = d.metadata.name;
        if (name === 'karmada-apiserver') continue;
        const now = running.get(name);
        // like a pod's restartPolicy Always: a process that exited is started again (a few times)
        const crashed = now && procs.exited().includes(now.proc) && (now.restarts ?? 0) < 5;
        if (now?.key === depKey(d) && !crashed) continue;
        const plan = await planFor(name, etcdUrl, tune).catch((e) => {
          if (!stopped()) note(errLog, `${name}: ${(e as Error).message}`);
          return undefined;
        });
        if (!plan) continue;
        if (now) await procs.kill(now.proc);
        const proc = procs.uniqueName(name);
        await runDeployment(procs, c, ns, name, plan.bin, { deployment: d, procName: proc, override: plan.override, env: routes.env() });
        if (plan.route) routes.set(plan.route.service, ns, plan.route.port, plan.route.local);
        running.set(name, { key: depKey(d), proc, route: plan.route, restarts: crashed ? (now!.restarts ?? 0) + 1 : 0 });
        if (!real.includes(name)) real.push(name);
      }
      for (const [name, r] of [...running]) {
        if (deps.some((d) => d.metadata.name === name)) continue;
        await procs.kill(r.proc);
        if (r.route) routes.delete(r.route.service, ns, r.route.port);
        running.delete(name);
      }
    } catch (e) {
      if (!stopped()) note(errLog, String((e as Error).stack ?? e));
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/**
 * Pull mode for real: runs the karmada-agent that `register` deployed on `member` from its Deployment
 * (restarted when it changes, stopped when `unregister` deletes it). Its in-cluster identity is a
 * kubeconfig (KUBECONFIG) with a TokenRequest token of the Deployment's ServiceAccount — what the
 * kubelet would mount into the pod.
 */
export function bridgeAgent(procs: Processes, member: Cluster, o: { namespace?: string; routes?: ServiceRoutes } = {}): { stop(): void } {
  const ns = o.namespace ?? 'karmada-system';
  let stopped = false;
  let current: { key: string; proc: string } | undefined;
  const errLog = path.join(procs.dir, `bridge-agent-${member.name}-error.log`);
  void (async () => {
    const c = await member.client();
    while (!stopped && !procs.closed) {
      try {
        const d = await c.get<Deploy & { spec: { replicas?: number; template: { spec: { serviceAccountName?: string } } } }>({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: 'karmada-agent' });
        const want = d && d.spec.replicas !== 0 && !d.metadata.deletionTimestamp ? depKey(d) : undefined;
        if (current && (current.key !== want || procs.exited().includes(current.proc))) {
          await procs.kill(current.proc);
          current = undefined;
        }
        if (d && want && !current) {
          const sa = d.spec.template.spec.serviceAccountName ?? 'default';
          const tr = await c.request<{ status: { token: string } }>('POST', `/api/v1/namespaces/${ns}/serviceaccounts/${sa}/token`, { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } } });
          const proc = procs.uniqueName(`${member.name}-karmada-agent`);
          const kc = path.join(procs.dir, `${proc}.in-cluster.kubeconfig`);
          writeFileSync(kc, stringify({ apiVersion: 'v1', kind: 'Config', clusters: [{ name: 'in-cluster', cluster: { server: member.url, 'certificate-authority-data': b64(member.caPem) } }], users: [{ name: sa, user: { token: tr.status.token } }], contexts: [{ name: 'in-cluster', context: { cluster: 'in-cluster', user: sa, namespace: ns } }], 'current-context': 'in-cluster' }), { mode: 0o600 });
          await runDeployment(procs, c, ns, 'karmada-agent', path.join(binaries(), 'karmada-agent'), {
            deployment: d,
            procName: proc,
            override: { 'metrics-bind-address': await loopbackAddr(), 'health-probe-bind-address': await loopbackAddr() },
            env: { ...(o.routes?.env() ?? {}), KUBECONFIG: kc },
          });
          current = { key: want, proc };
        }
      } catch (e) {
        if (!stopped && !procs.closed) note(errLog, String((e as Error).stack ?? e));
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    c.close();
  })();
  return {
    stop: () => {
      stopped = true;
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

/**
 * Marks the karmada-apiserver pods of the template the real karmada-apiserver now runs from (also
 * those created later, e.g. by a rolling update) as served by it: a pod of a new template turns Ready
 * only once the restarted process answers /readyz, as its readiness probe would make it.
 */
async function markServing(hc: () => Promise<KubeClient>, ns: string, serving: { template?: Record<string, string> }, stopped: () => boolean): Promise<void> {
  while (!stopped()) {
    try {
      const c = await hc();
      const pods = await c.list<K8sObject>('v1', 'Pod', { namespace: ns, labelSelector: 'app=karmada-apiserver' });
      for (const p of pods.items) {
        if (p.metadata.annotations?.[SERVING_ANNOTATION] === 'true' || p.metadata.deletionTimestamp) continue;
        const t = serving.template;
        if (!t || Object.entries(t).some(([k, v]) => p.metadata.annotations?.[k] !== v)) continue;
        await c.patch({ apiVersion: 'v1', kind: 'Pod', namespace: ns, name: p.metadata.name! }, { metadata: { annotations: { [SERVING_ANNOTATION]: 'true' } } }, 'merge').catch(() => undefined);
      }
    } catch {
      /* the host may be going away at the end of a test */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

const templateAnnotations = (d: Deploy): Record<string, string> => ((d.spec.template as { metadata?: { annotations?: Record<string, string> } }).metadata?.annotations ?? {});
/** A pod template's identity: a kubelet restarts a pod when its template changes (not on a scale). */
// Only the template's annotations (a restart, e.g. `certs renew`'s karmada.io/restartedAt) restart the
// process: a changed command line (e.g. --apiserver-count on a replicas change) is a rolling update that
// a real Deployment does without downtime, which one loopback process on a fixed port cannot do — an
// in-place restart would refuse connections in the middle of the `init` that changed it.
const templateKey = (d: Deploy) => `${d.metadata.uid}/${JSON.stringify((d.spec.template as { metadata?: { annotations?: unknown } }).metadata?.annotations ?? {})}`;

/**
 * The kubelet for the etcd StatefulSet and the karmada-apiserver Deployment: when a pod template
 * changes (e.g. `certs renew`'s restart annotation), the process is stopped and started again from
 * it, its secret volumes read anew; etcd first when both changed.
 */
async function superviseControlPlane(
  procs: Processes,
  hc: () => Promise<KubeClient>,
  ns: string,
  state: { etcd: { key?: string; proc: string }; apiserver: { key: string; proc: string } },
  start: { startEtcd(c: KubeClient, proc: string): Promise<void>; startApiserver(c: KubeClient, proc: string, d: Deploy): Promise<void> },
  serving: { template?: Record<string, string> },
  stopped: () => boolean,
) {
  const errLog = path.join(procs.dir, 'bridge-control-plane-error.log');
  const log = path.join(procs.dir, 'bridge-restarts.log');
  while (!stopped()) {
    try {
      const c = await hc();
      const sts = await c.get<Deploy>({ apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: ns, name: 'etcd' });
      if (sts && state.etcd.key === undefined) state.etcd.key = templateKey(sts);
      else if (sts && state.etcd.key !== templateKey(sts)) {
        state.etcd.key = templateKey(sts);
        await procs.kill(state.etcd.proc);
        state.etcd.proc = procs.uniqueName('karmada-etcd');
        note(log, `etcd StatefulSet template changed: restarting etcd as ${state.etcd.proc}`);
        await start.startEtcd(c, state.etcd.proc);
      }
      const d = await c.get<Deploy>({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: 'karmada-apiserver' });
      if (d && state.apiserver.key !== templateKey(d)) {
        state.apiserver.key = templateKey(d);
        serving.template = undefined;
        await procs.kill(state.apiserver.proc);
        state.apiserver.proc = procs.uniqueName('karmada-apiserver');
        note(log, `karmada-apiserver Deployment template changed: restarting it as ${state.apiserver.proc}`);
        await start.startApiserver(c, state.apiserver.proc, d);
        serving.template = templateAnnotations(d);
        note(log, `${state.apiserver.proc} answers /readyz`);
      }
    } catch (e) {
      if (!stopped()) note(errLog, String((e as Error).stack ?? e));
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function adminOfKarmada(hc: KubeClient, ns: string, url: string): Promise<string> {
  const s = (await hc.get<K8sObject & { data: Record<string, string> }>({ apiVersion: 'v1', kind: 'Secret', namespace: ns, name: 'karmada-cert' }))!;
  const dec = (k: string) => Buffer.from(s.data[k], 'base64').toString();
  return kubeconfigText(url, dec('ca.crt'), dec('karmada.crt'), dec('karmada.key'), 'karmada-apiserver');
}
