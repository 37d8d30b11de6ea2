import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { runCli } from '../support/context';
import { startFederation, type Federation } from '../support/federation';
import { goBin } from '../support/go-bin';

/**
 * The exec/attach double must agree with the real client: the Go karmadactl v1.18.2 (client-go's
 * WebSocket v5 executor) runs the same invocations against the same federation and cluster proxy
 * double, and stdout, exit code and the subprotocol it negotiated are compared with ours. stderr is
 * compared where both print the same (the remote command's output and kubectl's notes; error lines
 * differ by this project's `error: ` prefix).
 */
const GO = goBin('karmadactl');
let fed: Federation;

beforeAll(async () => {
  if (!existsSync(GO)) return;
  fed = await startFederation(['member1']);
  const m1 = fed.members.member1;
  const pod = (name: string, containers: { name: string }[], annotations: Record<string, string> = {}) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: 'web' }, annotations },
    spec: { nodeName: 'node1', containers: containers.map((c) => ({ image: 'busybox', env: [{ name: 'X', value: 'hello' }], ...c })) },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: containers.map((c) => ({ name: c.name, ready: true, restartCount: 0, state: { running: {} } })) },
  });
  m1.store.put(pod('web', [{ name: 'c' }]));
  m1.store.put(pod('two', [{ name: 'a' }, { name: 'b' }]));
  m1.store.put({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } } });
});
afterAll(async () => {
  await fed?.close();
});

function go(argv: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(GO, [argv[0], '--kubeconfig', fed.kubeconfig, ...argv.slice(1)], { env: { HOME: `${fed.dir}/go`, PATH: process.env.PATH } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c: Buffer) => (stdout += c));
    p.stderr.on('data', (c: Buffer) => (stderr += c));
    p.stdin.end(stdin ?? '');
    p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const M1 = ['-s', 'members', '--cluster', 'member1'];

describe.skipIf(!existsSync(GO))('the Go karmadactl and ours against the exec/attach double', () => {
  it.each([
    { argv: ['exec', 'web', ...M1, '--', 'sh', '-c', 'echo $X; exit 3'], sameStderr: true },
    { argv: ['exec', 'web', ...M1, '--', 'sh', '-c', 'echo out; echo err >&2'], sameStderr: true },
    { argv: ['exec', '-i', 'web', ...M1, '--', 'cat'], stdin: 'piped\nlines\n', sameStderr: true },
    { argv: ['exec', 'two', ...M1, '--', 'echo', 'defaulted'], sameStderr: true },
    { argv: ['exec', 'deploy/web', ...M1, '--', 'printenv', 'X'], sameStderr: true },
    { argv: ['attach', 'web', ...M1], sameStderr: true },
    { argv: ['attach', '-i', '-q', 'web', ...M1], stdin: 'typed\n', sameStderr: true },
    { argv: ['exec', 'web', '-c', 'nope', ...M1, '--', 'true'], sameStderr: false },
    { argv: ['exec', 'missing', ...M1, '--', 'true'], sameStderr: false },
  ])('$argv', async ({ argv, stdin, sameStderr }) => {
    const sessions = fed.members.member1.core.streams.sessions;
    const n = sessions.length;
    const theirs = await go(argv, stdin);
    const goProtocol = sessions.slice(n).map((s) => s.protocol);
    const ours = await runCli([argv[0], '--kubeconfig', fed.kubeconfig, ...argv.slice(1)], { env: { HOME: `${fed.dir}/ours` }, homedir: `${fed.dir}/ours`, stdin: stdin ?? '' });
    const ourProtocol = sessions.slice(n + goProtocol.length).map((s) => s.protocol);
    expect({ code: ours.code, stdout: ours.stdout }).toEqual({ code: theirs.code, stdout: theirs.stdout });
    expect(ourProtocol).toEqual(goProtocol);
    if (sameStderr) expect(ours.stderr).toBe(theirs.stderr);
    else expect(ours.stderr).toBe(`error: ${theirs.stderr}`);
  });
});
