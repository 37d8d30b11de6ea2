import { describe, expect, it } from 'vitest';
import { closeFrame, decodeErrorChannel, frame, hasClose, hasResize, parseFrame, PROTOCOLS, protocolVersion, resizeFrame, streamQuery } from '../../src/operate/stream/protocol';
import { chooseContainer, podSelector, selectorString, sortMostActive, type Pod } from '../../src/operate/stream/pod';
import { decideTty, withTerminal } from '../../src/operate/stream/tty';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';

describe('channel framing', () => {
  it('a data frame is the channel byte then the payload', () => {
    expect([...frame(0, 'ab')]).toEqual([0, 97, 98]);
    expect([...frame(2, Buffer.from([1, 2, 3]))]).toEqual([2, 1, 2, 3]);
    expect([...frame(1, '')]).toEqual([1]);
  });

  it('parses frames; an empty message is nothing', () => {
    expect(parseFrame(Buffer.from([1, 104, 105]))).toEqual({ channel: 1, payload: Buffer.from('hi') });
    expect(parseFrame(Buffer.alloc(0))).toBeUndefined();
    expect(parseFrame(Buffer.from([3]))).toEqual({ channel: 3, payload: Buffer.alloc(0) });
  });

  it("v5's close signal is [255, channel]", () => {
    expect([...closeFrame(0)]).toEqual([255, 0]);
  });

  it("resize: channel 4, Go's field names, a newline", () => {
    const f = resizeFrame(120, 40);
    expect(f[0]).toBe(4);
    expect(f.subarray(1).toString()).toBe('{"Width":120,"Height":40}\n');
    expect(resizeFrame(-1, 1e9).subarray(1).toString()).toBe('{"Width":0,"Height":65535}\n');
  });

  it('offers v5 first and knows what each version can do', () => {
    expect(PROTOCOLS[0]).toBe('v5.channel.k8s.io');
    expect(PROTOCOLS.map(protocolVersion)).toEqual([5, 4, 3, 2, 1]);
    expect(PROTOCOLS.map(hasClose)).toEqual([true, false, false, false, false]);
    expect(PROTOCOLS.map(hasResize)).toEqual([true, true, true, false, false]);
  });
});

describe('error channel', () => {
  const exit = (code: string, extra: object = {}) => JSON.stringify({ metadata: {}, status: 'Failure', message: 'command terminated with non-zero exit code', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: code }] }, ...extra });
  it('empty and Success are exit 0', () => {
    expect(decodeErrorChannel('v5.channel.k8s.io', '')).toEqual({ exitCode: 0 });
    expect(decodeErrorChannel('v4.channel.k8s.io', '{"metadata":{},"status":"Success"}')).toEqual({ exitCode: 0 });
  });
  it('NonZeroExitCode gives the code', () => {
    expect(decodeErrorChannel('v5.channel.k8s.io', exit('3'))).toEqual({ exitCode: 3 });
    expect(decodeErrorChannel('v4.channel.k8s.io', exit('255'))).toEqual({ exitCode: 255 });
  });
  it("client-go's protocol errors", () => {
    expect(decodeErrorChannel('v5.channel.k8s.io', exit('300'))).toEqual({ error: 'error stream protocol error: invalid exit code value "300"' });
    expect(decodeErrorChannel('v5.channel.k8s.io', exit('x'))).toEqual({ error: 'error stream protocol error: invalid exit code value "x"' });
    expect(decodeErrorChannel('v5.channel.k8s.io', '{"status":"Failure","reason":"NonZeroExitCode"}')).toEqual({ error: 'error stream protocol error: details must be set' });
    expect(decodeErrorChannel('v5.channel.k8s.io', '{"status":"Failure","reason":"NonZeroExitCode","details":{"causes":[]}}')).toEqual({ error: 'error stream protocol error: no ExitCode cause given' });
    expect(decodeErrorChannel('v5.channel.k8s.io', '{"status":"Weird"}')).toEqual({ error: 'error stream protocol error: unknown error' });
    expect((decodeErrorChannel('v5.channel.k8s.io', 'not json') as { error: string }).error).toMatch(/^error stream protocol error: .* in "not json"$/);
  });
  it('another Failure is its message', () => {
    expect(decodeErrorChannel('v5.channel.k8s.io', '{"status":"Failure","reason":"InternalError","message":"Internal error occurred: boom"}')).toEqual({ error: 'Internal error occurred: boom' });
  });
  it('v1–v3 carry text', () => {
    expect(decodeErrorChannel('v3.channel.k8s.io', 'oops')).toEqual({ error: 'error executing remote command: oops' });
    expect(decodeErrorChannel('channel.k8s.io', 'oops')).toEqual({ error: 'error executing remote command: oops' });
  });
});

describe('query', () => {
  it('keys sorted, command repeated, booleans only when true', () => {
    expect(streamQuery({ command: ['ls', '-l', '/'], container: 'b', stdin: false, stdout: true, stderr: true, tty: false }).toString()).toBe('command=ls&command=-l&command=%2F&container=b&stderr=true&stdout=true');
    expect(streamQuery({ command: ['bash'], container: 'a', stdin: true, stdout: true, stderr: false, tty: true }).toString()).toBe('command=bash&container=a&stdin=true&stdout=true&tty=true');
  });
});

describe('pod choice', () => {
  const pod = (name: string, o: Partial<{ node: string; phase: string; ready: boolean; readySince: string; restarts: number; created: string }> = {}): Pod => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, creationTimestamp: o.created ?? '2026-01-01T00:00:00Z' },
    spec: { nodeName: o.node ?? 'n', containers: [{ name: 'c' }] },
    status: { phase: o.phase ?? 'Running', conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: o.readySince ?? '2026-01-01T00:00:00Z' }], containerStatuses: [{ name: 'c', restartCount: o.restarts ?? 0 }] },
  });
  it('most active first: assigned, Running, ready, ready longer, fewer restarts, older', () => {
    const names = (ps: Pod[]) => sortMostActive(ps).map((p) => p.metadata.name);
    expect(names([pod('unassigned', { node: '' }), pod('assigned')])).toEqual(['assigned', 'unassigned']);
    expect(names([pod('pending', { phase: 'Pending' }), pod('running')])).toEqual(['running', 'pending']);
    expect(names([pod('notready', { ready: false }), pod('ready')])).toEqual(['ready', 'notready']);
    expect(names([pod('recent', { readySince: '2026-01-02T00:00:00Z' }), pod('long')])).toEqual(['long', 'recent']);
    expect(names([pod('crashy', { restarts: 5 }), pod('calm')])).toEqual(['calm', 'crashy']);
    expect(names([pod('new', { created: '2026-02-01T00:00:00Z' }), pod('old')])).toEqual(['old', 'new']);
  });
  it('selectors as kubectl writes them', () => {
    expect(selectorString({ matchLabels: { b: '2', a: '1' }, matchExpressions: [{ key: 'c', operator: 'In', values: ['y', 'x'] }, { key: 'd', operator: 'DoesNotExist' }] })).toBe('a=1,b=2,c in (x,y),!d');
    expect(podSelector({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { selector: { matchLabels: { app: 'x' } } } } as never)).toBe('app=x');
    expect(() => podSelector({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: {} } as never)).toThrow("invalid service 's': Service is defined without a selector");
    expect(() => podSelector({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } } as never)).toThrow('cannot attach to *v1.ConfigMap: selector for *v1.ConfigMap not implemented');
  });
  it('container: named, annotated, first with the note (ephemeral and init listed)', () => {
    const notes: string[] = [];
    const p: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns' }, spec: { containers: [{ name: 'a' }, { name: 'b' }], initContainers: [{ name: 'i' }], ephemeralContainers: [{ name: 'e' }] } };
    expect(chooseContainer(p, { check: false, quiet: false, note: (l) => notes.push(l) }).name).toBe('a');
    expect(notes).toEqual(['Defaulted container "a" out of: a, b, e (ephem), i (init)']);
    expect(chooseContainer(p, { name: 'zz', check: false, quiet: false, note: () => {} }).name).toBe('zz');
    expect(() => chooseContainer(p, { name: 'zz', check: true, quiet: false, note: () => {} })).toThrow('cannot attach to the container: container zz not found in pod p');
    const annotated = { ...p, metadata: { ...p.metadata, annotations: { 'kubectl.kubernetes.io/default-container': 'missing' } } };
    const n2: string[] = [];
    expect(chooseContainer(annotated, { check: false, quiet: false, note: (l) => n2.push(l) }).name).toBe('a');
    expect(n2[0]).toBe('Default container name "missing" not found in pod p');
  });
});

describe('TTY decision (SetupTTY)', () => {
  it('follows kubectl', () => {
    expect(decideTty({ stdin: false, tty: true, quiet: false, stdinIsTerminal: true })).toEqual({ stdin: false, raw: false, notes: [] });
    expect(decideTty({ stdin: true, tty: false, quiet: false, stdinIsTerminal: true })).toEqual({ stdin: true, raw: false, notes: [] });
    expect(decideTty({ stdin: true, tty: true, quiet: false, stdinIsTerminal: false }).notes).toEqual(['Unable to use a TTY - input is not a terminal or the right kind of file']);
    expect(decideTty({ stdin: true, tty: true, quiet: true, stdinIsTerminal: false }).notes).toEqual([]);
    expect(decideTty({ stdin: true, tty: true, quiet: false, stdinIsTerminal: true })).toEqual({ stdin: true, raw: true, notes: [] });
  });
});

describe('withTerminal: raw mode restored on every way out', () => {
  const term = () => {
    const modes: boolean[] = [];
    const stdin = Object.assign(new PassThrough(), { isTTY: true, isRaw: false, setRawMode(b: boolean) { modes.push(b); stdin.isRaw = b; } });
    return { stdin, modes };
  };
  it('after the session, after an error, on SIGTERM/SIGHUP and on process exit; listeners removed', async () => {
    for (const way of ['end', 'error', 'SIGTERM', 'SIGHUP', 'exit'] as const) {
      const { stdin, modes } = term();
      const signals = new EventEmitter();
      let interrupted = 0;
      const p = withTerminal(stdin, { raw: true, signals, onInterrupt: () => interrupted++ }, async () => {
        expect(modes).toEqual([true]);
        if (way === 'error') throw new Error('boom');
        if (way !== 'end') {
          signals.emit(way);
          expect(modes).toEqual([true, false]);
        }
        return 7;
      });
      if (way === 'error') await expect(p).rejects.toThrow('boom');
      else expect(await p).toBe(7);
      expect(modes).toEqual([true, false]);
      expect(interrupted).toBe(way.startsWith('SIG') ? 1 : 0);
      expect(signals.eventNames()).toEqual([]);
    }
  });
  it('without a terminal nothing is touched; -i without -t only restores on signals', async () => {
    const signals = new EventEmitter();
    expect(await withTerminal(new PassThrough(), { raw: true, signals, onInterrupt: () => {} }, async () => signals.eventNames().length)).toBe(0);
    const { stdin, modes } = term();
    await withTerminal(stdin, { raw: false, signals, onInterrupt: () => {} }, async () => expect(signals.listenerCount('SIGINT')).toBe(1));
    expect(modes).toEqual([]);
  });
});
