/**
 * kubectl's cmdutil.Factory for karmadactl: built from the ConfigFlags (kubectl's loading rules through
 * src/kube/config.ts), it hands out the karmada-apiserver client, the default namespace, discovery
 * (disk-cached as kubectl does) and the REST mapper; `forCluster(name)` gives the same for a member
 * cluster reached through the karmada-apiserver's cluster proxy
 * (`<server>/apis/cluster.karmada.io/v1alpha1/clusters/<name>/proxy/`). Every member client shares the
 * karmada client's keep-alive connection pool: they are all the same server.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Context } from '../context';
import { UserError } from '../errors';
import type { KubeClient } from '../kube/client';
import type { LoadedKubeconfig } from '../kube/config';
import { isNotFound } from '../kube/errors';
import type { RetryPolicy } from '../kube/retry';
import type { K8sObject } from '../kube/types';
import type { ConfigFlags } from './flags';
import { defaultCacheDir, Discovery, discoveryCacheDir } from './discovery';
import { RESTMapper } from './mapper';

export const CLUSTER_API_PATH = '/apis/cluster.karmada.io/v1alpha1/clusters';
/** The label of the control plane in multi-cluster output (the reference's `Karmada`). */
export const KARMADA_LABEL = 'Karmada';

export type ClusterObject = K8sObject & {
  spec?: { syncMode?: string; apiEndpoint?: string; impersonatorSecretRef?: unknown };
  status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[]; kubernetesVersion?: string };
};

export interface FactoryOptions {
  /** Per-request timeout of the karmada client (ms). */
  timeoutMs?: number;
  retry?: RetryPolicy;
}

/** One API server to talk to: the karmada-apiserver, or a member through the cluster proxy. */
export interface Target {
  /** `Karmada` or the member cluster's name. */
  name: string;
  member: boolean;
  client: KubeClient;
  discovery: Discovery;
  mapper(): Promise<RESTMapper>;
  /** The Cluster object (members). */
  cluster?: ClusterObject;
}

const SA_NAMESPACE_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

export class Factory {
  private loaded?: Promise<LoadedKubeconfig>;
  private karmadaClient?: Promise<KubeClient>;
  private karmadaTarget?: Promise<Target>;
  private members = new Map<string, Promise<Target>>();
  private clusterList?: Promise<ClusterObject[]>;

  constructor(
    readonly ctx: Context,
    readonly flags: ConfigFlags,
    readonly opts: FactoryOptions = {},
  ) {}

  /** The kubeconfig (mechanism A: --kubeconfig, else $KUBECONFIG merged, else ~/.kube/config, else in-cluster). */
  config(): Promise<LoadedKubeconfig> {
    return (this.loaded ??= (async () => {
      const { loadKubeconfig } = await import('../kube/config');
      return loadKubeconfig({
        path: this.flags.kubeconfig || undefined,
        context: this.flags.context || undefined,
        env: this.ctx.env,
        homedir: this.ctx.homedir,
        cwd: this.ctx.cwd,
        flagNames: { kubeconfig: '--kubeconfig', context: '--karmada-context' },
        purpose: 'Karmada control plane',
      });
    })());
  }

  client(): Promise<KubeClient> {
    return (this.karmadaClient ??= (async () => {
      const [{ KubeClient }, { makeLogger }] = await Promise.all([import('../kube/client'), import('../ui/log')]);
      return KubeClient.create(await this.config(), { log: makeLogger(this.ctx), timeoutMs: this.opts.timeoutMs, retry: this.opts.retry });
    })());
  }

  /**
   * kubectl's default namespace (§1.3): -n, else the context's namespace, else `default`
   * (in-cluster: $POD_NAMESPACE, the service account's namespace file, `default`).
   * `explicit` is kubectl's "enforce namespace": true only for -n.
   */
  async namespace(): Promise<{ namespace: string; explicit: boolean }> {
    if (this.flags.namespace) return { namespace: this.flags.namespace, explicit: true };
    const c = await this.config();
    if (c.source === 'in-cluster') {
      if (this.ctx.env.POD_NAMESPACE) return { namespace: this.ctx.env.POD_NAMESPACE, explicit: false };
      try {
        if (existsSync(SA_NAMESPACE_FILE)) {
          const ns = readFileSync(SA_NAMESPACE_FILE, 'utf8').trim();
          if (ns) return { namespace: ns, explicit: false };
        }
      } catch {
        /* unreadable: default */
      }
      return { namespace: 'default', explicit: false };
    }
    const ns = c.kc.getContextObject(c.context)?.namespace;
    return { namespace: ns || 'default', explicit: false };
  }

  /** `$KUBECACHEDIR` or `~/.kube/cache`. */
  cacheDir(): string {
    return defaultCacheDir(this.ctx.env, this.ctx.homedir);
  }

  private target(name: string, member: boolean, client: KubeClient, cluster?: ClusterObject): Target {
    const discovery = new Discovery(client, discoveryCacheDir(this.cacheDir(), member ? `${client.server}/` : client.server));
    let mapper: Promise<RESTMapper> | undefined;
    return {
      name,
      member,
      client,
      discovery,
      cluster,
      mapper: () =>
        (mapper ??= discovery.all().then(
          (d) => new RESTMapper(d),
          (e) => {
            mapper = undefined;
            throw e;
          },
        )),
    };
  }

  /** The karmada-apiserver as a target (label `Karmada`). */
  karmada(): Promise<Target> {
    return (this.karmadaTarget ??= this.client().then((c) => this.target(KARMADA_LABEL, false, c)));
  }

  /** LIST clusters.cluster.karmada.io (memoised for this run). */
  clusters(): Promise<ClusterObject[]> {
    return (this.clusterList ??= (async () => {
      const c = await this.client();
      const l = await c.request<{ items?: ClusterObject[] }>('GET', CLUSTER_API_PATH);
      return (l.items ?? []).map((i) => ({ ...i, apiVersion: 'cluster.karmada.io/v1alpha1', kind: 'Cluster' }));
    })());
  }

  /**
   * A member cluster through the cluster proxy. Checks that the Cluster exists first (GET
   * clusters/<name>) unless its object is passed (e.g. from `clusters()`); a missing one is a
   * UserError naming the cluster and how to list the joined ones.
   */
  forCluster(name: string, o: { cluster?: ClusterObject; retry?: RetryPolicy; timeoutMs?: number } = {}): Promise<Target> {
    let p = this.members.get(name);
    if (!p) {
      p = (async () => {
        const karmada = await this.client();
        let cluster = o.cluster;
        if (!cluster) {
          try {
            cluster = await karmada.request<ClusterObject>('GET', `${CLUSTER_API_PATH}/${encodeURIComponent(name)}`);
          } catch (e) {
            if (isNotFound(e)) throw notJoined([name], this.ctx.program);
            throw e;
          }
        }
        const client = karmada.withServer(memberServer(karmada.server, name), { retry: o.retry, timeoutMs: o.timeoutMs });
        return this.target(name, true, client, cluster);
      })();
      p.catch(() => this.members.delete(name));
      this.members.set(name, p);
    }
    return p;
  }

  /** Closes the shared connection pool. */
  close(): void {
    void this.karmadaClient?.then((c) => c.close(), () => {});
  }
}

/** `<server>/apis/cluster.karmada.io/v1alpha1/clusters/<name>/proxy` (the reference keeps the URL verbatim). */
export function memberServer(server: string, name: string): string {
  return `${server}${CLUSTER_API_PATH}/${encodeURIComponent(name)}/proxy`;
}

/** `cluster "x" is not joined ...` with the next step. */
export function notJoined(names: string[], program: string): UserError {
  const what = names.length === 1 ? `cluster "${names[0]}" is` : `clusters ${names.map((n) => `"${n}"`).join(', ')} are`;
  return new UserError(`${what} not joined to the Karmada control plane`, { hint: `list the joined clusters with \`${program} get clusters\`` });
}

/** The Ready condition of a Cluster, when it is not True: `not Ready (reason: message)`. */
export function clusterNotReady(c: ClusterObject | undefined): string | undefined {
  const ready = c?.status?.conditions?.find((x) => x.type === 'Ready');
  if (!ready || ready.status === 'True') return undefined;
  const why = [ready.reason, ready.message].filter(Boolean).join(': ');
  return `the Cluster is not Ready${why ? ` (${why})` : ''}`;
}
