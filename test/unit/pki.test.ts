import { describe, expect, it, beforeAll } from 'vitest';
import { X509Certificate, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { generatePki, startKeyGeneration, karmadaSans, readPki, reusablePki, writePki, loadUserCa, type PkiBundle, type PkiOptions } from '../../src/install/pki';

const base: PkiOptions = { namespace: 'ks', hostClusterDomain: 'c.local', etcdReplicas: 3, externalEtcd: false, externalDNS: ['karmada.example.com'], externalIPs: ['192.168.1.2'], apiserverIPs: ['10.0.0.10'], validityMs: 30 * 86_400_000 * 12, now: new Date('2026-01-01T00:00:00Z') };
let b: PkiBundle;
const x = (n: keyof PkiBundle) => new X509Certificate(b[n]!.cert);
beforeAll(async () => {
  b = await generatePki(base);
});

const sanList = (c: X509Certificate) => (c.subjectAltName ?? '').split(', ');

describe('PKI', () => {
  it('generates the 8 pairs, each key matching its certificate, each leaf signed by its CA', () => {
    expect(Object.keys(b).sort()).toEqual(['apiserver', 'ca', 'etcd-ca', 'etcd-client', 'etcd-server', 'front-proxy-ca', 'front-proxy-client', 'karmada']);
    const issuer: Record<string, string> = { karmada: 'ca', apiserver: 'ca', 'front-proxy-client': 'front-proxy-ca', 'etcd-server': 'etcd-ca', 'etcd-client': 'etcd-ca' };
    for (const [n, pair] of Object.entries(b)) {
      const c = new X509Certificate(pair!.cert);
      expect(c.checkPrivateKey(createPrivateKey(pair!.key))).toBe(true);
      expect(pair!.key).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
      expect(createPrivateKey(pair!.key).asymmetricKeyDetails?.modulusLength).toBe(3072);
      if (issuer[n]) expect(c.verify(x(issuer[n] as keyof PkiBundle).publicKey)).toBe(true);
      else expect(c.ca).toBe(true);
    }
  });

  it('subjects, SANs and validity follow the reference, without empty or bogus entries', () => {
    expect(x('karmada').subject.split('\n').sort()).toEqual(['CN=system:admin', 'O=system:masters']);
    expect(x('apiserver').subject).toBe('CN=karmada-apiserver');
    expect(x('etcd-server').subject).toBe('CN=karmada-etcd-server');
    const want = karmadaSans(base);
    const sans = sanList(x('karmada'));
    for (const d of want.dns) expect(sans).toContain(`DNS:${d}`);
    for (const ip of ['192.168.1.2', '127.0.0.1', '10.0.0.10']) expect(sans).toContain(`IP Address:${ip}`);
    expect(sans).not.toContain('DNS:');
    expect(sanList(x('etcd-server'))).toEqual(expect.arrayContaining([0, 1, 2].map((i) => `DNS:etcd-${i}.etcd.ks.svc.c.local`)));
    expect(sanList(x('ca'))).toEqual(['DNS:karmada']);
    const caYears = (Date.parse(x('ca').validTo) - Date.parse(x('ca').validFrom)) / (365 * 86_400_000);
    expect(Math.round(caYears)).toBe(10);
    expect(Date.parse(x('karmada').validTo) - base.now!.getTime()).toBeCloseTo(base.validityMs, -4);
    expect(x('karmada').validFrom).toBe(x('ca').validFrom);
  });

  it.skipIf(!existsSync('/usr/bin/openssl'))('has the key usages of the reference (checked with openssl)', () => {
    const text = (n: keyof PkiBundle) => execFileSync('openssl', ['x509', '-noout', '-text'], { input: b[n]!.cert }).toString();
    expect(text('ca')).toMatch(/Digital Signature, Key Encipherment, Certificate Sign/);
    expect(text('ca')).toMatch(/CA:TRUE/);
    expect(text('karmada')).toMatch(/TLS Web Server Authentication, TLS Web Client Authentication/);
    expect(text('karmada')).toMatch(/CA:FALSE/);
    expect(text('karmada')).toMatch(/Authority Key Identifier/);
  });

  it('writes keys 0600, certificates 0644, and reads them back', async () => {
    const dir = path.join(await mkdtemp(path.join(os.tmpdir(), 'kc-pki-')), 'pki');
    await writePki(dir, b);
    expect((await stat(path.join(dir, 'ca.key'))).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(dir, 'ca.crt'))).mode & 0o777).toBe(0o644);
    expect(await readPki(dir)).toEqual(b);
  });

  it('reuse: accepted for the same inputs, refused when SANs or the CA change, or when incomplete', () => {
    expect(reusablePki(b, base)).toEqual({ reuse: true });
    expect(reusablePki(b, { ...base, apiserverIPs: ['10.0.0.11'] })).toMatchObject({ reuse: false, reason: expect.stringContaining('10.0.0.11') });
    expect(reusablePki(b, { ...base, etcdReplicas: 5 })).toMatchObject({ reuse: false });
    const { karmada: _k, ...partial } = b;
    expect(reusablePki(partial, base)).toMatchObject({ reuse: false, reason: 'karmada is missing' });
    expect(reusablePki(undefined, base).reuse).toBe(false);
  });

  it('rejects an invalid external IP instead of coercing it', () => {
    expect(() => karmadaSans({ ...base, externalIPs: ['not-an-ip'] })).toThrow(/not a valid IP/);
  });

  it('uses a user CA: checked, then used to sign the leaves', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kc-ca-'));
    await writeFile(path.join(dir, 'ca.crt'), b.ca!.cert);
    await writeFile(path.join(dir, 'ca.key'), b.ca!.key);
    const ca = await loadUserCa(path.join(dir, 'ca.crt'), path.join(dir, 'ca.key'));
    const own = await generatePki({ ...base, caCertPem: ca.certPem, caKeyPem: ca.keyPem });
    expect(new X509Certificate(own.karmada!.cert).verify(x('ca').publicKey)).toBe(true);
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    await writeFile(path.join(dir, 'other.key'), other);
    await expect(loadUserCa(path.join(dir, 'ca.crt'), path.join(dir, 'other.key'))).rejects.toThrow('--ca-key-file does not match --ca-cert-file');
    await expect(loadUserCa(path.join(dir, 'karmada.crt'), path.join(dir, 'ca.key'))).rejects.toMatchObject({ hint: expect.stringContaining('--ca-cert-file') });
  });

  it('--key-algorithm ecdsa-p256: P-256 keys, ECDSA-signed chain that openssl verifies, same SKI/AKI linkage; reuse refused across algorithms', async () => {
    const ec = await generatePki(base, startKeyGeneration(undefined, 'ecdsa-p256'));
    expect(Object.keys(ec)).toHaveLength(8);
    const issuer: Record<string, keyof PkiBundle> = { karmada: 'ca', apiserver: 'ca', 'front-proxy-client': 'front-proxy-ca', 'etcd-server': 'etcd-ca', 'etcd-client': 'etcd-ca' };
    for (const [n, pair] of Object.entries(ec)) {
      const key = createPrivateKey(pair!.key);
      expect(pair!.key).toMatch(/^-----BEGIN EC PRIVATE KEY-----/);
      expect(key.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
      const c = new X509Certificate(pair!.cert);
      expect(c.checkPrivateKey(key)).toBe(true);
      if (issuer[n]) expect(c.verify(new X509Certificate(ec[issuer[n]]!.cert).publicKey)).toBe(true);
    }
    expect(new X509Certificate(ec.karmada!.cert).subject.split('\n').sort()).toEqual(['CN=system:admin', 'O=system:masters']);
    if (existsSync('/usr/bin/openssl')) {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'pki-ec-'));
      await writeFile(path.join(dir, 'ca.crt'), ec.ca!.cert);
      await writeFile(path.join(dir, 'leaf.crt'), ec.apiserver!.cert);
      expect(execFileSync('openssl', ['verify', '-CAfile', path.join(dir, 'ca.crt'), path.join(dir, 'leaf.crt')]).toString()).toContain(': OK');
      const text = execFileSync('openssl', ['x509', '-noout', '-text'], { input: ec.apiserver!.cert }).toString();
      expect(text).toContain('Signature Algorithm: ecdsa-with-SHA256');
      const ski = /Subject Key Identifier:\s*\n\s*([0-9A-F:]+)/.exec(execFileSync('openssl', ['x509', '-noout', '-text'], { input: ec.ca!.cert }).toString())![1];
      expect(text).toMatch(new RegExp(`Authority Key Identifier:\\s*\\n\\s*(keyid:)?${ski}`));
    }
    expect(reusablePki(ec, base, 'ecdsa-p256')).toEqual({ reuse: true });
    expect(reusablePki(ec, base, 'rsa-3072').reuse).toBe(false);
    expect(reusablePki(b, base, 'ecdsa-p256').reason).toMatch(/not ecdsa-p256/);
  });
});
