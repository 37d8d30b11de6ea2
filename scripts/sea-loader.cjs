// The main script of the single executable in its default mode (scripts/build-binary.mjs): runs the CLI
// bundle stored as the SEA asset `app.js` with the V8 code cache stored as `app.cache`, which was made
// after running `version` and `--help` at build time, so those functions need no compiling at start-up.
// Assets are read in place (getRawAsset: no copy). A rejected cache (other V8 flags) only costs time.
'use strict';
const { getRawAsset } = require('node:sea');
const vm = require('node:vm');
const path = require('node:path');

// The bundle is ASCII (the build checks): latin1 gives V8 a one-byte string without UTF-8 decoding.
const source = Buffer.from(getRawAsset('app.js')).latin1Slice();
const script = new vm.Script(source, {
  filename: path.join(path.dirname(process.execPath), 'karmadactl.js'),
  cachedData: new Uint8Array(getRawAsset('app.cache')),
});
if (process.env.KARMADACTL_SEA_DEBUG) process.stderr.write(`karmadactl: code cache ${script.cachedDataRejected ? 'rejected' : 'accepted'}\n`);
const mod = { exports: {} };
script.runInThisContext()(mod.exports, require, mod, process.execPath, path.dirname(process.execPath));
mod.exports.runSea(mod.exports.main);
