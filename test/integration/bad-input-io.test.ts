/**
 * Bad input that comes through files and sockets: kubeconfigs (missing, directories, /dev/zero, a
 * 20 GiB sparse file, not YAML, wrong types, bad CA/cert/key, exec plugins, auth providers, kubectl's
 * own refusals), CA and certificate files, --config, CRD tarballs, and servers that hang or are not
 * Kubernetes API servers (tiny local servers on 127.0.0.1). Every case: exit ≠ 0, exactly one
 * `error:` line naming the problem, nothing written, no internal text. Memory and time of the
 * unbounded cases are measured in bench/bounded.mjs, not here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync, truncateSync, chmodSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { stringify } from 'yaml';
import { runCli } from '../support/context';
import { startTestApiServer, type TestApiServer } from '../support/apiserver';
import { defaultCerts, newAuthority } from '../support/apiserver/certs';

const INTERNAL = /Cannot read properties|is not a function|undefined|NaN|ENOENT|EISDIR|ENOTDIR|EACCES|ECONN|error:[0-9A-F]{8}:|<html/;
const CRDS = path.resolve(__dirname, '../../../shared/fixtures/karmada-crds-v1.18.2.tar.gz');

const dir = mkdtempSync(path.join(os.tmpdir(), 'bad-io-'));
const home = mkdtempSync(path.join(os.tmpdir(), 'bad-io-home-'));
const f = (name: string) => path.join(dir, name);
const b64 = (s: string) => Buffer.from(s).toString('base64');
const certs = defaultCerts();
const other = newAuthority('other-ca').leaf({ cn: 'x', client: true });

/** A kubeconfig with one cluster, user and context; parts overridable. */
function kc(o: { server?: string; cluster?: Record<string, unknown>; user?: Record<string, unknown>; context?: Record<string, unknown>; current?: string; raw?: Record<string, unknown> } = {}): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c1', cluster: { server: o.server ?? 'https://127.0.0.1:1', 'certificate-authority-data': b64(certs.ca.caPem), ...(o.cluster ?? {}) } }],
    users: [{ name: 'u1', user: o.user ?? { token: 'abcdef.0123456789abcdef' } }],
    contexts: [{ name: 'ctx1', context: { cluster: 'c1', user: 'u1', ...(o.context ?? {}) } }],
    'current-context': o.current ?? 'ctx1',
    ...(o.raw ?? {}),
  });
}
const write = (name: string, text: string | Buffer) => {
  writeFileSync(f(name), text, { mode: 0o600 });
  return f(name);
};

interface Case {
  name: string;
  argv: string[];
  expect: RegExp;
  env?: Record<string, string>;
  /** Paths that must not exist afterwards. */
  untouched?: string[];
}

async function refuses(c: Case) {
  const r = await runCli(c.argv, { env: c.env ?? {}, homedir: home, cwd: dir });
  const errors = r.stderr.split('\n').filter((l) => l.startsWith('error:'));
  expect(r.code, r.stderr).not.toBe(0);
  expect(errors, r.stderr).toHaveLength(1);
  expect(errors[0]).toMatch(c.expect);
  expect(r.stderr + r.stdout).not.toMatch(INTERNAL);
  for (const p of c.untouched ?? []) expect(existsSync(p), p).toBe(false);
}

// ---------------------------------------------------------------- kubeconfig files
const kubeconfigs: [string, () => string, RegExp][] = [
  ['a missing file', () => f('nope.config'), /kubeconfig file .*nope\.config.* does not exist/],
  ['a directory', () => (mkdirSync(f('adir'), { recursive: true }), f('adir')), /kubeconfig .*adir is a directory, not a file/],
  ['/dev/zero', () => '/dev/zero', /kubeconfig \/dev\/zero is larger than 16 MiB/],
  ['a 20 GiB sparse file', () => (writeFileSync(f('sparse'), ''), truncateSync(f('sparse'), 20 * 2 ** 30), f('sparse')), /kubeconfig .*sparse is larger than 16 MiB/],
  ['not YAML', () => write('notyaml', 'clusters: [\n  {{{: :\n'), /kubeconfig file .*notyaml is not valid: /],
  ['binary garbage', () => write('binary', Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x1b, 0x5b, 0x32, 0x4a, 0x00, 0x7f])), /kubeconfig file .*binary is not valid/],
  ['a list at the top', () => write('list', '- a\n- b\n'), /is not valid: not a kubeconfig: expected a mapping at the top level/],
  ['a scalar at the top', () => write('scalar', 'hello\n'), /is not valid: not a kubeconfig: expected a mapping/],
  ['clusters as a string', () => write('clusters-string', 'clusters: everything\n'), /clusters must be a list, not a string/],
  ['a numeric server', () => write('server-number', kc({ server: 5 as unknown as string })), /clusters\[0\] \("c1"\)\.cluster\.server must be a string, not a number/],
  ['a list as the token', () => write('token-list', kc({ user: { token: [1, 2] } })), /users\[0\] \("u1"\)\.user\.token must be a string, not a list/],
  ['a string as the context', () => write('ctx-string', kc().replace(/context:\n\s+cluster: c1\n\s+user: u1/, 'context: c1')), /contexts\[0\] \("ctx1"\)\.context must be a mapping, not a string/],
  ['insecure-skip-tls-verify: "yes"', () => write('insecure-string', kc({ cluster: { 'insecure-skip-tls-verify': 'yes' } })), /insecure-skip-tls-verify must be true or false, not a string/],
  ['exec args as a string', () => write('exec-args', kc({ user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'x', args: 'a b' } } })), /exec\.args must be a list of strings/],
  ['a numeric current-context', () => write('cc-number', kc({ current: 5 as unknown as string })), /current-context must be a string, not a number/],
  ['a cluster without server', () => write('no-server', kc({ cluster: { server: undefined } }).replace(/\n\s+server: .*\n/, '\n')), /clusters\[0\]\.cluster\.server is missing/],
  ['no current-context', () => write('no-current', kc({ current: '' })), /has no current-context/],
  ['a current-context that does not exist', () => write('ghost-current', kc({ current: 'ghost' })), /current-context "ghost" of kubeconfig .* does not exist in it/],
  ['a context naming a missing cluster', () => write('ghost-cluster', kc({ context: { cluster: 'nowhere' } })), /context "ctx1" of kubeconfig .* names a cluster "nowhere" that is missing/],
  ['a context naming a missing user', () => write('ghost-user', kc({ context: { user: 'nobody' } })), /user "nobody" was not found for context "ctx1"/],
  ['a missing CA file', () => write('ca-missing', kc({ cluster: { 'certificate-authority-data': undefined, 'certificate-authority': f('no-ca.crt') } })), /certificate-authority of cluster "c1" in kubeconfig .*ca-missing: .*no-ca\.crt does not exist/],
  ['a CA file that is a directory', () => write('ca-dir', kc({ cluster: { 'certificate-authority-data': undefined, 'certificate-authority': dir } })), /certificate-authority of cluster "c1" .* is a directory, not a file/],
  ['a CA file that is /dev/zero', () => write('ca-zero', kc({ cluster: { 'certificate-authority-data': undefined, 'certificate-authority': '/dev/zero' } })), /certificate-authority of cluster "c1" .*\/dev\/zero is larger than 1 MiB/],
  ['CA data that is not PEM', () => write('ca-garbage', kc({ cluster: { 'certificate-authority-data': b64('not a certificate') } })), /certificate-authority-data of cluster "c1" in kubeconfig .* is not a PEM CA certificate/],
  ['a CA file that is not PEM', () => (write('garbage.crt', 'garbage\n'), write('ca-file-garbage', kc({ cluster: { 'certificate-authority-data': undefined, 'certificate-authority': f('garbage.crt') } }))), /certificate-authority .*garbage\.crt of cluster "c1" .* is not a PEM CA certificate/],
  ['a client certificate that is not PEM', () => write('cert-garbage', kc({ user: { 'client-certificate-data': b64('garbage'), 'client-key-data': b64(certs.admin.keyPem) } })), /client-certificate-data of user "u1" in kubeconfig .* is not a PEM certificate: not PEM-encoded/],
  ['a client key that is not PEM', () => write('key-garbage', kc({ user: { 'client-certificate-data': b64(certs.admin.certPem), 'client-key-data': b64('garbage') } })), /client-key-data of user "u1" in kubeconfig .* is not a PEM private key/],
  ['a missing client certificate file', () => write('cert-missing', kc({ user: { 'client-certificate': 'missing.crt', 'client-key-data': b64(certs.admin.keyPem) } })), /client-certificate of user "u1" in kubeconfig .*: .*missing\.crt does not exist/],
  ['a missing client key file', () => write('key-missing', kc({ user: { 'client-certificate-data': b64(certs.admin.certPem), 'client-key': f('missing.key') } })), /client-key of user "u1" .*missing\.key does not exist/],
  ['a key that does not match the certificate', () => write('key-mismatch', kc({ user: { 'client-certificate-data': b64(certs.admin.certPem), 'client-key-data': b64(other.keyPem) } })), /client-key of user "u1" in kubeconfig .* does not match its client-certificate/],
  ['a missing token file', () => write('tokenfile-missing', kc({ user: { 'token-file': f('no-token') } })), /token-file of user "u1": .*no-token does not exist/],
  ['a token file that is /dev/zero', () => write('tokenfile-zero', kc({ user: { 'token-file': '/dev/zero' } })), /token-file of user "u1": \/dev\/zero is larger than 1 MiB/],
  ['an exec plugin that is not installed', () => write('exec-missing', kc({ user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'kubectl-no-such-plugin' } } })), /exec plugin "kubectl-no-such-plugin" of user "u1" in kubeconfig .* was not found/],
  ['an exec plugin that fails', () => write('exec-fails', kc({ user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'sh', args: ['-c', 'echo token expired >&2; exit 3'] } } })), /exec plugin "sh" of user "u1" in kubeconfig .* failed: token expired/],
  ['an exec plugin that prints no JSON', () => write('exec-text', kc({ user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'sh', args: ['-c', 'echo hello'] } } })), /exec plugin "sh" of user "u1" .* did not print an ExecCredential/],
  ['an exec plugin that never stops printing', () => write('exec-endless', kc({ user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'sh', args: ['-c', 'yes'] } } })), /exec plugin "sh" of user "u1" .* failed: it printed more than 4 MiB/],
  ['an exec entry without a command', () => write('exec-nocommand', kc({ user: { exec: { apiVersion: 'client.authentication.k8s.io/v1' } } })), /user "u1" in kubeconfig .*: exec has no command/],
  ['an unknown auth provider', () => write('authprovider', kc({ user: { 'auth-provider': { name: 'my-sso', config: {} } } })), /user "u1" in kubeconfig .*: no Auth Provider found for name "my-sso"/],
  ['insecure-skip-tls-verify with CA data', () => write('insecure-ca', kc({ cluster: { 'insecure-skip-tls-verify': true } })), /cluster "c1" in kubeconfig .*: specifying a root certificates file with the insecure flag is not allowed/],
  ['insecure-skip-tls-verify with a CA file', () => (write('ca.crt', certs.ca.caPem), write('insecure-cafile', kc({ cluster: { 'insecure-skip-tls-verify': true, 'certificate-authority-data': undefined, 'certificate-authority': 'ca.crt' } }))), /specifying a root certificates file with the insecure flag is not allowed/],
  ['a "billion laughs" kubeconfig', () => write('laughs', ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 9 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]`), 'clusters: []'].join('\n') + '\n'), /kubeconfig file .*laughs is not valid: .*(expands to more than|maxAliases)/],
];

// The commands that read a kubeconfig with --kubeconfig (each case runs with two of them).
const readers: [string, (k: string) => string[]][] = [
  ['addons list', (k) => ['addons', 'list', '--kubeconfig', k, '--karmada-kubeconfig', k]],
  ['token list', (k) => ['token', 'list', '--kubeconfig', k]],
  ['cordon', (k) => ['cordon', 'member1', '--kubeconfig', k]],
  ['unjoin', (k) => ['unjoin', 'member1', '--kubeconfig', k, '--cluster-kubeconfig', k]],
];

describe('bad kubeconfigs', () => {
  kubeconfigs.forEach(([label, make, re], i) => {
    for (const [cmd, argv] of [readers[i % readers.length], readers[(i + 1) % readers.length]]) {
      it(`${cmd}: ${label}`, async () => {
        await refuses({ name: label, argv: argv(make()), expect: re, env: { KARMADACTL_REQUEST_TIMEOUT: '2s' } });
      });
    }
  });

  it('--context that is not in the kubeconfig names the contexts there', async () => {
    await refuses({ name: 'ctx', argv: ['token', 'list', '--kubeconfig', write('ok1', kc()), '--karmada-context', 'nope'], expect: /context "nope" not found in kubeconfig .*ok1/ });
    await refuses({ name: 'ctx', argv: ['cordon', 'm', '--kubeconfig', write('ok2', kc()), '--karmada-context', 'nope'], expect: /context "nope" not found/ });
  });

  it('a KUBECONFIG entry that is a directory or /dev/zero is refused, not read whole', async () => {
    await refuses({ name: 'env', argv: ['token', 'list'], env: { KUBECONFIG: '/dev/zero' }, expect: /kubeconfig \/dev\/zero is larger than 16 MiB/ });
    await refuses({ name: 'env', argv: ['token', 'list'], env: { KUBECONFIG: dir }, expect: /is a directory, not a file/ });
  });

  // root reads any file: the case runs only for other users.
  it.skipIf(process.getuid?.() === 0)('an unreadable kubeconfig (mode 000) is refused in words', async () => {
    const p = write('mode000', kc());
    chmodSync(p, 0);
    await refuses({ name: '000', argv: ['token', 'list', '--kubeconfig', p], expect: /cannot be read: permission denied/ });
  });
});

// ---------------------------------------------------------------- CA, certificate, --config and CRD files of init
describe('bad files given to init', () => {
  const out = () => {
    const d = path.join(dir, `init-${Math.random().toString(36).slice(2)}`);
    return { d, flags: ['--dry-run', '--karmada-data', d, '--karmada-pki', path.join(d, 'pki')] };
  };
  const pem = write('good-ca.crt', certs.ca.caPem);
  const key = write('good-ca.key', certs.ca.caKeyPem);
  const garbage = write('garbage.pem', 'garbage\n');
  const leaf = write('leaf.crt', certs.admin.certPem);
  const leafKey = write('leaf.key', certs.admin.keyPem);
  const files: [string, string, RegExp][] = [
    ['missing', f('no-such.pem'), /no-such\.pem does not exist/],
    ['a directory', dir, /is a directory, not a file/],
    ['/dev/zero', '/dev/zero', /\/dev\/zero is larger than 1 MiB/],
    ['not PEM', garbage, /(does not contain a PEM certificate|not a valid private key|not PEM)/],
  ];
  for (const [label, p, re] of files) {
    it(`--ca-cert-file ${label}`, () => {
      const o = out();
      return refuses({ name: label, argv: ['init', ...o.flags, '--crds', CRDS, '--ca-cert-file', p, '--ca-key-file', key], expect: re, untouched: [o.d] });
    });
    it(`--ca-key-file ${label}`, () => {
      const o = out();
      return refuses({ name: label, argv: ['init', ...o.flags, '--crds', CRDS, '--ca-cert-file', pem, '--ca-key-file', p], expect: re, untouched: [o.d] });
    });
    for (const flag of ['--external-etcd-ca-cert-path', '--external-etcd-client-cert-path', '--external-etcd-client-key-path']) {
      if (label === 'not PEM') continue;
      it(`${flag} ${label}`, () => {
        const o = out();
        const ext: Record<string, string> = { '--external-etcd-ca-cert-path': pem, '--external-etcd-client-cert-path': leaf, '--external-etcd-client-key-path': leafKey, [flag]: p };
        return refuses({ name: label, argv: ['init', ...o.flags, '--crds', CRDS, '--external-etcd-servers', 'https://10.0.0.1:2379', ...Object.entries(ext).flat()], expect: re, untouched: [o.d] });
      });
    }
  }
  it('--ca-cert-file that is a leaf, not a CA', () => {
    const o = out();
    return refuses({ name: 'leaf', argv: ['init', ...o.flags, '--crds', CRDS, '--ca-cert-file', leaf, '--ca-key-file', leafKey], expect: /is not a CA certificate/, untouched: [o.d] });
  });
  it('--ca-key-file that does not match --ca-cert-file', () => {
    const o = out();
    return refuses({ name: 'mismatch', argv: ['init', ...o.flags, '--crds', CRDS, '--ca-cert-file', pem, '--ca-key-file', leafKey], expect: /does not match/, untouched: [o.d] });
  });
  for (const [label, p, re] of [
    ['missing', f('no-config.yaml'), /karmada init configuration.*no-config\.yaml does not exist/],
    ['a directory', dir, /karmada init configuration.* is a directory, not a file/],
    ['/dev/zero', '/dev/zero', /karmada init configuration.*\/dev\/zero is larger than 4 MiB/],
    ['a 20 GiB sparse file', f('sparse'), /karmada init configuration.*sparse is larger than 4 MiB/],
  ] as const) {
    it(`--config ${label}`, () => {
      const o = out();
      if (label.includes('sparse') && !existsSync(p)) (writeFileSync(p, ''), truncateSync(p, 20 * 2 ** 30));
      return refuses({ name: label, argv: ['init', ...o.flags, '--crds', CRDS, '--config', p], expect: re, untouched: [o.d] });
    });
  }

  /** A ustar header for `name` that claims `size` bytes. */
  const header = (name: string, size: number) => {
    const h = Buffer.alloc(512);
    h.write(name, 0, 100);
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(size.toString(8).padStart(11, '0') + '\0', 124);
    h.write('00000000000\0', 136);
    h.write('        ', 148);
    h.write('0', 156);
    h.write('ustar\0', 257);
    h.write('00', 263);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    return h;
  };
  const zeros = gzipSync(Buffer.alloc(1 << 20));
  const tarballs: [string, () => string, RegExp][] = [
    ['missing', () => f('no-crds.tgz'), /CRD tarball .*no-crds\.tgz does not exist/],
    ['a directory', () => dir, /CRD tarball .* is a directory, not a file/],
    ['/dev/zero', () => '/dev/zero', /invalid CRD tarball: (it is not a gzip tar|\/dev\/zero is larger)/],
    ['not gzip', () => write('text.tgz', 'just text\n'), /invalid CRD tarball: (it is not a gzip tar|it is empty)/],
    ['truncated gzip', () => write('trunc.tgz', gzipSync(Buffer.concat([header('crds/bases/a.yaml', 100), Buffer.alloc(512)])).subarray(0, 30)), /invalid CRD tarball/],
    ['a member whose header says 4 GiB', () => write('huge.tgz', Buffer.concat([gzipSync(header('crds/bases/huge.yaml', 4 * 2 ** 30)), ...Array(64).fill(zeros)])), /invalid CRD tarball: crds\/bases\/huge\.yaml is 4294967296 bytes, over the 16777216-byte member limit/],
    ['a "billion laughs" CRD', () => {
      const lol = ['apiVersion: apiextensions.k8s.io/v1', 'kind: CustomResourceDefinition', 'metadata: {name: lol.example.com}', 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 9 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]`)].join('\n') + '\n';
      const body = Buffer.alloc(Math.ceil(lol.length / 512) * 512);
      body.write(lol);
      return write('lol.tgz', gzipSync(Buffer.concat([header('crds/bases/lol.yaml', Buffer.byteLength(lol)), body, Buffer.alloc(1024)])));
    }, /invalid CRD tarball: crds\/bases\/lol\.yaml: a document expands to more than/],
  ];
  for (const [label, make, re] of tarballs) {
    it(`--crds ${label}`, () => {
      const o = out();
      return refuses({ name: label, argv: ['init', ...o.flags, '--crds', make()], expect: re, untouched: [o.d] });
    });
  }
});

// ---------------------------------------------------------------- servers that are not Kubernetes API servers
describe('servers that hang or are not Kubernetes API servers', () => {
  const servers: { close(): void }[] = [];
  const urls: Record<string, string> = {};
  let api: TestApiServer;
  const listen = async (name: string, scheme: 'http' | 'https', srv: net.Server) => {
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    servers.push({ close: () => srv.close() });
    urls[name] = `${scheme}://127.0.0.1:${(srv.address() as net.AddressInfo).port}`;
  };
  const sockets = new Set<net.Socket>();
  const track = (srv: net.Server) => (srv.on('connection', (s: net.Socket) => (sockets.add(s), s.on('close', () => sockets.delete(s)))), srv);
  const tlsOpts = { cert: certs.serving.certPem, key: certs.serving.keyPem };
  const html = (status: number) => (_q: http.IncomingMessage, s: http.ServerResponse) => {
    s.writeHead(status, { 'Content-Type': 'text/html' });
    s.end('<!DOCTYPE html>\n<html><head><title>Welcome to nginx!</title></head><body><h1>Welcome to nginx!</h1>' + 'x'.repeat(5000) + '</body></html>\n');
  };
  beforeAll(async () => {
    api = await startTestApiServer();
    await listen('hang-tcp', 'https', track(net.createServer(() => undefined)));
    await listen('hang-tls', 'https', track(tls.createServer(tlsOpts, () => undefined)));
    await listen('html-200', 'https', track(https.createServer(tlsOpts, html(200))));
    await listen('html-404', 'https', track(https.createServer(tlsOpts, html(404))));
    await listen('html-502', 'https', track(https.createServer(tlsOpts, html(502))));
    await listen('plain-http', 'https', track(http.createServer(html(200))));
    await listen('garbage-tls', 'https', track(net.createServer((s) => s.end(Buffer.from('\x16\x03\x01\x7f\xff' + 'garbage'.repeat(100), 'latin1')))));
    await listen('json-500', 'https', track(https.createServer(tlsOpts, (_q, s) => (s.writeHead(500, { 'Content-Type': 'application/json' }), s.end('{"error":"something broke","trace":"at x"}')))));
    await listen('text-200', 'https', track(https.createServer(tlsOpts, (_q, s) => (s.writeHead(200, { 'Content-Type': 'text/plain' }), s.end('hello from a web server')))));
    await listen('reset', 'https', track(net.createServer((s) => s.resetAndDestroy())));
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    urls.refused = `https://127.0.0.1:${(closed.address() as net.AddressInfo).port}`;
    closed.close();
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    for (const s of servers) s.close();
    await api?.close();
  });

  const cases: [string, RegExp][] = [
    ['hang-tcp', /the server https:\/\/127\.0\.0\.1:\d+ did not complete the TLS handshake within 1s/],
    ['hang-tls', /the server https:\/\/127\.0\.0\.1:\d+ did not answer within 1s/],
    ['html-200', /https:\/\/127\.0\.0\.1:\d+ is not a Kubernetes API server \(got HTTP 200 and an HTML page: "Welcome to nginx!"\)/],
    ['html-404', /is not a Kubernetes API server \(got HTTP 404 and an HTML page/],
    ['html-502', /is not a Kubernetes API server \(got HTTP 502 and an HTML page/],
    ['plain-http', /is not a Kubernetes API server \(got no TLS answer/],
    ['garbage-tls', /is not a Kubernetes API server \(got no TLS answer|cannot reach the API server at .*: .*(TLS|closed|reset)/],
    ['json-500', /is not a Kubernetes API server \(got HTTP 500 and JSON that is not a Status/],
    ['text-200', /is not a Kubernetes API server \(got HTTP 200 and text that is not JSON/],
    ['reset', /cannot reach the API server at https:\/\/127\.0\.0\.1:\d+: (connection reset by peer|the server closed the connection)/],
    ['refused', /cannot reach the API server at https:\/\/127\.0\.0\.1:\d+: connection refused/],
  ];
  const commands: [string, (k: string) => string[]][] = [
    ['addons list', (k) => ['addons', 'list', '--kubeconfig', k, '--karmada-kubeconfig', k]],
    ['cordon', (k) => ['cordon', 'member1', '--kubeconfig', k]],
  ];
  for (const [server, re] of cases) {
    for (const [cmd, argv] of commands) {
      it(`${cmd} against ${server}`, async () => {
        const k = write(`srv-${server}.config`, kc({ server: urls[server], cluster: { 'certificate-authority-data': b64(certs.ca.caPem) }, user: { 'client-certificate-data': b64(certs.admin.certPem), 'client-key-data': b64(certs.admin.keyPem) } }));
        await refuses({ name: server, argv: argv(k), expect: re, env: { KARMADACTL_REQUEST_TIMEOUT: '1s' } });
      });
    }
  }

  it('a server that does not answer is named with the time it had; the bound holds with retries', async () => {
    const k = write('srv-hang.config', kc({ server: urls['hang-tls'] }));
    const started = Date.now();
    await refuses({ name: 'hang', argv: ['token', 'list', '--kubeconfig', k], expect: /did not answer within 10s|did not answer within 1s/, env: { KARMADACTL_REQUEST_TIMEOUT: '1s' } });
    expect(Date.now() - started).toBeLessThan(15_000); // not a timing target: a bound (token list allows 10 s)
  }, 20_000);

  it('a namespace stuck in Terminating is named as such, not blamed on permissions', async () => {
    api.store.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system', deletionTimestamp: new Date().toISOString() }, status: { phase: 'Terminating' } });
    const k = write('api.config', api.kubeconfig());
    const r = await runCli(['token', 'create', '--kubeconfig', k], { env: {}, homedir: home, cwd: dir });
    expect(r.code).not.toBe(0);
    const line = r.stderr.split('\n').find((l) => l.startsWith('error:'))!;
    expect(line).toMatch(/because it is being terminated/);
    expect(line).toMatch(/namespace kube-system is Terminating/);
    expect(line).not.toMatch(/lacks permission/);
  });
});
