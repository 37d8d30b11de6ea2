/**
 * pods/exec and pods/attach over WebSocket, as kube-apiserver (≥ 1.30, translating v5 WebSocket to
 * the kubelet's SPDY) and the kubelet (v4 and older WebSocket, proxied as is) answer them.
 *
 * Before the upgrade, the apiserver's checks with their real Status texts: authentication, RBAC
 * (`create` on pods/exec or pods/attach), the pod (404), the container (`container x is not valid for
 * pod y`, `a container name must be specified for pod y, choose one of: [...]`), the node
 * (`pod x does not have a host assigned`), the subprotocol (`requested protocol(s) are not supported`).
 * A container that is not running: with v5 the apiserver has already upgraded and reports the
 * kubelet's refusal as an InternalError Status on the error channel; with v4 and older the kubelet's
 * 500 text passes through the upgrade-aware proxy before any upgrade (`container not found ("c")`).
 *
 * After the upgrade: channels 0–4 as binary frames, v5's close signal ([255, 0]) ends stdin, the
 * error channel carries a metav1.Status (v4/v5: Success, or NonZeroExitCode with an ExitCode cause)
 * or plain text (v1–v3), then a normal close. The "container process" is a ProcessHandler (tests
 * set their own); the default one runs a tiny shell: `echo`, `cat`, `exit N`, `printenv`,
 * `head -c N /dev/zero`-style output via `yes`, `sh -c 'a; b'`, `>&2`.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiCore, User } from './server';
import { statusBody } from './server';

export const ALL_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'];

export interface StreamSession {
  kind: 'exec' | 'attach';
  namespace: string;
  pod: string;
  container: string;
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
  protocol: string;
  user: string;
  env: Record<string, string>;
  /** Sizes received on the resize channel. */
  resizes: { Width: number; Height: number }[];
  /** Bytes received on stdin. */
  received: Buffer[];
  /** Whether the client half-closed stdin (v5). */
  stdinClosed: boolean;
}

export interface ProcessIO {
  session: StreamSession;
  stdout(data: string | Buffer): void;
  stderr(data: string | Buffer): void;
  /** Data as it arrives on stdin; `end` when the client closed it (v5) or the stream ended. */
  onStdin(cb: (data: Buffer) => void, end: () => void): void;
  /** Resolves when the client's sends so far are flushed. */
  drained(): Promise<void>;
}

/** The container's process: resolves with its exit code. */
export type ProcessHandler = (io: ProcessIO) => Promise<number>;

export interface StreamsConfig {
  /** Subprotocols the server speaks (default all five; an old server: without v5). */
  protocols: string[];
  exec?: ProcessHandler;
  attach?: ProcessHandler;
  sessions: StreamSession[];
}

export function streamsConfig(): StreamsConfig {
  return { protocols: [...ALL_PROTOCOLS], sessions: [] };
}

const STREAM_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|attach)$/;

function httpAnswer(socket: Duplex, code: number, body: string, contentType = 'application/json'): void {
  const reason = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error' }[code] ?? 'Error';
  socket.end(`HTTP/1.1 ${code} ${reason}\r\nContent-Type: ${contentType}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

function statusAnswer(socket: Duplex, code: number, reason: string, message: string, details?: Record<string, unknown>): void {
  httpAnswer(socket, code, JSON.stringify(statusBody(code, reason, message, details)));
}

const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, handleProtocols: (offered: Set<string>, req: IncomingMessage) => (req as IncomingMessage & { chosen?: string }).chosen ?? false });

/** Words of a tiny shell line (single and double quotes, $VAR expansion from env). */
function words(line: string, env: Record<string, string>): string[] {
  const out: string[] = [];
  const re = /'([^']*)'|"((?:[^"\\]|\\.)*)"|(\S+)/g;
  let m: RegExpExecArray | null;
  const expand = (s: string) => s.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_x, n: string) => env[n] ?? '');
  while ((m = re.exec(line))) out.push(m[1] ?? expand(m[2] ?? m[3]));
  return out;
}

/** The default container process: a small shell, enough for the tests' commands. */
export const defaultProcess: ProcessHandler = async (io) => {
  const { session } = io;
  const run = async (argv: string[]): Promise<number> => {
    const [cmd, ...args] = argv;
    let toErr = false;
    const rest = args.filter((a) => {
      if (a === '>&2' || a === '1>&2') {
        toErr = true;
        return false;
      }
      return true;
    });
    const out = (s: string | Buffer) => (toErr ? io.stderr(s) : io.stdout(s));
    switch (cmd) {
      case 'echo':
        out(`${rest.join(' ')}\n`);
        return 0;
      case 'true':
        return 0;
      case 'false':
        return 1;
      case 'printenv':
        out(`${rest.map((n) => session.env[n] ?? '').join('\n')}\n`);
        return 0;
      case 'yes': {
        // `yes <bytes>`: that many bytes of "y\n", in 64 KiB writes
        const total = Number(rest[0] ?? 0);
        const chunk = Buffer.from('y\n'.repeat(32 << 10));
        for (let sent = 0; sent < total; sent += chunk.length) {
          out(sent + chunk.length <= total ? chunk : chunk.subarray(0, total - sent));
          if ((sent / chunk.length) % 16 === 0) await io.drained();
        }
        return 0;
      }
      case 'cat':
        return new Promise<number>((resolve) => io.onStdin((d) => out(d), () => resolve(0)));
      case 'sh':
        if (rest[0] === '-c') {
          for (const part of (rest[1] ?? '').split(';').map((p) => p.trim()).filter(Boolean)) {
            const w = words(part, session.env);
            if (w[0] === 'exit') return Number(w[1] ?? 0);
            const code = await run(w);
            if (code !== 0 && part.startsWith('set -e')) return code;
          }
          return 0;
        }
        return 0;
      default:
        io.stderr(`sh: ${cmd}: not found\n`);
        return 127;
    }
  };
  return run(session.command);
};

/** Output an attached process has already written, then its echo of stdin. */
export const defaultAttach: ProcessHandler = async (io) => {
  io.stdout(`attached to ${io.session.container}\n`);
  if (!io.session.stdin) return 0;
  return new Promise<number>((resolve) => io.onStdin((d) => io.stdout(d), () => resolve(0)));
};

function exitStatus(code: number, session: StreamSession) {
  if (code === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${session.command.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

const version = (p: string) => Number(/^v(\d+)\./.exec(p)?.[1] ?? 1);

/**
 * Handles an upgrade request for pods/exec or pods/attach on this server; false when the path is
 * not one (the caller answers 404).
 */
export async function handleStreamUpgrade(core: ApiCore, cfg: StreamsConfig, req: IncomingMessage, socket: Duplex, head: Buffer, user: User): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'https://x');
  const m = STREAM_PATH.exec(url.pathname);
  if (!m) return false;
  const [namespace, podName, kind] = [decodeURIComponent(m[1]), decodeURIComponent(m[2]), m[3] as 'exec' | 'attach'];
  const q = url.searchParams;
  const rec = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(q), user: user.name, status: 0 };
  core.requests.push(rec);
  const podDef = core.defFor('v1', 'Pod');
  try {
    core.checkAuthz(user, 'create', podDef, namespace, podName, kind);
  } catch (e) {
    const body = (e as { body?: Record<string, unknown> }).body;
    rec.status = 403;
    httpAnswer(socket, 403, JSON.stringify(body));
    return true;
  }
  const pod = core.store.get(podDef, namespace, podName);
  if (!pod) {
    rec.status = 404;
    statusAnswer(socket, 404, 'NotFound', `pods "${podName}" not found`, { name: podName, kind: 'pods' });
    return true;
  }
  const containers: { name: string; env?: { name: string; value?: string }[] }[] = pod.spec?.containers ?? [];
  const all = [...containers, ...(pod.spec?.initContainers ?? []), ...(pod.spec?.ephemeralContainers ?? [])];
  let container = q.get('container') ?? '';
  if (!container) {
    if (containers.length === 1) container = containers[0].name;
    else {
      rec.status = 400;
      const init = (pod.spec?.initContainers ?? []).map((c: { name: string }) => c.name);
      statusAnswer(socket, 400, 'BadRequest', containers.length ? `a container name must be specified for pod ${podName}, choose one of: [${containers.map((c) => c.name).join(' ')}]${init.length ? ` or one of the init containers: [${init.join(' ')}]` : ''}` : `a container name must be specified for pod ${podName}`);
      return true;
    }
  } else if (!all.some((c) => c.name === container)) {
    rec.status = 400;
    statusAnswer(socket, 400, 'BadRequest', `container ${container} is not valid for pod ${podName}`);
    return true;
  }
  if (!pod.spec?.nodeName) {
    rec.status = 400;
    statusAnswer(socket, 400, 'BadRequest', `pod ${podName} does not have a host assigned`);
    return true;
  }
  if (String(req.headers.upgrade ?? '').toLowerCase() !== 'websocket') {
    rec.status = 400;
    statusAnswer(socket, 400, 'BadRequest', 'Upgrade request required');
    return true;
  }
  const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const chosen = offered.find((p) => cfg.protocols.includes(p));
  if (!chosen) {
    rec.status = 400;
    httpAnswer(socket, 400, `websocket server finished before becoming ready: requested protocol(s) are not supported: [${offered.join(' ')}]; supports [${cfg.protocols.join(' ')}]`, 'text/plain; charset=utf-8');
    return true;
  }
  const status = (pod.status?.containerStatuses ?? []).find((s: { name: string }) => s.name === container);
  const running = Boolean(status?.state?.running);
  // v4 and older: the kubelet refuses before any upgrade, its text passed through
  if (!running && version(chosen) < 5) {
    rec.status = 500;
    httpAnswer(socket, 500, `container not found ("${container}")`, 'text/plain; charset=utf-8');
    return true;
  }
  const def = all.find((c) => c.name === container) as { env?: { name: string; value?: string }[] } | undefined;
  const session: StreamSession = {
    kind,
    namespace,
    pod: podName,
    container,
    command: q.getAll('command'),
    stdin: q.get('stdin') === 'true',
    stdout: q.get('stdout') === 'true',
    stderr: q.get('stderr') === 'true',
    tty: q.get('tty') === 'true',
    protocol: chosen,
    user: user.name,
    env: Object.fromEntries((def?.env ?? []).map((e) => [e.name, e.value ?? ''])),
    resizes: [],
    received: [],
    stdinClosed: false,
  };
  cfg.sessions.push(session);
  rec.status = 101;
  (req as IncomingMessage & { chosen?: string }).chosen = chosen;
  wss.handleUpgrade(req, socket, head, (ws: WebSocket) => void serve(ws, session, running, cfg));
  return true;
}

async function serve(ws: WebSocket, session: StreamSession, running: boolean, cfg: StreamsConfig): Promise<void> {
  const send = (channel: number, data: string | Buffer) => {
    if (ws.readyState !== ws.OPEN) return;
    const body = typeof data === 'string' ? Buffer.from(data) : data;
    ws.send(Buffer.concat([Buffer.from([channel]), body]));
  };
  const v = version(session.protocol);
  const writeStatus = (st: unknown) => send(3, v >= 4 ? JSON.stringify(st) : String((st as { message?: string }).message ?? ''));
  if (!running) {
    writeStatus({ ...statusBody(500, 'InternalError', `Internal error occurred: unable to upgrade connection: container not found ("${session.container}")`), details: { causes: [{ message: `unable to upgrade connection: container not found ("${session.container}")` }] } });
    ws.close(1000);
    return;
  }
  let onData: ((d: Buffer) => void) | undefined;
  let onEnd: (() => void) | undefined;
  let ended = false;
  const buffered: Buffer[] = [];
  const endStdin = () => {
    if (ended) return;
    ended = true;
    onEnd?.();
  };
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (!isBinary || !data.length) return;
    const ch = data[0];
    const payload = data.subarray(1);
    if (ch === 255 && v >= 5) {
      if (payload[0] === 0) {
        session.stdinClosed = true;
        endStdin();
      }
      return;
    }
    if (ch === 0 && session.stdin) {
      session.received.push(Buffer.from(payload));
      if (onData) onData(Buffer.from(payload));
      else buffered.push(Buffer.from(payload));
    } else if (ch === 4 && v >= 3) {
      for (const line of payload.toString('utf8').split('\n').filter(Boolean)) session.resizes.push(JSON.parse(line));
    }
  });
  ws.on('close', () => endStdin());
  const io: ProcessIO = {
    session,
    stdout: (d) => session.stdout && send(1, d),
    stderr: (d) => (session.stderr ? send(2, d) : session.tty && send(1, d)),
    onStdin(cb, end) {
      if (!session.stdin) {
        end();
        return;
      }
      onData = cb;
      onEnd = end;
      for (const b of buffered.splice(0)) cb(b);
      if (ended) end();
    },
    drained: () =>
      new Promise<void>((resolve) => {
        const check = () => (ws.readyState !== ws.OPEN || ws.bufferedAmount < 1 << 20 ? resolve() : setTimeout(check, 1));
        check();
      }),
  };
  const handler = (session.kind === 'exec' ? cfg.exec : cfg.attach) ?? (session.kind === 'exec' ? defaultProcess : defaultAttach);
  let code: number;
  try {
    code = await handler(io);
  } catch (e) {
    writeStatus(statusBody(500, 'InternalError', `Internal error occurred: ${(e as Error).message}`));
    ws.close(1000);
    return;
  }
  await io.drained();
  if (v >= 4) writeStatus(exitStatus(code, session));
  else if (code !== 0) writeStatus({ message: `command terminated with non-zero exit code: error executing command [${session.command.join(' ')}], exit code ${code}` });
  ws.close(1000);
}
