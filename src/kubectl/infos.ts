/**
 * cli-runtime's resource.Builder → []*resource.Info for the commands that change objects (delete,
 * label, annotate, patch): positional arguments or `-f` (with -R), `-l`, `--field-selector`, `--all`,
 * `-A`, resolved against the karmada-apiserver's REST mapper. Named objects are fetched (the
 * builder's GET: a missing one is the server's NotFound), selectors and `--all` LIST. `local` builds
 * the infos from the files alone (no request). Additive to builder.ts; nothing here prints.
 */
import { UsageError } from '../errors';
import { isNotFound } from '../kube/errors';
import type { K8sObject } from '../kube/types';
import { parseResourceArgs, readFilenames, resolve } from './builder';
import type { Factory } from './factory';
import { collectionPath, objectPath, type RESTMapping } from './mapper';
import { kindString } from './kind';
export { kindString };

export interface Info {
  mapping: RESTMapping;
  namespace?: string;
  name: string;
  /** The object as the server returned it (or as read from the file with `local`). */
  object?: K8sObject;
  /** The file the object came from (`-f`). */
  source?: string;
}

export interface InfoOptions {
  args: string[];
  filenames: string[];
  recursive: boolean;
  labelSelector: string;
  fieldSelector: string;
  all: boolean;
  allNamespaces: boolean;
  /** Read the files only, no request. */
  local?: boolean;
  /** Do not GET named objects (delete sends DELETE straight away... kubectl GETs; true skips it). */
  noGet?: boolean;
  ignoreNotFound?: boolean;
}

/** The namespace mismatch error kubectl's builder gives for `-n` against a file's namespace. */
function nsMismatch(objNs: string, ns: string): UsageError {
  return new UsageError(`the namespace from the provided object "${objNs}" does not match the namespace "${ns}". You must pass '--namespace=${objNs}' to perform this operation.`);
}

/** A mapping for an object read with `--local` (no discovery): kind and group from the object. */
function localMapping(o: K8sObject): RESTMapping {
  const [group, version] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : ['', o.apiVersion];
  const kind = o.kind;
  return { group, version, kind, resource: `${kind.toLowerCase()}s`, namespaced: true, singular: kind.toLowerCase(), verbs: [], shortNames: [], categories: [] };
}

export async function collectInfos(f: Factory, o: InfoOptions, signal?: AbortSignal): Promise<Info[]> {
  const { namespace: ns, explicit } = o.local && !f.flags.namespace ? { namespace: 'default', explicit: false } : await f.namespace();
  const out: Info[] = [];
  if (o.filenames.length) {
    if (o.args.length) throw new UsageError('Unexpected args: ' + JSON.stringify(o.args), { hint: 'give objects either with -f or as TYPE NAME, not both' });
    const sources = await readFilenames(o.filenames, { recursive: o.recursive, cwd: f.ctx.cwd, stdin: f.ctx.stdin });
    const mapper = o.local ? undefined : await (await f.karmada()).mapper();
    for (const s of sources) {
      for (const obj of s.objects) {
        const mapping = mapper ? mapper.mappingForKind(obj.apiVersion, obj.kind) : localMapping(obj);
        if (!mapping) throw new UsageError(`resource mapping not found for name: "${obj.metadata?.name ?? ''}" namespace: "${obj.metadata?.namespace ?? ''}" from "${s.source}": no matches for kind "${obj.kind}" in version "${obj.apiVersion}"`, { hint: 'ensure CRDs are installed first' });
        const name = obj.metadata?.name;
        if (!name) throw new UsageError(`error validating data from ${s.source}: metadata.name is required`, { hint: 'every object needs metadata.name' });
        let namespace: string | undefined;
        if (mapping.namespaced) {
          const objNs = obj.metadata?.namespace;
          if (objNs && explicit && objNs !== ns) throw nsMismatch(objNs, ns);
          namespace = objNs || ns;
        }
        out.push({ mapping, namespace, name, object: o.local ? obj : undefined, source: s.source });
      }
    }
  } else {
    if (o.local) throw new UsageError('cannot specify --local and server resources', { hint: 'give the objects with -f' });
    const a = parseResourceArgs(o.args, { selector: o.labelSelector });
    if (a.types && !a.names?.length && !o.labelSelector && !o.fieldSelector && !o.all) {
      throw new UsageError(`resource(s) were provided, but no name was specified`, { hint: 'give a NAME, -l selector, or --all' });
    }
    if (o.all && (a.pairs || a.names?.length)) throw new UsageError('names cannot be provided when --all is specified', { hint: 'drop the names or --all' });
    const target = await f.karmada();
    const requests = resolve(await target.mapper(), a);
    for (const r of requests) {
      const namespace = r.mapping.namespaced ? ns : undefined;
      if (r.names.length) {
        for (const name of r.names) out.push({ mapping: r.mapping, namespace, name });
        continue;
      }
      const query: Record<string, string | undefined> = { labelSelector: o.labelSelector || undefined, fieldSelector: o.fieldSelector || undefined };
      const list = await target.client.request<{ items?: K8sObject[] }>('GET', collectionPath(r.mapping, o.allNamespaces ? undefined : namespace), { query, signal });
      for (const item of list.items ?? []) {
        const apiVersion = r.mapping.group ? `${r.mapping.group}/${r.mapping.version}` : r.mapping.version;
        out.push({ mapping: r.mapping, namespace: item.metadata.namespace || undefined, name: item.metadata.name, object: { ...item, apiVersion, kind: r.mapping.kind } });
      }
    }
  }
  if (!o.local && !o.noGet) {
    const client = (await f.karmada()).client;
    const kept: Info[] = [];
    for (const i of out) {
      if (i.object) {
        kept.push(i);
        continue;
      }
      try {
        i.object = await client.request<K8sObject>('GET', objectPath(i.mapping, i.namespace, i.name), { signal });
        kept.push(i);
      } catch (e) {
        if (o.ignoreNotFound && isNotFound(e)) continue;
        throw e;
      }
    }
    return kept;
  }
  return out;
}

