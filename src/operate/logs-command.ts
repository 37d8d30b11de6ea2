/** The `logs` command's run: kubectl's argument and flag checks in its order, then runLogs streaming to stdout. */
import type { Invocation } from '../commands/spec';
import { UsageError, UserError } from '../errors';
import { Factory } from '../kubectl/factory';
import { configFlagsFrom } from '../kubectl/flags';
import { durationFlag } from '../util/duration';
import { runLogs, type LogsOptions, type LogsSink } from './logs';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function logsOptions(inv: Invocation): LogsOptions {
  const { flags, args, explicit } = inv;
  const cluster = String(flags.cluster ?? '');
  if (!cluster) throw new UserError('must specify a cluster');
  const selector = String(flags.selector ?? '');
  const usage = "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] (-C CLUSTER)'.\nPOD or TYPE/NAME is a required argument for the logs command";
  if ((!args.length && !selector) || args.length > 2) throw new UsageError(usage);
  if (args.length && selector) throw new UsageError('only a selector (-l) or a POD name is allowed');
  const allPods = Boolean(flags['all-pods']);
  const podRunningTimeoutMs = durationFlag(flags, 'pod-running-timeout', '20s');
  if (podRunningTimeoutMs <= 0) throw new UserError('--pod-running-timeout must be higher than zero');
  const sinceTime = String(flags['since-time'] ?? '');
  if (sinceTime && (!RFC3339.test(sinceTime) || Number.isNaN(Date.parse(sinceTime)))) {
    throw new UserError(`parsing time "${sinceTime}" as "2006-01-02T15:04:05Z07:00": cannot parse "${sinceTime}" as RFC3339`, { hint: 'use a time such as 2024-08-30T06:00:00Z' });
  }
  const sinceMs = durationFlag(flags, 'since', '0s');
  const container = String(flags.container ?? '');
  const allContainers = Boolean(flags['all-containers']);
  const limitBytes = Number(flags['limit-bytes'] ?? 0);
  const tail = Number(flags.tail ?? -1);
  if (sinceTime && sinceMs) throw new UserError('at most one of `sinceTime` or `sinceSeconds` may be specified');
  const inline = args[1];
  if (allContainers && (container || inline)) throw new UserError(`--all-containers=true should not be specified with container name ${container || inline}`);
  if (container && inline) throw new UserError('only one of -c or an inline [CONTAINER] arg is allowed');
  if (limitBytes < 0) throw new UserError('--limit-bytes must be greater than 0');
  if (sinceMs < 0) throw new UserError('--since must be greater than 0');
  if (tail < -1) throw new UserError('--tail must be greater than or equal to -1');
  return {
    cluster,
    resource: args[0],
    selector: selector || undefined,
    container: container || inline || undefined,
    allContainers,
    allPods,
    follow: Boolean(flags.follow),
    timestamps: Boolean(flags.timestamps),
    previous: Boolean(flags.previous),
    prefix: Boolean(flags.prefix) || allPods,
    ignoreErrors: Boolean(flags['ignore-errors']),
    insecureSkipTLSVerifyBackend: Boolean(flags['insecure-skip-tls-verify-backend']),
    limitBytes,
    tail,
    tailGiven: explicit.has('tail'),
    sinceSeconds: Math.round(sinceMs / 1000),
    sinceTime: sinceTime ? new Date(Date.parse(sinceTime)).toISOString().replace(/\.\d{3}Z$/, 'Z') : undefined,
    podRunningTimeoutMs,
    maxLogRequests: Number(flags['max-log-requests'] ?? 5),
  };
}

export async function runLogsCommand(inv: Invocation): Promise<number> {
  const { ctx } = inv;
  const o = logsOptions(inv);
  const out = ctx.stdout;
  const sink: LogsSink = {
    write: (chunk) =>
      new Promise<void>((resolve, reject) => {
        const ok = out.write(chunk, (e) => (e ? reject(e) : undefined));
        if (ok) resolve();
        else out.once('drain', resolve);
      }),
    notice: (line) => ctx.stderr.write(`${line}\n`),
  };
  const f = new Factory(ctx, configFlagsFrom(inv.flags));
  try {
    return await runLogs(f, o, sink, ctx.signal);
  } finally {
    f.close();
  }
}
