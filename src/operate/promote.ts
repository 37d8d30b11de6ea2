/**
 * `promote` (spec operate-workloads.md §6): read an object from a member cluster through the cluster
 * proxy, strip it into a resource template (§6.5), create it (with its dependencies, §6.8) and a
 * (Cluster)PropagationPolicy (§6.7) in the karmada-apiserver. Returns lines; never writes stdout.
 *
 * Better than the reference (§8): `-o` with `-d` creates nothing; a policy that cannot be created
 * undoes what this run created (template and dependencies; nothing is written to the member); a
 * re-run of a finished promote changes nothing and says so.
 */
import { UserError } from '../errors';
import type { Factory, Target } from '../kubectl/factory';
import { apiVersionOf, collectionPath, objectPath, type RESTMapping } from '../kubectl/mapper';
import { isNotFound } from '../kube/errors';
import type { K8sObject } from '../kube/types';
import { generatePolicyName, gvkString, POLICY_API_VERSION } from './apply-policy';

export interface PromoteOptions {
  type: string;
  name: string;
  namespace: string;
  cluster: string;
  output: '' | 'json' | 'yaml';
  dryRun: boolean;
  dependencies: boolean;
  autoCreatePolicy: boolean;
  policyName: string;
  /** --cluster-kubeconfig: read the member with its own kubeconfig (context clusterContext), no Cluster GET. */
  clusterKubeconfig?: string;
  clusterContext?: string;
}

export interface PromoteIO {
  out(line: string): void;
  warn(line: string): void;
}

type Obj = K8sObject & Record<string, any>;

const CONFLICT_ANNOTATION = 'work.karmada.io/conflict-resolution';

/** `"apps/v1, Resource=deployments"` as Go's %q of a GVR prints. */
export const gvrString = (m: RESTMapping) => `"${m.group}/${m.version}, Resource=${m.resource}"`;

/** §6.5: what is stripped from the member's object. Pure; returns a new object. */
export function preprocess(src: Obj): Obj {
  const o: Obj = structuredClone(src);
  const md = (o.metadata ??= { name: '' }) as Record<string, any>;
  for (const k of ['creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation', 'managedFields', 'resourceVersion', 'selfLink', 'uid', 'ownerReferences', 'finalizers']) delete md[k];
  delete o.status;
  const ann = (md.annotations ?? {}) as Record<string, string>;
  const group = String(o.apiVersion ?? '').includes('/') ? String(o.apiVersion).split('/')[0] : '';
  const kind = `${group}/${o.kind}`;
  if (kind === 'apps/Deployment') {
    delete ann['deployment.kubernetes.io/revision'];
    delete ann['deployment.kubernetes.io/revision-history'];
  } else if (kind === 'batch/Job' && o.spec?.manualSelector !== true) {
    const ml = o.spec?.selector?.matchLabels;
    if (ml) for (const k of ['controller-uid', 'batch.kubernetes.io/controller-uid']) delete ml[k];
    const tl = o.spec?.template?.metadata?.labels;
    if (tl) for (const k of ['controller-uid', 'job-name', 'batch.kubernetes.io/controller-uid', 'batch.kubernetes.io/job-name']) delete tl[k];
  } else if (kind === '/Secret' && o.type === 'kubernetes.io/service-account-token') {
    delete ann['kubernetes.io/service-account.uid'];
    o.data = null;
  } else if (kind === '/ServiceAccount' && Array.isArray(o.secrets)) {
    // Unlike the reference's loop (§8.16), every token entry is removed.
    o.secrets = o.secrets.filter((s: any) => !String(s?.name ?? '').startsWith(`${md.name}-token-`));
  } else if (kind === '/Service' && o.spec && o.spec.clusterIP !== 'None') {
    delete o.spec.clusterIP;
    delete o.spec.clusterIPs;
  } else if (kind === '/PersistentVolumeClaim' && ann['volume.kubernetes.io/selected-node']) {
    delete ann['volume.kubernetes.io/selected-node'];
  }
  if (!(CONFLICT_ANNOTATION in ann)) ann[CONFLICT_ANNOTATION] = 'overwrite';
  md.annotations = ann;
  return o;
}

export interface DependencyRef {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

/** The pod spec of the workloads the native interpreter knows (§6.8.4). */
function podSpecOf(o: Obj): any {
  const group = String(o.apiVersion ?? '').includes('/') ? String(o.apiVersion).split('/')[0] : '';
  switch (`${group}/${o.kind}`) {
    case 'apps/Deployment':
    case 'apps/ReplicaSet':
    case 'apps/DaemonSet':
    case 'apps/StatefulSet':
    case 'batch/Job':
      return o.spec?.template?.spec;
    case 'batch/CronJob':
      return o.spec?.jobTemplate?.spec?.template?.spec;
    case '/Pod':
      return o.spec;
    default:
      return undefined;
  }
}

/** Karmada's default interpreter's GetDependencies (native rules, §6.8.4), sorted within a kind. */
export function nativeDependencies(o: Obj): DependencyRef[] | undefined {
  const ns = String(o.metadata?.namespace ?? '');
  const group = String(o.apiVersion ?? '').includes('/') ? String(o.apiVersion).split('/')[0] : '';
  if (`${group}/${o.kind}` === 'networking.k8s.io/Ingress') {
    const s = new Set<string>();
    for (const t of o.spec?.tls ?? []) if (t?.secretName) s.add(t.secretName);
    return [...s].sort().map((name) => ({ apiVersion: 'v1', kind: 'Secret', namespace: ns, name }));
  }
  const spec = podSpecOf(o);
  if (spec === undefined) return undefined;
  if (!spec) return [];
  const cms = new Set<string>(), secrets = new Set<string>(), pvcs = new Set<string>();
  const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
  for (const c of containers) {
    for (const e of c?.envFrom ?? []) {
      if (e?.configMapRef?.name) cms.add(e.configMapRef.name);
      if (e?.secretRef?.name) secrets.add(e.secretRef.name);
    }
    for (const e of c?.env ?? []) {
      if (e?.valueFrom?.configMapKeyRef?.name) cms.add(e.valueFrom.configMapKeyRef.name);
      if (e?.valueFrom?.secretKeyRef?.name) secrets.add(e.valueFrom.secretKeyRef.name);
    }
  }
  for (const s of spec.imagePullSecrets ?? []) if (s?.name) secrets.add(s.name);
  for (const v of spec.volumes ?? []) {
    if (!v) continue;
    if (v.configMap?.name) cms.add(v.configMap.name);
    if (v.secret?.secretName) secrets.add(v.secret.secretName);
    for (const p of v.projected?.sources ?? []) {
      if (p?.configMap?.name) cms.add(p.configMap.name);
      if (p?.secret?.name) secrets.add(p.secret.name);
    }
    if (v.azureFile?.secretName) secrets.add(v.azureFile.secretName);
    for (const k of ['cephfs', 'cinder', 'flexVolume', 'rbd', 'scaleIO', 'iscsi', 'storageos']) if (v[k]?.secretRef?.name) secrets.add(v[k].secretRef.name);
    if (v.csi?.nodePublishSecretRef?.name) secrets.add(v.csi.nodePublishSecretRef.name);
    if (v.persistentVolumeClaim?.claimName) pvcs.add(v.persistentVolumeClaim.claimName);
  }
  if (o.kind === 'StatefulSet') for (const t of o.spec?.volumeClaimTemplates ?? []) pvcs.delete(t?.metadata?.name);
  const out: DependencyRef[] = [];
  const add = (kind: string, names: Set<string>) => [...names].sort().forEach((name) => out.push({ apiVersion: 'v1', kind, namespace: ns, name }));
  add('ConfigMap', cms);
  add('Secret', secrets);
  const sa = spec.serviceAccountName;
  if (sa && sa !== 'default') out.push({ apiVersion: 'v1', kind: 'ServiceAccount', namespace: ns, name: sa });
  add('PersistentVolumeClaim', pvcs);
  return out;
}

/** The policy of §6.7, field order as the reference sends it. */
export function promotePolicy(m: RESTMapping, o: { name: string; namespace: string; cluster: string; policyName: string; deps: boolean }): Obj {
  const name = o.policyName || generatePolicyName(m.namespaced ? o.namespace : '', o.name, gvkString(m.group, m.version, m.kind));
  const spec: Record<string, unknown> = { resourceSelectors: [{ apiVersion: apiVersionOf(m), kind: m.kind, name: o.name }] };
  if (o.deps) spec.propagateDeps = true;
  spec.placement = { clusterAffinity: { clusterNames: [o.cluster] } };
  spec.conflictResolution = 'Overwrite';
  spec.preserveResourcesOnDeletion = true;
  return {
    kind: m.namespaced ? 'PropagationPolicy' : 'ClusterPropagationPolicy',
    apiVersion: POLICY_API_VERSION,
    metadata: m.namespaced ? { name, namespace: o.namespace } : { name },
    spec,
  } as Obj;
}

const msg = (e: unknown) => (e instanceof Error ? e.message : String(e));

async function getOrUndefined(t: Target, path: string): Promise<Obj | undefined> {
  try {
    return await t.client.request<Obj>('GET', path);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

export interface PromoteResult {
  /** Objects to print for -o (template, then the policy). */
  printed?: Obj[];
  exitCode: number;
}

/** Run promote. Lines go through io; errors are UserErrors with the reference's texts. */
export async function runPromote(f: Factory, o: PromoteOptions, io: PromoteIO): Promise<PromoteResult> {
  const C = o.cluster;
  let member: Target;
  try {
    if (o.clusterKubeconfig) {
      const { Factory } = await import('../kubectl/factory');
      member = await new Factory(f.ctx, { kubeconfig: o.clusterKubeconfig, context: o.clusterContext || C, namespace: '' }).karmada();
    } else member = await f.forCluster(C);
  } catch (e) {
    throw new UserError(`failed to get Factory of the member cluster. err: ${msg(e)}`);
  }
  let obj: Obj | undefined;
  try {
    const mm = (await member.mapper()).mappingFor(o.type);
    obj = await getOrUndefined(member, objectPath(mm, mm.namespaced ? o.namespace : undefined, o.name));
  } catch (e) {
    throw new UserError(`failed to get resource in cluster(${C}). err: ${msg(e)}`);
  }
  if (!obj) throw new UserError(`failed to get resource in cluster(${C}). err: the ${o.type} or ${o.name} don't exist in cluster(${C})`);

  let karmada: Target;
  let mapping: RESTMapping | undefined;
  try {
    karmada = await f.karmada();
    mapping = (await karmada.mapper()).mappingForKind(String(obj.apiVersion), String(obj.kind));
  } catch (e) {
    throw new UserError(`failed to create restmapper: ${msg(e)}`);
  }
  const gv = String(obj.apiVersion);
  if (!mapping) throw new UserError(`failed to get gvr from "${gv.includes('/') ? gv : `/${gv}`}, Kind=${obj.kind}": no matches for kind "${obj.kind}" in version "${gv}"`);
  const m = mapping;
  const ns = m.namespaced ? o.namespace : '';
  const where = m.namespaced ? `${gvrString(m)}(${ns}/${o.name})` : `${gvrString(m)}(${o.name})`;
  const template = preprocess(obj);
  const policy = o.autoCreatePolicy ? promotePolicy(m, { name: o.name, namespace: o.namespace, cluster: C, policyName: o.policyName, deps: o.dependencies }) : undefined;

  if (o.output) return { printed: policy ? [template, policy] : [template], exitCode: 0 };
  if (o.dryRun) return { exitCode: 0 };

  const path = objectPath(m, ns || undefined, o.name);
  let existing: Obj | undefined;
  try {
    existing = await getOrUndefined(karmada, path);
  } catch (e) {
    throw new UserError(`failed to get resource ${where} in control plane: ${msg(e)}`);
  }
  const policyPath = policy ? (m.namespaced ? `/apis/${POLICY_API_VERSION}/namespaces/${encodeURIComponent(ns)}/propagationpolicies/${encodeURIComponent(policy.metadata.name!)}` : `/apis/${POLICY_API_VERSION}/clusterpropagationpolicies/${encodeURIComponent(policy.metadata.name!)}`) : '';
  if (existing) {
    // A re-run of a finished promote: the template and our policy are there; nothing changes.
    if (policy && (await getOrUndefined(karmada, policyPath).catch(() => undefined))) {
      io.out(`Resource ${where} is already promoted (the resource template and ${policy.kind} ${policy.metadata.name} exist in karmada control plane); nothing changed`);
      return { exitCode: 0 };
    }
    io.warn(`Resource ${where} already exist in karmada control plane, you can edit PropagationPolicy and OverridePolicy to propagate it`);
    return { exitCode: 0 };
  }

  // Check the policy before anything is written, so a clash writes nothing.
  if (policy) {
    let p: Obj | undefined;
    try {
      p = await getOrUndefined(karmada, policyPath);
    } catch (e) {
      throw new UserError(m.namespaced ? `failed to get PropagationPolicy(${ns}/${policy.metadata.name}) in control plane: ${msg(e)}` : `failed to get ClusterPropagationPolicy(${policy.metadata.name}) in control plane: ${msg(e)}`);
    }
    if (p) throw new UserError(m.namespaced ? `the PropagationPolicy(${ns}/${policy.metadata.name}) already exist, please edit it to propagate resource` : `the ClusterPropagationPolicy(${policy.metadata.name}) already exist, please edit it to propagate resource`);
  }

  const created: { path: string; label: string }[] = [];
  const undo = async () => {
    for (const c of created.reverse()) {
      try {
        await karmada.client.request('DELETE', c.path);
        io.out(`${c.label} is reverted successfully`);
      } catch (e) {
        io.warn(`failed to revert ${c.label}: ${msg(e)}`);
      }
    }
  };
  try {
    if (o.dependencies) await promoteDependencies(member, karmada, obj, o, m, where, io, created);
    try {
      await karmada.client.request('POST', collectionPath(m, ns || undefined), { body: template, noRetry: true });
    } catch (e) {
      throw new UserError(`failed to create resource ${where} in control plane: ${msg(e)}`);
    }
    created.push({ path, label: `ResourceTemplate (${o.namespace}/${o.name})` });
    io.out(`ResourceTemplate (${o.namespace}/${o.name}) is created successfully`);
    if (policy) {
      const coll = policyPath.slice(0, policyPath.lastIndexOf('/'));
      try {
        await karmada.client.request('POST', coll, { body: policy, noRetry: true });
      } catch (e) {
        throw new UserError(`failed to create ${policy.kind} ${m.namespaced ? `(${ns}/${policy.metadata.name})` : policy.metadata.name}: ${msg(e)}`);
      }
      io.out(m.namespaced ? `PropagationPolicy (${ns}/${policy.metadata.name}) is created successfully` : `ClusterPropagationPolicy ${policy.metadata.name} is created successfully`);
    }
  } catch (e) {
    await undo();
    throw e;
  }
  io.out(`Resource ${where} is promoted successfully`);
  return { exitCode: 0 };
}

async function promoteDependencies(member: Target, karmada: Target, obj: Obj, o: PromoteOptions, m: RESTMapping, where: string, io: PromoteIO, created: { path: string; label: string }[]): Promise<void> {
  let deps: DependencyRef[] | undefined;
  try {
    const { configurableDependencies } = await import('./promote-lua');
    deps = await configurableDependencies(karmada, obj, io);
  } catch (e) {
    throw new UserError(`failed to promote dependencies of resource ${where} automatically: configurable interpreter failed to get dependencies of resource ${where}: ${msg(e)}`);
  }
  if (!deps) {
    deps = nativeDependencies(obj);
    if (deps) io.out('use default interpreter');
  }
  if (!deps) {
    io.warn('there is no interpreter configured support to interpret dependencies');
    return;
  }
  const kmapper = await karmada.mapper();
  const mmapper = await member.mapper();
  for (const d of deps) {
    const dns = o.namespace;
    let src: Obj | undefined;
    let dm: RESTMapping;
    try {
      const mm = mmapper.mappingFor(d.kind);
      src = await getOrUndefined(member, objectPath(mm, mm.namespaced ? dns : undefined, d.name));
      if (!src) throw new Error(`${mm.resource}${mm.group ? `.${mm.group}` : ''} "${d.name}" not found`);
    } catch (e) {
      throw new UserError(`failed to get dependency "${d.kind}"(${dns}/${d.name}) in cluster(${o.cluster}): ${msg(e)}`);
    }
    const km = kmapper.mappingForKind(String(src.apiVersion), String(src.kind));
    if (!km) throw new UserError(`failed to get dependency gvr from "${src.apiVersion}, Kind=${src.kind}": no matches for kind "${src.kind}"`);
    dm = km;
    const dwhere = dm.namespaced ? `${gvrString(dm)}(${dns}/${d.name})` : `${gvrString(dm)}(${d.name})`;
    const p = objectPath(dm, dm.namespaced ? dns : undefined, d.name);
    let exists: Obj | undefined;
    try {
      exists = await getOrUndefined(karmada, p);
    } catch (e) {
      throw new UserError(`failed to get dependency resource ${dwhere} in control plane: ${msg(e)}`);
    }
    if (exists) {
      // Unlike the reference (§8.10), an existing dependency is kept and the rest still promoted.
      io.warn(`Dependency resource ${dwhere} already exist in karmada control plane, you can edit PropagationPolicy and OverridePolicy to propagate it`);
      continue;
    }
    try {
      await karmada.client.request('POST', collectionPath(dm, dm.namespaced ? dns : undefined), { body: preprocess(src), noRetry: true });
    } catch (e) {
      throw new UserError(`failed to create dependency resource ${dwhere} in control plane: ${msg(e)}`);
    }
    created.push({ path: p, label: `Dependency resource ${dwhere}` });
    io.out(`Dependency resource ${dwhere} is promoted successfully`);
  }
  void m;
}
