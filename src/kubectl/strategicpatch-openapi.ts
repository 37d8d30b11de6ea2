/**
 * Patch metadata from the server's OpenAPI v3 (`x-kubernetes-patch-merge-key`,
 * `x-kubernetes-patch-strategy`), as kubectl apply takes it: the document of the object's group
 * version (`/openapi/v3` index → `serverRelativeURL`), the schema whose
 * `x-kubernetes-group-version-kind` is the object's, walked field by field (list items transparent).
 * A field the document does not describe falls back to the built-in table; a server without
 * OpenAPI v3 (or an error fetching it) gives the built-in table for everything.
 */
import { builtinSchema, type PatchMeta, type PatchSchema } from './strategicpatch';

type Obj = Record<string, unknown>;

export interface OpenAPIClient {
  request<T = unknown>(method: string, path: string, o?: { query?: Record<string, string | undefined>; timeoutMs?: number }): Promise<T>;
}

const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/** Memoised per client: the index and the group-version documents. */
const cache = new WeakMap<object, { index?: Promise<Obj | undefined>; docs: Map<string, Promise<Obj | undefined>> }>();

async function gvDocument(client: OpenAPIClient, gv: string): Promise<Obj | undefined> {
  let c = cache.get(client);
  if (!c) cache.set(client, (c = { docs: new Map() }));
  c.index ??= client.request<Obj>('GET', '/openapi/v3', { timeoutMs: 15_000 }).catch(() => undefined);
  let d = c.docs.get(gv);
  if (!d) {
    d = (async () => {
      const index = await c.index;
      const entry = isObj(index?.paths) ? (index.paths as Obj)[gv] : undefined;
      const url = isObj(entry) && typeof entry.serverRelativeURL === 'string' ? entry.serverRelativeURL : undefined;
      if (!url) return undefined;
      const [p, q] = url.split('?');
      const query = Object.fromEntries(new URLSearchParams(q ?? ''));
      const doc = await client.request<Obj>('GET', p, { query, timeoutMs: 30_000 }).catch(() => undefined);
      return isObj(doc) ? doc : undefined;
    })();
    c.docs.set(gv, d);
  }
  return d;
}

function deref(s: unknown, schemas: Obj): Obj | undefined {
  let cur = s;
  for (let i = 0; i < 10 && isObj(cur); i++) {
    const ref = typeof cur.$ref === 'string' ? cur.$ref : Array.isArray(cur.allOf) && isObj(cur.allOf[0]) && typeof cur.allOf[0].$ref === 'string' ? (cur.allOf[0].$ref as string) : undefined;
    if (!ref) return cur;
    cur = schemas[ref.replace('#/components/schemas/', '')];
  }
  return isObj(cur) ? cur : undefined;
}

/** The metadata of one property schema (the extensions sit on the property, or on what it refers to). */
function metaOf(prop: Obj, schemas: Obj): PatchMeta {
  const target = deref(prop, schemas) ?? {};
  const key = prop['x-kubernetes-patch-merge-key'] ?? target['x-kubernetes-patch-merge-key'];
  const strategy = prop['x-kubernetes-patch-strategy'] ?? target['x-kubernetes-patch-strategy'];
  return { mergeKey: typeof key === 'string' ? key : undefined, strategy: typeof strategy === 'string' ? strategy : undefined };
}

/** A PatchSchema from a group-version document's root schema of a kind. */
export function schemaFromDocument(doc: Obj, group: string, version: string, kind: string): PatchSchema | undefined {
  const schemas = isObj(doc.components) && isObj((doc.components as Obj).schemas) ? ((doc.components as Obj).schemas as Obj) : undefined;
  if (!schemas) return undefined;
  const root = Object.values(schemas).find((s) => isObj(s) && Array.isArray(s['x-kubernetes-group-version-kind']) && (s['x-kubernetes-group-version-kind'] as Obj[]).some((g) => (g.group ?? '') === group && g.version === version && g.kind === kind));
  if (!isObj(root)) return undefined;
  const memo = new Map<string, PatchMeta | undefined | null>();
  return (path) => {
    const k = path.join('.');
    if (memo.has(k)) return memo.get(k) ?? builtinSchema(path);
    let node: Obj | undefined = root;
    let prop: Obj | undefined;
    for (const seg of path) {
      node = deref(node, schemas);
      if (node?.type === 'array') node = deref(node.items, schemas);
      const next: unknown = isObj(node?.properties) ? (node.properties as Obj)[seg] : undefined;
      if (!isObj(next)) {
        prop = undefined;
        break;
      }
      prop = next;
      node = next;
    }
    const meta = prop ? metaOf(prop, schemas) : null;
    memo.set(k, meta);
    return meta ?? builtinSchema(path);
  };
}

/** The server's patch metadata for a kind, or the built-in table. */
export async function patchSchemaFor(client: OpenAPIClient, group: string, version: string, kind: string): Promise<PatchSchema> {
  const doc = await gvDocument(client, group ? `apis/${group}/${version}` : `api/${version}`);
  return (doc && schemaFromDocument(doc, group, version, kind)) || builtinSchema;
}
