import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { mkdtemp, writeFile, chmod, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bashScript, fishScript, zshScript } from '../../src/completion/scripts';
import { runCli } from '../support/context';

const has = (bin: string) => ['/bin', '/usr/bin', '/usr/local/bin'].some((d) => existsSync(path.join(d, bin)));

/** A stand-in program on PATH that answers `__complete` through the real CLI tree, in-process per call. */
async function stubProgram(name: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kc-compl-'));
  const repo = path.resolve(__dirname, '../..');
  const script = `#!/bin/sh\nexec "${process.execPath}" "${repo}/bin/${name === 'kubectl-karmada' ? 'kubectl-karmada' : 'karmadactl'}" "$@"\n`;
  await writeFile(path.join(dir, name), script);
  await chmod(path.join(dir, name), 0o755);
  return dir;
}

describe.skipIf(!existsSync(path.resolve(__dirname, '../../dist/main.js')))('bash completion end to end (needs npm run build)', () => {
  for (const name of ['karmadactl', 'kubectl-karmada']) {
    it(`completes commands and flags of ${name}`, async () => {
      const dir = await stubProgram(name);
      const script = bashScript(name);
      const drive = (line: string) =>
        execa('bash', ['-c', `${script}\nCOMP_LINE='${line}'; COMP_POINT=\${#COMP_LINE}; __${name.replace(/-/g, '_')}_complete; printf '%s\\n' "\${COMPREPLY[@]}"`], {
          env: { PATH: `${dir}:${process.env.PATH}` },
        });
      const cmds = (await drive(`${name} ver`)).stdout.split('\n');
      expect(cmds).toEqual(['version']);
      const flags = (await drive(`${name} version --sh`)).stdout.split('\n');
      expect(flags).toEqual(['--short']);
      const shells = (await drive(`${name} completion `)).stdout.split('\n');
      expect(shells).toEqual(['bash', 'zsh', 'fish']);
    });
  }
});

describe('generated scripts', () => {
  it('bash accepts the bash script for both program names', async () => {
    for (const n of ['karmadactl', 'kubectl-karmada']) await expect(execa('bash', ['-n'], { input: bashScript(n) })).resolves.toBeTruthy();
  });
  it.skipIf(!has('zsh'))('zsh parses the zsh script', async () => {
    await expect(execa('zsh', ['-n'], { input: zshScript('kubectl-karmada') })).resolves.toBeTruthy();
  });
  it.skipIf(!has('fish'))('fish parses the fish script', async () => {
    // fish reads a script only from a file argument (`fish --no-execute` with stdin fails on some builds)
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kfish-'));
    try {
      const file = path.join(dir, 'kubectl-karmada.fish');
      await writeFile(file, fishScript('kubectl-karmada'));
      const r = await execa('fish', ['--no-execute', file]);
      expect(r.exitCode).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
  it('completion SHELL prints the script for the program name in use; errors follow the reference', async () => {
    const z = await runCli(['completion', 'zsh'], { invokedAs: 'kubectl-karmada' });
    expect(z.stdout.split('\n').slice(0, 2)).toEqual(['#compdef kubectl-karmada', 'compdef _kubectl_karmada kubectl-karmada']);
    const none = await runCli(['completion']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('Shell not specified.');
    const bad = await runCli(['completion', 'tcsh']);
    expect(bad.stderr).toContain('Unsupported shell type "tcsh".');
    const many = await runCli(['completion', 'bash', 'zsh']);
    expect(many.stderr).toContain('Too many arguments. Expected only the shell type.');
  });
  it('__complete answers through the CLI in-process, directive last', async () => {
    const r = await runCli(['__complete', 'vers']);
    expect(r.stdout.split('\n')).toEqual(['version\tPrint the version information', ':4', '']);
    expect(r.stderr).toContain('Completion ended with directive: 4');
  });
  it('__complete reads flags anywhere, as the command line does', async () => {
    const r = await runCli(['__completeNoDesc', '-v', '3', 'completion', '']);
    expect(r.stdout.split('\n')).toEqual(['bash', 'zsh', 'fish', ':4', '']);
    const f = await runCli(['__completeNoDesc', '--kubeconfig', '/nonexistent', 'token', 'create', '--print']);
    expect(f.stdout.split('\n')).toEqual(['--print-register-command', ':4', '']);
  });
});
