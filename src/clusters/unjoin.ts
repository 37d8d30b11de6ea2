import type { Context } from '../context';
import { UsageError, UserError } from '../errors';
import type { KubeApi } from '../kube/api';
import type { K8sObject, ObjectRef } from '../kube/types';
import { waitUntil, WaitTimeoutError } from '../kube/wait';
import { listContexts } from '../kube/config';
import { durationFlag } from '../util/duration';
import { createReporter, phaseRunner } from '../ui/progress';
import { parseOutputFormat, printData } from '../ui/output';
import { bindingsHolding, heldByBindings } from './bindings';
import { CLUSTER_API, CLUSTER_FINALIZER, DEFAULT_CLUSTER_NAMESPACE, WORK_FINALIZER, connectKarmada, connectMember, getCluster, karmadaTarget, removeMemberObjects, showRef as show, type Cluster, type KarmadaTarget } from './common';

export interface UnjoinOptions {
  name: string;
  karmada: KarmadaTarget;
  clusterNamespace: string;
  clusterContext: string;
  clusterKubeconfig: string;
  force: boolean;
  waitMs: number;
  dryRun: boolean;
  output: '' | 'json' | 'yaml';
}

export function unjoinOptionsFromFlags(args: string[], f: Record<string, unknown>): UnjoinOptions {
  if (args.length > 1) throw new UsageError('only the cluster name is allowed as an argument', { hint: 'pass exactly one CLUSTER_NAME' });
  const name = args[0] ?? '';
  if (!name) throw new UsageError('cluster name is required', { hint: 'give the name of a joined cluster as the first argument' });
  const waitMs = durationFlag(f, 'wait', '1m0s');
  if (waitMs <= 0) throw new UsageError(`--wait ${String(f.wait)} must be a positive duration, e.g. 1m0s`, { hint: 'e.g. --wait 2m' });
  return {
    name,
    karmada: karmadaTarget(f),
    clusterNamespace: String(f['cluster-namespace'] || DEFAULT_CLUSTER_NAMESPACE),
    clusterContext: String(f['cluster-context'] ?? ''),
    clusterKubeconfig: String(f['cluster-kubeconfig'] ?? ''),
    force: Boolean(f.force),
    waitMs,
    dryRun: Boolean(f['dry-run']),
    output: parseOutputFormat(f.output) as UnjoinOptions['output'],
  };
}

export interface UnjoinResult {
  cluster: string;
  dryRun: boolean;
  removed: string[];
  /** Left in place on purpose (pre-existing namespaces, member side without --cluster-kubeconfig). */
  kept: string[];
  forced: boolean;
}

/**
 * unjoin (registration.md §2) with the reference's clean-up plus: it deletes only what join made
 * (a pre-existing member namespace is kept), removes the control-plane secrets even when garbage
 * collection cannot, and says what it removed.
 */
export async function runUnjoin(ctx: Context, o: UnjoinOptions): Promise<UnjoinResult> {
  const reporter = await createReporter(ctx);
  const { client: karmada } = await connectKarmada(ctx, o.karmada);
  let member: KubeApi | undefined;
  const removed: string[] = [];
  const kept: string[] = [];
  let forced = false;
  const phase = phaseRunner(reporter);
  try {
    const cluster = await phase('preflight', 'Checking the cluster', async (s) => {
      const c = await getCluster(karmada, o.name, ctx.program);
      if (!c) throw new UserError(`no cluster object ${o.name} found in karmada control Plane`, { hint: `list the joined clusters with 'kubectl get clusters' against the karmada-apiserver` });
      if (c.spec?.syncMode === 'Pull') throw new UserError(`cluster ${o.name} is a Pull mode member cluster, please use command \`unregister\` if you want to continue unregistering the cluster`, { hint: `${ctx.program} unregister ${o.name}` });
      if (o.clusterKubeconfig) {
        // The member is reached before anything is deleted. Its context: --cluster-context, else one named
        // after the cluster (the reference's default), else the file's current context.
        let context = o.clusterContext;
        if (!context && listContexts(o.clusterKubeconfig, ctx.env, ctx.homedir).includes(o.name)) context = o.name;
        member = (await connectMember(ctx, o.clusterKubeconfig, context)).client;
        const ks = await member.get({ apiVersion: 'v1', kind: 'Namespace', name: 'kube-system' });
        if (c.spec?.id && ks?.metadata.uid && ks.metadata.uid !== c.spec.id) {
          throw new UserError(`--cluster-kubeconfig points at a different cluster (ID ${ks.metadata.uid}) than cluster ${o.name} (ID ${c.spec.id})`, { hint: 'pass the kubeconfig and --cluster-context of that member cluster' });
        }
      }
      s.detail(`${c.spec?.syncMode ?? 'Push'} mode, ID ${c.spec?.id ?? 'unknown'}`);
      return c;
    });
    const cns = o.clusterNamespace;
    const cpSecrets: ObjectRef[] = [cluster.spec?.secretRef, cluster.spec?.impersonatorSecretRef].filter(Boolean).map((r) => ({ apiVersion: 'v1', kind: 'Secret', name: r!.name, namespace: r!.namespace }));
    const memberObjs: ObjectRef[] = [
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', name: `karmada-controller-manager:karmada-${o.name}` },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: `karmada-controller-manager:karmada-${o.name}` },
      { apiVersion: 'v1', kind: 'Secret', name: `karmada-${o.name}`, namespace: cns },
      { apiVersion: 'v1', kind: 'ServiceAccount', name: `karmada-${o.name}`, namespace: cns },
      { apiVersion: 'v1', kind: 'Secret', name: 'karmada-impersonator', namespace: cns },
      { apiVersion: 'v1', kind: 'ServiceAccount', name: 'karmada-impersonator', namespace: cns },
    ];

    if (o.dryRun) {
      removed.push(show('karmada', { apiVersion: CLUSTER_API, kind: 'Cluster', name: o.name }));
      for (const r of cpSecrets) if (await karmada.get(r)) removed.push(show('karmada', r));
      if (member) {
        for (const r of memberObjs) if (await member.get(r)) removed.push(show('member', r));
        const ns = await member.get({ apiVersion: 'v1', kind: 'Namespace', name: cns });
        if (ns) (ns.metadata.labels?.['karmada.io/system'] === 'true' ? removed : kept).push(show('member', { apiVersion: 'v1', kind: 'Namespace', name: cns }));
      } else kept.push('member cluster objects (no --cluster-kubeconfig given)');
      return { cluster: o.name, dryRun: true, removed, kept, forced };
    }

    await phase('cluster', `Deleting cluster ${o.name} from the Karmada control plane`, async (s) => {
      await karmada.delete({ apiVersion: CLUSTER_API, kind: 'Cluster', name: o.name });
      removed.push(show('karmada', { apiVersion: CLUSTER_API, kind: 'Cluster', name: o.name }));
      try {
        await waitForGone(karmada, o.name, o.waitMs);
      } catch (e) {
        if (!(e instanceof WaitTimeoutError)) throw e;
        if (!o.force) {
          const held = heldByBindings(o.name, await bindingsHolding(karmada, o.name), ctx.program, `unjoin ${o.name}`);
          if (held) throw new UserError(`cluster ${o.name} is still being deleted after ${String(o.waitMs / 1000)}s: ${held.message}`, { hint: held.hint });
          throw new UserError(`cluster ${o.name} is still being deleted after ${String(o.waitMs / 1000)}s (finalizers: ${(await clusterFinalizers(karmada, o.name)).join(', ') || 'none'}): karmada-controller-manager has not finished cleaning up its execution space`, {
            hint: `check karmada-controller-manager, wait longer with --wait, or remove the finalizers with --force`,
          });
        }
        reporter.warn(`cluster ${o.name} was not deleted within the wait; forcing: removing the finalizers of its Works and of the cluster`);
        await forceDelete(karmada, o.name);
        await waitForGone(karmada, o.name, 30_000);
        forced = true;
      }
      // Garbage collection removes the secrets through their owner reference; a join that failed
      // half-way (or the reference's) may have left them without one.
      for (const r of cpSecrets) {
        const live = await karmada.get(r);
        if (!live) removed.push(show('karmada', r)); // collected with the cluster
        else if (live.metadata.labels?.['karmada.io/system'] === 'true' || (live.metadata.ownerReferences ?? []).some((x) => x.kind === 'Cluster' && x.name === o.name)) {
          await karmada.delete(r);
          removed.push(show('karmada', r));
        } else kept.push(`${show('karmada', r)} (not created by karmada)`);
      }
      // The secrets namespace join created on the control plane goes once no cluster uses it any more.
      const cpNs = await karmada.get({ apiVersion: 'v1', kind: 'Namespace', name: cns });
      if (cpNs?.metadata.labels?.['karmada.io/system'] === 'true' && !cpNs.metadata.deletionTimestamp) {
        const [left, clusters] = await Promise.all([karmada.list('v1', 'Secret', { namespace: cns }), karmada.list<Cluster>(CLUSTER_API, 'Cluster')]);
        const used = clusters.items.some((c) => c.spec?.secretRef?.namespace === cns || c.spec?.impersonatorSecretRef?.namespace === cns);
        if (!left.items.length && !used) {
          await karmada.delete({ apiVersion: 'v1', kind: 'Namespace', name: cns });
          removed.push(show('karmada', { apiVersion: 'v1', kind: 'Namespace', name: cns }));
        }
      }
      s.detail(forced ? 'forced' : 'deleted');
    });

    if (member) {
      const m = member;
      await phase('member', 'Removing the credentials from the member cluster', async (s) => {
        const r = await removeMemberObjects(m, memberObjs, cns, { force: o.force, warn: (msg) => reporter.warn(msg) });
        removed.push(...r.removed);
        kept.push(...r.kept);
        s.detail(`removed ${r.removed.length}`);
      });
    } else {
      kept.push('member cluster objects (no --cluster-kubeconfig given)');
    }
  } finally {
    karmada.close();
    (member as { close?: () => void } | undefined)?.close?.();
  }
  return { cluster: o.name, dryRun: false, removed, kept, forced };
}

async function waitForGone(client: KubeApi, name: string, timeoutMs: number) {
  await waitUntil<Cluster>(client, { apiVersion: CLUSTER_API, kind: 'Cluster', name }, (objs) => ({ ready: objs.length === 0, pending: objs.map((c) => `cluster ${c.metadata.name}: finalizers ${(c.metadata.finalizers ?? []).join(', ') || 'none'}`) }), {
    timeoutMs,
    what: `cluster ${name} to be deleted`,
  });
}

async function clusterFinalizers(client: KubeApi, name: string): Promise<string[]> {
  const c = await client.get<Cluster>({ apiVersion: CLUSTER_API, kind: 'Cluster', name }).catch(() => undefined);
  return c?.metadata.finalizers ?? [];
}

/** --force: the reference's forced deletion (Work finalizers, then the cluster's), with a proper namespace finalize skipped. */
async function forceDelete(client: KubeApi, name: string) {
  const es = `karmada-es-${name}`;
  const works = await client.list<K8sObject & { metadata: { finalizers?: string[] } }>('work.karmada.io/v1alpha1', 'Work', { namespace: es }).catch(() => ({ items: [] }));
  for (const w of works.items) {
    if (!(w.metadata.finalizers ?? []).includes(WORK_FINALIZER)) continue;
    await client.patch({ apiVersion: 'work.karmada.io/v1alpha1', kind: 'Work', name: w.metadata.name, namespace: es }, { metadata: { finalizers: w.metadata.finalizers!.filter((f) => f !== WORK_FINALIZER), resourceVersion: w.metadata.resourceVersion } }, 'merge').catch(() => undefined);
  }
  for (let i = 0; i < 5; i++) {
    const c = await client.get<Cluster>({ apiVersion: CLUSTER_API, kind: 'Cluster', name });
    if (!c) return;
    try {
      await client.patch({ apiVersion: CLUSTER_API, kind: 'Cluster', name }, { metadata: { finalizers: (c.metadata.finalizers ?? []).filter((f) => f !== CLUSTER_FINALIZER), resourceVersion: c.metadata.resourceVersion } }, 'merge');
      return;
    } catch (e) {
      if ((e as { code?: number }).code !== 409) throw e;
    }
  }
}

export async function printUnjoinResult(ctx: Context, r: UnjoinResult, output: UnjoinOptions['output']): Promise<void> {
  if (output) return printData(ctx, r, output);
  if (r.dryRun) {
    for (const x of r.removed) ctx.stdout.write(`${x} would be deleted\n`);
    for (const x of r.kept) ctx.stdout.write(`${x} would be kept\n`);
    ctx.stdout.write(`cluster(${r.cluster}) would be unjoined (dry run: nothing was deleted)\n`);
    return;
  }
  for (const x of r.removed) ctx.stdout.write(`deleted ${x}\n`);
  for (const x of r.kept) ctx.stdout.write(`kept ${x}\n`);
  ctx.stdout.write(`cluster(${r.cluster}) is unjoined successfully${r.forced ? ' (forced)' : ''}\n`);
}
