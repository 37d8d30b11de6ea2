import { describe, expect, it } from 'vitest';
import * as V from '../../src/util/validate';

const msg = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return '';
};

describe('validators', () => {
  it('echo: shortened, control characters escaped, one line', () => {
    expect(V.shown('ab')).toBe('"ab"');
    expect(V.shown('a\u001b[2Jb\nc\u0085\u202e')).toBe('"a\\x1b[2Jb\\nc\\x85\\u202e"');
    expect(V.shown('x'.repeat(1000))).toBe(`"${'x'.repeat(60)}…" (1000 characters)`);
  });

  it('DNS-1123 labels and subdomains', () => {
    for (const ok of ['karmada-system', 'a', '0', 'a'.repeat(63)]) expect(V.dns1123Label('namespace', ok)).toBe(ok);
    for (const bad of ['', 'A', '-a', 'a-', 'a_b', 'a.b', 'a'.repeat(64), 'a b']) expect(msg(() => V.dns1123Label('namespace', bad))).toMatch(/^invalid argument ".*(" \(\d+ characters\))? for "--namespace" flag: must be a lowercase RFC 1123 label/);
    for (const ok of ['system-node-critical', 'a.b.c', 'x'.repeat(63) + '.y']) expect(V.dns1123Subdomain('s', ok)).toBe(ok);
    for (const bad of ['', 'a..b', '.a', 'a.', 'A.b', 'x'.repeat(64) + '.y', 'a'.repeat(254)]) expect(msg(() => V.dns1123Subdomain('s', bad))).toMatch(/RFC 1123 subdomain/);
  });

  it('quantities: apimachinery grammar, sizes above zero', () => {
    expect(V.parseQuantity('5Gi')).toBe(5 * 2 ** 30);
    expect(V.parseQuantity('1.5G')).toBe(1.5e9);
    expect(V.parseQuantity('1e3')).toBe(1000);
    expect(V.parseQuantity('100m')).toBeCloseTo(0.1);
    for (const bad of ['', 'lots', '5 Gi', '5gi', '-1Gi', '5GiB', '1..2']) expect(V.parseQuantity(bad)).toBeUndefined();
    for (const bad of ['0', '0Gi', '100m']) expect(msg(() => V.storageQuantity('etcd-pvc-size', bad))).toContain('at least one byte');
  });

  it('image references and registries', () => {
    for (const ok of ['etcd', 'docker.io/karmada/karmada-webhook:v1.18.2', 'my.registry:5000/a/b:dev', 'registry.k8s.io/etcd:3.6.6-0', `x/y@sha256:${'a'.repeat(64)}`, 'localhost:5000/a_b__c--d']) expect(V.imageReference('i', ok)).toBe(ok);
    for (const bad of ['', 'a b', 'x/UPPER', 'x:', 'x::y', 'x/:y', 'https://x/y', 'x:' + 't'.repeat(129), 'x\ny']) expect(msg(() => V.imageReference('i', bad))).toContain('must be an image reference');
    for (const ok of ['registry.k8s.io', 'my.registry:5000/karmada', 'registry.cn-hangzhou.aliyuncs.com/google_containers', 'r.io/']) expect(V.imageRegistry('r', ok)).toBe(ok);
    for (const bad of ['', 'my registry', 'https://r.io', 'r.io//x', 'r.io/A']) expect(msg(() => V.imageRegistry('r', bad))).toContain('must be a registry');
  });

  it('IPs: no zones; the unspecified address refused where it cannot work', () => {
    expect(V.ipAddress('ip', '10.0.0.1')).toBe('10.0.0.1');
    expect(V.ipAddress('ip', '::1')).toBe('::1');
    expect(msg(() => V.ipAddress('ip', 'fe80::1%eth0'))).toContain('without a zone');
    for (const bad of ['0.0.0.0', '::', '0:0::0', '::ffff:0.0.0.0']) expect(msg(() => V.ipAddress('ip', bad, { unspecified: false }))).toContain('not the unspecified address');
    for (const bad of ['1.2.3', '010.0.0.1', 'host', '']) expect(msg(() => V.ipAddress('ip', bad))).toContain('must be an IPv4 or IPv6 address');
  });

  it('durations and integers within their ranges', () => {
    expect(V.durationValue('d', '8760h')).toBe(8760 * 3_600_000);
    expect(msg(() => V.durationValue('d', '99999999999h'))).toBe('invalid argument "99999999999h" for "--d" flag: must be at most 2562047h47m16.854s');
    expect(msg(() => V.durationValue('d', '-1h'))).toContain('positive');
    expect(V.durationValue('d', '0', { allowZero: true })).toBe(0);
    expect(msg(() => V.durationValue('d', '1s', { minMs: 60_000 }))).toContain('at least 1m0s');
    expect(msg(() => V.durationValue('d', '10 days'))).toContain('must be a duration');
    expect(V.intInRange('n', 5, 1, 10)).toBe(5);
    expect(V.intInRange('n', '7', 1, 10)).toBe(7);
    for (const bad of [0, 11, 3000000000, NaN, 1.5, 'x', '']) expect(msg(() => V.intInRange('n', bad, 1, 10))).toMatch(/must be an integer from 1 to 10$/);
    for (const bad of [0, 65536, -1]) expect(msg(() => V.portNumber('p', bad))).toContain('from 1 to 65535');
  });

  it('tokens (never echoed) and CA pins', () => {
    expect(V.bootstrapToken('token', 'abcdef.0123456789abcdef')).toBe('abcdef.0123456789abcdef');
    const m = msg(() => V.bootstrapToken('token', 'ABCDEF.secretsecretsecret'));
    expect(m).toBe('invalid argument for "--token" flag: the token (25 characters) must be of the form [a-z0-9]{6}.[a-z0-9]{16}');
    expect(m).not.toContain('secret');
    expect(V.caCertHash('h', `sha256:${'A'.repeat(64)}`)).toBe(`sha256:${'a'.repeat(64)}`);
    for (const bad of ['sha256:abc', `md5:${'a'.repeat(64)}`, 'a'.repeat(64), `sha256:${'g'.repeat(64)}`]) expect(msg(() => V.caCertHash('h', bad))).toContain('must be sha256:<64 hex digits>');
  });
});
