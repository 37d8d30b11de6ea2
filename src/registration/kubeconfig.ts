import { stringify } from 'yaml';
import type { Context } from '../context';
import { KubeClient } from '../kube/client';
import { kubeconfigFromString } from '../kube/config';
import { makeLogger } from '../ui/log';

export type Auth = { token: string } | { certPem: string; keyPem: string };

/** A kubeconfig for the karmada-apiserver (cluster `karmada-apiserver`, context `<user>@karmada-apiserver`). */
export function karmadaKubeconfig(server: string, caPem: string, user: string, auth: Auth): string {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const u = 'token' in auth ? { token: auth.token } : { 'client-certificate-data': b64(auth.certPem), 'client-key-data': b64(auth.keyPem) };
  const context = `${user}@karmada-apiserver`;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'karmada-apiserver', cluster: { server, 'certificate-authority-data': b64(caPem) } }],
    users: [{ name: user, user: u }],
    contexts: [{ name: context, context: { cluster: 'karmada-apiserver', user } }],
    'current-context': context,
  });
}

/** An in-memory client (10 s per request, as the reference's bootstrap and agent clients). */
export async function clientFor(ctx: Context, kubeconfig: string, source: string): Promise<KubeClient> {
  const loaded = await kubeconfigFromString(kubeconfig, { source });
  return KubeClient.create(loaded, { log: makeLogger(ctx), timeoutMs: 10_000 });
}
