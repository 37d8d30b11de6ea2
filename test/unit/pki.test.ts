import { describe, expect, it, beforeAll } from 'vitest';
import { X509Certificate, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { generatePki, preparePki, startKeyGeneration, karmadaSans, readPki, writePki, loadUserCa, type PkiBundle, type PkiOptions } from '../../src/install/pki';

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
  });
});

const CAS = ['ca', 'front-proxy-ca', 'etcd-ca'] as const;
const LEAVES = ['karmada', 'apiserver', 'front-proxy-client', 'etcd-server', 'etcd-client'] as const;
const rsaPool = () => startKeyGeneration(undefined, 'rsa-3072', { lazy: true });
const rerun = (o: Partial<PkiOptions>, existing: PkiBundle | undefined = b, pool = rsaPool(), rotateCa = false) => preparePki(existing, { ...base, ...o }, pool, { rotateCa, source: '/etc/karmada/pki' });
const issued = (actions: { name: string; action: string }[]) => actions.filter((a) => a.action !== 'kept').map((a) => a.name).sort();
const signedBy = (leaf: string, ca: string) => new X509Certificate(leaf).verify(new X509Certificate(ca).publicKey);

describe('PKI on a re-run: valid CAs are kept, only the leaves that need it are re-issued', () => {
  it('same inputs: everything kept, byte for byte', async () => {
    const r = await rerun({});
    expect(issued(r.actions)).toEqual([]);
    expect(r.bundle).toEqual(b);
  });

  it('a changed --cert-external-ip: the three CAs unchanged, karmada and apiserver re-issued with the new SAN and their keys kept', async () => {
    const r = await rerun({ externalIPs: ['192.168.1.2', '10.0.0.11'] });
    for (const n of CAS) expect(r.bundle[n]).toEqual(b[n]);
    expect(issued(r.actions)).toEqual(['apiserver', 'karmada']);
    expect(r.actions.find((a) => a.name === 'karmada')).toMatchObject({ action: 'issued', reason: 'SANs changed (+10.0.0.11)', keptKey: true });
    expect(sanList(new X509Certificate(r.bundle.karmada!.cert))).toContain('IP Address:10.0.0.11');
    expect(r.bundle.karmada!.key).toBe(b.karmada!.key);
    expect(signedBy(r.bundle.karmada!.cert, b.ca!.cert)).toBe(true);
    for (const n of ['front-proxy-client', 'etcd-server', 'etcd-client'] as const) expect(r.bundle[n]).toEqual(b[n]);
  });

  it('a changed advertise address names what was added and removed', async () => {
    const r = await rerun({ apiserverIPs: ['10.0.0.11'] });
    expect(r.actions.find((a) => a.name === 'apiserver')!.reason).toBe('SANs changed (+10.0.0.11, -10.0.0.10)');
    for (const n of CAS) expect(r.bundle[n]).toEqual(b[n]);
  });

  it('a changed --etcd-replicas re-issues etcd-server only', async () => {
    const r = await rerun({ etcdReplicas: 5 });
    expect(issued(r.actions)).toEqual(['etcd-server']);
    expect(r.actions.find((a) => a.name === 'etcd-server')!.reason).toMatch(/^SANs changed \(\+etcd-3\.etcd\.ks\.svc\.c\.local, \+etcd-4/);
    expect(signedBy(r.bundle['etcd-server']!.cert, b['etcd-ca']!.cert)).toBe(true);
    for (const n of CAS) expect(r.bundle[n]).toEqual(b[n]);
  });

  it('leaves within 30 days of expiry are renewed; the CAs (10 years) are kept', async () => {
    const later = new Date(Date.parse(x('karmada').validTo) - 10 * 86_400_000);
    const r = await rerun({ now: later });
    expect(issued(r.actions)).toEqual([...LEAVES].sort());
    expect(r.actions.find((a) => a.name === 'karmada')!.reason).toMatch(/^expires \d{4}-\d\d-\d\d \(within 30 days\)$/);
    for (const n of CAS) expect(r.bundle[n]).toEqual(b[n]);
    expect(Date.parse(new X509Certificate(r.bundle.karmada!.cert).validTo)).toBeGreaterThan(Date.parse(x('karmada').validTo));
  });

  it('a changed --key-algorithm re-issues the leaves with new keys under the kept RSA CAs', async () => {
    const r = await rerun({}, b, startKeyGeneration(undefined, 'ecdsa-p256', { lazy: true }));
    for (const n of CAS) expect(r.bundle[n]).toEqual(b[n]);
    expect(issued(r.actions)).toEqual([...LEAVES].sort());
    expect(r.actions.find((a) => a.name === 'apiserver')!.reason).toBe('key algorithm changed (rsa → ecdsa-p256)');
    expect(r.bundle.apiserver!.key).toMatch(/^-----BEGIN EC PRIVATE KEY-----/);
    expect(signedBy(r.bundle.apiserver!.cert, b.ca!.cert)).toBe(true);
    expect(signedBy(r.bundle['etcd-client']!.cert, b['etcd-ca']!.cert)).toBe(true);
  });

  it('a damaged, missing or foreign ca.key stops with the fix, and blames the key, not the certificate', async () => {
    const damaged = { ...b, ca: { cert: b.ca!.cert, key: '-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n' } };
    const err = await rerun({}, damaged).catch((e) => e);
    expect(err.message).toBe('ca.key in /etc/karmada/pki is not a valid private key: the CA cannot be used to issue certificates, and a new one would not be trusted by the running control plane');
    expect(err.hint).toMatch(/^restore ca\.crt and ca\.key from a backup, or pass --rotate-ca/);
    expect(err.message).not.toContain('not a valid certificate');
    await expect(rerun({}, { ...b, 'etcd-ca': { cert: b['etcd-ca']!.cert, key: '' } })).rejects.toThrow('etcd-ca.key is missing in /etc/karmada/pki');
    await expect(rerun({}, { ...b, 'front-proxy-ca': { cert: b['front-proxy-ca']!.cert, key: b.ca!.key } })).rejects.toThrow('front-proxy-ca.key in /etc/karmada/pki does not match front-proxy-ca.crt');
  });

  it('a lost CA whose leaves are still there stops; an expired CA stops', async () => {
    const { ca: _ca, ...noCa } = b;
    await expect(rerun({}, noCa)).rejects.toThrow(/ca\.crt and ca\.key are missing in \/etc\/karmada\/pki, but karmada\.crt signed by that CA is there/);
    const expired = await rerun({ now: new Date(Date.parse(x('ca').validTo) + 86_400_000) }).catch((e) => e);
    expect(expired.message).toMatch(/^ca\.crt in \/etc\/karmada\/pki expired on \d{4}-/);
    expect(expired.hint).toContain('--rotate-ca');
  });

  it('a missing leaf is issued again under the kept CA; a leaf from another CA is replaced', async () => {
    const other = await generatePki(base);
    const { 'front-proxy-client': _f, ...partial } = b;
    const r = await rerun({}, { ...partial, karmada: other.karmada });
    expect(issued(r.actions)).toEqual(['front-proxy-client', 'karmada']);
    expect(r.actions.find((a) => a.name === 'karmada')!.reason).toBe('not signed by the current ca');
    expect(signedBy(r.bundle.karmada!.cert, b.ca!.cert)).toBe(true);
    expect(signedBy(r.bundle['front-proxy-client']!.cert, b['front-proxy-ca']!.cert)).toBe(true);
  });

  it('a --ca-cert-file other than the CA in use is refused unless --rotate-ca', async () => {
    const other = await generatePki(base);
    await expect(rerun({ caCertPem: other.ca!.cert, caKeyPem: other.ca!.key })).rejects.toThrow('--ca-cert-file is not the CA in /etc/karmada/pki that the running control plane trusts');
    const same = await rerun({ caCertPem: b.ca!.cert, caKeyPem: b.ca!.key });
    expect(issued(same.actions)).toEqual([]);
    const rotated = await rerun({ caCertPem: other.ca!.cert, caKeyPem: other.ca!.key }, b, rsaPool(), true);
    expect(rotated.bundle.ca!.cert).toBe(other.ca!.cert);
    expect(signedBy(rotated.bundle.karmada!.cert, other.ca!.cert)).toBe(true);
  });

  it('--rotate-ca: three new CAs and every leaf issued again under them', async () => {
    const r = await rerun({}, b, rsaPool(), true);
    expect(r.actions.every((a) => a.action !== 'kept')).toBe(true);
    for (const n of CAS) expect(r.bundle[n]!.cert).not.toBe(b[n]!.cert);
    const issuer = { karmada: 'ca', apiserver: 'ca', 'front-proxy-client': 'front-proxy-ca', 'etcd-server': 'etcd-ca', 'etcd-client': 'etcd-ca' } as const;
    for (const l of LEAVES) {
      expect(signedBy(r.bundle[l]!.cert, r.bundle[issuer[l]]!.cert)).toBe(true);
      expect(signedBy(r.bundle[l]!.cert, b[issuer[l]]!.cert)).toBe(false);
    }
    // A damaged CA is replaced by rotation too.
    const damaged = { ...b, ca: { cert: b.ca!.cert, key: 'garbage' } };
    expect((await rerun({}, damaged, rsaPool(), true)).bundle.ca!.cert).not.toBe(b.ca!.cert);
  });

  it('reads a partial PKI directory file by file; a directory in place of a file is reported as damaged', async () => {
    const dir = path.join(await mkdtemp(path.join(os.tmpdir(), 'kc-pki-')), 'pki');
    await writePki(dir, b);
    const { rm, mkdir } = await import('node:fs/promises');
    await rm(path.join(dir, 'ca.key'));
    await mkdir(path.join(dir, 'ca.key'));
    const back = await readPki(dir);
    expect(back!.karmada).toEqual(b.karmada);
    await expect(rerun({}, back)).rejects.toThrow('ca.key in /etc/karmada/pki is not a valid private key');
    expect(await readPki(path.join(dir, 'nope'))).toBeUndefined();
  });

  it('a leaf never outlives its CA: notAfter is capped at the CA\'s', async () => {
    const r = await rerun({ validityMs: 20 * 365 * 86_400_000, externalIPs: ['10.9.9.9'] });
    const leaf = new X509Certificate(r.bundle.karmada!.cert);
    expect(leaf.validTo).toBe(new X509Certificate(b.ca!.cert).validTo);
  });
});
