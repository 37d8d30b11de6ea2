/**
 * The `__complete` protocol that cobra-based CLIs (and kubectl's plugin completion) speak:
 * the shell passes the words typed so far, the last one being the word under completion (possibly
 * empty); the program prints one candidate per line (`value<TAB>description`), then `:<directive>`.
 */
import { FlagSet, findCommand, HELP_FLAG, parseFlags, type ParseFlag, type ParseNode } from '../commands/parse';

export const Directive = {
  Default: 0,
  Error: 1,
  NoSpace: 2,
  NoFileComp: 4,
  FilterFileExt: 8,
  FilterDirs: 16,
  KeepOrder: 32,
} as const;

export type CompletionItem = string | { value: string; description?: string };

export interface CompletionResult {
  items: CompletionItem[];
  directive: number;
}

export interface CompletionFlag {
  long: string;
  short?: string;
  description?: string;
  takesValue: boolean;
  /** Inherited by subcommands (cobra's persistent flags). The root's flags always are. */
  persistent?: boolean;
  /** Completes the value; `flags` are the values typed so far on the line (e.g. --kubeconfig). */
  complete?: (toComplete: string, flags: Record<string, unknown>) => Promise<CompletionResult> | CompletionResult;
}

export interface CompletionNode {
  name: string;
  aliases?: string[];
  description?: string;
  hidden?: boolean;
  children?: CompletionNode[];
  flags: CompletionFlag[];
  args?: (positionals: string[], toComplete: string, flags: Record<string, unknown>) => Promise<CompletionResult> | CompletionResult;
}

type Flag = ParseFlag & { src: CompletionFlag };
type Node = ParseNode & { src: CompletionNode; flags: Flag[]; children: Node[] };

/** The completion tree as the command-line parser reads it (src/commands/parse.ts). */
function parseTree(n: CompletionNode, isRoot: boolean): Node {
  return {
    name: n.name,
    aliases: n.aliases,
    hidden: n.hidden,
    src: n,
    flags: n.flags.map((f) => ({ name: f.long, shorthand: f.short, type: f.takesValue ? 'string' : 'bool', persistent: isRoot || f.persistent, src: f })),
    children: (n.children ?? []).map((c) => parseTree(c, false)),
  };
}

/** The flag a word names (`--name`, `--name=...`, `-n...`) among the flags the command accepts. */
function flagOf(set: FlagSet, word: string): CompletionFlag | undefined {
  const f = word.startsWith('--') ? set.long.get(word.slice(2).split('=')[0].replaceAll('_', '-')) : word.length >= 2 ? set.short.get(word[1]) : undefined;
  return (f as Flag | undefined)?.src;
}

/**
 * Completes `args` (the words after the program name; the last is the word being completed).
 * The words typed so far are read exactly as a command line is (cobra's Find, then pflag against
 * the command found), so flags may stand anywhere and a flag's value is never taken for an argument.
 */
export async function complete(root: CompletionNode, args: string[]): Promise<CompletionResult> {
  const words = args.length ? args : [''];
  const toComplete = words[words.length - 1];
  const found = findCommand(parseTree(root, true), words.slice(0, -1));
  const node = found.path[found.path.length - 1].src;
  const set = new FlagSet(found.path);
  const parsed = parseFlags(set, found.rest, { lenient: true });
  const typed = parsed.values;
  const positionals = parsed.positionals;
  const afterDash = parsed.dashAt >= 0;

  // The value of a flag: `--flag <TAB>` or `--flag=<TAB>`.
  if (parsed.pending) {
    const f = (parsed.pending as Flag).src;
    return f.complete ? f.complete(toComplete, typed) : { items: [], directive: Directive.Default };
  }
  if (!afterDash && toComplete.startsWith('-') && toComplete.includes('=')) {
    const f = flagOf(set, toComplete);
    const prefix = toComplete.slice(0, toComplete.indexOf('=') + 1);
    if (f?.complete) {
      const r = await f.complete(toComplete.slice(prefix.length), typed);
      return { ...r, items: r.items.map((it) => (typeof it === 'string' ? prefix + it : { ...it, value: prefix + it.value })) };
    }
    return { items: [], directive: Directive.Default };
  }
  if (!afterDash && toComplete.startsWith('-')) {
    const items: CompletionItem[] = [];
    for (const pf of set.all()) {
      if (pf === HELP_FLAG || parsed.explicit.has(pf.name)) continue;
      const f = (pf as Flag).src;
      const long = `--${f.long}`;
      if (long.startsWith(toComplete)) items.push({ value: long, description: f.description });
      if (f.short && toComplete.length <= 2 && `-${f.short}`.startsWith(toComplete)) items.push({ value: `-${f.short}`, description: f.description });
    }
    return { items, directive: Directive.NoFileComp };
  }

  const subs = positionals.length === 0 && !afterDash ? (node.children ?? []).filter((c) => !c.hidden && c.name.startsWith(toComplete)) : [];
  if (subs.length) return { items: subs.map((c) => ({ value: c.name, description: c.description })), directive: Directive.NoFileComp };
  if (node.args) return node.args(positionals, toComplete, typed);
  return { items: [], directive: node.children?.length ? Directive.NoFileComp : Directive.Default };
}

/** The protocol's stdout: candidates, one per line, then `:<directive>`. */
export function formatCompletion(r: CompletionResult): string {
  const lines = r.items.map((it) => {
    if (typeof it === 'string') return it;
    const desc = it.description?.split('\n')[0].replaceAll('\t', ' ').trim();
    return desc ? `${it.value}\t${desc}` : it.value;
  });
  return [...lines, `:${r.directive}`].join('\n') + '\n';
}
