/**
 * What delete, label, annotate and patch share: kubectl's `--dry-run` parse (with the deprecated bool
 * forms), the `-f`/`-R` flag definitions, and the output line of a changed object
 * (`deployment.apps/nginx labeled (dry run)`). Pure logic.
 */
import type { CliFlag } from '../commands/spec';
import { UsageError } from '../errors';
import type { Info } from '../kubectl/infos';
import { kindString } from '../kubectl/kind';

export type DryRun = 'none' | 'client' | 'server';

/** cmdutil.GetDryRunStrategy: the value plus a deprecation warning for the bool forms. */
export function parseDryRun(v: unknown): { dryRun: DryRun; warning?: string } {
  const s = String(v ?? 'none');
  switch (s) {
    case '':
    case 'none':
      return { dryRun: 'none' };
    case 'client':
      return { dryRun: 'client' };
    case 'server':
      return { dryRun: 'server' };
    case 'true':
      return { dryRun: 'client', warning: '--dry-run=true is deprecated (boolean value) and can be replaced with --dry-run=client.' };
    case 'false':
      return { dryRun: 'none', warning: '--dry-run=false is deprecated (boolean value) and can be replaced with --dry-run=none.' };
    default:
      throw new UsageError(`Invalid dry-run value (${s}). Must be "none", "server", or "client".`);
  }
}

export const dryRunSuffix = (d: DryRun) => (d === 'client' ? ' (dry run)' : d === 'server' ? ' (server dry run)' : '');

export function dryRunFlag(): CliFlag {
  return { name: 'dry-run', type: 'string', default: 'none', usage: 'Must be "none", "server", or "client". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource.', complete: () => ['none', 'server', 'client'] };
}

export function filenameFlags(what: string): CliFlag[] {
  return [
    { name: 'filename', shorthand: 'f', type: 'stringSlice', default: [], usage: `Filename, directory, or URL to files identifying the resource to ${what}` },
    { name: 'recursive', shorthand: 'R', type: 'bool', default: false, usage: 'Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.' },
  ];
}

/**
 * `deployment.apps/nginx labeled (dry run)` (kubectl's name printer with an operation). The kind is
 * the printed object's when it has one (a patched Scale prints `scale.autoscaling/nginx`).
 */
export function operationLine(i: Info, operation: string, d: DryRun, obj?: { apiVersion?: string; kind?: string }): string {
  let kind = kindString(i.mapping);
  if (obj?.kind && obj.apiVersion) {
    const group = obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : '';
    kind = group ? `${obj.kind.toLowerCase()}.${group}` : obj.kind.toLowerCase();
  }
  return `${kind}/${i.name} ${operation}${dryRunSuffix(d)}\n`;
}

/** A JSON merge patch (RFC 7386) turning `a` into `b` (jsonpatch.CreateMergePatch). */
export function createMergePatch(a: unknown, b: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const ao = (a ?? {}) as Record<string, unknown>;
  const bo = (b ?? {}) as Record<string, unknown>;
  for (const k of Object.keys(ao)) if (!(k in bo)) out[k] = null;
  for (const [k, v] of Object.entries(bo)) {
    const av = ao[k];
    if (isObj(av) && isObj(v)) {
      const sub = createMergePatch(av, v);
      if (Object.keys(sub).length) out[k] = sub;
    } else if (JSON.stringify(av) !== JSON.stringify(v)) out[k] = v;
  }
  return out;
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
