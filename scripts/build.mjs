// Bundles src/ into dist/ with esbuild: one entry plus lazily loaded chunks, so `--help` and
// `version` never parse @kubernetes/client-node. Text assets (`?raw`) are inlined.
// esbuild splits code only for ESM output; `toCommonJS` then turns every output file into CommonJS
// (imports become requires of the same files, so each module still exists once): Node loads the
// ~20 modules of a command ~5 ms faster and with ~2 MiB less memory without its ESM loader
// (bench/RESULTS.md).
import { build, transform } from 'esbuild';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const rawPlugin = {
  name: 'raw',
  setup(b) {
    b.onResolve({ filter: /\?raw$/ }, (args) => ({
      path: path.resolve(args.resolveDir, args.path.replace(/\?raw$/, '')),
      namespace: 'raw',
    }));
    b.onLoad({ filter: /.*/, namespace: 'raw' }, async (args) => ({
      contents: await readFile(args.path, 'utf8'),
      loader: 'text',
    }));
  },
};

const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));

function git(args) {
  try {
    return execFileSync('git', args, { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return '';
  }
}
const commit = git(['rev-parse', 'HEAD']) || 'unknown';
const treeState = commit === 'unknown' ? 'unknown' : git(['status', '--porcelain', '--untracked-files=no']) ? 'dirty' : 'clean';

export async function bundle({ outdir = path.join(root, 'dist'), splitting = true, format = 'esm', entry = 'src/main.ts', outfile } = {}) {
  if (!outfile) await rm(outdir, { recursive: true, force: true });
  return build({
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: 'node22',
    format,
    splitting: format === 'esm' && splitting,
    ...(outfile ? { outfile } : { outdir }),
    chunkNames: 'chunks/[name]-[hash]',
    sourcemap: false,
    minifySyntax: true,
    minifyWhitespace: true,
    legalComments: 'none',
    logLevel: 'warning',
    define: {
      'process.env.KARMADACTL_BUILD_VERSION': JSON.stringify(pkg.version),
      'process.env.KARMADACTL_BUILD_COMMIT': JSON.stringify(commit),
      'process.env.KARMADACTL_BUILD_TREE_STATE': JSON.stringify(treeState),
      'process.env.KARMADACTL_BUILD_DATE': JSON.stringify(new Date().toISOString().replace(/\.\d+Z$/, 'Z')),
    },
    banner: format === 'esm'
      ? { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" }
      : undefined,
    plugins: [rawPlugin],
  });
}

const ESM_BANNER = "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);";

/** Rewrites an ESM split build in place as CommonJS files (dist/package.json says so). */
export async function toCommonJS(outdir = path.join(root, 'dist')) {
  const files = ['main.js', ...(await readdir(path.join(outdir, 'chunks'))).map((f) => `chunks/${f}`)].filter((f) => f.endsWith('.js'));
  await Promise.all(
    files.map(async (f) => {
      let code = await readFile(path.join(outdir, f), 'utf8');
      if (code.startsWith(ESM_BANNER)) code = code.slice(ESM_BANNER.length);
      if (/\bimport\.meta\b/.test(code)) throw new Error(`${f}: import.meta has no CommonJS equivalent`);
      const r = await transform(code, { format: 'cjs', platform: 'node', target: 'node22', minifyWhitespace: true, minifySyntax: true, logLevel: 'error' });
      await writeFile(path.join(outdir, f), r.code);
    }),
  );
  await writeFile(path.join(outdir, 'package.json'), '{ "type": "commonjs" }\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await bundle();
  await toCommonJS();
}
