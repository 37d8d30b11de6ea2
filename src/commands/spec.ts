import type { Context } from '../context';

/** A flag as the reference declares it (pflag), rendered in kubectl's help format. */
export interface CliFlag {
  name: string;
  shorthand?: string;
  type: 'string' | 'bool' | 'int' | 'duration' | 'stringSlice' | 'stringArray' | 'stringMap';
  default: unknown;
  usage: string;
  hidden?: boolean;
  deprecated?: string;
  /**
   * Inherited by every subcommand (cobra's PersistentFlags), e.g. connection flags on a parent
   * such as `create`. The root's persistent flags are GLOBAL_FLAGS (src/commands/index.ts).
   */
  persistent?: boolean;
  /** Completes this flag's value (`__complete`). */
  complete?: (ctx: Context, toComplete: string, flags: Record<string, unknown>) => Promise<string[]> | string[];
}

/** What a command's run function receives. */
export interface Invocation {
  ctx: Context;
  /** Flag values by flag name (kebab-case as on the command line). */
  flags: Record<string, unknown>;
  /** Flags the user set explicitly. */
  explicit: Set<string>;
  args: string[];
  /** How many args came before `--` (cobra's ArgsLenAtDash); -1 without `--`. */
  dashAt?: number;
}

/**
 * One command, declaratively: the CLI parses command lines (src/commands/parse.ts, cobra/pflag
 * rules), renders kubectl-style help and completes from this. `run` lazily imports its domain module so `--help` stays cheap.
 */
export interface CommandSpec {
  name: string;
  aliases?: string[];
  /** One-line description shown in command lists. */
  short: string;
  /** Long help; `{{program}}` is replaced with `karmadactl` or `kubectl karmada`. */
  long?: string;
  /** Examples; `{{program}}` is replaced. */
  example?: string;
  /** Usage suffix after the command path, e.g. `NAME [options]`. Default `[options]`. */
  use?: string;
  flags?: CliFlag[];
  /** Positional args: [min, max] (max -1 = unlimited). Default: no args allowed unless `run` takes them. */
  args?: [number, number];
  /** Completion of positional args. */
  completeArgs?: (ctx: Context, args: string[], toComplete: string, flags: Record<string, unknown>) => Promise<string[]> | string[];
  hidden?: boolean;
  children?: CommandSpec[];
  /** Returns the exit code (default 0). */
  run?: (inv: Invocation) => Promise<number | void>;
}

export function fill(text: string | undefined, program: string): string {
  return (text ?? '').replaceAll('{{program}}', program);
}

/** Strip the common indentation and surrounding blank lines of a template literal. */
export function dedent(text: string): string {
  const lines = text.replace(/^\n+|\s+$/g, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^ */)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}
