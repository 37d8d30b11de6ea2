import { Command, CommanderError, Option } from 'commander';
import type { Context } from './context';
import { errorHint, errorMessage, isUserError, UsageError } from './errors';
import type { CliFlag, CommandSpec, Invocation } from './commands/spec';
import { rootSpec, GLOBAL_FLAGS } from './commands/index';
import { renderCommandHelp, renderRootHelp, renderGlobalOptions } from './ui/help';

const camel = (s: string) => s.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const TRUE = new Set(['1', 't', 'T', 'true', 'TRUE', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'false', 'FALSE', 'False']);

/** Commander command that understands pflag conventions: `--flag=false`, `_` for `-` in flag names. */
class KCommand extends Command {
  spec?: CommandSpec;
  boolFlags = new Set<string>();
  override createCommand(name?: string): KCommand {
    return new KCommand(name);
  }
  override parseOptions(args: string[]) {
    const out: string[] = [];
    let passthrough = false;
    for (const a of args) {
      if (passthrough || !a.startsWith('--') || a === '--') {
        if (a === '--') passthrough = true;
        out.push(a);
        continue;
      }
      const eq = a.indexOf('=');
      const name = (eq < 0 ? a.slice(2) : a.slice(2, eq)).replaceAll('_', '-');
      const value = eq < 0 ? undefined : a.slice(eq + 1);
      if (this.isBool(name) && value !== undefined) {
        if (TRUE.has(value)) out.push(`--${name}`);
        else if (FALSE.has(value)) out.push(`--no-${name}`);
        else throw new UsageError(`invalid argument "${value}" for "--${name}" flag: strconv.ParseBool: parsing "${value}": invalid syntax`);
        continue;
      }
      out.push(value === undefined ? `--${name}` : `--${name}=${value}`);
    }
    return super.parseOptions(out);
  }
  private isBool(name: string): boolean {
    for (let c: KCommand | null = this; c; c = c.parent as KCommand | null) if (c.boolFlags.has(name)) return true;
    return false;
  }
}

function commandPath(cmd: Command, program: string): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return [program, ...names].join(' ');
}

function parseIntFlag(f: CliFlag) {
  return (v: string) => {
    if (!/^[-+]?\d+$/.test(v.trim())) {
      throw new UsageError(`invalid argument "${v}" for "--${f.name}" flag: expected an integer`);
    }
    return Number.parseInt(v, 10);
  };
}

function addFlag(cmd: KCommand, f: CliFlag, touched: Set<string>) {
  const flags = (f.shorthand ? `-${f.shorthand}, ` : '') + `--${f.name}`;
  const attr = camel(f.name);
  let opt: Option;
  switch (f.type) {
    case 'bool':
      opt = new Option(flags, f.usage).default(f.default ?? false);
      opt.negate = false; // `--no-headers` is a flag of its own, not commander's negation of `--headers`
      cmd.boolFlags.add(f.name);
      cmd.addOption(new Option(`--no-${f.name}`).hideHelp());
      break;
    case 'int':
      opt = new Option(`${flags} <int>`, f.usage).default(f.default).argParser(parseIntFlag(f));
      break;
    case 'stringSlice':
      opt = new Option(`${flags} <strings>`, f.usage).default(f.default ?? []).argParser((v: string, prev: string[]) => {
        const first = !touched.has(attr);
        touched.add(attr);
        const parts = v === '' ? [] : v.split(',');
        return first ? parts : [...prev, ...parts];
      });
      break;
    case 'stringArray':
      opt = new Option(`${flags} <string>`, f.usage).default(f.default ?? []).argParser((v: string, prev: string[]) => {
        const first = !touched.has(attr);
        touched.add(attr);
        return first ? [v] : [...prev, v];
      });
      break;
    case 'stringMap':
      opt = new Option(`${flags} <key=value>`, f.usage).default(f.default ?? {}).argParser((v: string, prev: Record<string, string>) => {
        const first = !touched.has(attr);
        touched.add(attr);
        const out = first ? {} : { ...prev };
        for (const kv of v.split(',').filter(Boolean)) {
          const i = kv.indexOf('=');
          if (i <= 0) throw new UsageError(`invalid argument "${v}" for "--${f.name}" flag: ${kv} must be formatted as key=value`);
          (out as Record<string, string>)[kv.slice(0, i)] = kv.slice(i + 1);
        }
        return out;
      });
      break;
    default:
      opt = new Option(`${flags} <string>`, f.usage).default(f.default);
  }
  opt.attributeName = () => attr;
  if (f.hidden || f.deprecated) opt.hideHelp();
  cmd.addOption(opt);
}

interface Built {
  program: KCommand;
  result: { code: number };
}

/**
 * The specs on the command line's path (root, then each named subcommand). Only these get their
 * flags built: constructing every command's options cost ~3 ms of a ~50 ms `version`.
 */
function pathOf(root: CommandSpec, argv: string[]): Set<CommandSpec> {
  return new Set(specPath(root, argv));
}

function specPath(root: CommandSpec, argv: string[]): CommandSpec[] {
  const on = [root];
  let cur = root;
  for (const a of argv) {
    if (a === '--') break;
    if (a.startsWith('-')) continue;
    const next = (cur.children ?? []).find((c) => c.name === a || c.aliases?.includes(a));
    if (!next) continue;
    on.push(next);
    cur = next;
  }
  return on;
}

function build(ctx: Context, root: CommandSpec, argv: string[]): Built {
  const onPath = pathOf(root, argv);
  const result = { code: 0 };
  const out = ctx.stdout;
  const program = new KCommand(ctx.invokedAs);
  const configure = (cmd: KCommand, spec: CommandSpec, isRoot: boolean) => {
    cmd.spec = spec;
    cmd.exitOverride();
    cmd.configureOutput({ writeOut: (s) => out.write(s), writeErr: () => {}, outputError: () => {} });
    cmd.helpOption('-h, --help', 'help');
    cmd.helpCommand(false);
    cmd.allowExcessArguments(true);
    cmd.allowUnknownOption(false);
    (cmd as Command).helpInformation = () =>
      isRoot ? renderRootHelp(spec, ctx.program) : renderCommandHelp({ spec, path: commandPath(cmd, ctx.program), program: ctx.program, isRoot });
    const touched = new Set<string>();
    for (const f of spec.flags ?? []) addFlag(cmd, f, touched);
    if (spec.aliases) cmd.aliases(spec.aliases);
    for (const child of spec.children ?? []) {
      const c = cmd.command(child.name, { hidden: child.hidden }) as KCommand;
      c.description(child.short);
      if (onPath.has(child)) configure(c, child, false);
      else if (child.aliases) c.aliases(child.aliases);
    }
    cmd.argument('[args...]');
    cmd.action(async (args: string[], _opts: unknown, self: KCommand) => {
      if (!spec.run) {
        if (args.length) {
          throw new UsageError(`unknown command "${args[0]}" for "${commandPath(self, ctx.program)}"${suggest(args[0], spec)}`);
        }
        out.write(self.helpInformation());
        return;
      }
      const [min, max] = spec.args ?? [0, 0];
      if (args.length < min || (max >= 0 && args.length > max)) {
        throw new UsageError(argCountMessage(spec, args.length, min, max), {
          hint: `See '${commandPath(self, ctx.program)} -h' for help and examples`,
        });
      }
      const flags: Record<string, unknown> = {};
      const explicit = new Set<string>();
      for (const f of spec.flags ?? []) {
        const attr = camel(f.name);
        flags[f.name] = self.getOptionValue(attr);
        if (self.getOptionValueSource(attr) === 'cli') explicit.add(f.name);
      }
      const inv: Invocation = { ctx, flags, explicit, args };
      const code = await spec.run(inv);
      result.code = typeof code === 'number' ? code : 0;
    });
  };
  configure(program, root, true);
  for (const f of GLOBAL_FLAGS) addFlag(program, f, new Set());
  program.hook('preAction', (self) => {
    const v = self.opts().v as number | undefined;
    if (typeof v === 'number') ctx.verbosity = v;
  });
  return { program, result };
}

function argCountMessage(spec: CommandSpec, n: number, min: number, max: number): string {
  if (n < min) return `${spec.name} requires ${min === max ? 'exactly' : 'at least'} ${min} argument${min === 1 ? '' : 's'}, got ${n}`;
  return max === 0 ? `${spec.name} takes no arguments, got ${n}` : `${spec.name} accepts at most ${max} argument${max === 1 ? '' : 's'}, got ${n}`;
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}

function suggest(word: string, spec: CommandSpec): string {
  const names = (spec.children ?? []).filter((c) => !c.hidden).map((c) => c.name);
  const hits = names.filter((n) => distance(word, n) <= 2 || n.startsWith(word));
  return hits.length ? `\n\nDid you mean this?\n${hits.map((h) => `\t${h}`).join('\n')}` : '';
}

function commanderMessage(e: CommanderError, program: string, argv: string[]): string {
  const path = [program, ...argv.filter((a) => !a.startsWith('-')).slice(0, 2)].join(' ');
  const see = `\nSee '${path} --help' for usage.`;
  switch (e.code) {
    case 'commander.unknownOption': {
      const flag = /'([^']+)'/.exec(e.message)?.[1] ?? '';
      return `unknown flag: ${flag}${see}`;
    }
    case 'commander.optionMissingArgument': {
      const flag = /'([^']+)'/.exec(e.message)?.[1]?.split(/[ ,]/).pop() ?? '';
      return `flag needs an argument: ${flag}${see}`;
    }
    case 'commander.unknownCommand':
      return e.message.replace(/^error: /, '') + see;
    default:
      return e.message.replace(/^error: /, '') + see;
  }
}

/**
 * Runs one command line in-process and returns the exit code. Every error ends here:
 * `error: <message>` (plus the next step to take, for user-fixable errors) on stderr.
 */
export async function run(argv: string[], ctx: Context): Promise<number> {
  if (argv[0] === '__complete' || argv[0] === '__completeNoDesc') {
    const { runCompletion } = await import('./commands/complete');
    return runCompletion(ctx, rootSpec, argv.slice(1), argv[0] === '__complete');
  }
  if (argv[0] === 'options') {
    // karmadactl v1.18.2 (spec §8): positional arguments are ignored; `options --help` prints nothing
    // there, here the command's own help.
    const rest = argv.slice(1);
    if (rest.includes('--help') || rest.includes('-h')) {
      ctx.stdout.write(`Print the list of flags inherited by all commands\n\nExamples:\n  # Print flags inherited by all commands\n  ${ctx.program} options\n\nUsage:\n  ${ctx.program} options [flags]\n`);
      return 0;
    }
    const bad = rest.find((a, i) => a.startsWith('-') && !/^(-v|--v)(=\d+)?$/.test(a) && !(/^\d+$/.test(a) && /^(-v|--v)$/.test(rest[i - 1] ?? '')));
    if (!bad) {
      ctx.stdout.write(renderGlobalOptions(GLOBAL_FLAGS));
      return 0;
    }
  }
  const dashdash = argv.indexOf('--');
  const beforeDashdash = dashdash < 0 ? argv : argv.slice(0, dashdash);
  if (beforeDashdash.includes('--help') || beforeDashdash.includes('-h')) {
    // Help comes from the specs alone: no need to build the command's options first.
    const specs = specPath(rootSpec, beforeDashdash);
    const spec = specs[specs.length - 1];
    ctx.stdout.write(spec === rootSpec ? renderRootHelp(spec, ctx.program) : renderCommandHelp({ spec, path: [ctx.program, ...specs.slice(1).map((x) => x.name)].join(' '), program: ctx.program, isRoot: false }));
    return 0;
  }
  const { program, result } = build(ctx, rootSpec, argv);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return result.code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.help' || e.code === 'commander.version') return 0;
      ctx.stderr.write(`error: ${commanderMessage(e, ctx.program, argv)}\n`);
      return 1;
    }
    return reportError(ctx, e);
  }
}

export function reportError(ctx: Context, e: unknown): number {
  const msg = errorMessage(e);
  const hint = errorHint(e);
  ctx.stderr.write(`error: ${msg}${hint ? `; ${hint}` : ''}\n`);
  if (!isUserError(e) && ctx.verbosity >= 4 && e instanceof Error && e.stack) ctx.stderr.write(`${e.stack}\n`);
  return (e as { exitCode?: number }).exitCode ?? 1;
}
