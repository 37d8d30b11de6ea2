/**
 * Two kinds of error (ARCHITECTURE.md, "Shopify CLI"):
 *  - UserError: the user can fix it. One line naming the problem, plus the next step to take.
 *  - anything else is a bug or an environment failure, printed with enough detail to report it.
 *
 * Domain modules throw these; only src/cli.ts turns them into `error: ...` and an exit code.
 */
export class UserError extends Error {
  /** The next step the user should take, e.g. "pass --cluster-name NAME". */
  readonly hint?: string;
  readonly exitCode: number;
  constructor(message: string, opts: { hint?: string; exitCode?: number; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'UserError';
    this.hint = opts.hint;
    this.exitCode = opts.exitCode ?? 1;
  }
}

/** Bad flags or arguments: detected before anything touches a cluster or the disk. */
export class UsageError extends UserError {
  constructor(message: string, opts: { hint?: string } = {}) {
    super(message, { ...opts, exitCode: 1 });
    this.name = 'UsageError';
  }
}

/** A failure inside a named phase of a multi-step command (init, join, register, ...). */
export class PhaseError extends Error {
  readonly phase: string;
  constructor(phase: string, cause: unknown) {
    super(`${phase}: ${errorMessage(cause)}`, { cause });
    this.name = 'PhaseError';
    this.phase = phase;
  }
  get hint(): string | undefined {
    return (this.cause as { hint?: string } | undefined)?.hint;
  }
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

/** The hint of an error or of the error it wraps, if any. */
export function errorHint(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 5 && cur; i++) {
    const h = (cur as { hint?: string }).hint;
    if (h) return h;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

export function isUserError(e: unknown): boolean {
  let cur: unknown = e;
  for (let i = 0; i < 5 && cur; i++) {
    if (cur instanceof UserError) return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
}
