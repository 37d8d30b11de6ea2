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

  it('checks field types before the library maps them, naming the entry and the field', () => {
    const load = (t: string) => () => new Kubeconfig().loadFromString(t);
    expect(load('clusters: [{name: a, cluster: {server: 5}}]')).toThrow('clusters[0] ("a").cluster.server must be a string, not a number');
    expect(load('users: [{name: u, user: {token: [1]}}]')).toThrow('users[0] ("u").user.token must be a string, not a list');
    expect(load('contexts: [{name: c, context: x}]')).toThrow('contexts[0] ("c").context must be a mapping, not a string');
    expect(load('clusters: x')).toThrow('clusters must be a list, not a string');
    expect(load('clusters: [{name: a, cluster: {server: "https://a", insecure-skip-tls-verify: "yes"}}]')).toThrow('insecure-skip-tls-verify must be true or false, not a string');
  });

  it('bounds YAML aliases: a "billion laughs" kubeconfig is refused before anything walks it', () => {
    const laughs = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 9 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]`)].join('\n');
    expect(() => new Kubeconfig().loadFromString(laughs)).toThrow(/expands to more than 1000000 YAML nodes/);
    const many = `a: &a 1\nb: [${Array(101).fill('*a').join(', ')}]\n`;
    expect(() => new Kubeconfig().loadFromString(many)).toThrow(/maxAliases \(100\)/);
  });

  it('reads token files with a limit, relative to the kubeconfig, and names the user when it cannot', () => {
    writeFileSync(path.join(dir, 'rel-token'), 'relative-token');
    const kc = new Kubeconfig();
    kc.loadFromString('users: [{name: u, user: {token-file: rel-token}}]', path.join(dir, 'config'));
    expect(kc.users[0].token).toBe('relative-token');
    expect(() => new Kubeconfig().loadFromString('users: [{name: u, user: {token-file: /dev/zero}}]')).toThrow('token-file of user "u": /dev/zero is larger than 1 MiB');
    expect(() => new Kubeconfig().loadFromString('users: [{name: u, user: {token-file: /no/token}}]')).toThrow('token-file of user "u": /no/token does not exist');
  });

  it('names the kubeconfig, user and field when a certificate file is missing or an exec plugin is not installed', async () => {
    const kc = new Kubeconfig();
    kc.loadFromString(`clusters: [{name: c, cluster: {server: "https://c", certificate-authority: /no/ca.crt}}]
users: [{name: u, user: {token: t}}, {name: e, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: no-such-plugin-xyz}}}]
contexts: [{name: x, context: {cluster: c, user: u}}, {name: y, context: {cluster: c, user: e}}]
current-context: x
`, '/etc/kc.config');
    await expect(kc.applyToHTTPSOptions({})).rejects.toThrow('certificate-authority of cluster "c" in kubeconfig /etc/kc.config: /no/ca.crt does not exist');
    kc.setCurrentContext('y');
    await expect(kc.applyToHTTPSOptions({})).rejects.toThrow(/exec plugin "no-such-plugin-xyz" of user "e" in kubeconfig \/etc\/kc\.config was not found|certificate-authority of cluster "c"/);
  });
});
