import type httpsTypes from 'node:https';
// See src/kube/client.ts: no ESM import of node:http(s), which would load undici.
const https = process.getBuiltinModule('node:https') as typeof httpsTypes;
import { createHmac, timingSafeEqual } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { UserError } from '../errors';
import { pemCertificates, spkiPin } from '../pki/x509';
import { TOKEN_PATTERN } from './token';

const CLUSTER_INFO = '/api/v1/namespaces/kube-public/configmaps/cluster-info';

export interface Discovered {
  /** The control plane's CA bundle, verified. */
  caPem: string;
  /** https://host:port as given on the command line. */
  server: string;
}

/** `host:port`, with or without https:// — the reference builds https://https://... for the latter. */
export function normalizeEndpoint(raw: string): string {
  const s = raw.trim().replace(/\/+$/, '');
  const withScheme = /^[a-z]+:\/\//i.test(s) ? s : `https://${s}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    throw new UserError(`invalid karmada-apiserver endpoint "${raw}"`, { hint: 'give HOST:PORT of the karmada-apiserver, e.g. 172.16.255.183:32443' });
  }
  if (u.protocol !== 'https:') throw new UserError(`invalid karmada-apiserver endpoint "${raw}": only https is supported`, { hint: 'give HOST:PORT, e.g. 172.16.255.183:32443' });
  if (!u.port || u.pathname !== '/' || u.search) throw new UserError(`invalid karmada-apiserver endpoint "${raw}": expected HOST:PORT`, { hint: 'e.g. 172.16.255.183:32443' });
  return `https://${u.host}`;
}

/** Pins: `sha256:<64 hex>`, lower-cased (registration.md §5.4 step 2). */
export function parsePins(pins: string[]): string[] {
  return pins.map((p) => {
    const parts = p.split(':');
    if (parts.length !== 2) throw new UserError(`invalid discovery token CA certificate hash: invalid hash "${p}", expected "format:hex-value". Known format(s) are: sha256`, { hint: "copy the hash printed by 'token create --print-register-command'" });
    if (parts[0].toLowerCase() !== 'sha256') throw new UserError(`invalid discovery token CA certificate hash: unknown hash format "${parts[0]}". Known format(s) are: sha256`);
    if (!/^[0-9a-fA-F]{64}$/.test(parts[1])) throw new UserError(`invalid discovery token CA certificate hash: invalid hash "${p}", expected a 32 byte SHA-256 hash`, { hint: 'the value after sha256: has 64 hex digits' });
    return `sha256:${parts[1].toLowerCase()}`;
  });
}

/** The detached JWS kube-controller-manager's bootstrap signer puts in cluster-info. */
export function detachedJws(content: string, tokenId: string, tokenSecret: string): string {
  const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64url');
  const header = b64('{"alg":"HS256","kid":"' + tokenId + '"}');
  const sig = createHmac('sha256', tokenSecret).update(`${header}.${b64(content)}`).digest();
  return `${header}..${b64(sig)}`;
}

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

interface ConfigMap {
  data?: Record<string, string>;
}

/** One anonymous GET of cluster-info; secure when a CA is given. */
function fetchClusterInfo(server: string, ca: string | undefined, timeoutMs: number): Promise<{ status: number; body?: ConfigMap; text: string }> {
  return new Promise((resolve, reject) => {
    const req = https.get(`${server}${CLUSTER_INFO}`, { ...(ca ? { ca, rejectUnauthorized: true } : { rejectUnauthorized: false }), headers: { Accept: 'application/json' }, agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        // cluster-info is a few KiB: a server streaming more is refused, not buffered.
        if ((size += c.length) > 4 << 20) return req.destroy(new Error(`${server} sent more than 4 MiB for cluster-info: not a Kubernetes API server`));
        chunks.push(c);
      });
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: ConfigMap | undefined;
        try {
          body = JSON.parse(text) as ConfigMap;
        } catch {
          /* not JSON */
        }
        resolve({ status: res.statusCode ?? 0, body, text });
      });
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
  });
}

/**
 * Bootstrap-token discovery (registration.md §5.4 and §7.1), failing closed: fetch cluster-info
 * anonymously, check the detached JWS for this token's id in constant time, check the CA against the
 * pins, fetch again over TLS verified with that CA and require identical content. 401/403 fail at
 * once; unreachable or not-yet-signed answers are retried until the deadline.
 */
export async function discover(o: { server: string; token: string; pins: string[]; unsafeSkipCaVerification: boolean; timeoutMs: number; program: string }): Promise<Discovered> {
  const m = TOKEN_PATTERN.exec(o.token);
  if (!m) throw new UserError('the bootstrap token was not of the form [a-z0-9]{6}.[a-z0-9]{16}', { hint: `create one with '${o.program} token create' on the control plane` });
  const [, id, secret] = m;
  const pins = parsePins(o.pins);
  if (!pins.length && !o.unsafeSkipCaVerification) throw new UserError('need to verify CACertHashes, or set --discovery-token-unsafe-skip-ca-verification=true', { hint: "pass --discovery-token-ca-cert-hash sha256:... as printed by 'token create --print-register-command'" });
  const deadline = Date.now() + o.timeoutMs;
  // The JWS for a token created a moment ago appears when the bootstrap signer gets to it (usually
  // well under a second): poll soon, then back off to kubeadm's 5 s.
  let interval = Math.min(250, o.timeoutMs);

  const poll = async (ca: string | undefined): Promise<ConfigMap & { data: Record<string, string> }> => {
    let last = 'no answer yet';
    for (;;) {
      try {
        const r = await fetchClusterInfo(o.server, ca, Math.max(1000, Math.min(10_000, deadline - Date.now())));
        if (r.status === 401 || r.status === 403) {
          throw new UserError(`couldn't validate the identity of the API Server: ${o.server} refused anonymous access to cluster-info (HTTP ${r.status})`, { hint: `the control plane must allow anonymous reads of kube-public/cluster-info ('${o.program} init' sets this up)` });
        }
        if (r.status === 200 && r.body?.data) {
          if (!r.body.data.kubeconfig) throw new UserError("couldn't validate the identity of the API Server: there is no kubeconfig key in the cluster-info ConfigMap. This API Server isn't set up for token bootstrapping, can't connect");
          if (r.body.data[`jws-kubeconfig-${id}`]) return r.body as ConfigMap & { data: Record<string, string> };
          last = `could not find a JWS signature in the cluster-info ConfigMap for token ID "${id}"`;
        } else last = r.status === 404 ? 'the cluster-info ConfigMap does not exist' : `HTTP ${r.status}: ${r.text.slice(0, 200)}`;
      } catch (e) {
        if (e instanceof UserError) throw e;
        const code = (e as NodeJS.ErrnoException).code;
        if (ca && /CERT|SELF_SIGNED|UNABLE_TO|ERR_TLS|altnames/i.test(`${code} ${(e as Error).message}`)) {
          throw new UserError(`couldn't validate the identity of the API Server: TLS verification with the discovered CA failed: ${(e as Error).message}`, { hint: 'the karmada-apiserver serving certificate must be issued by the CA in cluster-info and name the endpoint' });
        }
        last = `${(e as Error).message}`;
      }
      if (Date.now() + interval > deadline) {
        const tokenHint = last.includes('JWS signature') ? `the token is unknown, expired or has no signing usage: create a new one with '${o.program} token create --print-register-command' on the control plane` : 'check that the endpoint is the karmada-apiserver address and reachable from here, or raise --discovery-timeout';
        throw new UserError(`couldn't validate the identity of the API Server: timed out after ${Math.round(o.timeoutMs / 1000)}s waiting for cluster-info from ${o.server}: ${last}`, { hint: tokenHint });
      }
      await new Promise((r) => setTimeout(r, interval * (1 + Math.random() * 0.3)));
      interval = Math.min(5000, interval * 2);
    }
  };

  const first = await poll(undefined);
  const content = first.data.kubeconfig;
  const jws = first.data[`jws-kubeconfig-${id}`];
  if (!same(jws, detachedJws(content, id, secret))) {
    throw new UserError("couldn't validate the identity of the API Server: failed to verify JWS signature of received cluster info object, can't trust this API Server", { hint: 'check the token; if it is right, the endpoint is not the Karmada control plane that issued it' });
  }
  let kc: { clusters?: { name?: string; cluster?: { server?: string; 'certificate-authority-data'?: string } }[] };
  try {
    kc = parseYaml(content) as typeof kc;
  } catch (e) {
    throw new UserError(`couldn't validate the identity of the API Server: couldn't parse the kubeconfig file in the cluster-info ConfigMap: ${(e as Error).message}`);
  }
  const clusters = kc?.clusters ?? [];
  if (clusters.length !== 1) throw new UserError(`couldn't validate the identity of the API Server: expected the kubeconfig file in the cluster-info ConfigMap to have a single cluster, but it had ${clusters.length}`);
  const caPem = Buffer.from(clusters[0].cluster?.['certificate-authority-data'] ?? '', 'base64').toString('utf8');
  const certs = pemCertificates(caPem);
  if (!certs.length) throw new UserError("couldn't validate the identity of the API Server: failed to parse cluster CA from the cluster-info ConfigMap: no certificates");
  if (pins.length) {
    const have = certs.map(spkiPin);
    if (!have.some((h) => pins.includes(h))) {
      throw new UserError(`couldn't validate the identity of the API Server: cluster CA found in cluster-info ConfigMap is invalid: none of the public keys "${have.join(':')}" are pinned`, { hint: 'check --discovery-token-ca-cert-hash against the control plane CA' });
    }
    const second = await poll(caPem);
    if (second.data.kubeconfig !== content) throw new UserError("couldn't validate the identity of the API Server: the second kubeconfig from the cluster-info ConfigMap (using validated TLS) was different from the first");
  }
  return { caPem, server: o.server };
}
