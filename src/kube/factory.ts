import type { Context } from '../context';
import { makeLogger } from '../ui/log';
import { UserError } from '../errors';
import { parseGoDuration } from '../util/duration';
import { KubeClient, type ClientOptions } from './client';
import { loadKubeconfig, type KubeconfigOptions, type LoadedKubeconfig } from './config';

export type ConnectOptions = Omit<KubeconfigOptions, 'env' | 'homedir' | 'cwd'>;

/** Loads the kubeconfig named by the command's flags and returns a client for it. */
export async function connect(ctx: Context, o: ConnectOptions, clientOpts: ClientOptions = {}): Promise<{ client: KubeClient; config: LoadedKubeconfig }> {
  const config = await loadKubeconfig({ ...o, env: ctx.env, homedir: ctx.homedir, cwd: ctx.cwd });
  const client = await KubeClient.create(config, { log: makeLogger(ctx), ...requestTimeoutFromEnv(ctx.env), ...clientOpts });
  return { client, config };
}

/**
 * KARMADACTL_REQUEST_TIMEOUT (a Go duration, e.g. 5s): how long a server has to answer one request
 * (default 30s); connect and TLS handshake get at most 10s each.
 */
export function requestTimeoutFromEnv(env: NodeJS.ProcessEnv): ClientOptions {
  const v = env.KARMADACTL_REQUEST_TIMEOUT;
  if (!v) return {};
  let ms: number;
  try {
    ms = parseGoDuration(v);
  } catch {
    throw new UserError(`invalid KARMADACTL_REQUEST_TIMEOUT "${v.slice(0, 40)}": not a duration`, { hint: 'use a duration such as 30s or 1m' });
  }
  if (!(ms > 0) || ms > 3_600_000) throw new UserError(`invalid KARMADACTL_REQUEST_TIMEOUT "${v.slice(0, 40)}": must be between 1ms and 1h`, { hint: 'use a duration such as 30s or 1m' });
  return { timeoutMs: ms, connectTimeoutMs: Math.min(10_000, ms) };
}
