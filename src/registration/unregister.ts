import path from 'node:path';
import type { Context } from '../context';
import { UsageError, UserError } from '../errors';
import type { KubeApi } from '../kube/api';
import type { K8sObject, ObjectRef } from '../kube/types';
import { refOf } from '../kube/types';
import { waitUntil, WaitTimeoutError } from '../kube/wait';
import { durationFlag } from '../util/duration';
import { createReporter, phaseRunner } from '../ui/progress';
import { parseOutputFormat, printData } from '../ui/output';
import { CLUSTER_API, CLUSTER_FINALIZER, DEFAULT_CLUSTER_NAMESPACE, connectKarmada, connectMember, removeMemberObjects, showRef as show, validateClusterName, type Cluster } from '../clusters/common';
import { agentRbac } from './register';
import { bindingsHolding, heldByBindings } from '../clusters/bindings';

export interface UnregisterOptions {
  name: string;
  clusterKubeconfig: string;
  clusterContext: string;
  karmadaConfig: string;
  karmadaContext: string;
  namespace: string;
  agentName: string;
  clusterNamespace: string;
  waitMs: number;
  force: boolean;
  dryRun: boolean;
  output: '' | 'json' | 'yaml';
}

export function unregisterOptionsFromFlags(args: string[], f: Record<string, unknown>): UnregisterOptions {
  if (args.length > 1) throw new UsageError('only the cluster name is allowed as an argument', { hint: 'pass exactly one CLUSTER_NAME' });
  const name = args[0] ?? '';
  validateClusterName(name);
  const clusterKubeconfig = String(f['cluster-kubeconfig'] ?? '');
  if (!clusterKubeconfig) throw new UsageError('--cluster-kubeconfig is required to specify KUBECONFIG file path to access unregistering member cluster', { hint: 'pass the kubeconfig of the member cluster the agent runs in' });
  const waitMs = durationFlag(f, 'wait', '1m0s');
  if (waitMs <= 0) throw new UsageError(`--wait ${String(f.wait)} must be a positive duration, e.g. 1m0s`, { hint: 'e.g. --wait 2m' });
  // --force removes the Cluster's finalizer: an administrator's write the agent's identity may not make.
  // Refused here, before the Works and the Cluster are deleted, not after.
  if (f.force && !f['karmada-config']) {
    throw new UsageError('--force needs --karmada-config: removing the finalizer of the Cluster object takes the karmada-apiserver administrator, not the agent', { hint: 'pass the karmada-apiserver kubeconfig with --karmada-config, or run without --force' });
  }
  return {
    name,
    clusterKubeconfig,
    clusterContext: String(f['cluster-context'] ?? ''),
    karmadaConfig: String(f['karmada-config'] ?? ''),
    karmadaContext: String(f['karmada-context'] ?? ''),
    namespace: String(f.namespace || 'karmada-system'),
    agentName: String(f['agent-name'] || 'karmada-agent'),
    clusterNamespace: String(f['cluster-namespace'] || DEFAULT_CLUSTER_NAMESPACE),
    waitMs,
    force: Boolean(f.force),
    dryRun: Boolean(f['dry-run']),
    output: parseOutputFormat(f.output) as UnregisterOptions['output'],
  };
}

export interface UnregisterResult {
  cluster: string;
  dryRun: boolean;
  removed: string[];
  kept: string[];
  /** Control-plane objects left for an administrator (no --karmada-config). */
  manual: string[];
  /** What an earlier run (or karmada, after its --wait timed out) had already removed. */
  gone?: string[];
}

type Deployment = K8sObject & { spec?: { template?: { spec?: { containers?: { command?: string[]; args?: string[]; volumeMounts?: { name: string; mountPath: string }[] }[]; volumes?: { name: string; secret?: { secretName?: string } }[] } } } };

/** The agent's own karmada kubeconfig, found through its Deployment (registration.md §6.3 step 2). */
async function agentKubeconfig(mc: KubeApi, ns: string, agentName: string): Promise<{ text: string; context?: string }> {
  const dep = await mc.get<Deployment>({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: agentName });
  const fail = (why: string) => new UserError(`failed to get karmada config from karmada-agent deployment: ${why}`, { hint: 'pass the karmada-apiserver kubeconfig with --karmada-config' });
  if (!dep) throw fail(`deployment ${ns}/${agentName} not found in the member cluster`);
  const pod = dep.spec?.template?.spec;
  const c = pod?.containers?.[0];
  const argv = [...(c?.command ?? []), ...(c?.args ?? [])];
  const kcPath = argv.find((a) => a.startsWith('--karmada-kubeconfig='))?.slice('--karmada-kubeconfig='.length);
  if (!kcPath) throw fail('the agent has no --karmada-kubeconfig argument');
  const dir = path.posix.dirname(kcPath);
  const key = path.posix.basename(kcPath);
  const mount = c?.volumeMounts?.find((m) => path.posix.normalize(m.mountPath) === dir);
  const secretName = pod?.volumes?.find((v) => v.name === mount?.name)?.secret?.secretName;
  if (!secretName) throw fail('failed to get secret name of karmada agent config');
  const s = await mc.get<K8sObject & { data?: Record<string, string> }>({ apiVersion: 'v1', kind: 'Secret', namespace: ns, name: secretName });
  const data = s?.data?.[key];
  if (!data) throw fail(`empty data, secretName: ${secretName}, keyName: ${key}`);
  const context = argv.find((a) => a.startsWith('--karmada-context='))?.slice('--karmada-context='.length);
  return { text: Buffer.from(data, 'base64').toString('utf8'), context };
}


/**
 * unregister (registration.md §6) with the reference's clean-up of the agent and its objects on both
 * sides, but no deletion of files on the operator's machine, --force, and a report of what went.
 */
export async function runUnregister(ctx: Context, o: UnregisterOptions): Promise<UnregisterResult> {
  const reporter = await createReporter(ctx);
  const member = await connectMember(ctx, o.clusterKubeconfig, o.clusterContext);
  const mc = member.client;
  let cp: KubeApi & { close(): void };
  const admin = Boolean(o.karmadaConfig);
  if (admin) cp = (await connectKarmada(ctx, { kubeconfig: o.karmadaConfig, context: o.karmadaContext })).client;
  else {
    const a = await agentKubeconfig(mc, o.namespace, o.agentName);
    const { kubeconfigFromString } = await import('../kube/config');
    const { KubeClient } = await import('../kube/client');
    const { makeLogger } = await import('../ui/log');
    cp = await KubeClient.create(await kubeconfigFromString(a.text, { context: a.context, source: `secret of ${o.namespace}/${o.agentName}` }), { log: makeLogger(ctx), timeoutMs: 10_000 });
  }
  const removed: string[] = [];
  const kept: string[] = [];
  const manual: string[] = [];
  const phase = phaseRunner(reporter);
  const cns = o.clusterNamespace;
  const es = `karmada-es-${o.name}`;
  const memberObjs: ObjectRef[] = [
    { apiVersion: 'v1', kind: 'ServiceAccount', namespace: cns, name: `karmada-${o.name}` },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: `karmada-controller-manager:karmada-${o.name}` },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', name: `karmada-controller-manager:karmada-${o.name}` },
    { apiVersion: 'v1', kind: 'Secret', namespace: cns, name: `karmada-${o.name}` },
    { apiVersion: 'v1', kind: 'ServiceAccount', namespace: cns, name: 'karmada-impersonator' },
    { apiVersion: 'v1', kind: 'Secret', namespace: cns, name: 'karmada-impersonator' },
    { apiVersion: 'apps/v1', kind: 'Deployment', namespace: o.namespace, name: o.agentName },
    { apiVersion: 'v1', kind: 'ServiceAccount', namespace: o.namespace, name: 'karmada-agent-sa' },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: 'karmada-agent' },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', name: 'karmada-agent' },
    { apiVersion: 'v1', kind: 'Secret', namespace: o.namespace, name: 'karmada-kubeconfig' },
  ];
  const cpRbac = agentRbac(o.name, cns).filter((x) => x.kind !== 'Namespace').map(refOf);
  const gone: string[] = [];
  try {
    await phase('preflight', 'Checking the cluster', async (s) => {
      const c = await cp.get<Cluster>({ apiVersion: CLUSTER_API, kind: 'Cluster', name: o.name });
      if (!c) {
        // An earlier run whose --wait timed out, and karmada finished the deletion afterwards: the
        // member side is still there, so the re-run finishes it instead of refusing.
        let left = false;
        for (const r of memberObjs) if (await mc.get(r)) left = true;
        if (!left) throw new UserError(`no cluster object ${o.name} found in karmada control Plane`, { hint: 'check the cluster name' });
        gone.push(show('karmada', { apiVersion: CLUSTER_API, kind: 'Cluster', name: o.name }));
        s.detail(`cluster ${o.name} is already gone from the control plane; finishing the member side`);
        return;
      }
      if (c.spec?.syncMode === 'Push') throw new UserError(`cluster ${o.name} is a Push mode member cluster, please use command \`unjoin\` if you want to continue unjoining the cluster`, { hint: `${ctx.program} unjoin ${o.name}` });
      const ks = await mc.get({ apiVersion: 'v1', kind: 'Namespace', name: 'kube-system' });
      if (c.spec?.id && ks?.metadata.uid && c.spec.id !== ks.metadata.uid) throw new UserError(`--cluster-kubeconfig points at a different cluster (ID ${ks.metadata.uid}) than cluster ${o.name} (ID ${c.spec.id})`, { hint: 'pass the kubeconfig and --cluster-context of the member cluster the agent runs in' });
      s.detail(`Pull mode, ID ${c.spec?.id ?? 'unknown'}`);
    });
    if (o.dryRun) {
      if (!gone.length) removed.push(show('karmada', { apiVersion: CLUSTER_API, kind: 'Cluster', name: o.name }));
      for (const r of memberObjs) if (await mc.get(r)) removed.push(show('member', r));
      if (admin) for (const r of cpRbac) if (await cp.get(r).catch(() => undefined)) removed.push(show('karmada', r));
      return { cluster: o.name, dryRun: true, removed, kept, manual, ...(gone.length ? { gone } : {}) };
    }
    await phase('cluster', `Deleting cluster ${o.name} and its works from the control plane`, async (s) => {
      // Works first: deleting the Cluster removes the execution space and with it the agent's right to touch them.
      const deadline = Date.now() + o.waitMs;
      for (; !gone.length; ) {
        const works = await cp.list('work.karmada.io/v1alpha1', 'Work', { namespace: es }).catch((e) => ((e as { code?: number }).code === 404 ? { items: [] } : Promise.reject(e)));
        if (!works.items.length) break;
        for (const w of works.items) await cp.delete(refOf({ ...w, apiVersion: 'work.karmada.io/v1alpha1', kind: 'Work' }));
        if (Date.now() > deadline) {
          const held = heldByBindings(o.name, await bindingsHolding(cp, o.name), ctx.program, `unregister ${o.name}`);
          if (held) throw new UserError(`works in ${es} are still there after --wait: ${held.message}`, { hint: held.hint });
          throw new UserError(`works in ${es} are still there after --wait`, { hint: 'check karmada-controller-manager, or raise --wait' });
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      if (!gone.length) await deleteCluster();
      async function deleteCluster() {
      await cp.delete({ apiVersion: CLUSTER_API, kind: 'Cluster', name: o.name });
      removed.push(show('karmada', { apiVersion: CLUSTER_API, kind: 'Cluster', name: o.name }));
      const wait = () => waitUntil<Cluster>(cp, { apiVersion: CLUSTER_API, kind: 'Cluster', name: o.name }, (objs) => ({ ready: objs.length === 0, pending: objs.map((c) => `cluster ${c.metadata.name}: finalizers ${(c.metadata.finalizers ?? []).join(', ') || 'none'}`) }), { timeoutMs: Math.max(1000, deadline - Date.now()), what: `cluster ${o.name} to be deleted` });
      try {
        await wait();
      } catch (e) {
        if (!(e instanceof WaitTimeoutError) || !o.force) {
          if (!(e instanceof WaitTimeoutError)) throw e;
          const held = heldByBindings(o.name, await bindingsHolding(cp, o.name), ctx.program, `unregister ${o.name}`);
          throw held ? new UserError(`${e.message}: ${held.message}`, { hint: held.hint }) : new UserError(e.message, { hint: 'check karmada-controller-manager, raise --wait, or use --force (needs --karmada-config) to remove the finalizer' });
        }
        const c = await cp.get<Cluster>({ apiVersion: CLUSTER_API, kind: 'Cluster', name: o.name });
        if (c) await cp.patch({ apiVersion: CLUSTER_API, kind: 'Cluster', name: o.name }, { metadata: { finalizers: (c.metadata.finalizers ?? []).filter((f) => f !== CLUSTER_FINALIZER), resourceVersion: c.metadata.resourceVersion } }, 'merge');
      }
      }
      if (admin) {
        for (const r of cpRbac) if (await cp.delete(r).catch((e) => (o.force ? false : Promise.reject(e)))) removed.push(show('karmada', r));
      } else {
        manual.push(...cpRbac.map((r) => `${r.kind}/${r.namespace ? `${r.namespace}/` : ''}${r.name}`));
      }
      s.detail(gone.length ? 'already gone' : 'deleted');
    });
    await phase('member', 'Removing karmada-agent and its objects from the member cluster', async (s) => {
      const r = await removeMemberObjects(mc, memberObjs, cns, { force: o.force, warn: (msg) => reporter.warn(msg) });
      removed.push(...r.removed);
      kept.push(...r.kept);
      s.detail(`removed ${r.removed.length}`);
    });
  } finally {
    mc.close();
    cp.close();
  }
  if (manual.length) reporter.warn(`The RBAC resources on the control plane need to be manually cleaned up (or re-run with --karmada-config): ${manual.join(', ')}`);
  return { cluster: o.name, dryRun: false, removed, kept, manual, ...(gone.length ? { gone } : {}) };
}

export async function printUnregisterResult(ctx: Context, r: UnregisterResult, output: UnregisterOptions['output']): Promise<void> {
  if (output) return printData(ctx, r, output);
  const verb = r.dryRun ? 'would be deleted' : '';
  for (const x of r.removed) ctx.stdout.write(r.dryRun ? `${x} ${verb}\n` : `deleted ${x}\n`);
  for (const x of r.gone ?? []) ctx.stdout.write(`already gone: ${x}\n`);
  for (const x of r.kept) ctx.stdout.write(`kept ${x}\n`);
  ctx.stdout.write(r.dryRun ? `cluster(${r.cluster}) would be unregistered (dry run: nothing was deleted)\n` : `cluster(${r.cluster}) is unregistered successfully\n`);
}
