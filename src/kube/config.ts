import { existsSync } from 'node:fs';
import path from 'node:path';
import { AUTH_PROVIDERS, Kubeconfig, MAX_YAML_ALIASES } from './kubeconfig';
import { load as parseYaml } from 'js-yaml';
import { UserError, errorMessage } from '../errors';
import { FileReadError, LIMITS, readFileBounded, readFileBoundedSync } from '../util/fsx';

export interface KubeconfigOptions {
  /** --kubeconfig (or the command's own flag). */
  path?: string;
  /** --context / --karmada-context / --cluster-context. */
  context?: string;
  env: NodeJS.ProcessEnv;
  homedir: string;
  cwd?: string;
  /** Files tried after $KUBECONFIG and before ~/.kube/config, e.g. /etc/karmada/karmada-apiserver.config. */
  defaultPaths?: string[];
  /** Flag names for messages, e.g. { kubeconfig: '--karmada-kubeconfig', context: '--karmada-context' }. */
  flagNames?: { kubeconfig?: string; context?: string };
  /** What this kubeconfig is for, in messages: "host cluster", "karmada control plane", "member cluster". */
  purpose?: string;
  /** Allow the in-cluster service account as the last resort (kubectl does). */
  allowInCluster?: boolean;
}

export interface LoadedKubeconfig {
  kc: Kubeconfig;
  /** Where it came from: a file path (or several, joined by ':'), or "in-cluster". */
  source: string;
  context: string;
  server: string;
  /** Every context name in the loaded config (for completion and messages). */
  contexts: string[];
}

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * Resolves a kubeconfig the way kubectl does, with one story for every command:
 * an explicit path (which must exist) → $KUBECONFIG (a ':'-separated list, merged, first wins)
 * → the command's default paths → ~/.kube/config → in-cluster service account.
 */
export async function loadKubeconfig(o: KubeconfigOptions): Promise<LoadedKubeconfig> {
  const flag = o.flagNames?.kubeconfig ?? '--kubeconfig';
  const ctxFlag = o.flagNames?.context ?? '--context';
  const purpose = o.purpose ? ` for the ${o.purpose}` : '';
  const abs = (p: string) => path.resolve(o.cwd ?? process.cwd(), p.replace(/^~(?=$|\/)/, o.homedir));

  let files: string[] = [];
  if (o.path) {
    const p = abs(o.path);
    if (!existsSync(p)) {
      throw new UserError(`kubeconfig file ${p}${purpose} does not exist`, { hint: `check the path given with ${flag}` });
    }
    files = [p];
  } else {
    const fromEnv = (o.env.KUBECONFIG ?? '').split(path.delimiter).filter(Boolean).map(abs).filter((p) => existsSync(p));
    if (fromEnv.length) files = fromEnv;
    else {
      const candidates = [...(o.defaultPaths ?? []), path.join(o.homedir, '.kube', 'config')].map(abs);
      const found = candidates.find((p) => existsSync(p));
      if (found) files = [found];
    }
  }

  let kc = new Kubeconfig();
  let source: string;
  if (files.length) {
    source = files.join(path.delimiter);
    const loaded: Kubeconfig[] = [];
    for (const f of files) {
      const one = new Kubeconfig();
      let text: string;
      try {
        text = (await readFileBounded(f, { limit: LIMITS.kubeconfig, what: 'kubeconfig', hint: `pass a kubeconfig file with ${flag}` })).toString('utf8');
      } catch (e) {
        if (e instanceof FileReadError && e.errno === 'ENOENT') throw new UserError(`kubeconfig file ${f}${purpose} does not exist`, { hint: `check the path given with ${flag}` });
        throw e;
      }
      try {
        one.loadFromString(text, f);
        one.makePathsAbsolute(path.dirname(f));
      } catch (e) {
        throw new UserError(`kubeconfig file ${f} is not valid: ${errorMessage(e).split('\n')[0]}`, { hint: `fix the file or pass another one with ${flag}`, cause: e });
      }
      loaded.push(one);
    }
    const first = <T extends { name: string }>(lists: T[][]) => {
      const seen = new Set<string>();
      return lists.flat().filter((x) => (seen.has(x.name) ? false : (seen.add(x.name), true)));
    };
    kc.loadFromOptions({
      clusters: first(loaded.map((k) => k.clusters)),
      users: first(loaded.map((k) => k.users)),
      contexts: first(loaded.map((k) => k.contexts)),
      currentContext: loaded.find((k) => k.currentContext)?.currentContext ?? '',
    });
    kc.source = source;
    for (const one of [...loaded].reverse()) for (const [k, v] of one.origins) kc.origins.set(k, v);
  } else if (o.allowInCluster !== false && o.env.KUBERNETES_SERVICE_HOST && existsSync(path.join(SA_DIR, 'token'))) {
    kc = await Kubeconfig.inCluster();
    source = 'in-cluster';
  } else {
    throw new UserError(`no kubeconfig found${purpose}`, {
      hint: `pass ${flag} PATH, set KUBECONFIG, or create ${path.join(o.homedir, '.kube', 'config')}`,
    });
  }

  const contexts = kc.getContexts().map((c) => c.name);
  if (o.context) {
    if (!contexts.includes(o.context)) {
      throw new UserError(`context "${o.context}" not found in kubeconfig ${source}`, {
        hint: contexts.length ? `use one of: ${contexts.join(', ')} (${ctxFlag})` : `the file has no contexts; check ${flag}`,
      });
    }
    kc.setCurrentContext(o.context);
  } else if (source !== 'in-cluster' && !kc.getCurrentContext()) {
    throw new UserError(`kubeconfig ${source} has no current-context`, {
      hint: contexts.length ? `pass ${ctxFlag} with one of: ${contexts.join(', ')}` : `the file has no contexts; check ${flag}`,
    });
  }
  const context = kc.getCurrentContext();
  const ctxObj = kc.getContextObject(context);
  if (source !== 'in-cluster' && !ctxObj) {
    throw new UserError(`current-context "${context}" of kubeconfig ${source} does not exist in it`, { hint: `pass ${ctxFlag} with one of: ${contexts.join(', ')}` });
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster?.server) {
    throw new UserError(`context "${context}" of kubeconfig ${source} names a cluster "${ctxObj?.cluster ?? ''}" that is missing or has no server`, {
      hint: `fix the kubeconfig or pass ${ctxFlag}`,
    });
  }
  checkContext(kc, context, flag);
  return { kc, source, context, server: cluster.server.replace(/\/+$/, ''), contexts };
}

/**
 * What kubectl refuses in the entries of the context in use, before any request: a CA together with
 * insecure-skip-tls-verify, an unknown auth provider, a user the context names that does not exist.
 */
function checkContext(kc: Kubeconfig, context: string, flag: string): void {
  const ctx = kc.getContextObject(context);
  const cluster = kc.getCurrentCluster();
  if (cluster?.skipTLSVerify && (cluster.caFile || cluster.caData)) {
    throw new UserError(`cluster "${cluster.name}" in ${kc.where('cluster', cluster.name)}: specifying a root certificates file with the insecure flag is not allowed`, {
      hint: `remove certificate-authority${cluster.caData ? '-data' : ''} or insecure-skip-tls-verify from cluster "${cluster.name}"`,
    });
  }
  if (ctx?.user && !kc.getUser(ctx.user)) {
    throw new UserError(`user "${ctx.user}" was not found for context "${context}" in kubeconfig ${kc.source}`, { hint: `fix the context, or pass another kubeconfig with ${flag}` });
  }
  const user = kc.getCurrentUser();
  const ap = (user?.authProvider as { name?: string } | undefined)?.name;
  if (user && user.authProvider && !user.exec && !AUTH_PROVIDERS.has(ap ?? '')) {
    throw new UserError(`user "${user.name}" in ${kc.where('user', user.name)}: no Auth Provider found for name "${ap ?? ''}"`, {
      hint: `use an exec credential plugin (users[].user.exec) or one of: ${[...AUTH_PROVIDERS].join(', ')}`,
    });
  }
  const exec = user?.exec as { command?: unknown } | undefined;
  if (user && exec && (typeof exec.command !== 'string' || !exec.command)) {
    throw new UserError(`user "${user.name}" in ${kc.where('user', user.name)}: exec has no command`, { hint: `set users[].user.exec.command of "${user.name}"` });
  }
}

/** Context names of a kubeconfig, for shell completion; never throws. */
export function listContexts(file: string | undefined, env: NodeJS.ProcessEnv, homedir: string): string[] {
  const files = file ? [file] : (env.KUBECONFIG ?? '').split(path.delimiter).filter(Boolean);
  if (!files.length) files.push(path.join(homedir, '.kube', 'config'));
  const names = new Set<string>();
  for (const f of files) {
    try {
      const text = readFileBoundedSync(f, { limit: LIMITS.kubeconfig, what: 'kubeconfig' }).toString('utf8');
      const doc = parseYaml(text, { maxAliases: MAX_YAML_ALIASES }) as { contexts?: { name?: string }[] } | null;
      for (const c of doc?.contexts ?? []) if (c?.name) names.add(c.name);
    } catch {
      /* unreadable: nothing to offer */
    }
  }
  return [...names];
}

/** A kubeconfig held in memory (e.g. the one init just generated), resolved like a file. */
export async function kubeconfigFromString(text: string, o: { context?: string; source?: string } = {}): Promise<LoadedKubeconfig> {
  const kc = new Kubeconfig();
  kc.loadFromString(text);
  kc.source = o.source ?? '(generated)';
  if (o.context) kc.setCurrentContext(o.context);
  const cluster = kc.getCurrentCluster();
  if (!cluster?.server) throw new Error(`kubeconfig ${o.source ?? '(generated)'} has no server for context "${kc.getCurrentContext()}"`);
  return { kc, source: o.source ?? '(generated)', context: kc.getCurrentContext(), server: cluster.server.replace(/\/+$/, ''), contexts: kc.getContexts().map((c) => c.name) };
}
