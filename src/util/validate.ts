/**
 * Validators for flag and config values, shared by every command. Each throws a UsageError whose
 * message is one line: the flag, the bad value (shortened, control characters escaped) and what is
 * allowed — `invalid argument "<value>" for "--<flag>" flag: <allowed>` (pflag's wording).
 * Nothing here touches the disk or a network.
 */
import { isIP } from 'node:net';
import { UsageError } from '../errors';
import { formatGoDuration, parseGoDuration } from './duration';

/** Longest echo of a user value in an error message. */
export const ECHO_MAX = 60;

/**
 * A user value as it may be echoed: control characters (C0, DEL, C1, and line/paragraph separators)
 * escaped, and shortened to ECHO_MAX characters with the full length named.
 */
export function shown(v: unknown, max = ECHO_MAX): string {
  const s = typeof v === 'string' ? v : String(v);
  const chars = Array.from(s);
  const cut = chars.length > max ? chars.slice(0, max) : chars;
  const esc = cut
    .map((c) => {
      const n = c.codePointAt(0)!;
      if (c === '\n') return '\\n';
      if (c === '\t') return '\\t';
      if (c === '\r') return '\\r';
      if (c === '"') return '\\"';
      if (c === '\\') return '\\\\';
      if (n < 0x20 || (n >= 0x7f && n <= 0x9f)) return `\\x${n.toString(16).padStart(2, '0')}`;
      if (n === 0x2028 || n === 0x2029 || (n >= 0x202a && n <= 0x202e) || (n >= 0x2066 && n <= 0x2069)) return `\\u${n.toString(16)}`;
      return c;
    })
    .join('');
  return `"${esc}${chars.length > max ? `…" (${chars.length} characters)` : '"'}`;
}

/** The one-line error for a bad flag value. `flag` is given without dashes ("namespace") or as a config path ("spec.etcd.local.replicas"). */
export function invalidValue(flag: string, value: unknown, allowed: string): UsageError {
  const name = flag.startsWith('spec.') || flag.startsWith('--') ? flag : `--${flag}`;
  return new UsageError(`invalid argument ${shown(value)} for "${name}" ${name.startsWith('--') ? 'flag' : 'field'}: ${allowed}`);
}

const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_LABEL = new RegExp(`^${LABEL}$`);
const DNS1123_SUBDOMAIN = new RegExp(`^${LABEL}(\\.${LABEL})*$`);

/** A DNS-1123 label (namespaces, Service-like names): lowercase alphanumerics and '-', at most 63 characters. */
export function dns1123Label(flag: string, v: string, o: { max?: number; what?: string } = {}): string {
  const max = o.max ?? 63;
  if (!v || v.length > max || !DNS1123_LABEL.test(v)) {
    throw invalidValue(flag, v, `${o.what ?? 'must be'} a lowercase RFC 1123 label: at most ${max} characters of a-z, 0-9 and '-', starting and ending with a letter or digit (e.g. 'karmada-system')`);
  }
  return v;
}

/** A DNS-1123 subdomain (Secret, PriorityClass, StorageClass names; domains): labels joined by '.', at most 253 characters. */
export function dns1123Subdomain(flag: string, v: string): string {
  if (!v || v.length > 253 || !DNS1123_SUBDOMAIN.test(v) || v.split('.').some((l) => l.length > 63)) {
    throw invalidValue(flag, v, "must be a lowercase RFC 1123 subdomain: at most 253 characters of a-z, 0-9, '-' and '.', each part starting and ending with a letter or digit (e.g. 'example.com')");
  }
  return v;
}

const BINARY_SI: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL_SI: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** A Kubernetes resource quantity (apimachinery's grammar); its value in base units. */
export function parseQuantity(v: string): number | undefined {
  const m = /^\+?((?:\d+(?:\.\d*)?)|(?:\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][-+]?\d+)?$/.exec(v);
  if (!m) return undefined;
  const n = Number(m[1]);
  const suffix = m[2] ?? '';
  const mult = BINARY_SI[suffix] ?? DECIMAL_SI[suffix] ?? (/^[eE]/.test(suffix) ? 10 ** Number(suffix.slice(1)) : undefined);
  if (mult === undefined) return undefined;
  const value = n * mult;
  return Number.isFinite(value) ? value : undefined;
}

/** A storage size: a quantity greater than zero (e.g. 5Gi). */
export function storageQuantity(flag: string, v: string): string {
  const q = parseQuantity(v);
  if (q === undefined) throw invalidValue(flag, v, "must be a Kubernetes quantity such as 5Gi, 500Mi or 10G");
  if (!(q >= 1)) throw invalidValue(flag, v, 'must be a size of at least one byte, e.g. 5Gi');
  return v;
}

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]{1,5})?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const IMAGE = new RegExp(`^(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$`);
const REGISTRY = new RegExp(`^${DOMAIN}(?:/${PATH_COMPONENT})*/?$`);

/** An image reference as the container runtime parses it: [registry/]repository[:tag][@digest]. */
export function imageReference(flag: string, v: string): string {
  const name = v.split(/[@]/)[0].replace(/:[\w][\w.-]{0,127}$/, '');
  if (!v || v.length > 512 || name.length > 255 || !IMAGE.test(v)) {
    throw invalidValue(flag, v, 'must be an image reference [registry/]repository[:tag][@sha256:digest] in lowercase without spaces, e.g. docker.io/karmada/karmada-webhook:v1.18.2');
  }
  return v;
}

/** A registry (host[:port] with an optional path), e.g. registry.cn-hangzhou.aliyuncs.com/google_containers. */
export function imageRegistry(flag: string, v: string): string {
  if (!v || v.length > 255 || !REGISTRY.test(v)) throw invalidValue(flag, v, 'must be a registry host[:port][/path] without a scheme or spaces, e.g. my.registry:5000/karmada');
  return v;
}

/**
 * An IP address without a zone (fe80::1%eth0 cannot go into a certificate or a URL of a kubeconfig).
 * `unspecified: false` refuses 0.0.0.0 and :: (not an address anyone can connect to).
 */
export function ipAddress(flag: string, v: string, o: { unspecified?: boolean } = {}): string {
  if (v.includes('%')) throw invalidValue(flag, v, 'must be an IPv4 or IPv6 address without a zone (%...)');
  if (!isIP(v)) throw invalidValue(flag, v, 'must be an IPv4 or IPv6 address, e.g. 192.168.1.2');
  if (o.unspecified === false && /^(0\.0\.0\.0|::|0*:(0*:)*0*)$/.test(v.replace(/^::ffff:/i, ''))) throw invalidValue(flag, v, 'must be an address clients can connect to, not the unspecified address');
  return v;
}

/** Go's largest time.Duration (what time.ParseDuration accepts). */
export const GO_MAX_DURATION_MS = 9_223_372_036_854.775807;

/** A Go duration within [min, max] (ms); returns milliseconds. */
export function durationValue(flag: string, v: string, o: { minMs?: number; maxMs?: number; allowZero?: boolean } = {}): number {
  let ms: number;
  try {
    ms = parseGoDuration(v);
  } catch {
    throw invalidValue(flag, v, 'must be a duration such as 8760h, 30m or 90s');
  }
  const max = Math.min(o.maxMs ?? GO_MAX_DURATION_MS, GO_MAX_DURATION_MS);
  if (!Number.isFinite(ms) || Math.abs(ms) > GO_MAX_DURATION_MS) throw invalidValue(flag, v, `must be at most ${formatGoDuration(Math.floor(max))}`);
  if (o.allowZero && ms === 0) return 0;
  const min = o.minMs ?? 0;
  if (ms < min || (min === 0 && !o.allowZero && ms === 0)) throw invalidValue(flag, v, min > 0 ? `must be at least ${formatGoDuration(min)}` : o.allowZero ? 'must not be negative' : 'must be a positive duration');
  if (ms > max) throw invalidValue(flag, v, `must be at most ${formatGoDuration(Math.floor(max))}`);
  return ms;
}

export const INT32_MAX = 2 ** 31 - 1;

/** An integer in [min, max]; a value the flag parser already made a number, or a string. */
export function intInRange(flag: string, v: unknown, min: number, max: number): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^[-+]?\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw invalidValue(flag, v, `must be an integer from ${min} to ${max}`);
  return n;
}

/** A TCP port, 1–65535. */
export function portNumber(flag: string, v: unknown): number {
  return intInRange(flag, v, 1, 65535);
}

export const BOOTSTRAP_TOKEN = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;

/** A bootstrap token `[a-z0-9]{6}.[a-z0-9]{16}`; the value is never echoed (it is a secret). */
export function bootstrapToken(flag: string, v: string): string {
  if (!BOOTSTRAP_TOKEN.test(v)) throw new UsageError(`invalid argument for "--${flag}" flag: the token (${Array.from(v).length} characters) must be of the form [a-z0-9]{6}.[a-z0-9]{16}`);
  return v;
}

/** A CA pin `sha256:<64 hex>`, lower-cased. */
export function caCertHash(flag: string, v: string): string {
  const m = /^sha256:([0-9a-fA-F]{64})$/.exec(v);
  if (!m) throw invalidValue(flag, v, 'must be sha256:<64 hex digits>, as printed by token create --print-register-command');
  return `sha256:${m[1].toLowerCase()}`;
}

/** A value free of control characters and spaces (labels like region/provider are echoed and stored). */
export function plainText(flag: string, v: string, o: { max?: number; spaces?: boolean } = {}): string {
  const max = o.max ?? 253;
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f-\x9f\u2028\u2029]/.test(v) || (!o.spaces && /\s/.test(v)) || Array.from(v).length > max) {
    throw invalidValue(flag, v, `must be at most ${max} characters without ${o.spaces ? '' : 'spaces or '}control characters`);
  }
  return v;
}

/** An absolute filesystem path (for paths used on a node). */
export function absolutePath(flag: string, v: string): string {
  // eslint-disable-next-line no-control-regex
  if (!v.startsWith('/') || /[\x00-\x1f\x7f]/.test(v) || v.length > 4096) throw invalidValue(flag, v, 'must be an absolute path, e.g. /var/lib/karmada-etcd');
  return v;
}

/** A value that must be one of a fixed list. */
export function oneOf<T extends string>(flag: string, v: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(v)) throw invalidValue(flag, v, `must be one of ${allowed.join(', ')}`);
  return v as T;
}

/** A member cluster name (karmada's ValidateClusterName: a DNS-1123 label of at most 48 characters). */
export function clusterName(v: string, what = 'cluster name'): string {
  if (!v || v.length > 48 || !DNS1123_LABEL.test(v)) {
    throw new UsageError(`invalid ${what} ${shown(v)}: must be at most 48 characters of a-z, 0-9 and '-', starting and ending with a letter or digit (e.g. 'member1')`);
  }
  return v;
}

/** HOST:PORT (optionally https://HOST:PORT) of an API server: a DNS name or IP without zone, port 1–65535. */
export function apiEndpoint(what: string, raw: string): string {
  const s = raw.trim().replace(/^https:\/\//i, '').replace(/\/+$/, '');
  const bad = (why: string) => new UsageError(`invalid ${what} ${shown(raw)}: ${why}`);
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x20\x7f-\x9f]/.test(s) || /^[a-z][a-z0-9+.-]*:\/\//i.test(s)) throw bad('must be HOST:PORT or https://HOST:PORT, e.g. 172.16.255.183:32443');
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):([^:]*)$/.exec(s);
  if (!m) throw bad('must be HOST:PORT or https://HOST:PORT, e.g. 172.16.255.183:32443');
  const host = m[1] ?? m[2];
  if (host.includes('%')) throw bad('the address must not carry a zone (%...)');
  if (m[1] && isIP(host) !== 6) throw bad('the bracketed host must be an IPv6 address');
  if (!m[1] && !isIP(host) && !DNS1123_SUBDOMAIN.test(host.toLowerCase())) throw bad('the host must be an IP address or a DNS name');
  if (isIP(host) && /^(0\.0\.0\.0|::)$/.test(host)) throw bad('the host must be an address clients can connect to, not the unspecified address');
  if (!/^\d+$/.test(m[3]) || Number(m[3]) < 1 || Number(m[3]) > 65535) throw bad('the port must be an integer from 1 to 65535');
  return raw;
}

/**
 * For values a later check echoes verbatim: refuses control characters and over-long values here,
 * with the value escaped and shortened, and leaves the rest (and the wording) to that check.
 */
export function echoSafe(what: string, v: string, max = 253): string {
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(v) || Array.from(v).length > max) throw new UsageError(`invalid ${what} ${shown(v)}: must be at most ${max} characters without control characters`);
  return v;
}


/** A local path or URL given on the command line: no control characters (they would reach the terminal in every message naming it), bounded length. */
export function pathValue(flag: string, v: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(v) || v.length > 4096) throw invalidValue(flag, v, 'must be a path (or URL) of at most 4096 characters without control characters');
  return v;
}
