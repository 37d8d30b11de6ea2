import { describe, expect, it } from 'vitest';
import { complete, Directive, formatCompletion, type CompletionNode } from '../../src/completion/protocol';

const tree: CompletionNode = {
  name: 'prog',
  flags: [{ long: 'v', short: 'v', takesValue: true }],
  children: [
    {
      name: 'cordon',
      description: 'Mark cluster as unschedulable',
      flags: [
        { long: 'kubeconfig', takesValue: true },
        { long: 'karmada-context', takesValue: true, complete: (p) => ({ items: ['ctx-a', 'ctx-b'].filter((c) => c.startsWith(p)), directive: Directive.NoFileComp }) },
        { long: 'dry-run', takesValue: false },
      ],
      args: (pos, p) => ({ items: pos.length ? [] : ['member1', 'member2'].filter((c) => c.startsWith(p)), directive: Directive.NoFileComp }),
    },
    { name: 'completion', description: 'Output shell completion code', flags: [] },
    { name: 'secret', hidden: true, flags: [] },
  ],
};
const values = (r: Awaited<ReturnType<typeof complete>>) => r.items.map((i) => (typeof i === 'string' ? i : i.value));

describe('__complete protocol', () => {
  it('completes subcommands by prefix, hiding hidden ones', async () => {
    const r = await complete(tree, ['co']);
    expect(values(r)).toEqual(['cordon', 'completion']);
    expect(r.directive).toBe(Directive.NoFileComp);
    expect(values(await complete(tree, ['']))).not.toContain('secret');
  });
  it('completes flags of the current command and skips ones already given', async () => {
    const r = await complete(tree, ['cordon', '--dry-run', '--']);
    expect(values(r)).toContain('--kubeconfig');
    expect(values(r)).not.toContain('--dry-run');
  });
  it('completes flag values after the flag and after =', async () => {
    expect(values(await complete(tree, ['cordon', '--karmada-context', 'ctx-']))).toEqual(['ctx-a', 'ctx-b']);
    expect(values(await complete(tree, ['cordon', '--karmada-context=ctx-b']))).toEqual(['--karmada-context=ctx-b']);
  });
  it('falls back to file completion for a value flag without a completer', async () => {
    const r = await complete(tree, ['cordon', '--kubeconfig', '']);
    expect(r.items).toHaveLength(0);
    expect(r.directive).toBe(Directive.Default);
  });
  it('completes positionals, skipping flag values', async () => {
    expect(values(await complete(tree, ['cordon', '--kubeconfig', 'x.yaml', 'mem']))).toEqual(['member1', 'member2']);
    expect(values(await complete(tree, ['cordon', 'member1', '']))).toEqual([]);
  });
  it('formats lines with descriptions and the directive last', () => {
    const text = formatCompletion({ items: [{ value: 'a', description: 'first\nsecond' }, 'b'], directive: 6 });
    expect(text.split('\n')).toEqual(['a\tfirst', 'b', ':6', '']);
  });
  it('reads the line as the command line parser does: flags before the command, -v anywhere, --', async () => {
    expect(values(await complete(tree, ['-v', '2', 'cordon', '']))).toEqual(['member1', 'member2']);
    expect(values(await complete(tree, ['cordon', '-v', '2', '--kubeconfig=x', 'm']))).toEqual(['member1', 'member2']);
    expect(values(await complete(tree, ['cordon', '-v', '']))).toEqual([]); // the value of -v
    // the root's flags are inherited: offered on a subcommand
    expect(values(await complete(tree, ['cordon', '--v']))).toEqual(['--v']);
    // after `--` a word starting with - is an argument, not a flag
    expect(values(await complete(tree, ['cordon', '--', '-']))).toEqual([]);
  });
  it('hands the flags typed so far to the completers', async () => {
    const seen: Record<string, unknown>[] = [];
    const t: CompletionNode = {
      name: 'prog',
      flags: [],
      children: [
        {
          name: 'join',
          flags: [
            { long: 'cluster-kubeconfig', takesValue: true },
            { long: 'cluster-context', takesValue: true, complete: (_p, f) => (seen.push(f), { items: [], directive: Directive.NoFileComp }) },
          ],
          args: (_pos, _p, f) => (seen.push(f), { items: [], directive: Directive.NoFileComp }),
        },
      ],
    };
    await complete(t, ['join', '--cluster-kubeconfig', '/k', '--cluster-context', '']);
    await complete(t, ['--cluster-kubeconfig=/j', 'join', '']);
    expect(seen.map((f) => f['cluster-kubeconfig'])).toEqual(['/k', '/j']);
  });
});
