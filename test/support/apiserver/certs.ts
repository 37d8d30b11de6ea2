import { generateKeyPairSync, X509Certificate, type KeyObject } from 'node:crypto';
import { issueCertificate, issuerOf } from '../../../src/pki/x509';

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

/** RSA-2048 keys from node:crypto (fast, native); certificates built by the product's x509 module. */
export function newKey(): { keyPem: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  return { keyPem: privateKey };
}

const validity = (o: CertOptions) => {
  const nb = o.notBefore ?? new Date(Date.now() - 60_000);
  return [nb, new Date(nb.getTime() + (o.validitySeconds ?? 86_400) * 1000)] as const;
};

export interface Authority {
  caPem: string;
  caKeyPem: string;
  /** Signs a leaf for a public key (KeyObject, or PEM of a public or private key); any key type. */
  sign(o: CertOptions, publicKey: KeyObject | string): string;
  leaf(o: CertOptions): KeyPair;
}

export function authorityFrom(caPem: string, caKeyPem: string): Authority {
  const issuer = issuerOf(caPem, caKeyPem);
  const sign = (o: CertOptions, publicKey: KeyObject | string) => {
    const [nb, na] = validity(o);
    return issueCertificate({ cn: o.cn, orgs: o.orgs, dns: o.dns, ips: o.ips, ca: o.isCA, server: Boolean(o.server), client: Boolean(o.client) }, publicKey, nb, na, issuer).pem;
  };
  return {
    caPem,
    caKeyPem,
    sign,
    leaf(o) {
      const k = newKey();
      return { certPem: sign(o, k.keyPem), keyPem: k.keyPem };
    },
  };
}

export function newAuthority(cn = 'test-apiserver-ca'): Authority {
  const k = newKey();
  const [nb, na] = validity({ cn, validitySeconds: 10 * 86_400 });
  return authorityFrom(issueCertificate({ cn, ca: true }, k.keyPem, nb, na).pem, k.keyPem);
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
