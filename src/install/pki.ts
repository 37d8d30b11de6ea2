import { generateKeyPair, createPrivateKey, X509Certificate } from 'node:crypto';
import { readTextBounded } from '../util/fsx';
import path from 'node:path';
import { isIP } from 'node:net';
import { issueCertificate, issuerOf, type Issuer } from '../pki/x509';
import { UserError } from '../errors';
import { ensureDir, writeFileAtomic } from '../util/fsx';

export const PKI_NAMES = ['ca', 'karmada', 'apiserver', 'front-proxy-ca', 'front-proxy-client', 'etcd-ca', 'etcd-server', 'etcd-client'] as const;
export type PkiName = (typeof PKI_NAMES)[number];
export type PkiBundle = Partial<Record<PkiName, { cert: string; key: string }>>;

const CA_VALIDITY_MS = 10 * 365 * 24 * 3600 * 1000;

export interface PkiOptions {
  namespace: string;
  hostClusterDomain: string;
  etcdReplicas: number;
  externalEtcd: boolean;
  externalDNS: string[];
  externalIPs: string[];
  /** Addresses of the karmada-apiserver (advertise address or node IPs). */
  apiserverIPs: string[];
  validityMs: number;
  caCertPem?: string;
  caKeyPem?: string;
  now?: Date;
}

import type { KeyAlgorithm } from './key-algorithm';
export { KEY_ALGORITHMS, type KeyAlgorithm } from './key-algorithm';

/** Key generation started early (on the libuv thread pool, in parallel) so it overlaps cluster I/O. */
export interface KeyPool {
  readonly algorithm: KeyAlgorithm;
  get(name: string): Promise<string>;
}

export function startKeyGeneration(names: readonly string[] = PKI_NAMES, algorithm: KeyAlgorithm = 'rsa-3072'): KeyPool {
  const keys = new Map<string, Promise<string>>();
  for (const n of names) {
    const p = new Promise<string>((resolve, reject) => {
      const done = (err: Error | null, priv: import('node:crypto').KeyObject) =>
        err ? reject(err) : resolve(priv.export(algorithm === 'rsa-3072' ? { type: 'pkcs1', format: 'pem' } : { type: 'sec1', format: 'pem' }).toString());
      if (algorithm === 'rsa-3072') generateKeyPair('rsa', { modulusLength: 3072, publicExponent: 0x10001 }, (err, _pub, priv) => done(err, priv));
      else generateKeyPair('ec', { namedCurve: 'prime256v1' }, (err, _pub, priv) => done(err, priv));
    });
    p.catch(() => undefined);
    keys.set(n, p);
  }
  return {
    algorithm,
    get(name) {
      const k = keys.get(name);
      if (!k) throw new Error(`no key was started for ${name}`);
      return k;
    },
  };
}

/** DNS and IP SANs of the karmada and apiserver certificates (init.md §5.3, without the reference's bogus entries). */
export function karmadaSans(o: PkiOptions): { dns: string[]; ips: string[] } {
  const ns = o.namespace;
  const d = o.hostClusterDomain;
  const dns = [
    'localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'karmada-apiserver', 'karmada-webhook', 'karmada-aggregated-apiserver',
    `karmada-apiserver.${ns}.svc.${d}`, `karmada-webhook.${ns}.svc.${d}`, `karmada-webhook.${ns}.svc`, `karmada-aggregated-apiserver.${ns}.svc.${d}`,
    `*.${ns}.svc.${d}`, `*.${ns}.svc`, ...o.externalDNS,
  ].filter(Boolean);
  const ips = [...o.externalIPs, '127.0.0.1', ...o.apiserverIPs];
  for (const ip of ips) if (!isIP(ip)) throw new UserError(`"${ip}" is not a valid IP address for the karmada certificates`, { hint: 'fix --cert-external-ip or --karmada-apiserver-advertise-address' });
  return { dns: [...new Set(dns)].sort(), ips: [...new Set(ips)] };
}

interface Spec {
  name: PkiName;
  cn: string;
  orgs?: string[];
  ca?: boolean;
  issuer?: PkiName;
  dns?: string[];
  ips?: string[];
}

function specs(o: PkiOptions): Spec[] {
  const sans = karmadaSans(o);
  const etcdDns = ['localhost', ...Array.from({ length: o.etcdReplicas }, (_, i) => `etcd-${i}.etcd.${o.namespace}.svc.${o.hostClusterDomain}`)];
  const list: Spec[] = [
    { name: 'ca', cn: 'karmada', ca: true },
    { name: 'karmada', cn: 'system:admin', orgs: ['system:masters'], issuer: 'ca', ...sans },
    // The reference puts one empty-string O in this certificate; an absent O is what it means.
    { name: 'apiserver', cn: 'karmada-apiserver', issuer: 'ca', ...sans },
    { name: 'front-proxy-ca', cn: 'front-proxy-ca', ca: true },
    { name: 'front-proxy-client', cn: 'front-proxy-client', issuer: 'front-proxy-ca' },
  ];
  if (!o.externalEtcd) {
    list.push(
      { name: 'etcd-ca', cn: 'etcd-ca', ca: true },
      { name: 'etcd-server', cn: 'karmada-etcd-server', issuer: 'etcd-ca', dns: [...new Set(etcdDns)].sort(), ips: ['127.0.0.1'] },
      { name: 'etcd-client', cn: 'karmada-etcd-client', issuer: 'etcd-ca' },
    );
  }
  return list;
}

/** The 8 CA/leaf pairs of init.md §5 (3 fewer with external etcd); keys of the pool's algorithm. */
export async function generatePki(o: PkiOptions, pool: KeyPool = startKeyGeneration()): Promise<PkiBundle> {
  const now = o.now ?? new Date();
  const out: PkiBundle = {};
  const built = new Map<PkiName, Issuer>();
  for (const s of specs(o)) {
    if (s.name === 'ca' && o.caCertPem && o.caKeyPem) {
      const pem = firstCertificate(o.caCertPem);
      out.ca = { cert: pem, key: o.caKeyPem };
      built.set('ca', issuerOf(pem, o.caKeyPem));
      continue;
    }
    const keyPem = await pool.get(s.name);
    const r = s.ca
      ? issueCertificate(s, keyPem, now, new Date(now.getTime() + CA_VALIDITY_MS))
      : issueCertificate(s, keyPem, built.get(s.issuer!)!.notBefore, new Date(now.getTime() + o.validityMs), built.get(s.issuer!)!);
    built.set(s.name, r.issuer(keyPem));
    out[s.name] = { cert: r.pem, key: keyPem };
  }
  return out;
}

function firstCertificate(pem: string): string {
  const m = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem);
  if (!m) throw new UserError('the --ca-cert-file does not contain a PEM certificate', { hint: 'pass a PEM-encoded CA certificate' });
  return m[0] + '\n';
}

/** Checks a user CA before anything else: readable, a CA, key matching. */
export async function loadUserCa(certFile: string, keyFile: string): Promise<{ certPem: string; keyPem: string }> {
  const read = async (f: string, flag: string) => {
    try {
      return await readTextBounded(f, { limit: 1 << 20, what: flag, hint: `check the path given with ${flag}` });
    } catch (e) {
      throw e;
    }
  };
  const certPem = firstCertificate(await read(certFile, '--ca-cert-file'));
  const keyPem = await read(keyFile, '--ca-key-file');
  let x: X509Certificate;
  try {
    x = new X509Certificate(certPem);
  } catch (e) {
    throw new UserError(`--ca-cert-file ${certFile} is not a valid certificate: ${(e as Error).message}`);
  }
  if (!x.ca) throw new UserError(`--ca-cert-file ${certFile} is not a CA certificate`, { hint: 'pass a certificate with basicConstraints CA:TRUE' });
  let key;
  try {
    key = createPrivateKey(keyPem);
  } catch (e) {
    throw new UserError(`--ca-key-file ${keyFile} is not a valid private key: ${(e as Error).message}`);
  }
  if (!x.checkPrivateKey(key)) throw new UserError('--ca-key-file does not match --ca-cert-file', { hint: 'pass the private key of that CA certificate' });
  if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'ec') throw new UserError(`--ca-key-file holds an ${key.asymmetricKeyType} key`, { hint: 'pass an RSA or ECDSA CA' });
  return { certPem, keyPem: key.asymmetricKeyType === 'rsa' ? key.export({ type: 'pkcs1', format: 'pem' }).toString() : key.export({ type: 'sec1', format: 'pem' }).toString() };
}

export async function writePki(dir: string, b: PkiBundle): Promise<string[]> {
  await ensureDir(dir, 0o700);
  const files: string[] = [];
  for (const [name, pair] of Object.entries(b)) {
    if (!pair) continue;
    const crt = path.join(dir, `${name}.crt`);
    const key = path.join(dir, `${name}.key`);
    await writeFileAtomic(crt, pair.cert, 0o644);
    await writeFileAtomic(key, pair.key, 0o600);
    files.push(crt, key);
  }
  return files;
}

export async function readPki(dir: string, names: readonly PkiName[] = PKI_NAMES): Promise<PkiBundle | undefined> {
  const out: PkiBundle = {};
  for (const n of names) {
    try {
      out[n] = { cert: await readTextBounded(path.join(dir, `${n}.crt`), { limit: 1 << 20, what: 'certificate' }), key: await readTextBounded(path.join(dir, `${n}.key`), { limit: 1 << 20, what: 'key' }) };
    } catch {
      return undefined;
    }
  }
  return out;
}

/** Whether an existing PKI can be kept on a re-run: complete, consistent, unexpired, covering the SANs needed now. */
export function reusablePki(b: PkiBundle | undefined, o: PkiOptions, algorithm: KeyAlgorithm = 'rsa-3072'): { reuse: boolean; reason?: string } {
  if (!b) return { reuse: false, reason: 'no existing PKI' };
  const now = (o.now ?? new Date()).getTime();
  const need = specs(o);
  const x = new Map<string, X509Certificate>();
  for (const s of need) {
    const pair = b[s.name];
    if (!pair?.cert || !pair.key) return { reuse: false, reason: `${s.name} is missing` };
    try {
      const c = new X509Certificate(pair.cert);
      const key = createPrivateKey(pair.key);
      if (!c.checkPrivateKey(key)) return { reuse: false, reason: `${s.name}.key does not match ${s.name}.crt` };
      const isUserCa = s.name === 'ca' && o.caCertPem;
      if (!isUserCa && key.asymmetricKeyType !== (algorithm === 'rsa-3072' ? 'rsa' : 'ec')) return { reuse: false, reason: `${s.name}.key is not ${algorithm}` };
      if (Date.parse(c.validTo) - now < 30 * 24 * 3600 * 1000) return { reuse: false, reason: `${s.name} expires within 30 days` };
      x.set(s.name, c);
    } catch {
      return { reuse: false, reason: `${s.name} is not a valid certificate` };
    }
  }
  for (const s of need) {
    if (s.issuer && !x.get(s.name)!.verify(x.get(s.issuer)!.publicKey)) return { reuse: false, reason: `${s.name} is not signed by ${s.issuer}` };
    const san = x.get(s.name)!.subjectAltName ?? '';
    for (const d of s.dns ?? []) if (!san.split(', ').includes(`DNS:${d}`)) return { reuse: false, reason: `${s.name} lacks DNS name ${d}` };
    for (const ip of s.ips ?? []) if (!san.split(', ').includes(`IP Address:${ip}`)) return { reuse: false, reason: `${s.name} lacks IP ${ip}` };
  }
  if (o.caCertPem && new X509Certificate(o.caCertPem).fingerprint256 !== x.get('ca')!.fingerprint256) return { reuse: false, reason: 'a different --ca-cert-file was given' };
  return { reuse: true };
}

export function caBundleBase64(b: PkiBundle): string {
  return Buffer.from(b.ca!.cert).toString('base64');
}
