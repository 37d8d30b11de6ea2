/**
 * OpenAPI of the test API server, as kube-apiserver serves it (`explain` reads it):
 *  - `/openapi/v3`: the index `{paths: {"api/v1": {serverRelativeURL: "/openapi/v3/api/v1?hash=…"}}}`
 *    for every group version it has a document for;
 *  - `/openapi/v3/<gv>`: the document. Built-in group versions come from real kube-apiserver
 *    documents trimmed to a few resources (test/fixtures/openapi/v3.*.json); served CRD versions get a
 *    document built from the CRD's schema the way kube-apiserver builds one (apiVersion, kind and
 *    metadata added, `x-kubernetes-group-version-kind`, the collection path's GET operation);
 *  - `/openapi/v2`: the same definitions as one swagger 2.0 document (`#/definitions/...` refs, a
 *    property's single `allOf` ref written as a plain `$ref`, as kube-apiserver's v2 writes them).
 * Simplified: a stale `hash` is answered with the current document (the real server redirects).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiCore } from './server';
import type { ServerExtension } from './ext';
import type { Obj } from './store';

type J = Record<string, unknown>;

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/openapi');

let builtIn: Map<string, J> | undefined;
/** `v3.api__v1.json` → `api/v1`. */
function builtInDocs(): Map<string, J> {
  if (!builtIn) {
    builtIn = new Map();
    for (const f of readdirSync(FIXTURES)) {
      const m = /^v3\.(.+)\.json$/.exec(f);
      if (m) builtIn.set(m[1].replaceAll('__', '/'), JSON.parse(readFileSync(path.join(FIXTURES, f), 'utf8')) as J);
    }
  }
  return builtIn;
}

const reverseGroup = (g: string) => g.split('.').reverse().join('.');
const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/** The schemas ObjectMeta needs, from a built-in document. */
function metaSchemas(): Record<string, unknown> {
  const any = [...builtInDocs().values()][0];
  const all = ((any?.components as J | undefined)?.schemas ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const visit = (name: string) => {
    if (out[name] || !all[name]) return;
    out[name] = all[name];
    JSON.stringify(all[name], (k, v) => {
      if (k === '$ref' && typeof v === 'string') visit(v.split('/').pop()!);
      return v;
    });
  };
  visit(OBJECT_META);
  return out;
}

/** kube-apiserver's document for the served versions of the CRDs of one group version. */
function crdDocument(crds: Obj[], group: string, version: string): J | undefined {
  const schemas: Record<string, unknown> = {};
  const paths: Record<string, unknown> = {};
  for (const crd of crds) {
    const spec = crd.spec as { group: string; scope: string; names: { kind: string; plural: string }; versions: { name: string; served: boolean; schema?: { openAPIV3Schema?: J } }[] };
    if (spec.group !== group) continue;
    const v = spec.versions.find((x) => x.name === version && x.served);
    if (!v) continue;
    const gvk = { group, kind: spec.names.kind, version };
    const s = { ...(v.schema?.openAPIV3Schema ?? { type: 'object' }) } as J;
    s.properties = {
      ...(s.properties as J | undefined),
      apiVersion: { description: 'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources', type: 'string' },
      kind: { description: 'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds', type: 'string' },
      metadata: { allOf: [{ $ref: `#/components/schemas/${OBJECT_META}` }], description: "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata" },
    };
    s['x-kubernetes-group-version-kind'] = [gvk];
    schemas[`${reverseGroup(group)}.${version}.${spec.names.kind}`] = s;
    const base = `/apis/${group}/${version}${spec.scope === 'Namespaced' ? '/namespaces/{namespace}' : ''}/${spec.names.plural}`;
    // kube-apiserver lists every verb with its query parameters; kubectl's field-validation check
    // (QueryParamVerifierV3) looks for `fieldValidation` on the PATCH operation of the kind.
    const q = (...names: string[]) => names.map((name) => ({ name, in: 'query', schema: { type: name === 'force' ? 'boolean' : 'string', uniqueItems: true } }));
    const op = (parameters: unknown[]) => ({ 'x-kubernetes-group-version-kind': gvk, parameters });
    paths[base] = { get: op(q('labelSelector', 'fieldSelector', 'limit', 'continue', 'resourceVersion', 'watch')), post: op(q('dryRun', 'fieldManager', 'fieldValidation')) };
    paths[`${base}/{name}`] = { get: op(q('resourceVersion')), put: op(q('dryRun', 'fieldManager', 'fieldValidation')), patch: op(q('dryRun', 'fieldManager', 'fieldValidation', 'force')), delete: op(q('dryRun', 'gracePeriodSeconds', 'propagationPolicy')) };
  }
  if (!Object.keys(schemas).length) return undefined;
  return { openapi: '3.0.0', info: { title: 'Kubernetes CRD Swagger', version: 'v0.1.0' }, paths, components: { schemas: { ...metaSchemas(), ...schemas } } };
}

function documents(core: ApiCore): Map<string, J> {
  const docs = new Map(builtInDocs());
  const crds = core.store.list(core.defFor('apiextensions.k8s.io/v1', 'CustomResourceDefinition'));
  const gvs = new Set<string>();
  for (const c of crds) for (const v of (c.spec as { versions: { name: string }[] }).versions) gvs.add(`${(c.spec as { group: string }).group}/${v.name}`);
  for (const gv of gvs) {
    const [g, v] = gv.split('/');
    const d = crdDocument(crds, g, v);
    if (d) docs.set(`apis/${gv}`, d);
  }
  return docs;
}

const hashOf = (d: J) => createHash('sha512').update(JSON.stringify(d)).digest('hex').slice(0, 128).toUpperCase();

/** The v3 definitions as one swagger 2.0 document. */
function swagger(docs: Map<string, J>): J {
  const definitions: Record<string, unknown> = {};
  const toV2 = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(toV2);
    if (!v || typeof v !== 'object') return v;
    const o = { ...(v as J) };
    if (Array.isArray(o.allOf) && o.allOf.length === 1 && (o.allOf[0] as J).$ref) {
      o.$ref = (o.allOf[0] as J).$ref;
      delete o.allOf;
      delete o.default;
    }
    for (const [k, x] of Object.entries(o)) o[k] = k === '$ref' && typeof x === 'string' ? x.replace('#/components/schemas/', '#/definitions/') : toV2(x);
    return o;
  };
  for (const d of docs.values()) Object.assign(definitions, toV2((d.components as J).schemas));
  return { swagger: '2.0', info: { title: 'Kubernetes', version: 'v1.34.0' }, paths: {}, definitions };
}

export function openAPIExtension(core: ApiCore): ServerExtension {
  return {
    intercept({ url, method, user }, res) {
      if (method !== 'GET' || !url.pathname.startsWith('/openapi/')) return false;
      const send = (code: number, body: unknown) => {
        const text = JSON.stringify(body);
        res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
        res.end(text);
        return true;
      };
      if (!user) return send(403, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: `forbidden: User "system:anonymous" cannot get path "${url.pathname}"`, reason: 'Forbidden', code: 403 });
      const docs = documents(core);
      const p = url.pathname.replace(/\/+$/, '');
      if (p === '/openapi/v2') return send(200, swagger(docs));
      if (p === '/openapi/v3') {
        return send(200, { paths: Object.fromEntries([...docs].map(([gv, d]) => [gv, { serverRelativeURL: `/openapi/v3/${gv}?hash=${hashOf(d)}` }])) });
      }
      const d = docs.get(p.slice('/openapi/v3/'.length));
      if (!d) return send(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: '404 page not found', reason: 'NotFound', code: 404 });
      return send(200, d);
    },
  };
}
