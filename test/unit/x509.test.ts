import { describe, expect, it } from 'vitest';
import { createHash, createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import forge from 'node-forge';
import { createCsr, issueCertificate, issuerOf, parseCsr } from '../../src/pki/x509';

const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const ec = () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'sec1', format: 'pem' }).toString();
const openssl = existsSync('/usr/bin/openssl');

describe('x509', () => {
  for (const [label, gen] of [['RSA', rsa], ['ECDSA P-256', ec]] as const) {
    it(`${label}: a CSR round-trips through parseCsr, verifies with openssl, and is signed into a certificate by a CA of the other type`, () => {
      const key = gen();
      const pem = createCsr(key, { cn: 'system:node:member2', orgs: ['system:nodes'] });
      const parsed = parseCsr(pem);
      expect(parsed).toMatchObject({ cn: 'system:node:member2', orgs: ['system:nodes'], signatureValid: true });
      if (openssl) expect(execFileSync('openssl', ['req', '-noout', '-verify', '-subject'], { input: pem, stdio: ['pipe', 'pipe', 'pipe'] }).toString()).toMatch(/CN\s*=\s*system:node:member2/);
      const caKey = gen === rsa ? ec() : rsa();
      const now = new Date();
      const ca = issueCertificate({ cn: 'test-ca', ca: true }, caKey, now, new Date(now.getTime() + 86_400_000));
      const leaf = issueCertificate({ cn: parsed.cn, orgs: parsed.orgs, client: true }, parsed.publicKey, now, new Date(now.getTime() + 3_600_000), issuerOf(ca.pem, caKey));
      const x = new X509Certificate(leaf.pem);
      expect(x.verify(new X509Certificate(ca.pem).publicKey)).toBe(true);
      expect(x.checkPrivateKey(createPrivateKey(key))).toBe(true);
      expect(x.issuer).toBe('CN=test-ca');
      expect(x.subject.split('\n').sort()).toEqual(['CN=system:node:member2', 'O=system:nodes']);
    });
  }

  it('reads CSRs made by another implementation (forge) and rejects a tampered signature', () => {
    const keys = forge.pki.rsa.generateKeyPair({ bits: 1024, e: 0x10001 });
    const csr = forge.pki.createCertificationRequest();
    csr.publicKey = keys.publicKey;
    csr.setSubject([{ name: 'commonName', value: 'someone' }, { name: 'organizationName', value: 'group-a' }]);
    csr.sign(keys.privateKey, forge.md.sha256.create());
    const pem = forge.pki.certificationRequestToPem(csr);
    expect(parseCsr(pem)).toMatchObject({ cn: 'someone', orgs: ['group-a'], signatureValid: true });
    const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
    der[der.length - 5] ^= 0xff;
    const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    expect(parseCsr(tampered).signatureValid).toBe(false);
    expect(() => parseCsr('nothing')).toThrow('not a PEM certificate request');
  });
});

describe('key identifiers', () => {
  it('SKI of a CA and AKI of its leaf equal what openssl computes from the public key', () => {
    if (!openssl) return expect(openssl).toBe(false);
    for (const key of [rsa(), ec()]) {
      const now = new Date();
      const ca = issueCertificate({ cn: 'ca', ca: true }, key, now, new Date(now.getTime() + 86_400_000));
      const text = execFileSync('openssl', ['x509', '-noout', '-ext', 'subjectKeyIdentifier'], { input: ca.pem }).toString();
      const pub = execFileSync('openssl', ['pkey', '-pubout', '-outform', 'DER'], { input: key });
      // RFC 5280 method 1: SHA-1 of the subjectPublicKey BIT STRING contents (the tail of the SPKI)
      const spki = forge.asn1.fromDer(pub.toString('binary'), { decodeBitStrings: false } as never);
      const bits = Buffer.from(((spki.value as forge.asn1.Asn1[])[1].value as string).slice(1), 'binary');
      const want = createHash('sha1').update(bits).digest('hex').toUpperCase().match(/../g)!.join(':');
      expect(text).toContain(want);
    }
  });
});
