import type { Context } from '../context';
import { UsageError } from '../errors';

export type OutputFormat = '' | 'json' | 'yaml';

export function parseOutputFormat(v: unknown, allowed: OutputFormat[] = ['', 'json', 'yaml']): OutputFormat {
  const s = String(v ?? '');
  if (!(allowed as string[]).includes(s)) {
    throw new UsageError(`unable to match a printer suitable for the output format "${s}"`, {
      hint: `allowed formats are: ${allowed.filter(Boolean).join(', ')}`,
    });
  }
  return s as OutputFormat;
}

/** Writes data as JSON or YAML on stdout. Multi-document YAML for arrays of objects when `documents`. */
export async function printData(ctx: Context, data: unknown, format: 'json' | 'yaml', o: { documents?: boolean } = {}): Promise<void> {
  if (format === 'json') {
    ctx.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
    return;
  }
  // Loaded here only: a table or JSON output should not pay for the YAML library at start-up.
  const { stringify } = await import('yaml');
  if (o.documents && Array.isArray(data)) {
    ctx.stdout.write(data.map((d) => stringify(d, { lineWidth: 0 })).join('---\n'));
  } else {
    ctx.stdout.write(stringify(data, { lineWidth: 0 }));
  }
}

/** kubectl-style table: upper-case headers, columns padded with three spaces. */
export function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : (c ?? '').padEnd(widths[i]))).join('   ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n') + '\n';
}
