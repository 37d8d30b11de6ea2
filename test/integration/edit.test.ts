import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../support/context';
import { deployment, startFederation, type Federation } from '../support/federation';
import { PROPAGATION_POLICY_CRD, propagationPolicy } from '../support/mutate';
import { scriptedEditor, type EditorStep, type ScriptedEditor } from '../support/editor';
import { EDIT_HEADER } from '../../src/operate/edit';

let fed: Federation;
let ed: ScriptedEditor;
const run = (args: string[], steps: EditorStep[], env: Record<string, string> = {}) => runCli([...args, '--kubeconfig', fed.kubeconfig], { env: { ...fed.env, ...ed.env(steps), ...env }, homedir: fed.homedir });
const dep = () => fed.karmada.store.get('apps/v1', 'Deployment', 'default', 'nginx')!;
const pp = () => fed.karmada.store.get('policy.karmada.io/v1alpha1', 'PropagationPolicy', 'default', 'nginx-pp')!;
const patches = () => fed.karmada.requests.filter((r) => r.method === 'PATCH');

beforeAll(async () => {
  fed = await startFederation(['member1']);
  fed.karmada.store.put(PROPAGATION_POLICY_CRD);
  for (let i = 0; i < 200 && !fed.karmada.core.registry.byPath('policy.karmada.io', 'v1alpha1', 'propagationpolicies'); i++) await new Promise((r) => setTimeout(r, 10));
  ed = await scriptedEditor();
});
afterAll(async () => {
  await fed?.close();
});
beforeEach(() => {
  fed.karmada.store.put(deployment('nginx', { replicas: 1 }));
  fed.karmada.store.put(propagationPolicy('nginx-pp'));
});

describe('edit', () => {
  it('a changed field: strategic merge patch for a Deployment, kubectl header, 0600 file removed after', async () => {
    const before = patches().length;
    const r = await run(['edit', 'deployment/nginx'], [{ replace: ['replicas: 1', 'replicas: 4'] }]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('deployment.apps/nginx edited\n');
    expect(dep().spec.replicas).toBe(4);
    const p = patches().slice(before);
    expect(p).toHaveLength(1);
    expect(p[0].contentType).toMatch(/^application\/strategic-merge-patch\+json/);
    expect(p[0].query.fieldManager).toBe('kubectl-edit');
    expect(p[0].query.fieldValidation).toBe('Strict');
    const [seen] = await ed.seen();
    expect(seen.startsWith(EDIT_HEADER)).toBe(true);
    expect(seen).toContain('kind: Deployment');
    expect(seen).not.toContain('managedFields');
    const [{ path: file, mode }] = await ed.paths();
    expect(mode).toBe('600');
    expect(file).toMatch(/\/karmadactl-edit-\d+\.yaml$/);
    expect(existsSync(file)).toBe(false);
  });

  it('a PropagationPolicy (CRD): JSON merge patch; TYPE NAME form; --output-patch prints the patch', async () => {
    const before = patches().length;
    const r = await run(['edit', 'propagationpolicy', 'nginx-pp', '--output-patch'], [{ replace: ['conflictResolution: Abort', 'conflictResolution: Overwrite'] }]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('Patch: {"spec":{"conflictResolution":"Overwrite"}}\npropagationpolicy.policy.karmada.io/nginx-pp edited\n');
    expect(pp().spec.conflictResolution).toBe('Overwrite');
    expect(patches().slice(before)[0].contentType).toMatch(/^application\/merge-patch\+json/);
  });

  it('no change: "Edit cancelled, no changes made.", exit 0, nothing sent', async () => {
    const before = patches().length;
    const r = await run(['edit', 'deploy', 'nginx'], [{ keep: true }]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('Edit cancelled, no changes made.\n');
    expect(patches().length).toBe(before);
    const re = await run(['edit', 'deploy', 'nginx'], [{ replace: ['^(\\s*)replicas: 1$', '$1replicas:    1   # same'] }]);
    expect(re.stderr).toBe('Edit cancelled, no changes made.\n');
  });

  it('a syntax error re-opens the file with the reason on top; the fixed file is saved', async () => {
    const r = await run(['edit', 'deploy/nginx'], [{ replace: ['replicas: 1', 'replicas: [1'] }, { replace: ['replicas: \\[1', 'replicas: 2'] }]);
    expect(r.stderr).toBe('error: deployments.apps "nginx" is invalid\n');
    expect(r.stdout).toBe('deployment.apps/nginx edited\n');
    expect(dep().spec.replicas).toBe(2);
    const seen = await ed.seen();
    expect(seen).toHaveLength(2);
    expect(seen[1]).toMatch(new RegExp(`^${EDIT_HEADER.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}# deployments\\.apps "nginx" was not valid:\n# \\* <nil>: Invalid value: "The edited file failed validation": yaml: line \\d+: `));
    // with --validate=ignore the same file is a syntax error (kubectl's decoder, not its validator)
    fed.karmada.store.put(deployment('nginx', { replicas: 1 }));
    const ig = await run(['edit', 'deploy/nginx', '--validate=ignore'], [{ replace: ['replicas: 1', 'replicas: [1'] }, { replace: ['replicas: \\[1', 'replicas: 3'] }]);
    expect(ig.stderr).toBe('');
    expect((await ed.seen())[1]).toContain('# The edited file had a syntax error: error converting YAML to JSON: ');
    expect(dep().spec.replicas).toBe(3);
    expect(seen[1]).toContain('replicas: [1');
    // the re-opened file holds the user's text, not the server's
    expect(seen[1].split('\n').filter((l) => l.startsWith('#')).length).toBeGreaterThan(4);
  });

  it('a syntax error saved again unchanged: the file is kept, named, exit 1', async () => {
    const before = patches().length;
    const r = await run(['edit', 'deploy/nginx'], [{ replace: ['replicas: 1', 'replicas: [1'] }, { keep: true }]);
    expect(r.code).toBe(1);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('error: deployments.apps "nginx" is invalid');
    expect(lines[1]).toMatch(/^A copy of your changes has been stored to "\/.*karmadactl-edit-\d+\.yaml"$/);
    expect(lines[2]).toBe('error: Edit cancelled, no valid changes were saved.');
    const file = JSON.parse(lines[1].slice('A copy of your changes has been stored to '.length));
    expect(readFileSync(file, 'utf8')).toContain('replicas: [1');
    expect(patches().length).toBe(before);
  });

  it('the editor exits non-zero: one line, exit 1, nothing sent, no file left', async () => {
    const before = patches().length;
    const r = await run(['edit', 'deploy/nginx'], [{ exit: 3 }]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: there was a problem with the editor ".*editor\.cjs" \(exit status 3\); nothing was changed\n$/);
    expect(patches().length).toBe(before);
    const [{ path: file }] = await ed.paths();
    expect(existsSync(file)).toBe(false);
  });

  it('an editor that is not there: "unable to launch the editor"', async () => {
    const r = await run(['edit', 'deploy/nginx'], [], { KUBE_EDITOR: '/nonexistent/editor' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: unable to launch the editor "\/nonexistent\/editor"; /);
  });

  it('EDITOR is used when KUBE_EDITOR is empty; a quoted editor string runs through $SHELL -c', async () => {
    const env = ed.env([{ replace: ['replicas: 1', 'replicas: 6'] }]);
    const r = await runCli(['edit', 'deploy/nginx', '--kubeconfig', fed.kubeconfig], { env: { ...fed.env, ...env, KUBE_EDITOR: '', EDITOR: `'${env.KUBE_EDITOR.split(' ')[0]}' ${env.KUBE_EDITOR.split(' ')[1]}`, SHELL: '/bin/sh' }, homedir: fed.homedir });
    expect(r.stderr).toBe('');
    expect(dep().spec.replicas).toBe(6);
  });

  it('a server rejection (Invalid) re-opens the file with the causes; cancelling then keeps it', async () => {
    const before = patches().length;
    const r = await run(['edit', 'deploy/nginx'], [{ replace: ['(matchLabels:\\n\\s+app:) nginx', '$1 other'] }, { keep: true }]);
    expect(r.code).toBe(1);
    const seen = await ed.seen();
    expect(seen).toHaveLength(2);
    expect(seen[1]).toMatch(/# deployments\.apps "nginx" was not valid:\n# \* spec\.[a-z.]+: Invalid value: .*\n/);
    expect(r.stderr.split('\n')[0]).toBe('error: deployments.apps "nginx" is invalid');
    expect(r.stderr).toMatch(/A copy of your changes has been stored to ".*"\nerror: Edit cancelled, no valid changes were saved\.\n$/);
    expect(patches().length).toBe(before + 1);
    expect(dep().spec.selector.matchLabels.app).toBe('nginx');
  });

  it('changing the name is refused (kubectl precondition), the file kept', async () => {
    const r = await run(['edit', 'pp/nginx-pp'], [{ replace: ['name: nginx-pp', 'name: other'] }]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^A copy of your changes has been stored to ".*"\nerror: At least one of apiVersion, kind and name was changed; /);
  });

  it('-o json edits JSON (no header) and prints the result as JSON; --save-config adds the annotation', async () => {
    const r = await run(['edit', 'deploy/nginx', '-o', 'json', '--save-config'], [{ replace: ['"replicas": 1,', '"replicas": 5,'] }]);
    expect(r.stderr).toBe('');
    const [seen] = await ed.seen();
    expect(seen.startsWith('{')).toBe(true);
    expect((await ed.paths())[0].path).toMatch(/\.json$/);
    const out = JSON.parse(r.stdout);
    expect(out.spec.replicas).toBe(5);
    const last = JSON.parse(dep().metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
    expect(last.spec.replicas).toBe(5);
    expect(last.metadata.annotations ?? {}).not.toHaveProperty('kubectl.kubernetes.io/last-applied-configuration');
  });

  it('--windows-line-endings writes CRLF; several objects are edited as one List, unchanged ones "skipped"', async () => {
    fed.karmada.store.put(deployment('web', { replicas: 1, image: 'nginx:1.26' }));
    const r = await run(['edit', 'deploy/nginx', 'deploy/web', '--windows-line-endings'], [{ replace: ['nginx:1\\.26', 'nginx:1.28'] }]);
    expect(r.stderr).toBe('');
    const [seen] = await ed.seen();
    expect(seen).toContain('kind: List\r\n');
    expect(seen.split('\n').slice(0, -1).every((l) => l.endsWith('\r'))).toBe(true);
    expect(r.stdout).toBe('deployment.apps/nginx skipped\ndeployment.apps/web edited\n');
    expect(fed.karmada.store.get('apps/v1', 'Deployment', 'default', 'web')!.spec.template.spec.containers[0].image).toBe('nginx:1.28');
  });

  it('-f reads the object from a file and edits the server copy; a missing object is the server error', async () => {
    const r = await run(['edit', 'deploy/missing'], [{ keep: true }]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: Error from server (NotFound): deployments.apps "missing" not found\n');
    expect(await ed.seen()).toHaveLength(0);
    const name = await run(['edit', 'deploy/nginx', '-o', 'name'], [{ keep: true }]);
    expect(name.code).toBe(1);
    expect(name.stderr).toMatch(/^error: unable to match a printer suitable for the output format "name", allowed formats are: json,kyaml,yaml; /);
    expect(await ed.seen()).toHaveLength(0);
    const none = await run(['edit'], []);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^error: You must provide one or more resources by argument or filename; /);
  });

  it('-f: the objects named in the file are fetched from the server and edited; a TYPE alone edits all of them', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'edit-f-'));
    const f = path.join(dir, 'd.yaml');
    writeFileSync(f, 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: nginx\nspec:\n  replicas: 9\n');
    const r = await run(['edit', '-f', f], [{ replace: ['replicas: 1\\n  selector', 'replicas: 2\n  selector'] }]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('deployment.apps/nginx edited\n');
    expect((await ed.seen())[0]).toContain('resourceVersion');
    expect(dep().spec.replicas).toBe(2);
    fed.karmada.store.put(deployment('web', { replicas: 1, image: 'nginx:1.26' }));
    const all = await run(['edit', 'deployments'], [{ keep: true }]);
    expect(all.stderr).toBe('Edit cancelled, no changes made.\n');
    const [seen] = await ed.seen();
    expect(seen).toContain('kind: List');
    expect(seen).toContain('name: web');
    expect(seen).toContain('name: nginx');
  });

  it('--subresource=status edits the status', async () => {
    const before = patches().length;
    const r = await run(['edit', 'deploy', 'nginx', '--subresource=status', '--output-patch'], [{ replace: ['\\nstatus:[\\s\\S]*$', '\nstatus:\n  collisionCount: 7\n'] }]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Patch: \{"status":\{.*"collisionCount":7.*\}\}\ndeployment\.apps\/nginx edited\n$/);
    expect(patches().slice(before)[0].status).toBe(200);
    expect(patches().slice(before)[0].path).toBe('/apis/apps/v1/namespaces/default/deployments/nginx/status');
  });
});
