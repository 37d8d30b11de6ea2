import type { Context } from '../context';
import { makeLogger } from '../ui/log';
import { KubeClient, type ClientOptions } from './client';
import { loadKubeconfig, type KubeconfigOptions, type LoadedKubeconfig } from './config';

export type ConnectOptions = Omit<KubeconfigOptions, 'env' | 'homedir' | 'cwd'>;

/** Loads the kubeconfig named by the command's flags and returns a client for it. */
export async function connect(ctx: Context, o: ConnectOptions, clientOpts: ClientOptions = {}): Promise<{ client: KubeClient; config: LoadedKubeconfig }> {
  const config = await loadKubeconfig({ ...o, env: ctx.env, homedir: ctx.homedir, cwd: ctx.cwd });
  const client = await KubeClient.create(config, { log: makeLogger(ctx), ...clientOpts });
  return { client, config };
}
