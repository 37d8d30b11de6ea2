import { describe, expect, it } from 'vitest';
import { runCli } from '../support/context';
import { COMMAND_GROUPS } from '../../src/ui/help';
import { rootSpec } from '../../src/commands/index';
import { KARMADA_VERSION } from '../../src/version';

describe('root help', () => {
  for (const invokedAs of ['karmadactl', 'kubectl-karmada'] as const) {
    const program = invokedAs === 'karmadactl' ? 'karmadactl' : 'kubectl karmada';
    it(`lists the command groups in the reference order (${invokedAs})`, async () => {
      const r = await runCli(['--help'], { invokedAs });
      expect(r.code).toBe(0);
      expect(r.stdout.startsWith(`${program} controls a Kubernetes Cluster Federation.`)).toBe(true);
      // Every command we ship appears under its group, groups in reference order.
      const shipped = new Set((rootSpec.children ?? []).map((c) => c.name));
      let last = -1;
      for (const g of COMMAND_GROUPS) {
        const present = g.commands.filter((c) => shipped.has(c));
        const at = r.stdout.indexOf(`${g.title}:`);
        if (!present.length) {
          expect(at).toBe(-1); // no empty groups, no stubs
          continue;
        }
        expect(at).toBeGreaterThan(last);
        last = at;
        for (const c of present) expect(r.stdout).toMatch(new RegExp(`\\n  ${c} +\\S`));
      }
      expect(r.stdout).toContain(`Usage:\n  ${program} [flags] [options]`);
      expect(r.stdout).toContain(`Use "${program} <command> --help" for more information about a given command.`);
      if (invokedAs === 'kubectl-karmada') expect(r.stdout).not.toMatch(/kubectl-karmada|karmadactl/);
    });

    it(`prints the same help with no arguments (${invokedAs})`, async () => {
      const a = await runCli([], { invokedAs });
      const b = await runCli(['-h'], { invokedAs });
      expect(a.code).toBe(0);
      expect(a.stdout).toBe(b.stdout);
    });

    it(`subcommand help names the program as typed (${invokedAs})`, async () => {
      const r = await runCli(['version', '--help'], { invokedAs });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage:\n  ${program} version [options]`);
      expect(r.stdout).toContain(`  ${program} version\n`);
      expect(r.stdout).toContain("    -o, --output='':");
      expect(r.stdout).toContain('    --short=false:');
      if (invokedAs === 'kubectl-karmada') expect(r.stdout).not.toContain('kubectl-karmada');
    });
  }
});

describe('version', () => {
  it('prints the Go-style struct line like the reference', async () => {
    const r = await runCli(['version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^karmadactl version: version\\.Info\\{GitVersion:"${KARMADA_VERSION}", GitCommit:"[^"]*", GitShortCommit:"[^"]*", GitTreeState:"[^"]*", BuildDate:"[^"]*", GoVersion:"[^"]*", Compiler:"[^"]*", Platform:"[^"]*"\\}\\n$`));
  });
  it('uses the plugin prefix as the plugin', async () => {
    const r = await runCli(['version'], { invokedAs: 'kubectl-karmada' });
    expect(r.stdout.startsWith('kubectl karmada version: version.Info{')).toBe(true);
  });
  it('has -o json, -o yaml and --short', async () => {
    const j = await runCli(['version', '-o', 'json']);
    const info = JSON.parse(j.stdout);
    expect(info.gitVersion).toBe(KARMADA_VERSION);
    expect(info.platform).toMatch(/^[a-z0-9]+\/[a-z0-9]+$/);
    const y = await runCli(['version', '--output=yaml']);
    expect(y.stdout).toContain(`gitVersion: ${KARMADA_VERSION}`);
    const s = await runCli(['version', '--short']);
    expect(s.stdout).toBe(`${KARMADA_VERSION}\n`);
    const s2 = await runCli(['version', '--short=false']);
    expect(s2.stdout).toContain('version.Info{');
  });
  it('ignores positional arguments like the reference', async () => {
    const r = await runCli(['version', 'extra']);
    expect(r.code).toBe(0);
  });
  it('rejects a bad output format with a one-line error', async () => {
    const r = await runCli(['version', '-o', 'xml']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: .*xml/);
    expect(r.stdout).toBe('');
  });
});

describe('errors', () => {
  it('unknown command: error with a suggestion, exit 1', async () => {
    const r = await runCli(['verson']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: unknown command "verson" for "karmadactl"');
    expect(r.stderr).toContain('\tversion');
  });
  it('unknown flag: kubectl wording and the help hint', async () => {
    const r = await runCli(['version', '--bogus']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: unknown flag: --bogus');
    expect(r.stderr).toContain("See 'karmadactl version --help' for usage.");
  });
  it('bad boolean value names the flag', async () => {
    const r = await runCli(['version', '--short=maybe']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('"--short"');
  });
  it('accepts --flag=true for booleans like pflag', async () => {
    const r = await runCli(['version', '--short=true']);
    expect(r.stdout).toBe(`${KARMADA_VERSION}\n`);
  });
  it('global -v is accepted before and after the command', async () => {
    expect((await runCli(['-v', '6', 'version', '--short'])).code).toBe(0);
    expect((await runCli(['version', '--short', '--v=6'])).code).toBe(0);
  });
  it('options lists the global flags', async () => {
    const r = await runCli(['options']);
    expect(r.stdout).toContain('The following options can be passed to any command:');
    expect(r.stdout).toContain('-v, --v=0:');
  });
  it('options ignores positional arguments like the reference (spec §8) and has a help of its own', async () => {
    const list = await runCli(['options']);
    expect(await runCli(['options', 'foo', 'bar'])).toMatchObject({ code: 0, stdout: list.stdout });
    const h = await runCli(['options', '--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/^Print the list of flags inherited by all commands\n[\s\S]*\n {2}karmadactl options\n/);
  });
});
