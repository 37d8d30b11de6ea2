// Release artefacts from the single executable (scripts/build-binary.mjs), for this machine's platform:
//   dist-bin/karmadactl-<os>-<arch>.tgz        karmadactl + LICENSE
//   dist-bin/kubectl-karmada-<os>-<arch>.tgz   kubectl-karmada + LICENSE (the krew archive)
//   dist-bin/<archive>.sha256                  `sha256sum` format: "<hex>  <archive>"
//   plugins/karmada.yaml                       krew manifest from plugins/karmada.yaml.tmpl, with the
//                                              sha256 of the kubectl-karmada archive just built
//
// Usage: node scripts/release.mjs [--no-build]
//   --no-build  package the binaries already in dist-bin/ instead of building them again
// Environment:
//   KREW_URI           the manifest's uri (default: the GitHub release download URL of the archive)
//   SOURCE_DATE_EPOCH  mtime of the files in the archives (default: the time of the last commit)
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tar from 'tar';
import { parse as parseYaml } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const distBin = path.join(root, 'dist-bin');
const log = (msg) => process.stderr.write(`[release] ${msg}\n`);

const GOOS = { linux: 'linux', darwin: 'darwin', win32: 'windows' };
const GOARCH = { x64: 'amd64', arm64: 'arm64' };
const os = GOOS[process.platform];
const arch = GOARCH[process.arch];
if (!os || !arch) throw new Error(`no release naming for ${process.platform}/${process.arch}`);

const sha256 = async (file) => createHash('sha256').update(await readFile(file)).digest('hex');

function mtime() {
  if (process.env.SOURCE_DATE_EPOCH) return new Date(Number(process.env.SOURCE_DATE_EPOCH) * 1000);
  try {
    return new Date(Number(execFileSync('git', ['log', '-1', '--format=%ct'], { cwd: root, encoding: 'utf8' }).trim()) * 1000);
  } catch {
    return new Date();
  }
}

/** tgz of `bin` (under the name `name`) and LICENSE, both at the archive's top level. */
async function archive(name, date) {
  const stage = path.join(root, 'build', 'release', name);
  await rm(stage, { recursive: true, force: true });
  await mkdir(stage, { recursive: true });
  await copyFile(path.join(distBin, name), path.join(stage, name));
  await copyFile(path.join(root, 'LICENSE'), path.join(stage, 'LICENSE'));
  const file = path.join(distBin, `${name}-${os}-${arch}.tgz`);
  await rm(file, { force: true });
  // portable: no uid/gid/user names; a fixed mtime so that the same binary gives the same archive.
  await tar.c({ file, cwd: stage, gzip: { level: 9 }, portable: true, mtime: date, noDirRecurse: true }, [name, 'LICENSE']);
  const hex = await sha256(file);
  await writeFile(`${file}.sha256`, `${hex}  ${path.basename(file)}\n`);
  await rm(stage, { recursive: true, force: true });
  return { file, hex };
}

/** Checks the manifest as krew would read it: fields, selector, and that sha256 is the archive's. */
function validateManifest(text, { version, archiveFile, hex }) {
  const m = parseYaml(text);
  const fail = (msg) => {
    throw new Error(`plugins/karmada.yaml: ${msg}`);
  };
  if (m.apiVersion !== 'krew.googlecontainertools.github.com/v1alpha2') fail(`apiVersion ${m.apiVersion}`);
  if (m.kind !== 'Plugin') fail(`kind ${m.kind}`);
  if (m.metadata?.name !== 'karmada') fail('metadata.name is not karmada');
  if (m.spec?.version !== `v${version}` || !/^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(m.spec.version)) fail(`spec.version ${m.spec?.version}`);
  for (const f of ['homepage', 'shortDescription', 'description']) if (!m.spec[f]) fail(`spec.${f} is empty`);
  const p = m.spec.platforms?.find((x) => x.selector?.matchLabels?.os === os && x.selector?.matchLabels?.arch === arch);
  if (!p) fail(`no platform ${os}/${arch}`);
  if (p.sha256 !== hex) fail(`sha256 ${p.sha256} is not the sha256 of ${archiveFile} (${hex})`);
  if (!/^(https?|file):\/\/\S+$/.test(p.uri)) fail(`uri ${p.uri} is not an http(s):// or file:// URL`);
  if (p.bin !== 'kubectl-karmada') fail(`bin ${p.bin}`);
  const from = (p.files ?? []).map((f) => f.from).sort().join(',');
  if (from !== 'LICENSE,kubectl-karmada') fail(`files ${from}`);
}

async function main() {
  const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));
  if (!process.argv.includes('--no-build')) {
    execFileSync(process.execPath, [path.join(root, 'scripts/build-binary.mjs')], { cwd: root, stdio: 'inherit' });
  }
  for (const f of ['karmadactl', 'kubectl-karmada']) {
    if (!existsSync(path.join(distBin, f))) throw new Error(`dist-bin/${f} not found: run \`npm run build:binary\``);
  }
  if (!existsSync(path.join(root, 'LICENSE'))) throw new Error('LICENSE not found at the repository root');

  const date = mtime();
  const out = {};
  for (const name of ['karmadactl', 'kubectl-karmada']) {
    log(`archiving ${name}`);
    out[name] = await archive(name, date);
    log(`${path.relative(root, out[name].file)}: ${((await stat(out[name].file)).size / 1024 / 1024).toFixed(1)} MiB, sha256 ${out[name].hex}`);
  }

  const kk = out['kubectl-karmada'];
  const uri = process.env.KREW_URI || `https://github.com/karmada-io/karmada/releases/download/v${pkg.version}/${path.basename(kk.file)}`;
  const values = { VERSION: pkg.version, OS: os, ARCH: arch, URI: uri, SHA256: kk.hex };
  const template = await readFile(path.join(root, 'plugins/karmada.yaml.tmpl'), 'utf8');
  const manifest = template
    .replace(/^#.*\n/gm, '')
    .replace(/\{\{(\w+)\}\}/g, (_, k) => {
      if (!(k in values)) throw new Error(`plugins/karmada.yaml.tmpl: unknown placeholder {{${k}}}`);
      return values[k];
    });
  validateManifest(manifest, { version: pkg.version, archiveFile: kk.file, hex: kk.hex });
  await writeFile(path.join(root, 'plugins/karmada.yaml'), manifest);
  log(`plugins/karmada.yaml: v${pkg.version}, ${os}/${arch}, uri ${uri}`);
}

main().catch((e) => {
  process.stderr.write(`[release] error: ${e.message}\n`);
  process.exitCode = 1;
});
