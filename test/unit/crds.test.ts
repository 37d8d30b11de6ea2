import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile, mkdir, symlink, readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { loadCrds, parseCrdTarball, applyCrdPatches } from '../../src/install/crds';
import { parseAllDocuments } from 'yaml';

const FIX = path.resolve(__dirname, '../../../shared/fixtures');
const listing = (t: string) => execFileSync('tar', ['tzf', t]).toString().split('\n').filter((f) => /^crds\/bases\/.*\.yaml$/.test(f));

/** A raw ustar header + content, to craft entries tar tools refuse to create. */
function entry(name: string, body: string, type = '0', size?: number, link = ''): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100);
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write((size ?? Buffer.byteLength(body)).toString(8).padStart(11, '0') + '\0', 124);
  h.write('00000000000\0', 136);
  h.write('        ', 148);
  h.write(type, 156);
  h.write(link, 157, 100);
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  const data = Buffer.alloc(Math.ceil(Buffer.byteLength(body) / 512) * 512);
  data.write(body);
  return Buffer.concat([h, data]);
}
const tgz = (...entries: Buffer[]) => gzipSync(Buffer.concat([...entries, Buffer.alloc(1024)]));
const crd = (name: string) => `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: ${name}\nspec: {}\n`;

describe('CRD tarballs', () => {
  it('reads the v1.18 nested layout and the v1.5 flat layout', async () => {
    for (const [f, layout] of [['karmada-crds-v1.18.2.tar.gz', 'nested'], ['karmada-crds-v1.5.0.tar.gz', 'flat']] as const) {
      const l = await loadCrds(path.join(FIX, f));
      expect(l.layout).toBe(layout);
      expect(l.crds).toHaveLength(listing(path.join(FIX, f)).length);
      expect(l.patches.length).toBeGreaterThan(0);
    }
  });

  it('merges the conversion-webhook patches with the CA and namespace', async () => {
    const l = await loadCrds(path.join(FIX, 'karmada-crds-v1.18.2.tar.gz'));
    const out = applyCrdPatches(l, { caBundle: 'Q0E=', namespace: 'ns1' });
    const rb = out.find((c) => c.metadata.name === 'resourcebindings.work.karmada.io') as any;
    expect(rb.spec.conversion.webhook.clientConfig).toEqual({ url: 'https://karmada-webhook.ns1.svc:443/convert', caBundle: 'Q0E=' });
    expect(rb.spec.versions.length).toBeGreaterThan(0);
    const untouched = out.find((c) => c.metadata.name === 'works.work.karmada.io') as any;
    expect(untouched.spec.conversion).toBeUndefined();
  });

  const cases: [string, Buffer, RegExp][] = [
    ['path traversal', tgz(entry('crds/bases/a.yaml', crd('a')), entry('crds/../../evil.yaml', 'x')), /escapes the archive/],
    ['absolute path', tgz(entry('/etc/cron.d/x', 'x')), /escapes the archive|outside/],
    ['symlink', tgz(entry('crds/bases/a.yaml', crd('a')), entry('crds/bases/l.yaml', '', '2', 0, '/etc/passwd')), /SymbolicLink/],
    ['hardlink', tgz(entry('crds/bases/a.yaml', crd('a')), entry('crds/bases/h.yaml', '', '1', 0, 'crds/bases/a.yaml')), /Link/],
    ['another top-level directory', tgz(entry('other/a.yaml', crd('a'))), /outside the top-level crds/],
    ['no CRDs', tgz(entry('crds/README', 'hi')), /no CRDs/],
    ['not a CRD', tgz(entry('crds/bases/a.yaml', 'apiVersion: v1\nkind: Secret\nmetadata: {name: x}\n')), /not a CustomResourceDefinition/],
    ['not a tarball', Buffer.from('hello'), /invalid CRD tarball/],
  ];
  for (const [label, data, re] of cases) {
    it(`refuses ${label} with a one-line error`, async () => {
      const e = await parseCrdTarball(data, 'test').catch((x) => x);
      expect(e).toBeInstanceOf(Error);
      expect(e.message).toMatch(re);
      expect(e.message).not.toContain('\n');
    });
  }

  it('refuses an oversized member and a decompression bomb without buffering them', async () => {
    const big = Buffer.alloc(3 << 20, 'a').toString();
    await expect(parseCrdTarball(tgz(entry('crds/bases/big.yaml', big)), 't', { maxMemberBytes: 1 << 20 })).rejects.toThrow(/over the 1048576-byte member limit/);
    const many = tgz(...Array.from({ length: 6 }, (_, i) => entry(`crds/bases/${i}.yaml`, Buffer.alloc(1 << 20, 'a').toString())));
    expect(many.length).toBeLessThan(100_000); // compresses to almost nothing
    await expect(parseCrdTarball(many, 't', { maxTotalBytes: 4 << 20 })).rejects.toThrow(/more than 4194304 bytes/);
  });

  /** gzip members can be concatenated: n × 1 MiB of zeros, decompressed, from ~1 KiB each. */
  const zeroMembers = (mib: number) => Array.from({ length: mib }, () => ZERO_MIB);
  const ZERO_MIB = gzipSync(Buffer.alloc(1 << 20));

  it('refuses a member whose header says 4 GiB after decompressing only the first chunks', async () => {
    const header = gzipSync(entry('crds/bases/huge.yaml', '', '0', 4 * 2 ** 30).subarray(0, 512));
    const members = [header, ...zeroMembers(4096)];
    let consumed = 0;
    async function* input() {
      for (const m of members) {
        consumed++;
        yield m;
      }
    }
    const e = await parseCrdTarball(input(), 't').catch((x) => x);
    expect(e.message).toMatch(/huge\.yaml is 4294967296 bytes, over the 16777216-byte member limit/);
    expect(consumed).toBeLessThan(200); // of 4097 gzip members (~1 KiB each): the decompression stopped at the header
  });

  it('stops decompressing at the total cap, whatever the headers say', async () => {
    // Many members of 15 MiB each (under the member limit), 4 GiB of zeros in all.
    const parts: Buffer[] = [];
    for (let i = 0; i < 270; i++) parts.push(gzipSync(entry(`crds/bases/m${i}.yaml`, '', '0', 15 << 20).subarray(0, 512)), ...zeroMembers(15));
    let consumed = 0;
    async function* input() {
      for (const m of parts) {
        consumed++;
        yield m;
      }
    }
    const e = await parseCrdTarball(input(), 't').catch((x) => x);
    expect(e.message).toMatch(/invalid CRD tarball: (members add up to more than|it decompresses to more than)/);
    expect(consumed).toBeLessThan(parts.length / 10);
  });

  it('refuses a "billion laughs" CRD file (aliases expanding exponentially) at once', async () => {
    const lines = ['apiVersion: apiextensions.k8s.io/v1', 'kind: CustomResourceDefinition', 'metadata: {name: lol.example.com}', 'x0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) lines.push(`x${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(',')}]`);
    const e = await parseCrdTarball(tgz(entry('crds/bases/lol.yaml', lines.join('\n') + '\n')), 't').catch((x) => x);
    expect(e.message).toMatch(/lol\.yaml: a document expands to more than 2000000 YAML nodes/);
    const many = ['apiVersion: apiextensions.k8s.io/v1', 'kind: CustomResourceDefinition', 'metadata: {name: many.example.com}', 'a: &a 1', `b: [${Array.from({ length: 1001 }, () => '*a').join(',')}]`];
    const e2 = await parseCrdTarball(tgz(entry('crds/bases/many.yaml', many.join('\n') + '\n')), 't').catch((x) => x);
    expect(e2.message).toMatch(/aliases exceeded maxAliases \(1000\)/);
  });

  it('reads a local tarball with a cap: /dev/zero and a directory are refused in words', async () => {
    await expect(loadCrds('/dev/zero')).rejects.toThrow(/^invalid CRD tarball: (\/dev\/zero is larger than 32 MiB|it is not a gzip tar)/);
    await expect(loadCrds(os.tmpdir())).rejects.toThrow(/is a directory, not a file/);
  });

  it('a missing local file and an unreachable URL name the fix', async () => {
    await expect(loadCrds('/nonexistent/crds.tar.gz')).rejects.toMatchObject({ hint: expect.stringContaining('--crds') });
    const offline = (async () => {
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ENOTFOUND' } });
    }) as unknown as typeof fetch;
    await expect(loadCrds('https://github.com/karmada-io/karmada/releases/download/v1.18.2/crds.tar.gz', { fetch: offline })).rejects.toMatchObject({
      message: expect.stringContaining('ENOTFOUND'),
      hint: expect.stringContaining('--crds /path/to/crds.tar.gz'),
    });
  });

  it('never writes or deletes files next to the tarball', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kc-crds-'));
    await mkdir(path.join(dir, 'keep'));
    await writeFile(path.join(dir, 'keep', 'x'), 'mine');
    await symlink('keep', path.join(dir, 'link'));
    const src = path.join(dir, 'crds.tar.gz');
    await writeFile(src, await readFile(path.join(FIX, 'karmada-crds-v1.18.2.tar.gz')));
    await loadCrds(src);
    expect(execFileSync('ls', ['-A', dir]).toString().split('\n').filter(Boolean).sort()).toEqual(['crds.tar.gz', 'keep', 'link']);
  });
});

describe('CRD parsing (js-yaml, YAML 1.2 core schema)', () => {
  for (const v of ['v1.18.2', 'v1.5.0']) {
    it(`gives exactly the objects the yaml package gives for the ${v} release`, async () => {
      const tarball = path.join(FIX, `karmada-crds-${v}.tar.gz`);
      const loaded = await loadCrds(tarball);
      const dir = await mkdtemp(path.join(os.tmpdir(), 'crds-'));
      execFileSync('tar', ['xzf', tarball, '-C', dir]);
      const expected = [];
      for (const f of listing(tarball).sort()) {
        for (const d of parseAllDocuments(await readFile(path.join(dir, f), 'utf8'))) {
          const o = d.toJS();
          if (o) expected.push(o);
        }
      }
      expect(expected.length).toBeGreaterThan(5);
      expect(loaded.crds).toEqual(expected);
    });
  }
});
