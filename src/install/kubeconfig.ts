import { stringify } from 'yaml';

const b64 = (s: string) => Buffer.from(s).toString('base64');

export function serverUrl(ip: string, port: number): string {
  return ip.includes(':') ? `https://[${ip}]:${port}` : `https://${ip}:${port}`;
}

/** `<data>/karmada-apiserver.config` (init.md §7.1). */
export function adminKubeconfig(o: { server: string; caPem: string; certPem: string; keyPem: string }): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'karmada-apiserver', cluster: { server: o.server, 'certificate-authority-data': b64(o.caPem) } }],
    contexts: [{ name: 'karmada-apiserver', context: { cluster: 'karmada-apiserver', user: 'karmada-admin' } }],
    'current-context': 'karmada-apiserver',
    preferences: {},
    users: [{ name: 'karmada-admin', user: { 'client-certificate-data': b64(o.certPem), 'client-key-data': b64(o.keyPem) } }],
  });
}

/** The in-cluster kubeconfig of the `*-config` secrets (init.md §7.2). */
export function inClusterKubeconfig(o: { namespace: string; domain: string; caPem: string; certPem: string; keyPem: string }): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'karmada-admin', cluster: { server: `https://karmada-apiserver.${o.namespace}.svc.${o.domain}:5443`, 'certificate-authority-data': b64(o.caPem) } }],
    contexts: [{ name: 'karmada-admin', context: { cluster: 'karmada-admin', user: 'karmada-admin' } }],
    'current-context': 'karmada-admin',
    preferences: {},
    users: [{ name: 'karmada-admin', user: { 'client-certificate-data': b64(o.certPem), 'client-key-data': b64(o.keyPem) } }],
  });
}

/** The `kubeconfig` key of kube-public/cluster-info: one cluster with an empty name, no users (init.md §7.3). */
export function clusterInfoKubeconfig(o: { server: string; caPem: string }): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: '', cluster: { server: o.server, 'certificate-authority-data': b64(o.caPem) } }],
    contexts: null,
    'current-context': '',
    preferences: {},
    users: null,
  });
}
