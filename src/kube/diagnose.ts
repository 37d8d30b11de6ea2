import type { KubeApi } from './api';
import type { K8sObject } from './types';

type Pod = K8sObject & {
  spec?: { nodeName?: string };
  status?: {
    phase?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
  };
};
interface ContainerStatus {
  name: string;
  image?: string;
  ready?: boolean;
  restartCount?: number;
  state?: { waiting?: { reason?: string; message?: string }; terminated?: { reason?: string; exitCode?: number; message?: string }; running?: object };
  lastState?: { terminated?: { reason?: string; exitCode?: number } };
}
type Event = K8sObject & { reason?: string; message?: string; type?: string; lastTimestamp?: string; eventTime?: string; count?: number; involvedObject?: { kind?: string; name?: string } };

export interface PodProblem {
  pod: string;
  /** Short cause: ImagePullBackOff, CrashLoopBackOff, Unschedulable, ContainerCreating, ... */
  reason: string;
  detail: string;
  /** Images that failed to pull, if that is the problem. */
  images: string[];
}

const PULL_REASONS = new Set(['ImagePullBackOff', 'ErrImagePull', 'InvalidImageName', 'ErrImageNeverPull']);

/** Why each not-ready pod matching the selector is not ready, with its last warning event. */
export async function diagnosePods(client: KubeApi, namespace: string, labelSelector?: string): Promise<PodProblem[]> {
  const pods = (await client.list<Pod>('v1', 'Pod', { namespace, labelSelector })).items;
  const events = (await client.list<Event>('v1', 'Event', { namespace }).catch(() => ({ items: [] as Event[] }))).items;
  const problems: PodProblem[] = [];
  for (const p of pods) {
    const name = p.metadata.name;
    const ready = p.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
    if (ready) continue;
    const lastEvent = events
      .filter((e) => e.involvedObject?.kind === 'Pod' && e.involvedObject?.name === name && e.type === 'Warning')
      .sort((a, b) => String(a.lastTimestamp ?? a.eventTime ?? '').localeCompare(String(b.lastTimestamp ?? b.eventTime ?? '')))
      .pop();
    const sched = p.status?.conditions?.find((c) => c.type === 'PodScheduled');
    const statuses = [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])];
    const waiting = statuses.find((s) => s.state?.waiting?.reason && s.state.waiting.reason !== 'PodInitializing');
    const terminated = statuses.find((s) => s.state?.terminated && s.state.terminated.exitCode !== 0);
    let reason = p.status?.phase ?? 'Unknown';
    let detail = '';
    const images: string[] = [];
    if (sched?.status === 'False') {
      reason = sched.reason ?? 'Unschedulable';
      detail = sched.message ?? '';
    } else if (waiting) {
      reason = waiting.state!.waiting!.reason!;
      detail = `container ${waiting.name}${waiting.image ? ` (${waiting.image})` : ''}${waiting.state!.waiting!.message ? `: ${waiting.state!.waiting!.message}` : ''}`;
      if (waiting.restartCount) detail += `, ${waiting.restartCount} restarts`;
      if (PULL_REASONS.has(reason) && waiting.image) images.push(waiting.image);
    } else if (terminated) {
      reason = terminated.state!.terminated!.reason ?? 'Error';
      detail = `container ${terminated.name} exited with code ${terminated.state!.terminated!.exitCode}`;
    } else {
      const notReady = statuses.filter((s) => !s.ready).map((s) => s.name);
      detail = notReady.length ? `containers not ready: ${notReady.join(', ')}` : 'not ready';
    }
    if (lastEvent?.message && !detail.includes(lastEvent.message)) detail += `${detail ? '; ' : ''}last event ${lastEvent.reason}: ${lastEvent.message}`;
    problems.push({ pod: name, reason, detail, images });
  }
  return problems;
}

export function formatProblems(problems: PodProblem[]): string {
  return problems.map((p) => `pod ${p.pod} ${p.reason}${p.detail ? ` (${p.detail})` : ''}`).join('; ');
}

export function isPullProblem(p: PodProblem): boolean {
  return PULL_REASONS.has(p.reason) || p.images.length > 0;
}
