import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { Registry, DEFAULT_AGGREGATED, apiVersionOf, qualified, type ResourceDef } from './registry';
import { Store, type Obj } from './store';
import { clone, jsonPatch, mergePatch, strategicMerge, PatchInvalid, PatchTestFailed } from './patch';
import { parseFieldSelector, parseLabelSelector } from './selectors';
import { identityOf } from './certs';
import type { ServerExtension, ExtRequest } from './ext';
import { managerOf, recordUpdate, serverSideApply } from './ssa';
import { checkFields, defaultAndValidate } from './validation';
import type { Rbac } from './rbac';
import type { Duplex } from 'node:stream';
import { handleStreamUpgrade, streamsConfig, type StreamsConfig } from './streams';

export interface User {
  name: string;
  groups: string[];
}

export interface Fault {
  method?: string;
  path?: string | RegExp;
  /** The N-th matching request (1-based). */
  nth?: number;
  /** How many matching requests get the fault (default 1 with nth, else unlimited). */
  times?: number;
  status?: number;
  message?: string;
  latencyMs?: number;
  /** Destroy the socket without answering. */
  drop?: boolean;
}

export interface RequestRecord {
  method: string;
  path: string;
  query: Record<string, string>;
  user: string;
  status: number;
  contentType?: string;
  fault?: 'status' | 'drop' | 'latency';
  /** Warning headers sent (unknown fields under fieldValidation=Warn). */
  warnings?: string[];
}

export type Authorizer = (user: User, verb: string, resource: string, group: string, namespace: string | undefined, name: string | undefined) => boolean;

export class HttpError extends Error {
  constructor(readonly code: number, readonly body: Record<string, unknown>) {
    super(String(body.message));
  }
}

export function statusBody(code: number, reason: string, message: string, details?: Record<string, unknown>) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}

const fail = (code: number, reason: string, message: string, details?: Record<string, unknown>) => new HttpError(code, statusBody(code, reason, message, details));

export const notFound = (d: ResourceDef, name: string) => fail(404, 'NotFound', `${qualified(d)} "${name}" not found`, { name, group: d.group || undefined, kind: d.plural });

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAMES = new Set(['namespaces', 'services']);

export interface Hooks {
  /** Called before a write is stored (admission): may mutate the object or throw HttpError. */
  admit?: (def: ResourceDef, obj: Obj, old: Obj | undefined, user: User) => void;
}

export class ApiCore {
  readonly registry = new Registry();
  readonly store = new Store();
  readonly requests: RequestRecord[] = [];
  faults: (Fault & { seen: number; fired: number })[] = [];
  latencyMs = 0;
  authorize?: Authorizer;
  tokens = new Map<string, User>();
  aggregated: ResourceDef[] = [...DEFAULT_AGGREGATED];
  /** APIService names that must stay Available=False (with this reason). */
  unavailableApiServices = new Map<string, string>();
  hooks: Hooks = {};
  /** Cluster proxy, server-side Tables, aggregated discovery (ext.ts). */
  extensions: ServerExtension[] = [];
  private watchers = new Set<ServerResponse>();
  /** RBAC evaluated from the stored Roles and bindings (option `rbac: true`). */
  rbac?: Rbac;
  /** pods/exec and pods/attach: the protocols spoken, the container processes, the sessions seen (streams.ts). */
  streams: StreamsConfig = streamsConfig();

  constructor(readonly caPem: string) {}

  defFor(apiVersion: string, kind: string): ResourceDef {
    const d = this.registry.byKind(apiVersion, kind);
    if (!d) throw new Error(`test apiserver does not serve ${apiVersion} ${kind}`);
    return d;
  }

  // ---------------------------------------------------------------- authentication

  authenticate(req: IncomingMessage): User | undefined {
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) {
      const token = auth.slice(7).trim();
      const u = this.tokens.get(token) ?? this.bootstrapUser(token) ?? this.serviceAccountUser(token);
      if (!u) throw fail(401, 'Unauthorized', 'Unauthorized');
      return u;
    }
    const sock = req.socket as TLSSocket;
    const peer = sock.getPeerCertificate?.(false);
    if (peer && peer.raw && peer.raw.length) {
      if (!sock.authorized) throw fail(401, 'Unauthorized', 'Unauthorized');
      const pem = new X509Certificate(peer.raw).toString();
      const id = identityOf(pem);
      return { name: id.user, groups: [...id.groups, 'system:authenticated'] };
    }
    return undefined;
  }

  private bootstrapUser(token: string): User | undefined {
    const m = /^([a-z0-9]{6})\.([a-z0-9]{16})$/.exec(token);
    if (!m) return undefined;
    const s = this.store.get(this.defFor('v1', 'Secret'), 'kube-system', `bootstrap-token-${m[1]}`);
    if (!s || s.type !== 'bootstrap.kubernetes.io/token') return undefined;
    const data = decodeData(s);
    if (data['token-secret'] !== m[2] || data['usage-bootstrap-authentication'] !== 'true') return undefined;
    if (data.expiration && Date.parse(data.expiration) < Date.now()) return undefined;
    const extra = (data['auth-extra-groups'] ?? '').split(',').filter(Boolean);
    return { name: `system:bootstrap:${m[1]}`, groups: ['system:bootstrappers', ...extra, 'system:authenticated'] };
  }

  private serviceAccountUser(token: string): User | undefined {
    for (const s of this.store.list(this.defFor('v1', 'Secret'))) {
      if (s.type !== 'kubernetes.io/service-account-token') continue;
      if (decodeData(s).token === token) {
        const sa = s.metadata.annotations?.['kubernetes.io/service-account.name'];
        return { name: `system:serviceaccount:${s.metadata.namespace}:${sa}`, groups: ['system:serviceaccounts', `system:serviceaccounts:${s.metadata.namespace}`, 'system:authenticated'] };
      }
    }
    return undefined;
  }

  // ---------------------------------------------------------------- request handling

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://x');
    const query = Object.fromEntries(url.searchParams);
    const method = req.method ?? 'GET';
    const rec: RequestRecord = { method, path: url.pathname, query, user: '', status: 0, contentType: req.headers['content-type'] };
    this.requests.push(rec);
    const fault = this.matchFault(method, url.pathname);
    const latency = this.latencyMs + (fault?.latencyMs ?? 0);
    if (fault?.latencyMs) rec.fault = 'latency';
    if (latency > 0) await new Promise((r) => setTimeout(r, latency));
    if (fault?.drop) {
      rec.fault = 'drop';
      rec.status = -1;
      req.socket.destroy();
      return;
    }
    const send = (code: number, body: unknown, headers: Record<string, string> = {}, xr?: ExtRequest) => {
      for (const x of xr ? this.extensions : []) {
        if (!x.transform) continue;
        const t = x.transform(xr!, { code, body, headers });
        [code, body, headers] = [t.code, t.body, t.headers ?? headers];
      }
      rec.status = code;
      const text = JSON.stringify(body);
      const warn = rec.warnings?.length ? { Warning: rec.warnings.map((w) => `299 - ${JSON.stringify(w)}`) } : {};
      res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...warn, ...headers });
      res.end(text);
    };
    try {
      const body = await readBody(req);
      const user = this.identify(req);
      rec.user = user?.name ?? 'system:anonymous';
      if (fault?.status) {
        rec.fault = 'status';
        const reasons: Record<number, string> = { 500: 'InternalError', 503: 'ServiceUnavailable', 429: 'TooManyRequests', 403: 'Forbidden', 404: 'NotFound', 409: 'Conflict', 422: 'Invalid', 504: 'Timeout' };
        send(fault.status, statusBody(fault.status, reasons[fault.status] ?? 'Unknown', fault.message ?? `injected fault ${fault.status}`), fault.status === 429 ? { 'Retry-After': '1' } : {});
        return;
      }
      const xr: ExtRequest = { core: this, req, url, method, query, body, user, rec };
      for (const x of this.extensions) if (x.intercept && (await x.intercept(xr, res))) return;
      const r = await this.route(method, url, query, body, user, req, res, rec);
      if (r === undefined) return; // streamed (watch)
      send(r.code, r.body, {}, xr);
    } catch (e) {
      if (e instanceof HttpError) send(e.code, e.body);
      else send(500, statusBody(500, 'InternalError', `Internal error occurred: ${(e as Error).message}`));
    }
  }

  /** The caller: authentication, then impersonation (allowed for system:masters, or by RBAC's impersonate verb). */
  identify(req: IncomingMessage): User | undefined {
    let user = this.authenticate(req);
    const as = req.headers['impersonate-user'];
    if (typeof as === 'string' && as) {
      if (!user?.groups.includes('system:masters') && !(this.rbac && user && this.rbac.authorize(user, 'impersonate', 'users', '', undefined, as))) throw fail(403, 'Forbidden', `users "${as}" is forbidden: User "${user?.name ?? 'system:anonymous'}" cannot impersonate resource "users" in API group "" at the cluster scope`);
      user = { name: as, groups: [...(req.headersDistinct['impersonate-group'] ?? []), 'system:authenticated'] };
    }
    return user;
  }

  /**
   * An HTTP upgrade (exec/attach WebSocket): the same authentication and faults as handle(), then
   * the extensions (the cluster proxy forwards it), then pods/exec and pods/attach (streams.ts).
   */
  async handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://x');
    const answer = (code: number, body: unknown) => {
      const text = JSON.stringify(body);
      socket.end(`HTTP/1.1 ${code} ${code === 403 ? 'Forbidden' : code === 404 ? 'Not Found' : code === 401 ? 'Unauthorized' : 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
    };
    socket.on('error', () => {});
    try {
      const fault = this.matchFault(req.method ?? 'GET', url.pathname);
      if (this.latencyMs + (fault?.latencyMs ?? 0) > 0) await new Promise((r) => setTimeout(r, this.latencyMs + (fault?.latencyMs ?? 0)));
      if (fault?.drop) {
        socket.destroy();
        return;
      }
      if (fault?.status) {
        answer(fault.status, statusBody(fault.status, fault.status === 403 ? 'Forbidden' : 'InternalError', fault.message ?? `injected fault ${fault.status}`));
        return;
      }
      const user = this.identify(req);
      for (const x of this.extensions) if (x.upgrade && (await x.upgrade(this, req, socket, head, user))) return;
      const u = user ?? { name: 'system:anonymous', groups: ['system:unauthenticated'] };
      if (await handleStreamUpgrade(this, this.streams, req, socket, head, u)) return;
      this.requests.push({ method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), user: u.name, status: 404 });
      answer(404, statusBody(404, 'NotFound', 'the server could not find the requested resource'));
    } catch (e) {
      if (e instanceof HttpError) answer(e.code, e.body);
      else answer(500, statusBody(500, 'InternalError', `Internal error occurred: ${(e as Error).message}`));
    }
  }

  private matchFault(method: string, path: string) {
    for (const f of this.faults) {
      if (f.method && f.method.toUpperCase() !== method) continue;
      if (f.path && (typeof f.path === 'string' ? !path.includes(f.path) : !f.path.test(path))) continue;
      f.seen++;
      const limit = f.times ?? (f.nth ? 1 : Infinity);
      if (f.fired >= limit) continue;
      if (f.nth && f.seen < f.nth) continue;
      f.fired++;
      return f;
    }
    return undefined;
  }

  private anonymousAllowed(method: string, path: string): boolean {
    if (method !== 'GET') return false;
    return ['/version', '/healthz', '/livez', '/readyz'].includes(path) || path === '/api/v1/namespaces/kube-public/configmaps/cluster-info';
  }

  private async route(method: string, url: URL, query: Record<string, string>, body: string, user: User | undefined, req: IncomingMessage, res: ServerResponse, rec: RequestRecord): Promise<{ code: number; body: unknown } | undefined> {
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const u: User = user ?? { name: 'system:anonymous', groups: ['system:unauthenticated'] };
    const nonResource = !path.startsWith('/api/') && !path.startsWith('/apis/');
    if (!user && nonResource && !this.anonymousAllowed(method, path)) {
      throw fail(403, 'Forbidden', `forbidden: User "system:anonymous" cannot ${method.toLowerCase()} path "${path}"`, {});
    }
    if (user && nonResource && this.rbac && !this.rbac.allowsPath(user, method.toLowerCase(), path)) {
      throw fail(403, 'Forbidden', `forbidden: User "${user.name}" cannot ${method.toLowerCase()} path "${path}"`, {});
    }
    if (path === '/version') return { code: 200, body: { major: '1', minor: '34', gitVersion: 'v1.34.0-testapiserver', gitCommit: '0000000', gitTreeState: 'clean', buildDate: '2026-01-01T00:00:00Z', goVersion: 'go1.26', compiler: 'gc', platform: 'linux/amd64' } };
    if (['/healthz', '/livez', '/readyz'].includes(path)) return { code: 200, body: 'ok' };
    if (path === '/api') return { code: 200, body: { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] } };
    if (path === '/apis') {
      return {
        code: 200,
        body: {
          kind: 'APIGroupList',
          apiVersion: 'v1',
          groups: this.registry.groups().map((g) => ({ name: g.group, versions: g.versions.map((v) => ({ groupVersion: `${g.group}/${v}`, version: v })), preferredVersion: { groupVersion: `${g.group}/${g.versions[0]}`, version: g.versions[0] } })),
        },
      };
    }
    const seg = path.split('/').filter(Boolean).map((x) => decodeURIComponent(x));
    let group: string, version: string, rest: string[];
    if (seg[0] === 'api' && seg.length >= 2) [group, version, rest] = ['', seg[1], seg.slice(2)];
    else if (seg[0] === 'apis' && seg.length === 2) {
      const g = this.registry.groups().find((x) => x.group === seg[1]);
      if (!g) throw fail(404, 'NotFound', 'the server could not find the requested resource');
      return { code: 200, body: { kind: 'APIGroup', apiVersion: 'v1', name: g.group, versions: g.versions.map((v) => ({ groupVersion: `${g.group}/${v}`, version: v })), preferredVersion: { groupVersion: `${g.group}/${g.versions[0]}`, version: g.versions[0] } } };
    } else if (seg[0] === 'apis' && seg.length >= 3) [group, version, rest] = [seg[1], seg[2], seg.slice(3)];
    else throw fail(404, 'NotFound', 'the server could not find the requested resource');
    if (!rest.length) {
      const list = this.registry.resourceList(group, version);
      if (!list) throw fail(404, 'NotFound', 'the server could not find the requested resource');
      return { code: 200, body: list };
    }
    let watch = query.watch === 'true' || query.watch === '1';
    if (rest[0] === 'watch') {
      watch = true;
      rest = rest.slice(1);
    }
    let ns: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3 && this.registry.byPath(group, version, rest[2])?.namespaced) {
      ns = rest[1];
      rest = rest.slice(2);
    }
    const def = this.registry.byPath(group, version, rest[0]);
    if (!def) throw fail(404, 'NotFound', 'the server could not find the requested resource');
    const name = rest[1];
    const sub = rest[2];
    const verb = watch ? 'watch' : method === 'GET' ? (name ? 'get' : 'list') : method === 'POST' ? 'create' : method === 'PUT' ? 'update' : method === 'PATCH' ? 'patch' : method === 'DELETE' ? (name ? 'delete' : 'deletecollection') : method.toLowerCase();
    this.checkAuthz(u, verb, def, ns, name, sub);
    if (watch) {
      this.watch(def, ns, query, req, res, rec);
      return undefined;
    }
    const dryRun = query.dryRun === 'All';
    const ct = String(req.headers['content-type'] ?? '').split(';')[0].trim();
    const fm = { manager: managerOf(query, req.headers['user-agent']) };
    if ((method === 'POST' || method === 'PUT' || (method === 'PATCH' && ct !== 'application/json-patch+json')) && !(def.plural === 'serviceaccounts' && sub === 'token') && (!sub || sub === 'status')) {
      let parsed: Obj | undefined;
      try {
        parsed = ct === 'application/apply-patch+yaml' ? (parseYaml(body) as Obj) : (JSON.parse(body || 'null') as Obj);
      } catch {
        parsed = undefined;
      }
      // A strategic merge patch's directives ($setElementOrder/…, $patch, $retainKeys, …) are not fields:
      // kube-apiserver applies the patch and decodes the result, so they never count as unknown.
      if (parsed && typeof parsed === 'object' && ct === 'application/strategic-merge-patch+json') parsed = withoutDirectives(parsed) as Obj;
      if (parsed && typeof parsed === 'object') {
        const w = checkFields(this.store, this.registry, def, parsed, query.fieldValidation, ct === 'application/apply-patch+yaml', ns ?? parsed.metadata?.namespace, name ?? parsed.metadata?.name);
        if (w.length) rec.warnings = [...(rec.warnings ?? []), ...w];
      }
    }
    switch (method) {
      case 'GET':
        return name ? { code: 200, body: this.getOrThrow(def, ns, name) } : { code: 200, body: this.list(def, ns, query) };
      case 'POST':
        if (def.plural === 'serviceaccounts' && sub === 'token') return { code: 201, body: this.tokenRequest(ns!, name, body) };
        if (name) throw fail(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
        return { code: 201, body: this.create(def, ns, parseBody(body), u, dryRun, fm) };
      case 'PUT':
        return { code: 200, body: this.update(def, ns, name, parseBody(body), u, sub, dryRun, fm) };
      case 'PATCH':
        return this.patch(def, ns, name, body, String(req.headers['content-type'] ?? ''), query, u, sub, dryRun, fm.manager);
      case 'DELETE':
        if (!name) return { code: 200, body: this.deleteCollection(def, ns, query) };
        return { code: 200, body: this.remove(def, ns, name, dryRun) };
      default:
        throw fail(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    }
  }

  checkAuthz(u: User, verb: string, def: ResourceDef, ns: string | undefined, name: string | undefined, sub: string | undefined) {
    if (u.name === 'system:anonymous') {
      if (def.plural === 'configmaps' && ns === 'kube-public' && name === 'cluster-info' && verb === 'get') return;
      throw fail(403, 'Forbidden', `${qualified(def)}${name ? ` "${name}"` : ''} is forbidden: User "system:anonymous" cannot ${verb} resource "${def.plural}" in API group "${def.group}"${ns ? ` in the namespace "${ns}"` : ' at the cluster scope'}`);
    }
    if (u.groups.includes('system:masters')) return;
    const resource = sub ? `${def.plural}/${sub}` : def.plural;
    if (this.authorize && this.authorize(u, verb, resource, def.group, ns, name)) return;
    if (!this.authorize && !u.name.startsWith('system:bootstrap:') && !u.name.startsWith('system:serviceaccount:')) return;
    throw fail(403, 'Forbidden', `${qualified(def)}${name ? ` "${name}"` : ''} is forbidden: User "${u.name}" cannot ${verb} resource "${resource}" in API group "${def.group}"${ns ? ` in the namespace "${ns}"` : ' at the cluster scope'}`, { name, group: def.group, kind: def.plural });
  }

  getOrThrow(def: ResourceDef, ns: string | undefined, name: string): Obj {
    const o = this.store.get(def, ns, name);
    if (!o) throw notFound(def, name);
    return o;
  }

  private list(def: ResourceDef, ns: string | undefined, query: Record<string, string>) {
    const ls = parseLabelSelector(query.labelSelector);
    const fs = parseFieldSelector(query.fieldSelector);
    const items = this.store.list(def, ns).filter((o) => ls(o.metadata.labels ?? {}) && fs(o));
    for (const it of items) {
      delete (it as Record<string, unknown>).apiVersion;
      delete (it as Record<string, unknown>).kind;
    }
    return { kind: `${def.kind}List`, apiVersion: apiVersionOf(def), metadata: { resourceVersion: String(this.store.rv) }, items };
  }

  private validateName(def: ResourceDef, obj: Obj) {
    const name = obj.metadata?.name;
    const kind = def.kind;
    if (!name) throw fail(422, 'Invalid', `${kind} "" is invalid: metadata.name: Required value: name or generateName is required`, { kind, group: def.group, causes: [{ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' }] });
    const label = LABEL_NAMES.has(def.plural);
    const ok = label ? DNS1123_LABEL.test(name) && name.length <= 63 : DNS1123_SUBDOMAIN.test(name) && name.length <= 253;
    if (!ok && def.origin === 'builtin' && !['clusterroles', 'clusterrolebindings', 'roles', 'rolebindings'].includes(def.plural)) {
      const msg = label
        ? `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`
        : `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`;
      throw fail(422, 'Invalid', `${kind} "${name}" is invalid: metadata.name: Invalid value: "${name}": ${msg}`, { name, group: def.group, kind, causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: "${name}": ${msg}`, field: 'metadata.name' }] });
    }
  }

  create(def: ResourceDef, ns: string | undefined, obj: Obj, u: User, dryRun = false, fm?: { manager: string; apply?: boolean }): Obj {
    obj.metadata ??= {};
    if (def.namespaced) {
      const target = ns ?? obj.metadata.namespace ?? 'default';
      if (obj.metadata.namespace && ns && obj.metadata.namespace !== ns) throw fail(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request');
      obj.metadata.namespace = target;
      const nsObj = this.store.get(this.defFor('v1', 'Namespace'), undefined, target);
      if (!nsObj) throw fail(404, 'NotFound', `namespaces "${target}" not found`, { name: target, kind: 'namespaces' });
      if (nsObj.status?.phase === 'Terminating') throw fail(403, 'Forbidden', `${def.plural} "${obj.metadata.name}" is forbidden: unable to create new content in namespace ${target} because it is being terminated`);
    }
    if (!obj.metadata.name && obj.metadata.generateName) obj.metadata.name = obj.metadata.generateName + Math.random().toString(36).slice(2, 7);
    this.validateName(def, obj);
    if (this.store.get(def, obj.metadata.namespace, obj.metadata.name)) {
      throw fail(409, 'AlreadyExists', `${qualified(def)} "${obj.metadata.name}" already exists`, { name: obj.metadata.name, group: def.group || undefined, kind: def.plural });
    }
    delete obj.metadata.resourceVersion;
    // Like the real server: status is not settable on create for kinds with a status subresource.
    if (def.subresources.includes('status') && !['nodes', 'pods', 'namespaces'].includes(def.plural)) delete obj.status;
    this.hooks.admit?.(def, obj, undefined, u);
    this.defaultObject(def, obj, undefined);
    if (fm && !fm.apply) recordUpdate(def, undefined, obj, fm.manager);
    else if (!fm) delete obj.metadata.managedFields;
    if (dryRun) return { ...obj, apiVersion: apiVersionOf(def), kind: def.kind };
    return this.store.put(def, obj, { create: true });
  }

  update(def: ResourceDef, ns: string | undefined, name: string, obj: Obj, u: User, sub?: string, dryRun = false, fm?: { manager: string; apply?: boolean }): Obj {
    const cur = this.getOrThrow(def, ns, name);
    if (obj.metadata?.resourceVersion && obj.metadata.resourceVersion !== cur.metadata.resourceVersion) {
      throw fail(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(def)} "${name}": the object has been modified; please apply your changes to the latest version and try again`, { name, group: def.group || undefined, kind: def.plural });
    }
    let next: Obj;
    if (sub === 'status') next = { ...cur, status: obj.status };
    else if (sub === 'approval') next = { ...cur, status: { ...cur.status, conditions: obj.status?.conditions ?? [] } };
    else {
      next = { ...obj, metadata: { ...obj.metadata, name, namespace: cur.metadata.namespace } };
      if (def.subresources.includes('status')) next.status = cur.status;
    }
    this.hooks.admit?.(def, next, cur, u);
    this.defaultObject(def, next, cur);
    if (fm && !fm.apply) recordUpdate(def, cur, next, fm.manager, sub);
    else if (!fm) next.metadata.managedFields = cur.metadata.managedFields;
    if (next.metadata.managedFields === undefined) delete next.metadata.managedFields;
    if (dryRun) return next;
    // A write that changes nothing is not written: the resourceVersion does not move (as kube-apiserver).
    if (!cur.metadata.deletionTimestamp && sameStored(next, cur)) return cur;
    // deletionTimestamp cannot be set or cleared by an update; the last finalizer gone completes a deletion
    next.metadata.deletionTimestamp = cur.metadata.deletionTimestamp;
    if (cur.metadata.deletionTimestamp && !(next.metadata.finalizers ?? []).length && def.plural !== 'namespaces') {
      const gone = this.store.delete(def, cur.metadata.namespace, name)!;
      this.collectGarbage(gone.metadata.uid);
      return next;
    }
    return this.store.put(def, next);
  }

  private patch(def: ResourceDef, ns: string | undefined, name: string, body: string, type: string, query: Record<string, string>, u: User, sub: string | undefined, dryRun: boolean, manager = 'unknown'): { code: number; body: unknown } {
    const ct = type.split(';')[0].trim();
    const cur = this.store.get(def, ns, name);
    if (ct === 'application/apply-patch+yaml') {
      if (!query.fieldManager) throw fail(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
      const applied = stripStatusFor(def, parseYaml(body) as Obj, sub);
      if (!applied || typeof applied !== 'object' || !applied.metadata) throw fail(400, 'BadRequest', 'error decoding YAML: the apply configuration needs apiVersion, kind and metadata');
      if (applied.metadata.name && applied.metadata.name !== name) throw fail(400, 'BadRequest', 'the name of the object (' + applied.metadata.name + ') does not match the name on the URL (' + name + ')');
      const force = query.force === 'true';
      if (!cur) {
        if (sub) throw notFound(def, name);
        const merged = serverSideApply(def, undefined, { ...applied, metadata: { ...applied.metadata, name } }, query.fieldManager, force);
        return { code: 201, body: this.create(def, ns, merged, u, dryRun, { manager: query.fieldManager, apply: true }) };
      }
      const merged = serverSideApply(def, cur, applied, query.fieldManager, force, sub);
      merged.metadata.resourceVersion = cur.metadata.resourceVersion;
      return { code: 200, body: this.update(def, ns, name, merged, u, sub, dryRun, { manager: query.fieldManager, apply: true }) };
    }
    if (!cur) throw notFound(def, name);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body || '{}');
    } catch {
      throw fail(400, 'BadRequest', 'invalid JSON patch body');
    }
    let next: Obj;
    try {
      if (ct === 'application/merge-patch+json') next = mergePatch(cur, parsed) as Obj;
      else if (ct === 'application/strategic-merge-patch+json') next = strategicMerge(cur, parsed) as Obj;
      else if (ct === 'application/json-patch+json') next = jsonPatch(cur, parsed as never) as Obj;
      else throw fail(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`);
    } catch (e) {
      if (e instanceof PatchTestFailed || e instanceof PatchInvalid) throw fail(422, 'Invalid', e.message);
      throw e;
    }
    if (ct !== 'application/json-patch+json' || !(next.metadata?.resourceVersion && next.metadata.resourceVersion !== cur.metadata.resourceVersion)) {
      // A merge/strategic patch without a resourceVersion is unconditional.
      if (!(parsed as Obj)?.metadata?.resourceVersion) next.metadata.resourceVersion = cur.metadata.resourceVersion;
    }
    return { code: 200, body: this.update(def, ns, name, next, u, sub, dryRun, { manager }) };
  }

  remove(def: ResourceDef, ns: string | undefined, name: string, dryRun = false): unknown {
    const cur = this.getOrThrow(def, ns, name);
    if (dryRun) return cur;
    if (def.plural === 'namespaces') {
      const terminating = this.store.put(def, { ...cur, status: { phase: 'Terminating' }, metadata: { ...cur.metadata, deletionTimestamp: new Date().toISOString() } });
      setTimeout(() => this.finalizeNamespace(name), 5).unref();
      return terminating;
    }
    if ((cur.metadata.finalizers ?? []).length) {
      // Finalizers hold the object: it gets a deletionTimestamp and stays until they are removed.
      if (cur.metadata.deletionTimestamp) return cur;
      return this.store.put(def, { ...cur, metadata: { ...cur.metadata, deletionTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z') } });
    }
    const gone = this.store.delete(def, ns, name)!;
    this.collectGarbage(gone.metadata.uid);
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name, group: def.group, kind: def.plural, uid: gone.metadata.uid } };
  }

  private finalizeNamespace(name: string) {
    for (const d of this.registry.all()) {
      if (!d.namespaced || d.origin === 'aggregated') continue;
      for (const o of this.store.list(d, name)) {
        const gone = this.store.delete(d, name, o.metadata.name);
        if (gone) this.collectGarbage(gone.metadata.uid);
      }
    }
    this.store.delete(this.defFor('v1', 'Namespace'), undefined, name);
  }

  /** Background garbage collection: dependents whose owner is gone are deleted. */
  collectGarbage(uid: string) {
    for (const d of this.registry.all()) {
      for (const o of this.store.list(d)) {
        if ((o.metadata.ownerReferences ?? []).some((r: { uid: string }) => r.uid === uid)) {
          const gone = this.store.delete(d, o.metadata.namespace, o.metadata.name);
          if (gone) this.collectGarbage(gone.metadata.uid);
        }
      }
    }
  }

  private deleteCollection(def: ResourceDef, ns: string | undefined, query: Record<string, string>) {
    const ls = parseLabelSelector(query.labelSelector);
    const fs = parseFieldSelector(query.fieldSelector);
    const items = this.store.list(def, ns).filter((o) => ls(o.metadata.labels ?? {}) && fs(o));
    for (const o of items) this.remove(def, o.metadata.namespace, o.metadata.name);
    return { kind: `${def.kind}List`, apiVersion: apiVersionOf(def), metadata: {}, items };
  }

  /**
   * The TokenRequest subresource as kube-apiserver answers it: the spec echoed with its defaults
   * (the API server's audience, 3600 s), a bound object that must exist (404 otherwise) and whose UID
   * must match (and is filled in), and the token in the status.
   */
  private tokenRequest(ns: string, name: string, body: string) {
    const sa = this.getOrThrow(this.defFor('v1', 'ServiceAccount'), ns, name);
    let req: Record<string, any> = {};
    try {
      req = (JSON.parse(body || "{}") ?? {}) as Record<string, any>;
    } catch {
      throw new HttpError(400, statusBody(400, 'BadRequest', 'the body of the request was in an unknown format'));
    }
    const spec: Obj = { ...(req.spec ?? {}) };
    if (!Array.isArray(spec.audiences) || !spec.audiences.length) spec.audiences = ['https://kubernetes.default.svc.cluster.local'];
    spec.expirationSeconds ??= 3600;
    if (spec.expirationSeconds < 600) throw new HttpError(422, { ...statusBody(422, 'Invalid', `TokenRequest.authentication.k8s.io "${name}" is invalid: spec.expirationSeconds: Invalid value: ${spec.expirationSeconds}: may not specify a duration less than 10 minutes`), details: { name, group: 'authentication.k8s.io', kind: 'TokenRequest', causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: ${spec.expirationSeconds}: may not specify a duration less than 10 minutes`, field: 'spec.expirationSeconds' }] } });
    if (spec.boundObjectRef) {
      const ref = spec.boundObjectRef as Obj;
      const def = this.defFor(String(ref.apiVersion ?? 'v1'), String(ref.kind ?? ''));
      const target = this.getOrThrow(def, def.namespaced ? ns : undefined, String(ref.name ?? ''));
      if (ref.uid && ref.uid !== target.metadata.uid) throw new HttpError(409, statusBody(409, 'Conflict', `the UID in the bound object reference (${String(ref.uid)}) does not match the UID in record. The object might have been deleted and then recreated`));
      spec.boundObjectRef = { ...ref, uid: target.metadata.uid };
    }
    const token = `satoken-${ns}-${name}-${Math.random().toString(36).slice(2)}`;
    this.tokens.set(token, { name: `system:serviceaccount:${ns}:${sa.metadata.name}`, groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'] });
    return { kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', metadata: { name, namespace: ns, creationTimestamp: null }, spec, status: { token, expirationTimestamp: new Date(Date.now() + Number(spec.expirationSeconds) * 1000).toISOString().replace(/\.\d+Z$/, 'Z') } };
  }

  /** Defaults and checks a real API server applies that the CLI depends on. */
  private defaultObject(def: ResourceDef, obj: Obj, old: Obj | undefined) {
    defaultAndValidate(def, obj, old);
    if (def.plural === 'services') this.defaultService(obj, old);
  }

  private defaultService(obj: Obj, old: Obj | undefined) {
    const spec = (obj.spec ??= {});
    spec.type ??= 'ClusterIP';
    if (old?.spec?.clusterIP && spec.clusterIP && spec.clusterIP !== old.spec.clusterIP) {
      throw fail(422, 'Invalid', `Service "${obj.metadata.name}" is invalid: spec.clusterIPs[0]: Invalid value: []string{"${spec.clusterIP}"}: may not change once set`);
    }
    if (spec.type !== 'ExternalName') {
      spec.clusterIP ??= old?.spec?.clusterIP ?? `10.96.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;
    }
    for (const p of spec.ports ?? []) {
      p.protocol ??= 'TCP';
      p.targetPort ??= p.port;
      if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
        const prev = old?.spec?.ports?.find((x: { port: number }) => x.port === p.port)?.nodePort;
        if (p.nodePort) {
          const clash = this.store.list(this.defFor('v1', 'Service')).find((s) => s.metadata.uid !== old?.metadata.uid && (s.spec?.ports ?? []).some((q: { nodePort?: number }) => q.nodePort === p.nodePort));
          if (clash) throw fail(422, 'Invalid', `Service "${obj.metadata.name}" is invalid: spec.ports[0].nodePort: Invalid value: ${p.nodePort}: provided port is already allocated`);
        } else p.nodePort = prev ?? 30000 + Math.floor(Math.random() * 2767);
      }
    }
  }

  // ---------------------------------------------------------------- watch

  private watch(def: ResourceDef, ns: string | undefined, query: Record<string, string>, req: IncomingMessage, res: ServerResponse, rec: RequestRecord) {
    const ls = parseLabelSelector(query.labelSelector);
    const fs = parseFieldSelector(query.fieldSelector);
    rec.status = 200;
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    this.watchers.add(res);
    const matches = (e: { def: ResourceDef; object: Obj }) => e.def === def && (!ns || !def.namespaced || e.object.metadata.namespace === ns) && ls(e.object.metadata.labels ?? {}) && fs(e.object);
    const write = (type: string, object: Obj) => {
      let out: unknown = object;
      for (const x of this.extensions) if (x.watchEvent) out = x.watchEvent(req, def, type, out as Obj, query);
      res.write(JSON.stringify({ type, object: out }) + '\n');
    };
    const since = query.resourceVersion ? Number(query.resourceVersion) : undefined;
    if (since === undefined || query.resourceVersion === '0') {
      for (const o of this.store.list(def, ns)) if (matches({ def, object: o })) write('ADDED', o);
    } else {
      for (const e of this.store.log) if (e.rv > since && matches(e)) write(e.type, e.object);
    }
    const unsubscribe = this.store.subscribe((e) => {
      if (matches(e)) write(e.type, e.object);
    });
    const timeout = Number(query.timeoutSeconds) > 0 ? setTimeout(() => res.end(), Number(query.timeoutSeconds) * 1000) : undefined;
    const close = () => {
      unsubscribe();
      if (timeout) clearTimeout(timeout);
      this.watchers.delete(res);
    };
    res.on('close', close);
    req.on('close', close);
  }

  closeWatchers() {
    for (const w of this.watchers) w.destroy();
    this.watchers.clear();
  }
}

/** Equal as stored, ignoring what the server sets on every write. */
function sameStored(a: Obj, b: Obj): boolean {
  const norm = (o: Obj) => {
    const { resourceVersion: _r, generation: _g, uid: _u, creationTimestamp: _c, managedFields, ...m } = o.metadata ?? {};
    const mf = (managedFields ?? []).map((e: { time?: string }) => ({ ...e, time: undefined }));
    return JSON.stringify(sortKeys({ ...o, apiVersion: undefined, kind: undefined, metadata: { ...m, managedFields: mf } }));
  };
  return norm(a) === norm(b);
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  return v;
}

function stripStatusFor(def: ResourceDef, o: Obj, sub?: string): Obj {
  if (sub === 'status' || !def.subresources.includes('status')) return o;
  const { status: _s, ...rest } = o;
  return rest as Obj;
}

export function decodeData(s: Obj): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.data ?? {})) out[k] = Buffer.from(String(v), 'base64').toString('utf8');
  for (const [k, v] of Object.entries(s.stringData ?? {})) out[k] = String(v);
  return out;
}

function parseBody(body: string): Obj {
  try {
    const o = JSON.parse(body);
    if (o?.stringData) {
      o.data = { ...(o.data ?? {}) };
      for (const [k, v] of Object.entries(o.stringData)) o.data[k] = Buffer.from(String(v)).toString('base64');
      delete o.stringData;
    }
    return o;
  } catch {
    throw fail(400, 'BadRequest', 'the object provided is unrecognized (not valid JSON)');
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function createHttpsServer(core: ApiCore, tls: { certPem: string; keyPem: string; clientCaPem: string }) {
  const server = https.createServer({ cert: tls.certPem, key: tls.keyPem, ca: tls.clientCaPem, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    void core.handle(req, res);
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => void core.handleUpgrade(req, socket, head));
  return server;
}

export { clone };

/** A strategic merge patch without its `$…` directive keys (for the unknown-field check). */
function withoutDirectives(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutDirectives);
  if (!v || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([k]) => !k.startsWith('$')).map(([k, x]) => [k, withoutDirectives(x)]));
}
