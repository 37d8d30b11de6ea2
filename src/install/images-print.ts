import type { Context } from '../context';
import { printData } from '../ui/output';
import { formatImageLines, imageList } from './images';
import type { InitOptions } from './options';

/** `init --print-images`: the list on stdout, warnings (e.g. of --config) on stderr; nothing else touched. */
export async function printImages(ctx: Context, o: InitOptions, warnings: string[]): Promise<number> {
  for (const w of warnings) ctx.stderr.write(`warning: ${w}\n`);
  const list = await imageList(o);
  if (o.output) await printData(ctx, { kind: 'Images', images: list }, o.output);
  else ctx.stdout.write(formatImageLines(list));
  return 0;
}
