import { UsageError } from '../errors';

/** Go's time.ParseDuration and Duration.String, for flags such as --cert-validity-period and --ttl. */
const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds; throws Error with Go's message on bad input. */
export function parseGoDuration(input: string): number {
  const s = input.trim();
  if (s === '0') return 0;
  const m = /^([-+]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/.exec(s);
  if (!m) throw new Error(`time: invalid duration "${input}"`);
  let total = 0;
  for (const part of s.replace(/^[-+]/, '').matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) total += Number(part[1]) * UNITS[part[2]];
  return m[1] === '-' ? -total : total;
}

/** Go's Duration.String: "8760h0m0s", "1m30s", "500ms", "0s". */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  const neg = ms < 0;
  let rest = Math.abs(ms);
  if (rest < 1000) return `${neg ? '-' : ''}${rest}ms`;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const sec = rest / 1000;
  const secText = Number.isInteger(sec) ? String(sec) : String(Number(sec.toFixed(9)));
  return `${neg ? '-' : ''}${h ? `${h}h${m}m` : m ? `${m}m` : ''}${secText}s`;
}

/** A duration flag's value in ms (`fallback` when unset or empty); bad input is a usage error naming the flag. */
export function durationFlag(f: Record<string, unknown>, name: string, fallback: string): number {
  const v = f[name] === undefined || f[name] === '' ? fallback : String(f[name]);
  try {
    return parseGoDuration(v);
  } catch (e) {
    throw new UsageError(`invalid argument "${v}" for "--${name}" flag: ${(e as Error).message}`, { hint: `use a Go duration such as ${fallback}` });
  }
}
