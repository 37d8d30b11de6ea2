import type { Context } from '../context';
import { UsageError, UserError } from '../errors';
import type { KubeApi } from '../kube/api';
import type { K8sObject, ObjectRef } from '../kube/types';
import { refOf } from '../kube/types';
import { waitUntil } from '../kube/wait';
import { createReporter, phaseRunner, type Reporter } from '../ui/progress';
import { parseOutputFormat, printData } from '../ui/output';
import { CLUSTER_API, DEFAULT_CLUSTER_NAMESPACE, SYSTEM_LABEL, connectKarmada, connectMember, karmadaTarget, listClusters, validateClusterName, type Cluster, type KarmadaTarget } from './common';

export interface JoinOptions {
  name: string;
  karmada: KarmadaTarget;
  clusterNamespace: string;
  clusterContext: string;
  clusterKubeconfig: string;
  provider: string;
  region: string;
  zones: string[];
  dryRun: boolean;
  output: '' | 'json' | 'yaml';
  /** How long to wait for the token controller to fill a ServiceAccount token secret. */
  tokenTimeoutMs: number;
}

export function joinOptionsFromFlags(args: string[], f: Record<string, unknown>): JoinOptions {
  if (args.length > 1) throw new UsageError('only the cluster name is allowed as an argument', { hint: 'pass exactly one CLUSTER_NAME' });
  const name = args[0] ?? '';
  validateClusterName(name);
  // The ServiceAccounts karmada-<name> and karmada-impersonator would be the same object.
  if (name === 'impersonator') throw new UsageError('the cluster name "impersonator" collides with the karmada-impersonator ServiceAccount', { hint: 'choose another cluster name' });
  const zones = ((f['cluster-zones'] as string[] | undefined) ?? []).filter(Boolean);
  return {
    name,
    karmada: karmadaTarget(f),
    clusterNamespace: String(f['cluster-namespace'] || DEFAULT_CLUSTER_NAMESPACE),
    clusterContext: String(f['cluster-context'] ?? ''),
    clusterKubeconfig: String(f['cluster-kubeconfig'] ?? ''),
    provider: String(f['cluster-provider'] ?? ''),
    region: String(f['cluster-region'] ?? ''),
    zones,
    dryRun: Boolean(f['dry-run']),
    output: parseOutputFormat(f.output) as JoinOptions['output'],
    tokenTimeoutMs: 30_000,
  };
}

type Side = 'member' | 'karmada';
interface Change {
  side: Side;
  action: 'created' | 'updated' | 'unchanged';
  kind: string;
  name: string;
  namespace?: string;
}

export interface JoinResult {
  cluster: string;
  id: string;
  apiEndpoint: string;
  syncMode: 'Push';
  dryRun: boolean;
  /** True when the cluster was already joined and nothing had to change. */
  alreadyJoined: boolean;
  changes: Change[];
  rolledBack?: string[];
}

const label = (c: Pick<Change, 'kind' | 'name' | 'namespace'>) => `${c.kind} ${c.namespace ? `${c.namespace}/` : ''}${c.name}`;

/**
 * Push-mode join (registration.md §1), idempotent: every object is ensured (created, or brought in
 * line), a re-run finishes a half-done join and a finished join changes nothing. When a run fails,
 * what this run created is removed again; what existed before is left alone.
 */
export async function runJoin(ctx: Context, o: JoinOptions): Promise<JoinResult> {
  return join(ctx, o, await createReporter(ctx));
}

async function join(ctx: Context, o: JoinOptions, reporter: Reporter): Promise<JoinResult> {
  if (o.clusterNamespace === 'karmada-system') {
    reporter.warn('karmada-system is always reserved for Karmada control plane. We do not recommend using karmada-system to store secrets of member clusters. It may cause mistaken cleanup of resources.');
  }
  const [cp, member] = await Promise.all([connectKarmada(ctx, o.karmada), connectMember(ctx, o.clusterKubeconfig, o.clusterContext)]);
  const karmada = cp.client;
  const mc = member.client;
  const changes: Change[] = [];
  const created: { side: Side; ref: ObjectRef }[] = [];
  const cns = o.clusterNamespace;
  const saName = `karmada-${o.name}`;
  const roleName = `karmada-controller-manager:karmada-${o.name}`;
  const clusterInfo = member.config.kc.getCurrentCluster()!;
  const apiEndpoint = clusterInfo.server;
  let id = '';
  let existing: Cluster | undefined;

  const client = (side: Side): KubeApi => (side === 'member' ? mc : karmada);
  const record = (side: Side, action: Change['action'], obj: K8sObject) => {
    changes.push({ side, action, kind: obj.kind, name: obj.metadata.name, namespace: obj.metadata.namespace });
    if (action === 'created') created.push({ side, ref: refOf(obj) });
  };
  /** Create when missing; otherwise bring the fields we manage in line (stale tokens get refreshed). */
  const ensure = async <T extends K8sObject>(side: Side, obj: K8sObject): Promise<T> => {
    const r = await client(side).ensure<T>(obj);
    record(side, r.action, obj);
    return r.object;
  };
  /** A namespace is created when missing; a pre-existing one is used as it is (and never labelled as ours). */
  const ensureNamespace = async (side: Side, name: string) => {
    const ref = { apiVersion: 'v1', kind: 'Namespace', name };
    const live = await client(side).get(ref);
    if (live && !live.metadata.deletionTimestamp) return record(side, 'unchanged', live);
    if (live) throw new UserError(`namespace ${name} on the ${side === 'member' ? 'member cluster' : 'Karmada control plane'} is being deleted`, { hint: 'wait until it is gone, then run join again' });
    const obj = { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { ...SYSTEM_LABEL } } };
    await client(side).create(obj);
    record(side, 'created', obj);
  };
  /** Procedure W: the legacy token Secret of a ServiceAccount, created when missing, waited for until filled. */
  const tokenSecret = async (sa: string): Promise<Record<string, string>> => {
    const obj = { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token', metadata: { name: sa, namespace: cns, annotations: { 'kubernetes.io/service-account.name': sa } } };
    const live = await mc.get<K8sObject & { data?: Record<string, string> }>(refOf(obj));
    if (!live) {
      await mc.create(obj);
      record('member', 'created', obj);
    } else record('member', 'unchanged', obj);
    const [s] = await waitUntil<K8sObject & { data?: Record<string, string> }>(mc, { apiVersion: 'v1', kind: 'Secret', namespace: cns, name: sa }, (objs) => ({ ready: Boolean(objs[0]?.data?.token), pending: [`secret ${cns}/${sa}: no token yet`] }), {
      timeoutMs: o.tokenTimeoutMs,
      what: `the token of ServiceAccount ${cns}/${sa} on the member cluster`,
      hint: 'the member cluster must run the ServiceAccount token controller (kube-controller-manager) for legacy token secrets',
    });
    return Object.fromEntries(Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
  };

  const phase = phaseRunner(reporter);

  try {
    await phase('preflight', 'Checking the member cluster and the Karmada control plane', async (s) => {
      const ks = await mc.get({ apiVersion: 'v1', kind: 'Namespace', name: 'kube-system' });
      if (!ks?.metadata.uid) throw new UserError(`the member cluster at ${mc.server} has no kube-system namespace UID to use as the cluster ID`, { hint: 'check --cluster-kubeconfig and --cluster-context' });
      id = ks.metadata.uid;
      const clusters = await listClusters(karmada, ctx.program);
      const byName = clusters.find((c) => c.metadata.name === o.name);
      const byId = clusters.find((c) => c.spec?.id === id && c.metadata.name !== o.name);
      if (byId) throw new UserError(`the cluster ID ${id} or the cluster name ${o.name} has been registered: this member cluster is already registered as "${byId.metadata.name}"`, { hint: `unjoin it first: ${ctx.program} unjoin ${byId.metadata.name}` });
      if (byName && byName.spec?.id !== id) throw new UserError(`the cluster ID ${id} or the cluster name ${o.name} has been registered: another cluster (ID ${byName.spec?.id ?? 'unknown'}) is named "${o.name}"`, { hint: 'choose another cluster name, or unjoin that cluster first' });
      if (byName?.spec?.syncMode === 'Pull') throw new UserError(`cluster ${o.name} is registered in Pull mode (karmada-agent)`, { hint: `use '${ctx.program} unregister ${o.name}' to remove it; join is for Push mode` });
      if (byName?.metadata.deletionTimestamp) throw new UserError(`cluster ${o.name} is being deleted`, { hint: `wait until it is gone (or '${ctx.program} unjoin ${o.name} --force'), then join again` });
      existing = byName;
      if (/^https?:\/\/(127\.|localhost[:/]|\[::1\])/.test(apiEndpoint)) {
        reporter.warn(`the member API endpoint ${apiEndpoint} is a loopback address: karmada-controller-manager reaches it only if it runs on the same host`);
      }
      s.detail(`cluster ID ${id}${existing ? ', already registered under this name: checking' : ''}`);
    });

    if (o.dryRun) {
      return { cluster: o.name, id, apiEndpoint, syncMode: 'Push', dryRun: true, alreadyJoined: Boolean(existing), changes: await plan(mc, karmada, o, existing) };
    }

    const tokens = await phase('member', 'Creating the credentials on the member cluster', async (s) => {
      await ensureNamespace('member', cns);
      await settled([
        ensure('member', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'karmada-impersonator', namespace: cns, labels: { ...SYSTEM_LABEL } } }),
        ensure('member', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: saName, namespace: cns, labels: { ...SYSTEM_LABEL } } }),
        ensure('member', {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRole',
          metadata: { name: roleName, labels: { ...SYSTEM_LABEL } },
          rules: [
            { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
            { nonResourceURLs: ['*'], verbs: ['get'] },
          ],
        }),
      ]);
      await ensure('member', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: roleName, labels: { ...SYSTEM_LABEL } },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
        subjects: [{ kind: 'ServiceAccount', name: saName, namespace: cns }],
      });
      const [impersonator, credentials] = await settled([tokenSecret('karmada-impersonator'), tokenSecret(saName)]);
      s.detail(summarize(changes, 'member'));
      return { impersonator, credentials };
    });

    await phase('karmada', 'Registering the cluster in the Karmada control plane', async (s) => {
      let ca = tokens.credentials['ca.crt'];
      if (!ca) {
        // The token controller normally adds ca.crt; fall back to the CA the kubeconfig trusts.
        const fromKc = clusterInfo.caData ? Buffer.from(clusterInfo.caData, 'base64').toString('utf8') : clusterInfo.caFile ? await (await import('../util/fsx')).readTextBounded(clusterInfo.caFile, { limit: 1 << 20, what: 'certificate-authority of the member cluster:' }) : '';
        ca = fromKc;
      }
      await ensureNamespace('karmada', cns);
      const b64 = (v: string) => Buffer.from(v).toString('base64');
      const [impSecret, credSecret] = await settled([
        ensure<K8sObject>('karmada', { apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: `${o.name}-impersonator`, namespace: cns, labels: { ...SYSTEM_LABEL } }, data: { token: b64(tokens.impersonator.token) } }),
        ensure<K8sObject>('karmada', { apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: o.name, namespace: cns, labels: { ...SYSTEM_LABEL } }, data: { caBundle: b64(ca), token: b64(tokens.credentials.token) } }),
      ]);
      const spec: Cluster['spec'] = {
        id,
        syncMode: 'Push',
        apiEndpoint,
        secretRef: { namespace: cns, name: o.name },
        impersonatorSecretRef: { namespace: cns, name: `${o.name}-impersonator` },
        ...(o.provider ? { provider: o.provider } : {}),
        ...(o.region ? { region: o.region } : {}),
        ...(o.zones.length ? { zones: o.zones } : {}),
        ...(clusterInfo.skipTLSVerify ? { insecureSkipTLSVerification: true } : {}),
        ...((clusterInfo as { proxyUrl?: string }).proxyUrl ? { proxyURL: (clusterInfo as { proxyUrl?: string }).proxyUrl } : {}),
      };
      let cluster: Cluster;
      if (existing) {
        cluster = await ensure<Cluster>('karmada', { apiVersion: CLUSTER_API, kind: 'Cluster', metadata: { name: o.name }, spec });
      } else {
        const obj = { apiVersion: CLUSTER_API, kind: 'Cluster', metadata: { name: o.name }, spec };
        cluster = await karmada.create<Cluster>(obj);
        record('karmada', 'created', obj);
      }
      // The secrets belong to the Cluster: garbage collection removes them with it (unjoin).
      const owner = { apiVersion: CLUSTER_API, kind: 'Cluster', name: o.name, uid: cluster.metadata.uid!, controller: true, blockOwnerDeletion: true };
      for (const sec of [impSecret, credSecret]) {
        const refs = sec.metadata.ownerReferences ?? [];
        if (refs.length === 1 && refs[0].uid === owner.uid) continue;
        await karmada.patch(refOf({ ...sec, apiVersion: 'v1', kind: 'Secret' }), { metadata: { ownerReferences: [owner] } }, 'merge');
        const c = changes.find((x) => x.side === 'karmada' && x.kind === 'Secret' && x.name === sec.metadata.name);
        if (c && c.action === 'unchanged') c.action = 'updated';
      }
      s.detail(summarize(changes, 'karmada'));
    });
  } catch (e) {
    const rolledBack = await rollback(client, created);
    if (rolledBack.length) reporter.info(`removed what this run created: ${rolledBack.join(', ')}`);
    throw e;
  } finally {
    karmada.close();
    mc.close();
  }
  return { cluster: o.name, id, apiEndpoint, syncMode: 'Push', dryRun: false, alreadyJoined: changes.every((c) => c.action === 'unchanged'), changes };
}

/** Like Promise.all, but waits for every promise: a rollback must see everything the run created. */
async function settled<T extends readonly unknown[]>(ps: readonly [...{ [K in keyof T]: Promise<T[K]> }]): Promise<T> {
  const rs = await Promise.allSettled(ps);
  const failed = rs.find((r) => r.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return rs.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

function summarize(changes: Change[], side: Side): string {
  const mine = changes.filter((c) => c.side === side);
  const n = (a: Change['action']) => mine.filter((c) => c.action === a).length;
  return [['created', n('created')], ['updated', n('updated')], ['unchanged', n('unchanged')]].filter(([, v]) => v).map(([k, v]) => `${k} ${v}`).join(', ') || 'nothing to do';
}

async function rollback(client: (s: Side) => KubeApi, created: { side: Side; ref: ObjectRef }[]): Promise<string[]> {
  const done: string[] = [];
  for (const c of [...created].reverse()) {
    // Namespaced objects go with their namespace when this run created it.
    if (c.ref.namespace && created.some((x) => x.side === c.side && x.ref.kind === 'Namespace' && x.ref.name === c.ref.namespace)) continue;
    try {
      if (await client(c.side).delete(c.ref)) done.push(`${c.side}: ${label(c.ref)}`);
    } catch {
      /* best effort: the error that matters is the one that stopped the run */
    }
  }
  return done;
}

/** Dry run: what join would create or change on each side, from reads only. */
async function plan(mc: KubeApi, karmada: KubeApi, o: JoinOptions, existing: Cluster | undefined): Promise<Change[]> {
  const cns = o.clusterNamespace;
  const want: [Side, string, string, string, string?][] = [
    ['member', 'v1', 'Namespace', cns],
    ['member', 'v1', 'ServiceAccount', 'karmada-impersonator', cns],
    ['member', 'v1', 'Secret', 'karmada-impersonator', cns],
    ['member', 'v1', 'ServiceAccount', `karmada-${o.name}`, cns],
    ['member', 'rbac.authorization.k8s.io/v1', 'ClusterRole', `karmada-controller-manager:karmada-${o.name}`],
    ['member', 'rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', `karmada-controller-manager:karmada-${o.name}`],
    ['member', 'v1', 'Secret', `karmada-${o.name}`, cns],
    ['karmada', 'v1', 'Namespace', cns],
    ['karmada', 'v1', 'Secret', `${o.name}-impersonator`, cns],
    ['karmada', 'v1', 'Secret', o.name, cns],
  ];
  const out = await Promise.all(
    want.map(async ([side, apiVersion, kind, name, namespace]) => {
      const live = await (side === 'member' ? mc : karmada).get({ apiVersion, kind, name, namespace }).catch(() => undefined);
      return { side, action: live ? 'unchanged' : 'created', kind, name, namespace } as Change;
    }),
  );
  out.push({ side: 'karmada', action: existing ? 'unchanged' : 'created', kind: 'Cluster', name: o.name });
  return out;
}

export async function printJoinResult(ctx: Context, r: JoinResult, output: JoinOptions['output']): Promise<void> {
  if (output) return printData(ctx, r, output);
  if (r.dryRun) {
    for (const c of r.changes) ctx.stdout.write(`${c.side}: ${label(c)} ${c.action === 'created' ? 'would be created' : 'exists'}\n`);
    ctx.stdout.write(`cluster(${r.cluster}) would be joined (dry run: nothing was written)\n`);
    return;
  }
  ctx.stdout.write(r.alreadyJoined ? `cluster(${r.cluster}) is already joined; nothing changed\n` : `cluster(${r.cluster}) is joined successfully\n`);
}
