/**
 * pods/log as kube-apiserver serves it (the kubelet's answer faked from logs the test sets): GET
 * `/api/v1/namespaces/<ns>/pods/<pod>/log` with kube-apiserver's checks — the pod must exist, a
 * multi-container pod needs `container`, the container must be the pod's, PodLogOptions validation
 * (sinceSeconds/sinceTime exclusive, tailLines ≥ 0, limitBytes ≥ 1, sinceSeconds ≥ 1) — then
 * tailLines, limitBytes, sinceTime/sinceSeconds and timestamps applied to lines with times; the body is
 * written in chunks (`chunkBytes`), as a stream. `follow` ends at the end of the log (no kubelet to keep it open).
 */
import type { ServerResponse } from 'node:http';
import type { ServerExtension } from './ext';

const PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/log$/;

export interface LogLine {
  time: Date;
  text: string;
}

export interface PodLogs extends ServerExtension {
  /** Sets the log of a container (lines; `\n` ends each). */
  set(namespace: string, pod: string, container: string, lines: (string | LogLine)[]): void;
  /** Queries received, in order. */
  queries: { pod: string; query: Record<string, string> }[];
}

function status(res: ServerResponse, code: number, reason: string, message: string, details?: Record<string, unknown>) {
  const text = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code });
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function podLogs(o: { chunkBytes?: number } = {}): PodLogs {
  const chunk = o.chunkBytes ?? 7;
  const logs = new Map<string, LogLine[]>();
  const queries: PodLogs['queries'] = [];
  return {
    queries,
    set(ns, pod, container, lines) {
      logs.set(`${ns}/${pod}/${container}`, lines.map((l) => (typeof l === 'string' ? { time: new Date('2026-01-02T03:04:05Z'), text: l } : l)));
    },
    intercept(r, res) {
      const m = PATH.exec(r.url.pathname);
      if (!m || r.method !== 'GET') return false;
      const ns = decodeURIComponent(m[1]);
      const name = decodeURIComponent(m[2]);
      const q = r.query;
      queries.push({ pod: name, query: { ...q } });
      r.rec.status = 200;
      const pod = r.core.store.get(r.core.defFor('v1', 'Pod'), ns, name) as { spec?: { containers?: { name: string }[]; initContainers?: { name: string }[] } } | undefined;
      if (!pod) {
        r.rec.status = 404;
        status(res, 404, 'NotFound', `pods "${name}" not found`, { name, kind: 'pods' });
        return true;
      }
      const invalid: string[] = [];
      const num = (k: string) => (q[k] === undefined ? undefined : Number(q[k]));
      if (q.sinceSeconds !== undefined && q.sinceTime !== undefined) invalid.push('sinceSeconds: Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified');
      if ((num('tailLines') ?? 0) < 0) invalid.push(`tailLines: Invalid value: ${q.tailLines}: must be greater than or equal to 0`);
      if (num('limitBytes') !== undefined && num('limitBytes')! < 1) invalid.push(`limitBytes: Invalid value: ${q.limitBytes}: must be greater than 0`);
      if (num('sinceSeconds') !== undefined && num('sinceSeconds')! < 1) invalid.push(`sinceSeconds: Invalid value: ${q.sinceSeconds}: must be greater than 0`);
      if (invalid.length) {
        r.rec.status = 422;
        status(res, 422, 'Invalid', `PodLogOptions "${name}" is invalid: ${invalid.length > 1 ? `[${invalid.join(', ')}]` : invalid[0]}`);
        return true;
      }
      const containers = (pod.spec?.containers ?? []).map((c) => c.name);
      const init = (pod.spec?.initContainers ?? []).map((c) => c.name);
      let container = q.container;
      if (!container) {
        if (containers.length === 1) container = containers[0];
        else {
          r.rec.status = 400;
          status(res, 400, 'BadRequest', `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]${init.length ? ` or one of the init containers: [${init.join(' ')}]` : ''}`);
          return true;
        }
      }
      if (![...containers, ...init].includes(container)) {
        r.rec.status = 400;
        status(res, 400, 'BadRequest', `container ${container} is not valid for pod ${name}`);
        return true;
      }
      let lines = logs.get(`${ns}/${name}/${container}`) ?? [];
      const since = q.sinceTime ? Date.parse(q.sinceTime) : q.sinceSeconds ? Date.now() - Number(q.sinceSeconds) * 1000 : undefined;
      if (since !== undefined) lines = lines.filter((l) => l.time.getTime() >= since);
      if (q.tailLines !== undefined) lines = lines.slice(Math.max(0, lines.length - Number(q.tailLines)));
      let body = Buffer.from(lines.map((l) => `${q.timestamps === 'true' ? `${l.time.toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z')} ` : ''}${l.text}\n`).join(''));
      if (q.limitBytes !== undefined) body = body.subarray(0, Number(q.limitBytes));
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
      // as a stream: small chunks (lines split across them), the server's backpressure honoured
      let at = 0;
      const pump = () => {
        while (at < body.length) {
          const ok = res.write(body.subarray(at, at + chunk));
          at += chunk;
          if (!ok) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
      return true;
    },
  };
}
