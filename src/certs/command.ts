import type { Context } from '../context';
import { printData, parseOutputFormat } from '../ui/output';
import * as V from '../util/validate';
import { checkExpiration, type CheckOptions } from './check';
import { formatReport } from './report';

/** Exit status of check-expiration when a certificate needs attention (1 stays for errors). */
export const EXIT_FINDINGS = 2;

export function checkOptionsFromFlags(f: Record<string, unknown>): CheckOptions {
  const str = (k: string, d = '') => String(f[k] ?? d);
  const o: CheckOptions = { namespace: str('namespace', 'karmada-system') || 'karmada-system', kubeconfig: str('kubeconfig'), context: str('context'), pkiDir: str('karmada-pki', '/etc/karmada/pki') || '/etc/karmada/pki', dataDir: str('karmada-data', '/etc/karmada') || '/etc/karmada' };
  V.dns1123Label('namespace', o.namespace);
  for (const [k, v] of [['kubeconfig', o.kubeconfig], ['context', o.context], ['karmada-pki', o.pkiDir], ['karmada-data', o.dataDir]] as const) if (v) V.pathValue(k, v);
  return o;
}

export async function runCheckExpiration(ctx: Context, flags: Record<string, unknown>, now = new Date()): Promise<number> {
  const output = parseOutputFormat(flags.output);
  const o = checkOptionsFromFlags(flags);
  const { report, sources } = await checkExpiration(ctx, o, now);
  if (output) await printData(ctx, { ...report, sources }, output);
  else {
    ctx.stderr.write(`[check-expiration] host cluster ${sources.host}, namespace ${sources.namespace}: secrets ${sources.secrets.join(', ')}; ${sources.pkiFiles ? `${sources.pkiFiles} certificates under ${sources.pkiDir}` : `no certificates under ${sources.pkiDir}`}; ${sources.kubeconfig ? `kubeconfig ${sources.kubeconfig}` : 'no local kubeconfig'}\n`);
    ctx.stdout.write(formatReport(report));
  }
  for (const p of report.problems) ctx.stderr.write(`warning: ${p}\n`);
  return report.problems.length ? EXIT_FINDINGS : 0;
}
