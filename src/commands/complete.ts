import type { Context } from '../context';
import type { CommandSpec } from './spec';
import { GLOBAL_FLAGS } from './index';
import { complete, Directive, formatCompletion, type CompletionNode, type CompletionResult } from '../completion/protocol';

/** Shared state for one completion request: flag values typed so far (e.g. --kubeconfig for cluster names). */
interface State {
  flags: Record<string, unknown>;
}

function toNode(ctx: Context, spec: CommandSpec, state: State, name = spec.name): CompletionNode {
  return {
    name,
    aliases: spec.aliases,
    description: spec.short.replaceAll('{{program}}', ctx.program),
    hidden: spec.hidden,
    children: spec.children?.map((c) => toNode(ctx, c, state)),
    flags: [...(spec.flags ?? []), ...GLOBAL_FLAGS].map((f) => ({
      long: f.name,
      short: f.shorthand,
      description: f.usage.split('\n')[0],
      takesValue: f.type !== 'bool',
      complete: f.complete
        ? async (toComplete: string): Promise<CompletionResult> => ({
            items: (await f.complete!(ctx, toComplete, state.flags)).filter((v) => v.startsWith(toComplete)),
            directive: Directive.NoFileComp,
          })
        : undefined,
    })),
    args: spec.completeArgs
      ? async (positionals: string[], toComplete: string): Promise<CompletionResult> => ({
          items: (await spec.completeArgs!(ctx, positionals, toComplete, state.flags)).filter((v) => v.startsWith(toComplete)),
          directive: Directive.NoFileComp,
        })
      : undefined,
  };
}

/** Collects `--flag value` / `--flag=value` pairs typed so far, so completers can use e.g. --kubeconfig. */
function typedFlags(args: string[]): Record<string, unknown> {
  const flags: Record<string, unknown> = {};
  for (let i = 0; i < args.length - 1; i++) {
    const a = args[i];
    if (!a.startsWith('--')) continue;
    const eq = a.indexOf('=');
    if (eq > 0) flags[a.slice(2, eq)] = a.slice(eq + 1);
    else if (i + 1 < args.length - 1 && !args[i + 1].startsWith('-')) flags[a.slice(2)] = args[i + 1];
  }
  return flags;
}

/** cobra's hidden `__complete` command: used by the shell scripts and by kubectl's plugin completion. */
export async function runCompletion(ctx: Context, root: CommandSpec, args: string[], withDescriptions: boolean): Promise<number> {
  const state: State = { flags: typedFlags(args) };
  const words = args.length ? args : [''];
  let result: CompletionResult;
  try {
    result = await complete(toNode(ctx, root, state, ctx.invokedAs), words);
  } catch {
    result = { items: [], directive: Directive.Error };
  }
  if (!withDescriptions) result = { ...result, items: result.items.map((i) => (typeof i === 'string' ? i : i.value)) };
  ctx.stdout.write(formatCompletion(result));
  ctx.stderr.write(`Completion ended with directive: ${result.directive}\n`);
  return 0;
}
