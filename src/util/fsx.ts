import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { chmod, mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { UserError, describeFsErrno } from '../errors';

/** mkdir -p with a mode for the directories it creates. */
export async function ensureDir(dir: string, mode = 0o755): Promise<void> {
  await mkdir(dir, { recursive: true, mode });
}

/**
 * Writes a file atomically: a temporary file in the same directory, fsync, rename. The mode is set
 * on the new file before any data is written, so a key is never readable by others, even briefly.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  await ensureDir(path.dirname(file), 0o755);
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx', mode);
  try {
    await fh.chmod(mode);
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, file);
    await chmod(file, mode);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** Size limits of the files the CLI reads (ARCHITECTURE: every read is bounded). */
export const LIMITS = {
  kubeconfig: 16 << 20,
  /** PEM certificates, keys, CA bundles, token files. */
  pem: 1 << 20,
  /** --config files (KarmadaInitConfig). */
  config: 4 << 20,
  /** The compressed CRD tarball. */
  tarball: 32 << 20,
  /** Output of an exec credential plugin. */
  execOutput: 4 << 20,
} as const;

export interface BoundedReadOptions {
  /** Largest number of bytes accepted. */
  limit: number;
  /** What the file is, for messages: "kubeconfig", "--ca-cert-file", "certificate-authority of cluster \"c\"". */
  what: string;
  /** The next step, attached to every error. */
  hint?: string;
}

const CHUNK = 64 << 10;

export function formatBytes(n: number): string {
  if (n >= 1 << 30 && n % (1 << 30) === 0) return `${n / (1 << 30)} GiB`;
  if (n >= 1 << 20 && n % (1 << 20) === 0) return `${n / (1 << 20)} MiB`;
  if (n >= 1 << 10 && n % (1 << 10) === 0) return `${n / (1 << 10)} KiB`;
  return `${n} bytes`;
}

/** An error from a bounded read: says what the file is and what is wrong, in words (no errno codes). */
export class FileReadError extends UserError {
  readonly file: string;
  readonly errno?: string;
  constructor(message: string, file: string, hint?: string, errno?: string, cause?: unknown) {
    super(message, { hint, cause });
    this.name = 'FileReadError';
    this.file = file;
    this.errno = errno;
  }
}

function readError(e: unknown, file: string, o: BoundedReadOptions): FileReadError {
  const code = (e as NodeJS.ErrnoException)?.code;
  const words = describeFsErrno(code, file) ?? `${file} cannot be read${code ? '' : `: ${(e as Error)?.message ?? String(e)}`}`;
  return new FileReadError(`${o.what} ${words}`, file, o.hint, code, e);
}

function tooLarge(file: string, o: BoundedReadOptions): FileReadError {
  return new FileReadError(`${o.what} ${file} is larger than ${formatBytes(o.limit)}`, file, o.hint ?? `pass the right file; the limit is ${formatBytes(o.limit)}`);
}

/**
 * Reads a whole file, refusing it as soon as more than `limit` bytes have been read (never more than
 * limit + 1 bytes are held). The size reported by stat is checked first, but not trusted: /dev/zero,
 * pipes and FIFOs report 0, and a file may grow while it is read.
 */
export async function readFileBounded(file: string, o: BoundedReadOptions): Promise<Buffer> {
  let fh: import('node:fs/promises').FileHandle;
  try {
    fh = await open(file, 'r');
  } catch (e) {
    throw readError(e, file, o);
  }
  try {
    const st = await fh.stat();
    if (st.isDirectory()) throw readError(Object.assign(new Error('is a directory'), { code: 'EISDIR' }), file, o);
    if (st.isFile() && st.size > o.limit) throw tooLarge(file, o);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const want = Math.min(CHUNK, o.limit + 1 - total);
      const buf = Buffer.allocUnsafe(want);
      const { bytesRead } = await fh.read(buf, 0, want, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > o.limit) throw tooLarge(file, o);
      chunks.push(bytesRead === want ? buf : buf.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks, total);
  } catch (e) {
    if (e instanceof FileReadError) throw e;
    throw readError(e, file, o);
  } finally {
    await fh.close().catch(() => undefined);
  }
}

/** readFileBounded, as UTF-8 text. */
export async function readTextBounded(file: string, o: BoundedReadOptions): Promise<string> {
  return (await readFileBounded(file, o)).toString('utf8');
}

/** The synchronous readFileBounded, for the few sync paths (shell completion). */
export function readFileBoundedSync(file: string, o: BoundedReadOptions): Buffer {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw readError(e, file, o);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw readError(Object.assign(new Error('is a directory'), { code: 'EISDIR' }), file, o);
    if (st.isFile() && st.size > o.limit) throw tooLarge(file, o);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const want = Math.min(CHUNK, o.limit + 1 - total);
      const buf = Buffer.allocUnsafe(want);
      const n = readSync(fd, buf, 0, want, null);
      if (n === 0) break;
      total += n;
      if (total > o.limit) throw tooLarge(file, o);
      chunks.push(n === want ? buf : buf.subarray(0, n));
    }
    return Buffer.concat(chunks, total);
  } catch (e) {
    if (e instanceof FileReadError) throw e;
    throw readError(e, file, o);
  } finally {
    closeSync(fd);
  }
}

/** Reads a stream (stdin, a child's stdout) to its end, refusing it once more than `limit` bytes arrive. */
export async function readStreamBounded(stream: AsyncIterable<Buffer | string> & { destroy?: () => void }, o: BoundedReadOptions): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const c of stream) {
    const b = typeof c === 'string' ? Buffer.from(c) : c;
    total += b.length;
    if (total > o.limit) {
      stream.destroy?.();
      throw new FileReadError(`${o.what} is larger than ${formatBytes(o.limit)}`, o.what, o.hint);
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks, total);
}
