// One CRD tarball through loadCrds, in-process, without init's preamble: `node bench/run-ts.mjs
// bench/bounded-crds.ts FILE [-o]` prints {ms, outcome}; -o also serializes the CRDs (what a dry
// run's -o json or an apply does). Run by bench/bounded.mjs --crds-only, which measures peak RSS.
import { loadCrds } from '../src/install/crds';

const [file, print] = process.argv.slice(3); // argv[2] is this file (bench/run-ts.mjs ENTRY ...)
const t = performance.now();
let outcome: string;
try {
  const l = await loadCrds(file);
  outcome = `accepted ${l.crds.length} CRD(s)`;
  if (print) outcome += `, ${JSON.stringify(l.crds).length} bytes of JSON`;
} catch (e) {
  outcome = (e as Error).message.slice(0, 160);
}
console.log(JSON.stringify({ ms: Math.round(performance.now() - t), outcome }));
