// Variant of scripts/sea-entry.ts for `useSnapshot` (build-binary.mjs --snapshot): the bundle's top level
// runs at build time and the heap is saved in the binary; at start-up only the function below runs.
import { startupSnapshot } from 'node:v8';
import { main } from '../src/main';
import { runSea } from './sea-invocation';

startupSnapshot.setDeserializeMainFunction(() => runSea(main));
