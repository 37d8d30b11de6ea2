import { createHash, createHmac, randomBytes } from 'node:crypto';
import { parseCsr } from '../../../src/pki/x509';
import type { ApiCore } from './server';
import { decodeData } from './server';
import type { Obj, StoreEvent } from './store';
import type { Authority } from './certs';
import { apiVersionOf, type ResourceDef } from './registry';
import { parseLabelSelector } from './selectors';

export type FailureMode = 'never' | 'imagePull' | 'crashLoop';

export interface NodeSpec {
  name: string;
  labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: string }[];
  internalIP?: string;
  ready?: boolean;
}

interface Rule {
  match: (workload: Obj | undefined, image: string) => boolean;
  mode: FailureMode;
}

/** Controllers that make the test server behave like a small cluster. */
export class Simulation {
  /** Delay before a scheduled pod turns Ready. */
  podReadyDelayMs = 5;
  /** Approve every CSR automatically (optionally only for a signer). */
  autoApproveCsr: false | true | string = false;
  /** CSR names (or all, with true) that get Denied / Failed instead of being signed. */
  denyCsr: boolean | string[] = false;
  failCsr: boolean | string[] = false;
  /** karmada-controller-manager's cluster controller: adds its finalizer and the execution space; on deletion removes both. */
  clusterController = false;
  /** Clusters whose deletion the controller never finishes (as when it is down). */
  stuckClusterDeletion: string[] = [];
  /** Signer CAs per signerName (default: the server's CA). */
  signers = new Map<string, Authority>();
  private rules: Rule[] = [];
  private timers = new Set<NodeJS.Timeout>();
  private unsubscribe: () => void;

  constructor(private core: ApiCore, private ca: Authority) {
    this.unsubscribe = core.store.subscribe((e) => setImmediate(() => this.onEvent(e)));
  }

  stop() {
    this.unsubscribe();
    for (const t of this.timers) clearTimeout(t);
  }

  private later(ms: number, fn: () => void) {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    t.unref();
    this.timers.add(t);
  }

  // ---------------------------------------------------------------- switches

  /** Pods whose image matches fail in this mode (e.g. /registry\.k8s\.io/ and 'imagePull'). */
  failImages(pattern: RegExp, mode: FailureMode = 'imagePull') {
    this.rules.push({ match: (_w, img) => pattern.test(img), mode });
  }
  /** Pods of this workload (namespace/name or name) fail in this mode. */
  failWorkload(name: string, mode: FailureMode) {
    this.rules.push({ match: (w) => !!w && (w.metadata.name === name || `${w.metadata.namespace}/${w.metadata.name}` === name), mode });
  }
  clearFailures() {
    this.rules = [];
    // Pods stuck in a failure mode recover, as after a fixed image or a pull that finally works.
    for (const p of this.core.store.list(this.def('v1', 'Pod'))) if (!podReady(p)) this.startPod(p);
  }

  addNode(n: NodeSpec) {
    const node: Obj = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: n.name, labels: { 'kubernetes.io/hostname': n.name, 'kubernetes.io/os': 'linux', ...(n.labels ?? {}) } },
      spec: { ...(n.taints?.length ? { taints: n.taints } : {}) },
      status: {
        addresses: [{ type: 'InternalIP', address: n.internalIP ?? '127.0.0.1' }, { type: 'Hostname', address: n.name }],
        conditions: [
          { type: 'Ready', status: n.ready === false ? 'False' : 'True', reason: 'KubeletReady' },
          { type: 'MemoryPressure', status: 'False' },
          { type: 'DiskPressure', status: 'False' },
          { type: 'PIDPressure', status: 'False' },
        ],
      },
    };
    return this.core.store.put(this.def('v1', 'Node'), node);
  }

  private def(apiVersion: string, kind: string): ResourceDef {
    return this.core.defFor(apiVersion, kind);
  }

  // ---------------------------------------------------------------- controllers

  private onEvent(e: StoreEvent) {
    try {
      const k = e.def.kind;
      if (e.def.group === 'apps' && (k === 'Deployment' || k === 'StatefulSet' || k === 'DaemonSet')) {
        if (e.type !== 'DELETED') this.reconcileWorkload(e.def, e.object.metadata.namespace, e.object.metadata.name);
      } else if (k === 'Pod' && e.def.group === '') {
        const owner = e.object.metadata.ownerReferences?.[0];
        if (owner) this.updateWorkloadStatus(owner.kind, e.object.metadata.namespace, owner.name);
        else if (e.type === 'ADDED' && e.object.spec?.restartPolicy === 'Never') this.runToCompletion(e.object);
      } else if (k === 'Secret' && e.type !== 'DELETED') {
        this.populateToken(e.object);
        if (e.object.type === 'bootstrap.kubernetes.io/token') this.signClusterInfo();
      } else if (k === 'Secret' && e.type === 'DELETED' && e.object.type === 'bootstrap.kubernetes.io/token') {
        this.signClusterInfo();
      } else if (k === 'ConfigMap' && e.object.metadata.namespace === 'kube-public' && e.object.metadata.name === 'cluster-info' && e.type !== 'DELETED') {
        this.signClusterInfo();
      } else if (k === 'Cluster' && e.def.group === 'cluster.karmada.io' && e.type !== 'DELETED' && this.clusterController) {
        const name = e.object.metadata.name;
        setTimeout(() => this.reconcileCluster(name), 2).unref();
      } else if (k === 'CertificateSigningRequest' && e.type !== 'DELETED') {
        this.reconcileCsr(e.object);
      } else if (k === 'CustomResourceDefinition') {
        this.reconcileCrd(e.type, e.object);
      } else if (k === 'APIService') {
        this.reconcileApiService(e.type, e.object);
      }
    } catch {
      // A controller error must not crash the test process; the state simply does not progress.
    }
  }

  /** Bare run-once pods (clean-up jobs): recorded, then Succeeded after the usual start-up delay. */
  completedPods: Obj[] = [];
  private runToCompletion(pod: Obj) {
    setTimeout(() => {
      const podDef = this.def('v1', 'Pod');
      const cur = this.core.store.get(podDef, pod.metadata.namespace, pod.metadata.name);
      if (!cur) return;
      this.completedPods.push(cur);
      this.core.store.put(podDef, { ...cur, status: { phase: 'Succeeded', conditions: [{ type: 'PodScheduled', status: 'True' }] } });
    }, this.podReadyDelayMs).unref();
  }

  private reconcileCluster(name: string) {
    const def = this.def('cluster.karmada.io/v1alpha1', 'Cluster');
    const c = this.core.store.get(def, undefined, name);
    if (!c) return;
    const fin = 'karmada.io/cluster-controller';
    const nsDef = this.def('v1', 'Namespace');
    const es = `karmada-es-${name}`;
    const finalizers: string[] = c.metadata.finalizers ?? [];
    if (c.metadata.deletionTimestamp) {
      if (this.stuckClusterDeletion.includes(name) || !finalizers.includes(fin)) return;
      if (this.core.store.get(nsDef, undefined, es)) this.core.remove(nsDef, undefined, es);
      this.core.update(def, undefined, name, { ...c, metadata: { ...c.metadata, finalizers: finalizers.filter((f) => f !== fin) } }, { name: 'system:serviceaccount:karmada-system:karmada-controller-manager', groups: ['system:masters'] });
      return;
    }
    if (!this.core.store.get(nsDef, undefined, es)) this.core.store.put(nsDef, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: es }, status: { phase: 'Active' } });
    if (!finalizers.includes(fin)) this.core.store.put(def, { ...c, metadata: { ...c.metadata, finalizers: [...finalizers, fin] } });
  }

  private reconcileCrd(type: string, crd: Obj) {
    const spec = crd.spec ?? {};
    const defs: ResourceDef[] = (spec.versions ?? []).filter((v: { served?: boolean }) => v.served !== false).map((v: { name: string; subresources?: { status?: object; scale?: object } }) => ({
      group: spec.group,
      version: v.name,
      kind: spec.names?.kind,
      plural: spec.names?.plural,
      singular: spec.names?.singular ?? String(spec.names?.kind ?? '').toLowerCase(),
      shortNames: spec.names?.shortNames,
      namespaced: spec.scope === 'Namespaced',
      subresources: [...(v.subresources?.status ? ['status'] : []), ...(v.subresources?.scale ? ['scale'] : [])],
      origin: 'crd' as const,
    }));
    if (type === 'DELETED') {
      this.core.registry.remove((d) => d.origin === 'crd' && d.group === spec.group && d.plural === spec.names?.plural);
      return;
    }
    this.core.registry.add(defs);
    const established = (crd.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Established' && c.status === 'True');
    if (!established) {
      const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      this.core.store.put(this.def('apiextensions.k8s.io/v1', 'CustomResourceDefinition'), {
        ...crd,
        status: {
          conditions: [
            { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found', lastTransitionTime: now },
            { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted', lastTransitionTime: now },
          ],
          acceptedNames: spec.names,
          storedVersions: (spec.versions ?? []).filter((v: { storage?: boolean }) => v.storage).map((v: { name: string }) => v.name),
        },
      });
    }
  }

  private reconcileApiService(type: string, svc: Obj) {
    const group = svc.spec?.group;
    const version = svc.spec?.version;
    if (!group || svc.spec?.service === undefined) return;
    const defs = this.core.aggregated.filter((d) => d.group === group && d.version === version);
    if (type === 'DELETED') {
      this.core.registry.remove((d) => d.origin === 'aggregated' && d.group === group && d.version === version);
      return;
    }
    this.core.registry.add(defs);
    const blocked = this.core.unavailableApiServices.get(svc.metadata.name);
    const want = blocked ? 'False' : 'True';
    const cur = (svc.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Available');
    if (cur?.status !== want) {
      this.core.store.put(this.def('apiregistration.k8s.io/v1', 'APIService'), {
        ...svc,
        status: { conditions: [{ type: 'Available', status: want, reason: blocked ? blocked : 'Passed', message: blocked ? `failing or missing response from https://${svc.spec.service.name}.${svc.spec.service.namespace}.svc: ${blocked}` : 'all checks passed', lastTransitionTime: new Date().toISOString() }] },
      });
    }
  }

  private populateToken(s: Obj) {
    if (s.type !== 'kubernetes.io/service-account-token') return;
    const sa = s.metadata.annotations?.['kubernetes.io/service-account.name'];
    if (!sa || s.data?.token) return;
    const token = `sa-${randomBytes(24).toString('hex')}`;
    this.core.store.put(this.def('v1', 'Secret'), {
      ...s,
      data: { ...(s.data ?? {}), token: Buffer.from(token).toString('base64'), 'ca.crt': Buffer.from(this.ca.caPem).toString('base64'), namespace: Buffer.from(s.metadata.namespace).toString('base64') },
    });
  }

  /** kube-controller-manager's bootstrapsigner: a detached JWS per signing token in cluster-info. */
  private signClusterInfo() {
    const cmDef = this.def('v1', 'ConfigMap');
    const cm = this.core.store.get(cmDef, 'kube-public', 'cluster-info');
    if (!cm?.data?.kubeconfig) return;
    const want: Record<string, string> = {};
    for (const s of this.core.store.list(this.def('v1', 'Secret'), 'kube-system')) {
      if (s.type !== 'bootstrap.kubernetes.io/token') continue;
      const d = decodeData(s);
      if (d['usage-bootstrap-signing'] !== 'true' || !d['token-id'] || !d['token-secret']) continue;
      if (d.expiration && Date.parse(d.expiration) < Date.now()) continue;
      want[`jws-kubeconfig-${d['token-id']}`] = detachedJws(cm.data.kubeconfig, d['token-id'], d['token-secret']);
    }
    const data: Record<string, string> = {};
    for (const [k, v] of Object.entries(cm.data as Record<string, string>)) if (!k.startsWith('jws-kubeconfig-')) data[k] = v;
    Object.assign(data, want);
    if (JSON.stringify(data) !== JSON.stringify(cm.data)) this.core.store.put(cmDef, { ...cm, data });
  }

  private reconcileCsr(csr: Obj) {
    const def = this.def('certificates.k8s.io/v1', 'CertificateSigningRequest');
    const conds: { type: string; status: string }[] = csr.status?.conditions ?? [];
    const has = (t: string) => conds.some((c) => c.type === t && c.status === 'True');
    const name = csr.metadata.name;
    const listed = (v: boolean | string[]) => v === true || (Array.isArray(v) && v.includes(name));
    if (has('Denied') || has('Failed') || csr.status?.certificate) return;
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    if (!has('Approved')) {
      if (listed(this.denyCsr)) {
        this.core.store.put(def, { ...csr, status: { conditions: [{ type: 'Denied', status: 'True', reason: 'TestDenied', message: 'denied by the test', lastUpdateTime: now, lastTransitionTime: now }] } });
        return;
      }
      const auto = this.autoApproveCsr === true || (typeof this.autoApproveCsr === 'string' && this.autoApproveCsr === csr.spec?.signerName);
      if (auto) this.core.store.put(def, { ...csr, status: { conditions: [{ type: 'Approved', status: 'True', reason: 'AutoApproved', message: 'approved by the test server', lastUpdateTime: now, lastTransitionTime: now }] } });
      return;
    }
    if (listed(this.failCsr)) {
      this.core.store.put(def, { ...csr, status: { ...csr.status, conditions: [...conds, { type: 'Failed', status: 'True', reason: 'SignerValidationFailure', message: 'failed by the test', lastUpdateTime: now, lastTransitionTime: now }] } });
      return;
    }
    const signer = this.signers.get(csr.spec?.signerName) ?? this.ca;
    let req: ReturnType<typeof parseCsr>;
    try {
      req = parseCsr(Buffer.from(csr.spec.request, 'base64').toString('utf8'));
      if (!req.signatureValid) throw new Error('the request signature does not verify');
    } catch (e) {
      this.core.store.put(def, { ...csr, status: { ...csr.status, conditions: [...conds, { type: 'Failed', status: 'True', reason: 'SignerValidationFailure', message: (e as Error).message, lastUpdateTime: now, lastTransitionTime: now }] } });
      return;
    }
    const { cn, orgs } = req;
    const usages: string[] = csr.spec.usages ?? [];
    const certPem = signer.sign(
      { cn, orgs, client: usages.includes('client auth'), server: usages.includes('server auth'), validitySeconds: csr.spec.expirationSeconds ?? 365 * 86_400 },
      req.publicKey,
    );
    this.core.store.put(def, { ...csr, status: { ...csr.status, certificate: Buffer.from(certPem).toString('base64') } });
  }

  // ---------------------------------------------------------------- workloads

  private reconcileWorkload(def: ResourceDef, ns: string, name: string) {
    const w = this.core.store.get(def, ns, name);
    if (!w) return;
    const podDef = this.def('v1', 'Pod');
    const template = w.spec?.template ?? {};
    const hash = createHash('sha256').update(JSON.stringify(template)).digest('hex').slice(0, 10);
    const nodes = this.core.store.list(this.def('v1', 'Node'));
    const want = def.kind === 'DaemonSet' ? nodes.filter((n) => this.fits(template, n, [])).length : (w.spec?.replicas ?? 1);
    const owned = () => this.core.store.list(podDef, ns).filter((p) => p.metadata.ownerReferences?.some((r: { uid: string }) => r.uid === w.metadata.uid));
    // Roll: pods of an older template go away.
    for (const p of owned()) if (p.metadata.labels?.['pod-template-hash'] !== hash) this.core.store.delete(podDef, ns, p.metadata.name);
    let pods = owned();
    for (const p of pods.slice(want)) this.core.store.delete(podDef, ns, p.metadata.name);
    pods = owned();
    for (let i = pods.length; i < want; i++) {
      const podName = def.kind === 'StatefulSet' ? `${name}-${i}` : `${name}-${hash.slice(0, 9)}-${randomBytes(3).toString('hex').slice(0, 5)}`;
      const pod: Obj = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: podName, namespace: ns, labels: { ...(template.metadata?.labels ?? {}), 'pod-template-hash': hash }, ownerReferences: [{ apiVersion: apiVersionOf(def), kind: def.kind, name, uid: w.metadata.uid, controller: true, blockOwnerDeletion: true }] },
        spec: JSON.parse(JSON.stringify(template.spec ?? {})),
        status: { phase: 'Pending', conditions: [] },
      };
      const node = this.schedule(pod, nodes);
      if (!node) {
        pod.status = { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: this.unschedulableMessage(pod, nodes) }] };
        const created = this.core.store.put(podDef, pod);
        this.event(created, 'Warning', 'FailedScheduling', this.unschedulableMessage(pod, nodes));
        continue;
      }
      pod.spec.nodeName = node;
      pod.status = { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }], containerStatuses: (pod.spec.containers ?? []).map((c: { name: string; image: string }) => ({ name: c.name, image: c.image, ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } })) };
      const created = this.core.store.put(podDef, pod);
      this.startPod(created, w);
    }
    this.updateWorkloadStatus(def.kind, ns, name);
  }

  private startPod(pod: Obj, workload?: Obj) {
    const podDef = this.def('v1', 'Pod');
    if (!pod.spec?.nodeName) return;
    const w = workload ?? this.ownerOf(pod);
    const images: string[] = (pod.spec.containers ?? []).map((c: { image: string }) => c.image);
    const rule = this.rules.find((r) => images.some((img) => r.match(w, img)));
    this.later(this.podReadyDelayMs, () => {
      const cur = this.core.store.get(podDef, pod.metadata.namespace, pod.metadata.name);
      if (!cur) return;
      if (rule?.mode === 'never') return;
      if (rule?.mode === 'imagePull') {
        const bad = (cur.spec.containers ?? []).find((c: { image: string }) => rule.match(w, c.image)) ?? cur.spec.containers[0];
        cur.status = {
          ...cur.status,
          phase: 'Pending',
          containerStatuses: (cur.spec.containers ?? []).map((c: { name: string; image: string }) => ({ name: c.name, image: c.image, ready: false, restartCount: 0, state: { waiting: c === bad || c.image === bad.image ? { reason: 'ImagePullBackOff', message: `Back-off pulling image "${c.image}"` } : { reason: 'ContainerCreating' } } })),
          conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: 'False', reason: 'ContainersNotReady' }],
        };
        this.core.store.put(podDef, cur);
        this.event(cur, 'Warning', 'Failed', `Failed to pull image "${bad.image}": rpc error: code = Unknown desc = failed to pull and unpack image "${bad.image}": dial tcp: i/o timeout`);
        this.event(cur, 'Warning', 'BackOff', `Back-off pulling image "${bad.image}"`);
        return;
      }
      if (rule?.mode === 'crashLoop') {
        cur.status = {
          ...cur.status,
          phase: 'Running',
          containerStatuses: (cur.spec.containers ?? []).map((c: { name: string; image: string }) => ({ name: c.name, image: c.image, ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off 40s restarting failed container=${c.name}` } }, lastState: { terminated: { exitCode: 1, reason: 'Error' } } })),
          conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: 'False', reason: 'ContainersNotReady' }],
        };
        this.core.store.put(podDef, cur);
        this.event(cur, 'Warning', 'BackOff', 'Back-off restarting failed container');
        return;
      }
      cur.status = {
        phase: 'Running',
        podIP: `10.244.0.${1 + Math.floor(Math.random() * 250)}`,
        startTime: new Date().toISOString(),
        containerStatuses: (cur.spec.containers ?? []).map((c: { name: string; image: string }) => ({ name: c.name, image: c.image, ready: true, started: true, restartCount: 0, state: { running: { startedAt: new Date().toISOString() } } })),
        conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'Initialized', status: 'True' }, { type: 'ContainersReady', status: 'True' }, { type: 'Ready', status: 'True' }],
      };
      this.core.store.put(podDef, cur);
    });
  }

  private ownerOf(pod: Obj): Obj | undefined {
    const r = pod.metadata.ownerReferences?.[0];
    if (!r) return undefined;
    return this.core.store.get(this.def('apps/v1', r.kind), pod.metadata.namespace, r.name);
  }

  private updateWorkloadStatus(kind: string, ns: string, name: string) {
    if (!['Deployment', 'StatefulSet', 'DaemonSet'].includes(kind)) return;
    const def = this.def('apps/v1', kind);
    const w = this.core.store.get(def, ns, name);
    if (!w) return;
    const pods = this.core.store.list(this.def('v1', 'Pod'), ns).filter((p) => p.metadata.ownerReferences?.some((r: { uid: string }) => r.uid === w.metadata.uid));
    const ready = pods.filter(podReady).length;
    const replicas = pods.length;
    let status: Record<string, unknown>;
    if (kind === 'DaemonSet') {
      status = { observedGeneration: w.metadata.generation, desiredNumberScheduled: replicas, currentNumberScheduled: replicas, numberReady: ready, updatedNumberScheduled: replicas, numberAvailable: ready };
    } else {
      const want = w.spec?.replicas ?? 1;
      status = { observedGeneration: w.metadata.generation, replicas, readyReplicas: ready, updatedReplicas: replicas, availableReplicas: ready, ...(kind === 'StatefulSet' ? { currentReplicas: replicas, currentRevision: `${name}-1`, updateRevision: `${name}-1` } : {}) };
      if (kind === 'Deployment') {
        status.conditions = [
          { type: 'Available', status: ready >= want ? 'True' : 'False', reason: ready >= want ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable', message: ready >= want ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.' },
          { type: 'Progressing', status: 'True', reason: ready >= want ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated' },
        ];
      }
    }
    if (JSON.stringify(stripTimes(w.status)) === JSON.stringify(stripTimes(status))) return;
    this.core.store.put(def, { ...w, status });
  }

  // ---------------------------------------------------------------- scheduling

  private schedule(pod: Obj, nodes: Obj[]): string | undefined {
    const pods = this.core.store.list(this.def('v1', 'Pod'));
    return nodes.find((n) => this.fits(pod.spec.template ?? pod, n, pods))?.metadata.name;
  }

  private fits(podOrTemplate: Obj, node: Obj, pods: Obj[]): boolean {
    const spec = podOrTemplate.spec ?? {};
    const ready = (node.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');
    if (!ready || node.spec?.unschedulable) return false;
    const tolerations: { key?: string; operator?: string; value?: string; effect?: string }[] = spec.tolerations ?? [];
    for (const t of node.spec?.taints ?? []) {
      if (t.effect === 'PreferNoSchedule') continue;
      const tolerated = tolerations.some((tol) => (!tol.effect || tol.effect === t.effect) && (tol.operator === 'Exists' ? !tol.key || tol.key === t.key : tol.key === t.key && (tol.value ?? '') === (t.value ?? '')));
      if (!tolerated) return false;
    }
    const labels = node.metadata.labels ?? {};
    for (const [k, v] of Object.entries(spec.nodeSelector ?? {})) if (labels[k] !== v) return false;
    const anti = spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
    for (const term of anti) {
      if (term.topologyKey !== 'kubernetes.io/hostname') continue;
      const sel = term.labelSelector ?? {};
      const expr = [...Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`), ...(sel.matchExpressions ?? []).map((e: { key: string; operator: string; values?: string[] }) => (e.operator === 'In' ? `${e.key} in (${(e.values ?? []).join(',')})` : e.operator === 'Exists' ? e.key : ''))].filter(Boolean).join(',');
      const m = parseLabelSelector(expr);
      if (pods.some((p) => p.spec?.nodeName === node.metadata.name && p.metadata.deletionTimestamp === undefined && m(p.metadata.labels ?? {}))) return false;
    }
    return true;
  }

  private unschedulableMessage(pod: Obj, nodes: Obj[]): string {
    const reasons = new Map<string, number>();
    for (const n of nodes) {
      const taint = (n.spec?.taints ?? []).find((t: { effect: string; key: string }) => t.effect !== 'PreferNoSchedule' && !(pod.spec.tolerations ?? []).some((tol: { key?: string; operator?: string }) => tol.operator === 'Exists' && (!tol.key || tol.key === t.key)));
      const r = taint ? `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}` : "node(s) didn't match pod anti-affinity rules or node selector";
      reasons.set(r, (reasons.get(r) ?? 0) + 1);
    }
    return `0/${nodes.length} nodes are available: ${[...reasons].map(([r, c]) => `${c} ${r}`).join(', ')}. preemption: 0/${nodes.length} nodes are available.`;
  }

  private event(obj: Obj, type: string, reason: string, message: string) {
    const evDef = this.def('v1', 'Event');
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    this.core.store.put(evDef, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${obj.metadata.name}.${randomBytes(8).toString('hex')}`, namespace: obj.metadata.namespace },
      involvedObject: { kind: obj.kind, name: obj.metadata.name, namespace: obj.metadata.namespace, uid: obj.metadata.uid, apiVersion: obj.apiVersion },
      type,
      reason,
      message,
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
      source: { component: reason === 'FailedScheduling' ? 'default-scheduler' : 'kubelet' },
    });
  }
}

function podReady(p: Obj): boolean {
  return (p.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');
}

function stripTimes(o: unknown) {
  return o;
}

/** k8s.io/cluster-bootstrap/token/jws ComputeDetachedSignature: HS256 JWS with kid, payload detached. */
export function detachedJws(content: string, tokenId: string, tokenSecret: string): string {
  const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64url');
  const header = b64(JSON.stringify({ alg: 'HS256', kid: tokenId }));
  const sig = createHmac('sha256', tokenSecret).update(`${header}.${b64(content)}`).digest();
  return `${header}..${b64(sig)}`;
}
