// Entry of the single executable (scripts/build-binary.mjs): the whole CLI in one CommonJS file that
// Node's SEA support runs from inside a copy of the node binary. One binary serves as `karmadactl`,
// `kubectl-karmada` (what kubectl runs for `kubectl karmada`) and `kubectl_complete-karmada`.
import { main } from '../src/main';
import { runSea } from './sea-invocation';

runSea(main);
