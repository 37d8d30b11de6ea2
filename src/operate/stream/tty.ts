/**
 * kubectl's StreamOptions.SetupTTY and term.TTY.Safe: whether stdin is sent and whether the session
 * is a raw TTY; raw mode on the local terminal for the session and restored on every way out (the
 * end of the session, an error, SIGINT/SIGTERM/SIGHUP/SIGQUIT, the process exiting); the terminal
 * size queue (the size at the start, then one per SIGWINCH, read from stdout as kubectl does).
 */
import type { Readable, Writable } from 'node:stream';
import type { SizeQueue, TerminalSize } from './session';

/** The parts of `process` the TTY needs (injectable: tests pass an EventEmitter). */
export interface SignalSource {
  on(event: string, fn: () => void): unknown;
  off(event: string, fn: () => void): unknown;
}

export const TERMINATION_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const;

type TtyIn = Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown; isRaw?: boolean };
type TtyOut = Writable & { isTTY?: boolean; columns?: number; rows?: number; on(event: 'resize', fn: () => void): unknown; off(event: 'resize', fn: () => void): unknown };

export interface TtySetup {
  /** Send stdin (-i). */
  stdin: boolean;
  /** A raw TTY session (-i -t with a terminal on stdin): `tty=true`, no stderr stream, resize. */
  raw: boolean;
  /** Lines kubectl prints on stderr while deciding (the "Unable to use a TTY" note). */
  notes: string[];
}

/** The decision alone (SetupTTY), without touching the terminal. */
export function decideTty(o: { stdin: boolean; tty: boolean; quiet: boolean; stdinIsTerminal: boolean }): TtySetup {
  if (!o.stdin) return { stdin: false, raw: false, notes: [] };
  if (!o.tty) return { stdin: true, raw: false, notes: [] };
  if (!o.stdinIsTerminal) return { stdin: true, raw: false, notes: o.quiet ? [] : ['Unable to use a TTY - input is not a terminal or the right kind of file'] };
  return { stdin: true, raw: true, notes: [] };
}

export function isTerminal(s: Readable): boolean {
  const t = s as TtyIn;
  return Boolean(t.isTTY) && typeof t.setRawMode === 'function';
}

/** The terminal size of stdout, or undefined when stdout is not a terminal. */
export function terminalSize(out: Writable): TerminalSize | undefined {
  const t = out as TtyOut;
  if (!t.isTTY || !t.columns || !t.rows) return undefined;
  return { width: t.columns, height: t.rows };
}

/** kubectl's size queue: `initial` (attach: size+1 first), then every change of stdout's size. */
export function sizeQueue(out: Writable, o: { redraw?: boolean } = {}): SizeQueue | undefined {
  const size = terminalSize(out);
  if (!size) return undefined;
  const t = out as TtyOut;
  return {
    initial: o.redraw ? [{ width: size.width + 1, height: size.height + 1 }, size] : [size],
    onChange(cb) {
      const on = () => {
        const s = terminalSize(out);
        if (s) cb(s);
      };
      t.on('resize', on);
      return () => t.off('resize', on);
    },
  };
}

/**
 * Runs `fn` with the terminal prepared as term.TTY.Safe does: raw mode when `raw`, and when stdin
 * is a terminal a handler for the termination signals that restores it and ends the session
 * (`interrupted()` becomes true, the caller exits 1 as kubectl does). Without a terminal on stdin
 * nothing is installed (a signal ends the process as usual).
 */
export async function withTerminal<T>(stdin: Readable, o: { raw: boolean; signals: SignalSource; onInterrupt: () => void }, fn: () => Promise<T>): Promise<T> {
  const t = stdin as TtyIn;
  if (!isTerminal(stdin)) return fn();
  const wasRaw = Boolean(t.isRaw);
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    try {
      if (o.raw) t.setRawMode!(wasRaw);
    } catch {
      /* the terminal is gone */
    }
  };
  const onSignal = () => {
    restore();
    o.onInterrupt();
  };
  for (const s of TERMINATION_SIGNALS) o.signals.on(s, onSignal);
  o.signals.on('exit', restore);
  try {
    if (o.raw) t.setRawMode!(true);
    return await fn();
  } finally {
    restore();
    for (const s of TERMINATION_SIGNALS) o.signals.off(s, onSignal);
    o.signals.off('exit', restore);
  }
}
