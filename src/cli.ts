import type { Context } from './context';
import { errorHint, errorMessage, isUserError, UsageError } from './errors';
import type { CommandSpec, Invocation } from './commands/spec';
import { rootSpec, GLOBAL_FLAGS } from './commands/index';
import { CommandLineError, FlagSet, findCommand, parseFlags, suggestionsFor } from './commands/parse';
import { renderCommandHelp, renderRootHelp, renderGlobalOptions } from './ui/help';
import { quoted, safeLine } from './util/text';

/** `options` (kubectl's templater hides it from the command list) and cobra's `help [command]`. */
function tree(root: CommandSpec): CommandSpec {
  const options: CommandSpec = {
    name: 'options',
    short: 'Print the list of flags inherited by all commands',
    hidden: true,
    args: [0, -1],
    async run({ ctx }) {
      ctx.stdout.write(renderGlobalOptions(GLOBAL_FLAGS));
    },
  };
  const help: CommandSpec = {
    name: 'help',
    use: '[command]',
    short: 'Help about any command',
    hidden: true,
    args: [0, -1],
    async run({ ctx, args }) {
      const found = findCommand(full, args, GLOBAL_FLAGS);
      if (found.rest.length) {
        const parent = found.path[found.path.length - 1];
        throw new CommandLineError(
          `unknown help topic ${quoted(found.rest.join(' '))} for "${commandPath(ctx, found.path)}"`,
          didYouMean(suggestionsFor(parent, found.rest[0])),
        );
      }
      ctx.stdout.write(helpText(ctx, found.path));
    },
  };
  const full: CommandSpec = { ...root, children: [...(root.children ?? []), options, help] };
  return full;
}

function commandPath(ctx: Context, path: readonly CommandSpec[]): string {
  return [ctx.program, ...path.slice(1).map((s) => s.name)].join(' ');
}

function helpText(ctx: Context, path: readonly CommandSpec[]): string {
  const spec = path[path.length - 1];
  return path.length === 1
    ? renderRootHelp(spec, ctx.program)
    : renderCommandHelp({ spec, path: commandPath(ctx, path), program: ctx.program, isRoot: false });
}

const didYouMean = (hits: string[]) => (hits.length ? `\n\nDid you mean this?\n${hits.map((h) => `\t${h}`).join('\n')}` : '');

function argCountMessage(spec: CommandSpec, n: number, min: number, max: number): string {
  if (n < min) return `${spec.name} requires ${min === max ? 'exactly' : 'at least'} ${min} argument${min === 1 ? '' : 's'}, got ${n}`;
  return max === 0 ? `${spec.name} takes no arguments, got ${n}` : `${spec.name} accepts at most ${max} argument${max === 1 ? '' : 's'}, got ${n}`;
}

/**
 * Runs one command line in-process and returns the exit code. The line is parsed as cobra does
 * (src/commands/parse.ts): the command first, then every flag against it. Every error ends in
 * reportError: `error: <message>` on stderr.
 */
export async function run(argv: string[], ctx: Context): Promise<number> {
  if (argv[0] === '__complete' || argv[0] === '__completeNoDesc') {
    const { runCompletion } = await import('./commands/complete');
    return runCompletion(ctx, rootSpec, argv.slice(1), argv[0] === '__complete');
  }
  try {
    return await dispatch(argv, ctx);
  } catch (e) {
    return reportError(ctx, e);
  }
}

async function dispatch(argv: string[], ctx: Context): Promise<number> {
  const root = tree(rootSpec);
  const found = findCommand(root, argv, GLOBAL_FLAGS);
  const { path } = found;
  const spec = path[path.length - 1];
  const cmdPath = commandPath(ctx, path);
  const seeHelp = `See '${cmdPath} --help' for usage.`;
  let parsed;
  try {
    parsed = parseFlags(new FlagSet(path, GLOBAL_FLAGS), found.rest);
  } catch (e) {
    if (e instanceof CommandLineError) {
      // cobra reports an unknown subcommand before any flag of the line
      if (!spec.run && spec.children?.length && found.words.length) unknownCommand(ctx, path, found.words);
      throw new CommandLineError(e.message, `\n${seeHelp}`);
    }
    throw e;
  }
  for (const w of parsed.warnings) ctx.stderr.write(`${safeLine(w)}\n`);
  if (typeof parsed.values.v === 'number') ctx.verbosity = parsed.values.v;
  const args = parsed.positionals;
  if (!spec.run && spec.children?.length && args.length) unknownCommand(ctx, path, args, parsed.dashAt === 0);
  if (parsed.values.help === true || !spec.run) {
    ctx.stdout.write(helpText(ctx, path));
    return 0;
  }
  const [min, max] = spec.args ?? [0, 0];
  if (args.length < min || (max >= 0 && args.length > max)) {
    throw new UsageError(argCountMessage(spec, args.length, min, max), { hint: `See '${cmdPath} -h' for help and examples` });
  }
  const flags: Record<string, unknown> = { ...parsed.values };
  delete flags.help;
  const inv: Invocation = { ctx, flags, explicit: parsed.explicit, args, dashAt: parsed.dashAt };
  const code = await spec.run(inv);
  return typeof code === 'number' ? code : 0;
}

/** cobra's error for a word that names no subcommand, with its "Did you mean this?" list. */
function unknownCommand(ctx: Context, path: readonly CommandSpec[], words: readonly string[], afterDash = false): never {
  const parent = path[path.length - 1];
  const word = words[0] ?? '';
  const message = `unknown command ${quoted(word)} for "${commandPath(ctx, path)}"`;
  // after `--` every word is an argument, a command name too
  if (afterDash) throw new CommandLineError(`${message}; words after "--" are arguments, not commands`);
  throw new CommandLineError(message, didYouMean(suggestionsFor(parent, word)));
}

/**
 * The one place an error reaches the terminal: `error: <message>; <hint>` on one line, control
 * characters escaped and echoed values shortened (src/util/text.ts), then the lines a
 * command-line error carries (cobra's `See '... --help'`, "Did you mean this?").
 */
export function reportError(ctx: Context, e: unknown): number {
  const msg = errorMessage(e);
  const hint = errorHint(e);
  const trailer = e instanceof CommandLineError ? e.trailer : '';
  ctx.stderr.write(`error: ${safeLine(`${msg}${hint ? `; ${hint}` : ''}`)}${trailer}\n`);
  if (!isUserError(e) && ctx.verbosity >= 4 && e instanceof Error && e.stack) ctx.stderr.write(`${e.stack.split('\n').map(safeLine).join('\n')}\n`);
  return (e as { exitCode?: number }).exitCode ?? 1;
}
