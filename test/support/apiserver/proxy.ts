/**
 * The cluster proxy of karmada-aggregated-apiserver, as a double on the karmada-side test API server:
 * `/apis/cluster.karmada.io/v1alpha1/clusters/<name>/proxy/<path>` is forwarded to that member's test
 * API server (HTTPS, the member's admin certificate standing in for the impersonator token, with
 * `Impersonate-User`/`Impersonate-Group` of the caller as the real proxy sends them), status, headers
 * and body streamed back (watches included). The Cluster object must exist (404 otherwise, as the real
 * one). Faults per member: `down` (the proxy's dial error, 500 text/plain like the real responder),
 * `latencyMs` (slow member), `forbidden` (403 for clusters/proxy, as the karmada-apiserver's RBAC
 * answers a caller without that permission), `status` (any code, e.g. 503). A stopped member
 * server gives the same dial error naturally.
 */
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ApiCore, User } from './server';
import { statusBody } from './server';
import type { ServerExtension } from './ext';

export interface ProxyMember {
  url: string;
  caPem: string;
  admin: { certPem: string; keyPem: string };
}

export interface MemberFault {
  down?: boolean;
  latencyMs?: number;
  forbidden?: boolean;
  status?: number;
  message?: string;
}

export interface ClusterProxy extends ServerExtension {
  members: Map<string, ProxyMember>;
  faults: Map<string, MemberFault>;
  /** Forwarded requests: member name and path below the proxy. */
  forwarded: { cluster: string; method: string; path: string }[];
  /** Client connections (remote address:port) that sent requests to this server, proxied or not. */
  connections: Set<string>;
  setFault(name: string, f: MemberFault | undefined): void;
  close(): void;
}

const PROXY = /^\/apis\/cluster\.karmada\.io\/v1alpha1\/clusters\/([^/]+)\/proxy(\/.*)?$/;

function status(res: ServerResponse, code: number, reason: string, message: string, details?: Record<string, unknown>) {
  const text = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code });
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function plain(res: ServerResponse, code: number, text: string) {
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Go's dial error text for a refused connection. */
function dialError(url: string, e: NodeJS.ErrnoException): string {
  const u = new URL(url);
  if (e.code === 'ECONNREFUSED') return `dial tcp ${u.hostname}:${u.port}: connect: connection refused`;
  if (e.code === 'ECONNRESET') return `read tcp ${u.hostname}:${u.port}: read: connection reset by peer`;
  return `dial tcp ${u.hostname}:${u.port}: ${e.message}`;
}

export function clusterProxy(members: Record<string, ProxyMember> = {}): ClusterProxy {
  const agents = new Map<string, https.Agent>();
  const p: ClusterProxy = {
    members: new Map(Object.entries(members)),
    faults: new Map(),
    forwarded: [],
    connections: new Set(),
    setFault(name, f) {
      if (f) p.faults.set(name, f);
      else p.faults.delete(name);
    },
    close() {
      for (const a of agents.values()) a.destroy();
      agents.clear();
    },
    upgrade(core, req, socket, head, user) {
      p.connections.add(`${req.socket.remoteAddress}:${req.socket.remotePort}`);
      return proxyUpgrade(p, core, req, socket, head, user);
    },
    async intercept(r, res) {
      p.connections.add(`${r.req.socket.remoteAddress}:${r.req.socket.remotePort}`);
      const m = PROXY.exec(r.url.pathname);
      if (!m) return false;
      const name = decodeURIComponent(m[1]);
      const rest = m[2] ?? '/';
      r.rec.fault = undefined;
      const user = r.user;
      if (!user) {
        status(res, 403, 'Forbidden', `clusters.cluster.karmada.io "${name}" is forbidden: User "system:anonymous" cannot get resource "clusters/proxy" in API group "cluster.karmada.io" at the cluster scope`, { name, group: 'cluster.karmada.io', kind: 'clusters' });
        r.rec.status = 403;
        return true;
      }
      const def = r.core.registry.byPath('cluster.karmada.io', 'v1alpha1', 'clusters');
      if (!def) {
        status(res, 404, 'NotFound', 'the server could not find the requested resource');
        r.rec.status = 404;
        return true;
      }
      if (!r.core.store.get(def, undefined, name)) {
        status(res, 404, 'NotFound', `clusters.cluster.karmada.io "${name}" not found`, { name, group: 'cluster.karmada.io', kind: 'clusters' });
        r.rec.status = 404;
        return true;
      }
      const fault = p.faults.get(name);
      if (fault?.forbidden) {
        status(res, 403, 'Forbidden', `clusters.cluster.karmada.io "${name}" is forbidden: User "${user.name}" cannot get resource "clusters/proxy" in API group "cluster.karmada.io" at the cluster scope`, { name, group: 'cluster.karmada.io', kind: 'clusters' });
        r.rec.status = 403;
        return true;
      }
      if (fault?.latencyMs) await new Promise((ok) => setTimeout(ok, fault.latencyMs));
      if (res.destroyed) return true;
      const member = p.members.get(name);
      if (fault?.status) {
        status(res, fault.status, fault.status === 503 ? 'ServiceUnavailable' : 'InternalError', fault.message ?? (fault.status === 503 ? 'the server is currently unable to handle the request' : `injected fault ${fault.status}`));
        r.rec.status = fault.status;
        return true;
      }
      if (fault?.down || !member) {
        const target = member?.url ?? 'https://10.0.0.1:6443';
        plain(res, 500, `${dialError(target, { code: 'ECONNREFUSED' } as NodeJS.ErrnoException)}\n`);
        r.rec.status = 500;
        return true;
      }
      p.forwarded.push({ cluster: name, method: r.method, path: rest });
      let agent = agents.get(name);
      if (!agent) agents.set(name, (agent = new https.Agent({ keepAlive: true, ca: member.caPem, cert: member.admin.certPem, key: member.admin.keyPem })));
      const headers: Record<string, string | string[]> = { 'Impersonate-User': user.name };
      const groups = user.groups.filter((g) => g !== 'system:authenticated' && g !== 'system:unauthenticated');
      if (groups.length) headers['Impersonate-Group'] = groups;
      for (const h of ['accept', 'content-type', 'user-agent']) {
        const v = r.req.headers[h];
        if (typeof v === 'string') headers[h] = v;
      }
      if (r.body) headers['content-length'] = String(Buffer.byteLength(r.body));
      const target = new URL(member.url + rest + r.url.search);
      await new Promise<void>((done) => {
        const up = https.request(target, { method: r.method, headers, agent }, (upRes: IncomingMessage) => {
          r.rec.status = upRes.statusCode ?? 0;
          const h: Record<string, string | string[]> = {};
          for (const [k, v] of Object.entries(upRes.headers)) if (v !== undefined && k !== 'connection' && k !== 'keep-alive') h[k] = v;
          res.writeHead(upRes.statusCode ?? 502, h);
          if (h['transfer-encoding']) res.flushHeaders();
          upRes.pipe(res);
          upRes.on('end', done);
          upRes.on('error', () => done());
          upRes.on('close', () => {
            if (!res.writableEnded) res.end();
            done();
          });
          res.on('close', () => {
            upRes.destroy();
            done();
          });
        });
        up.on('error', (e: NodeJS.ErrnoException) => {
          if (!res.headersSent) plain(res, 500, `${dialError(member.url, e)}\n`);
          else res.destroy();
          r.rec.status = 500;
          done();
        });
        if (r.body) up.write(r.body);
        up.end();
      });
      return true;
    },
  };
  return p;
}

function rawAnswer(socket: Duplex, code: number, body: string, contentType: string): void {
  socket.end(`HTTP/1.1 ${code} ${code === 403 ? 'Forbidden' : code === 404 ? 'Not Found' : code === 500 ? 'Internal Server Error' : 'Error'}\r\nContent-Type: ${contentType}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/**
 * The upgrade-aware half of the proxy (the real one uses apimachinery's UpgradeAwareHandler): the
 * same checks as a proxied request, then the upgrade is sent to the member with the caller
 * impersonated; a 101 joins the two connections, any other answer is passed back as it came.
 */
async function proxyUpgrade(p: ClusterProxy, core: ApiCore, req: IncomingMessage, socket: Duplex, head: Buffer, user: User | undefined): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'https://x');
  const m = PROXY.exec(url.pathname);
  if (!m) return false;
  const name = decodeURIComponent(m[1]);
  const rest = m[2] ?? '/';
  const rec = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), user: user?.name ?? 'system:anonymous', status: 0 };
  core.requests.push(rec);
  const json = (code: number, reason: string, message: string, details?: Record<string, unknown>) => {
    rec.status = code;
    rawAnswer(socket, code, JSON.stringify(statusBody(code, reason, message, details)), 'application/json');
  };
  if (!user) {
    json(403, 'Forbidden', `clusters.cluster.karmada.io "${name}" is forbidden: User "system:anonymous" cannot get resource "clusters/proxy" in API group "cluster.karmada.io" at the cluster scope`, { name, group: 'cluster.karmada.io', kind: 'clusters' });
    return true;
  }
  const def = core.registry.byPath('cluster.karmada.io', 'v1alpha1', 'clusters');
  if (!def || !core.store.get(def, undefined, name)) {
    json(404, 'NotFound', `clusters.cluster.karmada.io "${name}" not found`, { name, group: 'cluster.karmada.io', kind: 'clusters' });
    return true;
  }
  const fault = p.faults.get(name);
  if (fault?.forbidden) {
    json(403, 'Forbidden', `clusters.cluster.karmada.io "${name}" is forbidden: User "${user.name}" cannot get resource "clusters/proxy" in API group "cluster.karmada.io" at the cluster scope`, { name, group: 'cluster.karmada.io', kind: 'clusters' });
    return true;
  }
  if (fault?.latencyMs) await new Promise((ok) => setTimeout(ok, fault.latencyMs));
  if (fault?.status) {
    json(fault.status, fault.status === 503 ? 'ServiceUnavailable' : 'InternalError', fault.message ?? `injected fault ${fault.status}`);
    return true;
  }
  const member = p.members.get(name);
  if (fault?.down || !member) {
    rec.status = 500;
    rawAnswer(socket, 500, `${dialError(member?.url ?? 'https://10.0.0.1:6443', { code: 'ECONNREFUSED' } as NodeJS.ErrnoException)}\n`, 'text/plain; charset=utf-8');
    return true;
  }
  p.forwarded.push({ cluster: name, method: req.method ?? 'GET', path: rest });
  const headers: Record<string, string | string[]> = { 'Impersonate-User': user.name };
  const groups = user.groups.filter((g) => g !== 'system:authenticated' && g !== 'system:unauthenticated');
  if (groups.length) headers['Impersonate-Group'] = groups;
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined || k === 'authorization' || k === 'host' || k.startsWith('impersonate-')) continue;
    headers[k] = v as string | string[];
  }
  // an upgrade takes its own connection (the member's agent is for keep-alive requests)
  const up = https.request(new URL(member.url + rest + url.search), { method: req.method, headers, ca: member.caPem, cert: member.admin.certPem, key: member.admin.keyPem, agent: false });
  up.on('upgrade', (res, upSocket, upHead) => {
    rec.status = res.statusCode ?? 101;
    const lines = [`HTTP/1.1 ${res.statusCode} ${res.statusMessage ?? 'Switching Protocols'}`];
    for (let i = 0; i < res.rawHeaders.length; i += 2) lines.push(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}`);
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (upHead.length) socket.write(upHead);
    if (head.length) upSocket.write(head);
    upSocket.pipe(socket);
    socket.pipe(upSocket);
    upSocket.on('error', () => socket.destroy());
    socket.on('error', () => upSocket.destroy());
    upSocket.on('close', () => socket.destroy());
    socket.on('close', () => upSocket.destroy());
  });
  up.on('response', (res) => {
    rec.status = res.statusCode ?? 0;
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => rawAnswer(socket, res.statusCode ?? 502, Buffer.concat(chunks).toString('utf8'), String(res.headers['content-type'] ?? 'text/plain')));
  });
  up.on('error', (e: NodeJS.ErrnoException) => {
    rec.status = 500;
    rawAnswer(socket, 500, `${dialError(member.url, e)}\n`, 'text/plain; charset=utf-8');
  });
  up.end();
  return true;
}
