// Builds single-file executables (Node.js Single Executable Applications) for the machine's platform,
// normally linux-x64, into dist-bin/:
//   dist-bin/karmadactl                the CLI with Node.js 24 inside; nothing is read from the repo at run time
//   dist-bin/kubectl-karmada           a hard link to it: the file name decides the program (`kubectl karmada`)
//   dist-bin/kubectl_complete-karmada  a /bin/sh script for kubectl's plugin completion
//
// Steps: esbuild bundles src/ (the templates via the `?raw` plugin of scripts/build.mjs, every dependency,
// dynamic imports inlined as require) into ONE CommonJS file; `node --experimental-sea-config` turns it
// into a blob; postject injects the blob into a (stripped) copy of the Node 24 binary of the `node`
// devDependency, at the sentinel fuse NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2.
//
// Modes (--mode, measured in bench/RESULTS-binary.md; the default is the fastest):
//   warm-cache  (default) the bundle and a V8 code cache made AFTER running `version` and `--help` at
//               build time are SEA assets; scripts/sea-loader.cjs, the SEA main, compiles the bundle with
//               that cache. SEA's own useCodeCache only caches the top level of the main script.
//   code-cache  the bundle is the SEA main, "useCodeCache": true
//   snapshot    "useSnapshot": true: the bundle's top level runs at build time (scripts/sea-snapshot-entry.ts)
//   none        the bundle is the SEA main, no cache
//
// Usage: node scripts/build-binary.mjs [--mode warm-cache|code-cache|snapshot|none] [--no-strip] [--out DIR]
//   --no-strip  keep the Node binary's symbols and debug info (17 MiB larger)
import { build } from 'esbuild';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmod, copyFile, link, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync, realpathSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rawPlugin } from './build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const SENTINEL_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const MODES = ['warm-cache', 'code-cache', 'snapshot', 'none'];

const args = process.argv.slice(2);
const valueOf = (flag) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
const opt = {
  mode: valueOf('--mode') ?? 'warm-cache',
  strip: !args.includes('--no-strip'),
  out: path.resolve(valueOf('--out') ?? path.join(root, 'dist-bin')),
};
if (!MODES.includes(opt.mode)) throw new Error(`--mode must be one of ${MODES.join(', ')}`);
/** Commands run at build time before the code cache is made (warm-cache mode). */
const WARM_UP = [
  { invokedAs: 'karmadactl', argv: ['version'] },
  { invokedAs: 'karmadactl', argv: ['--help'] },
  { invokedAs: 'kubectl-karmada', argv: ['--help'] },
  { invokedAs: 'karmadactl', argv: ['init', '--help'] },
];
const work = path.join(root, 'build', 'sea');

const log = (msg) => process.stderr.write(`[build-binary] ${msg}\n`);

/** The real Node 24 executable of the `node` devDependency (node_modules/.bin/node is a symlink to it). */
function nodeBinary() {
  for (const p of [path.join(root, 'node_modules/.bin/node'), path.join(root, 'node_modules/node/bin/node')]) {
    if (!existsSync(p)) continue;
    const real = realpathSync(p);
    const v = execFileSync(real, ['--version'], { encoding: 'utf8' }).trim();
    if (!/^v24\./.test(v)) throw new Error(`${real} is Node.js ${v}; the binary is built from Node.js 24 (devDependency "node@24")`);
    // node_modules/node/bin/node may be a JS shim on some installs; SEA needs the ELF executable.
    const head = spawnSync('head', ['-c', '4', real], { encoding: 'latin1' }).stdout;
    if (process.platform === 'linux' && head !== '\x7fELF') throw new Error(`${real} is not an ELF executable`);
    return real;
  }
  throw new Error('node_modules/.bin/node not found: run `npm install` (devDependency "node@24")');
}

function buildInfo(pkg) {
  const git = (a) => {
    try {
      return execFileSync('git', a, { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    } catch {
      return '';
    }
  };
  const commit = git(['rev-parse', 'HEAD']) || 'unknown';
  const treeState = commit === 'unknown' ? 'unknown' : git(['status', '--porcelain', '--untracked-files=no']) ? 'dirty' : 'clean';
  return {
    'process.env.KARMADACTL_BUILD_VERSION': JSON.stringify(pkg.version),
    'process.env.KARMADACTL_BUILD_COMMIT': JSON.stringify(commit),
    'process.env.KARMADACTL_BUILD_TREE_STATE': JSON.stringify(treeState),
    'process.env.KARMADACTL_BUILD_DATE': JSON.stringify(new Date().toISOString().replace(/\.\d+Z$/, 'Z')),
  };
}

const ENTRY = {
  'warm-cache': 'scripts/sea-app.ts',
  'code-cache': 'scripts/sea-entry.ts',
  snapshot: 'scripts/sea-snapshot-entry.ts',
  none: 'scripts/sea-entry.ts',
};

/** One CommonJS file, no splitting: every `import()` becomes a lazily run module wrapper or a require. */
async function bundleCjs(outfile, pkg) {
  await build({
    absWorkingDir: root,
    entryPoints: [path.join(root, ENTRY[opt.mode])],
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    splitting: false,
    // `import('node:fs')` of a built-in would stay an import(), which a SEA main / vm.Script cannot run.
    supported: { 'dynamic-import': false },
    charset: 'ascii',
    outfile,
    sourcemap: false,
    minifySyntax: true,
    minifyWhitespace: true,
    legalComments: 'none',
    logLevel: 'warning',
    define: buildInfo(pkg),
    plugins: [rawPlugin],
  });
  let src = await readFile(outfile, 'utf8');
  // esbuild keeps non-ASCII characters of regular expression literals (e.g. `µs` in Go durations);
  // \uXXXX means the same there and in strings, and keeps the source one-byte for V8.
  src = src.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  // Inside a SEA, `require` loads built-in modules only: a require of a package that esbuild left in
  // place (optional dependencies in try/catch, e.g. ws's bufferutil) must be one that is allowed to fail.
  const external = new Set([...src.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]).filter((m) => !isBuiltin(m)));
  const bad = [...external].filter((m) => !['bufferutil', 'utf-8-validate', 'supports-color'].includes(m));
  if (bad.length) throw new Error(`the bundle requires modules that would not exist inside the binary: ${bad.join(', ')}`);
  if (/\bimport\(/.test(src.replace(/"(?:[^"\\\n]|\\.)*"/g, '""'))) throw new Error('the bundle still contains a dynamic import()');
  return src;
}

/**
 * warm-cache mode: runs the wrapped bundle in a fresh Node 24 process (same V8 and flags as the binary),
 * runs WARM_UP in-process, then saves the code cache, which now holds every function those compiled.
 */
async function warmCache(node, appFile, cacheFile) {
  const trainer = path.join(work, 'warm-cache.cjs');
  await writeFile(trainer, `'use strict';
const fs = require('node:fs');
const vm = require('node:vm');
const [appFile, cacheFile, warmUp] = process.argv.slice(2);
const script = new vm.Script(fs.readFileSync(appFile, 'latin1'), { filename: 'karmadactl.js' });
const mod = { exports: {} };
script.runInThisContext()(mod.exports, require, mod, __filename, __dirname);
mod.exports.warmUp(JSON.parse(warmUp)).then((codes) => {
  if (codes.some((c) => c !== 0)) throw new Error('warm-up exit codes ' + codes.join(' '));
  fs.writeFileSync(cacheFile, script.createCachedData());
});
`);
  execFileSync(node, [trainer, appFile, cacheFile, JSON.stringify(WARM_UP)], { cwd: work, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: work }, stdio: ['ignore', 'inherit', 'inherit'] });
}

async function main() {
  const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));
  const node = nodeBinary();
  const started = Date.now();
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  await mkdir(opt.out, { recursive: true });

  const bundleFile = path.join(work, 'karmadactl.cjs');
  log(`bundling ${ENTRY[opt.mode]} to ${path.relative(root, bundleFile)} (cjs, node24, no splitting; mode ${opt.mode})`);
  const src = await bundleCjs(bundleFile, pkg);

  const blob = path.join(work, 'sea-prep.blob');
  const seaConfig = { main: bundleFile, output: blob, disableExperimentalSEAWarning: true, useCodeCache: opt.mode === 'code-cache' };
  if (opt.mode === 'snapshot') seaConfig.useSnapshot = true;
  if (opt.mode === 'warm-cache') {
    // The bundle as a function expression (the CommonJS wrapper) for scripts/sea-loader.cjs.
    const appFile = path.join(work, 'app.js');
    const cacheFile = path.join(work, 'app.cache');
    await writeFile(appFile, `(function (exports, require, module, __filename, __dirname) {${src}\n})`, 'latin1');
    log(`warming up (${WARM_UP.map((w) => w.argv.join(' ')).join('; ')}) for the code cache`);
    await warmCache(node, appFile, cacheFile);
    await copyFile(path.join(root, 'scripts/sea-loader.cjs'), path.join(work, 'sea-loader.cjs'));
    Object.assign(seaConfig, { main: path.join(work, 'sea-loader.cjs'), useCodeCache: true, assets: { 'app.js': appFile, 'app.cache': cacheFile } });
  } else {
    await writeFile(bundleFile, src, 'latin1');
  }
  const configFile = path.join(work, 'sea-config.json');
  await writeFile(configFile, `${JSON.stringify(seaConfig, null, 2)}\n`);
  log(`preparing the blob with ${node} (${execFileSync(node, ['--version'], { encoding: 'utf8' }).trim()})`);
  const prep = spawnSync(node, ['--experimental-sea-config', configFile], { cwd: work, encoding: 'utf8' });
  // A snapshot built from the bundle warns that child_process is "not yet fully verified": shown, not fatal.
  process.stderr.write(prep.stderr.replace(/^.*ExperimentalWarning: Single executable.*\n/m, ''));
  if (prep.status !== 0) throw new Error(`node --experimental-sea-config exited ${prep.status}`);

  const exe = path.join(opt.out, 'karmadactl');
  const tmpExe = path.join(work, 'karmadactl');
  await copyFile(node, tmpExe);
  await chmod(tmpExe, 0o755);
  if (opt.strip && process.platform === 'linux' && spawnSync('strip', ['--version']).status === 0) {
    // Node's release binaries carry symbols and debug info (17 MiB); they are not needed to run.
    execFileSync('strip', ['--strip-all', tmpExe]);
  }
  log('injecting the blob with postject');
  // postject's CLI in a child: LIEF prints harmless "Can't find string offset for section name '.note'"
  // warnings for a stripped binary; they are filtered, anything else is shown.
  const inj = spawnSync(node, [require.resolve('postject/dist/cli.js'), tmpExe, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SENTINEL_FUSE,
    ...(process.platform === 'darwin' ? ['--macho-segment-name', 'NODE_SEA'] : [])], { encoding: 'utf8' });
  const noise = /^(warning: Can't find string offset for section name '\.note[^']*'|.*Start injection of NODE_SEA_BLOB.*|.*Injection done!.*)$/;
  const shown = `${inj.stdout}${inj.stderr}`.split('\n').filter((l) => l.trim() && !noise.test(l.replace(/\x1b\[[0-9;]*m/g, '')));
  if (shown.length) process.stderr.write(`${shown.join('\n')}\n`);
  if (inj.status !== 0) throw new Error(`postject exited ${inj.status}`);
  if (process.platform === 'darwin') execFileSync('codesign', ['--sign', '-', tmpExe]);

  for (const f of ['karmadactl', 'kubectl-karmada', 'kubectl_complete-karmada']) await rm(path.join(opt.out, f), { force: true });
  await copyFile(tmpExe, exe);
  await chmod(exe, 0o755);
  await rm(tmpExe);
  // Same bytes under the plugin's name: the file name decides `kubectl karmada` (a copy where links fail).
  try {
    await link(exe, path.join(opt.out, 'kubectl-karmada'));
  } catch {
    await copyFile(exe, path.join(opt.out, 'kubectl-karmada'));
  }
  const complete = path.join(opt.out, 'kubectl_complete-karmada');
  await writeFile(complete, '#!/bin/sh\n# kubectl runs this to complete `kubectl karmada ...`\nexec "$(dirname "$0")/kubectl-karmada" __complete "$@"\n');
  await chmod(complete, 0o755);

  // Smoke test: the binary runs outside the repo, without node on PATH, and its code cache is accepted.
  const r = spawnSync(exe, ['version'], { cwd: '/', encoding: 'utf8', env: { PATH: '/usr/bin:/bin', HOME: work, KARMADACTL_SEA_DEBUG: '1' } });
  if (r.status !== 0) throw new Error(`${exe} version exited ${r.status}: ${r.stderr}`);
  if (opt.mode === 'warm-cache' && !/code cache accepted/.test(r.stderr)) throw new Error(`the binary rejected its code cache: ${r.stderr}`);
  const size = (await stat(exe)).size;
  log(`${path.relative(root, exe) || exe}: ${(size / 1024 / 1024).toFixed(1)} MiB, ${r.stdout.trim()} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

await main();
