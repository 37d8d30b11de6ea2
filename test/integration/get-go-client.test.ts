import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { runCli } from '../support/context';
import { deployment, startFederation, type Federation } from '../support/federation';
import { goBin } from '../support/go-bin';

/**
 * The test double must agree with the real thing: the Go karmadactl v1.18.2 (client-go's discovery,
 * REST mapper and Table decoding) reads the same federation through the same cluster proxy double,
 * and prints the same table as ours once AGE is normalised.
 */
const GO = goBin('karmadactl');
const run = promisify(execFile);
let fed: Federation;

beforeAll(async () => {
  if (!existsSync(GO)) return;
  fed = await startFederation(['member1', 'member2']);
  fed.karmada.store.put(deployment('nginx', { replicas: 2 }));
  fed.members.member1.store.put(deployment('nginx', { replicas: 2, labels: { 'karmada.io/managed': 'true' } }));
  fed.members.member2.store.put(deployment('local', { replicas: 1 }));
});
afterAll(async () => {
  await fed?.close();
});

const norm = (s: string) => s.replace(/\b\d+(s|m|h|d)\b/g, 'AGE').trimEnd().split('\n').map((l) => l.trimEnd().split(/\s+/).join(' '));

describe.skipIf(!existsSync(GO))('the Go karmadactl against the test double', () => {
  it.each([
    [['get', 'deployments', '-s', 'all']],
    [['get', 'deploy', '-s', 'members', '-C', 'member1']],
    [['get', 'clusters']],
    [['api-versions']],
  ])('%j: same rows as ours', async (argv) => {
    const go = await run(GO, [...argv, '--kubeconfig', fed.kubeconfig], { env: { HOME: fed.dir + '/go', PATH: process.env.PATH }, timeout: 60_000 });
    const ours = await runCli([...argv, '--kubeconfig', fed.kubeconfig], { env: fed.env, homedir: fed.homedir });
    expect(ours.code).toBe(0);
    expect(go.stdout.trim().split('\n').length).toBeGreaterThan(1);
    const sort = (x: string[]) => [x[0], ...x.slice(1).sort()]; // the reference's row order across clusters is not defined
    expect(sort(norm(ours.stdout))).toEqual(sort(norm(go.stdout)));
  }, 90_000);

  it('api-resources: the same resources', async () => {
    const go = await run(GO, ['api-resources', '--kubeconfig', fed.kubeconfig], { env: { HOME: fed.dir + '/go2', PATH: process.env.PATH }, timeout: 60_000 });
    const ours = await runCli(['api-resources', '--kubeconfig', fed.kubeconfig], { env: fed.env, homedir: fed.homedir });
    expect(norm(ours.stdout)).toEqual(norm(go.stdout));
  }, 90_000);
});
