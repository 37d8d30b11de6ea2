import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { readTextBounded } from '../util/fsx';
import os from 'node:os';
import path from 'node:path';
import type { Context } from '../context';
import { UserError } from '../errors';
import type { KubeApi } from '../kube/api';
import { connect } from '../kube/factory';
import { kubeconfigFromString } from '../kube/config';
import { KubeClient } from '../kube/client';
import { RecordingClient } from '../kube/recording';
import { mapLimit } from '../kube/retry';
import { waitUntil, allWorkloadsReady, type Readiness } from '../kube/wait';
import { diagnosePods, formatProblems, isPullProblem } from '../kube/diagnose';
import { makeLogger } from '../ui/log';
import type { Reporter, StepHandle } from '../ui/progress';
import type { K8sObject } from '../kube/types';
import { runPhases, summarize, type Phase } from './phases/runner';
import { liveKey, preflightImmutable } from '../kube/api';
import type { InitOptions } from './options';
import { resolveImages, type ResolvedImages } from './images';
import { loadUserCa, preparePki, readPki, startKeyGeneration, writePki, PKI_NAMES, type KeyPool, type PkiAction, type PkiBundle, type PkiOptions } from './pki';
import { loadCrds, applyCrdPatches, type LoadedCrds } from './crds';
import { apiserverAddresses, checkSelectedNodes, selectEtcdNode, ETCD_NODE_LABEL, type NodeLike } from './nodes';
import { adminKubeconfig, clusterInfoKubeconfig, inClusterKubeconfig, serverUrl } from './kubeconfig';
import { render, type RenderedPlan } from './render';
import { writeFileAtomic } from '../util/fsx';
import { KARMADA_VERSION } from '../version';

/** Documentation address (RFC 5737) used when a dry run has neither a cluster nor an advertise address. */
export const PLACEHOLDER_ADDRESS = '192.0.2.1';

export interface Change {
  phase: string;
  target: 'host' | 'karmada';
  action: 'created' | 'updated' | 'unchanged';
  kind: string;
  name: string;
  namespace?: string;
}

export interface InitData {
  ctx: Context;
  o: InitOptions;
  reporter: Reporter;
  host: KubeApi;
  hostReachable: boolean;
  karmada?: KubeApi;
  keyPool: KeyPool;
  images: ResolvedImages;
  pkiDir: string;
  dataDir: string;
  userCa?: { certPem: string; keyPem: string };
  externalEtcd?: { caPem: string; certPem: string; keyPem: string };
  nodes: NodeLike[];
  etcdNode?: { name: string; reused: boolean };
  addresses: string[];
  placeholder: boolean;
  existingPki?: PkiBundle;
  /** Where existingPki was read from, for messages. */
  existingPkiSource?: string;
  pki?: PkiBundle;
  pkiReused?: boolean;
  pkiActions?: PkiAction[];
  crds?: LoadedCrds;
  plan?: RenderedPlan;
  kubeconfigText?: string;
  kubeconfigPath?: string;
  changes: Change[];
  warnings: string[];
  files: string[];
  /** Host objects as the immutable phase read them (null: missing), so that ensure need not read them again. */
  live?: Map<string, K8sObject | null>;
}

export interface InitResult {
  version: string;
  namespace: string;
  server: string;
  kubeconfig: string;
  pkiDir: string;
  pkiReused: boolean;
  /** Pairs generated or issued by this run (all of them on a first run). */
  pkiIssued: string[];
  dryRun: boolean;
  /** The host cluster was reachable and read (a dry run reads it; it never writes). */
  hostRead: boolean;
  placeholderAddress: boolean;
  changed: boolean;
  changes: { host: Record<string, number>; karmada: Record<string, number> };
  warnings: string[];
  files: string[];
  /** The dry run's objects, per cluster. */
  objects?: { host: K8sObject[]; karmada: K8sObject[] };
}

const timeoutMs = (d: InitData) => d.o.waitTimeoutSeconds * 1000;

async function ensureAll(d: InitData, target: 'host' | 'karmada', phase: string, objs: K8sObject[], step: StepHandle, concurrency = 8) {
  const client = target === 'host' ? d.host : d.karmada!;
  const results = await mapLimit(objs, concurrency, async (obj) => {
    const r = await client.ensure(obj, target === 'host' && d.live?.has(liveKey(obj)) ? { live: d.live.get(liveKey(obj)) } : undefined);
    d.changes.push({ phase, target, action: r.action, kind: obj.kind, name: obj.metadata.name, namespace: obj.metadata.namespace });
    return r;
  });
  step.detail(summarize(results));
  return results;
}

/** Explains not-ready workloads; image pull failures get the registry-mirror fix. */
async function explainPods(d: InitData, labelSelector: string): Promise<string | undefined> {
  const problems = await diagnosePods(d.host, d.o.namespace, labelSelector);
  if (!problems.length) return undefined;
  return formatProblems(problems);
}

function mirrorHint(d: InitData, problems: Awaited<ReturnType<typeof diagnosePods>>): string | undefined {
  if (!problems.some(isPullProblem)) return undefined;
  return `images cannot be pulled; re-run init with a reachable registry, e.g. --kube-image-mirror-country cn, --kube-image-registry REGISTRY or --private-image-registry REGISTRY (re-running is safe: it converges)`;
}

async function waitWorkloads(d: InitData, names: { kind: 'Deployment' | 'StatefulSet'; name: string; app: string }[], what: string) {
  const ns = d.o.namespace;
  await Promise.all(
    names.map(async (w) => {
      const hintHolder: { hint?: string } = {};
      try {
        await waitUntil(d.host, { apiVersion: 'apps/v1', kind: w.kind, namespace: ns, name: w.name }, (objs) => allWorkloadsReady(objs, [w.name]), {
          timeoutMs: timeoutMs(d),
          what: `${w.name} to become ready`,
          explain: async () => {
            const problems = await diagnosePods(d.host, ns, `app=${w.app}`);
            hintHolder.hint = mirrorHint(d, problems);
            return problems.length ? formatProblems(problems) : undefined;
          },
        });
      } catch (e) {
        if (hintHolder.hint && e instanceof UserError) throw new UserError(e.message, { hint: hintHolder.hint, cause: e });
        if (e instanceof UserError && !e.hint) throw new UserError(e.message, { hint: `inspect with: kubectl -n ${ns} describe pods -l app=${w.app}; raise --wait-component-ready-timeout (0 = no limit) if the cluster is just slow`, cause: e });
        throw e;
      }
    }),
  );
  void what;
}

function pkiOptions(d: InitData): PkiOptions {
  return {
    namespace: d.o.namespace,
    hostClusterDomain: d.o.hostClusterDomain,
    etcdReplicas: d.o.etcd.replicas,
    externalEtcd: Boolean(d.o.etcd.external.servers),
    externalDNS: d.o.certs.externalDNS,
    externalIPs: d.o.certs.externalIPs,
    apiserverIPs: d.addresses,
    validityMs: d.o.certs.validityMs,
    caCertPem: d.userCa?.certPem,
    caKeyPem: d.userCa?.keyPem,
  };
}

const PHASES: Phase<InitData>[] = [
  {
    name: 'preflight',
    title: 'Checking the host cluster and the inputs',
    async run(d, step) {
      const o = d.o;
      if (o.certs.caCertFile) d.userCa = await loadUserCa(path.resolve(d.ctx.cwd, o.certs.caCertFile), path.resolve(d.ctx.cwd, o.certs.caKeyFile));
      if (o.etcd.external.servers) {
        const read = async (f: string, flag: string) => {
          if (!f) return '';
          return readTextBounded(path.resolve(d.ctx.cwd, f), { limit: 1 << 20, what: flag, hint: `check the path given with ${flag}` });
        };
        d.externalEtcd = { caPem: await read(o.etcd.external.caFile, '--external-etcd-ca-cert-path'), certPem: await read(o.etcd.external.certFile, '--external-etcd-client-cert-path'), keyPem: await read(o.etcd.external.keyFile, '--external-etcd-client-key-path') };
      }
      if (d.hostReachable) {
        d.nodes = (await d.host.list<NodeLike>('v1', 'Node')).items;
        if (!o.etcd.external.servers) {
          const services = (await d.host.list<K8sObject & { spec?: { type?: string; ports?: { nodePort?: number }[] } }>('v1', 'Service')).items;
          const clash = services.find((s) => (s.spec?.ports ?? []).some((p) => p.nodePort === o.port) && !(s.metadata.namespace === o.namespace && s.metadata.name === 'karmada-apiserver'));
          if (clash) throw new UserError(`nodePort ${o.port} is already used by service ${clash.metadata.namespace}/${clash.metadata.name}`, { hint: 'choose another NodePort with --port' });
        }
      }
      d.addresses = o.advertiseAddress ? [o.advertiseAddress] : d.nodes.length ? apiserverAddresses(d.nodes) : [PLACEHOLDER_ADDRESS];
      d.placeholder = !o.advertiseAddress && !d.nodes.length;
      if (d.placeholder) d.warnings.push(`no cluster to read node addresses from: rendering with the placeholder address ${PLACEHOLDER_ADDRESS}; pass --karmada-apiserver-advertise-address for the real one`);
      if (!o.etcd.external.servers && o.etcd.storageMode === 'hostPath' && d.nodes.length) {
        if (Object.keys(o.etcd.nodeSelectorLabels).length) checkSelectedNodes(d.nodes, o.etcd.nodeSelectorLabels, { tolerateControlPlaneTaints: o.tolerateControlPlaneTaints });
        else d.etcdNode = selectEtcdNode(d.nodes, { tolerateControlPlaneTaints: o.tolerateControlPlaneTaints, program: d.ctx.program, dataPath: o.etcd.dataPath });
      }
      // An earlier run's PKI: local files first (a dry run reads the real directory, writes its own), else the cluster's karmada-cert secret.
      const names = PKI_NAMES.filter((n) => !(o.etcd.external.servers && n.startsWith('etcd-')));
      const realPkiDir = path.resolve(d.ctx.cwd, o.pkiDir);
      d.existingPki = await readPki(realPkiDir, names);
      d.existingPkiSource = realPkiDir;
      if (!d.existingPki && d.hostReachable) {
        const s = await d.host.get<K8sObject & { data?: Record<string, string> }>({ apiVersion: 'v1', kind: 'Secret', namespace: o.namespace, name: 'karmada-cert' });
        if (s?.data) {
          const dec = (k: string) => Buffer.from(s.data?.[k] ?? '', 'base64').toString('utf8');
          const b: PkiBundle = {};
          for (const n of names) if (dec(`${n}.crt`) || dec(`${n}.key`)) b[n] = { cert: dec(`${n}.crt`), key: dec(`${n}.key`) };
          if (Object.keys(b).length) {
            d.existingPki = b;
            d.existingPkiSource = `secret ${o.namespace}/karmada-cert`;
          }
        }
      }
      step.detail(
        [`${d.nodes.length} node(s)`, `apiserver ${d.addresses.join(',')}${d.placeholder ? ' (placeholder)' : ''}`, d.etcdNode ? `etcd on ${d.etcdNode.name}` : o.etcd.external.servers ? 'external etcd' : `etcd ${o.etcd.storageMode}`].join(', '),
      );
    },
  },
  {
    name: 'crds',
    title: 'Reading the CRDs',
    async run(d, step) {
      d.crds = await loadCrds(d.o.crds, {
        cwd: d.ctx.cwd,
        onProgress: (got, total) => step.update(total ? `downloading ${((got / total) * 100).toFixed(0)}%` : `downloading ${(got / 1024).toFixed(0)} KiB`),
      });
      step.detail(`${d.crds.crds.length} CRDs, ${d.crds.patches.length} patches (${d.crds.layout} layout)`);
    },
  },
  {
    name: 'certs',
    title: 'Preparing certificates',
    async run(d, step) {
      const po = pkiOptions(d);
      const { bundle, actions } = await preparePki(d.existingPki, po, d.keyPool, { rotateCa: d.o.certs.rotateCa, source: d.existingPkiSource });
      d.pki = bundle;
      d.pkiActions = actions;
      d.pkiReused = actions.every((a) => a.action === 'kept');
      const fresh = !d.existingPki || d.o.certs.rotateCa;
      if (d.o.certs.rotateCa && d.existingPki) {
        d.warnings.push(`the CAs were replaced (--rotate-ca): every certificate and kubeconfig was issued again; restart the control plane so every component loads them (kubectl -n ${d.o.namespace} rollout restart deployment,statefulset), and register again the member clusters and hand out again the kubeconfigs made with the old CA`);
      }
      const caEnd = Date.parse(new X509Certificate(d.pki!.ca!.cert).validTo);
      if (actions.some((a) => a.action === 'issued') && Date.now() + d.o.certs.validityMs > caEnd) {
        d.warnings.push(`--cert-validity-period reaches beyond the CA, which ends on ${new Date(caEnd).toISOString().slice(0, 10)}: the certificates issued now end with it`);
      }
      d.files.push(...(await writePki(d.pkiDir, d.pki!)));
      step.detail(
        fresh
          ? `generated ${Object.keys(d.pki!).length} key pairs in ${d.pkiDir}${d.o.certs.rotateCa && d.existingPki ? ' (--rotate-ca: new CAs)' : ''}`
          : d.pkiReused
            ? `reused the existing PKI in ${d.pkiDir}`
            : [
                `kept ${actions.filter((a) => a.action === 'kept').map((a) => a.name).join(', ') || 'nothing'}`,
                ...actions.filter((a) => a.action !== 'kept').map((a) => `${a.action === 'generated' ? 'generating' : 're-issuing'} ${a.name}.crt: ${a.reason}${a.keptKey ? ' (key kept)' : ''}`),
              ].join('; ') + ` (in ${d.pkiDir})`,
      );
      const server = serverUrl(d.addresses[0], d.o.port);
      d.kubeconfigText = adminKubeconfig({ server, caPem: d.pki!.ca!.cert, certPem: d.pki!.karmada!.cert, keyPem: d.pki!.karmada!.key });
      d.plan = render({
        options: d.o,
        images: d.images,
        pki: d.pki!,
        externalEtcd: d.externalEtcd,
        inClusterKubeconfig: inClusterKubeconfig({ namespace: d.o.namespace, domain: d.o.hostClusterDomain, caPem: d.pki!.ca!.cert, certPem: d.pki!.karmada!.cert, keyPem: d.pki!.karmada!.key }),
        clusterInfoKubeconfig: clusterInfoKubeconfig({ server, caPem: d.pki!.ca!.cert }),
      });
      if (d.o.dryRun) d.karmada = new RecordingClient({ server });
      else d.karmada = await KubeClient.create(await kubeconfigFromString(d.kubeconfigText, { source: 'karmada-apiserver (generated)' }), { log: makeLogger(d.ctx) });
    },
  },
  {
    // Before the first write to the cluster: a field an earlier run set that the API server will not
    // change (etcd's volumeClaimTemplates after a --etcd-storage-mode change, a selector, a Secret type)
    // stops init here with the command that clears the way, not halfway with a raw 422.
    name: 'immutable',
    title: 'Checking for changes the API server would refuse',
    async run(d, step) {
      if (d.o.dryRun || !d.hostReachable || !(await d.host.get({ apiVersion: 'v1', kind: 'Namespace', name: d.o.namespace }))) return step.detail('nothing installed to compare with');
      const p = d.plan!;
      const objs = [...p.hostNamespace, ...p.secrets, ...(d.o.etcd.external.servers ? [] : p.etcd), ...p.apiserver, ...p.components];
      d.live = await preflightImmutable(d.host, objs);
      step.detail(`${objs.length} objects compared`);
    },
  },
  {
    name: 'namespace',
    title: 'Creating the namespace',
    async run(d, step) {
      await ensureAll(d, 'host', 'namespace', d.plan!.hostNamespace, step);
      if (d.etcdNode && !d.etcdNode.reused) {
        await d.host.patch({ apiVersion: 'v1', kind: 'Node', name: d.etcdNode.name }, { metadata: { labels: { [ETCD_NODE_LABEL]: '' } } }, 'strategic');
      }
    },
  },
  { name: 'secrets', title: 'Storing certificates and kubeconfigs as secrets', run: (d, step) => ensureAll(d, 'host', 'secrets', d.plan!.secrets, step).then(() => undefined) },
  {
    name: 'etcd',
    title: 'Deploying etcd',
    skipIf: (d) => (d.o.etcd.external.servers ? 'external etcd' : undefined),
    run: (d, step) => ensureAll(d, 'host', 'etcd', d.plan!.etcd, step).then(() => undefined),
  },
  { name: 'apiserver', title: 'Deploying karmada-apiserver', run: (d, step) => ensureAll(d, 'host', 'apiserver', d.plan!.apiserver, step).then(() => undefined) },
  {
    name: 'wait-apiserver',
    title: 'Waiting for etcd and karmada-apiserver',
    skipIf: (d) => (d.o.dryRun ? 'dry run' : undefined),
    async run(d, step) {
      await waitWorkloads(d, [...(d.o.etcd.external.servers ? [] : [{ kind: 'StatefulSet' as const, name: 'etcd', app: 'etcd' }]), { kind: 'Deployment', name: 'karmada-apiserver', app: 'karmada-apiserver' }], 'control plane');
      // Ready in the cluster is not enough: init itself must reach it through the node port.
      const deadline = timeoutMs(d) > 0 ? Date.now() + timeoutMs(d) : Infinity;
      for (;;) {
        try {
          await d.karmada!.request('GET', '/readyz');
          break;
        } catch (e) {
          if (Date.now() > deadline) {
            throw new UserError(`karmada-apiserver is running but not reachable at ${serverUrl(d.addresses[0], d.o.port)}: ${(e as Error).message}`, {
              hint: 'check that this machine can reach the node address and port (firewall?), or pass --karmada-apiserver-advertise-address with a reachable node IP',
            });
          }
          await new Promise((r) => setTimeout(r, 500));
        }
      }
      step.detail(`reachable at ${serverUrl(d.addresses[0], d.o.port)}`);
    },
  },
  {
    name: 'karmada-resources',
    title: 'Installing CRDs, webhooks and the aggregated API into karmada-apiserver',
    async run(d, step) {
      const caBundle = Buffer.from(d.pki!.ca!.cert).toString('base64');
      await ensureAll(d, 'karmada', 'karmada-resources', d.plan!.karmadaNamespace, step);
      const crds = applyCrdPatches(d.crds!, { caBundle, namespace: d.o.namespace });
      const results = [
        ...(await ensureAll(d, 'karmada', 'karmada-resources', crds, step)),
        ...(await ensureAll(d, 'karmada', 'karmada-resources', [...d.plan!.webhookConfigs, ...d.plan!.aggregatedApiService], step)),
      ];
      if (!d.o.dryRun) {
        const names = crds.map((c) => c.metadata.name);
        await waitUntil(
          d.karmada!,
          { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' },
          (objs) => {
            const established = new Set(objs.filter((c: any) => (c.status?.conditions ?? []).some((x: any) => x.type === 'Established' && x.status === 'True')).map((c) => c.metadata.name));
            const pending = names.filter((n) => !established.has(n));
            return { ready: pending.length === 0, pending: pending.map((n) => `CRD ${n} not established`) };
          },
          { timeoutMs: timeoutMs(d), what: 'the CRDs to be established' },
        );
      }
      step.detail(`${summarize(results)}; ${crds.length} CRDs`);
    },
  },
  {
    name: 'components',
    title: 'Deploying aggregated-apiserver, kube-controller-manager, scheduler, controller-manager and webhook',
    run: (d, step) => ensureAll(d, 'host', 'components', d.plan!.components, step).then(() => undefined),
  },
  { name: 'bootstrap', title: 'Creating RBAC, bootstrap-token rules and cluster-info', run: (d, step) => ensureAll(d, 'karmada', 'bootstrap', d.plan!.rbac, step).then(() => undefined) },
  {
    name: 'wait-components',
    title: 'Waiting for every component and the aggregated API',
    skipIf: (d) => (d.o.dryRun ? 'dry run' : undefined),
    async run(d) {
      const apiService = waitUntil(
        d.karmada!,
        { apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', name: 'v1alpha1.cluster.karmada.io' },
        (objs): Readiness => {
          const c = (objs[0] as any)?.status?.conditions?.find((x: any) => x.type === 'Available');
          return { ready: c?.status === 'True', pending: [`APIService v1alpha1.cluster.karmada.io ${c ? `Available=${c.status}${c.message ? ` (${c.message})` : ''}` : 'has no status yet'}`] };
        },
        { timeoutMs: timeoutMs(d), what: 'the aggregated API' },
      );
      await Promise.all([
        waitWorkloads(
          d,
          [
            { kind: 'Deployment', name: 'karmada-aggregated-apiserver', app: 'karmada-aggregated-apiserver' },
            { kind: 'Deployment', name: 'kube-controller-manager', app: 'kube-controller-manager' },
            { kind: 'Deployment', name: 'karmada-scheduler', app: 'karmada-scheduler' },
            { kind: 'Deployment', name: 'karmada-controller-manager', app: 'karmada-controller-manager' },
            { kind: 'Deployment', name: 'karmada-webhook', app: 'karmada-webhook' },
          ],
          'components',
        ),
        apiService,
      ]);
    },
  },
  {
    name: 'kubeconfig',
    title: 'Writing the karmada kubeconfig',
    async run(d, step) {
      d.kubeconfigPath = path.join(d.dataDir, 'karmada-apiserver.config');
      await writeFileAtomic(d.kubeconfigPath, d.kubeconfigText!, 0o600);
      d.files.push(d.kubeconfigPath);
      step.detail(d.kubeconfigPath);
    },
  },
];

export const INIT_PHASES = PHASES.map((p) => p.name);

/** Runs `init`: options already validated. */
export async function runInit(ctx: Context, o: InitOptions, reporter: Reporter, runOpts: { skipPhases?: string[] } = {}): Promise<InitResult> {
  // Key generation starts before the first cluster round-trip and overlaps it.
  // On a re-run (a PKI is there) most keys are kept, so keys are made only when a pair is issued.
  const rerun = !o.dryRun && !o.certs.rotateCa && existsSync(path.join(path.resolve(ctx.cwd, o.pkiDir), 'ca.crt'));
  const keyPool = startKeyGeneration(undefined, o.certs.keyAlgorithm, { lazy: rerun });
  let host: KubeApi;
  let hostReachable = true;
  const dryRunDir = o.dryRun ? (o.dryRunDir ? path.resolve(ctx.cwd, o.dryRunDir) : await mkdtemp(path.join(os.tmpdir(), 'karmadactl-dry-run-'))) : '';
  // A refused dry run leaves nothing behind: its temporary directory, or a --dry-run-dir it created.
  const ownDryRunDir = o.dryRun && (!o.dryRunDir || !existsSync(dryRunDir));
  if (o.dryRun) {
    // A dry run reads the host cluster when it can (read-only) and renders without one when it cannot.
    let readThrough: KubeApi | undefined;
    try {
      readThrough = (await connect(ctx, { path: o.kubeconfig || undefined, context: o.context || undefined, purpose: 'host cluster' }, { retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 }, timeoutMs: 5000 })).client;
      await readThrough.list('v1', 'Namespace');
    } catch (e) {
      readThrough = undefined;
      hostReachable = false;
      reporter.info(`no host cluster reachable (${(e as Error).message}); rendering without one`);
    }
    host = new RecordingClient({ readThrough });
  } else {
    host = (await connect(ctx, { path: o.kubeconfig || undefined, context: o.context || undefined, purpose: 'host cluster' })).client;
  }
  const d: InitData = {
    ctx,
    o,
    reporter,
    host,
    hostReachable,
    keyPool,
    images: resolveImages(o.images),
    pkiDir: o.dryRun ? path.join(dryRunDir, 'pki') : path.resolve(ctx.cwd, o.pkiDir),
    dataDir: o.dryRun ? dryRunDir : path.resolve(ctx.cwd, o.dataDir),
    nodes: [],
    addresses: [],
    placeholder: false,
    changes: [],
    warnings: [],
    files: [],
  };
  try {
    await runPhases(PHASES, d, reporter, { skip: runOpts.skipPhases });
  } catch (e) {
    if (ownDryRunDir) await rm(dryRunDir, { recursive: true, force: true }).catch(() => undefined);
    throw e;
  } finally {
    for (const c of [d.host, d.karmada]) if (c instanceof KubeClient) c.close();
    if (host instanceof RecordingClient) (host as unknown as { readThrough?: KubeClient }).readThrough?.close?.();
  }
  const count = (t: 'host' | 'karmada') => {
    const m: Record<string, number> = { created: 0, updated: 0, unchanged: 0 };
    for (const c of d.changes) if (c.target === t) m[c.action]++;
    return m;
  };
  const changes = { host: count('host'), karmada: count('karmada') };
  return {
    version: KARMADA_VERSION,
    namespace: o.namespace,
    server: serverUrl(d.addresses[0], o.port),
    kubeconfig: d.kubeconfigPath ?? '',
    pkiDir: d.pkiDir,
    pkiReused: Boolean(d.pkiReused),
    pkiIssued: (d.pkiActions ?? []).filter((a) => a.action !== 'kept').map((a) => a.name),
    dryRun: o.dryRun,
    hostRead: hostReachable,
    placeholderAddress: d.placeholder,
    changed: changes.host.created + changes.host.updated + changes.karmada.created + changes.karmada.updated > 0 || !d.pkiReused,
    changes,
    warnings: d.warnings,
    files: d.files,
    objects: o.dryRun ? { host: (d.host as RecordingClient).objects(), karmada: (d.karmada as RecordingClient).objects() } : undefined,
  };
}
