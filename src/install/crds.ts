import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
// js-yaml with the YAML 1.2 core schema (what the `yaml` package parses by default, no timestamps):
// for the release CRDs it is ~4× faster and needs ~25 MiB less heap than building yaml's Documents.
import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { UserError, errorMessage } from '../errors';
import { checkExpandedSize } from '../kube/kubeconfig';
import { describeFsErrno } from '../errors';
import { formatBytes } from '../util/fsx';
import type { K8sObject } from '../kube/types';

export interface CrdPatch {
  file: string;
  /** Raw text with {{caBundle}}, {{name}}, {{namespace}} placeholders. */
  text: string;
}

export interface LoadedCrds {
  crds: K8sObject[];
  patches: CrdPatch[];
  layout: 'nested' | 'flat';
  source: string;
}

export interface LoadCrdsOptions {
  cwd?: string;
  fetch?: typeof fetch;
  onProgress?: (received: number, total?: number) => void;
  /** Compressed tarball size limit (default 32 MiB). */
  maxTarballBytes?: number;
  /**
   * Uncompressed size limit of one member (default 16 MiB) and of all members (default 128 MiB); the
   * decompressed stream as a whole (headers and padding included) stops at maxTotalBytes + 8 MiB.
   */
  maxMemberBytes?: number;
  maxTotalBytes?: number;
  maxMembers?: number;
  downloadTimeoutMs?: number;
}

const bad = (msg: string) => new UserError(`invalid CRD tarball: ${msg}`, { hint: 'use the crds.tar.gz published with the Karmada release (a gzip tar of a top-level crds/ directory)' });

async function download(url: string, o: LoadCrdsOptions): Promise<Buffer> {
  const f = o.fetch ?? fetch;
  const limit = o.maxTarballBytes ?? 32 << 20;
  let res: Response;
  try {
    res = await f(url, { signal: AbortSignal.timeout(o.downloadTimeoutMs ?? 120_000), redirect: 'follow' });
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name;
    throw new UserError(`cannot download the CRDs from ${url}: ${cause}`, { hint: 'on a machine without internet access, download crds.tar.gz elsewhere and pass --crds /path/to/crds.tar.gz' });
  }
  if (!res.ok) throw new UserError(`cannot download the CRDs from ${url}: HTTP ${res.status}`, { hint: 'check the URL, or pass a local file with --crds /path/to/crds.tar.gz' });
  const total = Number(res.headers.get('content-length')) || undefined;
  if (total && total > limit) throw bad(`${total} bytes is over the ${limit}-byte limit`);
  const chunks: Uint8Array[] = [];
  let got = 0;
  for await (const c of res.body as unknown as AsyncIterable<Uint8Array>) {
    got += c.length;
    if (got > limit) throw bad(`more than ${limit} bytes`);
    chunks.push(c);
    o.onProgress?.(got, total);
  }
  return Buffer.concat(chunks);
}

/** Reads a CRD tarball (URL or local path) in memory, refusing anything unsafe, never writing to disk. */
export async function loadCrds(source: string, o: LoadCrdsOptions = {}): Promise<LoadedCrds> {
  const isUrl = /^https?:\/\//.test(source);
  if (isUrl) return parseCrdTarball(await download(source, o), source, o);
  const file = path.resolve(o.cwd ?? process.cwd(), source);
  const limit = o.maxTarballBytes ?? 32 << 20;
  const hint = 'pass the path of crds.tar.gz with --crds, or a URL';
  const st = await stat(file).catch((e: NodeJS.ErrnoException) => e);
  if (st instanceof Error) {
    if (st.code === 'ENOENT') throw new UserError(`CRD tarball ${file} does not exist`, { hint });
    throw new UserError(`CRD tarball ${describeFsErrno(st.code, file) ?? `${file} cannot be read`}`, { hint });
  }
  if (st.isDirectory()) throw new UserError(`CRD tarball ${file} is a directory, not a file`, { hint });
  if (st.isFile() && st.size > limit) throw bad(`${file} is larger than ${formatBytes(limit)}`);
  const fh = await open(file, 'r').catch((e: NodeJS.ErrnoException) => {
    throw new UserError(`CRD tarball ${describeFsErrno(e.code, file) ?? `${file} cannot be read`}`, { hint });
  });
  // Read in chunks, never more than the limit (a FIFO or /dev/zero reports size 0).
  async function* chunks(): AsyncGenerator<Buffer> {
    let got = 0;
    try {
      for (;;) {
        const buf = Buffer.allocUnsafe(64 << 10);
        const { bytesRead } = await fh.read(buf, 0, buf.length, null);
        if (!bytesRead) return;
        got += bytesRead;
        if (got > limit) throw bad(`${file} is larger than ${formatBytes(limit)}`);
        yield buf.subarray(0, bytesRead);
      }
    } finally {
      await fh.close().catch(() => undefined);
    }
  }
  return parseCrdTarball(chunks(), source, o);
}

/** A gzip stream (or a plain tar), decompressed lazily: nothing past `cap` bytes is ever produced. */
async function* decompressed(input: AsyncIterable<Buffer>, cap: number): AsyncGenerator<Buffer> {
  const it = input[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return;
  const rest = async function* () {
    yield first.value;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  };
  let out = 0;
  if (!(first.value[0] === 0x1f && first.value[1] === 0x8b)) {
    for await (const c of rest()) {
      out += c.length;
      if (out > cap) throw bad(`it holds more than ${formatBytes(cap)}`);
      yield c;
    }
    return;
  }
  const gunzip = createGunzip({ chunkSize: 64 << 10 });
  const feed = (async () => {
    try {
      for await (const c of rest()) if (!gunzip.write(c)) await new Promise((r) => gunzip.once('drain', r));
      gunzip.end();
    } catch (e) {
      gunzip.destroy(e as Error);
    }
  })();
  feed.catch(() => undefined);
  try {
    for await (const c of gunzip as AsyncIterable<Buffer>) {
      out += c.length;
      if (out > cap) throw bad(`it decompresses to more than ${formatBytes(cap)}`);
      yield c;
    }
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw bad(`it is not a valid gzip file (${errorMessage(e)})`);
  } finally {
    gunzip.destroy();
    await it.return?.();
  }
}

export async function parseCrdTarball(data: Buffer | AsyncIterable<Buffer>, source: string, o: LoadCrdsOptions = {}): Promise<LoadedCrds> {
  const maxMember = o.maxMemberBytes ?? 16 << 20;
  const maxTotal = o.maxTotalBytes ?? 128 << 20;
  const maxMembers = o.maxMembers ?? 2000;
  const files = new Map<string, string>();
  let total = 0;
  let members = 0;
  let failure: Error | undefined;
  await new Promise<void>((resolve, reject) => {
    const parser = new Parser({ strict: true });
    const stop = (e: Error) => {
      if (!failure) failure = e;
      parser.abort(e);
    };
    parser.on('entry', (entry: ReadEntry) => {
      if (failure) return entry.resume();
      members++;
      const name = entry.path;
      if (members > maxMembers) return stop(bad(`more than ${maxMembers} members`));
      if (entry.type !== 'File' && entry.type !== 'OldFile' && entry.type !== 'Directory') return stop(bad(`${name} is a ${entry.type}; only regular files and directories are allowed`));
      const clean = path.posix.normalize(name.replace(/\/$/, ''));
      if (name.startsWith('/') || clean.startsWith('..') || clean.split('/').includes('..')) return stop(bad(`${name} escapes the archive (absolute path or ..)`));
      const rel = clean.replace(/^\.\//, '');
      if (rel !== 'crds' && !rel.startsWith('crds/')) return stop(bad(`${name} is outside the top-level crds/ directory`));
      if (entry.type === 'Directory') return entry.resume();
      if ((entry.size ?? 0) > maxMember) return stop(bad(`${name} is ${entry.size} bytes, over the ${maxMember}-byte member limit`));
      total += entry.size ?? 0;
      if (total > maxTotal) return stop(bad(`members add up to more than ${maxTotal} bytes`));
      const chunks: Buffer[] = [];
      entry.on('data', (c: Buffer) => chunks.push(c));
      entry.on('end', () => files.set(rel, Buffer.concat(chunks).toString('utf8')));
    });
    parser.on('error', (e: Error) => reject(failure ?? bad(tarMessage(e))));
    parser.on('abort', (e: Error) => reject(failure ?? e));
    parser.on('end', () => (failure ? reject(failure) : resolve()));
    // The end-of-archive marker: what follows is never read (tar would buffer it, slowly).
    let eof = false;
    parser.on('eof', () => (eof = true));
    (async () => {
      const input = Buffer.isBuffer(data) ? slices(data) : data;
      let fed = 0;
      for await (const c of decompressed(input, maxTotal + (8 << 20))) {
        if (failure || eof) break;
        parser.write(c);
        if (failure || eof) break;
        // Let the parser's entries run (and refuse) before much more is decompressed.
        if ((fed += c.length) >= 1 << 20) {
          fed = 0;
          await new Promise((r) => setImmediate(r));
        }
      }
      if (!failure) parser.end();
    })().catch((e) => {
      if (!failure) failure = e instanceof UserError ? e : bad(errorMessage(e));
      reject(failure);
    });
  });
  if (!files.size && !members) throw bad('it is empty or not a gzip tar');
  const yamlFiles = [...files.keys()].filter((f) => /\.ya?ml$/.test(f)).sort();
  const bases = yamlFiles.filter((f) => f.startsWith('crds/bases/'));
  if (!bases.length) throw bad('no CRDs under crds/bases/');
  const layout = bases.some((f) => f.split('/').length > 3) ? 'nested' : 'flat';
  const crds: K8sObject[] = [];
  for (const f of bases) {
    let docs: unknown[];
    try {
      docs = loadAll(files.get(f)!, { schema: CORE_SCHEMA, maxAliases: MAX_CRD_ALIASES });
      for (const d of docs) checkExpandedSize(d, MAX_CRD_NODES, 'a document');
    } catch (e) {
      throw bad(`${f}: ${(e as Error).message.split('\n')[0]}`);
    }
    for (const doc of docs) {
      const obj = doc as K8sObject | null;
      if (!obj) continue;
      if (typeof obj !== 'object' || Array.isArray(obj)) throw bad(`${f} does not hold a Kubernetes object`);
      if (obj.kind !== 'CustomResourceDefinition') throw bad(`${f} holds a ${obj.kind}, not a CustomResourceDefinition`);
      crds.push(obj);
    }
  }
  const patches = yamlFiles.filter((f) => f.startsWith('crds/patches/')).map((f) => ({ file: f, text: files.get(f)! }));
  return { crds, patches, layout, source };
}

/** tar's errors in words, without its codes (TAR_BAD_ARCHIVE: ...). */
function tarMessage(e: Error): string {
  const m = e.message.replace(/^TAR_[A-Z_]+:\s*/, '');
  if (/Unrecognized archive format/i.test(m)) return 'it is not a gzip tar (unrecognized archive format)';
  return m;
}

/** Alias references in one CRD document (the release's CRDs use none). */
const MAX_CRD_ALIASES = 1000;
/** Nodes of one CRD document with aliases expanded (the largest release CRD has ~40 000). */
const MAX_CRD_NODES = 2_000_000;

async function* slices(b: Buffer): AsyncGenerator<Buffer> {
  for (let i = 0; i < b.length; i += 64 << 10) yield b.subarray(i, i + (64 << 10));
}

function deepMerge(a: unknown, b: unknown): unknown {
  if (!b || typeof b !== 'object' || Array.isArray(b)) return b;
  const out: Record<string, unknown> = a && typeof a === 'object' && !Array.isArray(a) ? { ...(a as object) } : {};
  for (const [k, v] of Object.entries(b as object)) out[k] = deepMerge(out[k], v);
  return out;
}

/**
 * The patches (conversion webhooks) merged into their CRDs in memory, with the CA bundle and the webhook
 * Service substituted, so CRDs go to the API server whole and a re-run compares equal.
 */
export function applyCrdPatches(l: LoadedCrds, o: { caBundle: string; namespace: string; webhookName?: string }): K8sObject[] {
  const byName = new Map(l.crds.map((c) => [c.metadata.name, structuredClone(c)]));
  for (const p of l.patches) {
    const text = p.text.replaceAll('{{caBundle}}', o.caBundle).replaceAll('{{name}}', o.webhookName ?? 'karmada-webhook').replaceAll('{{namespace}}', o.namespace);
    const doc = (loadAll(text, { schema: CORE_SCHEMA, maxAliases: MAX_CRD_ALIASES })[0] ?? undefined) as K8sObject | undefined;
    if (doc) checkExpandedSize(doc, MAX_CRD_NODES, p.file);
    const fromFile = /_([^_.]+)\.[^/]*$/.exec(p.file)?.[1];
    const target = doc?.metadata?.name ?? (fromFile ? `${fromFile}.work.karmada.io` : undefined);
    const crd = target ? byName.get(target) : undefined;
    if (!doc || !crd) continue;
    const { metadata: _m, apiVersion: _a, kind: _k, ...rest } = doc;
    Object.assign(crd, deepMerge(crd, rest));
  }
  return [...byName.values()];
}
