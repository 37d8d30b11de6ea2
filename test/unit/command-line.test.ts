import { describe, expect, it } from 'vitest';
import { CommandLineError, FlagSet, findCommand, parseFlags, suggestionsFor, distance, type ParseNode, type ParseFlag } from '../../src/commands/parse';
import { rootSpec, GLOBAL_FLAGS } from '../../src/commands/index';
import { printable, quoted, safeLine, shortened } from '../../src/util/text';

// A tree shaped like karmadactl's: root (global -v), leaves with local flags, a parent with a
// persistent flag and one with a local flag that its children must not inherit.
const V: ParseFlag = { name: 'v', shorthand: 'v', type: 'int', default: 0 };
const tree: ParseNode = {
  name: 'prog',
  children: [
    {
      name: 'join',
      flags: [
        { name: 'kubeconfig', type: 'string', default: '' },
        { name: 'cluster-kubeconfig', type: 'string', default: '' },
        { name: 'cluster-zones', type: 'stringSlice', default: [] },
        { name: 'karmada-as-group', type: 'stringArray', default: [] },
        { name: 'dry-run', type: 'bool', default: false },
        { name: 'output', shorthand: 'o', type: 'string', default: '' },
      ],
    },
    {
      name: 'get',
      aliases: ['g'],
      flags: [
        { name: 'namespace', shorthand: 'n', type: 'string', default: 'default' },
        { name: 'all-namespaces', shorthand: 'A', type: 'bool', default: false },
        { name: 'watch', shorthand: 'w', type: 'bool', default: false },
        { name: 'selector', shorthand: 'l', type: 'string', default: '' },
        { name: 'replicas', type: 'int', default: 1 },
        { name: 'timeout', type: 'duration', default: '1m0s' },
        { name: 'labels', type: 'stringMap', default: { a: '1' } },
        { name: 'old', type: 'bool', default: false, deprecated: 'use --new instead' },
      ],
    },
    {
      name: 'create',
      flags: [
        { name: 'kubeconfig', type: 'string', default: '', persistent: true },
        { name: 'local-only', type: 'string', default: '' },
      ],
      children: [{ name: 'secret', flags: [{ name: 'from-literal', type: 'stringArray', default: [] }] }],
    },
    { name: 'secret-tool', hidden: true, flags: [] },
  ],
};

function line(argv: string[]) {
  const found = findCommand(tree, argv, [V]);
  const parsed = parseFlags(new FlagSet(found.path, [V]), found.rest);
  return { command: found.path.map((n) => n.name).join(' '), ...parsed };
}
const error = (argv: string[]) => {
  try {
    line(argv);
  } catch (e) {
    expect(e).toBeInstanceOf(CommandLineError);
    return (e as Error).message;
  }
  throw new Error(`no error for ${argv.join(' ')}`);
};

describe('finding the command (cobra Find)', () => {
  it('takes flags before the subcommand, between and after arguments', () => {
    const r = line(['--kubeconfig', '/etc/karmada/karmada-apiserver.config', 'join', 'member1', '--cluster-kubeconfig=/root/.kube/config']);
    expect(r.command).toBe('prog join');
    expect(r.positionals).toEqual(['member1']);
    expect(r.values.kubeconfig).toBe('/etc/karmada/karmada-apiserver.config');
    expect(r.values['cluster-kubeconfig']).toBe('/root/.kube/config');
    expect([...r.explicit].sort()).toEqual(['cluster-kubeconfig', 'kubeconfig']);
  });
  it('skips the value of a flag defined below, so a value never reads as a command', () => {
    // "join" as the value of -n (defined by get): not the join command
    const r = line(['-n', 'join', 'get', 'pods']);
    expect(r.command).toBe('prog get');
    expect(r.values.namespace).toBe('join');
    expect(r.positionals).toEqual(['pods']);
  });
  it('-v anywhere, in every form', () => {
    for (const argv of [['-v', '6', 'get'], ['get', '-v', '6'], ['get', '-v6'], ['get', '--v=6'], ['-v=6', 'get'], ['get', 'x', '--v', '6']]) {
      expect(line(argv).values.v).toBe(6);
      expect(line(argv).command).toBe('prog get');
    }
  });
  it('descends through aliases and nested commands; the first positional ends the descent', () => {
    expect(line(['g', 'pods']).command).toBe('prog get');
    expect(line(['create', '--kubeconfig', 'k', 'secret', 'x']).command).toBe('prog create secret');
    const r = line(['get', 'join']);
    expect(r.command).toBe('prog get');
    expect(r.positionals).toEqual(['join']);
  });
  it('`--` ends the flags: what follows is positional, even a command name or a flag', () => {
    const r = line(['get', '--', '-n', 'x', '--watch']);
    expect(r.positionals).toEqual(['-n', 'x', '--watch']);
    expect(r.dashAt).toBe(0);
    expect(r.values.namespace).toBe('default');
    expect(line(['--', 'get']).command).toBe('prog');
  });
  it('persistent flags are inherited, local flags of a parent are not', () => {
    expect(line(['create', 'secret', '--kubeconfig', 'k']).values.kubeconfig).toBe('k');
    expect(error(['create', 'secret', '--local-only', 'x'])).toBe('unknown flag: --local-only');
  });
});

describe('flags (pflag)', () => {
  it('--flag=value, --flag value, -n value, -nvalue, -n=value', () => {
    for (const argv of [['--namespace=kube'], ['--namespace', 'kube'], ['-n', 'kube'], ['-nkube'], ['-n=kube']]) expect(line(['get', ...argv]).values.namespace).toBe('kube');
  });
  it('takes the next word as the value whatever it looks like, like pflag', () => {
    expect(line(['get', '-n', '--watch']).values.namespace).toBe('--watch');
  });
  it('combined bool shorthands, with a value-taking one last', () => {
    const r = line(['get', '-Aw']);
    expect(r.values['all-namespaces']).toBe(true);
    expect(r.values.watch).toBe(true);
    const s = line(['get', '-wn', 'kube']);
    expect(s.values.watch).toBe(true);
    expect(s.values.namespace).toBe('kube');
    expect(line(['get', '-wnkube']).values.namespace).toBe('kube');
  });
  it('bools: bare, =true/false and every strconv.ParseBool spelling', () => {
    expect(line(['join', '--dry-run']).values['dry-run']).toBe(true);
    for (const v of ['false', 'f', 'F', '0', 'FALSE', 'False']) expect(line(['join', `--dry-run=${v}`]).values['dry-run']).toBe(false);
    for (const v of ['true', 't', 'T', '1', 'TRUE', 'True']) expect(line(['join', `--dry-run=${v}`]).values['dry-run']).toBe(true);
    expect(line(['get', '-w=false']).values.watch).toBe(false);
    expect(error(['join', '--dry-run=maybe'])).toBe('invalid argument "maybe" for "--dry-run" flag: strconv.ParseBool: parsing "maybe": invalid syntax');
    // a bool does not take the next word
    expect(line(['join', '--dry-run', 'false']).positionals).toEqual(['false']);
  });
  it('_ for - in flag names', () => {
    expect(line(['join', '--cluster_kubeconfig', 'x']).values['cluster-kubeconfig']).toBe('x');
  });
  it('ints: Go syntax (base prefixes, sign), range, and errors naming the flag', () => {
    expect(line(['get', '--replicas', '3']).values.replicas).toBe(3);
    expect(line(['get', '--replicas=-2']).values.replicas).toBe(-2);
    expect(line(['get', '--replicas=0x10']).values.replicas).toBe(16);
    expect(error(['get', '--replicas', 'three'])).toBe('invalid argument "three" for "--replicas" flag: strconv.ParseInt: parsing "three": invalid syntax');
    expect(error(['get', '--replicas', '1.5'])).toMatch(/invalid syntax$/);
    expect(error(['get', '--replicas', ''])).toMatch(/invalid syntax$/);
    expect(error(['get', '--replicas', '99999999999999999999'])).toMatch(/value out of range$/);
  });
  it('durations are validated (Go syntax and range) and kept as text', () => {
    expect(line(['get', '--timeout', '90s']).values.timeout).toBe('90s');
    expect(line(['get']).values.timeout).toBe('1m0s');
    expect(error(['get', '--timeout', '5x'])).toBe('invalid argument "5x" for "--timeout" flag: time: invalid duration "5x"');
    expect(error(['get', '--timeout', '99999999999h'])).toMatch(/time: invalid duration "99999999999h"$/);
  });
  it('stringSlice: comma-separated (CSV quoting), repeated flags append, the first replaces the default', () => {
    expect(line(['join', '--cluster-zones', 'a,b', '--cluster-zones=c']).values['cluster-zones']).toEqual(['a', 'b', 'c']);
    expect(line(['join', '--cluster-zones', '"a,b",c']).values['cluster-zones']).toEqual(['a,b', 'c']);
    expect(line(['join', '--cluster-zones=']).values['cluster-zones']).toEqual([]);
    expect(error(['join', '--cluster-zones', 'a"b'])).toMatch(/bare " in non-quoted-field/);
  });
  it('stringArray: each occurrence is one value, commas kept', () => {
    expect(line(['join', '--karmada-as-group', 'a,b', '--karmada-as-group', 'c']).values['karmada-as-group']).toEqual(['a,b', 'c']);
  });
  it('stringMap: key=value pairs; the first occurrence replaces the default, later ones add', () => {
    expect(line(['get']).values.labels).toEqual({ a: '1' });
    expect(line(['get', '--labels', 'x=1,y=2', '--labels', 'z=3']).values.labels).toEqual({ x: '1', y: '2', z: '3' });
    expect(line(['get', '--labels', 'x=1,2']).values.labels).toEqual({ x: '1,2' }); // one '=': the whole rest is the value
    expect(error(['get', '--labels', 'x'])).toBe('invalid argument "x" for "--labels" flag: "x" must be formatted as key=value');
  });
  it('a deprecated flag works and says so', () => {
    const r = line(['get', '--old']);
    expect(r.values.old).toBe(true);
    expect(r.warnings).toEqual(['Flag --old has been deprecated, use --new instead']);
  });
  it('errors in pflag words', () => {
    expect(error(['join', '--bogus'])).toBe('unknown flag: --bogus');
    expect(error(['join', '--bogus=1'])).toBe('unknown flag: --bogus');
    expect(error(['get', '-x'])).toBe("unknown shorthand flag: 'x' in -x");
    expect(error(['get', '-Ax'])).toBe("unknown shorthand flag: 'x' in -x");
    expect(error(['join', '--kubeconfig'])).toBe('flag needs an argument: --kubeconfig');
    expect(error(['get', '-n'])).toBe("flag needs an argument: 'n' in -n");
    expect(error(['get', '---n'])).toBe('bad flag syntax: ---n');
    expect(error(['get', '--=x'])).toBe('bad flag syntax: --=x');
  });
  it('quotes and shortens the values it echoes', () => {
    const msg = error(['get', '--replicas', `\u001b[31m${'9'.repeat(100_000)}`]);
    expect(msg).not.toContain('\u001b');
    expect(msg).toContain('\\x1b[31m');
    expect(msg).toContain('…(100005 chars)');
    expect(msg.length).toBeLessThan(500);
  });
  it('lenient mode (completion) skips what it does not know and reports a flag still waiting for its value', () => {
    const found = findCommand(tree, ['join', '--bogus', 'm', '--kubeconfig'], [V]);
    const p = parseFlags(new FlagSet(found.path, [V]), found.rest, { lenient: true });
    expect(p.pending?.name).toBe('kubeconfig');
    expect(p.positionals).toEqual(['m']);
  });
});

describe('suggestions (cobra SuggestionsFor)', () => {
  it('Levenshtein distance up to 2 or a prefix, case-insensitive; hidden commands never', () => {
    expect(distance('kitten', 'sitting')).toBe(3);
    expect(distance('GTE', 'get')).toBe(2);
    expect(suggestionsFor(tree, 'gte')).toEqual(['get']);
    expect(suggestionsFor(tree, 'jion')).toEqual(['join']);
    expect(suggestionsFor(tree, 'cr')).toEqual(['create']);
    expect(suggestionsFor(tree, 'secret-too')).toEqual([]);
    expect(suggestionsFor(tree, 'zzzzzz')).toEqual([]);
  });
  it('covers every command of the real tree, including ones added later', () => {
    const visible = (rootSpec.children ?? []).filter((c) => !c.hidden);
    expect(visible.length).toBeGreaterThan(5);
    for (const c of visible) {
      const typo = c.name.length > 3 ? c.name[1] + c.name[0] + c.name.slice(2) : `${c.name}x`; // two letters swapped: distance 2
      expect(suggestionsFor(rootSpec, typo)).toContain(c.name);
      expect(suggestionsFor(rootSpec, c.name.slice(0, 3))).toContain(c.name);
    }
  });
  it('every flag of the real tree parses in every position', () => {
    // each command's own flags, placed before the command, between and after
    const walk = (path: ParseNode[]): void => {
      const leaf = path[path.length - 1];
      if (leaf.children?.length) return leaf.children.forEach((c) => walk([...path, c]));
      for (const f of leaf.flags ?? []) {
        const value = f.type === 'bool' ? [] : [f.type === 'int' ? '2' : f.type === 'duration' ? '3s' : f.type === 'stringMap' ? 'k=v' : 'val'];
        const names = path.slice(1).map((n) => n.name);
        for (const argv of [[`--${f.name}`, ...value, ...names, 'arg'], [...names, 'arg', `--${f.name}`, ...value], [...names, `--${f.name}`, ...value, 'arg']]) {
          const found = findCommand(rootSpec as ParseNode, argv, GLOBAL_FLAGS);
          expect(found.path.map((n) => n.name)).toEqual(path.map((n) => n.name));
          const p = parseFlags(new FlagSet(found.path, GLOBAL_FLAGS), found.rest);
          expect(p.explicit.has(f.name)).toBe(true);
          expect(p.positionals).toEqual(['arg']);
        }
      }
    };
    walk([rootSpec as ParseNode]);
  });
});

describe('text made safe for a terminal (util/text)', () => {
  it('escapes control characters, C1 controls and bidi overrides', () => {
    expect(printable('a\u001b[2Jb')).toBe('a\\x1b[2Jb');
    expect(printable('x\ny\rz\t')).toBe('x\\ny\\rz\\t');
    expect(printable('\u009b31m')).toBe('\\x9b31m');
    expect(printable('abc\u202edef')).toBe('abc\\u202edef');
    expect(printable('naïve ünïcode ✓')).toBe('naïve ünïcode ✓');
  });
  it('shortens long values and says how long they were', () => {
    expect(shortened('abc')).toBe('abc');
    const s = shortened('a'.repeat(100_000));
    expect(s).toMatch(/^a+…\(100000 chars\)$/);
    expect(s.length).toBeLessThan(120);
    expect(shortened('x'.repeat(200))).toHaveLength(200);
  });
  it('quotes like Go %q', () => {
    expect(quoted('a"b\\c\u0007')).toBe('"a\\"b\\\\c\\x07"');
  });
  it('safeLine: one line, no raw control characters, no value printed whole', () => {
    const out = safeLine(`cluster "${'n'.repeat(5000)}\u001b]0;pwned\u0007" not found\nsecond line`);
    expect(out).not.toMatch(/[\u0000-\u001f]/);
    expect(out).toContain('…(5012 chars)');
    expect(out.length).toBeLessThan(300);
    expect(safeLine('w '.repeat(10_000)).length).toBeLessThan(4100);
  });
});
