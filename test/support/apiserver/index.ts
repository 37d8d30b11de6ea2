/**
 * An in-process HTTPS test double of kube-apiserver, talked to by @kubernetes/client-node and by
 * karmadactl's own client, unmodified.
 *
 * Real-like: TLS with its own CA; authentication by client certificate (CN user, O groups), bearer
 * token (static tokens, service-account token secrets, TokenRequest tokens, bootstrap tokens from
 * kube-system/bootstrap-token-<id> secrets); anonymous only for /version, /healthz, /livez, /readyz and
 * kube-public/cluster-info; discovery (/api, /apis, group versions) including resources added by CRDs
 * and by APIServices; create/get/list/update/patch/delete/deletecollection with resourceVersion
 * conflicts, label and field selectors, generateName, namespaces that must exist and that terminate
 * with their content, ownerReference garbage collection, status subresources, dryRun=All, watches
 * (from a resourceVersion, with timeoutSeconds and selectors), and Status bodies (404/409/422/403/401)
 * shaped like the real ones. Simulation: nodes with taints and addresses, Deployments/StatefulSets/
 * DaemonSets whose pods are scheduled (taints, tolerations, node selectors, hostname anti-affinity)
 * and become Ready (or never do, fail to pull, or crash-loop), service-account token secrets that get
 * populated, CSRs approved (by the test or automatically) and signed, the bootstrap signer's JWS
 * signatures in cluster-info, NodePort allocation and immutable ClusterIPs.
 *
 * Server-side apply with managedFields per manager, removal of fields an applier stops sending, and
 * apply conflicts (ssa.ts); unknown fields under fieldValidation (Strict: 400, Warn: Warning headers),
 * immutable fields, selectors that must match the template (validation.ts); with `rbac: true`, RBAC
 * evaluated from the stored Roles/ClusterRoles and bindings, system:masters bypassing it (rbac.ts).
 * A write that changes nothing does not move the resourceVersion.
 *
 * Simplified (the real kube-apiserver wins where they differ): without `rbac`, no RBAC evaluation (a
 * test may install an authorizer; by default every authenticated user except bootstrap and
 * service-account users may do anything), no admission beyond the checks above, defaults only for the
 * fields whose change is refused, strategic merge and apply know only the merge keys the CLI uses
 * (containers, volumes, env, ports, ...; other lists are atomic), watches have no bookmarks, and list
 * paging is not implemented.
 */
import { writeFile, chmod } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { stringify } from 'yaml';
import { ApiCore, createHttpsServer, type Authorizer, type Fault, type RequestRecord, type User } from './server';
import { Simulation, type NodeSpec } from './sim';
import { defaultCerts, authorityFrom, type Authority, type KeyPair } from './certs';
import type { ResourceDef } from './registry';
import type { Obj } from './store';
import { tableExtension } from './table';
import { discoveryExtension } from './discovery';
import { pagingExtension } from './paging';
import { Rbac } from './rbac';
import { modelsReady } from './validation';
import { openAPIExtension } from './openapi';

export type { Fault, RequestRecord, NodeSpec, Obj, User };
export { detachedJws } from './sim';
export { clusterProxy, type ClusterProxy, type MemberFault } from './proxy';
export { podLogs, type PodLogs, type LogLine } from './podlog';

export interface TestApiServerOptions {
  /** Nodes to create at start. */
  nodes?: NodeSpec[];
  /** Latency added to every request (benchmarks use 20 ms). */
  latencyMs?: number;
  /** UID of kube-system (the CLI uses it as the cluster ID). */
  kubeSystemUid?: string;
  /** Static bearer tokens. */
  tokens?: Record<string, User>;
  /** Serve with this certificate and trust client certificates of this CA (a karmada-apiserver built from init's PKI). */
  tls?: { certPem: string; keyPem: string; caPem: string; caKeyPem?: string };
  port?: number;
  podReadyDelayMs?: number;
  /** Resources served once their APIService exists (default: cluster.karmada.io clusters, ...). */
  aggregated?: ResourceDef[];
  authorize?: Authorizer;
  /** Evaluate RBAC from the stored Roles, ClusterRoles and bindings (system:masters bypasses it). */
  rbac?: boolean;
}

export interface KubeconfigOptions {
  user?: 'admin' | 'anonymous' | { token: string } | { certPem: string; keyPem: string };
  context?: string;
  cluster?: string;
  userName?: string;
  /** Server URL to write (default: this server). */
  server?: string;
}

export interface TestApiServer {
  url: string;
  port: number;
  caPem: string;
  caKeyPem: string;
  ca: Authority;
  admin: KeyPair;
  core: ApiCore;
  sim: Simulation;
  requests: RequestRecord[];
  faults: { add(f: Fault): void; clear(): void };
  store: {
    get(apiVersion: string, kind: string, namespace: string | undefined, name: string): Obj | undefined;
    list(apiVersion: string, kind: string, namespace?: string): Obj[];
    put(obj: Obj): Obj;
    delete(apiVersion: string, kind: string, namespace: string | undefined, name: string): Obj | undefined;
  };
  /** Requests that changed something (not GET). */
  writes(): RequestRecord[];
  /**
   * Every stored object as a user sees it (without resourceVersion, generation, managedFields and
   * status): a re-run that applies everything again must leave this as it was.
   */
  content(): string;
  /** resourceVersion of every stored object by kind/namespace/name. */
  versions(): Record<string, string>;
  kubeconfig(o?: KubeconfigOptions): string;
  writeKubeconfig(path: string, o?: KubeconfigOptions): Promise<void>;
  close(): Promise<void>;
}

export async function startTestApiServer(opts: TestApiServerOptions = {}): Promise<TestApiServer> {
  const certs = defaultCerts();
  const ca = opts.tls ? authorityFrom(opts.tls.caPem, opts.tls.caKeyPem ?? certs.ca.caKeyPem) : certs.ca;
  const serving = opts.tls ? { certPem: opts.tls.certPem, keyPem: opts.tls.keyPem } : certs.serving;
  const admin = opts.tls && opts.tls.caKeyPem ? ca.leaf({ cn: 'kubernetes-admin', orgs: ['system:masters'], client: true }) : certs.admin;
  const core = new ApiCore(ca.caPem);
  core.latencyMs = opts.latencyMs ?? 0;
  core.authorize = opts.authorize;
  await modelsReady;
  if (opts.aggregated) core.aggregated = opts.aggregated;
  for (const [t, u] of Object.entries(opts.tokens ?? {})) core.tokens.set(t, u);
  core.extensions.push(pagingExtension(), tableExtension(core), discoveryExtension(core), openAPIExtension(core));
  const sim = new Simulation(core, ca);
  if (opts.podReadyDelayMs !== undefined) sim.podReadyDelayMs = opts.podReadyDelayMs;

  const nsDef = core.defFor('v1', 'Namespace');
  for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    core.store.put(nsDef, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, ...(ns === 'kube-system' && opts.kubeSystemUid ? { uid: opts.kubeSystemUid } : {}) }, status: { phase: 'Active' } });
  }
  for (const n of opts.nodes ?? []) sim.addNode(n);
  if (opts.rbac) {
    core.rbac = new Rbac(core.store, core.registry);
    core.rbac.seed();
    const own = opts.authorize;
    core.authorize = (u, verb, resource, group, ns, name) => core.rbac!.authorize(u, verb, resource, group, ns, name) || Boolean(own?.(u, verb, resource, group, ns, name));
  }

  const server = createHttpsServer(core, { certPem: serving.certPem, keyPem: serving.keyPem, clientCaPem: ca.caPem });
  const sockets = new Set<{ destroy(): void; on(e: 'close', f: () => void): void }>();
  server.on('secureConnection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `https://127.0.0.1:${port}`;

  const kubeconfig = (o: KubeconfigOptions = {}) => {
    const cluster = o.cluster ?? 'test';
    const context = o.context ?? cluster;
    const userName = o.userName ?? `${cluster}-user`;
    const u = o.user ?? 'admin';
    const user: Record<string, string> =
      u === 'admin'
        ? { 'client-certificate-data': b64(admin.certPem), 'client-key-data': b64(admin.keyPem) }
        : u === 'anonymous'
          ? {}
          : 'token' in u
            ? { token: u.token }
            : { 'client-certificate-data': b64(u.certPem), 'client-key-data': b64(u.keyPem) };
    return stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: cluster, cluster: { server: o.server ?? url, 'certificate-authority-data': b64(ca.caPem) } }],
      users: [{ name: userName, user }],
      contexts: [{ name: context, context: { cluster, user: userName } }],
      'current-context': context,
    });
  };

  return {
    url,
    port,
    caPem: ca.caPem,
    caKeyPem: ca.caKeyPem,
    ca,
    admin,
    core,
    sim,
    requests: core.requests,
    faults: {
      add: (f) => core.faults.push({ ...f, seen: 0, fired: 0 }),
      clear: () => {
        core.faults = [];
      },
    },
    store: {
      get: (apiVersion, kind, ns, name) => core.store.get(core.defFor(apiVersion, kind), ns, name),
      list: (apiVersion, kind, ns) => core.store.list(core.defFor(apiVersion, kind), ns),
      put: (obj) => core.store.put(core.defFor(obj.apiVersion, obj.kind), obj),
      delete: (apiVersion, kind, ns, name) => core.store.delete(core.defFor(apiVersion, kind), ns, name),
    },
    writes: () => core.requests.filter((r) => r.method !== 'GET'),
    content: () =>
      JSON.stringify(core.registry.all().flatMap((d) => core.store.list(d).map((o) => ({ ...o, status: undefined, metadata: { ...o.metadata, resourceVersion: undefined, managedFields: undefined, generation: undefined } })))),
    versions: () => Object.fromEntries(core.registry.all().flatMap((d) => core.store.list(d).map((o) => [`${d.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, o.metadata.resourceVersion]))),
    kubeconfig,
    async writeKubeconfig(path, o) {
      await writeFile(path, kubeconfig(o), { mode: 0o600 });
      await chmod(path, 0o600);
    },
    async close() {
      sim.stop();
      core.closeWatchers();
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** Node presets. */
export const nodes = {
  taintedMaster: (name = 'master1', ip = '127.0.0.1'): NodeSpec => ({ name, internalIP: ip, labels: { 'node-role.kubernetes.io/master': '', 'node-role.kubernetes.io/control-plane': '' }, taints: [{ key: 'node-role.kubernetes.io/master', effect: 'NoSchedule' }] }),
  untainted: (name = 'node1', ip = '127.0.0.1'): NodeSpec => ({ name, internalIP: ip, labels: { 'node-role.kubernetes.io/control-plane': '' } }),
  workers: (n: number, ip = '127.0.0.1'): NodeSpec[] => Array.from({ length: n }, (_, i) => ({ name: `worker${i + 1}`, internalIP: ip })),
};
