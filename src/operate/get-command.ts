/**
 * The `get` command's run: flags → GetOptions (validated before any request), the factory, the
 * domain call, and the printing (stdout: results; stderr: warnings, per-cluster errors, notices).
 */
import type { Invocation } from '../commands/spec';
import { UsageError } from '../errors';
import { Factory } from '../kubectl/factory';
import { configFlagsFrom, parseOperationScope } from '../kubectl/flags';
import { parsePrintFlags } from '../kubectl/printers';
import { splitSelector } from '../kubectl/selector';
import { durationFlag } from '../util/duration';
import { runGet, runGetWatch, validateGet, type GetOptions, type TargetError } from './get';

export function getOptionsFromFlags(inv: Invocation): GetOptions {
  const { flags, args } = inv;
  const scope = parseOperationScope(flags['operation-scope']);
  const print = parsePrintFlags(flags);
  const clusterTimeoutMs = durationFlag(flags, 'cluster-timeout', '30s');
  const o: GetOptions = {
    scope,
    clusters: ((flags.clusters as string[] | undefined) ?? []).filter(Boolean),
    args,
    labelSelector: String(flags.labels ?? ''),
    fieldSelector: String(flags['field-selector'] ?? ''),
    allNamespaces: Boolean(flags['all-namespaces']),
    ignoreNotFound: Boolean(flags['ignore-not-found']),
    chunkSize: Number(flags['chunk-size'] ?? 500),
    print,
    watch: Boolean(flags.watch),
    watchOnly: Boolean(flags['watch-only']),
    outputWatchEvents: Boolean(flags['output-watch-events']),
    clusterTimeoutMs,
  };
  validateSelector(o.labelSelector);
  validateGet(o);
  return o;
}

/** A syntax check of -l before any request (the server's own check stays authoritative). */
export function validateSelector(sel: string): void {
  if (!sel) return;
  for (const part of splitSelector(sel)) {
    const p = part.trim();
    const ok = /^!?[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?$/.test(p) || /^[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?\s*(=|==|!=)\s*([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/.test(p) || /^[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?\s+(in|notin)\s+\([^()]*\)$/.test(p);
    if (!ok) throw new UsageError(`unable to parse requirement: invalid label selector "${sel}"`, { hint: 'write -l key=value, key!=value, key in (a,b), key or !key, separated by commas' });
  }
}


export function errorLine(e: TargetError): string {
  const where = e.cluster ? `cluster(${e.cluster}): ` : '';
  return `error: ${where}${e.message}${e.hint ? `; ${e.hint}` : ''}\n`;
}

export async function runGetCommand(inv: Invocation): Promise<number> {
  const { ctx } = inv;
  const o = getOptionsFromFlags(inv);
  const f = new Factory(ctx, configFlagsFrom(inv.flags));
  try {
    if (o.watch || o.watchOnly) {
      const failed = await runGetWatch(f, o, {
        out: (t) => ctx.stdout.write(t),
        error: (e) => ctx.stderr.write(errorLine(e)),
        warn: (w) => ctx.stderr.write(`Warning: ${w}\n`),
      }, ctx.signal);
      return failed ? 1 : 0;
    }
    const r = await runGet(f, o);
    for (const w of r.warnings) ctx.stderr.write(`Warning: ${w}\n`);
    if (r.stdout) ctx.stdout.write(r.stdout);
    for (const e of r.errors) ctx.stderr.write(errorLine(e));
    if (r.notice) ctx.stderr.write(`${r.notice}\n`);
    return r.errors.length ? 1 : 0;
  } finally {
    f.close();
  }
}
