/**
 * The `__complete` protocol that cobra-based CLIs (and kubectl's plugin completion) speak:
 * the shell passes the words typed so far, the last one being the word under completion (possibly
 * empty); the program prints one candidate per line (`value<TAB>description`), then `:<directive>`.
 */
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
  complete?: (toComplete: string) => Promise<CompletionResult> | CompletionResult;
}

export interface CompletionNode {
  name: string;
  aliases?: string[];
  description?: string;
  hidden?: boolean;
  children?: CompletionNode[];
  flags: CompletionFlag[];
  args?: (positionals: string[], toComplete: string) => Promise<CompletionResult> | CompletionResult;
}

const find = (flags: CompletionFlag[], word: string): CompletionFlag | undefined => {
  if (word.startsWith('--')) {
    const name = word.slice(2).split('=')[0].replaceAll('_', '-');
    return flags.find((f) => f.long === name);
  }
  if (word.startsWith('-') && word.length >= 2) return flags.find((f) => f.short === word[1]);
  return undefined;
};

/** Completes `args` (the words after the program name; the last is the word being completed). */
export async function complete(root: CompletionNode, args: string[]): Promise<CompletionResult> {
  const words = args.length ? args : [''];
  const toComplete = words[words.length - 1];
  const done = words.slice(0, -1);
  let node = root;
  const positionals: string[] = [];
  const seenFlags = new Set<string>();
  // Walk the completed words: descend into subcommands, skip flags and their values.
  for (let i = 0; i < done.length; i++) {
    const w = done[i];
    if (w === '--') {
      positionals.push(...done.slice(i + 1));
      break;
    }
    if (w.startsWith('-') && w !== '-') {
      const f = find(node.flags, w);
      if (f) seenFlags.add(f.long);
      if (f?.takesValue && !w.includes('=') && !(w.length > 2 && !w.startsWith('--'))) i++;
      continue;
    }
    const child = positionals.length === 0 ? node.children?.find((c) => c.name === w || c.aliases?.includes(w)) : undefined;
    if (child) node = child;
    else positionals.push(w);
  }

  // The value of a flag: `--flag <TAB>` or `--flag=<TAB>`.
  const prev = done[done.length - 1];
  const prevFlag = prev && prev.startsWith('-') && !prev.includes('=') ? find(node.flags, prev) : undefined;
  if (prevFlag?.takesValue && !(prev.length > 2 && !prev.startsWith('--'))) {
    return prevFlag.complete ? prevFlag.complete(toComplete) : { items: [], directive: Directive.Default };
  }
  if (toComplete.startsWith('-') && toComplete.includes('=')) {
    const f = find(node.flags, toComplete);
    const prefix = toComplete.slice(0, toComplete.indexOf('=') + 1);
    if (f?.complete) {
      const r = await f.complete(toComplete.slice(prefix.length));
      return { ...r, items: r.items.map((it) => (typeof it === 'string' ? prefix + it : { ...it, value: prefix + it.value })) };
    }
    return { items: [], directive: Directive.Default };
  }
  if (toComplete.startsWith('-')) {
    const items: CompletionItem[] = [];
    for (const f of node.flags) {
      if (seenFlags.has(f.long)) continue;
      const long = `--${f.long}`;
      if (long.startsWith(toComplete)) items.push({ value: long, description: f.description });
      if (f.short && toComplete.length <= 2 && `-${f.short}`.startsWith(toComplete)) items.push({ value: `-${f.short}`, description: f.description });
    }
    return { items, directive: Directive.NoFileComp };
  }

  const subs = positionals.length === 0 ? (node.children ?? []).filter((c) => !c.hidden && c.name.startsWith(toComplete)) : [];
  if (subs.length) return { items: subs.map((c) => ({ value: c.name, description: c.description })), directive: Directive.NoFileComp };
  if (node.args) return node.args(positionals, toComplete);
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
