import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// test/e2e/kube/build.sh on a fresh machine (an empty cache), with a stub `go` on PATH so every
// branch runs in seconds. The stub answers what build.sh asks of go and records every call; the
// binaries build.sh builds are taken from the stub's record, so components added later are covered.

const REPO = path.resolve(import.meta.dirname, '../..');
// How `npm test` runs it: relative to the repository root.
const SCRIPT = process.env.BUILD_SH_UNDER_TEST ?? 'test/e2e/kube/build.sh';

// The components the e2e suite and the benchmarks need; build.sh may build more.
const KNOWN = [
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'etcd',
  'kwok',
  'krew',
  'karmadactl',
  'karmada-aggregated-apiserver',
  'karmada-search',
  'karmada-controller-manager',
  'karmada-scheduler',
  'karmada-webhook',
  'karmada-agent',
  'karmada-descheduler',
  'karmada-scheduler-estimator',
  'karmada-metrics-adapter',
  'karmada-pkigen',
  'metrics-server',
];

const STUB_GO = `#!/usr/bin/env bash
# stub go: records each call (cwd, GOBIN, args) as one line of JSON-ish tab-separated text
set -euo pipefail
printf '%s\\t%s\\t%s\\n' "$PWD" "\${GOBIN:-}" "$*" >> "$STUB_GO_LOG"
cmd="\${1:-}"; shift || true
case "$cmd" in
  env) echo "GOOS='linux'"; echo "GOARCH='amd64'"; echo "GOPATH='$STUB_GO_HOME'" ;;
  version) echo "go version go1.25.0 linux/amd64" ;;
  mod)
    [[ "\${1:-}" == download ]] || { echo "stub go: unexpected go mod $*" >&2; exit 2; }
    mod="\${@: -1}"
    f="$STUB_GO_HOME/gomod/\${mod//\\//_}.mod"
    mkdir -p "$(dirname "$f")"
    {
      echo "module \${mod%@*}"
      echo "go 1.24.0"
      echo "replace ("
      echo "	k8s.io/api => ./staging/src/k8s.io/api"
      echo "	k8s.io/client-go => ./staging/src/k8s.io/client-go"
      echo "	go.etcd.io/etcd/api/v3 => ../api"
      echo "	go.etcd.io/etcd/client/v3 => ../client/v3"
      echo ")"
    } > "$f"
    printf '{\\n\\t"Path": "%s",\\n\\t"Version": "%s",\\n\\t"GoMod": "%s"\\n}\\n' "\${mod%@*}" "\${mod#*@}" "$f"
    ;;
  get) ;;
  build)
    out=""; pkg=""
    while (( $# )); do
      case "$1" in
        -o) out="$2"; shift 2 ;;
        -ldflags|-tags|-gcflags|-mod) shift 2 ;;
        -*) shift ;;
        *) pkg="$1"; shift ;;
      esac
    done
    [[ -n "$out" && -n "$pkg" ]] || { echo "stub go: go build without -o or package" >&2; exit 2; }
    if [[ "$pkg" == ./* && ! -e "$pkg" ]]; then echo "stub go: $pkg: directory not found in $PWD" >&2; exit 1; fi
    [[ -f go.mod || "$pkg" == ./* ]] || { echo "stub go: go build outside a module in $PWD" >&2; exit 1; }
    printf '#!/bin/sh\\necho %s\\n' "$pkg" > "$out"; chmod +x "$out"
    ;;
  install)
    [[ -n "\${GOBIN:-}" ]] || { echo "stub go: go install without GOBIN" >&2; exit 2; }
    pkg="\${@: -1}"; pkg="\${pkg%@*}"
    mkdir -p "$GOBIN"
    printf '#!/bin/sh\\necho %s\\n' "$pkg" > "$GOBIN/\${pkg##*/}"; chmod +x "$GOBIN/\${pkg##*/}"
    ;;
  *) echo "stub go: unexpected go $cmd $*" >&2; exit 2 ;;
esac
`;

interface Call {
  cwd: string;
  gobin: string;
  args: string[];
}

let work: string;
let stubBin: string;
let cache: string;
let log: string;

function runBuild(): { status: number | null; stdout: string; stderr: string; calls: Call[] } {
  writeFileSync(log, '');
  const r = spawnSync('bash', [SCRIPT], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      PATH: `${stubBin}:${process.env.PATH}`,
      HOME: path.join(work, 'home'),
      KARMADACTL_E2E_CACHE: cache,
      STUB_GO_LOG: log,
      STUB_GO_HOME: path.join(work, 'gohome'),
    },
  });
  const calls = readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [cwd, gobin, args] = l.split('\t');
      return { cwd, gobin, args: args.split(' ') };
    });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, calls };
}

/** The executables a run of build.sh asked go to produce. */
function targets(calls: Call[]): string[] {
  const out: string[] = [];
  for (const c of calls) {
    if (c.args[0] === 'build') out.push(c.args[c.args.indexOf('-o') + 1]);
    if (c.args[0] === 'install') out.push(path.join(c.gobin, c.args[c.args.length - 1].replace(/@.*$/, '').split('/').pop()!));
  }
  return out;
}

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'build-sh-'));
  stubBin = path.join(work, 'stub');
  cache = path.join(work, 'cache'); // does not exist yet: the freshest machine
  log = path.join(work, 'go.log');
  mkdirSync(stubBin);
  writeFileSync(path.join(stubBin, 'go'), STUB_GO);
  chmodSync(path.join(stubBin, 'go'), 0o755);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('test/e2e/kube/build.sh on an empty cache (stub go)', () => {
  let first: ReturnType<typeof runBuild>;

  it('builds every component, each with its .version file, and prints the bin directory', () => {
    expect(existsSync(cache)).toBe(false);
    first = runBuild();
    expect(first.stderr).not.toMatch(/No such file or directory|stub go:/);
    expect(first.status).toBe(0);
    const bin = path.join(cache, 'bin');
    expect(first.stdout.trim()).toBe(bin);
    const built = targets(first.calls);
    // every target is in the bin directory, is executable and has its version stamp
    for (const t of built) {
      expect(path.dirname(t)).toBe(bin);
      expect(statSync(t).mode & 0o111).not.toBe(0);
      const version = readFileSync(`${t}.version`, 'utf8').trim();
      expect(version).not.toBe('');
    }
    const names = built.map((t) => path.basename(t));
    expect(names).toEqual(expect.arrayContaining(KNOWN));
    expect(new Set(names).size).toBe(names.length); // nothing built twice
    // nothing in bin/ that go did not build (other than the .version stamps)
    const files = readdirSync(bin).filter((f) => !f.endsWith('.version'));
    expect(files.sort()).toEqual([...names].sort());
  });

  it('writes the wrapper modules from the downloaded go.mod (staging and sibling modules from the proxy)', () => {
    const k8s = readFileSync(path.join(cache, 'src/kubernetes-1.35.4/go.mod'), 'utf8');
    expect(k8s).toMatch(/^module karmadactl\.e2e\/kube$/m);
    expect(k8s).toMatch(/^go 1\.24\.0$/m);
    expect(k8s).toMatch(/^replace k8s\.io\/api => k8s\.io\/api v0\.35\.4$/m);
    const etcd = readFileSync(path.join(cache, 'src/etcd-3.6.5/go.mod'), 'utf8');
    expect(etcd).toMatch(/^replace go\.etcd\.io\/etcd\/api\/v3 => go\.etcd\.io\/etcd\/api\/v3 v3\.6\.5$/m);
    const karmada = readFileSync(path.join(cache, 'src/karmada-1.18.2/go.mod'), 'utf8');
    expect(karmada).toMatch(/^require github\.com\/karmada-io\/karmada v1\.18\.2$/m);
    // the bench's pkigen is built from the repository's source, inside the karmada wrapper module
    const pkigen = first.calls.find((c) => c.args[0] === 'build' && c.args.includes('./pkigen'));
    expect(pkigen?.cwd).toBe(path.join(cache, 'src/karmada-1.18.2'));
    expect(readFileSync(path.join(cache, 'src/karmada-1.18.2/pkigen/main.go'), 'utf8')).toBe(
      readFileSync(path.join(REPO, 'bench/go/pkigen/main.go'), 'utf8'),
    );
  });

  it('a second run builds nothing and asks go for nothing', () => {
    const second = runBuild();
    expect(second.status).toBe(0);
    expect(second.stdout.trim()).toBe(path.join(cache, 'bin'));
    expect(second.calls).toEqual([]);
  });

  it('a changed version stamp rebuilds only that component', () => {
    const bin = path.join(cache, 'bin');
    writeFileSync(path.join(bin, 'kwok.version'), '0.0.1\n');
    const third = runBuild();
    expect(third.status).toBe(0);
    expect(targets(third.calls).map((t) => path.basename(t))).toEqual(['kwok']);
  });
});

describe('the README set-up commands', () => {
  it('.ci/run runs exactly the README\'s second set-up command (npm ci && npm test)', () => {
    const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
    const setup = readme.split(/^## /m).find((s) => s.startsWith('Set-up on a fresh machine'));
    expect(setup).toBeDefined();
    const blocks = [...setup!.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1].trim());
    expect(blocks).toHaveLength(2);
    expect(blocks[1]).toBe('npm ci && npm test');
    const ci = readFileSync(path.join(REPO, '.ci/run'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#') && !/^(set|cd) /.test(l))
      .map((l) => l.split(' ').filter((w) => !w.startsWith('--')).join(' '));
    expect(ci).toEqual(blocks[1].split(' && '));
    // and npm test is what builds the components with build.sh
    const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.test).toContain('npm run e2e:build');
    expect(pkg.scripts['e2e:build']).toContain('bash test/e2e/kube/build.sh');
  });
});
