/**
 * The kubeconfig model every command uses: @kubernetes/client-node's own parsing (its config_types
 * module: the same field mapping, validation and token-file handling as its KubeConfig) without the
 * rest of the library. Importing the whole package costs ~110 ms and ~35 MiB at start-up (it loads
 * undici, the generated API models and every auth provider); a one-request command such as
 * `token list` spent most of its time there. Credentials that need code — exec plugins and auth
 * providers (OIDC, Azure, GCP, in-cluster token files) — are still handed to the library's KubeConfig,
 * loaded only for such users. The YAML parser is the library's too (js-yaml: ~4 ms to load and parse
 * a kubeconfig, against ~13 ms for the `yaml` package the rest of the CLI uses).
 */
import type https from 'node:https';
import path from 'node:path';
import type { Cluster, Context, KubeConfig, User } from '@kubernetes/client-node';
import { newClusters, newContexts, newUsers } from '@kubernetes/client-node/dist/config_types.js';
import { load as parseYaml } from 'js-yaml';
import { UserError } from '../errors';
import { FileReadError, LIMITS, readFileBounded, readFileBoundedSync } from '../util/fsx';

export type { Cluster, Context, User };

/** The TLS and header options of one request, as KubeConfig.applyToHTTPSOptions fills them. */
export type HttpsAuthOptions = https.RequestOptions;

export class Kubeconfig {
  clusters: Cluster[] = [];
  users: User[] = [];
  contexts: Context[] = [];
  currentContext = '';
  private full?: Promise<KubeConfig>;
  /** Where each entry came from ("cluster:NAME" / "user:NAME" → kubeconfig path), for messages. */
  origins = new Map<string, string>();
  /** Where this kubeconfig came from, for messages (a path, "in-cluster", "(generated)"). */
  source = '';

  /**
   * Parses kubeconfig YAML (or JSON); throws on a malformed file or an invalid entry, like the library,
   * and, before the library sees it, on a field of the wrong type (naming the entry and the field).
   * `file` is the kubeconfig's path: relative token files resolve against its directory.
   */
  loadFromString(text: string, file?: string): void {
    // An empty file is an empty kubeconfig, as for kubectl (js-yaml refuses empty input).
    // Aliases are bounded: a kubeconfig needs none, and a "billion laughs" one must not expand.
    const doc = (text.trim() ? (parseYaml(text, { maxAliases: MAX_YAML_ALIASES }) ?? null) : null) as Record<string, unknown> | null;
    if (doc) checkExpandedSize(doc, 1_000_000, 'the kubeconfig');
    if (doc !== null && (typeof doc !== 'object' || Array.isArray(doc))) throw new Error('not a kubeconfig: expected a mapping at the top level');
    if (doc) checkShape(doc);
    if (doc) inlineTokenFiles(doc, file);
    this.clusters = newClusters(doc?.clusters);
    this.contexts = newContexts(doc?.contexts);
    this.users = newUsers(doc?.users);
    keepImpersonation(this.users, doc?.users);
    this.currentContext = typeof doc?.['current-context'] === 'string' ? (doc['current-context'] as string) : '';
    this.full = undefined;
    if (file) {
      this.source = file;
      for (const c of this.clusters) this.origins.set(`cluster:${c.name}`, file);
      for (const u of this.users) this.origins.set(`user:${u.name}`, file);
    }
  }

  /** "kubeconfig /path" of an entry, for messages. */
  where(kind: 'cluster' | 'user', name: string): string {
    const src = this.origins.get(`${kind}:${name}`) ?? this.source;
    return src ? `kubeconfig ${src}` : 'the kubeconfig';
  }

  loadFromOptions(o: { clusters: Cluster[]; users: User[]; contexts: Context[]; currentContext: string }): void {
    this.clusters = o.clusters;
    this.users = o.users;
    this.contexts = o.contexts;
    this.currentContext = o.currentContext;
    this.full = undefined;
  }

  /** Relative certificate and key paths are relative to the kubeconfig file's directory. */
  makePathsAbsolute(dir: string): void {
    const abs = (f: string) => (path.isAbsolute(f) ? f : path.join(dir, f));
    for (const c of this.clusters) if (c.caFile) (c as { caFile?: string }).caFile = abs(c.caFile);
    for (const u of this.users) {
      if (u.certFile) (u as { certFile?: string }).certFile = abs(u.certFile);
      if (u.keyFile) (u as { keyFile?: string }).keyFile = abs(u.keyFile);
    }
  }

  /** The in-cluster service account (kubectl's last resort), as the library builds it. */
  static async inCluster(): Promise<Kubeconfig> {
    const { KubeConfig } = await import('@kubernetes/client-node');
    const full = new KubeConfig();
    full.loadFromCluster();
    const kc = new Kubeconfig();
    kc.loadFromOptions({ clusters: full.clusters, users: full.users, contexts: full.contexts, currentContext: full.currentContext });
    kc.full = Promise.resolve(full);
    return kc;
  }

  getContexts(): Context[] {
    return this.contexts;
  }
  getCurrentContext(): string {
    return this.currentContext;
  }
  setCurrentContext(name: string): void {
    this.currentContext = name;
    this.full = undefined;
  }
  getContextObject(name: string): Context | null {
    return this.contexts.find((c) => c.name === name) ?? null;
  }
  getCluster(name: string): Cluster | null {
    return this.clusters.find((c) => c.name === name) ?? null;
  }
  getUser(name: string): User | null {
    return this.users.find((u) => u.name === name) ?? null;
  }
  getCurrentCluster(): Cluster | null {
    const ctx = this.getContextObject(this.currentContext);
    return ctx ? this.getCluster(ctx.cluster) : null;
  }
  getCurrentUser(): User | null {
    const ctx = this.getContextObject(this.currentContext);
    return ctx?.user ? this.getUser(ctx.user) : null;
  }

  /** True when credentials come from code run per request (exec plugin, auth provider). */
  hasDynamicAuth(): boolean {
    const u = this.getCurrentUser();
    return Boolean(u?.exec || u?.authProvider);
  }

  /**
   * Fills TLS options and the Authorization header for the current context, exactly as
   * KubeConfig.applyToHTTPSOptions does for static credentials; exec plugins and auth providers go
   * through the library itself.
   */
  async applyToHTTPSOptions(opts: HttpsAuthOptions): Promise<void> {
    if (this.hasDynamicAuth()) {
      const full = await this.library();
      const u = this.getCurrentUser()!;
      try {
        await full.applyToHTTPSOptions(opts);
      } catch (e) {
        throw this.dynamicAuthError(u, e);
      }
      return;
    }
    const cluster = this.getCurrentCluster();
    const user = this.getCurrentUser();
    if (!user) return;
    if (cluster?.skipTLSVerify) opts.rejectUnauthorized = false;
    if (cluster?.tlsServerName) opts.servername = cluster.tlsServerName;
    const ca = cluster ? await this.fileOrData('cluster', cluster.name, 'certificate-authority', cluster.caFile, cluster.caData) : null;
    if (ca) opts.ca = ca;
    const cert = await this.fileOrData('user', user.name, 'client-certificate', user.certFile, user.certData);
    if (cert) opts.cert = cert;
    const key = await this.fileOrData('user', user.name, 'client-key', user.keyFile, user.keyData);
    if (key) opts.key = key;
    if (user.token) opts.headers = { ...(opts.headers as Record<string, string> | undefined), Authorization: `Bearer ${user.token}` };
    if (user.username) opts.auth = `${user.username}:${user.password}`;
  }

  /** A certificate, key or CA: the file (read with a size limit) or the inline base64 data. */
  private async fileOrData(kind: 'cluster' | 'user', name: string, field: string, file?: string, data?: string): Promise<Buffer | null> {
    if (file) {
      return readFileBounded(file, {
        limit: LIMITS.pem,
        what: `${field} of ${kind} "${name}" in ${this.where(kind, name)}:`,
        hint: `fix ${kind === 'cluster' ? 'clusters' : 'users'}[].${kind}.${field} of "${name}", or embed the data with ${field}-data`,
      });
    }
    if (data) return Buffer.from(data, 'base64');
    return null;
  }

  /** Names the user, the kubeconfig and the field when an exec plugin or auth provider fails. */
  private dynamicAuthError(u: User, e: unknown): unknown {
    if (e instanceof UserError) return e;
    const where = `user "${u.name}" in ${this.where('user', u.name)}`;
    const err = e as NodeJS.ErrnoException;
    if (u.exec) {
      const cmd = String((u.exec as { command?: unknown }).command ?? '');
      if (err?.code === 'ENOENT') return new UserError(`exec plugin "${cmd}" of ${where} was not found`, { hint: `install it (on PATH), or fix users[].user.exec.command of "${u.name}"`, cause: e });
      if (err?.code === 'EACCES') return new UserError(`exec plugin "${cmd}" of ${where} cannot be run: permission denied`, { hint: `make it executable, or fix users[].user.exec.command of "${u.name}"`, cause: e });
      if (err instanceof SyntaxError) return new UserError(`exec plugin "${cmd}" of ${where} did not print an ExecCredential (not JSON)`, { hint: `run the plugin by hand to see its output, or fix users[].user.exec of "${u.name}"`, cause: e });
      const first = (err?.message ?? String(e)).trim().split('\n')[0].slice(0, 300);
      return new UserError(`exec plugin "${cmd}" of ${where} failed${first ? `: ${first}` : ''}`, { hint: `run the plugin by hand, or fix users[].user.exec of "${u.name}"`, cause: e });
    }
    const provider = (u.authProvider as { name?: string } | undefined)?.name ?? '';
    const first = (err?.message ?? String(e)).trim().split('\n')[0].slice(0, 300);
    return new UserError(`auth provider "${provider}" of ${where} failed${first ? `: ${first}` : ''}`, { hint: `log in again with the provider's own tool, or fix users[].user.auth-provider of "${u.name}"`, cause: e });
  }

  /** The library's KubeConfig over the same entries (loaded once, only when needed). */
  private library(): Promise<KubeConfig> {
    return (this.full ??= (async () => {
      const { KubeConfig } = await import('@kubernetes/client-node');
      const full = new KubeConfig();
      // The library reads certificate files itself, without a limit: hand it the data instead.
      const clusters = await Promise.all(this.clusters.map(async (c) => (c.caFile ? { ...c, caFile: undefined, caData: (await this.fileOrData('cluster', c.name, 'certificate-authority', c.caFile))!.toString('base64') } : c)));
      const users = await Promise.all(
        this.users.map(async (u) => ({
          ...u,
          ...(u.certFile ? { certFile: undefined, certData: (await this.fileOrData('user', u.name, 'client-certificate', u.certFile))!.toString('base64') } : {}),
          ...(u.keyFile ? { keyFile: undefined, keyData: (await this.fileOrData('user', u.name, 'client-key', u.keyFile))!.toString('base64') } : {}),
        })),
      );
      full.loadFromOptions({ clusters: clusters as Cluster[], users: users as User[], contexts: this.contexts, currentContext: this.currentContext });
      boundExecOutput(full);
      return full;
    })());
  }
}

/** The library keeps only `as`; client-go also reads `as-uid`, `as-groups` and `as-user-extra`. */
function keepImpersonation(users: User[], raw: unknown): void {
  if (!Array.isArray(raw)) return;
  for (const u of users) {
    const r = (raw.find((x) => x?.name === u.name)?.user ?? {}) as Record<string, unknown>;
    const extra = u as { impersonateGroups?: string[]; impersonateUid?: string; impersonateUserExtra?: Record<string, string[]> };
    if (Array.isArray(r['as-groups'])) extra.impersonateGroups = r['as-groups'].map(String);
    if (typeof r['as-uid'] === 'string') extra.impersonateUid = r['as-uid'];
    if (r['as-user-extra'] && typeof r['as-user-extra'] === 'object') extra.impersonateUserExtra = Object.fromEntries(Object.entries(r['as-user-extra'] as object).map(([k, v]) => [k, (Array.isArray(v) ? v : [v]).map(String)]));
  }
}

/** The auth-provider names the library implements (kubectl: `no Auth Provider found for name "x"` for others). */
export const AUTH_PROVIDERS = new Set(['oidc', 'azure', 'gcp']);

/** Caps what an exec credential plugin may print (the library collects its stdout without a limit). */
function boundExecOutput(full: KubeConfig): void {
  const auths = (full as unknown as { authenticators?: { execFn?: unknown }[] }).authenticators ?? [];
  const exec = auths.find((a) => typeof a.execFn === 'function') as { execFn: (...a: unknown[]) => import('node:child_process').ChildProcess } | undefined;
  if (!exec) return;
  const spawn = exec.execFn.bind(exec);
  exec.execFn = (...args: unknown[]) => {
    const child = spawn(...args);
    let got = 0;
    const count = (c: Buffer | string) => {
      got += c.length;
      if (got > LIMITS.execOutput) {
        child.stdout?.removeAllListeners('data');
        child.stderr?.removeAllListeners('data');
        child.emit('error', new Error(`it printed more than ${LIMITS.execOutput >> 20} MiB`));
        child.kill('SIGKILL');
        // A shell's children may hold the pipes: close them, so that the plugin ends here.
        child.stdout?.destroy();
        child.stderr?.destroy();
      }
    };
    child.stdout?.on('data', count);
    child.stderr?.on('data', count);
    return child;
  };
}

/** Alias references allowed in one kubeconfig (js-yaml's maxAliases; a kubeconfig needs none). */
export const MAX_YAML_ALIASES = 100;

/**
 * Refuses a parsed YAML value whose expansion (aliases followed, every visit counted) has more than
 * `cap` nodes: a "billion laughs" document is a few aliases deep but expands exponentially, and what
 * walks it later (JSON.stringify, structuredClone, comparison) would take minutes and gigabytes.
 */
export function checkExpandedSize(value: unknown, cap: number, what: string): void {
  const stack: unknown[] = [value];
  let n = 0;
  while (stack.length) {
    const v = stack.pop();
    if (++n > cap) throw new Error(`${what} expands to more than ${cap} YAML nodes (aliases nested too deep: a "billion laughs" document?)`);
    if (v && typeof v === 'object') {
      if (Array.isArray(v)) for (let i = 0; i < v.length; i++) stack.push(v[i]);
      else for (const k in v as object) stack.push((v as Record<string, unknown>)[k]);
    }
  }
}

type Doc = Record<string, unknown>;
const typeName = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping' : `a ${typeof v}`);

/** Field types of a kubeconfig, checked before the library maps them (it fails with internal text otherwise). */
function checkShape(doc: Doc): void {
  const fail = (where: string, want: string, v: unknown) => {
    throw new Error(`${where} must be ${want}, not ${typeName(v)}`);
  };
  const str = (o: Doc, k: string, where: string) => o[k] !== undefined && o[k] !== null && typeof o[k] !== 'string' && fail(`${where}.${k}`, 'a string', o[k]);
  const bool = (o: Doc, k: string, where: string) => o[k] !== undefined && o[k] !== null && typeof o[k] !== 'boolean' && fail(`${where}.${k}`, 'true or false', o[k]);
  const map = (o: Doc, k: string, where: string) => o[k] !== undefined && o[k] !== null && (typeof o[k] !== 'object' || Array.isArray(o[k])) && fail(`${where}.${k}`, 'a mapping', o[k]);
  str(doc, 'current-context', 'kubeconfig');
  const lists = { clusters: 'cluster', users: 'user', contexts: 'context' } as const;
  for (const [list, inner] of Object.entries(lists)) {
    const v = doc[list];
    if (v === undefined || v === null) continue;
    if (!Array.isArray(v)) fail(list, 'a list', v);
    (v as unknown[]).forEach((e, i) => {
      const at = `${list}[${i}]`;
      if (!e || typeof e !== 'object' || Array.isArray(e)) fail(at, 'a mapping', e);
      const entry = e as Doc;
      str(entry, 'name', at);
      const label = typeof entry.name === 'string' ? `${at} ("${entry.name}")` : at;
      map(entry, inner, label);
      const body = entry[inner] as Doc | undefined;
      if (!body) return;
      const w = `${label}.${inner}`;
      if (inner === 'cluster') {
        for (const k of ['server', 'certificate-authority', 'certificate-authority-data', 'tls-server-name', 'proxy-url']) str(body, k, w);
        bool(body, 'insecure-skip-tls-verify', w);
      } else if (inner === 'user') {
        for (const k of ['token', 'token-file', 'client-certificate', 'client-certificate-data', 'client-key', 'client-key-data', 'username', 'password', 'as', 'as-uid']) str(body, k, w);
        map(body, 'exec', w);
        map(body, 'auth-provider', w);
        const ex = body.exec as Doc | undefined;
        if (ex) {
          str(ex, 'command', `${w}.exec`);
          if (ex.args !== undefined && ex.args !== null && (!Array.isArray(ex.args) || ex.args.some((a) => typeof a !== 'string'))) fail(`${w}.exec.args`, 'a list of strings', ex.args);
          if (ex.env !== undefined && ex.env !== null && (!Array.isArray(ex.env) || ex.env.some((a) => !a || typeof a !== 'object' || typeof (a as Doc).name !== 'string'))) fail(`${w}.exec.env`, 'a list of {name, value}', ex.env);
        }
        const ap = body['auth-provider'] as Doc | undefined;
        if (ap) {
          str(ap, 'name', `${w}.auth-provider`);
          map(ap, 'config', `${w}.auth-provider`);
        }
        if (body['as-groups'] !== undefined && body['as-groups'] !== null && (!Array.isArray(body['as-groups']) || (body['as-groups'] as unknown[]).some((g) => typeof g !== 'string'))) fail(`${w}.as-groups`, 'a list of strings', body['as-groups']);
      } else {
        for (const k of ['cluster', 'user', 'namespace']) str(body, k, w);
      }
    });
  }
}

/** token-file, read here with a size limit (the library reads it whole, and fails with a raw errno). */
function inlineTokenFiles(doc: Doc, file?: string): void {
  for (const [i, e] of ((doc.users as Doc[] | undefined) ?? []).entries()) {
    const u = e?.user as Doc | undefined;
    if (!u || u.token || typeof u['token-file'] !== 'string' || !u['token-file']) continue;
    const tf = file && !path.isAbsolute(u['token-file']) ? path.join(path.dirname(file), u['token-file']) : u['token-file'];
    try {
      u.token = readFileBoundedSync(tf, { limit: LIMITS.pem, what: `token-file of user "${String(e.name ?? i)}":` }).toString('utf8');
    } catch (err) {
      throw new Error((err as FileReadError).message);
    }
  }
}
