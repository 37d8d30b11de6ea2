// Shared by the launchers: checks the Node.js version, turns on the compile cache, runs dist/main.js.
import module from 'node:module';

export async function launch(invokedAs, argv) {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 22) {
    process.stderr.write(`error: ${invokedAs} needs Node.js 22 or newer (this is ${process.version}); install Node.js 22+ or use the standalone binary\n`);
    process.exitCode = 1;
    return;
  }
  // V8 code cache on disk: later start-ups skip most parsing and compilation of the bundle.
  module.enableCompileCache?.();
  let entry;
  try {
    entry = await import('../dist/main.js');
  } catch (e) {
    if (e && e.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes('dist/main.js')) {
      process.stderr.write(`error: ${invokedAs} is not built; run \`npm run build\` in ${new URL('..', import.meta.url).pathname}\n`);
      process.exitCode = 1;
      return;
    }
    throw e;
  }
  process.exitCode = await entry.main(invokedAs, argv);
}
