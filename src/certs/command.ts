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

export async function runRenewCommand(ctx: Context, args: string[], flags: Record<string, unknown>): Promise<number> {
  const { renewNames, runRenew } = await import('./renew');
  const output = parseOutputFormat(flags.output);
  const names = renewNames(args);
  const base = checkOptionsFromFlags(flags);
  const validityMs = V.durationValue('cert-validity-period', String(flags['cert-validity-period'] ?? '8760h0m0s'));
  const wait = V.intInRange('wait-component-ready-timeout', flags['wait-component-ready-timeout'] ?? 120, 0, V.INT32_MAX);
  const r = await runRenew(ctx, { ...base, names, validityMs, dryRun: Boolean(flags['dry-run']), waitTimeoutMs: wait * 1000 }, (s) => ctx.stderr.write(`[renew] ${s.step}: ${s.detail}\n`));
  if (output) await printData(ctx, r, output);
  else if (r.dryRun) ctx.stdout.write(`dry run: would renew ${r.renewed.map((x) => x.name).join(', ')} from ${r.source}; nothing was changed\n`);
  else ctx.stdout.write(`renewed ${r.renewed.map((x) => x.name).join(', ')} from ${r.source}; the CAs are unchanged\n`);
  return 0;
}
