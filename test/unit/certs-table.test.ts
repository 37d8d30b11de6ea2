import { describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { issueCertificate, issuerOf } from '../../src/pki/x509';
import { buildReport, formatReport, kubeadmTime, shortHumanDuration, type CertSpec } from '../../src/certs/report';

const H = 3600_000;
const D = 24 * H;
const now = new Date('2026-06-01T12:00:00Z');
const key = () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'sec1', format: 'pem' }).toString();

function ca(cn: string, validMs = 3650 * D) {
  const k = key();
  const pem = issueCertificate({ cn, ca: true }, k, new Date(now.getTime() - D), new Date(now.getTime() + validMs)).pem;
  return { pem, issuer: issuerOf(pem, k) };
}
const leaf = (cn: string, issuer: ReturnType<typeof ca>['issuer'], validMs: number) => issueCertificate({ cn }, key(), new Date(now.getTime() - D), new Date(now.getTime() + validMs), issuer).pem;

describe('shortHumanDuration (apimachinery duration.ShortHumanDuration, kubeadm RESIDUAL TIME)', () => {
  it.each([
    [-2000, '<invalid>'],
    [-500, '0s'],
    [0, '0s'],
    [59_000, '59s'],
    [60_000, '1m'],
    [59 * 60_000, '59m'],
    [H, '1h'],
    [23 * H + 59 * 60_000, '23h'],
    [D, '1d'],
    [364 * D, '364d'],
    [365 * D, '1y'],
    [3649 * D, '9y'],
    [3650 * D, '10y'],
  ])('%d ms → %s', (ms, want) => expect(shortHumanDuration(ms)).toBe(want));
});

describe('kubeadmTime (Go layout "Jan 02, 2006 15:04 MST", UTC)', () => {
  it('formats like kubeadm', () => {
    expect(kubeadmTime(new Date('2024-04-09T09:17:45Z'))).toBe('Apr 09, 2024 09:17 UTC');
    expect(kubeadmTime(new Date('2029-11-03T14:13:00Z'))).toBe('Nov 03, 2029 14:13 UTC');
  });
});

describe('buildReport + formatReport', () => {
  const root = ca('karmada');
  const fp = ca('front-proxy-ca');

  it('a healthy PKI: no problems; kubeadm\'s two tables with our WHERE/COPIES/SIGNED columns', () => {
    const k = leaf('system:admin', root.issuer, 364 * D + H);
    const specs: CertSpec[] = [
      { name: 'ca', ca: true, keyPresent: true, copies: [{ where: 'file /p/ca.crt', pem: root.pem }, { where: 'secret ns/karmada-cert[ca.crt]', pem: root.pem }] },
      { name: 'karmada', ca: false, issuer: 'ca', copies: [{ where: 'file /p/karmada.crt', pem: k }, { where: 'secret ns/karmada-cert[karmada.crt]', pem: k }, { where: 'secret ns/karmada-webhook-cert[tls.crt]', pem: k }, { where: 'kubeconfig /d/karmada-apiserver.config client-certificate', pem: k }] },
      { name: 'front-proxy-ca', ca: true, keyPresent: false, copies: [{ where: 'file /p/front-proxy-ca.crt', pem: fp.pem }] },
      { name: 'etcd-ca', ca: true, copies: [] },
    ];
    const r = buildReport(specs, now);
    expect(r.problems).toEqual([]);
    expect(r.certificates.map((c) => c.name)).toEqual(['karmada']);
    expect(r.certificateAuthorities.map((c) => c.name)).toEqual(['ca', 'front-proxy-ca']); // no copy: not listed
    expect(r.certificates[0]).toMatchObject({ residual: '364d', certificateAuthority: 'ca', copiesAgree: true, signedByCa: true });
    expect(r.certificateAuthorities.map((c) => c.externallyManaged)).toEqual([false, true]);
    const [certs, cas] = formatReport(r).split('\n\n');
    const cl = certs.split('\n');
    const where = 'file,karmada-cert,karmada-webhook-cert,kubeconfig';
    expect(cl[0]).toBe(`CERTIFICATE   ${'WHERE'.padEnd(where.length)}   EXPIRES                  RESIDUAL TIME   CERTIFICATE AUTHORITY   COPIES AGREE   SIGNED BY CA`);
    expect(cl[1]).toBe(`karmada       ${where}   ${kubeadmTime(new Date(now.getTime() + 364 * D + H))}   364d            ca                      yes            yes`);
    const al = cas.trim().split('\n');
    expect(al[0]).toMatch(/^CERTIFICATE AUTHORITY   WHERE {15}EXPIRES {18}RESIDUAL TIME   COPIES AGREE   EXTERNALLY MANAGED$/);
    expect(al[1]).toMatch(/^ca {22}file,karmada-cert   \w{3} \d\d, \d{4} \d\d:\d\d UTC   10y {13}yes {12}no$/);
    expect(al[2]).toMatch(/^front-proxy-ca .* yes {12}yes$/);
  });

  it('the 30-day line: 29 days is a problem, 31 is not; expired shows <invalid>', () => {
    const specs = (ms: number): CertSpec[] => [
      { name: 'ca', ca: true, keyPresent: true, copies: [{ where: 'file ca', pem: root.pem }] },
      { name: 'apiserver', ca: false, issuer: 'ca', copies: [{ where: 'file apiserver', pem: leaf('karmada-apiserver', root.issuer, ms) }] },
    ];
    expect(buildReport(specs(31 * D), now).problems).toEqual([]);
    expect(buildReport(specs(29 * D), now).problems).toEqual([`apiserver expires in 29d (${kubeadmTime(new Date(now.getTime() + 29 * D))})`]);
    const expired = buildReport(specs(29 * D), new Date(now.getTime() + 30 * D));
    expect(expired.certificates[0].residual).toBe('<invalid>');
    expect(expired.problems[0]).toMatch(/^apiserver has expired/);
  });

  it('an expiring CA is a problem too', () => {
    const short = ca('karmada', 10 * D);
    expect(buildReport([{ name: 'ca', ca: true, keyPresent: true, copies: [{ where: 'file ca', pem: short.pem }] }], now).problems).toEqual([`ca expires in 10d (${kubeadmTime(new Date(now.getTime() + 10 * D))})`]);
  });

  it('copies that differ: a finding naming the differing places; expiry is the earliest copy\'s', () => {
    const a = leaf('front-proxy-client', fp.issuer, 300 * D);
    const b = leaf('front-proxy-client', fp.issuer, 200 * D);
    const r = buildReport([
      { name: 'front-proxy-ca', ca: true, keyPresent: true, copies: [{ where: 'file fpca', pem: fp.pem }] },
      { name: 'front-proxy-client', ca: false, issuer: 'front-proxy-ca', copies: [{ where: 'file fpc', pem: a }, { where: 'secret s[x]', pem: b }, { where: 'secret s[y]', pem: a }] },
    ], now);
    expect(r.certificates[0].copiesAgree).toBe(false);
    expect(r.certificates[0].residual).toBe('200d'); // b, not a (300d)
    expect(r.problems).toEqual(['front-proxy-client: copies differ: secret s[x] differ from file fpc']);
    expect(formatReport(r).split('\n')[1]).toMatch(/\sno\s+yes$/);
  });

  it('a leaf its CA did not sign: SIGNED BY CA no, a finding', () => {
    const r = buildReport([
      { name: 'ca', ca: true, keyPresent: true, copies: [{ where: 'file ca', pem: root.pem }] },
      { name: 'karmada', ca: false, issuer: 'ca', copies: [{ where: 'file karmada', pem: leaf('system:admin', fp.issuer, 365 * D) }] },
    ], now);
    expect(r.certificates[0].signedByCa).toBe(false);
    expect(r.problems).toEqual(['karmada: not signed by ca: file karmada']);
  });

  it('a leaf whose CA has no copy: signature not checked ("-"), no finding for it', () => {
    const r = buildReport([{ name: 'etcd-client', ca: false, issuer: 'etcd-ca', copies: [{ where: 'secret karmada-cert[etcd-client.crt]', pem: leaf('x', root.issuer, 365 * D) }] }], now);
    expect(r.certificates[0].signedByCa).toBeUndefined();
    expect(r.problems).toEqual([]);
    expect(formatReport(r).split('\n')[1]).toMatch(/\syes\s+-$/);
  });
});

describe('WHERE column', () => {
  it('kubeconfig secrets are counted, not listed; the local kubeconfig is "kubeconfig"', () => {
    const root = ca('karmada');
    const k = leaf('system:admin', root.issuer, 100 * D);
    const copies = ['a-config', 'b-config', 'c-config'].map((n) => ({ where: `secret ns/${n}[karmada.config] client-certificate`, pem: k }));
    const r = buildReport([
      { name: 'ca', ca: true, keyPresent: true, copies: [{ where: 'file /p/ca.crt', pem: root.pem }] },
      { name: 'karmada', ca: false, issuer: 'ca', copies: [{ where: 'file /p/karmada.crt', pem: k }, { where: 'secret ns/karmada-cert[karmada.crt]', pem: k }, ...copies, { where: 'kubeconfig /d/karmada-apiserver.config client-certificate', pem: k }] },
    ], now);
    expect(formatReport(r).split('\n')[1]).toMatch(/^karmada {7}file,karmada-cert,3 kubeconfig secrets,kubeconfig   /);
    expect(r.certificates[0].where).toHaveLength(6);
  });
});
