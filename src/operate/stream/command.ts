/**
 * `exec` and `attach` (karmadactl v1.18.2 pkg/karmadactl/exec, attach; kubectl pkg/cmd/exec,
 * attach): argument rules, the target (the karmada-apiserver, or a member through its cluster proxy
 * with `-s members --cluster NAME`), the pod and container, the TTY, one streaming session, and the
 * remote exit code as ours (`command terminated with exit code N`).
 */
import type { Invocation } from '../../commands/spec';
import type { Context } from '../../context';
import { UsageError, UserError } from '../../errors';
import type { Factory, Target } from '../../kubectl/factory';
import { parseGoDuration } from '../../util/duration';
import { chooseContainer, resolvePod, type Pod } from './pod';
import { streamQuery } from './protocol';
import { runStream } from './session';
import { decideTty, isTerminal, sizeQueue, withTerminal, type SignalSource } from './tty';

type Scope = 'karmada' | 'members' | 'all';

interface Common {
  scope: Scope;
  cluster: string;
  container: string;
  stdin: boolean;
  tty: boolean;
  quiet: boolean;
  podRunningTimeoutMs: number;
}

function usage(ctx: Context, cmd: string, message: string): UsageError {
  return new UsageError(message, { hint: `See '${ctx.program} ${cmd} -h' for help and examples` });
}

async function common(inv: Invocation, cmd: string): Promise<Common> {
  const { parseOperationScope } = await import('../../kubectl/flags');
  const f = inv.flags;
  const scope = parseOperationScope(f['operation-scope']);
  let timeout: number;
  try {
    timeout = parseGoDuration(String(f['pod-running-timeout'] ?? '1m0s'));
  } catch (e) {
    throw usage(inv.ctx, cmd, `invalid argument "${String(f['pod-running-timeout'])}" for "--pod-running-timeout" flag: ${(e as Error).message}`);
  }
  if (!(timeout > 0)) throw usage(inv.ctx, cmd, '--pod-running-timeout must be higher than zero');
  return {
    scope,
    cluster: String(f.cluster ?? ''),
    container: String(f.container ?? ''),
    stdin: Boolean(f.stdin),
    tty: Boolean(f.tty),
    quiet: Boolean(f.quiet),
    podRunningTimeoutMs: timeout,
  };
}

/** §3.2 step 3 (exec, attach): `karmada` or `members` with a cluster; `--cluster` alone is warned about. */
function checkScope(ctx: Context, c: Common): void {
  if (c.scope !== 'karmada' && c.scope !== 'members') throw new UserError(`not support operation scope: ${c.scope}`, { hint: 'use --operation-scope=karmada or --operation-scope=members --cluster=NAME' });
  if (c.scope === 'members' && !c.cluster) throw new UserError('must specify a member cluster', { hint: `add --cluster=NAME (list them with \`${ctx.program} get clusters\`)` });
  if (c.scope === 'karmada' && c.cluster && !c.quiet) {
    ctx.stderr.write(`Warning: --cluster is ignored in the karmada operation scope; add --operation-scope=members to reach cluster ${c.cluster}\n`);
  }
}

async function target(f: Factory, c: Common): Promise<Target> {
  return c.scope === 'members' ? f.forCluster(c.cluster) : f.karmada();
}

function label(t: Target): string {
  return t.member ? `member cluster ${t.name}` : 'the Karmada control plane';
}

/** `/version` of the target, for the WebSocket refusal message. */
function versionOf(t: Target): () => Promise<string | undefined> {
  return async () => (await t.client.request<{ gitVersion?: string }>('GET', '/version', { timeoutMs: 5_000, noRetry: true }))?.gitVersion;
}

/** Ends the session on SIGINT & co when stdin is a terminal (kubectl: restore, then exit 1). */
function signalsOf(): SignalSource {
  return process;
}

interface SessionPlan {
  ctx: Context;
  t: Target;
  pod: Pod;
  path: string;
  query: URLSearchParams;
  stdin: boolean;
  raw: boolean;
  redraw: boolean;
}

async function session(p: SessionPlan): Promise<number> {
  const { ctx } = p;
  const ac = new AbortController();
  const onCtxAbort = () => ac.abort();
  ctx.signal?.addEventListener('abort', onCtxAbort, { once: true });
  try {
    // kubectl's TTY.Safe looks at stdin only when it is sent (-i)
    const guard = <T>(fn: () => Promise<T>) => (p.stdin ? withTerminal(ctx.stdin, { raw: p.raw, signals: signalsOf(), onInterrupt: () => ac.abort() }, fn) : fn());
    const r = await guard(() =>
      runStream({
        client: p.t.client,
        path: p.path,
        query: p.query,
        stdin: p.stdin ? ctx.stdin : undefined,
        stdout: ctx.stdout,
        stderr: p.raw ? undefined : ctx.stderr,
        resize: p.raw ? sizeQueue(ctx.stdout, { redraw: p.redraw }) : undefined,
        signal: ac.signal,
        serverVersion: versionOf(p.t),
        serverLabel: label(p.t),
      }),
    );
    if (r.aborted) return 1;
    if (r.exitCode !== 0) ctx.stderr.write(`command terminated with exit code ${r.exitCode}\n`);
    return r.exitCode;
  } finally {
    ctx.signal?.removeEventListener('abort', onCtxAbort);
  }
}

function podPath(pod: Pod, sub: 'exec' | 'attach'): string {
  return `/api/v1/namespaces/${encodeURIComponent(pod.metadata.namespace ?? 'default')}/pods/${encodeURIComponent(pod.metadata.name)}/${sub}`;
}

/** `exec (POD | TYPE/NAME) [-c CONTAINER] [-s members --cluster CLUSTER] -- COMMAND [args...]`. */
export async function runExecCommand(inv: Invocation): Promise<number> {
  const { ctx, flags, args } = inv;
  const c = await common(inv, 'exec');
  const filenames = (flags.filename as string[] | undefined) ?? [];
  const dash = inv.dashAt ?? -1;
  const before = dash >= 0 ? args.slice(0, dash) : args;
  const command = dash >= 0 ? args.slice(dash) : [];
  if (dash < 0 && (args.length > 1 || (args.length > 0 && filenames.length))) throw usage(ctx, 'exec', 'exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead');
  if (before.length > 1) throw usage(ctx, 'exec', `exec takes one POD or TYPE/NAME before "--", got ${before.length}: [${before.join(' ')}]`);
  checkScope(ctx, c);
  const resource = before[0] ?? '';
  if (!resource && !filenames.length) throw usage(ctx, 'exec', 'pod, type/name or --filename must be specified');
  if (resource && filenames.length) throw usage(ctx, 'exec', 'a POD or TYPE/NAME and --filename cannot be used together');
  if (!command.length) throw usage(ctx, 'exec', 'you must specify at least one command for the container');

  const { Factory } = await import('../../kubectl/factory');
  const { configFlagsFrom } = await import('../../kubectl/flags');
  const f = new Factory(ctx, configFlagsFrom(flags));
  try {
    let object;
    if (filenames.length) {
      const { readFilenames } = await import('../../kubectl/builder');
      const objs = (await readFilenames(filenames, { cwd: ctx.cwd, stdin: ctx.stdin })).flatMap((s) => s.objects);
      if (objs.length > 1) throw new UserError('cannot exec into multiple objects at a time', { hint: 'name one object with -f' });
      if (!objs.length) throw new UserError('no objects passed to exec', { hint: 'the file given with -f holds no object' });
      object = objs[0];
    }
    const t = await target(f, c);
    const { namespace } = await f.namespace();
    if (object && !object.metadata?.namespace) object = { ...object, metadata: { ...object.metadata, namespace } };
    const pod = await resolvePod({ client: t.client, mapper: t.mapper, namespace, args: resource ? [resource] : undefined, object, podRunningTimeoutMs: c.podRunningTimeoutMs, signal: ctx.signal });
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') throw new UserError(`cannot exec into a container in a completed pod; current phase is ${phase}`);
    const container = chooseContainer(pod, { name: c.container, check: false, quiet: c.quiet, note: (l) => ctx.stderr.write(`${l}\n`) });
    const tty = decideTty({ stdin: c.stdin, tty: c.tty, quiet: c.quiet, stdinIsTerminal: c.stdin && isTerminal(ctx.stdin) });
    for (const n of tty.notes) ctx.stderr.write(`${n}\n`);
    const query = streamQuery({ command, container: container.name, stdin: tty.stdin, stdout: true, stderr: !tty.raw, tty: tty.raw });
    return await session({ ctx, t, pod, path: podPath(pod, 'exec'), query, stdin: tty.stdin, raw: tty.raw, redraw: false });
  } finally {
    f.close();
  }
}

/** `attach (POD | TYPE/NAME) -c CONTAINER [-s members --cluster CLUSTER]`. */
export async function runAttachCommand(inv: Invocation): Promise<number> {
  const { ctx, flags, args } = inv;
  const c = await common(inv, 'attach');
  if (!args.length) throw usage(ctx, 'attach', 'at least 1 argument is required for attach');
  if (args.length > 2) throw usage(ctx, 'attach', `expected POD, TYPE/NAME, or TYPE NAME, (at most 2 arguments) saw ${args.length}: [${args.join(' ')}]`);
  checkScope(ctx, c);

  const { Factory } = await import('../../kubectl/factory');
  const { configFlagsFrom } = await import('../../kubectl/flags');
  const f = new Factory(ctx, configFlagsFrom(flags));
  try {
    const t = await target(f, c);
    const { namespace, explicit } = await f.namespace();
    const pod = await resolvePod({ client: t.client, mapper: t.mapper, namespace, args, podRunningTimeoutMs: c.podRunningTimeoutMs, signal: ctx.signal });
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') throw new UserError(`cannot attach a container in a completed pod; current phase is ${phase}`);
    const container = chooseContainer(pod, { name: c.container, check: true, quiet: c.quiet, note: (l) => ctx.stderr.write(`${l}\n`) });
    let wantTty = c.tty;
    if (wantTty && !container.tty) {
      wantTty = false;
      if (!c.quiet) ctx.stderr.write(`error: Unable to use a TTY - container ${container.name} did not allocate one\n`);
    } else if (!wantTty && container.tty) wantTty = true;
    const tty = decideTty({ stdin: c.stdin, tty: wantTty, quiet: c.quiet, stdinIsTerminal: c.stdin && isTerminal(ctx.stdin) });
    for (const n of tty.notes) ctx.stderr.write(`${n}\n`);
    if (!c.quiet) {
      ctx.stderr.write('All commands and output from this session will be recorded in container logs, including credentials and sensitive information passed through the command prompt.\n');
      ctx.stderr.write("If you don't see a command prompt, try pressing enter.\n");
    }
    const query = streamQuery({ container: container.name, stdin: tty.stdin, stdout: true, stderr: !tty.raw, tty: tty.raw });
    const code = await session({ ctx, t, pod, path: podPath(pod, 'attach'), query, stdin: tty.stdin, raw: tty.raw, redraw: true });
    if (tty.raw && !c.quiet) {
      const where = t.member ? ` --operation-scope=members --cluster=${t.name}` : '';
      const ns = explicit || pod.metadata.namespace !== namespace ? ` -n ${pod.metadata.namespace}` : '';
      const cmd = `${ctx.program} attach ${pod.metadata.name} -c ${container.name} -i -t${ns}${where}`;
      const ephemeral = (pod.spec?.ephemeralContainers ?? []).some((e) => e.name === container.name);
      if (ephemeral) ctx.stdout.write(`Session ended, the ephemeral container will not be restarted but may be reattached using '${cmd}' if it is still running\n`);
      else if (pod.spec?.restartPolicy === 'Always') ctx.stdout.write(`Session ended, resume using '${cmd}' command when the pod is running\n`);
    }
    return code;
  } finally {
    f.close();
  }
}
