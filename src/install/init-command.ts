import { stringify } from 'yaml';
import path from 'node:path';
import type { Context } from '../context';
import { createReporter } from '../ui/progress';
import { printData } from '../ui/output';
import { initOptionsFromFlags, validateInitOptions } from './options';
import { mergeInitConfig } from './config';
import { runInit, type InitResult } from './init';
import * as V from '../util/validate';
import type { K8sObject } from '../kube/types';

/** Flags → options → validation (nothing touched yet) → phases → result on stdout. */
export async function runInitCommand(ctx: Context, rawFlags: Record<string, unknown>): Promise<number> {
  let flags = rawFlags;
  const warnings: string[] = [];
  if (flags.config) V.pathValue('config', String(flags.config));
  if (flags.config) {
    const merged = await mergeInitConfig(path.resolve(ctx.cwd, String(flags.config)), flags);
    flags = merged.flags;
    warnings.push(...merged.warnings);
  }
  const o = initOptionsFromFlags(flags);
  validateInitOptions(o, ctx.program);
  if (flags['print-images']) return (await import('./images-print')).printImages(ctx, o, warnings);
  const reporter = await createReporter(ctx);
  for (const w of warnings) reporter.warn(w);
  const result = await runInit(ctx, o, reporter);
  for (const w of result.warnings) reporter.warn(w);
  if (o.dryRun) {
    await printDryRun(ctx, result, o.output);
    return 0;
  }
  if (o.output) {
    await printData(ctx, { ...result, objects: undefined }, o.output);
    return 0;
  }
  ctx.stdout.write(summary(ctx, result));
  return 0;
}

/** Secret values are never printed: the dry run's keys are in its directory. */
function redactSecrets(objs: K8sObject[], pkiDir: string): K8sObject[] {
  return objs.map((o) => {
    if (o.kind !== 'Secret') return o;
    const s = o as K8sObject & { stringData?: Record<string, string>; data?: Record<string, string> };
    const redact = (m?: Record<string, string>) => m && Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v ? `<redacted: ${Buffer.byteLength(v)} bytes; files in ${pkiDir}>` : '']));
    return { ...s, ...(s.stringData ? { stringData: redact(s.stringData) } : {}), ...(s.data ? { data: redact(s.data) } : {}) };
  });
}

async function printDryRun(ctx: Context, r: InitResult, output: '' | 'json' | 'yaml') {
  const host = redactSecrets(r.objects!.host, r.pkiDir);
  const karmada = r.objects!.karmada;
  if (output === 'json') {
    await printData(ctx, { apiVersion: 'v1', kind: 'List', metadata: {}, items: [...host, ...karmada], dryRun: { server: r.server, placeholderAddress: r.placeholderAddress, pkiDir: r.pkiDir, hostObjects: host.length, karmadaObjects: karmada.length } }, 'json');
    return;
  }
  const doc = (o: K8sObject, target: string) => `# ${target}: ${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}\n${stringify(o, { lineWidth: 0 })}`;
  ctx.stdout.write([...host.map((o) => doc(o, 'host cluster')), ...karmada.map((o) => doc(o, 'karmada-apiserver'))].join('---\n'));
  ctx.stderr.write(`dry run: ${host.length} objects for the host cluster, ${karmada.length} for karmada-apiserver (${r.server}${r.placeholderAddress ? ', placeholder address' : ''}); PKI and kubeconfig written under ${path.dirname(r.pkiDir)}; ${r.hostRead ? 'the host cluster was read (nodes, services, the karmada-cert secret) and nothing was written to it' : 'no host cluster was reachable'}; the existing PKI under --karmada-pki was read if present; nothing was written to karmada-apiserver\n`);
}

function summary(ctx: Context, r: InitResult): string {
  const p = ctx.program;
  const c = (m: Record<string, number>) => `created ${m.created}, updated ${m.updated}, unchanged ${m.unchanged}`;
  const head = r.changed ? `Karmada ${r.version} is installed and ready.` : `Karmada ${r.version} is already installed and up to date; nothing changed.`;
  return `${head}

  API server:   ${r.server}
  Namespace:    ${r.namespace} (host cluster)
  Kubeconfig:   ${r.kubeconfig}
  PKI:          ${r.pkiDir}${r.pkiReused ? ' (existing certificates kept)' : r.pkiIssued.length && !r.pkiIssued.includes('ca') ? ` (CAs kept; re-issued ${r.pkiIssued.map((n) => `${n}.crt`).join(', ')})` : ''}
  Host cluster: ${c(r.changes.host)}
  Karmada API:  ${c(r.changes.karmada)}

Register a member cluster in push mode:
  ${p} --kubeconfig ${r.kubeconfig} join MEMBER_CLUSTER_NAME --cluster-kubeconfig=$HOME/.kube/config

or in pull mode, create a token and run the command it prints on the member cluster:
  ${p} token create --print-register-command --kubeconfig=${r.kubeconfig}

Check the clusters:
  kubectl --kubeconfig ${r.kubeconfig} get clusters
`;
}
