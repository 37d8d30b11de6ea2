import { createHash } from 'node:crypto';
import { LIMITS, readFileBounded } from '../util/fsx';
import { stringify } from 'yaml';
import type { Context } from '../context';
import { UsageError, UserError } from '../errors';
import type { KubeApi } from '../kube/api';
import type { KubeClient } from '../kube/client';
import type { K8sObject } from '../kube/types';

import { waitUntil, workloadReadiness } from '../kube/wait';
import { diagnosePods, formatProblems, isPullProblem } from '../kube/diagnose';
import { createReporter, phaseRunner } from '../ui/progress';
import { printData } from '../ui/output';
import { confirm } from '../ui/prompt';
import { KARMADA_VERSION } from '../version';
import { DESCHEDULER, ESTIMATOR, METRICS_ADAPTER, METRICS_APISERVICES, SEARCH, SEARCH_APISERVICE, deschedulerObjects, estimatorObjects, metricsAdapterObjects, searchObjects, type AddonSettings } from './manifests';

/** Enable order (the reference's is random): estimator first, so scheduler and descheduler find it. */
export const ADDONS = [ESTIMATOR, SEARCH, METRICS_ADAPTER, DESCHEDULER] as const;
export type AddonName = (typeof ADDONS)[number];

export interface CommonOptions {
  namespace: string;
  kubeconfig: string;
  context: string;
  karmadaKubeconfig: string;
  karmadaContext: string;
  cluster: string;
}

export interface EnableOptions extends CommonOptions {
  privateImageRegistry: string;
  podTimeoutMs: number;
  apiserviceTimeoutMs: number;
  memberKubeconfig: string;
  memberContext: string;
  hostClusterDomain: string;
  images: Record<AddonName, string>;
  replicas: Record<AddonName, number>;
  priorityClasses: Record<AddonName, string>;
}

export function commonOptions(f: Record<string, unknown>): CommonOptions {
  return {
    namespace: String(f.namespace || 'karmada-system'),
    kubeconfig: String(f.kubeconfig ?? ''),
    context: String(f.context ?? ''),
    karmadaKubeconfig: String(f['karmada-kubeconfig'] || '/etc/karmada/karmada-apiserver.config'),
    karmadaContext: String(f['karmada-context'] ?? ''),
    cluster: String(f.cluster ?? ''),
  };
}

const defaultImage = (a: AddonName) => `docker.io/karmada/${a}:${KARMADA_VERSION}`;

export function enableOptions(f: Record<string, unknown>, explicit: Set<string>): EnableOptions {
  const reg = String(f['private-image-registry'] ?? '').replace(/\/+$/, '');
  const imageFlag: Record<AddonName, string> = { [SEARCH]: 'karmada-search-image', [DESCHEDULER]: 'karmada-descheduler-image', [ESTIMATOR]: 'karmada-scheduler-estimator-image', [METRICS_ADAPTER]: 'karmada-metrics-adapter-image' };
  const images = Object.fromEntries(ADDONS.map((a) => [a, reg && !explicit.has(imageFlag[a]) ? `${reg}/${a}:${KARMADA_VERSION}` : String(f[imageFlag[a]] || defaultImage(a))])) as Record<AddonName, string>;
  const seconds = (name: string) => {
    const v = Number(f[name]);
    if (!Number.isInteger(v) || v <= 0) throw new UsageError(`--${name} must be a positive number of seconds, got ${String(f[name])}`, { hint: `e.g. --${name} 120` });
    return v * 1000;
  };
  return {
    ...commonOptions(f),
    privateImageRegistry: reg,
    podTimeoutMs: seconds('pod-timeout'),
    apiserviceTimeoutMs: seconds('apiservice-timeout'),
    memberKubeconfig: String(f['member-kubeconfig'] ?? ''),
    memberContext: String(f['member-context'] ?? ''),
    hostClusterDomain: String(f['host-cluster-domain'] || 'cluster.local'),
    images,
    replicas: { [SEARCH]: Number(f['karmada-search-replicas'] ?? 1), [DESCHEDULER]: Number(f['karmada-descheduler-replicas'] ?? 1), [ESTIMATOR]: Number(f['karmada-estimator-replicas'] ?? 1), [METRICS_ADAPTER]: Number(f['karmada-metrics-adapter-replicas'] ?? 1) },
    priorityClasses: { [SEARCH]: String(f['search-priority-class'] ?? 'system-node-critical'), [DESCHEDULER]: String(f['descheduler-priority-class'] ?? 'system-node-critical'), [ESTIMATOR]: String(f['estimator-priority-class'] ?? 'system-node-critical'), [METRICS_ADAPTER]: String(f['metrics-adapter-priority-class'] ?? 'system-node-critical') },
  };
}

/** Names → addons in the fixed order; `all` is every addon (the estimator only with -C). */
export function resolveNames(args: string[], cluster: string, verb: 'enable' | 'disable'): AddonName[] {
  if (!args.length) throw new UsageError('addonNames must be not be null', { hint: `name one or more of ${ADDONS.join(', ')}, or all` });
  for (const a of args) if (a !== 'all' && !(ADDONS as readonly string[]).includes(a)) throw new UsageError(`addon ${a} is not be supported now`, { hint: `supported addons: ${[...ADDONS].sort().join(', ')}, all` });
  const all = args.includes('all');
  if (args.includes(ESTIMATOR) && !cluster) {
    throw new UsageError(`member cluster is needed when ${verb} karmada-scheduler-estimator`, { hint: verb === 'enable' ? 'use `--cluster=member1 --member-kubeconfig /root/.kube/member1.config --member-context member1`' : 'use `--cluster=member1`' });
  }
  if (cluster && !all && !args.includes(ESTIMATOR)) throw new UsageError(`cluster is needed only when ${verb} karmada-scheduler-estimator or ${verb} all`, { hint: 'drop --cluster, or add karmada-scheduler-estimator' });
  return ADDONS.filter((a) => (all ? a !== ESTIMATOR || Boolean(cluster) : args.includes(a)));
}

const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

async function connectHost(ctx: Context, o: CommonOptions): Promise<KubeClient> {
  const { connect } = await import('../kube/factory');
  return (await connect(ctx, { path: o.kubeconfig, context: o.context, purpose: 'host cluster' })).client;
}

async function connectKarmadaApi(ctx: Context, o: CommonOptions): Promise<KubeClient> {
  const { connect } = await import('../kube/factory');
  return (await connect(ctx, { path: o.karmadaKubeconfig, context: o.karmadaContext, flagNames: { kubeconfig: '--karmada-kubeconfig', context: '--karmada-context' }, purpose: 'Karmada control plane' })).client;
}

/** `kubectl config view --minify --flatten` of the member context: one cluster, user and context, files inlined. */
async function minifiedMemberKubeconfig(ctx: Context, path: string, context: string): Promise<{ text: string; contextName: string; client: KubeClient }> {
  const { connect } = await import('../kube/factory');
  const { client, config } = await connect(ctx, { path, context, flagNames: { kubeconfig: '--member-kubeconfig', context: '--member-context' }, purpose: 'member cluster' });
  const kc = config.kc;
  const cluster = kc.getCurrentCluster()!;
  const user = kc.getCurrentUser();
  const ctxObj = kc.getContextObject(config.context)!;
  const b64file = async (f?: string) => (f ? (await readFileBounded(f, { limit: LIMITS.pem, what: 'member kubeconfig file' })).toString('base64') : undefined);
  const c: Record<string, unknown> = { server: cluster.server };
  const ca = cluster.caData ?? (await b64file(cluster.caFile));
  if (ca) c['certificate-authority-data'] = ca;
  if (cluster.skipTLSVerify) c['insecure-skip-tls-verify'] = true;
  if (cluster.tlsServerName) c['tls-server-name'] = cluster.tlsServerName;
  const u: Record<string, unknown> = {};
  if (user) {
    const cert = user.certData ?? (await b64file(user.certFile));
    const key = user.keyData ?? (await b64file(user.keyFile));
    if (cert) u['client-certificate-data'] = cert;
    if (key) u['client-key-data'] = key;
    if (user.token) u.token = user.token;
    if (user.username) u.username = user.username;
    if (user.password) u.password = user.password;
    if (user.exec) u.exec = user.exec;
  }
  const text = stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: ctxObj.cluster, cluster: c }],
    users: [{ name: ctxObj.user, user: u }],
    contexts: [{ name: config.context, context: { cluster: ctxObj.cluster, user: ctxObj.user, ...(ctxObj.namespace ? { namespace: ctxObj.namespace } : {}) } }],
    'current-context': config.context,
  });
  return { text, contextName: config.context, client };
}

interface EnableResult {
  enabled: { addon: string; cluster?: string }[];
  wiring: string[];
}

export async function runEnable(ctx: Context, args: string[], o: EnableOptions): Promise<EnableResult> {
  const names = resolveNames(args, o.cluster, 'enable');
  if (o.cluster) {
    if (!o.memberKubeconfig) throw new UsageError('member config is needed when enable karmada-scheduler-estimator', { hint: `use --cluster=${o.cluster} --member-kubeconfig /root/.kube/member.config --member-context ${o.cluster}` });
    if (!DNS1035.test(o.cluster) || `${ESTIMATOR}-${o.cluster}`.length > 63) throw new UsageError(`--cluster ${o.cluster}: the Service name ${ESTIMATOR}-${o.cluster} must be a DNS-1035 label of at most 63 characters`, { hint: 'use a cluster name of at most 35 lowercase letters, digits and -' });
  } else if (args.includes('all')) {
    // as the reference: `all` without -C skips the estimator
  }
  const reporter = await createReporter(ctx);
  const host = await connectHost(ctx, o);
  const needKarmada = names.some((n) => n === SEARCH || n === METRICS_ADAPTER || n === ESTIMATOR);
  const karmada = needKarmada ? await connectKarmadaApi(ctx, o) : undefined;
  let member: Awaited<ReturnType<typeof minifiedMemberKubeconfig>> | undefined;
  const result: EnableResult = { enabled: [], wiring: [] };
  const ns = o.namespace;
  let tolerations: object[] = [];
  const settings = (a: AddonName): AddonSettings => ({ namespace: ns, hostClusterDomain: o.hostClusterDomain, image: o.images[a], replicas: o.replicas[a], priorityClass: o.priorityClasses[a], tolerations });
  const phase = phaseRunner(reporter);
  try {
    // Everything is checked before the first write.
    const pre = await phase('preflight', 'Checking the host cluster, the control plane and the member', async (s) => {
      const secret = async (name: string) => {
        const got = await host.get<K8sObject & { data?: Record<string, string> }>({ apiVersion: 'v1', kind: 'Secret', namespace: ns, name });
        if (!got) throw new UserError(`secrets \`${name}\` is not found in namespace ${ns}, please execute ${ctx.program} init to deploy karmada first`, { hint: `check -n/--namespace (${ns}) and --kubeconfig/--context of the host cluster` });
        return got;
      };
      const cert = await secret('karmada-cert');
      for (const n of names) if (n !== ESTIMATOR) await secret(`${n}-config`);
      if (karmada && !(await karmada.get({ apiVersion: 'v1', kind: 'Namespace', name: ns }))) {
        throw new UserError(`namespace ${ns} does not exist in the Karmada control plane at ${karmada.server}`, { hint: `check --karmada-kubeconfig/--karmada-context and -n` });
      }
      // Addons run where the control plane runs: a single tainted control-plane node included.
      const api = await host.get<K8sObject & { spec?: { template?: { spec?: { tolerations?: object[] } } } }>({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: 'karmada-apiserver' });
      tolerations = api?.spec?.template?.spec?.tolerations ?? [];
      let etcd = { servers: '', prefix: '' };
      if (names.includes(SEARCH)) etcd = await etcdEndpoints(host, ns, o.hostClusterDomain);
      if (o.cluster && names.includes(ESTIMATOR)) {
        member = await minifiedMemberKubeconfig(ctx, o.memberKubeconfig, o.memberContext);
        for (const [what, list] of [['nodes', () => member!.client.list('v1', 'Node')], ['pods', () => member!.client.list('v1', 'Pod')]] as const) {
          try {
            await list();
          } catch (e) {
            throw new UserError(`failed to get ${what} from cluster ${o.cluster} with member-kubeconfig and member-context: ${(e as Error).message}`, { hint: 'check the Role or ClusterRole of the user in --member-kubeconfig (the estimator needs to list nodes and pods)' });
          }
        }
      }
      s.detail(names.join(', '));
      return { caBundle: cert.data?.['ca.crt'] ?? '', etcd };
    });

    for (const name of names) {
      const label = name === ESTIMATOR ? `${name} for member cluster ${o.cluster}` : name;
      await phase(name, `Enabling ${label}`, async (s) => {
        const objs =
          name === SEARCH ? searchObjects(settings(name), pre.etcd, pre.caBundle)
          : name === METRICS_ADAPTER ? metricsAdapterObjects(settings(name), pre.caBundle)
          : name === DESCHEDULER ? deschedulerObjects(settings(name))
          : estimatorObjects(settings(name), o.cluster, member!.text, createHash('sha256').update(member!.text).digest('hex').slice(0, 16));
        const counts = { created: 0, updated: 0, unchanged: 0 };
        for (const obj of objs.host) counts[(await host.ensure(obj)).action]++;
        const deployment = objs.host.find((x) => x.kind === 'Deployment')!;
        await waitRollout(host, deployment, o.podTimeoutMs, ctx.program);
        for (const obj of objs.karmada) counts[(await karmada!.ensure(obj)).action]++;
        const apiServices = objs.karmada.filter((x) => x.kind === 'APIService').map((x) => x.metadata.name);
        // In parallel: the worst case is one timeout, not three.
        await Promise.all(apiServices.map((a) => waitApiService(karmada!, a, o.apiserviceTimeoutMs)));
        if (name === ESTIMATOR || name === DESCHEDULER) result.wiring.push(...(await wireEstimators(host, ns, name === ESTIMATOR ? ['karmada-scheduler', DESCHEDULER] : [], o.podTimeoutMs, ctx.program)));
        result.enabled.push({ addon: name, ...(name === ESTIMATOR ? { cluster: o.cluster } : {}) });
        s.detail(Object.entries(counts).filter(([, v]) => v).map(([k, v]) => `${k} ${v}`).join(', '));
      });
    }
  } finally {
    host.close();
    karmada?.close();
    member?.client.close();
  }
  for (const w of result.wiring) reporter.info(w);
  return result;
}

/** search's etcd: the StatefulSet's members, or the apiserver's --etcd-servers/--etcd-prefix for external etcd. */
async function etcdEndpoints(host: KubeApi, ns: string, domain: string): Promise<{ servers: string; prefix: string }> {
  const sts = await host.get<K8sObject & { spec?: { replicas?: number } }>({ apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: ns, name: 'etcd' });
  if (sts) return { servers: Array.from({ length: sts.spec?.replicas ?? 1 }, (_, i) => `https://etcd-${i}.etcd.${ns}.svc.${domain}:2379`).join(','), prefix: '' };
  const api = await host.get<K8sObject & { spec?: { template?: { spec?: { containers?: { name: string; command?: string[] }[] } } } }>({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: 'karmada-apiserver' });
  const cmd = api?.spec?.template?.spec?.containers?.find((c) => c.name === 'karmada-apiserver')?.command ?? [];
  const val = (f: string) => cmd.find((a) => a.startsWith(`--${f}=`))?.slice(f.length + 3) ?? '';
  const servers = val('etcd-servers');
  if (!servers) throw new UserError(`cannot find the etcd of the control plane: no StatefulSet etcd and no --etcd-servers on karmada-apiserver in namespace ${ns}`, { hint: 'check -n/--namespace and the host kubeconfig' });
  return { servers, prefix: val('etcd-prefix') };
}

async function waitRollout(host: KubeApi, d: K8sObject, timeoutMs: number, program: string): Promise<void> {
  const ns = d.metadata.namespace!;
  const app = ((d.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels as Record<string, string>).app;
  let problems: Awaited<ReturnType<typeof diagnosePods>> = [];
  await waitUntil<K8sObject>(host, { apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: d.metadata.name }, (objs) => {
    const r = objs[0] ? workloadReadiness(objs[0] as never) : { ready: false, detail: `deployment ${d.metadata.name}: not found` };
    return { ready: r.ready, pending: [r.detail] };
  }, {
    timeoutMs,
    what: `Deployment(${ns}/${d.metadata.name}) rollout`,
    explain: async () => {
      problems = await diagnosePods(host, ns, `app=${app}`);
      return problems.length ? formatProblems(problems) : undefined;
    },
    hint: `raise --pod-timeout for a slow start; pods: kubectl -n ${ns} describe pods -l app=${app}`,
  }).catch((e) => {
    if (problems.some(isPullProblem)) (e as { hint?: string }).hint = `images cannot be pulled: re-run '${program} addons enable' with --private-image-registry REGISTRY or the --*-image flags (re-running is safe)`;
    else if (problems.some((p) => p.reason === 'Unschedulable')) (e as { hint?: string }).hint = `no node accepts the pods: check the node taints and capacity (kubectl describe nodes); re-running is safe`;
    throw e;
  });
}

async function waitApiService(karmada: KubeApi, name: string, timeoutMs: number): Promise<void> {
  type Svc = K8sObject & { status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[] } };
  await waitUntil<Svc>(karmada, { apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', name }, (objs) => {
    const c = objs[0]?.status?.conditions?.find((x) => x.type === 'Available');
    return { ready: c?.status === 'True', pending: [`APIService ${name}: Available=${c?.status ?? 'Unknown'}${c?.message ? ` (${c.message})` : ''}`] };
  }, { timeoutMs, what: `APIService ${name} to become available`, hint: 'check the addon pods and that karmada-apiserver can reach their Service; --apiservice-timeout waits longer' });
}

/**
 * Makes karmada-scheduler (and the descheduler) use the estimators: the reference leaves this to the
 * user. Adds what is missing from their command lines — the enable flag, the certificate flags and
 * the service namespace when it is not the default — and waits for the rollout.
 */
async function wireEstimators(host: KubeApi, ns: string, deployments: string[], timeoutMs: number, program: string): Promise<string[]> {
  const notes: string[] = [];
  for (const name of deployments) {
    const ref = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name };
    const d = await host.get<K8sObject & { spec: { template: { spec: { containers: { command?: string[] }[] } } } }>(ref);
    if (!d) continue;
    const cmd = [...(d.spec.template.spec.containers[0]?.command ?? [])];
    const want: [string, string][] = [
      ...(name === 'karmada-scheduler' ? ([['enable-scheduler-estimator', 'true']] as [string, string][]) : []),
      ['scheduler-estimator-ca-file', '/etc/karmada/pki/ca.crt'],
      ['scheduler-estimator-cert-file', '/etc/karmada/pki/karmada.crt'],
      ['scheduler-estimator-key-file', '/etc/karmada/pki/karmada.key'],
      ...(ns !== 'karmada-system' ? ([['scheduler-estimator-service-namespace', ns]] as [string, string][]) : []),
    ];
    const added: string[] = [];
    for (const [flag, value] of want) {
      const i = cmd.findIndex((a) => a === `--${flag}` || a.startsWith(`--${flag}=`));
      if (i === -1) {
        cmd.push(`--${flag}=${value}`);
        added.push(`--${flag}=${value}`);
      } else if (flag === 'enable-scheduler-estimator' && cmd[i] !== `--${flag}=true` && cmd[i] !== `--${flag}`) {
        cmd[i] = `--${flag}=true`;
        added.push(cmd[i]);
      } else if (flag === 'scheduler-estimator-service-namespace' && cmd[i] !== `--${flag}=${value}`) {
        cmd[i] = `--${flag}=${value}`;
        added.push(cmd[i]);
      }
    }
    if (!added.length) continue;
    await host.patch(ref, [{ op: 'test', path: '/metadata/resourceVersion', value: d.metadata.resourceVersion }, { op: 'replace', path: '/spec/template/spec/containers/0/command', value: cmd }], 'json');
    await waitRollout(host, { ...d, metadata: { ...d.metadata } } as K8sObject, timeoutMs, program);
    notes.push(`${name} now uses the scheduler estimators: ${added.join(' ')}`);
  }
  return notes;
}

// ------------------------------------------------------------------------------------- disable

export async function runDisable(ctx: Context, args: string[], o: CommonOptions & { force: boolean }): Promise<{ removed: string[]; skipped: string[]; aborted: boolean }> {
  const names = resolveNames(args, o.cluster, 'disable').reverse();
  ctx.stdout.write(`Disable Karmada addon [${args.join(' ')}]\n`);
  if (!o.force && !(await confirm(ctx))) {
    ctx.stdout.write('aborted: nothing was removed\n');
    return { removed: [], skipped: [], aborted: true };
  }
  const host = await connectHost(ctx, o);
  const needKarmada = names.some((n) => n !== DESCHEDULER);
  const karmada = needKarmada ? await connectKarmadaApi(ctx, o) : undefined;
  const removed: string[] = [];
  const skipped: string[] = [];
  const ns = o.namespace;
  try {
    for (const name of names) {
      const refs: [KubeApi, K8sObject['metadata'] & { apiVersion: string; kind: string }, string][] = [];
      const h = (apiVersion: string, kind: string, n: string) => refs.push([host, { apiVersion, kind, name: n, namespace: ns }, 'host']);
      const k = (apiVersion: string, kind: string, n: string, namespaced = true) => refs.push([karmada!, { apiVersion, kind, name: n, ...(namespaced ? { namespace: ns } : {}) }, 'karmada']);
      if (name === SEARCH) {
        h('v1', 'Service', SEARCH);
        h('apps/v1', 'Deployment', SEARCH);
        k('v1', 'Service', SEARCH);
        k('apiregistration.k8s.io/v1', 'APIService', SEARCH_APISERVICE, false);
      } else if (name === METRICS_ADAPTER) {
        h('v1', 'Service', METRICS_ADAPTER);
        h('apps/v1', 'Deployment', METRICS_ADAPTER);
        k('v1', 'Service', METRICS_ADAPTER);
        for (const a of METRICS_APISERVICES) k('apiregistration.k8s.io/v1', 'APIService', a, false);
      } else if (name === DESCHEDULER) {
        h('apps/v1', 'Deployment', DESCHEDULER);
      } else {
        h('apps/v1', 'Deployment', `${ESTIMATOR}-${o.cluster}`);
        h('v1', 'Service', `${ESTIMATOR}-${o.cluster}`);
        h('v1', 'Secret', `${o.cluster}-kubeconfig`);
        k('v1', 'Service', `${ESTIMATOR}-${o.cluster}`);
      }
      for (const [client, ref, side] of refs) {
        const what = `${side}: ${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
        if (await client.delete(ref as never)) removed.push(what);
        else skipped.push(what);
      }
    }
  } finally {
    host.close();
    karmada?.close();
  }
  for (const r of removed) ctx.stdout.write(`deleted ${r}\n`);
  for (const s of skipped) ctx.stdout.write(`not found, skipped ${s}\n`);
  ctx.stdout.write(`Karmada addon [${names.join(' ')}] disabled\n`);
  return { removed, skipped, aborted: false };
}

// ---------------------------------------------------------------------------------------- list

export type AddonStatus = 'enabled' | 'disabled' | 'unhealthy' | 'unknown';
export interface AddonRow {
  addon: string;
  cluster?: string;
  status: AddonStatus;
  error?: string;
}

export async function listAddons(ctx: Context, o: CommonOptions): Promise<AddonRow[]> {
  const ns = o.namespace;
  const host = await connectHost(ctx, o);
  let karmada: KubeClient | undefined;
  let karmadaError: string | undefined;
  try {
    karmada = await connectKarmadaApi(ctx, o);
  } catch (e) {
    karmadaError = (e as Error).message;
  }
  type Dep = K8sObject & { status?: { replicas?: number; readyReplicas?: number; availableReplicas?: number }; spec?: { replicas?: number } };
  // An unreachable host cluster fails the command (every row would be "unknown"); one failing check does not.
  const { KubeConnectionError, KubeTimeoutError, NotKubeServerError } = await import('../kube/errors');
  const hostDown = (e: unknown) => e instanceof KubeConnectionError || e instanceof KubeTimeoutError || e instanceof NotKubeServerError;
  const onHost = <T>(p: Promise<T>): Promise<T> => p.catch((e) => {
    throw hostDown(e) ? Object.assign(e as object, { hostUnreachable: true }) : e;
  });
  const deploymentStatus = async (name: string): Promise<AddonStatus> => {
    const d = await onHost(host.get<Dep>({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name }));
    if (!d) return 'disabled';
    const r = workloadReadiness(d as never);
    return r.ready ? 'enabled' : 'unhealthy';
  };
  const apiServiceStatus = async (names: string[]): Promise<AddonStatus> => {
    if (!karmada) throw new Error(`cannot check the APIServices: ${karmadaError}`);
    const got = await Promise.all(names.map((n) => karmada!.get<K8sObject & { status?: { conditions?: { type: string; status: string }[] } }>({ apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', name: n })));
    if (got.every((g) => !g)) return 'disabled';
    if (got.some((g) => !g)) return 'unhealthy';
    return got.every((g) => g!.status?.conditions?.some((c) => c.type === 'Available' && c.status === 'True')) ? 'enabled' : 'unhealthy';
  };
  const row = async (addon: string, check: () => Promise<AddonStatus>, cluster?: string): Promise<AddonRow> => {
    try {
      return { addon, ...(cluster ? { cluster } : {}), status: await check() };
    } catch (e) {
      if ((e as { hostUnreachable?: boolean }).hostUnreachable) throw e;
      return { addon, ...(cluster ? { cluster } : {}), status: 'unknown', error: (e as Error).message };
    }
  };
  /** Deployment and APIServices: all there and healthy → enabled, none → disabled, anything between → unhealthy. */
  const both = (dep: string, apis: string[]) => async (): Promise<AddonStatus> => {
    const d = await deploymentStatus(dep);
    const a = await apiServiceStatus(apis).catch((e) => {
      if (d === 'disabled') return 'disabled' as const;
      throw e;
    });
    if (d === 'disabled' && a === 'disabled') return 'disabled';
    return d === 'enabled' && a === 'enabled' ? 'enabled' : 'unhealthy';
  };
  try {
    const rows: AddonRow[] = [];
    rows.push(await row(DESCHEDULER, () => deploymentStatus(DESCHEDULER)));
    rows.push(await row(METRICS_ADAPTER, both(METRICS_ADAPTER, METRICS_APISERVICES)));
    if (o.cluster) rows.push(await row(ESTIMATOR, () => deploymentStatus(`${ESTIMATOR}-${o.cluster}`), o.cluster));
    else {
      // Without -C: every estimator there is, one row per member cluster (the reference prints "unknown").
      try {
        const deps = (await onHost(host.list<Dep>('apps/v1', 'Deployment', { namespace: ns }))).items.filter((d) => d.metadata.name.startsWith(`${ESTIMATOR}-`));
        if (!deps.length) rows.push({ addon: ESTIMATOR, status: 'disabled' });
        for (const d of deps.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))) {
          rows.push({ addon: ESTIMATOR, cluster: d.metadata.name.slice(ESTIMATOR.length + 1), status: workloadReadiness(d as never).ready ? 'enabled' : 'unhealthy' });
        }
      } catch (e) {
        if ((e as { hostUnreachable?: boolean }).hostUnreachable) throw e;
        rows.push({ addon: ESTIMATOR, status: 'unknown', error: (e as Error).message });
      }
    }
    rows.push(await row(SEARCH, both(SEARCH, [SEARCH_APISERVICE])));
    return rows;
  } finally {
    host.close();
    karmada?.close();
  }
}

/** The reference's tablewriter layout: full borders, centred upper-case headers, left-aligned cells. */
export function borderedTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const rule = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`;
  const centre = (s: string, w: number) => {
    const gap = w - s.length;
    return ' '.repeat(Math.floor(gap / 2)) + s + ' '.repeat(gap - Math.floor(gap / 2));
  };
  const line = (cells: string[], f: (s: string, w: number) => string) => `| ${cells.map((c, i) => f(c, widths[i])).join(' | ')} |`;
  return [rule, line(headers, centre), rule, ...rows.map((r) => line(r, (s, w) => s.padEnd(w))), rule].join('\n') + '\n';
}

export async function runList(ctx: Context, o: CommonOptions, output: '' | 'json' | 'yaml'): Promise<number> {
  const rows = await listAddons(ctx, o);
  for (const r of rows) if (r.error) ctx.stderr.write(`warning: ${r.addon}${r.cluster ? ` (${r.cluster})` : ''}: ${r.error}\n`);
  if (output) await printData(ctx, { addons: rows }, output);
  else ctx.stdout.write(borderedTable(['ADDON NAME', 'STATUS'], rows.map((r) => [r.cluster ? `${r.addon} (${r.cluster})` : r.addon, r.status])));
  return 0;
}



