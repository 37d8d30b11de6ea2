import { isIP } from 'node:net';
import { UserError } from '../errors';
import type { K8sObject } from '../kube/types';

export type NodeLike = K8sObject & {
  spec?: { taints?: { key: string; value?: string; effect: string }[]; unschedulable?: boolean };
  status?: { conditions?: { type: string; status: string }[]; addresses?: { type: string; address: string }[] };
};

export const ETCD_NODE_LABEL = 'karmada.io/etcd';
export const CONTROL_PLANE_TAINT_KEYS = ['node-role.kubernetes.io/master', 'node-role.kubernetes.io/control-plane'];

/** Tolerations our flag adds so that pods may run on control-plane nodes. */
export const CONTROL_PLANE_TOLERATIONS = CONTROL_PLANE_TAINT_KEYS.map((key) => ({ key, operator: 'Exists', effect: 'NoSchedule' }));

const healthy = (n: NodeLike): string | undefined => {
  const c = new Map((n.status?.conditions ?? []).map((x) => [x.type, x.status]));
  if (c.get('Ready') !== 'True') return 'not Ready';
  for (const t of ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'NetworkUnavailable']) if (c.get(t) === 'True') return t;
  return undefined;
};

/** Taints that keep etcd off a node (with the flag, control-plane NoSchedule taints are tolerated). */
export function blockingTaints(n: NodeLike, tolerateControlPlane: boolean): string[] {
  return (n.spec?.taints ?? [])
    .filter((t) => !(tolerateControlPlane && t.effect === 'NoSchedule' && CONTROL_PLANE_TAINT_KEYS.includes(t.key)))
    .map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`);
}

/**
 * The node that gets the karmada.io/etcd label (hostPath etcd), as the reference picks it: the first
 * healthy node without blocking taints — unless a node is already labelled. hostPath etcd keeps its
 * data on that node, so it is never moved silently: a labelled node is kept, and when it cannot run
 * etcd (NotReady, pressure, taints) or several nodes carry the label, init stops with the fix.
 */
export function selectEtcdNode(nodes: NodeLike[], o: { tolerateControlPlaneTaints: boolean; program: string; dataPath?: string }): { name: string; reused: boolean } {
  const labelled = nodes.filter((n) => n.metadata.labels && ETCD_NODE_LABEL in n.metadata.labels);
  const data = o.dataPath ?? 'the etcd data directory (--etcd-data)';
  if (labelled.length > 1) {
    throw new UserError(`several nodes carry the ${ETCD_NODE_LABEL} label (${labelled.map((n) => n.metadata.name).join(', ')}): hostPath etcd could start on either, and on the wrong one with empty data`, {
      hint: `keep the label only on the node that holds ${data}: kubectl label node NODE ${ETCD_NODE_LABEL}-`,
    });
  }
  if (labelled.length === 1) {
    const n = labelled[0];
    const problems = [...(healthy(n) ? [healthy(n)!] : []), ...blockingTaints(n, o.tolerateControlPlaneTaints).map((t) => `taint ${t}`)];
    if (!problems.length) return { name: n.metadata.name, reused: true };
    throw new UserError(`etcd's node ${n.metadata.name} (labelled ${ETCD_NODE_LABEL}; its hostPath holds the etcd data) cannot run etcd: ${problems.join(', ')}; init does not move hostPath etcd to another node, where it would start empty`, {
      hint: `bring ${n.metadata.name} back${problems.some((p) => p.startsWith('taint')) ? ' (or remove the taint)' : ''} and re-run init; to move etcd on purpose, copy ${data} to the new node, then move the label: kubectl label node ${n.metadata.name} ${ETCD_NODE_LABEL}- && kubectl label node NEW_NODE ${ETCD_NODE_LABEL}=`,
    });
  }
  const reasons: string[] = [];
  for (const n of nodes) {
    const taints = blockingTaints(n, o.tolerateControlPlaneTaints);
    const h = healthy(n);
    if (!taints.length && !h) return { name: n.metadata.name, reused: false };
    reasons.push(`${n.metadata.name} (${[...(h ? [h] : []), ...taints.map((t) => `taint ${t}`)].join(', ')})`);
  }
  if (!nodes.length) throw new UserError('failed to find a healthy node for karmada-etcd: the host cluster has no nodes', { hint: 'add a node, or use --external-etcd-servers' });
  const cp = nodes.flatMap((n) => (n.spec?.taints ?? []).filter((t) => CONTROL_PLANE_TAINT_KEYS.includes(t.key) && t.effect === 'NoSchedule').map((t) => `kubectl taint node ${n.metadata.name} ${t.key}:${t.effect}-`));
  const fixes = [
    ...(cp.length && !o.tolerateControlPlaneTaints ? [`pass --tolerate-control-plane-taints to run on the control-plane node`, `or remove the taint: ${cp.join('; ')}`] : []),
    'or pass --etcd-node-selector-labels to choose the node yourself',
  ];
  throw new UserError(`failed to find a healthy node for karmada-etcd: ${reasons.join('; ')}`, { hint: fixes.join(', ') });
}

/** Nodes matched by explicit --etcd-node-selector-labels must exist and be able to run etcd (the reference does not check). */
export function checkSelectedNodes(nodes: NodeLike[], selector: Record<string, string>, o: { tolerateControlPlaneTaints: boolean }): string[] {
  const matched = nodes.filter((n) => Object.entries(selector).every(([k, v]) => (n.metadata.labels ?? {})[k] === v));
  const sel = Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',');
  if (!matched.length) throw new UserError(`no node found by label ${sel}`, { hint: `label a node: kubectl label node NODE ${Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(' ')}` });
  const usable = matched.filter((n) => !healthy(n) && !blockingTaints(n, o.tolerateControlPlaneTaints).length);
  if (!usable.length) {
    throw new UserError(`no node matching ${sel} can run etcd: ${matched.map((n) => `${n.metadata.name} (${[healthy(n), ...blockingTaints(n, o.tolerateControlPlaneTaints).map((t) => `taint ${t}`)].filter(Boolean).join(', ')})`).join('; ')}`, {
      hint: 'pass --tolerate-control-plane-taints, or remove the taints, or select another node',
    });
  }
  return usable.map((n) => n.metadata.name);
}

const firstAddress = (n: NodeLike) => {
  const a = n.status?.addresses ?? [];
  return (a.find((x) => x.type === 'InternalIP') ?? a.find((x) => isIP(x.address)))?.address;
};

/**
 * Addresses of the karmada-apiserver (init.md §4.2 step 4): the advertise address, else the IPs of the
 * master/control-plane nodes, else of the first three nodes. Non-IP addresses are skipped, not coerced.
 */
export function apiserverAddresses(nodes: NodeLike[], advertiseAddress?: string): string[] {
  if (advertiseAddress) return [advertiseAddress];
  const role = (k: string) => nodes.filter((n) => n.metadata.labels && k in n.metadata.labels);
  const masters = role('node-role.kubernetes.io/master').length ? role('node-role.kubernetes.io/master') : role('node-role.kubernetes.io/control-plane');
  const pick = (masters.length ? masters : nodes.slice(0, 3)).map(firstAddress).filter((a): a is string => !!a && !!isIP(a));
  if (!pick.length) throw new UserError('karmada apiserver ip is empty: no node has an IP address', { hint: 'pass --karmada-apiserver-advertise-address IP' });
  return [...new Set(pick)];
}
