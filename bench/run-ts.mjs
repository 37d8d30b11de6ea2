// Runs a TypeScript benchmark: bundles it with esbuild (templates inlined like the product build) and imports it.
import { build } from 'esbuild';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { rawPlugin } from '../scripts/build.mjs';

const entry = process.argv[2];
// Inside the repo, so that external packages resolve from node_modules.
const dir = path.resolve('node_modules/.cache/karmadactl-bench');
await mkdir(dir, { recursive: true });
const out = path.join(dir, `${path.basename(entry, '.ts')}.mjs`);
await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', target: 'node22', outfile: out, packages: 'external', plugins: [rawPlugin], logLevel: 'warning' });
await import(pathToFileURL(out).href);
