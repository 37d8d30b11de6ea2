import { UserError } from '../errors';

/** metav1.Status as returned by the API server. */
export interface ApiStatus {
  kind?: string;
  apiVersion?: string;
  status?: string;
  message?: string;
  reason?: string;
  details?: { name?: string; group?: string; kind?: string; causes?: { reason?: string; message?: string; field?: string }[]; retryAfterSeconds?: number };
  code?: number;
}

/** An HTTP error answered by the API server. Printed like kubectl: `Error from server (NotFound): ...`. */
export class KubeApiError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly status: ApiStatus;
  readonly method: string;
  readonly url: string;
  readonly retryAfterSeconds?: number;
  hint?: string;
  constructor(code: number, status: ApiStatus, method: string, url: string, retryAfter?: number) {
    const reason = status.reason || defaultReason(code);
    super(`Error from server (${reason}): ${status.message || `the server responded with the status code ${code} to ${method} ${url}`}`);
    this.name = 'KubeApiError';
    this.code = code;
    this.reason = reason;
    this.status = status;
    this.method = method;
    this.url = url;
    this.retryAfterSeconds = retryAfter ?? status.details?.retryAfterSeconds;
    if (code === 401) this.hint = 'check the credentials of the kubeconfig context in use (an expired token or certificate?)';
    if (code === 403) this.hint = 'the kubeconfig user lacks permission; use a context with cluster-admin rights';
  }
}

function defaultReason(code: number): string {
  switch (code) {
    case 400: return 'BadRequest';
    case 401: return 'Unauthorized';
    case 403: return 'Forbidden';
    case 404: return 'NotFound';
    case 405: return 'MethodNotAllowed';
    case 409: return 'Conflict';
    case 410: return 'Expired';
    case 415: return 'UnsupportedMediaType';
    case 422: return 'Invalid';
    case 429: return 'TooManyRequests';
    case 500: return 'InternalError';
    case 503: return 'ServiceUnavailable';
    case 504: return 'Timeout';
    default: return 'Unknown';
  }
}

export const isNotFound = (e: unknown) => e instanceof KubeApiError && e.code === 404;
export const isConflict = (e: unknown) => e instanceof KubeApiError && e.code === 409 && e.reason === 'Conflict';
export const isAlreadyExists = (e: unknown) => e instanceof KubeApiError && e.code === 409 && e.reason === 'AlreadyExists';
export const isForbidden = (e: unknown) => e instanceof KubeApiError && e.code === 403;

/** A connection-level failure (refused, reset, TLS, DNS): the server was not reached or hung up. */
export class KubeConnectionError extends UserError {
  readonly errno?: string;
  constructor(server: string, cause: NodeJS.ErrnoException | Error, hint?: string) {
    const code = (cause as NodeJS.ErrnoException).code;
    super(`cannot reach the API server at ${server}: ${describeNetworkError(cause)}`, {
      hint: hint ?? networkHint(code),
      cause,
    });
    this.name = 'KubeConnectionError';
    this.errno = code;
  }
}

function describeNetworkError(e: NodeJS.ErrnoException | Error): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ECONNREFUSED': return 'connection refused';
    case 'ECONNRESET': return 'connection reset by peer';
    case 'ENOTFOUND': return 'host not found';
    case 'ETIMEDOUT': return 'connection timed out';
    case 'EHOSTUNREACH': return 'host unreachable';
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return `the server's certificate is not signed by the CA of the kubeconfig (${code})`;
    case 'ERR_TLS_CERT_ALTNAME_INVALID': return "the server's certificate does not name this address";
    case 'CERT_HAS_EXPIRED': return "the server's certificate has expired";
    default: return e.message || String(code);
  }
}

function networkHint(code?: string): string {
  if (code?.includes('CERT') || code === 'DEPTH_ZERO_SELF_SIGNED_CERT') return 'check that the kubeconfig holds the right certificate-authority-data for this server';
  return 'check that the cluster is running and that the kubeconfig and context point at it (--kubeconfig, --context)';
}

const RETRYABLE_NET = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ECONNABORTED', 'UND_ERR_SOCKET', 'ERR_STREAM_PREMATURE_CLOSE']);

/** Retry on 429, 5xx and connection-level failures; never on a 4xx that the user caused. */
export function isRetryable(e: unknown): boolean {
  if (e instanceof KubeApiError) return e.code === 429 || (e.code >= 500 && e.code !== 501);
  const code = (e as NodeJS.ErrnoException)?.code ?? ((e as { cause?: NodeJS.ErrnoException })?.cause?.code);
  if (code && RETRYABLE_NET.has(code)) return true;
  return /socket hang up/i.test((e as Error)?.message ?? '');
}
