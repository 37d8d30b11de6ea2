import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import forge from 'node-forge';

export interface KeyPair {
  certPem: string;
  keyPem: string;
}

export interface CertOptions {
  cn: string;
  orgs?: string[];
  dns?: string[];
  ips?: string[];
  isCA?: boolean;
  server?: boolean;
  client?: boolean;
  /** Validity in seconds (default one day). */
  validitySeconds?: number;
  notBefore?: Date;
}

/** RSA-2048 keys from node:crypto (fast, native); certificates built and signed with node-forge. */
export function newKey(): { keyPem: string; forgeKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  const forgeKey = forge.pki.privateKeyFromPem(privateKey);
  return { keyPem: privateKey, forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e) };
}

export function issue(o: CertOptions, publicKey: forge.pki.PublicKey, issuer?: { cert: forge.pki.Certificate; key: forge.pki.PrivateKey }, selfKey?: forge.pki.PrivateKey): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = '01' + randomBytes(8).toString('hex');
  const nb = o.notBefore ?? new Date(Date.now() - 60_000);
  cert.validity.notBefore = nb;
  cert.validity.notAfter = new Date(nb.getTime() + (o.validitySeconds ?? 86_400) * 1000);
  const subject: forge.pki.CertificateField[] = [{ name: 'commonName', value: o.cn }];
  for (const org of o.orgs ?? []) subject.push({ name: 'organizationName', value: org });
  cert.setSubject(subject);
  cert.setIssuer(issuer ? issuer.cert.subject.attributes : subject);
  const ext: object[] = [{ name: 'basicConstraints', cA: Boolean(o.isCA), critical: true }];
  ext.push(o.isCA ? { name: 'keyUsage', keyCertSign: true, digitalSignature: true, keyEncipherment: true, critical: true } : { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true });
  if (!o.isCA) ext.push({ name: 'extKeyUsage', serverAuth: Boolean(o.server), clientAuth: Boolean(o.client) });
  const alt = [...(o.dns ?? []).map((v) => ({ type: 2, value: v })), ...(o.ips ?? []).map((ip) => ({ type: 7, ip }))];
  if (alt.length) ext.push({ name: 'subjectAltName', altNames: alt });
  cert.setExtensions(ext);
  cert.sign((issuer?.key ?? selfKey)! as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return cert;
}

export interface Authority {
  caPem: string;
  caKeyPem: string;
  /** Signs a leaf for a public key given as PEM (PKCS#1/SPKI) or forge key. */
  sign(o: CertOptions, publicKey: forge.pki.PublicKey): string;
  leaf(o: CertOptions): KeyPair;
}

export function authorityFrom(caPem: string, caKeyPem: string): Authority {
  const cert = forge.pki.certificateFromPem(caPem);
  const key = forge.pki.privateKeyFromPem(caKeyPem);
  const sign = (o: CertOptions, publicKey: forge.pki.PublicKey) => forge.pki.certificateToPem(issue(o, publicKey, { cert, key }));
  return {
    caPem,
    caKeyPem,
    sign,
    leaf(o) {
      const k = newKey();
      return { certPem: sign(o, k.publicKey), keyPem: k.keyPem };
    },
  };
}

export function newAuthority(cn = 'test-apiserver-ca'): Authority {
  const k = newKey();
  const cert = issue({ cn, isCA: true, validitySeconds: 10 * 86_400 }, k.publicKey, undefined, k.forgeKey);
  return authorityFrom(forge.pki.certificateToPem(cert), k.keyPem);
}

/** Identity (CN and O) of a PEM certificate. */
export function identityOf(certPem: string): { user: string; groups: string[] } {
  const x = new X509Certificate(certPem);
  const fields = x.subject.split('\n');
  const user = fields.find((f) => f.startsWith('CN='))?.slice(3) ?? '';
  const groups = fields.filter((f) => f.startsWith('O=')).map((f) => f.slice(2));
  return { user, groups };
}

let cached: { ca: Authority; serving: KeyPair; admin: KeyPair } | undefined;

/** One CA, serving certificate and admin certificate per test process: server start-up stays fast. */
export function defaultCerts(): { ca: Authority; serving: KeyPair; admin: KeyPair } {
  if (!cached) {
    const ca = newAuthority();
    cached = {
      ca,
      serving: ca.leaf({ cn: 'kube-apiserver', dns: ['localhost', 'kubernetes', 'kubernetes.default'], ips: ['127.0.0.1'], server: true }),
      admin: ca.leaf({ cn: 'kubernetes-admin', orgs: ['system:masters'], client: true }),
    };
  }
  return cached;
}
