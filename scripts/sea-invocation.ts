// Which program a single executable is (scripts/build-binary.mjs): decided by the file name it was started as.
import path from 'node:path';
import type { InvokedAs } from '../src/context';

/**
 * `argv0` is argv[0] as given to exec (a symlink keeps its own name; kubectl passes the plugin's path);
 * `execPath` is /proc/self/exe, the fallback. `kubectl_complete-*` is kubectl's plugin completion hook.
 */
export function invocation(argv0: string, execPath: string, args: string[]): { invokedAs: InvokedAs; argv: string[] } {
  const name = path.basename(argv0 || execPath).replace(/\.exe$/i, '');
  if (name.startsWith('kubectl_complete-')) return { invokedAs: 'kubectl-karmada', argv: ['__complete', ...args] };
  if (name.startsWith('kubectl-')) return { invokedAs: 'kubectl-karmada', argv: args };
  return { invokedAs: 'karmadactl', argv: args };
}

/** Runs the CLI for this process. In a SEA, argv is [execPath, execPath, ...user arguments]. */
export function runSea(run: (invokedAs: InvokedAs, argv: string[]) => Promise<number>): void {
  const { invokedAs, argv } = invocation(process.argv0, process.execPath, process.argv.slice(2));
  run(invokedAs, argv).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
