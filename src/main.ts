import { processContext, type InvokedAs } from './context';
import { run } from './cli';

/** Entry of the launchers in bin/: runs one command line against the real process. */
export async function main(invokedAs: InvokedAs, argv: string[]): Promise<number> {
  const ctx = processContext(invokedAs);
  // A closed stdout (e.g. `karmadactl completion bash | head`) is not an error worth a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
  });
  return run(argv, ctx);
}
