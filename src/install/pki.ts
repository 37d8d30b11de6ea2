import { generateKeyPair, createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { readTextBounded, type FileReadError } from '../util/fsx';
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

export function startKeyGeneration(names: readonly string[] = PKI_NAMES, algorithm: KeyAlgorithm = 'rsa-3072', o: { lazy?: boolean } = {}): KeyPool {
  const keys = new Map<string, Promise<string>>();
  const start = (n: string) => {
    const p = new Promise<string>((resolve, reject) => {
      const done = (err: Error | null, priv: import('node:crypto').KeyObject) =>
        err ? reject(err) : resolve(priv.export(algorithm === 'rsa-3072' ? { type: 'pkcs1', format: 'pem' } : { type: 'sec1', format: 'pem' }).toString());
      if (algorithm === 'rsa-3072') generateKeyPair('rsa', { modulusLength: 3072, publicExponent: 0x10001 }, (err, _pub, priv) => done(err, priv));
      else generateKeyPair('ec', { namedCurve: 'prime256v1' }, (err, _pub, priv) => done(err, priv));
    });
    p.catch(() => undefined);
    keys.set(n, p);
    return p;
  };
  if (!o.lazy) for (const n of names) start(n);
  return {
    algorithm,
    get(name) {
      const k = keys.get(name) ?? (o.lazy && names.includes(name) ? start(name) : undefined);
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

/** The 8 CA/leaf pairs of init.md §5 (3 fewer with external etcd), all new; keys of the pool's algorithm. */
export async function generatePki(o: PkiOptions, pool: KeyPool = startKeyGeneration()): Promise<PkiBundle> {
  return (await preparePki(undefined, o, pool)).bundle;
}

export const CA_NAMES = ['ca', 'front-proxy-ca', 'etcd-ca'] as const;
const DAY_MS = 24 * 3600 * 1000;
/** A leaf this close to its notAfter is re-issued on a re-run (kubeadm warns at the same margin). */
export const RENEW_BEFORE_MS = 30 * DAY_MS;

/** What a re-run does with each pair: kept as it is, a certificate issued (new or renewed), or a new CA. */
export interface PkiAction {
  name: PkiName;
  action: 'kept' | 'issued' | 'generated';
  /** Why it was (re-)issued: "SANs changed (+10.0.0.11)", "expires 2026-02-01 (within 30 days)", … */
  reason?: string;
  /** The existing private key was kept (a renewal). */
  keptKey?: boolean;
}

export interface PkiPlanOptions {
  /** --rotate-ca: replace every CA (ca from --ca-cert-file if given) and re-issue every leaf. */
  rotateCa?: boolean;
  /** Where the existing PKI was read from, for messages ("/etc/karmada/pki" or "secret karmada-system/karmada-cert"). */
  source?: string;
}

const ROTATE_HINT = 'pass --rotate-ca to replace the CAs on purpose (every certificate and kubeconfig is then re-issued, and member clusters must be registered again)';

const keyType = (a: KeyAlgorithm) => (a === 'rsa-3072' ? 'rsa' : 'ec');
const shortDate = (d: string | number) => new Date(d).toISOString().slice(0, 10);

/** The SAN entries of a certificate in node's "DNS:x, IP Address:y" notation, as a set. */
function sanSet(c: X509Certificate): Set<string> {
  return new Set((c.subjectAltName ?? '').split(', ').filter(Boolean));
}

function parsePair(name: string, pair: { cert: string; key: string } | undefined, where: string): { cert?: X509Certificate; key?: KeyObject; problem?: string } {
  if (!pair || (!pair.cert && !pair.key)) return { problem: 'missing' };
  if (!pair.cert) return { problem: `${name}.crt is missing in ${where}` };
  if (!pair.key) return { problem: `${name}.key is missing in ${where}` };
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pair.cert);
  } catch {
    return { problem: `${name}.crt in ${where} is not a valid PEM certificate` };
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(pair.key);
  } catch {
    return { cert, problem: `${name}.key in ${where} is not a valid private key` };
  }
  if (!cert.checkPrivateKey(key)) return { cert, key, problem: `${name}.key in ${where} does not match ${name}.crt` };
  return { cert, key };
}

/**
 * The PKI of this run from the one found on disk (or in the cluster): every valid CA is kept; only
 * the leaves that need it are issued again, each with its reason, keeping its key when that key is
 * sound (a renewal). A CA that is present but unusable (damaged or missing key, key not matching,
 * expired, not a CA) stops init with the fix: restore it, or replace the CAs on purpose (rotateCa).
 */
export async function preparePki(existing: PkiBundle | undefined, o: PkiOptions, pool: KeyPool = startKeyGeneration(), po: PkiPlanOptions = {}): Promise<{ bundle: PkiBundle; actions: PkiAction[] }> {
  const now = o.now ?? new Date();
  const algorithm = pool.algorithm;
  const where = po.source ?? 'the existing PKI';
  const old = po.rotateCa ? undefined : existing;
  const out: PkiBundle = {};
  const actions: PkiAction[] = [];
  const issuers = new Map<PkiName, Issuer>();
  const caCerts = new Map<PkiName, X509Certificate>();
  const newCa = new Set<PkiName>();
  const all = specs(o);
  for (const s of all) {
    if (s.ca) {
      const userCa = s.name === 'ca' && o.caCertPem && o.caKeyPem;
      const found = parsePair(s.name, old?.[s.name], where);
      if (found.problem === 'missing') {
        // No such CA yet. With leaves of it present, the CA was lost: the control plane still trusts it.
        const orphan = all.find((l) => l.issuer === s.name && (old?.[l.name]?.cert || old?.[l.name]?.key));
        if (orphan && !userCa) throw new UserError(`${s.name}.crt and ${s.name}.key are missing in ${where}, but ${orphan.name}.crt signed by that CA is there: the running control plane still trusts the lost CA`, { hint: `restore ${s.name}.crt and ${s.name}.key from a backup, or ${ROTATE_HINT}` });
        if (userCa) {
          const pem = firstCertificate(o.caCertPem!);
          out.ca = { cert: pem, key: o.caKeyPem! };
          issuers.set('ca', issuerOf(pem, o.caKeyPem!));
          caCerts.set('ca', new X509Certificate(pem));
          actions.push({ name: 'ca', action: 'kept', reason: 'from --ca-cert-file' });
        } else {
          const keyPem = await pool.get(s.name);
          const r = issueCertificate(s, keyPem, now, new Date(now.getTime() + CA_VALIDITY_MS));
          out[s.name] = { cert: r.pem, key: keyPem };
          issuers.set(s.name, r.issuer(keyPem));
          caCerts.set(s.name, new X509Certificate(r.pem));
          actions.push({ name: s.name, action: 'generated', reason: po.rotateCa && existing?.[s.name] ? '--rotate-ca' : 'new' });
        }
        newCa.add(s.name);
        continue;
      }
      if (found.problem) throw new UserError(`${found.problem}: the CA cannot be used to issue certificates, and a new one would not be trusted by the running control plane`, { hint: `restore ${s.name}.crt and ${s.name}.key from a backup, or ${ROTATE_HINT}` });
      const c = found.cert!;
      if (!c.ca) throw new UserError(`${s.name}.crt in ${where} is not a CA certificate`, { hint: `restore ${s.name}.crt from a backup, or ${ROTATE_HINT}` });
      if (Date.parse(c.validTo) <= now.getTime()) throw new UserError(`${s.name}.crt in ${where} expired on ${shortDate(c.validTo)}`, { hint: `the CAs must be replaced: ${ROTATE_HINT}` });
      if (userCa && new X509Certificate(firstCertificate(o.caCertPem!)).fingerprint256 !== c.fingerprint256) {
        throw new UserError(`--ca-cert-file is not the CA in ${where} that the running control plane trusts`, { hint: `pass the same CA again, or ${ROTATE_HINT}` });
      }
      out[s.name] = old![s.name];
      issuers.set(s.name, issuerOf(old![s.name]!.cert, old![s.name]!.key));
      caCerts.set(s.name, c);
      actions.push({ name: s.name, action: 'kept' });
      continue;
    }
    // A leaf.
    const ca = caCerts.get(s.issuer!)!;
    const found = parsePair(s.name, old?.[s.name], where);
    let reason: string | undefined;
    let reuseKey: string | undefined;
    if (newCa.has(s.issuer!)) reason = found.problem === 'missing' ? undefined : `new ${s.issuer}`;
    else if (found.problem === 'missing') reason = 'missing';
    else if (found.problem) reason = found.problem.replace(` in ${where}`, '');
    else {
      const c = found.cert!;
      const keyOk = found.key!.asymmetricKeyType === keyType(algorithm);
      if (keyOk) reuseKey = old![s.name]!.key;
      const want = new Set([...(s.dns ?? []).map((d) => `DNS:${d}`), ...(s.ips ?? []).map((ip) => `IP Address:${ip}`)]);
      const have = sanSet(c);
      const added = [...want].filter((x) => !have.has(x));
      const removed = [...have].filter((x) => !want.has(x));
      const wantSubject = [...(s.orgs ?? []).map((org) => `O=${org}`), `CN=${s.cn}`].sort().join('\n');
      if (!c.verify(ca.publicKey) || c.issuer !== ca.subject) reason = `not signed by the current ${s.issuer}`;
      else if (!keyOk) reason = `key algorithm changed (${found.key!.asymmetricKeyType === 'rsa' ? 'rsa' : 'ecdsa'} → ${algorithm})`;
      else if (added.length || removed.length) reason = `SANs changed (${[...added.map((x) => `+${x.replace(/^(DNS|IP Address):/, '')}`), ...removed.map((x) => `-${x.replace(/^(DNS|IP Address):/, '')}`)].join(', ')})`;
      else if (c.subject.split('\n').sort().join('\n') !== wantSubject) reason = `subject changed (${c.subject.replace(/\n/g, ', ')})`;
      else if (Date.parse(c.validTo) - now.getTime() < RENEW_BEFORE_MS) reason = `expires ${shortDate(c.validTo)} (within 30 days)`;
    }
    if (!reason && !newCa.has(s.issuer!)) {
      out[s.name] = old![s.name];
      actions.push({ name: s.name, action: 'kept' });
      continue;
    }
    const keyPem = reuseKey ?? (await pool.get(s.name));
    const issuer = issuers.get(s.issuer!)!;
    const caEnd = Date.parse(ca.validTo);
    const notAfter = new Date(Math.min(now.getTime() + o.validityMs, caEnd));
    const r = issueCertificate(s, keyPem, issuer.notBefore.getTime() > now.getTime() ? now : issuer.notBefore, notAfter, issuer);
    out[s.name] = { cert: r.pem, key: keyPem };
    actions.push({ name: s.name, action: 'issued', reason: reason ?? 'new', keptKey: Boolean(reuseKey) });
  }
  return { bundle: out, actions };
}

function firstCertificate(pem: string): string {
  const m = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem);
  if (!m) throw new UserError('the --ca-cert-file does not contain a PEM certificate', { hint: 'pass a PEM-encoded CA certificate' });
  return m[0] + '\n';
}

/** Checks a user CA before anything else: readable, a CA, key matching. */
export async function loadUserCa(certFile: string, keyFile: string): Promise<{ certPem: string; keyPem: string }> {
  const read = async (f: string, flag: string) => {
    return readTextBounded(f, { limit: 1 << 20, what: flag, hint: `check the path given with ${flag}` });
  };
  const certPem = firstCertificate(await read(certFile, '--ca-cert-file'));
  const keyPem = await read(keyFile, '--ca-key-file');
  let x: X509Certificate;
  try {
    x = new X509Certificate(certPem);
  } catch (e) {
    throw new UserError(`--ca-cert-file ${certFile} is not a valid PEM certificate`, { hint: 'pass a PEM-encoded CA certificate' });
  }
  if (!x.ca) throw new UserError(`--ca-cert-file ${certFile} is not a CA certificate`, { hint: 'pass a certificate with basicConstraints CA:TRUE' });
  let key;
  try {
    key = createPrivateKey(keyPem);
  } catch (e) {
    throw new UserError(`--ca-key-file ${keyFile} is not a valid private key`, { hint: 'pass the PEM private key (PKCS#1, PKCS#8 or EC) of the CA' });
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

/** Largest certificate or key file read back from the PKI directory. */
const PKI_FILE_MAX = 1 << 20;

/**
 * The pairs found in `dir` (each file on its own: a missing one is '', one that is not a small regular
 * file is kept as unparsable text so that it is reported as damaged); undefined when there is none.
 */
export async function readPki(dir: string, names: readonly PkiName[] = PKI_NAMES): Promise<PkiBundle | undefined> {
  const out: PkiBundle = {};
  let any = false;
  const one = async (f: string): Promise<string> => {
    let st;
    try {
      st = await stat(f);
    } catch {
      return '';
    }
    any = true;
    if (!st.isFile() || st.size > PKI_FILE_MAX) return '(unreadable)';
    try {
      return await readTextBounded(f, { limit: PKI_FILE_MAX, what: 'the existing PKI file' });
    } catch (e) {
      const code = (e as FileReadError).errno;
      if (code === 'EACCES' || code === 'EPERM') throw new UserError((e as Error).message, { hint: 'run init as a user that can read --karmada-pki (the PKI of the running control plane is kept and must be read)' });
      return '(unreadable)';
    }
  };
  for (const n of names) {
    const cert = await one(path.join(dir, `${n}.crt`));
    const key = await one(path.join(dir, `${n}.key`));
    if (cert || key) out[n] = { cert, key };
  }
  return any ? out : undefined;
}

export function caBundleBase64(b: PkiBundle): string {
  return Buffer.from(b.ca!.cert).toString('base64');
}
