/**
 * cli-runtime's resource.Builder, the parts the operate commands need: positional arguments
 * (`TYPE`, `TYPE NAME...`, `TYPE1,TYPE2`, `TYPE/NAME ...`), resolved against one target's REST mapper,
 * and `-f FILE|DIR|URL|-` with `-R` (objects read with bounded reads). Syntax errors are found before
 * any request (`parseResourceArgs`); type resolution needs discovery (`resolve`).
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { loadAll } from 'js-yaml';
import { UsageError } from '../errors';
import type { K8sObject } from '../kube/types';
import type { RESTMapper, RESTMapping } from './mapper';

/** The arguments as typed, before discovery. */
export interface ResourceArgs {
  /** `TYPE1,TYPE2 [NAME...]` form: the types and the names (names empty = list). */
  types?: string[];
  names?: string[];
  /** `TYPE/NAME ...` form, in order. */
  pairs?: { type: string; name: string }[];
}

/** kubectl's text (one line here: kubectl's four example lines become the hint). */
export const NO_RESOURCES_MESSAGE = 'You must provide one or more resources by argument or filename';
export const NO_RESOURCES_HINT = "example resource specifications include '-f rsrc.yaml', '--filename=rsrc.json', '<resource> <name>', '<resource>'";

/** kubectl's argument forms and their errors. */
export function parseResourceArgs(args: string[], o: { selector?: string; allowEmpty?: boolean } = {}): ResourceArgs {
  if (!args.length) {
    if (o.allowEmpty) return {};
    throw new UsageError(NO_RESOURCES_MESSAGE, { hint: NO_RESOURCES_HINT });
  }
  if (args.some((a) => a.includes('/'))) {
    const pairs: { type: string; name: string }[] = [];
    for (const a of args) {
      const i = a.indexOf('/');
      if (i < 0) {
        throw new UsageError(`there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'karmadactl get resource/<resource_name>' instead of 'karmadactl get resource resource/<resource_name>'`);
      }
      const type = a.slice(0, i);
      const name = a.slice(i + 1);
      if (!type || !name || name.includes('/')) throw new UsageError(`arguments in resource/name form must have a single resource and name`, { hint: `got "${a}"` });
      pairs.push({ type, name });
    }
    if (o.selector) throw new UsageError('name cannot be provided when a selector is specified');
    return { pairs };
  }
  const types = args[0].split(',').map((t) => t.trim());
  if (types.some((t) => !t)) throw new UsageError(`resource type "${args[0]}" has an empty entry`, { hint: 'write types as TYPE1,TYPE2 without empty entries' });
  const names = args.slice(1);
  if (names.length && o.selector) throw new UsageError('name cannot be provided when a selector is specified');
  if (names.length && types.length > 1) throw new UsageError('you must specify only one resource', { hint: 'name objects of several types as TYPE/NAME, e.g. deploy/a svc/b' });
  return { types, names };
}

/** One request a command makes: a type, and names (empty = the collection). */
export interface ResourceRequest {
  mapping: RESTMapping;
  names: string[];
  /** The argument as typed (for messages). */
  arg: string;
}

/**
 * Resolves parsed arguments against one target's mapper: categories (`all`) expand, short names and
 * kinds resolve; an unknown type throws UnknownResourceTypeError. Requests for the same type are
 * merged (`deploy/a deploy/b` → one type with two names), in first-seen order.
 */
export function resolve(mapper: RESTMapper, a: ResourceArgs): ResourceRequest[] {
  const out: ResourceRequest[] = [];
  const add = (mapping: RESTMapping, arg: string, names: string[]) => {
    const prev = out.find((r) => r.mapping.group === mapping.group && r.mapping.resource === mapping.resource);
    if (prev) {
      for (const n of names) if (!prev.names.includes(n)) prev.names.push(n);
    } else out.push({ mapping, names: [...names], arg });
  };
  if (a.pairs) {
    for (const p of a.pairs) add(mapper.mappingFor(p.type), p.type, [p.name]);
    return out;
  }
  for (const t of a.types ?? []) {
    const cat = !t.includes('.') ? mapper.expandCategory(t) : undefined;
    if (cat) for (const m of cat) add(m, t, a.names ?? []);
    else add(mapper.mappingFor(t), t, a.names ?? []);
  }
  return out;
}

// ---------------------------------------------------------------------- -f FILE|DIR|URL|-

const MAX_INPUT_BYTES = 64 * 1024 * 1024;
const FILE_EXTENSIONS = new Set(['.json', '.yaml', '.yml']);

export interface FileSource {
  /** Where the objects came from (file path, URL or `STDIN`). */
  source: string;
  objects: K8sObject[];
}

/**
 * Reads `-f` inputs as kubectl does: a file, a directory (its .json/.yaml/.yml files; with `-R` also
 * sub-directories), an http(s) URL, or `-` for stdin. YAML streams are split on `---`; `List` kinds
 * are flattened. Every read is bounded (64 MiB per source).
 */
export async function readFilenames(filenames: string[], o: { recursive?: boolean; cwd: string; stdin?: NodeJS.ReadableStream; fetchTimeoutMs?: number }): Promise<FileSource[]> {
  const out: FileSource[] = [];
  for (const f of filenames) {
    if (f === '-') {
      if (!o.stdin) throw new UsageError('no standard input to read objects from', { hint: 'pipe the objects in, or name a file with -f' });
      out.push({ source: 'STDIN', objects: parseObjects(await readStream(o.stdin), 'STDIN') });
    } else if (/^https?:\/\//.test(f)) {
      out.push({ source: f, objects: parseObjects(await readUrl(f, o.fetchTimeoutMs ?? 30_000), f) });
    } else {
      const p = path.resolve(o.cwd, f);
      let st;
      try {
        st = await stat(p);
      } catch {
        throw new UsageError(`the path "${f}" does not exist`, { hint: 'check the path given with -f' });
      }
      if (st.isDirectory()) {
        for (const file of await walk(p, !!o.recursive)) out.push({ source: file, objects: parseObjects(await readBounded(file), file) });
      } else out.push({ source: p, objects: parseObjects(await readBounded(p), p) });
    }
  }
  return out;
}

async function walk(dir: string, recursive: boolean): Promise<string[]> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  const files: string[] = [];
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (recursive) files.push(...(await walk(p, true)));
    } else if (FILE_EXTENSIONS.has(path.extname(e.name).toLowerCase())) files.push(p);
  }
  return files;
}

async function readBounded(file: string): Promise<string> {
  const { open } = await import('node:fs/promises');
  const fh = await open(file, 'r');
  try {
    const st = await fh.stat();
    if (st.size > MAX_INPUT_BYTES) throw new UsageError(`${file} is larger than 64 MiB`, { hint: 'split it into smaller files' });
    const buf = Buffer.alloc(st.size);
    await fh.read(buf, 0, st.size, 0);
    return buf.toString('utf8');
  } finally {
    await fh.close();
  }
}

async function readStream(s: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of s as AsyncIterable<Buffer | string>) {
    const b = typeof c === 'string' ? Buffer.from(c) : c;
    n += b.length;
    if (n > MAX_INPUT_BYTES) throw new UsageError('standard input is larger than 64 MiB', { hint: 'split the objects into smaller files' });
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readUrl(url: string, timeoutMs: number): Promise<string> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    throw new UsageError(`unable to read URL "${url}": ${(e as Error).message}`, { hint: 'check the URL given with -f' });
  }
  if (!res.ok) throw new UsageError(`unable to read URL "${url}", server reported ${res.status} ${res.statusText}, status code=${res.status}`);
  const len = Number(res.headers.get('content-length') ?? 0);
  if (len > MAX_INPUT_BYTES) throw new UsageError(`${url} is larger than 64 MiB`);
  const reader = res.body?.getReader();
  const chunks: Uint8Array[] = [];
  let n = 0;
  for (;;) {
    const r = await reader!.read();
    if (r.done) break;
    n += r.value.length;
    if (n > MAX_INPUT_BYTES) {
      await reader!.cancel();
      throw new UsageError(`${url} is larger than 64 MiB`);
    }
    chunks.push(r.value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** YAML or JSON documents → objects; `List` kinds flattened; empty documents skipped. */
export function parseObjects(text: string, source: string): K8sObject[] {
  // js-yaml parses JSON too (a JSON document is YAML 1.2).
  let docs: unknown[];
  try {
    docs = loadAll(text);
  } catch (e) {
    throw new UsageError(`error parsing ${source}: ${(e as Error).message.split('\n')[0]}`);
  }
  const out: K8sObject[] = [];
  const push = (d: unknown) => {
    if (d === null || d === undefined) return;
    if (typeof d !== 'object' || Array.isArray(d)) throw new UsageError(`error parsing ${source}: expected an object, got ${Array.isArray(d) ? 'a list' : typeof d}`);
    const o = d as K8sObject & { items?: unknown[] };
    if (typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items)) {
      for (const i of o.items) push(i);
      return;
    }
    if (!o.apiVersion || !o.kind) throw new UsageError(`error validating data from ${source}: apiVersion or kind not set`, { hint: 'every object needs apiVersion and kind' });
    out.push(o);
  };
  for (const d of docs) push(d);
  return out;
}
