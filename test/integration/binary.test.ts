import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { copyFile, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { existsSync, realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

// The single executable (scripts/build-binary.mjs), run the way a user who downloaded it would: copied
// into an empty directory, with no node on PATH, from a directory outside the repo.
const repo = path.resolve(__dirname, '../..');
const crds = path.resolve(__dirname, '../../../shared/fixtures/karmada-crds-v1.18.2.tar.gz');
const node24 = path.join(repo, 'node_modules/.bin/node');
const which = (bin: string) => ['/usr/local/bin', '/usr/bin', '/bin'].map((d) => path.join(d, bin)).find((p) => existsSync(p));
const kubectl = which('kubectl');

let tmp: string;
let binDir: string;
/** Only the binaries and the few tools their shell script needs; /usr/bin holds a node, so it is not on PATH. */
let PATH: string;

const run = (cmd: string, args: string[], extraEnv: Record<string, string> = {}) =>
  execa(cmd, args, {
    cwd: tmp,
    env: { PATH, HOME: tmp, TMPDIR: tmp, NO_COLOR: '1', ...extraEnv },
    extendEnv: false,
    reject: false,
  });

beforeAll(async () => {
  await execa(existsSync(node24) ? realpathSync(node24) : process.execPath, [path.join(repo, 'scripts/build-binary.mjs')], { cwd: repo });
  tmp = await mkdtemp(path.join(os.tmpdir(), 'kc-binary-'));
  binDir = path.join(tmp, 'bin');
  const tools = path.join(tmp, 'tools');
  await mkdir(binDir);
  await mkdir(tools);
  for (const f of ['karmadactl', 'kubectl-karmada', 'kubectl_complete-karmada']) await copyFile(path.join(repo, 'dist-bin', f), path.join(binDir, f));
  for (const t of ['sh', 'dirname']) await symlink(which(t)!, path.join(tools, t));
  PATH = `${binDir}:${tools}`;
}, 240_000);

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('single executable (dist-bin/)', () => {
  it('runs with no node on PATH', async () => {
    const r = await run('sh', ['-c', 'command -v node']);
    expect(r.exitCode).not.toBe(0);
    expect(r.stdout).toBe('');
    const v = await run('karmadactl', ['version']);
    expect(v.exitCode).toBe(0);
  });

  it('version prints the version', async () => {
    const r = await run('karmadactl', ['version']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^karmadactl version: version\.Info\{GitVersion:"v\d+\.\d+\.\d+", GitCommit:"(?:[0-9a-f]{40}|unknown)"/);
    expect(r.stdout).toContain('GoVersion:"node24.'); // the Node.js inside the binary, whatever runs the tests
    expect(r.stderr).toBe('');
    const plugin = await run('kubectl-karmada', ['version']);
    expect(plugin.stdout.startsWith('kubectl karmada version: version.Info{GitVersion:"v')).toBe(true);
  });

  it('--help lists the commands', async () => {
    const r = await run('karmadactl', ['--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.startsWith('karmadactl controls a Kubernetes Cluster Federation.')).toBe(true);
    for (const c of ['init', 'join', 'unjoin', 'cordon', 'uncordon', 'taint', 'completion', 'version']) expect(r.stdout).toMatch(new RegExp(`\\n  ${c} +\\S`));
    expect(r.stdout).toContain('Usage:\n  karmadactl [flags] [options]');
  });

  it('kubectl-karmada --help says `kubectl karmada`, never karmadactl', async () => {
    const r = await run('kubectl-karmada', ['--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.startsWith('kubectl karmada controls a Kubernetes Cluster Federation.')).toBe(true);
    expect(r.stdout).toContain('Usage:\n  kubectl karmada [flags] [options]');
    expect(r.stdout).not.toMatch(/karmadactl|kubectl-karmada/);
  });

  it('takes its name from the file name it is started as (a symlink too)', async () => {
    const link = path.join(tmp, 'links');
    await mkdir(link, { recursive: true });
    await symlink(path.join(binDir, 'karmadactl'), path.join(link, 'kubectl-karmada'));
    const r = await run(path.join(link, 'kubectl-karmada'), ['version']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.startsWith('kubectl karmada version:')).toBe(true);
  });

  it('kubectl_complete-karmada completes through kubectl-karmada', async () => {
    const r = await run('kubectl_complete-karmada', ['ver']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^version\t/);
    expect(r.stdout).toMatch(/^:4$/m); // cobra's ShellCompDirectiveNoFileComp
  });

  it.skipIf(!existsSync(crds))('init --dry-run renders the control plane with the embedded templates', async () => {
    const r = await run('karmadactl', ['init', '--dry-run', '--karmada-apiserver-advertise-address', '10.0.0.10', '--crds', crds]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('kind: Deployment');
    expect(r.stdout).toContain('name: karmada-apiserver');
    const docs = parseAllDocuments(r.stdout).map((d) => d.toJSON() as { kind?: string; metadata?: { name?: string }; spec?: any });
    const apiserver = docs.find((d) => d?.kind === 'Deployment' && d.metadata?.name === 'karmada-apiserver');
    expect(apiserver).toBeDefined();
    expect(apiserver!.spec.template.spec.containers[0].command[0]).toBe('kube-apiserver');
    // Every component from the embedded templates, the CRDs from the --crds archive, the advertised address.
    for (const name of ['karmada-aggregated-apiserver', 'kube-controller-manager', 'karmada-scheduler', 'karmada-controller-manager', 'karmada-webhook']) {
      expect(docs.some((d) => d?.kind === 'Deployment' && d.metadata?.name === name), name).toBe(true);
    }
    expect(docs.filter((d) => d?.kind === 'CustomResourceDefinition').length).toBeGreaterThanOrEqual(10);
    expect(r.stdout).toContain('server: https://10.0.0.10:32443');
  }, 60_000);
});

describe.skipIf(!kubectl)('kubectl finds the plugin', () => {
  it('kubectl plugin list shows kubectl-karmada', async () => {
    const r = await execa(kubectl!, ['plugin', 'list'], {
      env: { PATH: `${binDir}:/usr/local/bin:/usr/bin:/bin`, HOME: tmp },
      extendEnv: false,
      reject: false,
    });
    expect(r.stdout).toMatch(new RegExp(`^${path.join(binDir, 'kubectl-karmada')}$`, 'm'));
  });

  it('kubectl karmada runs the binary as the plugin', async () => {
    const r = await execa(kubectl!, ['karmada', 'version'], {
      env: { PATH: `${binDir}:/usr/local/bin:/usr/bin:/bin`, HOME: tmp },
      extendEnv: false,
      reject: false,
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout.startsWith('kubectl karmada version: version.Info{')).toBe(true);
  });
});

// The krew route, with the real krew (built by test/e2e/kube/build.sh from the Go module proxy): the
// release manifest and archive install offline, and krew refuses an archive whose sha256 differs.
const krew = path.join(process.env.KARMADACTL_E2E_CACHE ?? path.join(os.homedir(), '.cache', 'karmadactl-e2e'), 'bin', 'krew');
describe.skipIf(!kubectl || !existsSync(krew))('krew installs the plugin', () => {
  it('kubectl krew install --manifest --archive, then kubectl karmada runs; a wrong sha256 is refused', async () => {
    const rel = await execa(existsSync(node24) ? realpathSync(node24) : process.execPath, [path.join(repo, 'scripts/release.mjs'), '--no-build'], { cwd: repo, reject: false });
    expect(rel.exitCode, rel.stderr).toBe(0);
    const home = path.join(tmp, 'krew-home');
    const tools = path.join(tmp, 'krew-tools');
    await mkdir(home);
    await mkdir(tools);
    await symlink(krew, path.join(tools, 'kubectl-krew'));
    const env = { PATH: `${path.join(home, '.krew', 'bin')}:${tools}:/usr/local/bin:/usr/bin:/bin`, HOME: home };
    const k = (...args: string[]) => execa(kubectl!, args, { env, extendEnv: false, reject: false, cwd: tmp });
    const manifest = path.join(repo, 'plugins/karmada.yaml');
    const archive = path.join(repo, 'dist-bin/kubectl-karmada-linux-amd64.tgz');

    const { readFile, writeFile } = await import('node:fs/promises');
    const bad = path.join(tmp, 'bad.yaml');
    await writeFile(bad, (await readFile(manifest, 'utf8')).replace(/sha256: ([0-9a-f])/, (_m, c: string) => `sha256: ${c === '0' ? '1' : '0'}`));
    const refused = await k('krew', 'install', `--manifest=${bad}`, `--archive=${archive}`);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toContain('checksum does not match');

    const inst = await k('krew', 'install', `--manifest=${manifest}`, `--archive=${archive}`);
    expect(inst.exitCode, inst.stderr).toBe(0);
    expect(inst.stderr).toContain('Installed plugin: karmada');
    const v = await k('karmada', 'version');
    expect(v.exitCode, v.stderr).toBe(0);
    expect(v.stdout.startsWith('kubectl karmada version: version.Info{')).toBe(true);
    const list = await k('plugin', 'list');
    expect(list.stdout).toContain(path.join(home, '.krew', 'bin', 'kubectl-karmada'));
  }, 240_000);
});
