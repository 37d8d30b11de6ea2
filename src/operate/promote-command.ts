/** The `promote` command's run: flags → PromoteOptions in §6.2's order, then runPromote; owns printing. */
import type { Invocation } from '../commands/spec';
import { UserError } from '../errors';
import { Factory } from '../kubectl/factory';
import { configFlagsFrom } from '../kubectl/flags';
import { runPromote } from './promote';

export async function runPromoteCommand(inv: Invocation): Promise<number> {
  const { ctx, flags, args } = inv;
  if (args.length !== 2) throw new UserError('incorrect command format, please use correct command format');
  const f = new Factory(ctx, configFlagsFrom(flags));
  try {
    let namespace: string;
    try {
      namespace = (await f.namespace()).namespace;
    } catch (e) {
      throw new UserError(`failed to get namespace from Factory. error: ${e instanceof Error ? e.message : String(e)}`);
    }
    const cluster = String(flags.cluster ?? '');
    const clusterContext = String(flags['cluster-context'] ?? '') || cluster;
    if (!cluster) throw new UserError('the cluster cannot be empty');
    const output = String(flags.output ?? '');
    if (output !== '' && output !== 'yaml' && output !== 'json') throw new UserError('invalid output format: supported formats are json and yaml');
    const r = await runPromote(
      f,
      { type: args[0], name: args[1], namespace, cluster, output: output as '' | 'json' | 'yaml', dryRun: Boolean(flags['dry-run']), dependencies: Boolean(flags.dependencies), autoCreatePolicy: flags['auto-create-policy'] !== false, policyName: String(flags['policy-name'] ?? ''), clusterKubeconfig: String(flags['cluster-kubeconfig'] ?? ''), clusterContext },
      { out: (l) => ctx.stdout.write(`${l}\n`), warn: (l) => ctx.stderr.write(`W ${l}\n`) },
    );
    if (r.printed) {
      // kubectl's printers: the template is a map (Go's sorted keys), the policy a typed struct.
      if (output === 'json') {
        const { goJSON } = await import('../kubectl/printers/gojson');
        ctx.stdout.write(r.printed.map((o, i) => `${goJSON(o, '    ', i === 0)}\n`).join(''));
      } else {
        const { goYamlStringify } = await import('../kubectl/printers/goyaml');
        ctx.stdout.write(r.printed.map((o) => goYamlStringify(o)).join('---\n'));
      }
    }
    return r.exitCode;
  } finally {
    f.close();
  }
}
