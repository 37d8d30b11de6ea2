/**
 * `apply` and `create -f` on the kubectl layer: kubectl's client-side apply (the
 * last-applied-configuration annotation and the three-way merge: strategic merge for built-in kinds,
 * JSON merge for custom resources), server-side apply, and karmadactl's `--all-clusters` /
 * `--cluster` policy generation (apply-policy.ts).
 *
 * Better than the reference: every document of every file is read, decoded, mapped and checked
 * (kind, type known to the server, name, namespace rules, clusters) before the first write; any
 * problem there writes nothing. Errors the server returns while writing are collected per object,
 * and the remaining objects are still applied (kubectl).
 */
import { UsageError } from '../errors';
import type { Factory } from '../kubectl/factory';
import { readFilenames, type FileSource } from '../kubectl/builder';
import { splitSelector } from '../kubectl/selector';
import { collectionPath, kindGroup, objectPath, type RESTMapping } from '../kubectl/mapper';
import { goJSON } from '../kubectl/printers/gojson';
import type { K8sObject } from '../kube/types';
import { KubeApiError, isNotFound } from '../kube/errors';
import { builtinSchema, createThreeWayJSONMergePatch, createThreeWayMergePatch, jsonMergePatch, strategicMergePatch, type Json } from '../kubectl/strategicpatch';
import { patchSchemaFor } from '../kubectl/strategicpatch-openapi';
import { generatePolicy, POLICY_API_VERSION } from './apply-policy';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export type DryRun = 'none' | 'client' | 'server';
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface ApplyOptions {
  mode: 'apply' | 'create';
  filenames: string[];
  recursive: boolean;
  selector: string;
  serverSide: boolean;
  forceConflicts: boolean;
  fieldManager: string;
  dryRun: DryRun;
  validation: FieldValidation;
  allClusters: boolean;
  clusters: string[];
  /** `create <kind>` generators: the object names its namespace only with -n (kubectl's EnforceNamespace). */
  generator?: boolean;
  /** `create <kind>`: kubectl wraps the server's error as `failed to create <what>: <message>` (losing its type). */
  errorPrefix?: string;
  /** create: --save-config. */
  saveConfig?: boolean;
  /** Collect the resulting objects (structured -o). */
  collect: boolean;
  cwd: string;
  stdin?: NodeJS.ReadableStream;
}

/** One object to write, decoded and mapped. */
export interface PlannedObject {
  obj: K8sObject;
  mapping: RESTMapping;
  namespace: string;
  source: string;
  /** A policy generated for the previous object. */
  generated?: boolean;
}

export interface ApplyIO {
  /** An output line (`deployment.apps/web created`). */
  line(text: string): void;
  /** An error line, printed as is. */
  error(text: string): void;
  warn(text: string): void;
}

export interface ApplyResult {
  objects: K8sObject[];
  failed: number;
}

// ------------------------------------------------------------------------------ validation

export function parseDryRun(v: unknown): DryRun {
  const s = String(v ?? 'none');
  if (s === 'none' || s === 'client' || s === 'server') return s;
  if (s === 'unchanged' || s === 'true') return 'client';
  if (s === 'false') return 'none';
  throw new UsageError(`Invalid dry-run value (${s}). Must be "none", "server", or "client".`);
}

export function parseValidate(v: unknown): FieldValidation {
  const s = String(v ?? 'strict').toLowerCase();
  if (s === 'strict' || s === 'true') return 'Strict';
  if (s === 'warn') return 'Warn';
  if (s === 'ignore' || s === 'false') return 'Ignore';
  throw new UsageError(`invalid - validate option "${String(v)}"; must be one of: strict (or true), warn, ignore (or false)`);
}

/** kubectl apply's flag rules (skipped by the reference when --cluster is given; kept here always). */
export function validateApplyFlags(o: ApplyOptions): void {
  if (!o.filenames.length) throw new UsageError('must specify one of -f and -k', { hint: 'name the manifests with -f FILE|DIR|URL|-' });
  if (o.allClusters && o.clusters.length) throw new UsageError('--all-clusters and --cluster cannot be used together', { hint: 'give one of them' });
  if (o.forceConflicts && !o.serverSide) throw new UsageError('--force-conflicts only works with --server-side', { hint: 'add --server-side' });
  if (o.serverSide && o.dryRun === 'client') throw new UsageError("--dry-run=client doesn't work with --server-side (did you mean --dry-run=server instead?)");
}

const LABEL_RE = /^[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?$/;

/** A label selector as a predicate (`k=v`, `k==v`, `k!=v`, `k`, `!k`, `k in (a,b)`, `k notin (a,b)`). */
export function selectorMatcher(sel: string): (labels: Record<string, string>) => boolean {
  if (!sel.trim()) return () => true;
  const parts = splitSelector(sel);
  const tests = parts.map((raw) => {
    const p = raw.trim();
    let m: RegExpMatchArray | null;
    if ((m = p.match(/^(\S+)\s+(in|notin)\s+\(([^()]*)\)$/))) {
      const [, k, op, vs] = m;
      const set = vs.split(',').map((x) => x.trim());
      return (l: Record<string, string>) => (op === 'in' ? k in l && set.includes(l[k]) : !(k in l) || !set.includes(l[k]));
    }
    if ((m = p.match(/^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/))) {
      const [, k, op, v] = m;
      if (!LABEL_RE.test(k)) break_(sel);
      return (l: Record<string, string>) => (op === '!=' ? l[k] !== v : l[k] === v);
    }
    if ((m = p.match(/^!(\S+)$/)) && LABEL_RE.test(m[1])) {
      const k = m[1];
      return (l: Record<string, string>) => !(k in l);
    }
    if (LABEL_RE.test(p)) return (l: Record<string, string>) => p in l;
    return break_(sel);
  });
  return (labels) => tests.every((t) => t(labels));
}

function break_(sel: string): never {
  throw new UsageError(`unable to parse requirement: invalid label selector "${sel}"`, { hint: 'write -l key=value, key!=value, key in (a,b), key or !key, separated by commas' });
}

/** Built-in API groups: objects of these are in kubectl's scheme and get a strategic merge patch. */
const BUILTIN_GROUPS = new Set([
  '', 'apps', 'batch', 'autoscaling', 'policy', 'rbac.authorization.k8s.io', 'networking.k8s.io', 'storage.k8s.io',
  'admissionregistration.k8s.io', 'coordination.k8s.io', 'discovery.k8s.io', 'events.k8s.io', 'node.k8s.io',
  'scheduling.k8s.io', 'certificates.k8s.io', 'flowcontrol.apiserver.k8s.io', 'resource.k8s.io', 'authentication.k8s.io',
  'authorization.k8s.io', 'apiserverinternal.k8s.io', 'storagemigration.k8s.io',
]);

export const isBuiltinGroup = (group: string) => BUILTIN_GROUPS.has(group);

function describeObj(o: K8sObject): string {
  const name = o.metadata?.name ? ` "${o.metadata.name}"` : '';
  return `${o.kind}${name}`;
}

/**
 * Reads, decodes, maps and checks every object of every source before anything is written. All
 * problems are collected; the caller writes nothing if there is one.
 */
export async function planApply(f: Factory, o: ApplyOptions, given?: FileSource[]): Promise<{ plan: PlannedObject[]; errors: string[] }> {
  const sources = given ?? (await readFilenames(o.filenames, { recursive: o.recursive, cwd: o.cwd, stdin: o.stdin }));
  const match = selectorMatcher(o.selector);
  const target = await f.karmada();
  const mapper = await target.mapper();
  const { namespace: defaultNs, explicit } = await f.namespace();
  const errors: string[] = [];
  const plan: PlannedObject[] = [];
  let total = 0;
  for (const s of sources) {
    for (const raw of s.objects) {
      total++;
      const obj = JSON.parse(JSON.stringify(raw)) as K8sObject;
      if (typeof obj.kind !== 'string' || typeof obj.apiVersion !== 'string') {
        errors.push(`error: error validating "${s.source}": apiVersion and kind must be strings; fix the manifest`);
        continue;
      }
      if (!obj.metadata || typeof obj.metadata !== 'object') obj.metadata = {} as K8sObject['metadata'];
      const mapping = mapper.mappingForKind(obj.apiVersion, obj.kind);
      if (!mapping) {
        errors.push(`error: resource mapping not found for name: "${obj.metadata.name ?? ''}" namespace: "${obj.metadata.namespace ?? ''}" from "${s.source}": no matches for kind "${obj.kind}" in version "${obj.apiVersion}"; ensure CRDs are installed first`);
        continue;
      }
      const name = obj.metadata.name;
      if (typeof name !== 'string' || !name) {
        errors.push(`error: ${describeObj(obj)} in "${s.source}" has no metadata.name; ${o.mode} needs a name (metadata.generateName is for create only)`);
        if (o.mode === 'apply' || !obj.metadata.generateName) continue;
      } else if (name === '.' || name === '..' || /[/%]/.test(name)) {
        errors.push(`error: ${describeObj(obj)} in "${s.source}": invalid name ${JSON.stringify(name)}: may not be '.' or '..' and may not contain '/' or '%'; fix metadata.name`);
        continue;
      }
      let namespace = '';
      if (mapping.namespaced) {
        const own = typeof obj.metadata.namespace === 'string' ? obj.metadata.namespace : '';
        if (own && explicit && own !== defaultNs) {
          errors.push(`error: the namespace from the provided object "${own}" does not match the namespace "${defaultNs}". You must pass '--namespace=${own}' to perform this operation.`);
          continue;
        }
        namespace = own || defaultNs;
        if (!o.generator || explicit) obj.metadata.namespace = namespace;
      } else delete obj.metadata.namespace;
      if (!match(obj.metadata.labels ?? {})) continue;
      plan.push({ obj, mapping, namespace, source: s.source });
    }
  }
  if (!total) errors.push(`error: no objects passed to ${o.mode}; the files given with -f hold no object`);
  if (o.allClusters || o.clusters.length) {
    const pp = mapper.mappingForKind(POLICY_API_VERSION, 'PropagationPolicy');
    const cpp = mapper.mappingForKind(POLICY_API_VERSION, 'ClusterPropagationPolicy');
    if (!pp || !cpp) errors.push(`error: unable to recognize resource: no matches for kind "${!pp ? 'PropagationPolicy' : 'ClusterPropagationPolicy'}" in version "${POLICY_API_VERSION}"; point --kubeconfig/--karmada-context at a Karmada control plane`);
    if (o.clusters.length) {
      const known = new Set((await f.clusters()).map((c) => c.metadata.name));
      for (const c of o.clusters) if (!known.has(c)) errors.push(`error: cluster ${c} does not exist; list the joined clusters with \`${f.ctx.program} get clusters\``);
    }
    if (!errors.length && pp && cpp) {
      const out: PlannedObject[] = [];
      for (const p of plan) {
        out.push(p);
        const m = p.mapping;
        const policy = generatePolicy({ group: m.group, version: m.version, kind: m.kind, name: p.obj.metadata.name, namespace: p.namespace, namespaced: m.namespaced }, { allClusters: o.allClusters, clusters: o.clusters });
        out.push({ obj: policy, mapping: m.namespaced ? pp : cpp, namespace: p.namespace, source: p.source, generated: true });
      }
      return { plan: out, errors };
    }
  }
  return { plan, errors };
}

// ------------------------------------------------------------------------------ writing

/** kubectl's GetModifiedConfiguration: the object with its own JSON (sorted keys, newline) in the annotation. */
export function withLastApplied(obj: K8sObject, o: { typed?: boolean } = {}): K8sObject {
  const copy = JSON.parse(JSON.stringify(obj)) as K8sObject;
  const annots = { ...(copy.metadata.annotations ?? {}) };
  delete annots[LAST_APPLIED];
  copy.metadata.annotations = annots;
  // A typed Go object (the generated policies) drops the empty map (omitempty) and keeps its
  // struct field order; an object decoded from a file (unstructured) keeps `annotations: {}` and
  // sorts its keys.
  if (o.typed && !Object.keys(annots).length) delete (copy.metadata as { annotations?: unknown }).annotations;
  const text = `${goJSON(copy, '', !o.typed)}\n`;
  copy.metadata.annotations = { ...annots, [LAST_APPLIED]: text };
  return copy;
}

function suffix(dry: DryRun): string {
  return dry === 'client' ? ' (dry run)' : dry === 'server' ? ' (server dry run)' : '';
}

function writeQuery(o: ApplyOptions): Record<string, string | undefined> {
  return { fieldManager: o.fieldManager, fieldValidation: o.validation, dryRun: o.dryRun === 'server' ? 'All' : undefined };
}

function serverError(e: unknown, verb: string, source: string): string {
  const where = source ? `error when ${verb} "${source}": ` : '';
  if (e instanceof KubeApiError) {
    // kubectl's CheckErr for an Invalid status with details: `The <Kind> "<name>" is invalid: <causes>`.
    const d = e.status.details;
    if (e.reason === 'Invalid' && d && (d.kind || d.name) && d.causes?.length) {
      const causes = d.causes.map((c) => (c.field ? `${c.field}: ${c.message ?? ''}` : (c.message ?? '')));
      return `The ${d.kind ?? ''} "${d.name ?? ''}" is invalid: ${causes.length === 1 ? causes[0] : `\n${causes.map((c) => `* ${c}`).join('\n')}`}`;
    }
    return `Error from server (${e.reason}): ${where}${e.status.message ?? e.message}`;
  }
  const hint = (e as { hint?: string }).hint;
  return `error: ${where}${(e as Error).message}${hint ? `; ${hint}` : ''}`;
}

/** Writes the plan, one object after the other; server errors are collected and the rest still written. */
export async function executeApply(f: Factory, o: ApplyOptions, plan: PlannedObject[], io: ApplyIO): Promise<ApplyResult> {
  const client = await f.client();
  const objects: K8sObject[] = [];
  let failed = 0;
  for (const p of plan) {
    const ref = `${kindGroup(p.mapping)}/${p.obj.metadata.name}`;
    const path = objectPath(p.mapping, p.namespace, p.obj.metadata.name);
    const step = { verb: o.mode === 'create' ? 'creating' : 'applying' };
    try {
      let result: K8sObject;
      let status: string;
      if (o.mode === 'create') {
        const body = o.saveConfig ? withLastApplied(p.obj, { typed: o.generator }) : p.obj;
        result = o.dryRun === 'client' ? body : await client.request<K8sObject>('POST', collectionPath(p.mapping, p.namespace), { body, query: writeQuery(o), noRetry: true });
        status = 'created';
      } else if (o.serverSide) {
        result = await client.request<K8sObject>('PATCH', path, {
          body: p.obj,
          contentType: 'application/apply-patch+yaml',
          query: { ...writeQuery(o), force: o.forceConflicts ? 'true' : undefined },
        });
        status = 'serverside-applied';
      } else {
        ({ result, status } = await clientSideApply(client, o, p, path, io, step));
      }
      objects.push(result);
      if (!o.collect) io.line(`${ref} ${status}${suffix(o.dryRun)}`);
    } catch (e) {
      failed++;
      if (o.serverSide && e instanceof KubeApiError && e.code === 409 && !o.forceConflicts) {
        io.error(`error: ${e.status.message ?? e.message}; the fields above are managed by another field manager: re-run with --force-conflicts to take them over, or remove them from the manifest`);
      } else if (o.errorPrefix && e instanceof KubeApiError) io.error(`error: ${o.errorPrefix}: ${e.status.message ?? e.message}`);
      else io.error(serverError(e, step.verb, p.source));
    }
  }
  return { objects, failed };
}

type Client = Awaited<ReturnType<Factory['client']>>;

async function clientSideApply(client: Client, o: ApplyOptions, p: PlannedObject, path: string, io: ApplyIO, step: { verb: string }): Promise<{ result: K8sObject; status: string }> {
  const modified = withLastApplied(p.obj, { typed: p.generated });
  let current: K8sObject | undefined;
  try {
    current = await client.request<K8sObject>('GET', path);
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
  if (!current) {
    step.verb = 'creating';
    const result = o.dryRun === 'client' ? modified : await client.request<K8sObject>('POST', collectionPath(p.mapping, p.namespace), { body: modified, query: writeQuery(o), noRetry: true });
    return { result, status: 'created' };
  }
  const lastText = current.metadata?.annotations?.[LAST_APPLIED];
  if (lastText === undefined) {
    io.warn(`resource ${p.mapping.resource}${p.mapping.group ? `.${p.mapping.group}` : ''}/${p.obj.metadata.name} is missing the ${LAST_APPLIED} annotation which is required by ${f_program(o)} apply. ${f_program(o)} apply should only be used on resources created declaratively by either ${f_program(o)} create --save-config or ${f_program(o)} apply. The missing annotation will be patched automatically.`);
  }
  let original: Record<string, Json> | undefined;
  if (lastText) {
    try {
      original = JSON.parse(lastText) as Record<string, Json>;
    } catch {
      original = undefined;
    }
  }
  const strategic = isBuiltinGroup(p.mapping.group);
  const cur = current as unknown as Record<string, Json>;
  const mod = modified as unknown as Record<string, Json>;
  const schema = strategic ? await patchSchemaFor(client, p.mapping.group, p.mapping.version, p.mapping.kind) : builtinSchema;
  const patch = strategic ? createThreeWayMergePatch(original, mod, cur, schema) : createThreeWayJSONMergePatch(original, mod, cur);
  if (!Object.keys(patch).length) return { result: current, status: 'unchanged' };
  if (o.dryRun === 'client') {
    const result = (strategic ? strategicMergePatch(cur, patch, schema) : jsonMergePatch(cur, patch)) as unknown as K8sObject;
    return { result, status: 'configured' };
  }
  const result = await client.request<K8sObject>('PATCH', path, {
    body: patch,
    contentType: strategic ? 'application/strategic-merge-patch+json' : 'application/merge-patch+json',
    query: writeQuery(o),
  });
  return { result, status: 'configured' };
}

/** The program name in kubectl's own texts stays `kubectl` (the annotation is kubectl's). */
function f_program(_o: ApplyOptions): string {
  return 'kubectl';
}

/** Plan, refuse on any problem (nothing written), then write. */
export async function runApply(f: Factory, o: ApplyOptions, io: ApplyIO, given?: FileSource[]): Promise<ApplyResult> {
  const { plan, errors } = await planApply(f, o, given);
  if (errors.length) {
    for (const e of errors) io.error(e);
    if (errors.length > 1) io.error(`error: nothing was ${o.mode === 'create' ? 'created' : 'applied'}: ${errors.length} problems in the manifests; fix them and re-run`);
    return { objects: [], failed: errors.length };
  }
  return executeApply(f, o, plan, io);
}
