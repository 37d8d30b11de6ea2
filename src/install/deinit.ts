import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Context } from '../context';
import { UsageError, UserError } from '../errors';
import type { KubeApi } from '../kube/api';
import type { K8sObject, ObjectRef } from '../kube/types';
import { refOf } from '../kube/types';
import { waitUntil } from '../kube/wait';
import { confirm } from '../ui/prompt';
import { parseOutputFormat, printData } from '../ui/output';
import { ADDON_LABEL, DESCHEDULER, ESTIMATOR, METRICS_ADAPTER, SEARCH } from '../addons/manifests';
import { PKI_NAMES } from './pki';
import { ETCD_NODE_LABEL } from './nodes';
import * as V from '../util/validate';

export interface DeinitOptions {
  namespace: string;
  kubeconfig: string;
  context: string;
  dryRun: boolean;
  force: boolean;
  purgeNamespace: boolean;
  deleteEtcdData: boolean;
  deleteLocalFiles: boolean;
  karmadaData: string;
  karmadaPki: string;
  cleanupImage: string;
  timeoutMs: number;
  output: '' | 'json' | 'yaml';
}

export interface DeinitPlan {
  namespace: string;
  objects: string[];
  nodeLabels: string[];
  etcdData?: { node: string; path: string };
  files: string[];
}

type Sts = K8sObject & { spec?: { template?: { spec?: { volumes?: { name: string; hostPath?: { path: string } }[]; nodeSelector?: Record<string, string> } } } };

const ADDON_DEPLOYMENTS = [SEARCH, METRICS_ADAPTER, DESCHEDULER];

/** What deinit removes: init's objects (karmada.io/bootstrapping), the addons' objects, node labels, optionally data and files. */
async function plan(host: KubeApi, o: DeinitOptions): Promise<{ plan: DeinitPlan; refs: ObjectRef[]; nodes: string[] }> {
  const ns = o.namespace;
  const refs: ObjectRef[] = [];
  const add = (apiVersion: string, kind: string, items: K8sObject[]) => {
    for (const i of items) if (!refs.some((r) => r.kind === kind && r.name === i.metadata.name)) refs.push({ apiVersion, kind, name: i.metadata.name, namespace: ns });
  };
  const byLabel = async (apiVersion: string, kind: string, labelSelector: string) => (await host.list(apiVersion, kind, { namespace: ns, labelSelector })).items;
  // Workloads first (they stop using the rest), then Services, Secrets and claims.
  for (const [apiVersion, kind] of [['apps/v1', 'Deployment'], ['apps/v1', 'StatefulSet'], ['v1', 'Service'], ['v1', 'Secret'], ['v1', 'PersistentVolumeClaim']] as const) {
    add(apiVersion, kind, await byLabel(apiVersion, kind, 'karmada.io/bootstrapping'));
    add(apiVersion, kind, await byLabel(apiVersion, kind, ADDON_LABEL));
  }
  // Addon objects made by the reference carry no label: known names.
  const all = async (apiVersion: string, kind: string) => (await host.list(apiVersion, kind, { namespace: ns })).items;
  const deps = await all('apps/v1', 'Deployment');
  add('apps/v1', 'Deployment', deps.filter((d) => ADDON_DEPLOYMENTS.includes(d.metadata.name) || d.metadata.name.startsWith(`${ESTIMATOR}-`)));
  const svcs = await all('v1', 'Service');
  add('v1', 'Service', svcs.filter((s) => ADDON_DEPLOYMENTS.includes(s.metadata.name) || s.metadata.name.startsWith(`${ESTIMATOR}-`)));
  const estimatorClusters = [...deps, ...svcs].filter((x) => x.metadata.name.startsWith(`${ESTIMATOR}-`)).map((x) => x.metadata.name.slice(ESTIMATOR.length + 1));
  const secrets = await all('v1', 'Secret');
  add('v1', 'Secret', secrets.filter((s) => estimatorClusters.some((c) => s.metadata.name === `${c}-kubeconfig`)));
  // The claims of the etcd StatefulSet's template (PVC mode).
  const sts = await host.get<Sts>({ apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: ns, name: 'etcd' });
  const pvcs = await all('v1', 'PersistentVolumeClaim');
  add('v1', 'PersistentVolumeClaim', pvcs.filter((p) => /-etcd-\d+$/.test(p.metadata.name) && p.metadata.labels?.app === 'etcd'));
  const nodes = (await host.list('v1', 'Node', { labelSelector: ETCD_NODE_LABEL })).items.map((n) => n.metadata.name);
  let etcdData: DeinitPlan['etcdData'];
  if (o.deleteEtcdData && sts) {
    const hp = sts.spec?.template?.spec?.volumes?.find((v) => v.hostPath)?.hostPath?.path;
    const pods = (await host.list<K8sObject & { spec?: { nodeName?: string } }>('v1', 'Pod', { namespace: ns, labelSelector: 'app=etcd' })).items;
    const node = pods.find((p) => p.spec?.nodeName)?.spec?.nodeName ?? nodes[0];
    if (hp) checkEtcdDataPath(hp, node ?? '(unknown)');
    if (hp && node) etcdData = { node, path: checkEtcdDataPath(hp, node) };
  }
  const files: string[] = [];
  if (o.deleteLocalFiles) {
    const kc = path.join(o.karmadaData, 'karmada-apiserver.config');
    if (existsSync(kc)) files.push(kc);
    for (const n of PKI_NAMES) for (const ext of ['crt', 'key']) {
      const f = path.join(o.karmadaPki, `${n}.${ext}`);
      if (existsSync(f)) files.push(f);
    }
  }
  const show = (r: ObjectRef) => `${r.kind} ${r.namespace}/${r.name}`;
  return {
    plan: { namespace: ns, objects: [...refs.map(show), ...(o.purgeNamespace ? [`Namespace ${ns}`] : [])], nodeLabels: nodes.map((n) => `node ${n}: label ${ETCD_NODE_LABEL}`), etcdData, files },
    refs,
    nodes,
  };
}

/**
 * deinit (addons-deinit-clusterops.md §3) that removes what init and the addons created; lists it
 * first; with --delete-etcd-data wipes the etcd hostPath on its node through a short-lived pod; with
 * --delete-local-files removes the files init wrote (each listed).
 */
export async function runDeinit(ctx: Context, opts: DeinitOptions): Promise<number> {
  const o = { ...opts, karmadaData: path.resolve(ctx.cwd, opts.karmadaData), karmadaPki: path.resolve(ctx.cwd, opts.karmadaPki) };
  const { connect } = await import('../kube/factory');
  const { client: host } = await connect(ctx, { path: o.kubeconfig, context: o.context, purpose: 'host cluster' });
  try {
    const nsObj = await host.get({ apiVersion: 'v1', kind: 'Namespace', name: o.namespace });
    if (!nsObj) throw new UserError(`namespace ${o.namespace} not found in the host cluster at ${host.server}: there is no Karmada to remove`, { hint: 'pass -n with the namespace init used, and --kubeconfig/--context of the host cluster' });
    const { plan: p, refs, nodes } = await plan(host, o);
    if (o.output) {
      if (o.dryRun) {
        await printData(ctx, { dryRun: true, ...p }, o.output);
        return 0;
      }
    } else {
      ctx.stdout.write(`removes Karmada from Kubernetes${o.dryRun ? ' (dry run: nothing will be deleted)' : ''}\n`);
      for (const x of p.objects) ctx.stdout.write(`  ${x}\n`);
      for (const x of p.nodeLabels) ctx.stdout.write(`  ${x}\n`);
      if (p.etcdData) ctx.stdout.write(`  etcd data ${p.etcdData.path} on node ${p.etcdData.node}\n`);
      else if (o.deleteEtcdData) ctx.stdout.write('  etcd data: none found (no hostPath etcd)\n');
      for (const f of p.files) ctx.stdout.write(`  file ${f}\n`);
      if (o.dryRun) return 0;
    }
    if (!o.force && !(await confirm(ctx))) {
      ctx.stdout.write('aborted: nothing was removed\n');
      return 0;
    }
    // The etcd data goes while its StatefulSet is stopped, before the namespace (and the pod's home) goes.
    for (const r of refs) {
      await host.delete(r, { propagationPolicy: 'Background' });
      if (!o.output) ctx.stdout.write(`deleted ${r.kind} ${r.namespace}/${r.name}\n`);
    }
    if (p.etcdData) {
      await wipeEtcdData(host, o, p.etcdData);
      if (!o.output) ctx.stdout.write(`deleted etcd data ${p.etcdData.path} on node ${p.etcdData.node}\n`);
    }
    for (const n of nodes) {
      const node = await host.get({ apiVersion: 'v1', kind: 'Node', name: n });
      const keys = Object.keys(node?.metadata.labels ?? {}).filter((k) => k === ETCD_NODE_LABEL);
      if (keys.length) await host.patch({ apiVersion: 'v1', kind: 'Node', name: n }, { metadata: { labels: Object.fromEntries(keys.map((k) => [k, null])) } }, 'merge');
      if (!o.output) ctx.stdout.write(`removed label ${ETCD_NODE_LABEL} from node ${n}\n`);
    }
    if (o.purgeNamespace) {
      await host.delete({ apiVersion: 'v1', kind: 'Namespace', name: o.namespace });
      if (!o.output) ctx.stdout.write(`deleted Namespace ${o.namespace}\n`);
    }
    for (const f of p.files) {
      await rm(f, { force: true });
      if (!o.output) ctx.stdout.write(`deleted file ${f}\n`);
    }
    if (o.output) await printData(ctx, { dryRun: false, ...p }, o.output);
    else {
      ctx.stdout.write('remove Karmada from Kubernetes successfully.\n');
      if (!p.etcdData) {
        const sts = refs.find((r) => r.kind === 'StatefulSet' && r.name === 'etcd');
        if (sts) ctx.stdout.write(`\ndeinit did not delete the etcd data; if it is on a hostPath, remove it with --delete-etcd-data or by hand on the etcd node.\n`);
      }
    }
    return 0;
  } finally {
    host.close();
  }
}

/** Directories that are never etcd data, whatever a StatefulSet says. */
const SYSTEM_DIRS = ['/', '/bin', '/boot', '/dev', '/etc', '/home', '/lib', '/lib32', '/lib64', '/libx32', '/lost+found', '/media', '/mnt', '/opt', '/proc', '/root', '/run', '/sbin', '/snap', '/srv', '/sys', '/tmp', '/usr', '/usr/bin', '/usr/lib', '/usr/local', '/usr/sbin', '/usr/share', '/var', '/var/lib', '/var/log', '/var/run', '/var/tmp', '/var/cache', '/var/spool', '/var/lib/kubelet', '/var/lib/docker', '/var/lib/containerd', '/var/lib/etcd', '/etc/kubernetes'];
const SYSTEM_TREES = ['/proc', '/sys', '/dev', '/boot', '/etc', '/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/run', '/var/lib/kubelet', '/var/lib/docker', '/var/lib/containerd'];

/**
 * The hostPath of the etcd StatefulSet, checked before deinit deletes anything under it: absolute,
 * normalised, not a system directory or inside one. (The clean-up pod also checks for etcd's member/.)
 */
export function checkEtcdDataPath(p: string, node: string): string {
  const refuse = (why: string) =>
    new UserError(`refusing to delete the etcd data at ${JSON.stringify(p).slice(0, 120)} on node ${node}: ${why}`, { hint: `check the hostPath of StatefulSet etcd; remove the data by hand on ${node} if it really is etcd's, or run deinit without --delete-etcd-data` });
  // eslint-disable-next-line no-control-regex
  if (!p.startsWith('/') || /[\x00-\x1f\x7f]/.test(p)) throw refuse('not an absolute path');
  const norm = path.posix.normalize(p).replace(/\/+$/, '') || '/';
  if (SYSTEM_DIRS.includes(norm)) throw refuse('a system directory');
  if (SYSTEM_TREES.some((t) => norm.startsWith(`${t}/`))) throw refuse(`inside the system directory ${SYSTEM_TREES.find((t) => norm.startsWith(`${t}/`))}`);
  if (/^\/home\/[^/]+$/.test(norm) || norm === '/root') throw refuse('a home directory');
  return norm;
}

/** Exit code of the clean-up pod's command when the directory holds no etcd member/ directory. */
const NOT_ETCD_EXIT = 3;

/** The clean-up pod's script: deletes the contents of /data only when it holds etcd's member/ directory. */
export function cleanupScript(shownPath: string, mount = '/data'): string {
  return `if [ ! -d ${mount}/member ]; then echo "no etcd member/ directory in ${shownPath.replace(/[^A-Za-z0-9_./-]/g, '?')}: nothing deleted" >&2; exit ${NOT_ETCD_EXIT}; fi; rm -rf ${mount}/* ${mount}/.[!.]* 2>/dev/null; ls -A ${mount} | wc -l`;
}

/** A pod pinned to the etcd node with the data directory mounted, removing its contents (only when it holds etcd's member/), then removed itself. */
async function wipeEtcdData(host: KubeApi, o: DeinitOptions, d: { node: string; path: string }) {
  const ns = o.purgeNamespace || !(await host.get({ apiVersion: 'v1', kind: 'Namespace', name: o.namespace })) ? 'default' : o.namespace;
  const pod: K8sObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `karmada-etcd-data-cleanup-${Date.now().toString(36)}`, namespace: ns, labels: { 'app.kubernetes.io/managed-by': 'karmadactl', app: 'karmada-etcd-data-cleanup' } },
    spec: {
      nodeName: d.node,
      restartPolicy: 'Never',
      tolerations: [{ operator: 'Exists' }],
      containers: [
        {
          name: 'cleanup',
          image: o.cleanupImage,
          command: ['sh', '-c', cleanupScript(d.path)],
          volumeMounts: [{ name: 'data', mountPath: '/data' }],
        },
      ],
      volumes: [{ name: 'data', hostPath: { path: d.path, type: 'Directory' } }],
    },
  };
  await host.create(pod);
  try {
    type P = K8sObject & { status?: { phase?: string } };
    const [done] = await waitUntil<P>(host, { apiVersion: 'v1', kind: 'Pod', namespace: ns, name: pod.metadata.name }, (objs) => ({ ready: ['Succeeded', 'Failed'].includes(objs[0]?.status?.phase ?? ''), pending: [`pod ${pod.metadata.name}: ${objs[0]?.status?.phase ?? 'not found'}`] }), {
      timeoutMs: o.timeoutMs,
      what: `the etcd data clean-up pod on node ${d.node}`,
      hint: `the pod needs the image ${o.cleanupImage} (--cleanup-image) on that node`,
    });
    if (done.status?.phase !== 'Succeeded') {
      const exit = (done as K8sObject & { status?: { containerStatuses?: { state?: { terminated?: { exitCode?: number } } }[] } }).status?.containerStatuses?.[0]?.state?.terminated?.exitCode;
      if (exit === NOT_ETCD_EXIT) throw new UserError(`refusing to delete ${d.path} on node ${d.node}: it holds no etcd member/ directory, so it is not etcd's data; nothing was deleted there`, { hint: `check the hostPath of StatefulSet etcd; remove the data by hand if it really is etcd's` });
      throw new UserError(`the etcd data clean-up pod on node ${d.node} failed`, { hint: `see kubectl -n ${ns} logs ${pod.metadata.name}; or remove ${d.path} on ${d.node} by hand` });
    }
  } finally {
    await host.delete(refOf(pod)).catch(() => undefined);
  }
}

export function deinitOptionsFromFlags(args: string[], f: Record<string, unknown>): DeinitOptions {
  if (args.length) throw new UsageError(`"deinit" does not take any arguments, got ${JSON.stringify(args)}`, { hint: 'options only, e.g. deinit --purge-namespace' });
  const timeoutMs = V.durationValue('timeout', f.timeout === undefined || f.timeout === '' ? '2m' : String(f.timeout), { maxMs: 2 ** 31 - 1 });
  const output = parseOutputFormat(f.output);
  if (f.namespace !== undefined && f.namespace !== '') V.dns1123Label('namespace', String(f.namespace));
  if (f['cleanup-image']) V.imageReference('cleanup-image', String(f['cleanup-image']));
  for (const k of ['kubeconfig', 'context', 'karmada-data', 'karmada-pki']) if (f[k]) V.pathValue(k, String(f[k]));
  return {
    namespace: String(f.namespace || 'karmada-system'),
    kubeconfig: String(f.kubeconfig ?? ''),
    context: String(f.context ?? ''),
    dryRun: Boolean(f['dry-run']),
    force: Boolean(f.force),
    purgeNamespace: Boolean(f['purge-namespace']),
    deleteEtcdData: Boolean(f['delete-etcd-data']),
    deleteLocalFiles: Boolean(f['delete-local-files']),
    karmadaData: String(f['karmada-data'] || '/etc/karmada'),
    karmadaPki: String(f['karmada-pki'] || '/etc/karmada/pki'),
    cleanupImage: String(f['cleanup-image'] || 'docker.io/library/busybox:1.36'),
    timeoutMs,
    output: output as DeinitOptions['output'],
  };
}
