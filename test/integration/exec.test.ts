import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { run } from '../../src/cli';
import { runCli, testContext } from '../support/context';
import { startFederation, type Federation } from '../support/federation';
import { ALL_PROTOCOLS } from '../support/apiserver/streams';

let fed: Federation;
// before any `--`: the words after it are the remote command
const withConfig = (args: string[]) => [args[0], '--kubeconfig', fed.kubeconfig, ...args.slice(1)];
const cli = (args: string[], o: { stdin?: string } = {}) => runCli(withConfig(args), { env: fed.env, homedir: fed.homedir, ...o });
const M1 = ['-s', 'members', '--cluster', 'member1'];

function pod(name: string, o: { containers?: { name: string; env?: { name: string; value: string }[]; tty?: boolean }[]; labels?: Record<string, string>; annotations?: Record<string, string>; phase?: string; running?: boolean; node?: string; created?: string; ready?: boolean; restartPolicy?: string } = {}) {
  const containers = o.containers ?? [{ name: 'c', env: [{ name: 'X', value: 'hello' }] }];
  const running = o.running ?? true;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: o.labels ?? {}, annotations: o.annotations ?? {}, creationTimestamp: o.created ?? '2026-01-01T00:00:00Z' },
    spec: { nodeName: o.node ?? 'node1', restartPolicy: o.restartPolicy ?? 'Always', containers: containers.map((c) => ({ image: 'busybox', ...c })) },
    status: {
      phase: o.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: (o.ready ?? running) ? 'True' : 'False', lastTransitionTime: '2026-01-01T00:00:10Z' }],
      containerStatuses: containers.map((c) => ({ name: c.name, ready: running, restartCount: 0, state: running ? { running: { startedAt: '2026-01-01T00:00:05Z' } } : { waiting: { reason: 'ContainerCreating' } } })),
    },
  };
}

beforeAll(async () => {
  fed = await startFederation(['member1', 'member2']);
  const m1 = fed.members.member1;
  m1.store.put(pod('web'));
  m1.store.put(pod('two', { containers: [{ name: 'a' }, { name: 'b' }] }));
  m1.store.put(pod('annotated', { containers: [{ name: 'a' }, { name: 'b' }], annotations: { 'kubectl.kubernetes.io/default-container': 'b' } }));
  m1.store.put(pod('starting', { running: false }));
  m1.store.put(pod('done', { phase: 'Succeeded', running: false }));
  m1.store.put(pod('shell', { containers: [{ name: 'sh', tty: true }] }));
  m1.store.put({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'app', namespace: 'default' }, spec: { replicas: 2, selector: { matchLabels: { app: 'app' } }, template: { metadata: { labels: { app: 'app' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } } });
  m1.store.put(pod('app-old-pending', { labels: { app: 'app' }, running: false, phase: 'Pending', created: '2026-01-01T00:00:00Z' }));
  m1.store.put(pod('app-running', { labels: { app: 'app' }, created: '2026-01-02T00:00:00Z' }));
  m1.store.put({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'empty', namespace: 'default' }, spec: { replicas: 0, selector: { matchLabels: { app: 'none' } }, template: { metadata: { labels: { app: 'none' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } } });
  fed.karmada.store.put(pod('cp-pod'));
});
afterAll(async () => {
  await fed?.close();
});
beforeEach(() => {
  for (const s of [fed.karmada, ...Object.values(fed.members)]) {
    s.core.streams.protocols = [...ALL_PROTOCOLS];
    s.core.streams.exec = undefined;
    s.core.streams.attach = undefined;
    s.core.streams.sessions.length = 0;
  }
});

const last = (name = 'member1') => {
  const s = fed.members[name].core.streams.sessions;
  return s[s.length - 1];
};

describe('exec through the cluster proxy', () => {
  it('prints the output and takes the remote exit code (v5 status channel)', async () => {
    const r = await cli(['exec', 'web', ...M1, '--', 'sh', '-c', 'echo $X; exit 3']);
    expect(r.stdout).toBe('hello\n');
    expect(r.stderr).toBe('command terminated with exit code 3\n');
    expect(r.code).toBe(3);
    expect(last().protocol).toBe('v5.channel.k8s.io');
    const req = fed.members.member1.requests.filter((x) => x.path.endsWith('/exec')).pop()!;
    expect(req.path).toBe('/api/v1/namespaces/default/pods/web/exec');
    expect(fed.proxy.forwarded.some((f) => f.cluster === 'member1' && f.path === '/api/v1/namespaces/default/pods/web/exec')).toBe(true);
    // the member saw the karmada user impersonated by the proxy
    expect(req.user).toBe('kubernetes-admin');
  });

  it('sends the query kubectl sends (command repeated, booleans only when true)', async () => {
    const r = await cli(['exec', 'web', ...M1, '-c', 'c', '--', 'ls', '-l', '/']);
    expect(r.code).toBe(127);
    const q = fed.members.member1.requests.filter((x) => x.path.endsWith('/exec')).pop()!;
    expect(q.query).toEqual({ command: '/', container: 'c', stderr: 'true', stdout: 'true' });
    expect(last().command).toEqual(['ls', '-l', '/']);
    expect(r.stderr).toBe('sh: ls: not found\ncommand terminated with exit code 127\n');
  });

  it('exit 0 prints nothing extra; stderr of the remote command goes to stderr', async () => {
    const r = await cli(['exec', 'web', ...M1, '--', 'sh', '-c', 'echo out; echo err >&2']);
    expect(r).toMatchObject({ code: 0, stdout: 'out\n', stderr: 'err\n' });
  });

  it('-i passes stdin and half-closes it at EOF (v5 close signal)', async () => {
    const r = await cli(['exec', '-i', 'web', ...M1, '--', 'cat'], { stdin: 'line one\nline two\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('line one\nline two\n');
    expect(last().stdinClosed).toBe(true);
    expect(last().stdin).toBe(true);
  });

  it('without -i stdin is not sent and -t is dropped', async () => {
    const r = await cli(['exec', '-t', 'web', ...M1, '--', 'echo', 'x']);
    expect(r.code).toBe(0);
    expect(last()).toMatchObject({ stdin: false, tty: false, stderr: true });
  });

  it('-i -t without a terminal: kubectl\'s note, no TTY; -q silences it', async () => {
    const r = await cli(['exec', '-i', '-t', 'web', ...M1, '--', 'cat'], { stdin: 'x' });
    expect(r.stderr).toBe('Unable to use a TTY - input is not a terminal or the right kind of file\n');
    expect(last().tty).toBe(false);
    const q = await cli(['exec', '-i', '-t', '-q', 'web', ...M1, '--', 'cat'], { stdin: 'x' });
    expect(q.stderr).toBe('');
  });

  it('speaks v4 to a server without v5 (exit code from the v4 status)', async () => {
    fed.members.member1.core.streams.protocols = ['v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'];
    const r = await cli(['exec', 'web', ...M1, '--', 'sh', '-c', 'echo $X; exit 3']);
    expect(last().protocol).toBe('v4.channel.k8s.io');
    expect(r).toMatchObject({ code: 3, stdout: 'hello\n', stderr: 'command terminated with exit code 3\n' });
  });

  it('v1 (channel.k8s.io): the error text as kubectl words it', async () => {
    fed.members.member1.core.streams.protocols = ['channel.k8s.io'];
    const r = await cli(['exec', 'web', ...M1, '--', 'sh', '-c', 'exit 2']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: error executing remote command: command terminated with non-zero exit code: error executing command [sh -c exit 2], exit code 2\n');
  });

  it('the default-container annotation, else the first container with kubectl\'s note', async () => {
    const a = await cli(['exec', 'annotated', ...M1, '--', 'true']);
    expect(a).toMatchObject({ code: 0, stderr: '' });
    expect(last().container).toBe('b');
    const t = await cli(['exec', 'two', ...M1, '--', 'true']);
    expect(t.stderr).toBe('Defaulted container "a" out of: a, b\n');
    expect(last().container).toBe('a');
    const q = await cli(['exec', 'two', '-q', ...M1, '--', 'true']);
    expect(q.stderr).toBe('');
  });

  it('-f names the pod by a file; several objects are refused', async () => {
    const one = path.join(fed.dir, 'web.yaml');
    await writeFile(one, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  nodeName: node1\n  containers:\n  - name: c\n    image: busybox\n');
    const r = await cli(['exec', '-f', one, ...M1, '--', 'echo', 'from-file']);
    expect(r).toMatchObject({ code: 0, stdout: 'from-file\n', stderr: '' });
    expect(last().pod).toBe('web');
    const two = path.join(fed.dir, 'two.yaml');
    await writeFile(two, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: b\n');
    const t = await cli(['exec', '-f', two, ...M1, '--', 'true']);
    expect(t.stderr).toBe('error: cannot exec into multiple objects at a time; name one object with -f\n');
  });

  it('TYPE/NAME: the most active pod of the deployment', async () => {
    const r = await cli(['exec', 'deploy/app', ...M1, '--', 'true']);
    expect(r.code).toBe(0);
    expect(last().pod).toBe('app-running');
  });

  it('--pod-running-timeout bounds the wait for a pod', async () => {
    const started = Date.now();
    const r = await cli(['exec', 'deployment/empty', ...M1, '--pod-running-timeout', '1s', '--', 'true']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: timed out waiting for the condition; no pod matching app=none appeared in namespace default/);
    expect(Date.now() - started).toBeLessThan(8000);
  });

  it('server refusals: the apiserver\'s texts before the upgrade', async () => {
    const missing = await cli(['exec', 'nope', ...M1, '--', 'true']);
    expect(missing.stderr).toBe('error: Error from server (NotFound): pods "nope" not found\n');
    const container = await cli(['exec', 'web', '-c', 'nope', ...M1, '--', 'true']);
    expect(container.stderr).toBe('error: Error from server (BadRequest): container nope is not valid for pod web\n');
    expect(container.code).toBe(1);
  });

  it('a container that is not running: v5 reports it on the error channel, v4 before the upgrade', async () => {
    const v5 = await cli(['exec', 'starting', ...M1, '--', 'true']);
    expect(v5.stderr).toBe('error: Internal error occurred: unable to upgrade connection: container not found ("c")\n');
    fed.members.member1.core.streams.protocols = ['v4.channel.k8s.io'];
    const v4 = await cli(['exec', 'starting', ...M1, '--', 'true']);
    expect(v4.stderr).toBe('error: unable to upgrade connection: container not found ("c")\n');
  });

  it('a completed pod is refused locally', async () => {
    const r = await cli(['exec', 'done', ...M1, '--', 'true']);
    expect(r.stderr).toBe('error: cannot exec into a container in a completed pod; current phase is Succeeded\n');
  });

  it('403 for pods/exec on the member is the real text', async () => {
    const m1 = fed.members.member1.core;
    const saved = m1.authorize;
    // a karmada user without system:masters, impersonated by the proxy; the member denies pods/exec
    fed.karmada.core.tokens.set('dev-token', { name: 'dev', groups: ['system:authenticated'] });
    const kc = path.join(fed.dir, 'dev.config');
    await writeFile(kc, fed.karmada.kubeconfig({ user: { token: 'dev-token' }, cluster: 'karmada-apiserver', context: 'dev' }), { mode: 0o600 });
    m1.authorize = (_u, verb, resource) => !(verb === 'create' && resource === 'pods/exec');
    try {
      const r = await runCli(['exec', '--kubeconfig', kc, 'web', ...M1, '--', 'true'], { env: fed.env, homedir: fed.homedir });
      expect(r.stderr).toBe('error: Error from server (Forbidden): pods "web" is forbidden: User "dev" cannot create resource "pods/exec" in API group "" in the namespace "default"; the kubeconfig user lacks permission; use a context with cluster-admin rights\n');
      expect(r.code).toBe(1);
    } finally {
      m1.authorize = saved;
    }
  });

  it('a server that does not upgrade to WebSocket is named with its version', async () => {
    fed.members.member1.faults.add({ path: /\/pods\/web\/exec$/, status: 400, message: 'Upgrade request required' });
    try {
      const r = await cli(['exec', 'web', ...M1, '--', 'true']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^error: member cluster member1 \(Kubernetes v1\.34\.0-testapiserver\) did not upgrade the request to a WebSocket \(HTTP 400: Upgrade request required\); this karmadactl streams exec and attach over WebSocket only/);
    } finally {
      fed.members.member1.faults.clear();
    }
  });

  it('the control plane is the target without -s members (the cluster flag alone is warned about)', async () => {
    const r = await cli(['exec', 'cp-pod', '--', 'echo', 'karmada']);
    expect(r).toMatchObject({ code: 0, stdout: 'karmada\n', stderr: '' });
    const w = await cli(['exec', 'cp-pod', '--cluster', 'member1', '--', 'echo', 'karmada']);
    expect(w.stdout).toBe('karmada\n');
    expect(w.stderr).toBe('Warning: --cluster is ignored in the karmada operation scope; add --operation-scope=members to reach cluster member1\n');
  });

  it('bad command lines, before any request', async () => {
    const before = fed.karmada.requests.length;
    const cases: [string[], string][] = [
      [['exec', 'web', 'date'], "error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead; See 'karmadactl exec -h' for help and examples\n"],
      [['exec', 'web'], "error: you must specify at least one command for the container; See 'karmadactl exec -h' for help and examples\n"],
      [['exec', '--', 'date'], "error: pod, type/name or --filename must be specified; See 'karmadactl exec -h' for help and examples\n"],
      [['exec', 'web', '-s', 'all', '--', 'date'], 'error: not support operation scope: all; use --operation-scope=karmada or --operation-scope=members --cluster=NAME\n'],
      [['exec', 'web', '-s', 'members', '--', 'date'], 'error: must specify a member cluster; add --cluster=NAME (list them with `karmadactl get clusters`)\n'],
      [['exec', 'web', '--pod-running-timeout', '0s', '--', 'date'], "error: --pod-running-timeout must be higher than zero; See 'karmadactl exec -h' for help and examples\n"],
      [['exec', 'web', '-s', 'nope', '--', 'date'], 'error: invalid argument "nope" for "-s, --operation-scope" flag: not support OperationScope: nope; use karmada, members or all\n'],
    ];
    for (const [args, err] of cases) {
      const r = await cli(args);
      expect([r.code, r.stderr]).toEqual([1, err]);
    }
    const c = await cli(['exec', 'web', '-C', 'member1', '--', 'date']);
    expect(c.stderr).toMatch(/^error: unknown shorthand flag: 'C' in -C\nSee 'karmadactl exec --help' for usage\.\n$/);
    expect(fed.karmada.requests.length).toBe(before);
  });

  it('completes pod names of the target', async () => {
    const r = await runCli(['__complete', 'exec', '--kubeconfig', fed.kubeconfig, ...M1, ''], { env: fed.env, homedir: fed.homedir });
    const names = r.stdout.split('\n').filter((l) => l && !l.startsWith(':'));
    expect(names).toContain('web');
    expect(names).toContain('app-running');
    const cp = await runCli(['__complete', 'attach', '--kubeconfig', fed.kubeconfig, ''], { env: fed.env, homedir: fed.homedir });
    expect(cp.stdout.split('\n').filter((l) => l && !l.startsWith(':'))).toEqual(['cp-pod']);
  });

  it('help tells the truth about the cluster flags', async () => {
    const r = await cli(['exec', '--help']);
    expect(r.stdout).toContain('karmadactl exec (POD | TYPE/NAME) [-c CONTAINER] [--operation-scope=members --cluster=CLUSTER] -- COMMAND [args...] [options]');
    expect(r.stdout).not.toContain('-C CLUSTER');
  });
});

/** A context whose stdin is a terminal (setRawMode recorded) and whose stdout has a size. */
function ttyContext() {
  const ctx = testContext({ env: fed.env, homedir: fed.homedir });
  const stdin = new PassThrough() as PassThrough & { isTTY: boolean; isRaw: boolean; setRawMode(b: boolean): void };
  const modes: boolean[] = [];
  stdin.isTTY = true;
  stdin.isRaw = false;
  stdin.setRawMode = (b: boolean) => {
    modes.push(b);
    stdin.isRaw = b;
  };
  const stdout = ctx.stdout as PassThrough & { isTTY?: boolean; columns?: number; rows?: number };
  stdout.isTTY = true;
  stdout.columns = 80;
  stdout.rows = 24;
  return { ctx: { ...ctx, stdin, stdinIsTTY: true }, stdin, stdout, modes };
}

describe('exec -i -t on a terminal', () => {
  it('raw mode for the session and restored; tty=true, no stderr; sizes on the resize channel', async () => {
    const { ctx, stdin, stdout, modes } = ttyContext();
    fed.members.member1.core.streams.exec = async (io) => {
      io.stdout('$ ');
      return new Promise((resolve) => io.onStdin((d) => io.stdout(d), () => resolve(0)));
    };
    const running = run(withConfig(['exec', '-it', 'web', ...M1, '--', 'sh']), ctx);
    for (let i = 0; i < 200 && !ctx.out().includes('$ '); i++) await new Promise((r) => setTimeout(r, 10));
    expect(modes).toEqual([true]);
    stdout.columns = 120;
    stdout.rows = 40;
    stdout.emit('resize');
    stdin.write('exit\n');
    await new Promise((r) => setTimeout(r, 50));
    stdin.end();
    expect(await running).toBe(0);
    expect(modes).toEqual([true, false]);
    expect(ctx.out()).toBe('$ exit\n');
    const s = last();
    expect(s).toMatchObject({ tty: true, stderr: false, stdin: true });
    expect(s.resizes).toEqual([{ Width: 80, Height: 24 }, { Width: 120, Height: 40 }]);
  });

  it('raw mode is restored when the session fails', async () => {
    const { ctx, modes } = ttyContext();
    const code = await run(withConfig(['exec', '-it', 'starting', ...M1, '--', 'sh']), ctx);
    expect(code).toBe(1);
    expect(modes).toEqual([true, false]);
    expect(ctx.err()).toContain('container not found');
  });

  it('raw mode is restored when the session is interrupted (SIGINT on the process: exit 1)', async () => {
    const { ctx, modes } = ttyContext();
    fed.members.member1.core.streams.exec = () => new Promise(() => {});
    const running = run(withConfig(['exec', '-it', 'web', ...M1, '--', 'sh']), ctx);
    for (let i = 0; i < 200 && !last()?.tty; i++) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 50));
    expect(modes).toEqual([true]);
    const listeners = process.listeners('SIGINT');
    expect(listeners.length).toBeGreaterThan(0);
    (listeners[listeners.length - 1] as () => void)();
    expect(await running).toBe(1);
    expect(modes).toEqual([true, false]);
    expect(process.listeners('SIGINT')).not.toContain(listeners[listeners.length - 1]);
  });
});

describe('attach', () => {
  it('streams the running process, with kubectl\'s two notes', async () => {
    const r = await cli(['attach', 'web', ...M1]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('attached to c\n');
    expect(r.stderr).toBe('All commands and output from this session will be recorded in container logs, including credentials and sensitive information passed through the command prompt.\nIf you don\'t see a command prompt, try pressing enter.\n');
    const q = fed.members.member1.requests.filter((x) => x.path.endsWith('/attach')).pop()!;
    expect(q.query).toEqual({ container: 'c', stderr: 'true', stdout: 'true' });
  });

  it('-i passes stdin; -q prints only the session', async () => {
    const r = await cli(['attach', '-i', '-q', 'web', ...M1], { stdin: 'typed\n' });
    expect(r).toMatchObject({ code: 0, stdout: 'attached to c\ntyped\n', stderr: '' });
  });

  it('a named container is checked locally; -t on a container without a TTY is a note', async () => {
    const bad = await cli(['attach', 'web', '-c', 'nope', ...M1]);
    expect(bad.stderr).toBe('error: cannot attach to the container: container nope not found in pod web; use one of: c\n');
    const t = await cli(['attach', 'web', '-t', '-q', ...M1]);
    expect(t.code).toBe(0);
    const noisy = await cli(['attach', 'web', '-t', ...M1]);
    expect(noisy.stderr.split('\n')[0]).toBe('error: Unable to use a TTY - container c did not allocate one');
  });

  it('the remote exit status becomes ours, as for exec', async () => {
    fed.members.member1.core.streams.attach = async (io) => {
      io.stdout('bye\n');
      return 4;
    };
    const r = await cli(['attach', 'web', '-q', ...M1]);
    expect(r).toMatchObject({ code: 4, stdout: 'bye\n', stderr: 'command terminated with exit code 4\n' });
  });

  it('raw -i -t: size+1 then the size (redraw), raw mode restored, and a resume hint that names the cluster', async () => {
    const { ctx, stdin, modes } = ttyContext();
    const running = run(withConfig(['attach', '-it', 'shell', ...M1]), ctx);
    for (let i = 0; i < 200 && !ctx.out().includes('attached'); i++) await new Promise((r) => setTimeout(r, 10));
    stdin.end();
    expect(await running).toBe(0);
    expect(modes).toEqual([true, false]);
    expect(last().resizes).toEqual([{ Width: 81, Height: 25 }, { Width: 80, Height: 24 }]);
    expect(ctx.out()).toBe("attached to sh\nSession ended, resume using 'karmadactl attach shell -c sh -i -t --operation-scope=members --cluster=member1' command when the pod is running\n");
  });

  it('argument rules', async () => {
    expect((await cli(['attach'])).stderr).toBe("error: at least 1 argument is required for attach; See 'karmadactl attach -h' for help and examples\n");
    expect((await cli(['attach', 'a', 'b', 'c'])).stderr).toBe("error: expected POD, TYPE/NAME, or TYPE NAME, (at most 2 arguments) saw 3: [a b c]; See 'karmadactl attach -h' for help and examples\n");
    const two = await cli(['attach', 'pods', 'web', '-q', ...M1]);
    expect(two).toMatchObject({ code: 0, stdout: 'attached to c\n' });
  });
});
