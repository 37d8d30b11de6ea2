/**
 * `explain`: kubectl v0.35.3's explain (pkg/cmd/explain) over one target — the karmada-apiserver or
 * a member through the cluster proxy. Resolves `TYPE[.FIELD...]` with the target's REST mapper,
 * reads the target's OpenAPI v3 (`/openapi/v3`, then the group-version document) or v2
 * (`/openapi/v2`) and renders it. Returns the text; never prints.
 */
import { UserError } from '../errors';
import type { Target } from '../kubectl/factory';
import type { RESTMapper, RESTMapping } from '../kubectl/mapper';
import { UnknownResourceTypeError } from '../kubectl/mapper';
import { ExplainError, type Gvr, renderPlaintext } from './explain-v3';

export const PLAINTEXT = 'plaintext';
export const PLAINTEXT_OPENAPIV2 = 'plaintext-openapiv2';

export interface ExplainOptions {
  /** The single positional argument, `TYPE[.FIELD...]`. */
  resource: string;
  recursive: boolean;
  /** `--api-version` ('' = not given). */
  apiVersion: string;
  output: string;
}

/** jsonpath's field names as explain accepts them (`{.a.b}` with nothing but field nodes). */
const FIELD = /^[A-Za-z0-9_\-/$@:]+$/;

/** explain.jsonPathParse + the "field nodes only" rule: `deployments.spec.template` → the names. */
export function parseFieldPath(input: string, laterNodes = 'invalid jsonpath syntax, all nodes must be field nodes'): string[] {
  const s = input.replace(/\.$/, '');
  const parts = s.split('.');
  if (parts.length === 0 || parts[0] === '') throw new UserError('invalid jsonpath syntax, first node must be field node');
  for (const p of parts) {
    if (!FIELD.test(p)) {
      if (p === parts[0]) throw new UserError('invalid jsonpath syntax, first node must be field node');
      throw new UserError(laterNodes);
    }
  }
  return parts;
}

/** meta.RESTMapper.ResourcesFor({Resource: r}) behind the short-name expander: every group serving r, in priority order. */
export function resourcesFor(mapper: RESTMapper, input: string): RESTMapping[] {
  const r = input.toLowerCase();
  const match = (name: string) => mapper.mappings.filter((m) => m.resource === name || m.singular === name);
  let found = match(r);
  if (found.length === 0) {
    const short = mapper.mappings.find((m) => m.shortNames.includes(r));
    if (short) found = match(short.resource);
  }
  if (found.length === 0) throw new UnknownResourceTypeError(input);
  // One entry per group/version/resource (a resource listed twice in discovery counts once).
  const seen = new Set<string>();
  return found.filter((m) => {
    const k = `${m.group}/${m.version}/${m.resource}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const FIRST_NODE = 'invalid jsonpath syntax, first node must be field node';
const groupResourceString = (m: RESTMapping) => (m.group ? `${m.resource}.${m.group}` : m.resource);

export interface ResolvedRequest {
  mapping: RESTMapping;
  gvr: Gvr;
  fieldPath: string[];
}

/**
 * SplitAndParseResourceRequestWithMatchingPrefix (no --api-version) or SplitAndParseResourceRequest
 * (with it): the resource's mapping and the field path after it.
 */
export function resolveRequest(mapper: RESTMapper, input: string, withApiVersion: boolean): ResolvedRequest {
  // Without --api-version kubectl words every node error as the first node's.
  const nodes = withApiVersion ? parseFieldPath(input) : parseFieldPath(input, FIRST_NODE);
  const gvrs = resourcesFor(mapper, nodes[0]);
  const of = (m: RESTMapping, fieldPath: string[]) => ({ mapping: m, gvr: { group: m.group, version: m.version, resource: m.resource }, fieldPath });
  if (withApiVersion) return of(gvrs[0], nodes.slice(1));
  for (const m of gvrs) {
    const gr = groupResourceString(m);
    if (input.startsWith(gr)) {
      const suffix = input.slice(gr.length);
      // kubectl parses the suffix as `{.<suffix>}` and drops its first node: `..a.b` (a recursive
      // node, then a, b) gives [a, b]; `x.a` (deployments.appsx.a) gives [a].
      const trimmed = suffix.replace(/\.$/, '');
      let rest: string[] = [];
      if (trimmed.startsWith('.')) rest = trimmed.length > 1 ? parseFieldPath(trimmed.slice(1), FIRST_NODE) : [];
      else if (trimmed.length > 0) rest = parseFieldPath(trimmed, FIRST_NODE).slice(1);
      return of(m, rest);
    }
  }
  return of(gvrs[0], nodes.slice(1));
}

/** schema.ParseGroupVersion */
export function parseGroupVersion(gv: string): { group: string; version: string } {
  if (gv === '' || gv === '/') return { group: '', version: '' };
  const parts = gv.split('/');
  if (parts.length === 1) return { group: '', version: parts[0] };
  if (parts.length === 2) return { group: parts[0], version: parts[1] };
  throw new UserError(`unexpected GroupVersion string: ${gv}`);
}

interface OpenAPIV3Index {
  paths?: Record<string, { serverRelativeURL?: string }>;
}

/** Upper bound of an OpenAPI document we parse (kube-apiserver's v2 document is ~4 MB). */
const MAX_DOC_CHARS = 128 * 1024 * 1024;

function bounded<T>(v: T, what: string): T {
  if (typeof v === 'string' && v.length > MAX_DOC_CHARS) throw new UserError(`${what} is larger than ${MAX_DOC_CHARS} bytes`);
  if (typeof v !== 'object' || v === null) throw new UserError(`${what} is not a JSON document`);
  return v;
}

/** Runs explain against one target; resolves with the text to print. */
export async function explain(target: Target, o: ExplainOptions): Promise<string> {
  if (o.output !== PLAINTEXT && o.output !== PLAINTEXT_OPENAPIV2) {
    // kubectl fails the same way after fetching the document; nothing is fetched here.
    throw new UserError(`unrecognized format: ${o.output}`);
  }
  const mapper = await target.mapper();
  const req = resolveRequest(mapper, o.resource, o.apiVersion !== '');
  if (o.output === PLAINTEXT) {
    let index: OpenAPIV3Index | undefined;
    try {
      index = await target.client.request<OpenAPIV3Index>('GET', '/openapi/v3', { headers: { Accept: 'application/json' } });
    } catch {
      index = undefined; // kubectl falls back to the v2 renderer when /openapi/v3 does not answer
    }
    if (index && typeof index === 'object') return explainV3(target, index, req, o);
  }
  return explainV2(target, mapper, req, o);
}

async function explainV3(target: Target, index: OpenAPIV3Index, req: ResolvedRequest, o: ExplainOptions): Promise<string> {
  const gvr = { ...req.gvr };
  if (o.apiVersion) Object.assign(gvr, parseGroupVersion(o.apiVersion));
  const resourcePath = gvr.group ? `apis/${gvr.group}/${gvr.version}` : `api/${gvr.version}`;
  const entry = index.paths?.[resourcePath];
  if (!entry) throw new UserError(`couldn't find resource for "${gvr.group}/${gvr.version}, Resource=${gvr.resource}"`);
  const url = entry.serverRelativeURL || `/openapi/v3/${resourcePath}`;
  let doc: unknown;
  try {
    doc = await target.client.request('GET', url.startsWith('/') ? url : `/${url}`, { headers: { Accept: 'application/json' } });
  } catch (e) {
    throw new UserError(`failed to fetch openapi schema for ${resourcePath}: ${(e as Error).message}`, { cause: e });
  }
  doc = bounded(doc, `the openapi schema for ${resourcePath}`);
  try {
    return renderPlaintext(doc as Record<string, never>, gvr, req.fieldPath, o.recursive);
  } catch (e) {
    if (e instanceof ExplainError) throw new UserError(e.message.replace(/^error: /, ''));
    throw e;
  }
}

async function explainV2(target: Target, mapper: RESTMapper, req: ResolvedRequest, o: ExplainOptions): Promise<string> {
  const { SwaggerModels, renderOpenAPIV2, ExplainV2Error } = await import('./explain-v2');
  let gvk = { group: req.mapping.group, version: req.mapping.version, kind: req.mapping.kind };
  if (o.apiVersion) gvk = { ...parseGroupVersion(o.apiVersion), kind: gvk.kind };
  void mapper;
  const doc = bounded(await target.client.request('GET', '/openapi/v2', { headers: { Accept: 'application/json' } }), 'the OpenAPI v2 document');
  try {
    return renderOpenAPIV2(new SwaggerModels(doc), gvk, req.fieldPath, o.recursive);
  } catch (e) {
    if (e instanceof ExplainV2Error) throw new UserError(e.message);
    throw e;
  }
}
