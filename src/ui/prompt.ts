import { createInterface } from 'node:readline';
import type { Context } from '../context';
import { UserError } from '../errors';

/**
 * The reference's confirmation (`Please type (y)es or (n)o and then press enter:`), made safe:
 * without a terminal on stdin it refuses and asks for --force; an empty line or end of input is "no".
 */
export async function confirm(ctx: Context, forceFlag = '--force'): Promise<boolean> {
  if (!ctx.stdinIsTTY) throw new UserError('refusing to ask for confirmation: stdin is not a terminal', { hint: `pass ${forceFlag} to proceed without prompting` });
  const rl = createInterface({ input: ctx.stdin, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  try {
    for (;;) {
      ctx.stdout.write('Please type (y)es or (n)o and then press enter:');
      const next = await lines.next();
      if (next.done) {
        ctx.stdout.write('\n');
        return false;
      }
      const answer = String(next.value).trim().toLowerCase();
      if (answer === 'y' || answer === 'yes') return true;
      if (answer === '' || answer === 'n' || answer === 'no') return false;
    }
  } finally {
    rl.close();
  }
}
