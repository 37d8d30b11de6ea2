import type { CliFlag, CommandSpec } from '../commands/spec';
import { fill } from '../commands/spec';

/** Root command groups, in the order karmadactl v1.18.2 prints them. Commands we do not have are absent. */
export const COMMAND_GROUPS: { title: string; commands: string[] }[] = [
  { title: 'Basic Commands', commands: ['explain', 'get', 'create', 'delete', 'edit'] },
  {
    title: 'Cluster Registration Commands',
    commands: ['init', 'deinit', 'certs', 'addons', 'join', 'unjoin', 'token', 'register', 'unregister'],
  },
  { title: 'Cluster Management Commands', commands: ['cordon', 'uncordon', 'taint'] },
  { title: 'Troubleshooting and Debugging Commands', commands: ['attach', 'logs', 'exec', 'describe', 'interpret'] },
  { title: 'Advanced Commands', commands: ['apply', 'promote', 'top', 'patch'] },
  { title: 'Settings Commands', commands: ['label', 'annotate', 'completion'] },
  // The reference prints `version` under a second "Other Commands:" heading; we keep one group.
  { title: 'Other Commands', commands: ['api-resources', 'api-versions', 'version'] },
];

/** kubectl's flag default rendering: strings quoted, others bare, slices as [a,b]. */
export function formatDefault(f: CliFlag): string {
  const d = f.default;
  switch (f.type) {
    case 'string':
    case 'duration':
      return `'${d ?? ''}'`;
    case 'stringSlice':
    case 'stringArray':
      return `[${((d as string[] | undefined) ?? []).join(',')}]`;
    case 'stringMap': {
      const m = (d as Record<string, string> | undefined) ?? {};
      return `[${Object.entries(m).map(([k, v]) => `${k}=${v}`).join(',')}]`;
    }
    default:
      return String(d ?? (f.type === 'bool' ? false : 0));
  }
}

/** kubectl's "Options:" block: `    -n, --namespace='karmada-system':` then the usage on the next line. */
export function formatFlags(flags: CliFlag[]): string {
  return flags
    .filter((f) => !f.hidden && !f.deprecated)
    .map((f) => {
      const name = f.shorthand ? `-${f.shorthand}, --${f.name}` : `--${f.name}`;
      const usage = f.usage.split('\n').map((l) => `\t${l}`).join('\n');
      return `    ${name}=${formatDefault(f)}:\n${usage}\n`;
    })
    .join('\n');
}

function commandList(cmds: CommandSpec[], width: number): string {
  return cmds.map((c) => `  ${c.name.padEnd(width)}   ${c.short}`).join('\n');
}

export interface HelpTarget {
  spec: CommandSpec;
  /** Command path as the user types it, e.g. `kubectl karmada token create`. */
  path: string;
  program: string;
  isRoot: boolean;
}

export function renderRootHelp(root: CommandSpec, program: string): string {
  const visible = (root.children ?? []).filter((c) => !c.hidden);
  const width = Math.max(11, ...visible.map((c) => c.name.length));
  const out: string[] = [fill(root.long ?? root.short, program).trimEnd(), ''];
  const placed = new Set<string>();
  for (const g of COMMAND_GROUPS) {
    const cmds = g.commands.map((n) => visible.find((c) => c.name === n)).filter((c): c is CommandSpec => !!c);
    if (!cmds.length) continue;
    cmds.forEach((c) => placed.add(c.name));
    out.push(`${g.title}:`, commandList(cmds, width), '');
  }
  const rest = visible.filter((c) => !placed.has(c.name));
  if (rest.length) out.push('Other Commands:', commandList(rest, width), '');
  out.push('Usage:', `  ${program} [flags] [options]`, '');
  out.push(`Use "${program} <command> --help" for more information about a given command.`);
  out.push(`Use "${program} options" for a list of global command-line options (applies to all commands).`);
  return out.join('\n') + '\n';
}

export function renderCommandHelp(t: HelpTarget): string {
  const { spec, path, program } = t;
  const out: string[] = [];
  out.push(fill(spec.long ?? spec.short, program).trimEnd(), '');
  if (spec.aliases?.length) out.push('Aliases:', `${[spec.name, ...spec.aliases].join(', ')}`, '');
  if (spec.example) out.push('Examples:', fill(spec.example, program).trimEnd(), '');
  const subs = (spec.children ?? []).filter((c) => !c.hidden);
  if (subs.length) {
    const width = Math.max(...subs.map((c) => c.name.length));
    out.push('Available Commands:', commandList(subs, width), '');
  }
  const flags = (spec.flags ?? []).filter((f) => !f.hidden && !f.deprecated);
  if (flags.length) out.push('Options:', formatFlags(flags));
  out.push('Usage:');
  if (spec.run) out.push(`  ${path} ${spec.use ?? '[options]'}`);
  if (subs.length) out.push(`  ${path} [command]`);
  out.push('');
  if (subs.length) out.push(`Use "${path} <command> --help" for more information about a given command.`);
  out.push(`Use "${program} options" for a list of global command-line options (applies to all commands).`);
  return out.join('\n') + '\n';
}

export function renderGlobalOptions(globals: CliFlag[]): string {
  return `The following options can be passed to any command:\n\n${formatFlags(globals)}`;
}
