/**
 * The remote-command channel protocol of kube-apiserver/kubelet (apimachinery
 * pkg/util/remotecommand, client-go tools/remotecommand), as spoken over WebSocket: every data
 * message is a binary frame whose first byte is the channel. Pure functions: framing, the offered
 * subprotocols, and the decoding of the error/status channel into an exit code or an error.
 */

/** Channel numbers. */
export const STDIN = 0;
export const STDOUT = 1;
export const STDERR = 2;
export const ERROR = 3;
export const RESIZE = 4;
/** v5 only: `[255, channel]` closes that channel (half-close of stdin). */
export const CLOSE = 255;

export const V5 = 'v5.channel.k8s.io';
export const V4 = 'v4.channel.k8s.io';
export const V3 = 'v3.channel.k8s.io';
export const V2 = 'v2.channel.k8s.io';
export const V1 = 'channel.k8s.io';

/**
 * The subprotocols offered, most preferred first (the server picks the first it supports): v5 as
 * kubectl offers it, then the versions kubectl's SPDY fallback would offer, so a server without v5
 * over WebSocket is still reached in one handshake (kube-apiserver before 1.30 proxies WebSocket
 * requests to the kubelet, which speaks v4 and older).
 */
export const PROTOCOLS = [V5, V4, V3, V2, V1] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/** The version number of a negotiated subprotocol (1 for `channel.k8s.io`). */
export function protocolVersion(p: string): number {
  const m = /^v(\d+)\.channel\.k8s\.io$/.exec(p);
  return m ? Number(m[1]) : 1;
}

/** Protocols with a resize channel (v3 and later). */
export const hasResize = (p: string) => protocolVersion(p) >= 3;
/** Protocols with the CLOSE signal (v5). */
export const hasClose = (p: string) => protocolVersion(p) >= 5;

/** One data message: the channel byte, then the payload. */
export function frame(channel: number, payload: Uint8Array | string): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const out = Buffer.allocUnsafe(body.length + 1);
  out[0] = channel;
  out.set(body, 1);
  return out;
}

/** v5's close signal for a channel (`[255, channel]`). */
export function closeFrame(channel: number): Buffer {
  return Buffer.from([CLOSE, channel]);
}

/** A terminal size on the resize channel: Go's JSON of remotecommand.TerminalSize, then a newline. */
export function resizeFrame(width: number, height: number): Buffer {
  return frame(RESIZE, `${JSON.stringify({ Width: clampSize(width), Height: clampSize(height) })}\n`);
}

const clampSize = (n: number) => (Number.isFinite(n) && n > 0 ? Math.min(Math.floor(n), 65535) : 0);

/** A received message split into channel and payload; undefined for an empty message. */
export function parseFrame(data: Buffer): { channel: number; payload: Buffer } | undefined {
  if (!data.length) return undefined;
  return { channel: data[0], payload: data.subarray(1) };
}

/** What the error channel said once the session ended. */
export type Outcome = { exitCode: number } | { error: string };

interface StatusLike {
  status?: string;
  message?: string;
  reason?: string;
  details?: { causes?: { type?: string; reason?: string; message?: string }[] };
}

/**
 * The error channel's content at the end of a session (client-go errorstream.go, v4.go):
 * v4/v5 carry a metav1.Status (`Success`, or `Failure` with reason NonZeroExitCode and an ExitCode
 * cause giving the remote exit code); v1–v3 carry plain error text. Empty means success.
 */
export function decodeErrorChannel(protocol: string, raw: Buffer | string): Outcome {
  const text = typeof raw === 'string' ? raw : raw.toString('utf8');
  if (!text.length) return { exitCode: 0 };
  if (protocolVersion(protocol) < 4) return { error: `error executing remote command: ${text}` };
  let st: StatusLike;
  try {
    st = JSON.parse(text) as StatusLike;
  } catch (e) {
    return { error: `error stream protocol error: ${(e as Error).message} in "${text}"` };
  }
  if (!st || typeof st !== 'object') return { error: 'error stream protocol error: unknown error' };
  if (st.status === 'Success') return { exitCode: 0 };
  if (st.status === 'Failure') {
    if (st.reason === 'NonZeroExitCode') {
      if (!st.details) return { error: 'error stream protocol error: details must be set' };
      const cause = (st.details.causes ?? []).find((c) => c.reason === 'ExitCode');
      if (!cause) return { error: 'error stream protocol error: no ExitCode cause given' };
      const m = cause.message ?? '';
      if (!/^-?\d+$/.test(m) || Number(m) < 0 || Number(m) > 255) return { error: `error stream protocol error: invalid exit code value "${m}"` };
      return { exitCode: Number(m) };
    }
    return { error: st.message ?? 'error stream protocol error: unknown error' };
  }
  return { error: 'error stream protocol error: unknown error' };
}

/**
 * The exec/attach query: keys sorted, `command` repeated per argument, booleans only when true
 * (as client-go encodes PodExecOptions / PodAttachOptions).
 */
export function streamQuery(o: { command?: string[]; container: string; stdin: boolean; stdout: boolean; stderr: boolean; tty: boolean }): URLSearchParams {
  const q = new URLSearchParams();
  for (const c of o.command ?? []) q.append('command', c);
  if (o.container) q.append('container', o.container);
  if (o.stderr) q.append('stderr', 'true');
  if (o.stdin) q.append('stdin', 'true');
  if (o.stdout) q.append('stdout', 'true');
  if (o.tty) q.append('tty', 'true');
  return q;
}
