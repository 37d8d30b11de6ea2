import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testContext } from '../support/context';
import { run as runMain } from '../../src/cli';
import { deployment, startFederation, type Federation } from '../support/federation';

let fed: Federation;

beforeAll(async () => {
  fed = await startFederation(['member1', 'member2']);
  fed.karmada.store.put(deployment('web', { replicas: 3 }));
  fed.members.member1.store.put(deployment('web', { replicas: 2, labels: { 'karmada.io/managed': 'true' } }));
});
afterAll(async () => {
  await fed?.close();
});

/** Starts a command in-process; returns its context and a promise of the exit code. */
function start(args: string[]) {
  const ctx = testContext({ env: fed.env, homedir: fed.homedir });
  const done = runMain([...args, '--kubeconfig', fed.kubeconfig], ctx);
  return { ctx, done };
}

async function until(check: () => boolean, ms = 5000) {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const endStreams = () => {
  fed.karmada.core.closeWatchers();
  for (const m of Object.values(fed.members)) m.core.closeWatchers();
};

describe('get --watch across clusters', () => {
  it('lists, then sees an update made in a member, and ends when every stream ends', async () => {
    const { ctx, done } = start(['get', 'deploy', '-s', 'all', '-w']);
    await until(() => ctx.out().split('\n').length >= 3);
    const initial = ctx.out().trimEnd().split('\n');
    expect(initial[0].split(/\s+/)).toEqual(['NAME', 'CLUSTER', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'ADOPTION']);
    expect(initial.slice(1).map((l) => l.split(/\s+/)[1])).toEqual(['Karmada', 'member1']);
    const d = fed.members.member2.store.put(deployment('fresh', { replicas: 4 }));
    await until(() => ctx.out().includes('fresh'));
    const row = ctx.out().trimEnd().split('\n').find((l) => l.startsWith('fresh'))!;
    expect(row.split(/\s+/).slice(0, 2)).toEqual(['fresh', 'member2']);
    expect(row.split(/\s+/).pop()).toBe('N');
    expect(d.metadata.name).toBe('fresh');
    endStreams();
    expect(await done).toBe(0);
    expect(ctx.err()).toBe('');
  });

  it('survives an empty first list; -o json prints objects (not Table shells) marked with their cluster', async () => {
    fed.members.member1.store.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'empty' }, status: { phase: 'Active' } });
    const { ctx, done } = start(['get', 'deploy', '-s', 'members', '-C', 'member1', '-n', 'empty', '-w', '-o', 'json']);
    await new Promise((r) => setTimeout(r, 300));
    expect(ctx.out()).toBe('');
    fed.members.member1.store.put(deployment('late', { namespace: 'empty' }));
    await until(() => ctx.out().includes('"late"'));
    // one JSON document per event (the simulated controller's status update follows as a second one)
    const obj = JSON.parse(ctx.out().split(/\n(?=\{)/)[0]);
    expect(obj.kind).toBe('Deployment');
    expect(obj.metadata.annotations['resource.karmada.io/cached-from-cluster']).toBe('member1');
    endStreams();
    expect(await done).toBe(0);
  });

  it('--watch-only --output-watch-events: EVENT column, no initial rows; a down member is one error line and exit 1', async () => {
    fed.proxy.setFault('member2', { down: true });
    try {
      const { ctx, done } = start(['get', 'deploy', '-s', 'members', '--watch-only', '--output-watch-events']);
      await until(() => ctx.err().includes('member2'));
      const web = fed.members.member1.store.get('apps/v1', 'Deployment', 'default', 'web')!;
      fed.members.member1.store.put({ ...web, spec: { ...web.spec, replicas: 7 } });
      await until(() => ctx.out().includes('MODIFIED'));
      const lines = ctx.out().trimEnd().split('\n');
      expect(lines[0].split(/\s+/).slice(0, 3)).toEqual(['EVENT', 'NAME', 'CLUSTER']);
      expect(lines.slice(1).every((l) => !l.startsWith('ADDED'))).toBe(true);
      expect(lines[1].split(/\s+/).slice(0, 3)).toEqual(['MODIFIED', 'web', 'member1']);
      endStreams();
      expect(await done).toBe(1);
      expect(ctx.err()).toMatch(/^error: cluster\(member2\): unreachable through the cluster proxy: /);
    } finally {
      fed.proxy.setFault('member2', undefined);
    }
  });

  it('more than one type cannot be watched', async () => {
    const { ctx, done } = start(['get', 'deploy,cm', '-w']);
    expect(await done).toBe(1);
    expect(ctx.out()).toBe('');
    expect(ctx.err()).toBe('error: watch is only supported on individual resources and resource collections - more than 1 resource was found\n');
  });
});
