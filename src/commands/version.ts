import type { CommandSpec } from './spec';
import { KARMADA_VERSION } from '../version';
import { UsageError } from '../errors';

export interface VersionInfo {
  gitVersion: string;
  gitCommit: string;
  gitShortCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

/** Build-time values are injected by scripts/build.mjs; unbuilt (tests) they fall back like an ad-hoc Go build. */
export function versionInfo(): VersionInfo & { cliVersion: string; runtime: string } {
  // Written out in full so that esbuild's `define` substitutes them at build time.
  const commit = process.env.KARMADACTL_BUILD_COMMIT || 'unknown';
  return {
    gitVersion: KARMADA_VERSION,
    gitCommit: commit,
    gitShortCommit: commit === 'unknown' ? 'unknown' : commit.slice(0, 7),
    gitTreeState: process.env.KARMADACTL_BUILD_TREE_STATE || 'unknown',
    buildDate: process.env.KARMADACTL_BUILD_DATE || 'unknown',
    goVersion: `node${process.versions.node}`,
    compiler: 'typescript',
    platform: `${process.platform === 'win32' ? 'windows' : process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
    cliVersion: process.env.KARMADACTL_BUILD_VERSION || '0.0.0-dev',
    runtime: `node ${process.versions.node}`,
  };
}

/** Go's `%#v` of version.Info, field order as the reference prints it. */
export function goStructString(i: VersionInfo): string {
  const q = (s: string) => JSON.stringify(s);
  return (
    `version.Info{GitVersion:${q(i.gitVersion)}, GitCommit:${q(i.gitCommit)}, GitShortCommit:${q(i.gitShortCommit)}, ` +
    `GitTreeState:${q(i.gitTreeState)}, BuildDate:${q(i.buildDate)}, GoVersion:${q(i.goVersion)}, Compiler:${q(i.compiler)}, Platform:${q(i.platform)}}`
  );
}

export const versionCommand: CommandSpec = {
  name: 'version',
  short: 'Print the version information',
  long: 'Print the version information.',
  example: '  # Print {{program}} command version\n  {{program}} version\n\n  # Print only the version number, or the whole record as JSON\n  {{program}} version --short\n  {{program}} version -o json',
  args: [0, -1], // the reference ignores positional arguments
  flags: [
    { name: 'output', shorthand: 'o', type: 'string', default: '', usage: "One of 'yaml' or 'json'." },
    { name: 'short', type: 'bool', default: false, usage: 'Print just the version number (e.g. v1.18.2).' },
  ],
  async run({ ctx, flags }) {
    const info = versionInfo();
    const output = String(flags.output ?? '');
    if (output && output !== 'json' && output !== 'yaml') {
      throw new UsageError(`--output must be 'yaml' or 'json', got '${output}'`);
    }
    if (flags.short) {
      ctx.stdout.write(`${info.gitVersion}\n`);
    } else if (output === 'json') {
      ctx.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
    } else if (output === 'yaml') {
          const yaml = await import('yaml');
      const stringify = yaml.stringify ?? (yaml as unknown as { default: typeof yaml }).default.stringify;
      ctx.stdout.write(stringify(info));
    } else {
      ctx.stdout.write(`${ctx.program} version: ${goStructString(info)}\n`);
    }
  },
};
