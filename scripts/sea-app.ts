// The CLI as one CommonJS module for the single executable's loader (scripts/build-binary.mjs): exports
// the entry and a `warmUp` that runs commands in-process with discarded output, so that the V8 code
// cache made after it holds the functions those commands compile (a SEA's own `useCodeCache` only holds
// the top level: every function `version` or `--help` runs would be compiled again at each start-up).
import os from 'node:os';
import { PassThrough, Readable } from 'node:stream';
import { run } from '../src/cli';
import { programName, type InvokedAs } from '../src/context';

export { main } from '../src/main';
export { runSea } from './sea-invocation';

export async function warmUp(commands: { invokedAs: InvokedAs; argv: string[] }[]): Promise<number[]> {
  const codes: number[] = [];
  for (const { invokedAs, argv } of commands) {
    const sink = () => {
      const s = new PassThrough();
      s.resume();
      return s;
    };
    codes.push(
      await run(argv, {
        invokedAs,
        program: programName(invokedAs),
        stdout: sink(),
        stderr: sink(),
        stdin: Readable.from([]),
        env: { PATH: '/usr/bin:/bin' },
        cwd: os.tmpdir(),
        homedir: os.tmpdir(),
        stderrIsTTY: false,
        stdinIsTTY: false,
        color: false,
        verbosity: 0,
        now: () => new Date(),
      }),
    );
  }
  return codes;
}
