/**
 * `patch` (kubectl v1.35's, on the karmada-apiserver): the patch from -p or --patch-file (YAML or
 * JSON, checked before any request; a JSON patch must be an array of operations), sent with the
 * content type of --type (strategic: the server computes the strategic merge for built-in kinds and
 * refuses it for custom resources with 415), optionally to a subresource; `patched` or
 * `patched (no change)` as kubectl decides it (the object before and after differ). `--local` and
 * `--dry-run=client` patch in memory (merge and json; strategic needs the type's schema, as kubectl).
 */
import { readTextBounded } from '../util/fsx';
import path from 'node:path';
import { load } from 'js-yaml';
import { UsageError, UserError } from '../errors';
import { KubeApiError } from '../kube/errors';
import type { K8sObject } from '../kube/types';
import type { Factory } from '../kubectl/factory';
import { collectInfos } from '../kubectl/infos';
import { objectPath } from '../kubectl/mapper';
import type { PrintOptions } from '../kubectl/printers';
import { operationLine, type DryRun } from './patch-common';

export type PatchType = 'strategic' | 'merge' | 'json';
export const CONTENT_TYPES: Record<PatchType, string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};
export const SUBRESOURCES = ['status', 'scale'];

export interface PatchOptions {
  args: string[];
  filenames: string[];
  recursive: boolean;
  type: PatchType;
  /** The patch as JSON text. */
  patch: unknown;
  subresource: string;
  local: boolean;
  dryRun: DryRun;
  fieldManager: string;
  print?: PrintOptions;
}

export function parsePatchType(v: unknown): PatchType {
  const s = String(v ?? '').toLowerCase() || 'strategic';
  if (s === 'strategic' || s === 'merge' || s === 'json') return s;
  throw new UsageError(`--type must be one of [json merge strategic], not "${String(v)}"`);
}

const MAX_PATCH_BYTES = 16 * 1024 * 1024;

/** The patch text from -p or --patch-file (bounded read). */
export async function readPatch(o: { patch: string; patchFile: string; cwd: string }): Promise<string> {
  if (!o.patch && !o.patchFile) throw new UsageError('must specify --patch or --patch-file containing the contents of the patch');
  if (o.patch && o.patchFile) throw new UsageError('cannot specify --patch and --patch-file together');
  if (o.patch) return o.patch;
  try {
    return await readTextBounded(path.resolve(o.cwd, o.patchFile), { limit: MAX_PATCH_BYTES, what: 'the patch file' });
  } catch (e) {
    throw new UsageError(`unable to read patch file: ${(e as Error).message}`, { hint: 'check the path given with --patch-file' });
  }
}

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/** yaml.ToJSON + the shape the patch type needs; one line for a bad patch. */
export function parsePatch(text: string, type: PatchType): unknown {
  let v: unknown;
  try {
    v = load(text);
  } catch (e) {
    throw new UsageError(`unable to parse "${text}": ${(e as Error).message.split('\n')[0]}`, { hint: 'give the patch as JSON or YAML' });
  }
  if (type === 'json') {
    if (!Array.isArray(v)) throw new UsageError(`invalid JSON patch: a JSON patch is an array of operations, got ${v === null ? 'null' : typeof v}`, { hint: `write it as '[{"op": "replace", "path": "/spec/replicas", "value": 2}]'` });
    v.forEach((op, i) => {
      if (!op || typeof op !== 'object' || Array.isArray(op)) throw new UsageError(`invalid JSON patch: operation ${i} is not an object`);
      const o = op as Record<string, unknown>;
      if (!OPS.has(String(o.op))) throw new UsageError(`invalid JSON patch: operation ${i} has op "${String(o.op ?? '')}"`, { hint: 'op is one of add, remove, replace, move, copy, test' });
      if (typeof o.path !== 'string') throw new UsageError(`invalid JSON patch: operation ${i} has no path`);
      if ((o.op === 'move' || o.op === 'copy') && typeof o.from !== 'string') throw new UsageError(`invalid JSON patch: operation ${i} (${String(o.op)}) has no from`);
      if ((o.op === 'add' || o.op === 'replace' || o.op === 'test') && !('value' in o)) throw new UsageError(`invalid JSON patch: operation ${i} (${String(o.op)}) has no value`);
    });
  } else if (!v || typeof v !== 'object' || Array.isArray(v)) {
    throw new UsageError(`unable to parse "${text}": the ${type} merge patch must be a JSON object`, { hint: type === 'strategic' ? 'use --type json for a list of operations' : 'write it as {"spec": {...}}' });
  }
  return v;
}

/** RFC 7386. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (v === null) delete out[k];
    else out[k] = applyMergePatch(out[k], v);
  }
  return out;
}

const unescape = (s: string) => s.replace(/~1/g, '/').replace(/~0/g, '~');

function pointer(p: string): string[] {
  if (p === '') return [];
  if (!p.startsWith('/')) throw new UserError(`invalid JSON patch path "${p}"`, { hint: 'paths start with /' });
  return p.slice(1).split('/').map(unescape);
}

/** RFC 6902 on a copy. */
export function applyJsonPatch(doc: unknown, ops: Record<string, unknown>[]): unknown {
  let root = structuredClone(doc);
  const parentOf = (p: string[]): [unknown, string] => {
    let cur = root as Record<string, unknown>;
    for (const k of p.slice(0, -1)) {
      const next = Array.isArray(cur) ? cur[Number(k)] : cur?.[k];
      if (next === undefined || next === null || typeof next !== 'object') throw new UserError(`the JSON patch path "/${p.join('/')}" does not exist in the object`);
      cur = next as Record<string, unknown>;
    }
    return [cur, p[p.length - 1]];
  };
  const get = (p: string[]): unknown => {
    if (!p.length) return root;
    const [par, k] = parentOf(p);
    const v = Array.isArray(par) ? par[Number(k)] : (par as Record<string, unknown>)[k];
    if (v === undefined) throw new UserError(`the JSON patch path "/${p.join('/')}" does not exist in the object`);
    return v;
  };
  const remove = (p: string[]): unknown => {
    const v = get(p);
    const [par, k] = parentOf(p);
    if (Array.isArray(par)) par.splice(Number(k), 1);
    else delete (par as Record<string, unknown>)[k];
    return v;
  };
  const add = (p: string[], v: unknown) => {
    if (!p.length) {
      root = v;
      return;
    }
    const [par, k] = parentOf(p);
    if (Array.isArray(par)) {
      const i = k === '-' ? par.length : Number(k);
      if (!Number.isInteger(i) || i < 0 || i > par.length) throw new UserError(`the JSON patch index "${k}" is out of range`);
      par.splice(i, 0, v);
    } else (par as Record<string, unknown>)[k] = v;
  };
  for (const op of ops) {
    const p = pointer(String(op.path));
    switch (op.op) {
      case 'add':
        add(p, structuredClone(op.value));
        break;
      case 'remove':
        remove(p);
        break;
      case 'replace':
        remove(p);
        add(p, structuredClone(op.value));
        break;
      case 'move':
        add(p, remove(pointer(String(op.from))));
        break;
      case 'copy':
        add(p, structuredClone(get(pointer(String(op.from)))));
        break;
      case 'test':
        if (JSON.stringify(get(p)) !== JSON.stringify(op.value)) throw new UserError(`testing value /${p.join('/')} failed`);
        break;
    }
  }
  return root;
}

/** Kinds kubectl's scheme knows (core and the *.k8s.io / un-dotted groups); the rest are custom resources. */
export function isBuiltInGroup(g: string): boolean {
  return g === '' || !g.includes('.') || g.endsWith('.k8s.io');
}

/** Stable comparison (key order does not matter). */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

export interface PatchSinks {
  out(text: string): void;
}

export async function runPatch(f: Factory, o: PatchOptions, sinks: PatchSinks, signal?: AbortSignal): Promise<number> {
  const infos = await collectInfos(f, { args: o.args, filenames: o.filenames, recursive: o.recursive, labelSelector: '', fieldSelector: '', all: false, allNamespaces: false, local: o.local, noGet: true }, signal);
  if (!infos.length) throw new UserError('no objects passed to patch', { hint: 'name the object as TYPE NAME or give it with -f' });
  const printer = o.print ? await (await import('../kubectl/printers')).createPrinter(o.print) : undefined;
  const client = o.local ? undefined : (await f.karmada()).client;
  const sub = o.subresource ? `/${o.subresource}` : '';
  // The objects first (the builder's GET), so a missing one fails before anything is patched.
  for (const i of infos) {
    if (!i.object) i.object = await client!.request<K8sObject>('GET', objectPath(i.mapping, i.namespace, i.name) + sub, { signal });
  }
  for (const i of infos) {
    const before = i.object!;
    let after: K8sObject;
    if (o.local || o.dryRun === 'client') {
      if (o.type === 'strategic') {
        const gvk = `${i.mapping.group}/${i.mapping.version}, Kind=${i.mapping.kind}`;
        if (!isBuiltInGroup(i.mapping.group)) throw new UserError(`strategic merge patch is not supported for ${gvk} locally, try --type merge`);
        // kubectl takes the patch merge keys from the server's OpenAPI (a built-in table with --local).
        const { strategicMergePatch, builtinSchema } = await import('../kubectl/strategicpatch');
        const { patchSchemaFor } = await import('../kubectl/strategicpatch-openapi');
        const schema = client ? await patchSchemaFor(client, i.mapping.group, i.mapping.version, i.mapping.kind) : builtinSchema;
        after = strategicMergePatch(before as unknown as Parameters<typeof strategicMergePatch>[0], o.patch as Parameters<typeof strategicMergePatch>[1], schema) as unknown as K8sObject;
      } else {
        after = (o.type === 'merge' ? applyMergePatch(before, o.patch) : applyJsonPatch(before, o.patch as Record<string, unknown>[])) as K8sObject;
      }
    } else {
      try {
        after = await client!.request<K8sObject>('PATCH', objectPath(i.mapping, i.namespace, i.name) + sub, {
          body: o.patch,
          contentType: CONTENT_TYPES[o.type],
          query: { fieldManager: o.fieldManager || undefined, dryRun: o.dryRun === 'server' ? 'All' : undefined },
          signal,
        });
      } catch (e) {
        if (e instanceof KubeApiError && e.code === 415) {
          const gvk = `${i.mapping.group}/${i.mapping.version}, Kind=${i.mapping.kind}`;
          throw new UserError(`${CONTENT_TYPES[o.type]} is not supported by ${gvk}: ${e.status.message ?? ''}`, { hint: o.type === 'strategic' ? 'custom resources take --type merge or --type json' : undefined });
        }
        throw e;
      }
    }
    const changed = canonical(before) !== canonical(after);
    if (printer) sinks.out(printer.printObject({ ...after, apiVersion: after.apiVersion ?? before.apiVersion, kind: after.kind ?? before.kind } as never));
    // kubectl patch prints no dry-run suffix (its printer is not given the strategy)
    else sinks.out(operationLine(i, changed ? 'patched' : 'patched (no change)', 'none', after));
  }
  return 0;
}
