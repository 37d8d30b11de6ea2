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

/**
 * The message of an error, in words: raw errno codes (ENOENT, ECONNREFUSED, ...) and OpenSSL codes
 * (`error:0480006C:PEM routines::no start line`) are never shown as such, whether they come as the
 * error itself or embedded in the text of a wrapping error.
 */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) {
    const err = e as NodeJS.ErrnoException & { address?: string; port?: number; hostname?: string; reason?: string; library?: string };
    const code = err.code;
    if (typeof code === 'string' && code && !(e instanceof UserError)) {
      const target = err.path ?? (err.address ? `${err.address}${err.port ? `:${err.port}` : ''}` : err.hostname);
      const fs = err.path ? describeFsErrno(code, err.path) : undefined;
      if (fs) return fs;
      const net = describeNetErrno(code, target);
      if (net && (err.message.includes(code) || err.syscall)) return net;
      if (code.startsWith('ERR_OSSL') || OPENSSL_CODE.test(err.message)) return humanizeText(err.message);
    }
    return humanizeText(e.message);
  }
  return humanizeText(String(e));
}

/** The words for a file-system errno, about `file`. */
export function describeFsErrno(code: string | undefined, file: string): string | undefined {
  switch (code) {
    case 'ENOENT': return `${file} does not exist`;
    case 'EISDIR': return `${file} is a directory, not a file`;
    case 'ENOTDIR': return `${file} is not a file: a part of its path is not a directory`;
    case 'EACCES': return `${file} cannot be read: permission denied`;
    case 'EPERM': return `${file} cannot be read: operation not permitted`;
    case 'ELOOP': return `${file} cannot be read: too many levels of symbolic links`;
    case 'ENAMETOOLONG': return `${file} cannot be read: the path is too long`;
    case 'EMFILE':
    case 'ENFILE': return `${file} cannot be read: too many open files`;
    case 'EIO': return `${file} cannot be read: input/output error`;
    case 'ENXIO':
    case 'ENODEV': return `${file} cannot be read: no such device`;
    case 'EAGAIN': return `${file} cannot be read: no data available`;
    case 'EEXIST': return `${file} already exists`;
    case 'ENOSPC': return `${file} cannot be written: no space left on the device`;
    case 'EROFS': return `${file} cannot be written: read-only file system`;
    default: return undefined;
  }
}

/** The words for a network errno, about `target` (host:port or host). */
export function describeNetErrno(code: string | undefined, target?: string): string | undefined {
  const at = target ? ` ${target}` : '';
  switch (code) {
    case 'ECONNREFUSED': return `connection refused by${at || ' the server'} (nothing listens there?)`;
    case 'ECONNRESET': return `the connection to${at || ' the server'} was reset`;
    case 'ENOTFOUND': return `host${at} not found`;
    case 'EAI_AGAIN': return `host${at} could not be resolved (DNS is not answering)`;
    case 'ETIMEDOUT': return `no answer from${at || ' the server'} (timed out)`;
    case 'EHOSTUNREACH': return `host${at} is unreachable`;
    case 'ENETUNREACH': return `the network of${at || ' the server'} is unreachable`;
    case 'EPIPE': return `the connection to${at || ' the server'} was closed while sending`;
    case 'ECONNABORTED': return `the connection to${at || ' the server'} was aborted`;
    case 'EADDRINUSE': return `the address${at} is already in use`;
    case 'EADDRNOTAVAIL': return `the address${at} is not available on this machine`;
    case 'EPROTO': return `the TLS handshake with${at || ' the server'} failed (it does not speak TLS)`;
    default: return undefined;
  }
}

const OPENSSL_CODE = /(?:[0-9A-F]{8,}:)?error:[0-9A-F]{8}:[^\n]*/;
const ERRNO_NAMES = 'ENOENT|EISDIR|ENOTDIR|EACCES|EPERM|ELOOP|ENAMETOOLONG|EMFILE|ENFILE|EIO|ENXIO|ENODEV|EAGAIN|EEXIST|ENOSPC|EROFS';
const NET_NAMES = 'ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EPIPE|ECONNABORTED|EADDRINUSE|EADDRNOTAVAIL|EPROTO';

/** OpenSSL's reason (`PEM routines::no start line`) in words. */
export function describeOpenSsl(text: string): string {
  const reason = /error:[0-9A-F]{8}:([^:]*):[^:]*:([^:\n]+)/.exec(text);
  const lib = reason?.[1] ?? '';
  const why = (reason?.[2] ?? '').trim();
  if (/no start line/.test(why)) return 'not PEM-encoded (no -----BEGIN line)';
  if (/bad end line/.test(why)) return 'a damaged PEM block (bad -----END line)';
  if (/bad base64 decode|base64/.test(why)) return 'a damaged PEM block (bad base64)';
  if (/wrong version number|packet length too long|http request|record layer failure|unexpected eof/i.test(why)) return 'the server does not speak TLS';
  if (/unsupported/.test(why) && /DECODER/.test(lib)) return 'not a supported certificate or key';
  if (/key values mismatch|KEY_VALUES_MISMATCH/i.test(why)) return 'the key does not match the certificate';
  if (/bad decrypt|bad password/i.test(why)) return 'an encrypted key (wrong or missing passphrase)';
  if (/ASN1|asn1|header too long|nested asn1|too long|wrong tag/i.test(`${lib} ${why}`)) return 'not a valid certificate or key (damaged data)';
  if (/certificate verify failed/.test(why)) return "the server's certificate could not be verified";
  return `not a valid certificate or key${why ? ` (${why})` : ''}`;
}

/** Rewrites raw errno and OpenSSL text embedded in a message into words. */
export function humanizeText(msg: string): string {
  let out = msg;
  out = out.replace(/\b(?:read|write|connect) EPROTO\s*/g, 'TLS error: ');
  if (OPENSSL_CODE.test(out)) out = out.replace(new RegExp(OPENSSL_CODE.source, 'g'), (m) => describeOpenSsl(m));
  // "ENOENT: no such file or directory, open '/x'"
  out = out.replace(new RegExp(`\\b(${ERRNO_NAMES}): [^,'\n]*(?:, [a-z]+(?: '([^']*)'(?: -> '[^']*')?)?)?`, 'g'), (m, code: string, file?: string) => describeFsErrno(code, file ?? 'the file') ?? m);
  // "connect ECONNREFUSED 127.0.0.1:6443", "getaddrinfo ENOTFOUND host", "read ECONNRESET"
  out = out.replace(new RegExp(`\\b(?:connect|getaddrinfo|read|write|spawn|querySrv|queryA) (${NET_NAMES})(?: ([^\\s,;)]+))?`, 'g'), (m, code: string, target?: string) => describeNetErrno(code, target) ?? m);
  out = out.replace(/\bspawn (\S+) ENOENT\b/g, (_m, cmd: string) => `${cmd} was not found (not installed, or not on PATH)`);
  out = out.replace(new RegExp(`\\b(${ERRNO_NAMES})\\b`, 'g'), (m, code: string) => (describeFsErrno(code, '') ?? m).trim());
  out = out.replace(new RegExp(`\\b(${NET_NAMES})\\b`, 'g'), (m, code: string) => describeNetErrno(code) ?? m);
  return out.trim();
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
