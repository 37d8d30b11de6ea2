import type { Context } from '../context';
import { UsageError, UserError } from '../errors';
import type { KubeApi } from '../kube/api';
import type { KubeClient } from '../kube/client';
import type { LoadedKubeconfig } from '../kube/config';
import type { K8sObject, ObjectRef } from '../kube/types';

export const CLUSTER_API = 'cluster.karmada.io/v1alpha1';
export const DEFAULT_CLUSTER_NAMESPACE = 'karmada-cluster';
export const SYSTEM_LABEL = { 'karmada.io/system': 'true' } as const;
export const CLUSTER_FINALIZER = 'karmada.io/cluster-controller';
export const WORK_FINALIZER = 'karmada.io/execution-controller';
export const UNSCHEDULABLE_TAINT_KEY = 'cluster.karmada.io/unschedulable';

export interface Taint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}

export type Cluster = K8sObject & {
  spec: {
    id?: string;
    syncMode?: 'Push' | 'Pull';
    apiEndpoint?: string;
    secretRef?: { namespace: string; name: string };
    impersonatorSecretRef?: { namespace: string; name: string };
    provider?: string;
    region?: string;
    zones?: string[];
    taints?: Taint[];
    insecureSkipTLSVerification?: boolean;
    proxyURL?: string;
  };
  metadata: K8sObject['metadata'] & { finalizers?: string[]; deletionTimestamp?: string };
};

const RFC1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** pkg/apis/cluster/validation ValidateClusterName, one line with the fix. */
export function validateClusterName(name: string): void {
  const problems: string[] = [];
  if (!name) throw new UsageError('cluster name is required', { hint: 'give the cluster name as the first argument' });
  if (name.length > 48) problems.push('must be no more than 48 characters');
  if (!RFC1123_LABEL.test(name)) problems.push("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc')");
  if (problems.length) throw new UsageError(`invalid cluster name(${name}): ${problems.join(';')}`, { hint: 'use at most 48 lowercase letters, digits and -, starting and ending with a letter or digit, e.g. member1' });
}

export interface KarmadaTarget {
  kubeconfig: string;
  context: string;
  impersonate?: { user?: string; groups?: string[]; uid?: string };
}

/** --kubeconfig, --karmada-context and (join) --karmada-as, --karmada-as-group, --karmada-as-uid. */
export function karmadaTarget(flags: Record<string, unknown>): KarmadaTarget {
  const user = String(flags['karmada-as'] ?? '');
  const groups = ((flags['karmada-as-group'] as string[] | undefined) ?? []).filter(Boolean);
  const uid = String(flags['karmada-as-uid'] ?? '');
  return {
    kubeconfig: String(flags.kubeconfig ?? ''),
    context: String(flags['karmada-context'] ?? ''),
    ...(user || groups.length || uid ? { impersonate: { user: user || undefined, groups, uid: uid || undefined } } : {}),
  };
}

/** The Karmada control plane (karmada-apiserver): --kubeconfig / --karmada-context, kubectl's loading rules. */
export async function connectKarmada(ctx: Context, t: KarmadaTarget): Promise<{ client: KubeClient; config: LoadedKubeconfig }> {
  const { connect } = await import('../kube/factory');
  return connect(ctx, { path: t.kubeconfig, context: t.context, flagNames: { kubeconfig: '--kubeconfig', context: '--karmada-context' }, purpose: 'Karmada control plane' }, t.impersonate ? { impersonate: t.impersonate } : {});
}

/** A member cluster: --cluster-kubeconfig / --cluster-context (KUBECONFIG and ~/.kube/config as defaults). */
export async function connectMember(ctx: Context, path: string, context: string): Promise<{ client: KubeClient; config: LoadedKubeconfig }> {
  const { connect } = await import('../kube/factory');
  return connect(ctx, { path, context, flagNames: { kubeconfig: '--cluster-kubeconfig', context: '--cluster-context' }, purpose: 'member cluster' });
}

/** A 404 on the Cluster API means the kubeconfig points at a plain cluster, not the karmada-apiserver. */
export function notKarmada(e: unknown, server: string, program: string): unknown {
  if ((e as { code?: number }).code === 404 && /could not find|not found|404/i.test(String((e as Error).message))) {
    return new UserError(`${server} does not serve ${CLUSTER_API} clusters: it is not a Karmada control plane (or karmada-aggregated-apiserver is not running)`, {
      hint: `pass the karmada-apiserver kubeconfig with --kubeconfig (e.g. /etc/karmada/karmada-apiserver.config written by '${program} init') and its context with --karmada-context`,
    });
  }
  return e;
}

export async function listClusters(client: KubeApi, program: string): Promise<Cluster[]> {
  try {
    return (await client.list<Cluster>(CLUSTER_API, 'Cluster')).items;
  } catch (e) {
    throw notKarmada(e, client.server, program);
  }
}

export async function getCluster(client: KubeApi, name: string, program: string): Promise<Cluster | undefined> {
  try {
    return await client.get<Cluster>({ apiVersion: CLUSTER_API, kind: 'Cluster', name });
  } catch (e) {
    throw notKarmada(e, client.server, program);
  }
}

/** Cluster names for shell completion (never throws: completion must stay quiet). */
export async function completeClusterNames(ctx: Context, flags: Record<string, unknown>): Promise<string[]> {
  try {
    const { client } = await connectKarmada(ctx, karmadaTarget(flags));
    try {
      return (await client.list<Cluster>(CLUSTER_API, 'Cluster')).items.map((c) => c.metadata.name).sort();
    } finally {
      client.close();
    }
  } catch {
    return [];
  }
}

/** A resource-version-guarded read-modify-write, retried on 409 Conflict (optimistic concurrency). */
export async function updateWithRetry<T extends K8sObject>(client: KubeApi, read: () => Promise<T | undefined>, mutate: (cur: T) => T | undefined, attempts = 5): Promise<{ before: T; after?: T }> {
  for (let i = 0; ; i++) {
    const cur = await read();
    if (!cur) throw new Error('object disappeared');
    const next = mutate(structuredClone(cur));
    if (!next) return { before: cur };
    try {
      const after = await client.replace<T>({ ...next, metadata: { ...next.metadata, resourceVersion: cur.metadata.resourceVersion } });
      return { before: cur, after };
    } catch (e) {
      if ((e as { code?: number }).code !== 409 || i + 1 >= attempts) throw e;
    }
  }
}

export const showRef = (side: string, r: ObjectRef) => `${side}: ${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;

/**
 * unjoin's and unregister's member-side clean-up: deletes `refs` (404 is fine), then the namespace
 * only when karmada created it (it carries karmada.io/system=true). With `force`, a failed delete is a
 * warning and the rest goes on. Returns what was removed and what was deliberately kept.
 */
export async function removeMemberObjects(client: KubeApi, refs: ObjectRef[], namespace: string, o: { force: boolean; warn: (msg: string) => void }): Promise<{ removed: string[]; kept: string[] }> {
  const removed: string[] = [];
  const kept: string[] = [];
  for (const r of refs) {
    try {
      if (await client.delete(r)) removed.push(showRef('member', r));
    } catch (e) {
      if (!o.force) throw e;
      o.warn(`could not delete ${showRef('member', r)}: ${(e as Error).message}`);
    }
  }
  const nsRef = { apiVersion: 'v1', kind: 'Namespace', name: namespace };
  const ns = await client.get(nsRef);
  if (ns?.metadata.labels?.['karmada.io/system'] === SYSTEM_LABEL['karmada.io/system']) {
    await client.delete(nsRef);
    removed.push(showRef('member', nsRef));
  } else if (ns) kept.push(`${showRef('member', nsRef)} (not created by karmada)`);
  return { removed, kept };
}
