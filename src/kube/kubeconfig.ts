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
import { readFileSync } from 'node:fs';
import type https from 'node:https';
import path from 'node:path';
import type { Cluster, Context, KubeConfig, User } from '@kubernetes/client-node';
import { newClusters, newContexts, newUsers } from '@kubernetes/client-node/dist/config_types.js';
import { load as parseYaml } from 'js-yaml';

export type { Cluster, Context, User };

/** The TLS and header options of one request, as KubeConfig.applyToHTTPSOptions fills them. */
export type HttpsAuthOptions = https.RequestOptions;

export class Kubeconfig {
  clusters: Cluster[] = [];
  users: User[] = [];
  contexts: Context[] = [];
  currentContext = '';
  private full?: Promise<KubeConfig>;

  /** Parses kubeconfig YAML (or JSON); throws on a malformed file or an invalid entry, like the library. */
  loadFromString(text: string): void {
    // An empty file is an empty kubeconfig, as for kubectl (js-yaml refuses empty input).
    const doc = (text.trim() ? (parseYaml(text) ?? null) : null) as Record<string, unknown> | null;
    if (doc !== null && (typeof doc !== 'object' || Array.isArray(doc))) throw new Error('not a kubeconfig: expected a mapping at the top level');
    this.clusters = newClusters(doc?.clusters);
    this.contexts = newContexts(doc?.contexts);
    this.users = newUsers(doc?.users);
    keepImpersonation(this.users, doc?.users);
    this.currentContext = typeof doc?.['current-context'] === 'string' ? (doc['current-context'] as string) : '';
    this.full = undefined;
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
      await full.applyToHTTPSOptions(opts);
      return;
    }
    const cluster = this.getCurrentCluster();
    const user = this.getCurrentUser();
    if (!user) return;
    if (cluster?.skipTLSVerify) opts.rejectUnauthorized = false;
    if (cluster?.tlsServerName) opts.servername = cluster.tlsServerName;
    const ca = fileOrData(cluster?.caFile, cluster?.caData);
    if (ca) opts.ca = ca;
    const cert = fileOrData(user.certFile, user.certData);
    if (cert) opts.cert = cert;
    const key = fileOrData(user.keyFile, user.keyData);
    if (key) opts.key = key;
    if (user.token) opts.headers = { ...(opts.headers as Record<string, string> | undefined), Authorization: `Bearer ${user.token}` };
    if (user.username) opts.auth = `${user.username}:${user.password}`;
  }

  /** The library's KubeConfig over the same entries (loaded once, only when needed). */
  private library(): Promise<KubeConfig> {
    return (this.full ??= (async () => {
      const { KubeConfig } = await import('@kubernetes/client-node');
      const full = new KubeConfig();
      full.loadFromOptions({ clusters: this.clusters, users: this.users, contexts: this.contexts, currentContext: this.currentContext });
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

function fileOrData(file?: string, data?: string): Buffer | null {
  if (file) return readFileSync(file);
  if (data) return Buffer.from(data, 'base64');
  return null;
}
