import { UserError, describeNetErrno, describeOpenSsl, errorMessage } from '../errors';
import type { Cluster, Kubeconfig, User } from './kubeconfig';

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
    const terminating = terminatingNamespace(status);
    if (terminating !== undefined) {
      this.hint = `namespace ${terminating || '(the target namespace)'} is Terminating (being deleted): wait until it is gone (kubectl get namespace ${terminating || 'NAME'}), or find what holds its finalizers, then run the command again`;
    }
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

/** The namespace named by a "being terminated" refusal (reason NamespaceTerminating), or undefined. */
export function terminatingNamespace(status: ApiStatus): string | undefined {
  const cause = status.details?.causes?.find((c) => c.reason === 'NamespaceTerminating');
  const m = /in namespace ([a-z0-9.-]+) because it is being terminated/.exec(status.message ?? '');
  if (!cause && !m) return undefined;
  return m?.[1] ?? /namespace ([a-z0-9.-]+)/.exec(cause?.message ?? '')?.[1] ?? '';
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
    case 'ENETUNREACH': return 'network unreachable';
    case 'EAI_AGAIN': return 'the host name could not be resolved (DNS is not answering)';
    case 'EPIPE': return 'the connection was closed while sending';
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return `the server's certificate is not signed by the CA of the kubeconfig (${code})`;
    case 'ERR_TLS_CERT_ALTNAME_INVALID': return "the server's certificate does not name this address";
    case 'CERT_HAS_EXPIRED': return "the server's certificate has expired";
    case 'CERT_NOT_YET_VALID': return "the server's certificate is not valid yet (check the clock)";
    default:
      if (/socket hang up/i.test(e.message)) return 'the server closed the connection without answering';
      return describeNetErrno(code) ?? errorMessage(e) ?? String(code);
  }
}

export type TimeoutPhase = 'connect' | 'tls' | 'answer' | 'body';

/** A server that accepted the request (or the connection) and then did not answer in time. */
export class KubeTimeoutError extends UserError {
  readonly code = 'KARMADACTL_TIMEOUT';
  readonly phase: TimeoutPhase;
  constructor(server: string, phase: TimeoutPhase, ms: number, method: string, pathname: string) {
    const s = ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
    const what = {
      connect: `did not accept the connection within ${s}`,
      tls: `did not complete the TLS handshake within ${s}`,
      answer: `did not answer within ${s}`,
      body: `stopped sending its answer for ${s}`,
    }[phase];
    super(`the server ${server} ${what} (${method} ${pathname})`, {
      hint:
        phase === 'connect'
          ? 'check the address and port of the server in the kubeconfig, and that no firewall drops the connection'
          : 'check that it is a running Kubernetes API server (not a proxy or another service that holds the connection) and that it is not overloaded',
    });
    this.name = 'KubeTimeoutError';
    this.phase = phase;
  }
}

/** The other end answered, but not as a Kubernetes API server does (HTML, plain HTTP, garbage TLS, ...). */
export class NotKubeServerError extends UserError {
  constructor(server: string, got: string, cause?: unknown) {
    super(`${server} is not a Kubernetes API server (got ${got})`, {
      hint: 'check the server URL (scheme, host and port) of the cluster in the kubeconfig',
      cause,
    });
    this.name = 'NotKubeServerError';
  }
}

/** A CA, client certificate or client key of the kubeconfig that TLS cannot use, named with its entry and field. */
export function tlsMaterialError(kc: Kubeconfig, cluster: Cluster | null, user: User | null, which: 'ca' | 'cert' | 'key' | 'pair', cause?: unknown): UserError {
  const why = cause ? describeOpenSsl(String((cause as Error).message ?? '')) : 'not PEM-encoded (no -----BEGIN CERTIFICATE----- block)';
  if (which === 'ca') {
    const field = cluster?.caFile ? `certificate-authority ${cluster.caFile}` : 'certificate-authority-data';
    return new UserError(`${field} of cluster "${cluster?.name ?? ''}" in ${kc.where('cluster', cluster?.name ?? '')} is not a PEM CA certificate: ${why}`, {
      hint: `fix clusters[].cluster.certificate-authority${cluster?.caFile ? '' : '-data'} of "${cluster?.name ?? ''}"`,
      cause,
    });
  }
  const u = user?.name ?? '';
  if (which === 'pair') {
    return new UserError(`client-key of user "${u}" in ${kc.where('user', u)} does not match its client-certificate${cause ? ` (${describeOpenSsl(String((cause as Error).message ?? ''))})` : ''}`, {
      hint: `give user "${u}" the key of that certificate`,
      cause,
    });
  }
  const file = which === 'cert' ? user?.certFile : user?.keyFile;
  const name = which === 'cert' ? 'client-certificate' : 'client-key';
  const kind = which === 'cert' ? 'certificate' : 'private key';
  return new UserError(`${name}${file ? ` ${file}` : '-data'} of user "${u}" in ${kc.where('user', u)} is not a PEM ${kind}: ${why}`, {
    hint: `fix users[].user.${name}${file ? '' : '-data'} of "${u}"`,
    cause,
  });
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
