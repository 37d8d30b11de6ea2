/**
 * The scale subresource as kube-apiserver serves it for Deployments, StatefulSets and ReplicaSets
 * (`core.extensions.push(scaleSubresource())`): GET `.../<name>/scale` answers an autoscaling/v1
 * Scale (spec.replicas, status.replicas and the selector as a string), PATCH (merge, json or
 * strategic) changes that Scale and writes spec.replicas back to the object; the resourceVersion is
 * the object's.
 */
import type { ServerResponse } from 'node:http';
import type { ServerExtension } from './ext';
import { jsonPatch, mergePatch, strategicMerge } from './patch';
import type { Obj } from './store';

const PATH = /^\/apis\/(apps)\/(v1)\/namespaces\/([^/]+)\/([^/]+)\/([^/]+)\/scale$/;

function send(res: ServerResponse, code: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function selectorString(sel: { matchLabels?: Record<string, string> } | undefined): string {
  return Object.entries(sel?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).sort().join(',');
}

export function scaleOf(o: Obj): Obj {
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: o.metadata.name, namespace: o.metadata.namespace, uid: o.metadata.uid, resourceVersion: o.metadata.resourceVersion, creationTimestamp: o.metadata.creationTimestamp },
    spec: { replicas: o.spec?.replicas ?? 1 },
    status: { replicas: o.status?.replicas ?? 0, selector: selectorString(o.spec?.selector) },
  };
}

export function scaleSubresource(): ServerExtension {
  return {
    intercept(r, res) {
      const m = PATH.exec(r.url.pathname);
      if (!m || (r.method !== 'GET' && r.method !== 'PATCH')) return false;
      const [, group, version, ns, plural, name] = m;
      const def = r.core.registry.byPath(group, version, plural);
      if (!def || !def.subresources.includes('scale')) return false;
      const cur = r.core.store.get(def, decodeURIComponent(ns), decodeURIComponent(name));
      if (!cur) return false;
      if (r.method === 'GET') {
        r.rec.status = 200;
        send(res, 200, scaleOf(cur));
        return true;
      }
      const ct = String(r.req.headers['content-type'] ?? '').split(';')[0].trim();
      let patch: unknown;
      try {
        patch = JSON.parse(r.body || '{}');
      } catch {
        return false;
      }
      const scale = scaleOf(cur);
      const next = (ct === 'application/json-patch+json' ? jsonPatch(scale, patch as never) : ct === 'application/merge-patch+json' ? mergePatch(scale, patch) : strategicMerge(scale, patch)) as Obj;
      const replicas = next.spec?.replicas;
      if (typeof replicas !== 'number' || replicas < 0) {
        r.rec.status = 422;
        send(res, 422, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`, reason: 'Invalid', code: 422 });
        return true;
      }
      const dryRun = r.query.dryRun === 'All';
      const written = dryRun || replicas === cur.spec?.replicas ? cur : r.core.store.put(def, { ...cur, spec: { ...cur.spec, replicas }, metadata: { ...cur.metadata, generation: (cur.metadata.generation ?? 1) + 1 } });
      const out = scaleOf(written);
      if (dryRun) out.spec.replicas = replicas;
      r.rec.status = 200;
      send(res, 200, out);
      return true;
    },
  };
}
