import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { errorMessage, humanizeText, UserError } from '../../src/errors';
import { readFileBounded, readStreamBounded } from '../../src/util/fsx';
import { Readable } from 'node:stream';

const RAW = /\bE[A-Z]{3,}\b|error:[0-9A-F]{8}:/;

describe('errorMessage: errno and OpenSSL codes in words', () => {
  it('file-system errors name the path', async () => {
    const cases: [string, RegExp][] = [
      ['/no/such/file', /^\/no\/such\/file does not exist$/],
      ['/etc/passwd/x', /^\/etc\/passwd\/x is not a file: a part of its path is not a directory$/],
    ];
    for (const [p, re] of cases) {
      const e = await readFile(p).catch((x) => x);
      expect(errorMessage(e)).toMatch(re);
    }
    const d = await readFile('/').catch((x) => x);
    expect(errorMessage(d)).not.toMatch(RAW);
  });

  it('network errors name the address', async () => {
    const srv = net.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as net.AddressInfo).port;
    srv.close();
    const e = await new Promise<Error>((r) => net.connect(port, '127.0.0.1').on('error', r));
    expect(errorMessage(e)).toBe(`connection refused by 127.0.0.1:${port} (nothing listens there?)`);
  });

  it('OpenSSL codes become what is wrong with the PEM', () => {
    const cert = (() => {
      try {
        new X509Certificate('garbage');
      } catch (e) {
        return e;
      }
    })();
    const key = (() => {
      try {
        createPrivateKey('garbage');
      } catch (e) {
        return e;
      }
    })();
    for (const e of [cert, key]) expect(errorMessage(e)).not.toMatch(RAW);
    expect(humanizeText('error:0480006C:PEM routines::no start line')).toBe('not PEM-encoded (no -----BEGIN line)');
    expect(humanizeText('write EPROTO 40E7C8E9D27F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/ssl/record/ssl3_record.c:354:\n')).toBe('TLS error: the server does not speak TLS');
  });

  it('codes embedded in a wrapping message are rewritten too; user errors keep their words', () => {
    expect(humanizeText("cannot read --config /x: ENOENT: no such file or directory, open '/x'")).toBe('cannot read --config /x: /x does not exist');
    expect(humanizeText('request failed: connect ECONNREFUSED 10.0.0.1:6443')).toBe('request failed: connection refused by 10.0.0.1:6443 (nothing listens there?)');
    expect(humanizeText('spawn kubelogin ENOENT')).toBe('kubelogin was not found (not installed, or not on PATH)');
    expect(errorMessage(new UserError('cluster "a" is not ready'))).toBe('cluster "a" is not ready');
    expect(errorMessage(Object.assign(new Error('Error from server (NotFound): x'), { code: 404 }))).toBe('Error from server (NotFound): x');
  });
});

describe('readFileBounded', () => {
  it('stops at the limit on a device that reports size 0, and names the file and the limit', async () => {
    await expect(readFileBounded('/dev/zero', { limit: 1 << 20, what: 'kubeconfig' })).rejects.toThrow('kubeconfig /dev/zero is larger than 1 MiB');
    await expect(readFileBounded('/', { limit: 10, what: 'CA file' })).rejects.toThrow('CA file / is a directory, not a file');
    await expect(readFileBounded('/no/file', { limit: 10, what: 'CA file', hint: 'fix it' })).rejects.toMatchObject({ message: 'CA file /no/file does not exist', hint: 'fix it' });
    expect((await readFileBounded('/etc/hostname', { limit: 1 << 20, what: 'x' })).length).toBeGreaterThan(0);
  });
  it('a stream (stdin) is read with the same cap', async () => {
    await expect(readStreamBounded(Readable.from([Buffer.alloc(600), Buffer.alloc(600)]), { limit: 1000, what: 'stdin' })).rejects.toThrow('stdin is larger than 1000 bytes');
    expect((await readStreamBounded(Readable.from([Buffer.from('ab'), Buffer.from('c')]), { limit: 1000, what: 'stdin' })).toString()).toBe('abc');
  });
});
