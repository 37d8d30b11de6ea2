/**
 * One exec/attach session over WebSocket (client-go tools/remotecommand/websocket.go): the HTTP
 * upgrade with this client's TLS and credentials (KubeClient.upgradeOptions), the channel
 * subprotocols of protocol.ts, stdin/stdout/stderr/resize, v5's half-close of stdin, a ping every
 * 5 s, and the error channel decoded into the remote exit code when the server closes the stream.
 *
 * SPDY (kubectl's fallback) is not implemented: no maintained SPDY client exists for Node (the `spdy`
 * package has been unmaintained since 2020 and does not work with current Node). A server that does
 * not upgrade the request to WebSocket gets a clear error naming its version (`WebSocketRefused`).
 * The `ws` package is imported lazily: only exec/attach load it.
 */
import type { IncomingMessage } from 'node:http';
import type { Readable, Writable } from 'node:stream';
import { UserError } from '../../errors';
import type { KubeClient } from '../../kube/client';
import { KubeApiError, KubeConnectionError, type ApiStatus } from '../../kube/errors';
import { closeFrame, decodeErrorChannel, ERROR, frame, hasClose, hasResize, parseFrame, PROTOCOLS, resizeFrame, STDERR, STDIN, STDOUT } from './protocol';

export interface TerminalSize {
  width: number;
  height: number;
}

/** The local terminal's size and its changes (SIGWINCH), for the resize channel. */
export interface SizeQueue {
  /** Sizes to send first (attach sends width+1/height+1 and then the real size, to force a redraw). */
  initial: TerminalSize[];
  /** Calls back on every change; returns the unsubscribe function. */
  onChange(cb: (s: TerminalSize) => void): () => void;
}

export interface StreamOptions {
  client: KubeClient;
  /** `/api/v1/namespaces/<ns>/pods/<pod>/exec` or `/attach`. */
  path: string;
  query: URLSearchParams;
  stdin?: Readable;
  stdout: Writable;
  /** Omitted in a raw TTY (the terminal merges stderr into stdout). */
  stderr?: Writable;
  resize?: SizeQueue;
  /** Ends the session (Ctrl-C outside raw mode, tests). The result is then exit code 1. */
  signal?: AbortSignal;
  /** Names the server's version in the error for a server that refuses the WebSocket upgrade. */
  serverVersion?: () => Promise<string | undefined>;
  /** What the server is, for that error: `member cluster member1` or `the Karmada control plane`. */
  serverLabel?: string;
  /** Milliseconds without a pong before the session counts as dead (default 61 s, as client-go). */
  pongTimeoutMs?: number;
  pingIntervalMs?: number;
  /** How long stdin is held back unless the remote side writes output first (default 150 ms). */
  stdinGraceMs?: number;
}

export interface StreamResult {
  /** The remote command's exit code (0 on success). */
  exitCode: number;
  /** The negotiated subprotocol. */
  protocol: string;
  /** Ended by the signal. */
  aborted: boolean;
}

/** The largest error-channel payload kept (a Status is a few hundred bytes). */
const MAX_ERROR_BYTES = 64 << 10;
/** The largest non-101 answer body read for the error message. */
const MAX_REFUSAL_BYTES = 64 << 10;
/** How long stdin waits for the remote side before it is sent anyway (see startStdin). */
const STDIN_GRACE_MS = 150;
/** Stdin is paused while this much is queued for the socket. */
const STDIN_HIGH_WATER = 1 << 20;

/** The server answered the upgrade with something else than 101 and no Kubernetes Status. */
export class WebSocketRefused extends UserError {
  constructor(server: string, version: string | undefined, status: number, body: string) {
    const v = version ? ` (Kubernetes ${version})` : '';
    super(`${server}${v} did not upgrade the request to a WebSocket (HTTP ${status}${body ? `: ${body}` : ''})`, {
      hint: 'this karmadactl streams exec and attach over WebSocket only (kubectl would fall back to SPDY, which is not implemented): Kubernetes API servers speak it since v1.5 (the v5 protocol since v1.30); check that no proxy between here and the cluster drops the WebSocket upgrade',
    });
    this.name = 'WebSocketRefused';
  }
}

/** Runs the session until the server closes it; resolves with the remote exit code. */
export async function runStream(o: StreamOptions): Promise<StreamResult> {
  const { WebSocket } = await import('ws');
  const up = await o.client.upgradeOptions(o.path, o.query);
  const url = new URL(up.url);
  url.protocol = up.url.protocol === 'http:' ? 'ws:' : 'wss:';
  const serverLabel = o.serverLabel ?? o.client.server;

  return new Promise<StreamResult>((resolve, reject) => {
    let settled = false;
    let opened = false;
    let protocol = '';
    let aborted = false;
    const errChunks: Buffer[] = [];
    let errBytes = 0;
    let failure: unknown;
    const cleanups: (() => void)[] = [];
    const cleanup = () => {
      while (cleanups.length) {
        try {
          cleanups.pop()!();
        } catch {
          /* best effort */
        }
      }
    };
    const finish = (r: StreamResult | Error | unknown, ok: boolean) => {
      if (settled) return;
      settled = true;
      cleanup();
      if (ok) resolve(r as StreamResult);
      else reject(r);
    };

    const ws = new WebSocket(url, [...PROTOCOLS], {
      headers: up.headers as Record<string, string>,
      ...(up.tls as object),
      perMessageDeflate: false,
      followRedirects: false,
      handshakeTimeout: up.connectTimeoutMs + 30_000,
      maxPayload: 64 << 20,
    });
    let offered: string | undefined;
    ws.on('upgrade', (res: IncomingMessage) => {
      offered = String(res.headers['sec-websocket-protocol'] ?? '');
    });

    let refusing = false;
    ws.on('unexpected-response', (req, res: IncomingMessage) => {
      refusing = true;
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < MAX_REFUSAL_BYTES) chunks.push(c);
        size += c.length;
      });
      let once = false;
      const done = async () => {
        if (once) return;
        once = true;
        const status = res.statusCode ?? 0;
        const text = Buffer.concat(chunks).toString('utf8').slice(0, MAX_REFUSAL_BYTES).trim();
        const err = await refusal(status, text, String(res.headers['content-type'] ?? ''), o, serverLabel);
        finish(err, false);
        req.destroy();
      };
      res.on('end', () => void done());
      res.on('error', () => void done());
    });

    ws.on('error', (e: Error & { code?: string }) => {
      if (settled || refusing) return;
      if (!opened) {
        if (/subprotocol/i.test(e.message)) {
          finish(new UserError(`invalid protocol, expected one of [${PROTOCOLS.map((p) => `"${p}"`).join(' ')}], got "${offered ?? ''}"`, { hint: `the server at ${serverLabel} answered the WebSocket upgrade with a protocol this karmadactl does not speak` }), false);
          return;
        }
        finish(e.code ? new KubeConnectionError(o.client.server, e as NodeJS.ErrnoException) : new UserError(`cannot open the stream to ${serverLabel}: ${e.message}`), false);
        return;
      }
      failure ??= e;
    });

    let startStdin = () => {};
    ws.on('open', () => {
      opened = true;
      protocol = ws.protocol || '';
      up.log(6, `GET ${url} 101 Switching Protocols (${protocol})`);

      // stdout/stderr: writes with backpressure (the socket pauses while the terminal or pipe is full)
      let blocked = 0;
      const write = (w: Writable, payload: Buffer) => {
        if (!payload.length) return;
        if (!w.write(payload)) {
          if (blocked++ === 0) ws.pause();
          w.once('drain', () => {
            if (--blocked === 0) ws.resume();
          });
        }
      };
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        if (!isBinary) {
          failure ??= new UserError('unexpected message type: 1', { hint: `the server at ${serverLabel} sent a text frame on a binary channel protocol` });
          ws.terminate();
          return;
        }
        const f = parseFrame(data);
        if (!f) return;
        if ((f.channel === STDOUT || f.channel === STDERR) && f.payload.length) startStdin();
        switch (f.channel) {
          case STDOUT:
            write(o.stdout, f.payload);
            break;
          case STDERR:
            if (o.stderr) write(o.stderr, f.payload);
            break;
          case ERROR:
            if (errBytes < MAX_ERROR_BYTES) errChunks.push(f.payload);
            errBytes += f.payload.length;
            break;
          default:
            break; // unknown channel: discarded
        }
      });

      // stdin → channel 0; EOF → v5's close signal (older protocols cannot half-close)
      if (o.stdin) {
        const stdin = o.stdin;
        const onData = (chunk: Buffer | string) => {
          if (ws.readyState !== ws.OPEN) return;
          ws.send(frame(STDIN, typeof chunk === 'string' ? Buffer.from(chunk) : chunk), () => {
            if (stdin.isPaused() && ws.bufferedAmount < STDIN_HIGH_WATER) stdin.resume();
          });
          if (ws.bufferedAmount >= STDIN_HIGH_WATER) stdin.pause();
        };
        const onEnd = () => {
          if (ws.readyState === ws.OPEN && hasClose(protocol)) ws.send(closeFrame(STDIN));
        };
        const onError = () => onEnd();
        // kube-apiserver's stream translator reads stdin only once its connection to the kubelet
        // stands; when that fails it writes the reason and closes at once, and stdin frames it has not
        // read turn the close into a TCP reset that can swallow the reason. So stdin starts when the
        // remote side has written output, or after a short grace period.
        let started = false;
        startStdin = () => {
          if (started || settled) return;
          started = true;
          clearTimeout(grace);
          stdin.on('data', onData);
          stdin.once('end', onEnd);
          stdin.once('error', onError);
          stdin.resume();
        };
        const grace = setTimeout(startStdin, o.stdinGraceMs ?? STDIN_GRACE_MS);
        cleanups.push(() => {
          clearTimeout(grace);
          stdin.off('data', onData);
          stdin.off('end', onEnd);
          stdin.off('error', onError);
          stdin.pause();
          (stdin as Readable & { unref?: () => void }).unref?.();
        });
      }

      // terminal sizes → channel 4
      if (o.resize && hasResize(protocol)) {
        const send = (s: TerminalSize) => {
          if (ws.readyState === ws.OPEN) ws.send(resizeFrame(s.width, s.height));
        };
        for (const s of o.resize.initial) send(s);
        cleanups.push(o.resize.onChange(send));
      }

      // heartbeat: a ping every 5 s; no pong for 61 s ends the session
      const pingMs = o.pingIntervalMs ?? 5_000;
      const pongMs = o.pongTimeoutMs ?? 61_000;
      let lastPong = Date.now();
      ws.on('pong', () => {
        lastPong = Date.now();
      });
      const timer = setInterval(() => {
        if (Date.now() - lastPong > pongMs) {
          failure ??= new UserError(`the stream to ${serverLabel} stopped answering (no pong for ${Math.round(pongMs / 1000)}s)`);
          ws.terminate();
          return;
        }
        if (ws.readyState === ws.OPEN) ws.ping();
      }, pingMs);
      timer.unref?.();
      cleanups.push(() => clearInterval(timer));
    });

    ws.on('close', (code: number, reason: Buffer) => {
      if (settled || refusing) return;
      if (!opened) {
        finish(new UserError(`the stream to ${serverLabel} closed before it opened`), false);
        return;
      }
      const raw = Buffer.concat(errChunks);
      if (aborted) return finish({ exitCode: 1, protocol, aborted: true }, true);
      if (raw.length) {
        const out = decodeErrorChannel(protocol, raw);
        if ('exitCode' in out) return finish({ exitCode: out.exitCode, protocol, aborted: false }, true);
        return finish(new UserError(out.error), false);
      }
      if (failure) return finish(failure, false);
      if (code !== 1000 && code !== 1005) {
        return finish(new UserError(`next reader: websocket: close ${code}${closeText(code)}${reason.length ? `: ${reason.toString('utf8')}` : ''}`, { hint: `the stream to ${serverLabel} ended abnormally` }), false);
      }
      finish({ exitCode: 0, protocol, aborted: false }, true);
    });

    if (o.signal) {
      const onAbort = () => {
        aborted = true;
        if (ws.readyState === ws.OPEN) ws.close(1000);
        else ws.terminate();
        // a server that never answers the close frame: give up after a second
        const t = setTimeout(() => finish({ exitCode: 1, protocol, aborted: true }, true), 1000);
        t.unref?.();
      };
      if (o.signal.aborted) onAbort();
      else {
        o.signal.addEventListener('abort', onAbort, { once: true });
        cleanups.push(() => o.signal!.removeEventListener('abort', onAbort));
      }
    }
  });
}

function closeText(code: number): string {
  const names: Record<number, string> = { 1001: ' (going away)', 1002: ' (protocol error)', 1003: ' (unsupported data)', 1006: ' (abnormal closure): unexpected EOF', 1008: ' (policy violation)', 1009: ' (message too big)', 1011: ' (internal server error)' };
  return names[code] ?? '';
}

/** The error for a non-101 answer: the server's Status as kubectl prints it, else the refusal. */
async function refusal(status: number, text: string, contentType: string, o: StreamOptions, serverLabel: string): Promise<unknown> {
  let st: ApiStatus | undefined;
  if (/json/i.test(contentType) || text.startsWith('{')) {
    try {
      const parsed = JSON.parse(text) as ApiStatus;
      if (parsed && parsed.kind === 'Status') st = parsed;
    } catch {
      /* not JSON */
    }
  }
  const upgradeDropped = status === 426 || status === 405 || status === 501 || /upgrade request required/i.test(st?.message ?? text);
  if (st && !upgradeDropped) return new KubeApiError(status, st, 'GET', o.path);
  if (upgradeDropped || /html/i.test(contentType)) {
    let version: string | undefined;
    try {
      version = await o.serverVersion?.();
    } catch {
      version = undefined;
    }
    return new WebSocketRefused(serverLabel, version, status, (st?.message ?? text).split('\n')[0].slice(0, 200));
  }
  // the kubelet's answer passed through (e.g. `container not found ("c")`), as client-go words it
  return new UserError(`unable to upgrade connection: ${text.split('\n')[0].slice(0, 500) || `HTTP ${status}`}`);
}
