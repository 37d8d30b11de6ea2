import { PassThrough, Readable } from 'node:stream';
import os from 'node:os';
import type { Context, InvokedAs } from '../../src/context';
import { programName } from '../../src/context';
import { run } from '../../src/cli';

export interface TestContext extends Context {
  out(): string;
  err(): string;
}

/** A Context with captured stdout/stderr and a scripted stdin, for driving commands in-process. */
export function testContext(o: { invokedAs?: InvokedAs; env?: NodeJS.ProcessEnv; stdin?: string; stdinIsTTY?: boolean; homedir?: string; cwd?: string } = {}): TestContext {
  const invokedAs = o.invokedAs ?? 'karmadactl';
  let out = '';
  let err = '';
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (c) => (out += c.toString()));
  stderr.on('data', (c) => (err += c.toString()));
  return {
    invokedAs,
    program: programName(invokedAs),
    stdout,
    stderr,
    stdin: Readable.from(o.stdin !== undefined ? [o.stdin] : []),
    env: { ...(o.env ?? {}) },
    cwd: o.cwd ?? process.cwd(),
    homedir: o.homedir ?? os.tmpdir(),
    stderrIsTTY: false,
    stdinIsTTY: o.stdinIsTTY ?? false,
    color: false,
    verbosity: 0,
    now: () => new Date(),
    out: () => out,
    err: () => err,
  };
}

/** Runs a command line in-process; returns exit code and captured output. */
export async function runCli(argv: string[], o: Parameters<typeof testContext>[0] = {}) {
  const ctx = testContext(o);
  const code = await run(argv, ctx);
  await new Promise((r) => setImmediate(r));
  return { code, stdout: ctx.out(), stderr: ctx.err(), ctx };
}
