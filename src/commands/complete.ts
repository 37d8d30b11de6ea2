import type { Context } from '../context';
import type { CommandSpec } from './spec';
import { GLOBAL_FLAGS } from './index';
import { complete, Directive, formatCompletion, type CompletionNode, type CompletionResult } from '../completion/protocol';

/** The completion tree of the command specs: the root carries the global flags, which every command inherits. */
function toNode(ctx: Context, spec: CommandSpec, name = spec.name, isRoot = false): CompletionNode {
  return {
    name,
    aliases: spec.aliases,
    description: spec.short.replaceAll('{{program}}', ctx.program),
    hidden: spec.hidden,
    children: spec.children?.map((c) => toNode(ctx, c)),
    flags: [...(spec.flags ?? []), ...(isRoot ? GLOBAL_FLAGS : [])].map((f) => ({
      long: f.name,
      short: f.shorthand,
      description: f.usage.split('\n')[0],
      takesValue: f.type !== 'bool',
      persistent: f.persistent,
      complete: f.complete
        ? async (toComplete: string, flags: Record<string, unknown>): Promise<CompletionResult> => ({
            items: (await f.complete!(ctx, toComplete, flags)).filter((v) => v.startsWith(toComplete)),
            directive: Directive.NoFileComp,
          })
        : undefined,
    })),
    args: spec.completeArgs
      ? async (positionals: string[], toComplete: string, flags: Record<string, unknown>): Promise<CompletionResult> => ({
          items: (await spec.completeArgs!(ctx, positionals, toComplete, flags)).filter((v) => v.startsWith(toComplete)),
          directive: Directive.NoFileComp,
        })
      : undefined,
  };
}

/** cobra's hidden `__complete` command: used by the shell scripts and by kubectl's plugin completion. */
export async function runCompletion(ctx: Context, root: CommandSpec, args: string[], withDescriptions: boolean): Promise<number> {
  const words = args.length ? args : [''];
  let result: CompletionResult;
  try {
    result = await complete(toNode(ctx, root, ctx.invokedAs, true), words);
  } catch {
    result = { items: [], directive: Directive.Error };
  }
  if (!withDescriptions) result = { ...result, items: result.items.map((i) => (typeof i === 'string' ? i : i.value)) };
  ctx.stdout.write(formatCompletion(result));
  ctx.stderr.write(`Completion ended with directive: ${result.directive}\n`);
  return 0;
}
