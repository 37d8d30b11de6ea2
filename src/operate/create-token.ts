/** `create token SA`: a TokenRequest on the service account's `token` subresource; prints the token (its job). */
import type { Invocation } from '../commands/spec';
import { UsageError, UserError } from '../errors';
import { KubeApiError } from '../kube/errors';
import { Factory } from '../kubectl/factory';
import { configFlagsFrom } from '../kubectl/flags';
import { createPrinter, parsePrintFlags, type KubeObject } from '../kubectl/printers';
import { OBJECT_FORMATS } from '../commands/apply';
import { parseGoDuration } from '../util/duration';
import { tokenRequest } from './create-more';

export async function runCreateToken(inv: Invocation): Promise<number> {
  const { ctx, flags, args } = inv;
  if (args.length !== 1) throw new UsageError(`exactly one NAME is required, got ${args.length}`, { hint: `See '${ctx.program} create token -h' for help and examples` });
  let ms: number;
  try {
    ms = parseGoDuration(String(flags.duration ?? '0s'));
  } catch (e) {
    throw new UsageError(`invalid argument "${String(flags.duration)}" for "--duration" flag: ${(e as Error).message}`, { hint: 'give a duration such as 10m or 24h' });
  }
  if (ms < 0) throw new UsageError('--duration must be greater than or equal to 0');
  if (ms % 1000 !== 0) throw new UsageError('--duration cannot be expressed in units less than seconds');
  const body = tokenRequest({
    audiences: ((flags.audience as string[] | undefined) ?? []),
    durationSeconds: ms / 1000,
    boundObjectKind: String(flags['bound-object-kind'] ?? ''),
    boundObjectName: String(flags['bound-object-name'] ?? ''),
    boundObjectUID: String(flags['bound-object-uid'] ?? ''),
  });
  const wantsPrint = String(flags.output ?? '') !== '' || String(flags.template ?? '') !== '';
  const printer = wantsPrint ? await createPrinter(parsePrintFlags(flags, { formats: OBJECT_FORMATS })) : undefined;
  const f = new Factory(ctx, configFlagsFrom(flags));
  try {
    const { namespace } = await f.namespace();
    if (!namespace) throw new UsageError('--namespace is required');
    const client = await f.client();
    let response: { status?: { token?: string } } & Record<string, unknown>;
    try {
      response = await client.request('POST', `/api/v1/namespaces/${encodeURIComponent(namespace)}/serviceaccounts/${encodeURIComponent(args[0])}/token`, { body, noRetry: true });
    } catch (e) {
      if (e instanceof KubeApiError) throw new UserError(`failed to create token: ${e.status.message ?? e.message}`, { hint: e.code === 404 ? `create the service account first (${ctx.program} create serviceaccount ${args[0]})` : undefined });
      throw e;
    }
    if (!response?.status?.token) throw new UserError('failed to create token: no token in server response');
    if (printer) {
      ctx.stdout.write(printer.printObject({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', ...response } as unknown as KubeObject));
      return 0;
    }
    const isTTY = Boolean((ctx.stdout as { isTTY?: boolean }).isTTY);
    ctx.stdout.write(isTTY ? `${response.status.token}\n` : response.status.token);
    return 0;
  } finally {
    f.close();
  }
}
