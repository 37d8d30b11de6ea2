// Shared by the launchers: checks the Node.js version, turns on the compile cache, runs dist/main.js.
// CommonJS like dist/ (scripts/build.mjs): no ESM loader at start-up.
'use strict';
const path = require('node:path');

exports.launch = function launch(invokedAs, argv) {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 22) {
    process.stderr.write(`error: ${invokedAs} needs Node.js 22 or newer (this is ${process.version}); install Node.js 22+ or use the standalone binary\n`);
    process.exitCode = 1;
    return;
  }
  // V8 code cache on disk: later start-ups skip most parsing and compilation of the bundle.
  require('node:module').enableCompileCache?.();
  const main = path.join(__dirname, '..', 'dist', 'main.js');
  let entry;
  try {
    entry = require(main);
  } catch (e) {
    if (e && e.code === 'MODULE_NOT_FOUND' && String(e.message).includes(main)) {
      process.stderr.write(`error: ${invokedAs} is not built; run \`npm run build\` in ${path.join(__dirname, '..')}\n`);
      process.exitCode = 1;
      return;
    }
    throw e;
  }
  entry.main(invokedAs, argv).then(
    (code) => (process.exitCode = code),
    (e) => {
      process.stderr.write(`error: ${e && e.stack ? e.stack : e}\n`);
      process.exitCode = 1;
    },
  );
};
