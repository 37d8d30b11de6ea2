import type { Context } from '../context';
import { PhaseError } from '../errors';

export interface StepHandle {
  /** Update the in-progress text (spinner only; plain output prints only the final line). */
  update(text: string): void;
  /** Detail appended to the final line, e.g. "created 3, unchanged 5". */
  detail(text: string): void;
  /** Mark the step skipped with a reason (printed instead of the success mark). */
  skip(reason: string): void;
}

export interface Reporter {
  step<T>(title: string, fn: (s: StepHandle) => Promise<T>): Promise<T>;
  info(message: string): void;
  warn(message: string): void;
}

type Ora = import('ora').Ora;

/**
 * Progress on stderr, one line per step: an ora spinner on a terminal, plain lines otherwise
 * (CI logs, pipes). Colour only when allowed (TTY, NO_COLOR unset).
 */
export async function createReporter(ctx: Context, o: { quiet?: boolean } = {}): Promise<Reporter> {
  const useSpinner = ctx.stderrIsTTY && !o.quiet;
  const oraMod = useSpinner ? (await import('ora')).default : undefined;
  const chalk = ctx.color ? (await import('chalk')).default : undefined;
  const green = (s: string) => (chalk ? chalk.green(s) : s);
  const red = (s: string) => (chalk ? chalk.red(s) : s);
  const yellow = (s: string) => (chalk ? chalk.yellow(s) : s);
  const dim = (s: string) => (chalk ? chalk.dim(s) : s);
  const secs = (ms: number) => (ms >= 100 ? ` ${dim(`(${(ms / 1000).toFixed(1)}s)`)}` : '');
  const write = (line: string) => {
    if (!o.quiet) ctx.stderr.write(`${line}\n`);
  };
  return {
    async step(title, fn) {
      const started = Date.now();
      let detail = '';
      let skipped: string | undefined;
      let spinner: Ora | undefined;
      if (oraMod) spinner = oraMod({ text: title, stream: ctx.stderr as NodeJS.WriteStream, color: 'cyan', isEnabled: true }).start();
      const handle: StepHandle = {
        update: (t) => {
          if (spinner) spinner.text = `${title}: ${t}`;
        },
        detail: (t) => {
          detail = t;
        },
        skip: (r) => {
          skipped = r;
        },
      };
      try {
        const r = await fn(handle);
        const line = skipped ? `${title}: ${dim(`skipped (${skipped})`)}` : `${title}${detail ? `: ${detail}` : ''}${secs(Date.now() - started)}`;
        if (spinner) (skipped ? spinner.info(line) : spinner.succeed(line));
        else write(`${skipped ? dim('-') : green('✓')} ${line}`);
        return r;
      } catch (e) {
        const line = `${title}${secs(Date.now() - started)}`;
        if (spinner) spinner.fail(red(line));
        else write(`${red('✗')} ${line}`);
        throw e;
      }
    },
    info(message) {
      write(message);
    },
    warn(message) {
      write(`${yellow('warning:')} ${message}`);
    },
  };
}

/**
 * A named phase of a multi-step command (join, unjoin, register, unregister, addons): one progress
 * line `[name] title`, and a failure wrapped in a PhaseError that names the phase.
 */
export function phaseRunner(reporter: Reporter) {
  return async <T>(name: string, title: string, fn: (s: StepHandle) => Promise<T>): Promise<T> => {
    try {
      return await reporter.step(`[${name}] ${title}`, fn);
    } catch (e) {
      throw new PhaseError(name, e);
    }
  };
}
