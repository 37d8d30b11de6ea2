import type httpTypes from 'node:http';
import type httpsTypes from 'node:https';
// Not `import http from 'node:http'`: an ESM import of node:http evaluates every lazy export,
// which loads Node's bundled undici (~20 ms of start-up for nothing).
const http = process.getBuiltinModule('node:http') as typeof httpTypes;
const https = process.getBuiltinModule('node:https') as typeof httpsTypes;
import type { Kubeconfig } from './kubeconfig';
import type { KubeApi, EnsureOptions, EnsureResult, PatchType, WatchOptions } from './api';
import type { LoadedKubeconfig } from './config';
import type { K8sObject, KubeList, ListOptions, ObjectRef, WatchEvent } from './types';
import { KubeApiError, KubeConnectionError, KubeTimeoutError, NotKubeServerError, isAlreadyExists, isNotFound, isRetryable, tlsMaterialError, type ApiStatus, type TimeoutPhase } from './errors';
import { DEFAULT_RETRY, markRetried, wasRetried, withRetry, type RetryPolicy } from './retry';
import { apiPrefix, knownResource, resourcePath, type ResourceInfo } from './resources';
import { isSubset, normalizeForApply } from './compare';
import { ensureByApply, FIELD_MANAGER } from './api';
import { UserError } from '../errors';
import { redactBody, redactHeaders } from './redact';
import type { Logger } from '../ui/log';
import { silentLogger } from '../ui/log';

export { FIELD_MANAGER };
/** Writes ask the server to refuse unknown fields, as kubectl (--validate=strict) does. */
const WRITE_QUERY = { fieldManager: FIELD_MANAGER, fieldValidation: 'Strict' } as const;

const CONTENT_TYPES: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

export interface ClientOptions {
  log?: Logger;
  retry?: RetryPolicy;
  /**
   * How long the server has to answer a request once connected (the response headers), and the
   * longest pause while the body arrives (default 30 s). Not for watches (see watch()).
   */
  timeoutMs?: number;
  /** TCP connect, and then the TLS handshake, each (default 10 s). */
  connectTimeoutMs?: number;
  /** Retries stop once this much time has passed since the first attempt (default 2 × timeoutMs). */
  retryBudgetMs?: number;
  userAgent?: string;
  /** Impersonation (kubectl's --as, --as-group, --as-uid): sent on every request. */
  impersonate?: { user?: string; groups?: string[]; uid?: string };
  /** Server warnings (`Warning:` headers), each once per client, as kubectl prints them on stderr. Default: the logger's `warning`. */
  onWarning?: (message: string) => void;
}

interface RequestOptions {
  query?: Record<string, string | undefined>;
  body?: unknown;
  contentType?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Do not retry (e.g. a non-idempotent call whose caller handles conflicts). */
  noRetry?: boolean;
  /** Extra request headers (e.g. the Table or aggregated-discovery Accept header); they win over the defaults. */
  headers?: Record<string, string>;
}

/**
 * The HTTPS client: kubeconfig authentication as @kubernetes/client-node's KubeConfig does it (client
 * certificates, tokens, exec plugins, auth providers), requests over node:https with keep-alive,
 * plain JSON objects in and out, retries with backoff, request logging with secrets redacted.
 */
export class KubeClient implements KubeApi {
  readonly server: string;
  readonly dryRun = false;
  private readonly kc: Kubeconfig;
  private readonly agent: httpTypes.Agent;
  private readonly tls: httpsTypes.RequestOptions;
  private readonly dynamicAuth: boolean;
  private staticHeaders: Record<string, string> = {};
  private readonly log: Logger;
  private readonly retry: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly connectTimeoutMs: number;
  private readonly retryBudgetMs: number;
  private readonly userAgent: string;
  private readonly impersonation: Record<string, string | string[]>;
  private readonly onWarning?: (message: string) => void;
  private readonly warned = new Set<string>();
  private readonly discovery = new Map<string, Promise<Map<string, ResourceInfo>>>();

  private constructor(loaded: LoadedKubeconfig, tls: httpsTypes.RequestOptions, opts: ClientOptions) {
    this.kc = loaded.kc;
    this.server = loaded.server;
    this.tls = tls;
    this.log = opts.log ?? silentLogger;
    this.retry = opts.retry ?? DEFAULT_RETRY;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.connectTimeoutMs = opts.connectTimeoutMs ?? 10_000;
    this.retryBudgetMs = opts.retryBudgetMs ?? 2 * this.timeoutMs;
    this.userAgent = opts.userAgent ?? `karmadactl/${process.env.KARMADACTL_BUILD_VERSION ?? 'dev'} (${process.platform}/${process.arch})`;
    this.impersonation = impersonationHeaders(loaded.kc.getCurrentUser(), opts.impersonate);
    this.onWarning = opts.onWarning ?? this.log.warning;
    this.dynamicAuth = loaded.kc.hasDynamicAuth();
    if (this.server.startsWith('https:') && !tls.pfx && (tls.ca || tls.cert || tls.key)) {
      // One TLS context for every connection: without it each new socket parses the CA, certificate
      // and private key again (init opens up to 16 at once).
      const { createSecureContext } = process.getBuiltinModule('node:tls') as typeof import('node:tls');
      const { ca, cert, key, ...rest } = tls;
      const cluster = loaded.kc.getCurrentCluster();
      const user = loaded.kc.getCurrentUser();
      // kubectl: "unable to load root certificates: unable to parse bytes as PEM block" (Node would
      // ignore such a CA, and every request would fail verification instead).
      if (ca && !String(ca).includes('-----BEGIN CERTIFICATE-----')) throw tlsMaterialError(loaded.kc, cluster, user, 'ca');
      let secureContext;
      try {
        secureContext = createSecureContext({ ca, cert, key });
      } catch (e) {
        let culprit: 'ca' | 'cert' | 'key' | 'pair' = 'pair';
        for (const [field, o] of [['ca', { ca }], ['cert', { cert }], ['key', { key }]] as const) {
          if (!o[field as keyof typeof o]) continue;
          try {
            createSecureContext(o);
          } catch {
            culprit = field;
            break;
          }
        }
        throw tlsMaterialError(loaded.kc, cluster, user, culprit, e);
      }
      this.tls = tls = { ...rest, secureContext } as httpsTypes.RequestOptions;
    }
    const agentOpts = { keepAlive: true, maxSockets: 16, ...tls };
    this.agent = this.server.startsWith('http:') ? new http.Agent({ keepAlive: true, maxSockets: 16 }) : new https.Agent(agentOpts as httpsTypes.AgentOptions);
  }

  static async create(loaded: LoadedKubeconfig, opts: ClientOptions = {}): Promise<KubeClient> {
    const tls: httpsTypes.RequestOptions = {};
    await loaded.kc.applyToHTTPSOptions(tls);
    const client = new KubeClient(loaded, { ca: tls.ca, cert: tls.cert, key: tls.key, rejectUnauthorized: tls.rejectUnauthorized, servername: tls.servername, pfx: tls.pfx, passphrase: tls.passphrase }, opts);
    client.staticHeaders = headersOf(tls);
    return client;
  }

  /**
   * A client for another base URL on the same server — a member behind the karmada-apiserver's
   * cluster proxy (`<server>/apis/cluster.karmada.io/v1alpha1/clusters/<name>/proxy`): the same
   * credentials, TLS context and keep-alive pool, so N members cost no new connections.
   */
  withServer(server: string, o: { retry?: RetryPolicy; timeoutMs?: number } = {}): KubeClient {
    const c = Object.create(KubeClient.prototype) as KubeClient;
    Object.assign(c, this, { server: server.replace(/\/+$/, ''), discovery: new Map() }, o.retry ? { retry: o.retry } : {}, o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {});
    return c;
  }

  /** Close idle keep-alive sockets (the process can exit at once). */
  close(): void {
    this.agent.destroy();
  }

  /**
   * What a streaming connection (exec/attach: an HTTP upgrade to WebSocket) needs to reach `path`
   * exactly as request() would: the URL on this client's server (a member behind the cluster proxy
   * included), the same authentication, impersonation and User-Agent headers, and the same TLS
   * options (CA, client certificate, servername, insecure flag). `query` is kept as given (repeated
   * keys such as exec's `command`).
   */
  async upgradeOptions(path: string, query: URLSearchParams): Promise<{ url: URL; headers: Record<string, string | string[]>; tls: httpsTypes.RequestOptions; connectTimeoutMs: number; log: Logger }> {
    const url = new URL(this.server + path);
    url.search = query.toString();
    const headers: Record<string, string | string[]> = { 'User-Agent': this.userAgent, ...(await this.authHeaders()), ...this.impersonation };
    if (this.log !== silentLogger) this.log(7, `GET ${url} (upgrade) request headers: ${JSON.stringify(redactHeaders(headers))}`);
    return { url, headers, tls: url.protocol === 'https:' ? { ...this.tls } : {}, connectTimeoutMs: this.connectTimeoutMs, log: this.log };
  }

  private async authHeaders(): Promise<Record<string, string>> {
    if (!this.dynamicAuth) return this.staticHeaders;
    const o: httpsTypes.RequestOptions = {};
    await this.kc.applyToHTTPSOptions(o);
    return headersOf(o);
  }

  private url(path: string, query?: Record<string, string | undefined>): URL {
    const u = new URL(this.server + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.set(k, v);
    return u;
  }

  /** One HTTP exchange; resolves with the response for 2xx, rejects with KubeApiError otherwise. */
  private async once(method: string, url: URL, o: RequestOptions, stream = false): Promise<httpTypes.IncomingMessage | { status: number; text: string }> {
    const headers: Record<string, string | string[]> = {
      Accept: 'application/json, */*',
      'User-Agent': this.userAgent,
      ...(await this.authHeaders()),
      ...this.impersonation,
      ...o.headers,
    };
    let payload: string | undefined;
    if (o.body !== undefined) {
      payload = typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
      headers['Content-Type'] = o.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    const started = Date.now();
    if (this.log !== silentLogger) {
      this.log(7, `${method} ${url} request headers: ${JSON.stringify(redactHeaders(headers))}`);
      if (o.body !== undefined) this.log(8, `Request Body: ${JSON.stringify(redactBody(o.body))}`);
    }
    const mod = url.protocol === 'http:' ? http : https;
    const secure = url.protocol === 'https:';
    return new Promise((resolve, reject) => {
      // Each phase has its own limit: TCP connect, TLS handshake, the response headers; then the body
      // may not pause longer than the answer limit (watches: see watch()).
      const answerMs = o.timeoutMs ?? this.timeoutMs;
      let timer: NodeJS.Timeout | undefined;
      const arm = (ms: number, phase: TimeoutPhase) => {
        clearTimeout(timer);
        timer = ms > 0 ? setTimeout(() => req.destroy(new KubeTimeoutError(this.server, phase, ms, method, url.pathname)), ms) : undefined;
        timer?.unref?.();
      };
      const req = mod.request(url, { method, headers, agent: this.agent, ...(secure ? this.tls : {}), signal: o.signal }, (res) => {
        clearTimeout(timer);
        const status = res.statusCode ?? 0;
        if (res.headers.warning && this.onWarning) this.warn(res.headersDistinct.warning ?? []);
        if (!stream) arm(answerMs, 'body');
        if (stream && status >= 200 && status < 300) {
          this.log(6, `${method} ${url} ${status} ${res.statusMessage ?? ''} in ${Date.now() - started} milliseconds`);
          resolve(res);
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (!stream) arm(answerMs, 'body');
          size += c.length;
          if (size > MAX_RESPONSE_BYTES) {
            req.destroy(new NotKubeServerError(this.server, `a response to ${method} ${url.pathname} of more than ${MAX_RESPONSE_BYTES >> 20} MiB`));
            return;
          }
          chunks.push(c);
        });
        res.on('error', (e) => {
          clearTimeout(timer);
          reject(e);
        });
        res.on('end', () => {
          clearTimeout(timer);
          const text = Buffer.concat(chunks).toString('utf8');
          const notKube = notKubeAnswer(status, String(res.headers['content-type'] ?? ''), text, url.pathname);
          if (notKube) {
            reject(new NotKubeServerError(this.server, notKube));
            return;
          }
          this.log(6, `${method} ${url} ${status} ${res.statusMessage ?? ''} in ${Date.now() - started} milliseconds`);
          if (this.log !== silentLogger) {
            let shown: unknown = text;
            try {
              shown = JSON.stringify(redactBody(JSON.parse(text)));
            } catch {
              /* not JSON */
            }
            this.log(8, `Response Body: ${String(shown).slice(0, 4096)}`);
          }
          if (status >= 200 && status < 300) resolve({ status, text });
          else {
            let st: ApiStatus = {};
            try {
              st = JSON.parse(text) as ApiStatus;
            } catch {
              st = { message: text.trim() || undefined };
            }
            if (st.kind !== 'Status') st = { message: st.message ?? (text.trim() || undefined), code: status };
            const ra = Number(res.headers['retry-after']);
            reject(new KubeApiError(status, st, method, url.pathname, Number.isFinite(ra) && ra > 0 ? ra : undefined));
          }
        });
      });
      req.on('socket', (sock) => {
        if (req.reusedSocket || !sock.connecting) {
          arm(answerMs, 'answer');
          return;
        }
        arm(this.connectTimeoutMs, 'connect');
        sock.once('connect', () => arm(secure ? this.connectTimeoutMs : answerMs, secure ? 'tls' : 'answer'));
        if (secure) sock.once('secureConnect', () => arm(answerMs, 'answer'));
      });
      req.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  private warn(values: string[]): void {
    for (const text of parseWarnings(values)) {
      if (this.warned.has(text)) continue;
      this.warned.add(text);
      this.onWarning!(text);
    }
  }

  async request<T = unknown>(method: string, path: string, o: RequestOptions = {}): Promise<T> {
    const url = this.url(path, o.query);
    const policy = o.noRetry ? { ...this.retry, attempts: 1 } : this.retry;
    // Retries stop once the budget is spent: with the per-attempt limits of once() (a timeout is never
    // retried), one request ends within retryBudgetMs + connect + TLS + answer limits.
    const giveUpAt = Date.now() + this.retryBudgetMs;
    let last: unknown;
    try {
      const res = (await withRetry(
        async (attempt) => {
          if (attempt > 1 && Date.now() >= giveUpAt) throw new RetryBudgetSpent(last);
          try {
            return await this.once(method, url, o);
          } catch (e) {
            last = e;
            throw markRetried(e, attempt);
          }
        },
        policy,
        (e, attempt, delay) => this.log(2, `retrying ${method} ${url.pathname} after ${describe(e)} (attempt ${attempt + 1}/${policy.attempts} in ${Math.round(delay)} ms)`),
        o.signal,
      )) as { status: number; text: string };
      if (!res.text) return undefined as T;
      try {
        return JSON.parse(res.text) as T;
      } catch {
        return res.text as T;
      }
    } catch (e) {
      throw this.wrap(e instanceof RetryBudgetSpent ? e.last : e);
    }
  }

  private wrap(e: unknown): unknown {
    if (e instanceof KubeApiError || e instanceof KubeTimeoutError || e instanceof NotKubeServerError || (e as Error)?.name === 'AbortError') return e;
    if (isTlsProtocolError(e)) return new NotKubeServerError(this.server, 'no TLS answer: the server does not speak TLS on this port (plain HTTP?)', e);
    const err = e as NodeJS.ErrnoException;
    if (err && (err.code || /socket hang up/i.test(err.message))) return new KubeConnectionError(this.server, err);
    return e;
  }

  /** REST resource for apiVersion+kind: a known table first, then discovery (cached, refreshed on a miss). */
  async resource(apiVersion: string, kind: string): Promise<ResourceInfo> {
    const known = knownResource(apiVersion, kind);
    if (known) return known;
    for (let fresh = 0; fresh < 2; fresh++) {
      if (fresh) this.discovery.delete(apiVersion);
      let p = this.discovery.get(apiVersion);
      if (!p) {
        p = this.request<{ resources: { name: string; kind: string; namespaced: boolean }[] }>('GET', apiPrefix(apiVersion))
          .then((l) => new Map(l.resources.filter((r) => !r.name.includes('/')).map((r) => [r.kind, { name: r.name, namespaced: r.namespaced }])));
        this.discovery.set(apiVersion, p);
        p.catch(() => this.discovery.delete(apiVersion));
      }
      try {
        const r = (await p).get(kind);
        if (r) return r;
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
    throw new KubeApiError(404, { reason: 'NotFound', message: `the server doesn't have a resource type "${kind}" in ${apiVersion}` }, 'GET', apiPrefix(apiVersion));
  }

  private async pathOf(ref: { apiVersion: string; kind: string; namespace?: string; name?: string }, sub?: string): Promise<string> {
    const r = await this.resource(ref.apiVersion, ref.kind);
    if (r.namespaced && !ref.namespace && ref.name) throw new Error(`${ref.kind} ${ref.name} needs a namespace`);
    return resourcePath(ref.apiVersion, r, ref.namespace, ref.name, sub);
  }

  async get<T extends K8sObject = K8sObject>(ref: ObjectRef): Promise<T | undefined> {
    try {
      return await this.request<T>('GET', await this.pathOf(ref));
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async list<T extends K8sObject = K8sObject>(apiVersion: string, kind: string, opts: ListOptions = {}): Promise<KubeList<T>> {
    const path = await this.pathOf({ apiVersion, kind, namespace: opts.namespace });
    const list = await this.request<KubeList<T>>('GET', path, { query: { labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector } });
    // Lists omit apiVersion/kind on items; put them back so callers can use items as objects.
    for (const it of list.items ?? []) {
      it.apiVersion ??= apiVersion;
      it.kind ??= kind;
    }
    list.items ??= [];
    return list;
  }

  /**
   * POST. A create retried after a lost answer (connection reset, 5xx) may have succeeded the first
   * time: an AlreadyExists on a later attempt is our own object when the live one matches what we
   * sent (returned as created), else the error stands. generateName creates are never retried (a
   * retry would make a second object).
   */
  async create<T extends K8sObject = K8sObject>(obj: K8sObject): Promise<T> {
    const body = normalizeForApply(obj);
    try {
      return await this.request<T>('POST', await this.pathOf({ ...body, name: undefined, namespace: body.metadata.namespace }), {
        body,
        query: WRITE_QUERY,
        noRetry: !body.metadata.name && Boolean(body.metadata.generateName),
      });
    } catch (e) {
      if (isAlreadyExists(e) && wasRetried(e)) {
        const live = await this.get<T>({ apiVersion: body.apiVersion, kind: body.kind, name: body.metadata.name, namespace: body.metadata.namespace });
        if (live && isSubset(body, live)) return live;
      }
      throw e;
    }
  }

  async replace<T extends K8sObject = K8sObject>(obj: K8sObject): Promise<T> {
    const body = normalizeForApply(obj);
    return this.request<T>('PUT', await this.pathOf({ ...body, name: body.metadata.name, namespace: body.metadata.namespace }), {
      body,
      query: WRITE_QUERY,
    });
  }

  async patch<T extends K8sObject = K8sObject>(ref: ObjectRef, patch: unknown, type: PatchType, opts: { subresource?: string; force?: boolean } = {}): Promise<T> {
    return this.request<T>('PATCH', await this.pathOf(ref, opts.subresource), {
      body: patch,
      contentType: CONTENT_TYPES[type],
      query: { ...WRITE_QUERY, force: type === 'apply' && opts.force !== false ? 'true' : undefined },
    });
  }

  async apply<T extends K8sObject = K8sObject>(obj: K8sObject, opts: { force?: boolean } = {}): Promise<T> {
    const body = normalizeForApply(obj);
    return this.patch<T>({ apiVersion: body.apiVersion, kind: body.kind, name: body.metadata.name, namespace: body.metadata.namespace }, body, 'apply', opts);
  }

  /** Server-side apply of the whole object (see ensureByApply): fields no longer set are removed, immutable changes refused first. */
  ensure<T extends K8sObject = K8sObject>(obj: K8sObject, opts?: EnsureOptions): Promise<EnsureResult<T>> {
    return ensureByApply<T>(this, obj, opts);
  }

  async delete(ref: ObjectRef, opts: { propagationPolicy?: 'Background' | 'Foreground' | 'Orphan' } = {}): Promise<boolean> {
    try {
      await this.request('DELETE', await this.pathOf(ref), {
        body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: opts.propagationPolicy ?? 'Background' },
      });
      return true;
    } catch (e) {
      // A NotFound after a retried DELETE: the first attempt deleted it.
      if (isNotFound(e)) return wasRetried(e);
      throw e;
    }
  }

  /** A watch stream of events; ends when the server closes it (timeoutSeconds) or the signal aborts. */
  async *watch<T extends K8sObject = K8sObject>(apiVersion: string, kind: string, opts: WatchOptions = {}): AsyncIterable<WatchEvent<T>> {
    const path = await this.pathOf({ apiVersion, kind, namespace: opts.namespace });
    yield* this.watchPath<T>(path, {
      query: {
        resourceVersion: opts.resourceVersion,
        timeoutSeconds: opts.timeoutSeconds !== undefined ? String(opts.timeoutSeconds) : undefined,
        labelSelector: opts.labelSelector,
        fieldSelector: opts.fieldSelector,
      },
      signal: opts.signal,
    });
  }

  /**
   * A streaming GET (pods/log): resolves with the response once its headers arrive (2xx; otherwise
   * rejects with the bounded error body as KubeApiError). The body is the caller's to read, with
   * backpressure, and to destroy; no answer limit applies to it. Never retried.
   */
  async stream(path: string, o: { query?: Record<string, string | undefined>; headers?: Record<string, string>; signal?: AbortSignal } = {}): Promise<httpTypes.IncomingMessage> {
    try {
      return (await this.once('GET', this.url(path, o.query), { signal: o.signal, headers: o.headers }, true)) as httpTypes.IncomingMessage;
    } catch (e) {
      throw this.wrap(e);
    }
  }

  /** A watch of a collection path (`watch=true` is added); events as the server sends them (e.g. Table rows with a Table Accept header). */
  async *watchPath<T = K8sObject>(path: string, o: { query?: Record<string, string | undefined>; headers?: Record<string, string>; signal?: AbortSignal } = {}): AsyncIterable<WatchEvent<T>> {
    const url = this.url(path, { watch: 'true', allowWatchBookmarks: 'true', ...o.query });
    let res: httpTypes.IncomingMessage;
    try {
      res = (await this.once('GET', url, { signal: o.signal, headers: o.headers }, true)) as httpTypes.IncomingMessage;
    } catch (e) {
      throw this.wrap(e);
    }
    // A watch is long-lived: no answer limit, but an idle limit. The server ends it after timeoutSeconds
    // (and sends bookmarks meanwhile); silence well past that means a dead connection: end quietly, the
    // caller lists and watches again.
    const idleMs = ((Number(o.query?.timeoutSeconds) || 300) + 30) * 1000;
    let idle = false;
    let idleTimer: NodeJS.Timeout | undefined;
    const touch = () => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        idle = true;
        res.destroy();
      }, idleMs);
      idleTimer.unref?.();
    };
    touch();
    let buf = '';
    try {
      for await (const chunk of res) {
        touch();
        buf += (chunk as Buffer).toString('utf8');
        if (buf.length > MAX_RESPONSE_BYTES) throw new NotKubeServerError(this.server, `a watch event of more than ${MAX_RESPONSE_BYTES >> 20} MiB`);
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (!line) continue;
          const ev = JSON.parse(line) as WatchEvent<T>;
          if (ev.type === 'ERROR') {
            const st = ev.object as unknown as ApiStatus;
            throw new KubeApiError(st.code ?? 500, st, 'GET', url.pathname);
          }
          yield ev;
        }
      }
    } catch (e) {
      if (idle || o.signal?.aborted || (e as Error).name === 'AbortError') return;
      if (e instanceof KubeApiError || e instanceof NotKubeServerError) throw e;
      if (e instanceof SyntaxError) throw new NotKubeServerError(this.server, `a watch stream that is not JSON lines on ${url.pathname}`);
      if (isRetryable(e)) return; // connection dropped: the caller re-lists and watches again
      throw e;
    } finally {
      clearTimeout(idleTimer);
      res.destroy();
    }
  }
}

/**
 * Impersonate-* headers: the kubeconfig user's `as`, `as-uid`, `as-groups` and `as-user-extra`, each
 * overridden by the command's flags (--as, --as-uid, --as-group), as client-go merges them.
 */
export function impersonationHeaders(
  user: { impersonateUser?: string | null; impersonateGroups?: string[]; impersonateUid?: string; impersonateUserExtra?: Record<string, string[]> } | null | undefined,
  flags?: { user?: string; groups?: string[]; uid?: string },
): Record<string, string | string[]> {
  const name = flags?.user || user?.impersonateUser || undefined;
  const groups = flags?.groups?.length ? flags.groups : (user?.impersonateGroups ?? []);
  const uid = flags?.uid || user?.impersonateUid || undefined;
  const extra = user?.impersonateUserExtra ?? {};
  const out: Record<string, string | string[]> = {};
  if (!name) {
    if (groups.length || uid || Object.keys(extra).length) {
      throw new UserError('impersonating groups, a UID or user extras needs a user to impersonate', { hint: 'set `as:` in the kubeconfig user, or pass --as' });
    }
    return out;
  }
  out['Impersonate-User'] = name;
  if (groups.length) out['Impersonate-Group'] = groups;
  if (uid) out['Impersonate-Uid'] = uid;
  for (const [k, v] of Object.entries(extra)) out[`Impersonate-Extra-${encodeURIComponent(k)}`] = v;
  return out;
}

/** The texts of `Warning: 299 - "text"` headers (RFC 7234; several may share one header). */
export function parseWarnings(values: string[]): string[] {
  const out: string[] = [];
  for (const v of values) {
    const re = /(\d{3}) (\S+) "((?:[^"\\]|\\.)*)"(?: "[^"]*")?/g;
    let m: RegExpExecArray | null;
    let found = false;
    while ((m = re.exec(v))) {
      found = true;
      out.push(m[3].replace(/\\(.)/g, '$1'));
    }
    if (!found && v.trim()) out.push(v.trim());
  }
  return out;
}

/** The largest response body held in memory (a list of every Secret of a big cluster is far less). */
const MAX_RESPONSE_BYTES = 256 << 20;

class RetryBudgetSpent extends Error {
  constructor(readonly last: unknown) {
    super('retry budget spent');
  }
}

/** A TLS-level failure that means the other end does not speak TLS (plain HTTP, garbage). */
function isTlsProtocolError(e: unknown): boolean {
  const err = e as NodeJS.ErrnoException & { reason?: string };
  if (err?.code === 'EPROTO' || (typeof err?.code === 'string' && err.code.startsWith('ERR_SSL_'))) return true;
  return /wrong version number|packet length too long|http request|unknown protocol|record layer failure/i.test(err?.message ?? '');
}

/** Why a response is not from a Kubernetes API server, or undefined when it may be. */
function notKubeAnswer(status: number, contentType: string, text: string, pathname: string): string | undefined {
  const body = text.trimStart();
  const excerpt = (t: string) => {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(t)?.[1];
    const plain = (title ?? t.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();
    return plain.length > 80 ? `${plain.slice(0, 77)}...` : plain;
  };
  const http = `HTTP ${status}`;
  if (/text\/html/i.test(contentType) || /^<(!doctype|html|head|body|\?xml)/i.test(body)) return `${http} and an HTML page${excerpt(body) ? `: "${excerpt(body)}"` : ''}`;
  const ok = status >= 200 && status < 300;
  let json: unknown;
  try {
    json = body ? JSON.parse(body) : undefined;
  } catch {
    json = undefined;
  }
  const isObject = json !== null && typeof json === 'object' && !Array.isArray(json);
  const textual = /\/(log|proxy)(\/|$)/.test(pathname); // pod logs and proxied services answer in text
  if (ok && body && !textual && (pathname.startsWith('/api/') || pathname === '/api' || pathname.startsWith('/apis')) && !isObject) return `${http} and ${json === undefined ? 'text that is not JSON' : 'JSON that is not an object'}: "${excerpt(body)}"`;
  if (!ok && isObject && (json as { kind?: unknown }).kind !== 'Status') return `${http} and JSON that is not a Status: "${excerpt(body)}"`;
  return undefined;
}

function headersOf(o: httpsTypes.RequestOptions): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o.headers ?? {})) if (v !== undefined) out[k] = String(v);
  if (o.auth) out.Authorization = `Basic ${Buffer.from(o.auth).toString('base64')}`;
  return out;
}

function describe(e: unknown): string {
  if (e instanceof KubeApiError) return `${e.code} ${e.reason}`;
  return (e as NodeJS.ErrnoException)?.code ?? (e as Error)?.message ?? String(e);
}
