import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { Kubeconfig } from '../../src/kube/kubeconfig';

const dir = mkdtempSync(path.join(os.tmpdir(), 'kc-model-'));
writeFileSync(path.join(dir, 'ca.crt'), 'CA FROM FILE');
writeFileSync(path.join(dir, 'token'), 'token-from-file');
const b64 = (s: string) => Buffer.from(s).toString('base64');

const text = `
apiVersion: v1
kind: Config
current-context: certs
clusters:
- name: a
  cluster: {server: "https://a.example:6443/", certificate-authority-data: ${b64('CA DATA')}, tls-server-name: api.internal}
- name: b
  cluster: {server: "https://b.example", certificate-authority: ca.crt, insecure-skip-tls-verify: true}
users:
- name: certs
  user: {client-certificate-data: ${b64('CERT')}, client-key-data: ${b64('KEY')}}
- name: bearer
  user: {token-file: ${path.join(dir, 'token')}}
- name: basic
  user: {username: alice, password: s3cret}
contexts:
- {name: certs, context: {cluster: a, user: certs}}
- {name: bearer, context: {cluster: b, user: bearer, namespace: ns1}}
- {name: basic, context: {cluster: b, user: basic}}
`;

/** The options filled for `context` by the library's KubeConfig (the reference behaviour) or by the lean model. */
async function optionsVia(kc: KubeConfig | Kubeconfig, context: string) {
  kc.loadFromString(text);
  kc.makePathsAbsolute(dir);
  kc.setCurrentContext(context);
  const o: Record<string, any> = {};
  await kc.applyToHTTPSOptions(o);
  return o;
}
const essentials = (o: Record<string, any>) => ({
  ca: o.ca?.toString(),
  cert: o.cert?.toString(),
  key: o.key?.toString(),
  rejectUnauthorized: o.rejectUnauthorized,
  servername: o.servername,
  auth: o.auth,
  authorization: o.headers?.Authorization,
});

describe('Kubeconfig (the lean model over client-node config_types)', () => {
  it('parses entries like the library: names, trailing slash dropped, contexts, current context', () => {
    const kc = new Kubeconfig();
    kc.loadFromString(text);
    const lib = new KubeConfig();
    lib.loadFromString(text);
    expect(kc.clusters).toEqual(lib.clusters);
    expect(kc.users).toEqual(lib.users);
    expect(kc.contexts).toEqual(lib.contexts);
    expect(kc.getCurrentContext()).toBe('certs');
    expect(kc.getCurrentCluster()!.server).toBe('https://a.example:6443');
    kc.setCurrentContext('bearer');
    expect(kc.getContextObject('bearer')!.namespace).toBe('ns1');
    expect(kc.getCurrentUser()!.token).toBe('token-from-file');
  });

  for (const context of ['certs', 'bearer', 'basic']) {
    it(`fills TLS options and credentials exactly as KubeConfig.applyToHTTPSOptions does (${context})`, async () => {
      const mine = essentials(await optionsVia(new Kubeconfig(), context));
      expect(mine).toEqual(essentials(await optionsVia(new KubeConfig(), context)));
      expect(Object.values(mine).filter((v) => v !== undefined).length).toBeGreaterThan(0);
    });
  }

  it('rejects a malformed file and an entry without a server, with the library message', () => {
    expect(() => new Kubeconfig().loadFromString('- just\n- a list\n')).toThrow(/not a kubeconfig/);
    expect(() => new Kubeconfig().loadFromString('clusters:\n- name: x\n  cluster: {}\n')).toThrow('clusters[0].cluster.server is missing');
    const empty = new Kubeconfig();
    empty.loadFromString('');
    expect([empty.clusters.length, empty.users.length, empty.getCurrentContext()]).toEqual([0, 0, '']);
  });

  it('hands exec plugins to the library (the plugin runs, its token is used)', async () => {
    const plugin = path.join(dir, 'plugin.sh');
    writeFileSync(plugin, `#!/bin/sh\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"from-exec-plugin"}}'\n`);
    chmodSync(plugin, 0o755);
    const kc = new Kubeconfig();
    kc.loadFromString(`clusters: [{name: c, cluster: {server: "https://c"}}]
users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: ${plugin}, interactiveMode: Never}}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`);
    expect(kc.hasDynamicAuth()).toBe(true);
    const o: Record<string, any> = {};
    await kc.applyToHTTPSOptions(o);
    expect(o.headers.Authorization).toBe('Bearer from-exec-plugin');
  });
});
