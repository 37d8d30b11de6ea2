import type { Readable, Writable } from 'node:stream';

/** Which binary is running: decides every user-visible program name. */
export type InvokedAs = 'karmadactl' | 'kubectl-karmada';

/**
 * The one injectable context (ARCHITECTURE.md, "Vercel CLI"): it owns the streams, the environment,
 * the clock and the verbosity. Tests build one with fake streams and drive commands in-process.
 * Domain modules receive it (or the parts they need) and never touch `process` directly.
 */
export interface Context {
  invokedAs: InvokedAs;
  /** How the user types the program: `karmadactl` or `kubectl karmada`. Used in every help text, example and hint. */
  program: string;
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
  env: NodeJS.ProcessEnv;
  cwd: string;
  homedir: string;
  /** stderr is a terminal: spinners allowed. */
  stderrIsTTY: boolean;
  /** stdin is a terminal: prompts allowed. */
  stdinIsTTY: boolean;
  /** Colour allowed (TTY and NO_COLOR unset). */
  color: boolean;
  /** klog-style verbosity (`-v N`); >= 6 logs each request, >= 8 also bodies (secrets redacted). */
  verbosity: number;
  now(): Date;
  /** Aborted when the command should stop early (tests; long-running commands such as `get --watch` end quietly). */
  signal?: AbortSignal;
}

export function programName(invokedAs: InvokedAs): string {
  return invokedAs === 'kubectl-karmada' ? 'kubectl karmada' : 'karmadactl';
}

export function processContext(invokedAs: InvokedAs): Context {
  const env = process.env;
  const stderrIsTTY = Boolean(process.stderr.isTTY);
  return {
    invokedAs,
    program: programName(invokedAs),
    stdout: process.stdout,
    stderr: process.stderr,
    // process.stdin is created on first access (~2 ms, readline included): only prompts need it.
    get stdin() {
      return process.stdin;
    },
    env,
    cwd: process.cwd(),
    homedir: env.HOME || env.USERPROFILE || '/root',
    stderrIsTTY,
    get stdinIsTTY() {
      return Boolean(process.stdin.isTTY);
    },
    color: stderrIsTTY && !('NO_COLOR' in env && env.NO_COLOR !== '') && env.TERM !== 'dumb',
    verbosity: 0,
    now: () => new Date(),
  };
}
