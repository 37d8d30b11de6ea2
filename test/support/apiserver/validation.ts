/**
 * What kube-apiserver validates that the CLI depends on, for the test API server:
 * - unknown fields under ?fieldValidation= (Strict: 400; Warn, the server's default: a Warning header;
 *   Ignore: nothing). Built-in kinds are checked against the models of @kubernetes/client-node (its
 *   attribute maps are generated from the Kubernetes OpenAPI schema: every declared field of every
 *   type); objects of a CRD against the CRD's openAPIV3Schema (x-kubernetes-preserve-unknown-fields
 *   and additionalProperties respected). kubernetes-models' schemas were tried first: they are compiled
 *   without additionalProperties:false, so they never see an unknown field.
 * - immutable fields (StatefulSet spec outside the updatable fields, selectors of Deployments,
 *   ReplicaSets, DaemonSets and Jobs, a Job's template, Secret/ConfigMap type and immutable data,
 *   PVC spec, binding roleRef, CRD scope);
 * - a workload selector that does not select its template's labels;
 * - the defaults of those fields (so that an apply that stops setting one compares like the real server).
 * Messages follow the real server's text.
 */
import type { ResourceDef } from './registry';
import { HttpError, statusBody } from './server';
import type { Obj } from './store';
import type { Store } from './store';
import type { Registry } from './registry';

type J = unknown;
const isObj = (v: J): v is Record<string, J> => !!v && typeof v === 'object' && !Array.isArray(v);
const same = (a: J, b: J) => JSON.stringify(a) === JSON.stringify(b);

const groupKind = (def: ResourceDef) => (def.group ? `${def.kind}.${def.group}` : def.kind);
const invalid = (def: ResourceDef, name: string, field: string, detail: string, reason = 'FieldValueInvalid') =>
  new HttpError(
    422,
    statusBody(422, 'Invalid', `${groupKind(def)} "${name}" is invalid: ${field}: ${detail}`, {
      name,
      group: def.group || undefined,
      kind: def.kind,
      causes: [{ reason, message: detail, field }],
    }),
  );

// ---------------------------------------------------------------- unknown fields

type Models = Record<string, { getAttributeTypeMap?: () => { baseName: string; type: string }[] }>;
let models: Models | undefined;
async function loadModels(): Promise<Models> {
  return (models ??= (await import('@kubernetes/client-node')) as unknown as Models);
}
/** Load the models before the first request (validation runs synchronously inside the handler). */
export const modelsReady = loadModels();

const MODEL_OVERRIDES: Record<string, string> = { 'v1/Event': 'CoreV1Event' };

function modelFor(apiVersion: string, kind: string): string | undefined {
  if (!models) return undefined;
  const name = MODEL_OVERRIDES[`${apiVersion}/${kind}`] ?? `${(apiVersion.split('/').pop() ?? '').replace(/^./, (c) => c.toUpperCase())}${kind}`;
  return models[name]?.getAttributeTypeMap ? name : undefined;
}

const PRIMITIVE = new Set(['string', 'number', 'boolean', 'Date', 'any', 'object', 'IntOrString', 'RuntimeRawExtension']);

function walkModel(type: string, v: J, path: string, out: string[]): void {
  if (v === null || v === undefined) return;
  if (type.startsWith('Array<')) {
    const inner = type.slice(6, -1);
    if (Array.isArray(v)) v.forEach((x, i) => walkModel(inner, x, `${path}[${i}]`, out));
    return;
  }
  if (type.startsWith('{ [key: string]: ')) {
    const inner = type.slice('{ [key: string]: '.length, -3);
    if (isObj(v)) for (const [k, x] of Object.entries(v)) walkModel(inner, x, `${path}[${k}]`, out);
    return;
  }
  if (PRIMITIVE.has(type) || !models?.[type]?.getAttributeTypeMap || !isObj(v)) return;
  const attrs = models[type].getAttributeTypeMap!();
  const byName = new Map(attrs.map((a) => [a.baseName, a.type]));
  for (const [k, x] of Object.entries(v)) {
    const t = byName.get(k);
    const p = path ? `${path}.${k}` : k;
    if (t === undefined) out.push(p);
    else walkModel(t, x, p, out);
  }
}

interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
}

function walkSchema(s: Schema | undefined, v: J, path: string, out: string[]): void {
  if (!s || v === null || v === undefined) return;
  if (s['x-kubernetes-preserve-unknown-fields']) return;
  if (Array.isArray(v)) {
    v.forEach((x, i) => walkSchema(s.items, x, `${path}[${i}]`, out));
    return;
  }
  if (!isObj(v)) return;
  for (const [k, x] of Object.entries(v)) {
    const p = path ? `${path}.${k}` : k;
    const prop = s.properties?.[k];
    if (prop) walkSchema(prop, x, p, out);
    else if (s.additionalProperties && typeof s.additionalProperties === 'object') walkSchema(s.additionalProperties, x, p, out);
    else if (s.additionalProperties === true) continue;
    else out.push(p);
  }
}

function crdSchema(store: Store, registry: Registry, def: ResourceDef): Schema | undefined {
  const crdDef = registry.byKind('apiextensions.k8s.io/v1', 'CustomResourceDefinition');
  if (!crdDef) return undefined;
  const crd = store.get(crdDef, undefined, `${def.plural}.${def.group}`);
  const v = (crd?.spec?.versions ?? []).find((x: { name: string }) => x.name === def.version);
  return v?.schema?.openAPIV3Schema;
}

/** Paths of fields the schema does not declare (`spec.foo`, `spec.template.spec.containers[0].bar`). */
export function unknownFields(store: Store, registry: Registry, def: ResourceDef, obj: Obj): string[] {
  const out: string[] = [];
  if (!isObj(obj)) return out;
  if (def.origin === 'crd') {
    const schema = crdSchema(store, registry, def);
    if (!schema) return out;
    const { apiVersion: _a, kind: _k, metadata, ...rest } = obj;
    walkModel('V1ObjectMeta', metadata, 'metadata', out);
    walkSchema({ ...schema, properties: { ...schema.properties } }, rest, '', out);
    return out;
  }
  if (def.origin !== 'builtin') return out;
  const model = modelFor(def.group ? `${def.group}/${def.version}` : def.version, def.kind);
  if (!model) return out;
  walkModel(model, obj, '', out);
  return out;
}

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/**
 * Unknown fields of a write body under ?fieldValidation= (default Warn, as kube-apiserver):
 * Strict throws the real 400; Warn returns the warnings to send as `Warning: 299 - "..."` headers.
 */
export function checkFields(store: Store, registry: Registry, def: ResourceDef, obj: Obj, mode: string | undefined, apply: boolean, ns: string | undefined, name: string | undefined): string[] {
  const m: FieldValidation = mode === 'Strict' || mode === 'Ignore' ? mode : 'Warn';
  if (mode && !['Strict', 'Warn', 'Ignore'].includes(mode)) {
    throw new HttpError(400, statusBody(400, 'BadRequest', `fieldValidation: Unsupported value: "${mode}": supported values: "Ignore", "Strict", "Warn"`));
  }
  if (m === 'Ignore') return [];
  const unknown = unknownFields(store, registry, def, obj);
  if (!unknown.length) return [];
  if (m === 'Strict') {
    const gv = def.group ? `${def.group}/${def.version}` : `/${def.version}`;
    const message = apply
      ? `failed to create typed patch object (${ns ? `${ns}/` : ''}${name ?? ''}; ${gv}, Kind=${def.kind}): ${unknown.map((p) => `.${p.replace(/\[(\d+)\]/g, '[$1]')}: field not declared in schema`).join(', ')}`
      : `${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: strict decoding error: ${unknown.map((p) => `unknown field "${p}"`).join(', ')}`;
    throw new HttpError(400, statusBody(400, 'BadRequest', message));
  }
  return unknown.map((p) => `unknown field "${p}"`);
}

// ---------------------------------------------------------------- selectors

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export function selects(sel: LabelSelector, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = e.key in labels;
    if (e.operator === 'In' && !(has && (e.values ?? []).includes(labels[e.key]))) return false;
    if (e.operator === 'NotIn' && has && (e.values ?? []).includes(labels[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

const goMap = (m: Record<string, string> | undefined) => `map[string]string{${Object.entries(m ?? {}).map(([k, v]) => `"${k}":"${v}"`).join(', ')}}`;
const goSelector = (s: LabelSelector | undefined) =>
  `v1.LabelSelector{MatchLabels:${goMap(s?.matchLabels)}, MatchExpressions:[]v1.LabelSelectorRequirement(${s?.matchExpressions?.length ? '...' : 'nil'})}`;

const WORKLOADS = new Set(['deployments.apps', 'statefulsets.apps', 'replicasets.apps', 'daemonsets.apps', 'jobs.batch']);

// ---------------------------------------------------------------- defaults and immutable fields

/** Defaults of the fields whose change the server refuses, so that comparisons see what the real server stores. */
function applyDefaults(key: string, obj: Obj) {
  const spec = obj.spec;
  if (!isObj(spec)) return;
  if (key === 'statefulsets.apps') {
    spec.podManagementPolicy ??= 'OrderedReady';
    spec.revisionHistoryLimit ??= 10;
    spec.updateStrategy ??= { type: 'RollingUpdate', rollingUpdate: { partition: 0 } };
    spec.persistentVolumeClaimRetentionPolicy ??= { whenDeleted: 'Retain', whenScaled: 'Retain' };
    for (const t of (spec.volumeClaimTemplates ?? []) as Obj[]) {
      t.apiVersion ??= 'v1';
      t.kind ??= 'PersistentVolumeClaim';
      if (isObj(t.spec)) t.spec.volumeMode ??= 'Filesystem';
      t.status ??= { phase: 'Pending' };
    }
  }
  if (key === 'deployments.apps') {
    spec.revisionHistoryLimit ??= 10;
    spec.progressDeadlineSeconds ??= 600;
  }
}

export function defaultAndValidate(def: ResourceDef, obj: Obj, old: Obj | undefined): void {
  const key = def.group ? `${def.plural}.${def.group}` : def.plural;
  const name = obj.metadata?.name ?? '';
  applyDefaults(key, obj);
  if (WORKLOADS.has(key) && isObj(obj.spec)) {
    const sel = obj.spec.selector as LabelSelector | undefined;
    const labels = (obj.spec.template as Obj | undefined)?.metadata?.labels ?? {};
    const manual = key !== 'jobs.batch' || obj.spec.manualSelector === true;
    if (manual && !sel && key !== 'jobs.batch') throw invalid(def, name, 'spec.selector', 'Required value', 'FieldValueRequired');
    if (manual && sel) {
      if (!Object.keys(sel.matchLabels ?? {}).length && !(sel.matchExpressions ?? []).length) throw invalid(def, name, 'spec.selector', `Invalid value: ${goSelector(sel)}: empty selector is invalid for deployment`);
      if (!selects(sel, labels)) throw invalid(def, name, 'spec.template.metadata.labels', `Invalid value: ${goMap(labels)}: \`selector\` does not match template \`labels\``);
    }
  }
  if (!old) return;
  switch (key) {
    case 'statefulsets.apps': {
      const UPDATABLE = ['replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];
      const strip = (s: Obj | undefined) => Object.fromEntries(Object.entries(s ?? {}).filter(([k]) => !UPDATABLE.includes(k)).sort(([a], [b]) => a.localeCompare(b)));
      if (!same(strip(obj.spec), strip(old.spec))) {
        throw invalid(def, name, 'spec', "Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden", 'FieldValueForbidden');
      }
      break;
    }
    case 'deployments.apps':
    case 'replicasets.apps':
    case 'daemonsets.apps':
      if (!same(obj.spec?.selector, old.spec?.selector)) throw invalid(def, name, 'spec.selector', `Invalid value: ${goSelector(obj.spec?.selector)}: field is immutable`);
      break;
    case 'jobs.batch':
      if (old.spec?.selector && !same(obj.spec?.selector, old.spec?.selector)) throw invalid(def, name, 'spec.selector', `Invalid value: ${goSelector(obj.spec?.selector)}: field is immutable`);
      if (!same(obj.spec?.template, old.spec?.template)) throw invalid(def, name, 'spec.template', 'Invalid value: core.PodTemplateSpec{...}: field is immutable');
      break;
    case 'secrets':
    case 'configmaps':
      if (key === 'secrets' && (obj.type ?? 'Opaque') !== (old.type ?? 'Opaque')) throw invalid(def, name, 'type', `Invalid value: "${obj.type ?? 'Opaque'}": field is immutable`);
      if (old.immutable === true) {
        if (obj.immutable !== true) throw invalid(def, name, 'immutable', 'Forbidden: field is immutable when `immutable` is set', 'FieldValueForbidden');
        if (!same(obj.data, old.data)) throw invalid(def, name, 'data', 'Forbidden: field is immutable when `immutable` is set', 'FieldValueForbidden');
      }
      break;
    case 'persistentvolumeclaims': {
      const strip = (s: Obj | undefined) => {
        const { resources: _r, volumeAttributesClassName: _v, volumeName: _n, ...rest } = (s ?? {}) as Obj;
        return rest;
      };
      if (!same(strip(obj.spec), strip(old.spec))) throw invalid(def, name, 'spec', 'Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims', 'FieldValueForbidden');
      break;
    }
    case 'rolebindings.rbac.authorization.k8s.io':
    case 'clusterrolebindings.rbac.authorization.k8s.io':
      if (!same(obj.roleRef, old.roleRef)) throw invalid(def, name, 'roleRef', `Invalid value: rbac.RoleRef{APIGroup:"${obj.roleRef?.apiGroup ?? ''}", Kind:"${obj.roleRef?.kind ?? ''}", Name:"${obj.roleRef?.name ?? ''}"}: cannot change roleRef`);
      break;
    case 'customresourcedefinitions.apiextensions.k8s.io':
      if (old.spec?.scope && obj.spec?.scope !== old.spec.scope) throw invalid(def, name, 'spec.scope', `Invalid value: "${obj.spec?.scope}": field is immutable`);
      break;
  }
}
