/**
 * What kube-apiserver (and its garbage collector) do for the mutating kubectl commands that the core
 * server leaves out, as one extension (`core.extensions.push(deletionOptions())`):
 *
 * - DELETE with DeleteOptions.propagationPolicy (body or query):
 *   * Foreground: the object gets the `foregroundDeletion` finalizer and a deletionTimestamp and the
 *     answer is the object (200), as the real server; the garbage collector then deletes the
 *     dependents (ownerReferences to the object's UID) and, once they are gone, removes the finalizer:
 *     the object disappears `foregroundDelayMs` after the request. Other finalizers keep holding it.
 *   * Orphan: the dependents lose their ownerReference to the object, then the object is deleted.
 *   * Background (default): the core server's behaviour (delete, then background GC).
 *   * dryRun=All in the body (kubectl sends it there) counts as in the query: nothing changes.
 * - PATCH with application/strategic-merge-patch+json on a custom resource: 415 with the real
 *   server's text (strategic merge needs Go struct tags, CRDs have none).
 */
import type { ServerResponse } from 'node:http';
import type { ServerExtension } from './ext';
import type { ResourceDef } from './registry';

export interface DeletionOptions {
  /** How long the garbage collector takes to finish a foreground deletion (ms). */
  foregroundDelayMs?: number;
}

const PATH = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))\/(?:namespaces\/([^/]+)\/)?([^/]+)\/([^/]+)$/;

function send(res: ServerResponse, code: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function deletionOptions(o: DeletionOptions = {}): ServerExtension & { requests: { path: string; propagationPolicy?: string; gracePeriodSeconds?: number; dryRun?: string[] }[] } {
  const delay = o.foregroundDelayMs ?? 100;
  const requests: { path: string; propagationPolicy?: string; gracePeriodSeconds?: number; dryRun?: string[] }[] = [];
  return {
    requests,
    intercept(r, res) {
      const m = PATH.exec(r.url.pathname);
      if (!m || (r.method !== 'DELETE' && r.method !== 'PATCH')) return false;
      const [, coreV, group = '', version = coreV, ns0, resource, name0] = m;
      let ns: string | undefined = ns0 && decodeURIComponent(ns0);
      let plural = resource;
      let name = decodeURIComponent(name0);
      // /namespaces/<name> itself
      if (!ns0 && resource === 'namespaces') {
        plural = 'namespaces';
        ns = undefined;
      }
      const def: ResourceDef | undefined = r.core.registry.byPath(group, version, plural);
      if (!def) return false;
      if (r.method === 'PATCH') {
        const ct = String(r.req.headers['content-type'] ?? '').split(';')[0].trim();
        if (ct !== 'application/strategic-merge-patch+json' || def.origin !== 'crd') return false;
        r.rec.status = 415;
        send(res, 415, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml', reason: 'UnsupportedMediaType', code: 415 });
        return true;
      }
      let opts: { propagationPolicy?: string; gracePeriodSeconds?: number; dryRun?: string[] } = {};
      try {
        opts = r.body ? JSON.parse(r.body) : {};
      } catch {
        return false;
      }
      const policy = opts.propagationPolicy ?? r.query.propagationPolicy;
      requests.push({ path: r.url.pathname, propagationPolicy: policy, gracePeriodSeconds: opts.gracePeriodSeconds, dryRun: opts.dryRun });
      const dryRun = r.query.dryRun === 'All' || (opts.dryRun ?? []).includes('All');
      const cur = r.core.store.get(def, ns, name);
      if (!cur || def.plural === 'namespaces') {
        if (dryRun && r.query.dryRun !== 'All') r.query.dryRun = 'All';
        return false;
      }
      if (dryRun) {
        r.rec.status = 200;
        send(res, 200, cur);
        return true;
      }
      const uid = cur.metadata.uid;
      const dependents = () => r.core.registry.all().flatMap((d) => r.core.store.list(d).map((obj) => ({ def: d, obj }))).filter(({ obj }) => (obj.metadata.ownerReferences ?? []).some((x: { uid: string }) => x.uid === uid));
      if (policy === 'Orphan') {
        for (const { def: d, obj } of dependents()) {
          const refs = obj.metadata.ownerReferences.filter((x: { uid: string }) => x.uid !== uid);
          const next = { ...obj, metadata: { ...obj.metadata, ownerReferences: refs.length ? refs : undefined } };
          if (!refs.length) delete next.metadata.ownerReferences;
          r.core.store.put(d, next);
        }
        return false;
      }
      if (policy !== 'Foreground') return false;
      if (cur.metadata.deletionTimestamp) {
        r.rec.status = 200;
        send(res, 200, cur);
        return true;
      }
      const finalizers = [...(cur.metadata.finalizers ?? []), 'foregroundDeletion'];
      const held = r.core.store.put(def, { ...cur, metadata: { ...cur.metadata, finalizers, deletionTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z') } });
      setTimeout(() => {
        for (const { def: d, obj } of dependents()) r.core.remove(d, obj.metadata.namespace, obj.metadata.name);
        const now = r.core.store.get(def, ns, name);
        if (!now || now.metadata.uid !== uid) return;
        const rest = (now.metadata.finalizers ?? []).filter((f: string) => f !== 'foregroundDeletion');
        if (rest.length) r.core.store.put(def, { ...now, metadata: { ...now.metadata, finalizers: rest } });
        else r.core.store.delete(def, ns, name);
      }, delay).unref();
      r.rec.status = 200;
      send(res, 200, held);
      return true;
    },
  };
}
