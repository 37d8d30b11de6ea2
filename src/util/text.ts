/**
 * Making text from the outside (arguments, flag values, file contents, server messages) safe to
 * print on one terminal line: control characters escaped, long values shortened. Every error line
 * goes through `safeLine` (src/cli.ts reportError); use `printable` / `shortened` / `quoted` for
 * progress lines and messages that echo input.
 */

// C0 controls (newline and tab included: one message is one line), DEL, C1 controls (0x9b is CSI),
// the Unicode line/paragraph separators and the bidirectional overrides/isolates, which can make
// text on a terminal read differently from what it is.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `s` with every control character written as an escape: ESC → `\x1b`, U+202E → `\u202e`, newline → `\n`. */
export function printable(s: string): string {
  return s.replace(UNSAFE, (c) => {
    const named = NAMED[c];
    if (named) return named;
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Longest value echoed whole; a longer one keeps its first `KEEP` characters and says how long it was. */
export const ECHO_MAX = 200;
const KEEP = 80;

/** `s` if it has at most `max` characters, else its start and its length: `abc…(100000 chars)`. */
export function shortened(s: string, max = ECHO_MAX): string {
  if (s.length <= max) return s;
  let head = s.slice(0, Math.min(KEEP, max));
  // never cut a surrogate pair in half
  if (/[\ud800-\udbff]$/.test(head)) head = head.slice(0, -1);
  return `${head}…(${s.length} chars)`;
}

/** A value quoted for a message, like Go's %q: shortened, `"` and `\` escaped, control characters escaped. */
export function quoted(s: string, max = ECHO_MAX): string {
  return `"${printable(shortened(s, max).replace(/[\\"]/g, (c) => `\\${c}`))}"`;
}

const LONG_RUN = new RegExp(`[^\\s]{${ECHO_MAX + 1},}`, 'g');

/** Longest error line printed whole. */
const LINE_MAX = 4000;

/**
 * One line safe for a terminal, whatever it contains: each run of more than `ECHO_MAX` non-blank
 * characters (an echoed value) is shortened, control characters are escaped, and the whole line
 * is capped at `LINE_MAX` characters.
 */
export function safeLine(s: string): string {
  const runs = s.replace(LONG_RUN, (run) => shortened(run));
  return shortened(printable(runs), LINE_MAX);
}
