/**
 * kubectl's genericclioptions.ConfigFlags, as karmadactl binds them: one definition of the connection
 * flags (`--kubeconfig`, `--karmada-context`, `-n/--namespace`) for every command that talks to the
 * karmada-apiserver. Light on purpose (commands import it at start-up): completion loads lazily.
 */
import type { CliFlag } from '../commands/spec';
import type { Context } from '../context';
import { UsageError } from '../errors';
import type { Factory } from './factory';

async function contexts(ctx: Context, file: unknown): Promise<string[]> {
  const { listContexts } = await import('../kube/config');
  return listContexts(file ? String(file) : undefined, ctx.env, ctx.homedir);
}

/**
 * Shell completion through a short-lived Factory (5 s timeout, closed afterwards): whatever `fn`
 * returns, or nothing when anything fails — completion never prints an error.
 */
export async function completeWith(ctx: Context, flags: Record<string, unknown>, fn: (f: Factory) => Promise<string[]>): Promise<string[]> {
  try {
    const { Factory } = await import('./factory');
    const f = new Factory(ctx, configFlagsFrom(flags), { timeoutMs: 5_000 });
    try {
      return await fn(f);
    } finally {
      f.close();
    }
  } catch {
    return [];
  }
}

const namespaces = (ctx: Context, flags: Record<string, unknown>) =>
  completeWith(ctx, flags, async (f) => ((await (await f.client()).request<{ items?: { metadata: { name: string } }[] }>('GET', '/api/v1/namespaces')).items ?? []).map((n) => n.metadata.name));

/** `--kubeconfig` (ConfigFlags.KubeConfig). */
export const KUBECONFIG_FLAG: CliFlag = { name: 'kubeconfig', type: 'string', default: '', usage: 'Path to the kubeconfig file to use for CLI requests.', complete: () => [] };
/** `--karmada-context` (ConfigFlags.Context, kubectl's `--context`). */
export const KARMADA_CONTEXT_FLAG: CliFlag = { name: 'karmada-context', type: 'string', default: '', usage: 'The name of the kubeconfig context to use', complete: (ctx, _t, f) => contexts(ctx, f.kubeconfig) };
/** `-n/--namespace` (ConfigFlags.Namespace). */
export const NAMESPACE_FLAG: CliFlag = { name: 'namespace', shorthand: 'n', type: 'string', default: '', usage: 'If present, the namespace scope for this CLI request.', complete: (ctx, _t, f) => namespaces(ctx, f) };

/** `--kubeconfig` and `--karmada-context`: the commands without `-n` (api-resources, api-versions, cordon, taint, join, ...). */
export const CONNECTION_FLAGS: CliFlag[] = [KARMADA_CONTEXT_FLAG, KUBECONFIG_FLAG];

/** The values of the bound ConfigFlags fields. */
export interface ConfigFlags {
  kubeconfig: string;
  context: string;
  /** `-n` as given ('' = not given: the context's namespace, then `default`). */
  namespace: string;
}

export function configFlagsFrom(flags: Record<string, unknown>): ConfigFlags {
  return {
    kubeconfig: String(flags.kubeconfig ?? ''),
    context: String(flags['karmada-context'] ?? ''),
    namespace: String(flags.namespace ?? ''),
  };
}

/** `-s/--operation-scope`: kubectl-style enum flag of karmadactl (options.OperationScope). */
export type OperationScope = 'karmada' | 'members' | 'all';

export function operationScopeFlag(values: OperationScope[]): CliFlag {
  const list = values.length === 3 ? 'karmada, members, and all' : 'karmada and members';
  return {
    name: 'operation-scope',
    shorthand: 's',
    type: 'string',
    default: 'karmada',
    usage: `Used to control the operation scope of the command. The optional values are ${list}. Defaults to karmada.`,
    complete: () => values,
  };
}

/** Parses `-s`: '' keeps the default; anything else than the three names is the reference's flag-parse error. */
export function parseOperationScope(v: unknown): OperationScope {
  const s = String(v ?? '');
  if (s === '') return 'karmada';
  if (s === 'karmada' || s === 'members' || s === 'all') return s;
  throw new UsageError(`invalid argument "${s}" for "-s, --operation-scope" flag: not support OperationScope: ${s}`, { hint: 'use karmada, members or all' });
}

/** Completes member cluster names (LIST clusters on the karmada-apiserver); never throws. */
export async function completeClusters(ctx: Context, flags: Record<string, unknown>): Promise<string[]> {
  return completeWith(ctx, flags, async (f) => (await f.clusters()).map((c) => c.metadata.name));
}
