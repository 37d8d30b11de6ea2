/**
 * X.509 certificates and PKCS#10 requests for any key type node:crypto handles (RSA, ECDSA P-256):
 * node-forge's ASN.1 model builds the structures; node:crypto does every key operation (native,
 * fast). forge's own certificate layer only knows RSA keys, so it is used for its extension encoders
 * and the SubjectPublicKeyInfo and signature algorithm are set from the real keys.
 */
import { createPrivateKey, createPublicKey, randomBytes, sign, verify, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';

const { asn1 } = forge;
type Asn1 = forge.asn1.Asn1;
const der = (a: Asn1) => Buffer.from(asn1.toDer(a).getBytes(), 'binary');
const fromDer = (b: Buffer) => asn1.fromDer(b.toString('binary'));
/** The raw contents of a BIT STRING (forge decodes contents that look like DER unless told not to). */
const bitString = (a: Asn1): string => (a as Asn1 & { bitStringContents?: string }).bitStringContents ?? (a.value as string);
const seq = (parts: Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, parts);
const oid = (o: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(o).getBytes());
const bits = (b: Buffer) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, '\x00' + b.toString('binary'));
const octets = (b: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, b);

export interface CertRequest {
  cn: string;
  orgs?: string[];
  dns?: string[];
  ips?: string[];
  ca?: boolean;
  /** Extended key usages of a leaf (default both). */
  server?: boolean;
  client?: boolean;
}

/** An issuing CA: its subject as encoded, its key, its key identifier and start of validity. */
export interface Issuer {
  subject: Asn1;
  keyPem: string;
  ski: string;
  notBefore: Date;
}

const toPublicKey = (k: KeyObject | string): KeyObject => (typeof k === 'string' ? createPublicKey(k) : k.type === 'private' ? createPublicKey(k) : k);

/** SHA-1 over the subjectPublicKey bits (RFC 5280 §4.2.1.2 method 1, what Go and forge compute). */
function keyIdentifier(spki: Asn1): string {
  const b = bitString((spki.value as Asn1[])[1]);
  return forge.md.sha1.create().update(b.slice(1)).digest().getBytes();
}

function signatureAlgorithm(keyPem: string): Asn1 {
  return createPrivateKey(keyPem).asymmetricKeyType === 'ec'
    ? seq([oid('1.2.840.10045.4.3.2')]) // ecdsa-with-SHA256, no parameters
    : seq([oid(forge.pki.oids.sha256WithRSAEncryption), asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '')]);
}

function toPem(label: string, d: Buffer): string {
  return `-----BEGIN ${label}-----\n${d.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END ${label}-----\n`;
}

const serial = () => {
  const b = randomBytes(8);
  b[0] &= 0x7f;
  if (b.every((x) => x === 0)) b[7] = 1;
  return b.toString('hex');
};

// forge encodes only RSA public keys; a placeholder stands in and the real SubjectPublicKeyInfo replaces it.
let placeholder: forge.pki.PublicKey | undefined;
const placeholderKey = () => (placeholder ??= forge.pki.setRsaPublicKey(new forge.jsbn.BigInteger('3'), new forge.jsbn.BigInteger('65537')));

const subjectFields = (r: { cn: string; orgs?: string[] }): forge.pki.CertificateField[] => [...(r.orgs ?? []).map((o) => ({ name: 'organizationName', value: o })), { name: 'commonName', value: r.cn }];

/**
 * Issues a certificate for `subjectKey` (a public or private key). Self-signed when no issuer is given,
 * in which case `subjectKey` must be the private key PEM.
 */
export function issueCertificate(r: CertRequest, subjectKey: KeyObject | string, notBefore: Date, notAfter: Date, issuer?: Issuer): { pem: string; issuer: (keyPem: string) => Issuer } {
  const spki = fromDer(toPublicKey(subjectKey).export({ type: 'spki', format: 'der' }));
  const ski = keyIdentifier(spki);
  const cert = forge.pki.createCertificate();
  cert.publicKey = placeholderKey();
  cert.serialNumber = serial();
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  const subject = subjectFields(r);
  cert.setSubject(subject);
  cert.setIssuer(subject);
  const ext: object[] = [];
  if (r.ca) {
    ext.push({ name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true, keyCertSign: true });
    ext.push({ name: 'basicConstraints', critical: true, cA: true });
    ext.push({ name: 'subjectKeyIdentifier', value: octets(ski) });
    ext.push({ name: 'subjectAltName', altNames: [{ type: 2, value: r.cn }] });
  } else {
    ext.push({ name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true });
    const both = r.server === undefined && r.client === undefined;
    ext.push({ name: 'extKeyUsage', serverAuth: both || Boolean(r.server), clientAuth: both || Boolean(r.client) });
    ext.push({ name: 'basicConstraints', critical: true, cA: false });
    if (issuer) ext.push({ name: 'authorityKeyIdentifier', value: seq([asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, false, issuer.ski)]) });
    const alt = [...(r.dns ?? []).map((v) => ({ type: 2, value: v })), ...(r.ips ?? []).map((ip) => ({ type: 7, ip }))];
    if (alt.length) ext.push({ name: 'subjectAltName', altNames: alt });
  }
  cert.setExtensions(ext);
  cert.siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption; // replaced below
  const signer = issuer?.keyPem ?? (typeof subjectKey === 'string' ? subjectKey : '');
  if (!signer) throw new Error('a self-signed certificate needs its private key PEM');
  // TBSCertificate: version, serial, signature, issuer, validity, subject, subjectPublicKeyInfo, extensions
  const tbs = (forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): Asn1 }).getTBSCertificate(cert);
  const fields = tbs.value as Asn1[];
  const ownSubject = fields[5];
  fields[2] = signatureAlgorithm(signer);
  if (issuer) fields[3] = issuer.subject;
  fields[6] = spki;
  const signature = sign('sha256', der(tbs), signer);
  const pem = toPem('CERTIFICATE', der(seq([tbs, signatureAlgorithm(signer), bits(signature)])));
  return { pem, issuer: (keyPem) => ({ subject: ownSubject, keyPem, ski, notBefore }) };
}

/** Reads what signing needs from an existing CA certificate of any key type. */
export function issuerOf(certPem: string, keyPem: string): Issuer {
  const x = new X509Certificate(certPem);
  const tbs = (fromDer(x.raw).value as Asn1[])[0].value as Asn1[];
  const off = tbs[0].tagClass === asn1.Class.CONTEXT_SPECIFIC ? 0 : -1;
  return { subject: tbs[5 + off], keyPem, ski: keyIdentifier(tbs[6 + off]), notBefore: new Date(x.validFrom) };
}

/** A PKCS#10 CertificationRequest (no attributes) for the key, as PEM. */
export function createCsr(keyPem: string, subject: { cn: string; orgs?: string[] }): string {
  const spki = fromDer(createPublicKey(keyPem).export({ type: 'spki', format: 'der' }));
  const name = (forge.pki as unknown as { distinguishedNameToAsn1(d: { attributes: unknown[] }): Asn1 }).distinguishedNameToAsn1({
    attributes: subjectFields(subject).map((f) => ({ ...f, type: forge.pki.oids[f.name!], valueTagClass: asn1.Type.UTF8 })),
  });
  const info = seq([asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, '\x00'), name, spki, asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [])]);
  const signature = sign('sha256', der(info), keyPem);
  return toPem('CERTIFICATE REQUEST', der(seq([info, signatureAlgorithm(keyPem), bits(signature)])));
}

/** Parses a PKCS#10 request of any key type and checks its self-signature. */
export function parseCsr(pem: string): { cn: string; orgs: string[]; publicKey: KeyObject; signatureValid: boolean } {
  const m = /-----BEGIN (?:NEW )?CERTIFICATE REQUEST-----([\s\S]+?)-----END (?:NEW )?CERTIFICATE REQUEST-----/.exec(pem);
  if (!m) throw new Error('not a PEM certificate request');
  const [info, , sig] = fromDer(Buffer.from(m[1].replace(/\s+/g, ''), 'base64')).value as Asn1[];
  const [, name, spki] = info.value as Asn1[];
  const publicKey = createPublicKey({ key: der(spki), format: 'der', type: 'spki' });
  const attrs: { type: string; value: string }[] = [];
  for (const set of name.value as Asn1[]) {
    for (const atv of set.value as Asn1[]) {
      const [t, v] = atv.value as Asn1[];
      attrs.push({ type: asn1.derToOid(forge.util.createBuffer(t.value as string)), value: forge.util.decodeUtf8(v.value as string) });
    }
  }
  const signature = Buffer.from(bitString(sig).slice(1), 'binary');
  const signatureValid = verify('sha256', der(info), publicKey, signature);
  return {
    cn: attrs.find((a) => a.type === forge.pki.oids.commonName)?.value ?? '',
    orgs: attrs.filter((a) => a.type === forge.pki.oids.organizationName).map((a) => a.value),
    publicKey,
    signatureValid,
  };
}

/** Every certificate of a PEM bundle. */
export function pemCertificates(bundle: string): string[] {
  return bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)?.map((c) => `${c}\n`) ?? [];
}

/**
 * kubeadm's CA pin, `sha256:<hex>`: SHA-256 over the SubjectPublicKeyInfo bytes exactly as they stand
 * in the certificate (not a re-export of the parsed key).
 */
export function spkiPin(certPem: string): string {
  const raw = new X509Certificate(certPem).raw;
  const cert = asn1.fromDer(raw.toString('binary'), { decodeBitStrings: false } as never);
  const tbs = (cert.value as Asn1[])[0].value as Asn1[];
  const off = tbs[0].tagClass === asn1.Class.CONTEXT_SPECIFIC ? 0 : -1;
  const spki = der(tbs[6 + off]);
  return `sha256:${forge.md.sha256.create().update(spki.toString('binary')).digest().toHex()}`;
}
