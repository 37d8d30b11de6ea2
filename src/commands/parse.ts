/**
 * Command lines as cobra and pflag take them, driven by the CommandSpecs (no commander):
 *
 * 1. `findCommand` is cobra's `Find`: it walks the words, skipping flags (and the value of a flag
 *    that takes one, known from the flags of the commands on the path so far, else from the
 *    commands below), and descends into subcommands until the first positional argument. So flags
 *    may stand anywhere: `karmadactl --kubeconfig x join member1 --cluster-kubeconfig=y`.
 * 2. `parseFlags` is pflag's `Parse` against the leaf: its own flags, the persistent flags of the
 *    commands above it (root: the global flags), and `-h/--help`. `--flag=value`, `--flag value`,
 *    `-n value`, `-nvalue`, `-n=value`, `-abc` (bool shorthands), `--bool=false`, `_` for `-` in
 *    names, `--` ends the flags.
 *
 * Errors are pflag's and cobra's texts (`unknown flag: --x`, `flag needs an argument: --crds`,
 * `invalid argument "x" for "--wait" flag: ...`), with the value quoted and shortened.
 * The same functions drive `__complete` (lenient: nothing is an error there).
 */
import type { CliFlag } from './spec';
import { UsageError } from '../errors';
import { quoted } from '../util/text';
import { parseGoDuration } from '../util/duration';

/** The part of a CommandSpec the parser reads (CommandSpec satisfies it). */
export interface ParseNode {
  name: string;
  aliases?: string[];
  hidden?: boolean;
  flags?: ParseFlag[];
  children?: ParseNode[];
}

/** The part of a CliFlag the parser reads (CliFlag satisfies it). */
export type ParseFlag = Pick<CliFlag, 'name' | 'shorthand' | 'type' | 'persistent' | 'deprecated'> & { default?: unknown };

/** A command-line error: the message, and lines printed after it (`See '... --help' for usage.`, suggestions). */
export class CommandLineError extends UsageError {
  /** Printed as is after the error line: built from command names only, never from input. */
  readonly trailer: string;
  constructor(message: string, trailer = '') {
    super(message);
    this.name = 'CommandLineError';
    this.trailer = trailer;
  }
}

export const HELP_FLAG: ParseFlag = { name: 'help', shorthand: 'h', type: 'bool', default: false };

const normalize = (name: string) => name.replaceAll('_', '-');
const takesValue = (f: ParseFlag) => f.type !== 'bool';

/** The flags a command accepts: its own, then the persistent flags of its ancestors, then help. Own flags shadow inherited ones. */
export class FlagSet {
  readonly long = new Map<string, ParseFlag>();
  readonly short = new Map<string, ParseFlag>();
  constructor(path: readonly ParseNode[], globals: readonly ParseFlag[] = []) {
    const add = (f: ParseFlag) => {
      if (!this.long.has(f.name)) this.long.set(f.name, f);
      if (f.shorthand && !this.short.has(f.shorthand)) this.short.set(f.shorthand, f);
    };
    const leaf = path[path.length - 1];
    for (const f of leaf?.flags ?? []) add(f);
    for (let i = path.length - 2; i >= 0; i--) for (const f of path[i].flags ?? []) if (f.persistent) add(f);
    for (const f of globals) add(f);
    add(HELP_FLAG);
  }
  all(): ParseFlag[] {
    return [...this.long.values()];
  }
}

/** Every flag defined at or below `node`, by long name and shorthand (to skip a flag's value before its command is known). */
function subtreeFlags(node: ParseNode, long: Map<string, ParseFlag[]>, short: Map<string, ParseFlag[]>): void {
  for (const f of node.flags ?? []) {
    long.set(f.name, [...(long.get(f.name) ?? []), f]);
    if (f.shorthand) short.set(f.shorthand, [...(short.get(f.shorthand) ?? []), f]);
  }
  for (const c of node.children ?? []) subtreeFlags(c, long, short);
}

export function findChild<N extends ParseNode>(node: N, word: string): N | undefined {
  return (node.children as N[] | undefined)?.find((c) => c.name === word || c.aliases?.includes(word));
}

export interface Found<N extends ParseNode> {
  /** Root first, the command the line names last. */
  path: N[];
  /** The words that are not command names: flags, their values, positional arguments (in order). */
  rest: string[];
  /** The positional arguments as the walk saw them (before `--`; cobra's stripFlags). */
  words: string[];
}

/**
 * cobra's Find: the command a line names. `globals` are the root's persistent flags.
 * A flag the commands on the path do not know takes a value if every command below that defines
 * it gives it one (cobra assumes a value for every unknown flag; a flag nobody defines is left for
 * the leaf's parse to report).
 */
export function findCommand<N extends ParseNode>(root: N, argv: readonly string[], globals: readonly ParseFlag[] = []): Found<N> {
  const path: N[] = [root];
  const rest: string[] = [];
  const words: string[] = [];
  let cur = root;
  let set = new FlagSet(path, globals);
  let below: { long: Map<string, ParseFlag[]>; short: Map<string, ParseFlag[]> } | undefined;
  let positional = false;
  /** Does `f` (known here or below) take the next word? */
  const lookup = (kind: 'long' | 'short', key: string, next: string | undefined): boolean | undefined => {
    const known = kind === 'long' ? set.long.get(key) : set.short.get(key);
    if (known) return takesValue(known);
    if (!below) {
      below = { long: new Map(), short: new Map() };
      for (const c of cur.children ?? []) subtreeFlags(c, below.long, below.short);
    }
    const defs = below[kind].get(key);
    if (!defs) return undefined;
    if (defs.every(takesValue)) return true;
    if (!defs.some(takesValue)) return false;
    // defined both ways below: a value unless the next word is a subcommand here
    return !(next !== undefined && findChild(cur, next));
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (a.startsWith('-') && a !== '-') {
      rest.push(a);
      if (consumesNext(a, argv[i + 1], lookup) && i + 1 < argv.length) rest.push(argv[++i]);
      continue;
    }
    const child = positional ? undefined : findChild(cur, a);
    if (child) {
      path.push(child);
      cur = child;
      set = new FlagSet(path, globals);
      below = undefined;
      continue;
    }
    positional = true;
    rest.push(a);
    words.push(a);
  }
  return { path, rest, words };
}

/** Whether flag word `a` takes the following word as its value (`--name v`, `-n v`, `-abn v`). */
function consumesNext(a: string, next: string | undefined, lookup: (kind: 'long' | 'short', key: string, next: string | undefined) => boolean | undefined): boolean {
  if (a.startsWith('--')) {
    if (a.includes('=')) return false;
    return lookup('long', normalize(a.slice(2)), next) === true;
  }
  const shorts = a.slice(1);
  for (let j = 0; j < shorts.length; j++) {
    if (shorts[j + 1] === '=') return false;
    const v = lookup('short', shorts[j], next);
    if (v === undefined) return false;
    if (v) return j === shorts.length - 1;
  }
  return false;
}

export interface Parsed {
  /** Every accepted flag's value by name: the default, or what the line set (typed: bool, number, string[], record). */
  values: Record<string, unknown>;
  /** Flags the line set. */
  explicit: Set<string>;
  positionals: string[];
  /** Index in `positionals` of the first argument after `--` (-1 without `--`). */
  dashAt: number;
  /** pflag's notices for deprecated flags (`Flag --x has been deprecated, ...`). */
  warnings: string[];
  /** Lenient parse only: the flag whose value is still to come (the line ends after `--flag`). */
  pending?: ParseFlag;
}

const TRUE = new Set(['1', 't', 'T', 'true', 'TRUE', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'false', 'FALSE', 'False']);

function initial(f: ParseFlag): unknown {
  const d = f.default;
  if (Array.isArray(d)) return [...d];
  if (d && typeof d === 'object') return { ...(d as Record<string, string>) };
  if (d === undefined) {
    switch (f.type) {
      case 'bool':
        return false;
      case 'int':
        return 0;
      case 'stringSlice':
      case 'stringArray':
        return [];
      case 'stringMap':
        return {};
      default:
        return '';
    }
  }
  return d;
}

/** Go's strconv.ParseInt(s, 0, 64), limited to the integers a double holds exactly. */
function parseGoInt(s: string): number {
  const m = /^([+-]?)(0[xX][0-9a-fA-F](?:_?[0-9a-fA-F])*|0[bB][01](?:_?[01])*|0[oO]?[0-7](?:_?[0-7])*|0|[1-9](?:_?[0-9])*)$/.exec(s);
  if (!m) throw new Error(`strconv.ParseInt: parsing ${quoted(s)}: invalid syntax`);
  let body = m[2].replaceAll('_', '');
  let n: number;
  if (/^0[xX]/.test(body)) n = Number.parseInt(body.slice(2), 16);
  else if (/^0[bB]/.test(body)) n = Number.parseInt(body.slice(2), 2);
  else if (/^0[oO]?[0-7]/.test(body)) {
    body = body.replace(/^0[oO]?/, '');
    n = Number.parseInt(body, 8);
  } else n = Number.parseInt(body, 10);
  if (!Number.isSafeInteger(n)) throw new Error(`strconv.ParseInt: parsing ${quoted(s)}: value out of range`);
  return m[1] === '-' ? -n : n;
}

/** Go's encoding/csv reading of one line (pflag's stringSlice). */
function readCsv(s: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (s[i] === '"') {
      i++;
      for (;;) {
        const q = s.indexOf('"', i);
        if (q < 0) throw new Error(`parse error on line 1, column ${s.length + 1}: extraneous or missing " in quoted-field`);
        field += s.slice(i, q);
        i = q + 1;
        if (s[i] === '"') {
          field += '"';
          i++;
          continue;
        }
        break;
      }
      if (i < s.length && s[i] !== ',') throw new Error(`parse error on line 1, column ${i + 1}: extraneous or missing " in quoted-field`);
    } else {
      const end = s.indexOf(',', i);
      field = s.slice(i, end < 0 ? s.length : end);
      const bare = field.indexOf('"');
      if (bare >= 0) throw new Error(`parse error on line 1, column ${i + bare + 1}: bare " in non-quoted-field`);
      i = end < 0 ? s.length : end;
    }
    out.push(field);
    if (i >= s.length) return out;
    i++; // the comma
  }
}

/** The largest Go time.Duration, in milliseconds. */
const MAX_DURATION_MS = 9_223_372_036_854.775;

/** Sets one flag from its textual value (pflag's Value.Set); throws Error with the type's message. */
function setValue(f: ParseFlag, raw: string, values: Record<string, unknown>, explicit: Set<string>): void {
  const first = !explicit.has(f.name);
  switch (f.type) {
    case 'bool':
      if (TRUE.has(raw)) values[f.name] = true;
      else if (FALSE.has(raw)) values[f.name] = false;
      else throw new Error(`strconv.ParseBool: parsing ${quoted(raw)}: invalid syntax`);
      break;
    case 'int':
      values[f.name] = parseGoInt(raw);
      break;
    case 'duration': {
      // validated as pflag does; commands read the text (util/duration durationFlag)
      let ms: number;
      try {
        ms = parseGoDuration(raw);
      } catch {
        throw new Error(`time: invalid duration ${quoted(raw)}`);
      }
      if (Math.abs(ms) > MAX_DURATION_MS) throw new Error(`time: invalid duration ${quoted(raw)}`);
      values[f.name] = raw;
      break;
    }
    case 'stringSlice': {
      const parts = raw === '' ? [] : readCsv(raw);
      values[f.name] = first ? parts : [...(values[f.name] as string[]), ...parts];
      break;
    }
    case 'stringArray':
      values[f.name] = first ? [raw] : [...(values[f.name] as string[]), raw];
      break;
    case 'stringMap': {
      const n = raw.split('=').length - 1;
      if (n === 0) throw new Error(`${quoted(raw)} must be formatted as key=value`);
      const pairs = n === 1 ? [raw.replace(/^"+|"+$/g, '')] : readCsv(raw);
      const out: Record<string, string> = first ? {} : { ...(values[f.name] as Record<string, string>) };
      for (const p of pairs) {
        const eq = p.indexOf('=');
        if (eq < 0) throw new Error(`${quoted(p)} must be formatted as key=value`);
        out[p.slice(0, eq)] = p.slice(eq + 1);
      }
      values[f.name] = out;
      break;
    }
    default:
      values[f.name] = raw;
  }
  explicit.add(f.name);
}

const flagLabel = (f: ParseFlag) => (f.shorthand ? `-${f.shorthand}, --${f.name}` : `--${f.name}`);

/**
 * pflag's Parse of `args` against `set`. Strict: the first problem throws a CommandLineError with
 * pflag's text. Lenient (completion): unknown flags and bad values are skipped, a flag at the end
 * without its value is returned as `pending`.
 */
export function parseFlags(set: FlagSet, args: readonly string[], o: { lenient?: boolean } = {}): Parsed {
  const values: Record<string, unknown> = {};
  for (const f of set.all()) values[f.name] = initial(f);
  const explicit = new Set<string>();
  const positionals: string[] = [];
  const warnings: string[] = [];
  let dashAt = -1;
  let pending: ParseFlag | undefined;
  const fail = (message: string) => {
    throw new CommandLineError(message);
  };
  const set1 = (f: ParseFlag, raw: string) => {
    try {
      setValue(f, raw, values, explicit);
    } catch (e) {
      if (o.lenient) {
        values[f.name] = raw;
        explicit.add(f.name);
        return;
      }
      fail(`invalid argument ${quoted(raw)} for ${quoted(flagLabel(f))} flag: ${(e as Error).message}`);
    }
    if (f.deprecated) warnings.push(`Flag --${f.name} has been deprecated, ${f.deprecated}`);
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      dashAt = positionals.length;
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      positionals.push(a);
      continue;
    }
    if (a.startsWith('--')) {
      const body = a.slice(2);
      const eq = body.indexOf('=');
      const typed = eq < 0 ? body : body.slice(0, eq);
      if (!typed || typed.startsWith('-') || typed.startsWith('=')) {
        if (o.lenient) continue;
        fail(`bad flag syntax: ${a}`);
      }
      const f = set.long.get(normalize(typed));
      if (!f) {
        if (o.lenient) continue;
        fail(`unknown flag: --${typed}`);
      }
      if (eq >= 0) set1(f!, body.slice(eq + 1));
      else if (!takesValue(f!)) set1(f!, 'true');
      else if (i + 1 < args.length) set1(f!, args[++i]);
      else if (o.lenient) pending = f;
      else fail(`flag needs an argument: --${typed}`);
      continue;
    }
    let shorts = a.slice(1);
    while (shorts) {
      const c = String.fromCodePoint(shorts.codePointAt(0)!);
      const f = set.short.get(c);
      if (!f) {
        if (o.lenient) break;
        fail(`unknown shorthand flag: '${c}' in -${shorts}`);
      }
      const after = shorts.slice(c.length);
      if (after.startsWith('=') && shorts.length > 2) {
        set1(f!, after.slice(1));
        shorts = '';
      } else if (!takesValue(f!)) {
        set1(f!, 'true');
        shorts = after;
      } else if (after) {
        set1(f!, after);
        shorts = '';
      } else if (i + 1 < args.length) {
        set1(f!, args[++i]);
        shorts = '';
      } else if (o.lenient) {
        pending = f;
        shorts = '';
      } else fail(`flag needs an argument: '${c}' in -${shorts}`);
    }
  }
  return { values, explicit, positionals, dashAt, warnings, pending };
}

/** Levenshtein distance, case-insensitive (cobra's ld with ignoreCase). */
export function distance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}

/** cobra's SuggestionsFor: visible subcommands within distance 2 of `word`, or starting with it. */
export function suggestionsFor(node: ParseNode, word: string): string[] {
  const w = word.toLowerCase();
  if (!w) return [];
  return (node.children ?? []).filter((c) => !c.hidden && (distance(word, c.name) <= 2 || c.name.toLowerCase().startsWith(w))).map((c) => c.name);
}
