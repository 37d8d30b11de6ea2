/**
 * The policy `apply --all-clusters` / `-C` generates for each object (spec operate-resources.md §6.4,
 * karmada pkg/util/names GeneratePolicyName): a PropagationPolicy in the object's namespace, or a
 * ClusterPropagationPolicy for a cluster-scoped object, with one resource selector and the cluster
 * affinity. Pure logic.
 */
import type { K8sObject } from '../kube/types';

export const POLICY_API_VERSION = 'policy.karmada.io/v1alpha1';

/** FNV-1a, 32 bit, of the UTF-8 bytes. */
export function fnv32a(s: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(s, 'utf8')) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** apimachinery rand.SafeEncodeString: every byte through the safe alphabet (index = byte mod 27). */
export function safeEncodeString(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) out += ALPHANUMS[b % ALPHANUMS.length];
  return out;
}

/** `<group>/<version>, Kind=<Kind>` as schema.GroupVersionKind.String() writes it (core: `/v1, Kind=X`). */
export function gvkString(group: string, version: string, kind: string): string {
  return `${group}/${version}, Kind=${kind}`;
}

/** GeneratePolicyName: lower(name with ":"→"." + "-" + safeEncode(decimal fnv32a(ns + gvk))). */
export function generatePolicyName(namespace: string, name: string, gvk: string): string {
  const hash = safeEncodeString(String(fnv32a(namespace + gvk)));
  return `${name.replaceAll(':', '.')}-${hash}`.toLowerCase();
}

export interface PolicyTarget {
  group: string;
  version: string;
  kind: string;
  name: string;
  /** '' for cluster-scoped objects. */
  namespace: string;
  namespaced: boolean;
}

/** The generated policy object, field order as the reference sends it. */
export function generatePolicy(t: PolicyTarget, o: { allClusters: boolean; clusters: string[] }): K8sObject {
  const apiVersion = t.group ? `${t.group}/${t.version}` : t.version;
  const name = generatePolicyName(t.namespaced ? t.namespace : '', t.name, gvkString(t.group, t.version, t.kind));
  const selector: Record<string, string> = { apiVersion, kind: t.kind };
  if (t.namespaced) selector.namespace = t.namespace;
  selector.name = t.name;
  const clusterAffinity = o.allClusters ? {} : { clusterNames: [...o.clusters] };
  return {
    kind: t.namespaced ? 'PropagationPolicy' : 'ClusterPropagationPolicy',
    apiVersion: POLICY_API_VERSION,
    metadata: t.namespaced ? { name, namespace: t.namespace } : { name },
    spec: { resourceSelectors: [selector], placement: { clusterAffinity } },
  } as K8sObject;
}
