import type { Reporter, StepHandle } from '../../ui/progress';
import { PhaseError, UsageError } from '../../errors';

/**
 * A phase (after kubeadm's init phases): a small named step that is idempotent — create or bring
 * in line, never "fail because it exists" — reports one line of progress, and can be skipped.
 */
export interface Phase<D> {
  name: string;
  /** One-line progress title. */
  title: string;
  /** Skip this phase when it returns a reason (string); run it when it returns undefined/false. */
  skipIf?: (d: D) => string | false | undefined;
  run: (d: D, step: StepHandle) => Promise<void>;
}

export interface PhaseRunOptions {
  /** Phase names the user asked to skip (--skip-phases). */
  skip?: readonly string[];
}

/** Runs phases in order; a failure names its phase. */
export async function runPhases<D>(phases: readonly Phase<D>[], data: D, reporter: Reporter, o: PhaseRunOptions = {}): Promise<void> {
  const known = new Set(phases.map((p) => p.name));
  for (const s of o.skip ?? []) {
    if (!known.has(s)) throw new UsageError(`unknown phase "${s}" in --skip-phases`, { hint: `phases are: ${[...known].join(', ')}` });
  }
  for (const p of phases) {
    if (o.skip?.includes(p.name)) {
      await reporter.step(`[${p.name}] ${p.title}`, async (s) => s.skip('--skip-phases'));
      continue;
    }
    const reason = p.skipIf?.(data);
    if (reason) {
      await reporter.step(`[${p.name}] ${p.title}`, async (s) => s.skip(reason));
      continue;
    }
    try {
      await reporter.step(`[${p.name}] ${p.title}`, (s) => p.run(data, s));
    } catch (e) {
      throw e instanceof PhaseError ? e : new PhaseError(p.name, e);
    }
  }
}

/** "created 2, updated 1, unchanged 5" for a phase's final line. */
export function summarize(actions: { action: string }[]): string {
  const counts = new Map<string, number>();
  for (const a of actions) counts.set(a.action, (counts.get(a.action) ?? 0) + 1);
  return ['created', 'updated', 'unchanged', 'deleted']
    .filter((k) => counts.get(k))
    .map((k) => `${k} ${counts.get(k)}`)
    .join(', ');
}
