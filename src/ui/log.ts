import type { Context } from '../context';

/** klog-style leveled logger: messages at or below the `-v` level go to stderr; `warning` prints a server warning as kubectl does. */
export type Logger = ((level: number, message: string) => void) & { warning?: (message: string) => void };

export function makeLogger(ctx: Pick<Context, 'stderr' | 'verbosity' | 'now'>): Logger {
  const log: Logger = (level, message) => {
    if (ctx.verbosity < level) return;
    const d = ctx.now();
    const p = (n: number, w = 2) => String(n).padStart(w, '0');
    const stamp = `I${p(d.getMonth() + 1)}${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}000`;
    ctx.stderr.write(`${stamp} ${process.pid}] ${message}\n`);
  };
  log.warning = (message) => ctx.stderr.write(`Warning: ${message}\n`);
  return log;
}

export const silentLogger: Logger = () => {};
