/**
 * Bad flag values, bad --config files and bad --dry-run-dir uses, for every command with such values:
 * each must exit non-zero with one `error:` line that names the problem, write nothing (no file in
 * the output directory, no object in the test API server — for register, not even a request), and
 * print no internal text.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../support/context';
import { nodes } from '../support/apiserver';
import { startKarmadaHost, type KarmadaHost } from '../support/karmada-host';

const CRDS = path.resolve(__dirname, '../../../shared/fixtures/karmada-crds-v1.18.2.tar.gz');
const INTERNAL = /Cannot read properties|is not a function|undefined|NaN|Invalid time value|Invalid array length|ENOENT|EISDIR|ENOTDIR|error:[0-9A-F]{8}:/;
const HEX = 'a'.repeat(64);
const TOKEN = 'abcdef.0123456789abcdef';

let env: KarmadaHost;
let out: string; // must stay empty
let cfgDir: string;
beforeAll(async () => {
  env = await startKarmadaHost({ nodes: [nodes.untainted('node1')] });
  out = await mkdtemp(path.join(os.tmpdir(), 'kc-bad-out-'));
  cfgDir = await mkdtemp(path.join(os.tmpdir(), 'kc-bad-cfg-'));
});
afterAll(async () => {
  await env?.close();
  await rm(out, { recursive: true, force: true });
  await rm(cfgDir, { recursive: true, force: true });
});

type Case = [label: string, argv: () => string[], want: string | RegExp, o?: { files?: Record<string, string>; noRequests?: boolean }];

const initBase = () => ['init', '--kubeconfig', env.kubeconfigPath, '--crds', CRDS, '-d', path.join(out, 'data'), '--karmada-pki', path.join(out, 'pki'), '--port', String(env.port)];
const init = (...a: string[]) => () => [...initBase(), ...a];
const pvc = ['--etcd-storage-mode', 'PVC', '--storage-classes-name', 'fast'];
const cfg = (name: string) => path.join(cfgDir, name);
const HEAD = 'apiVersion: config.karmada.io/v1alpha1\nkind: KarmadaInitConfig\n';
const withConfig = (name: string, body: string, want: string | RegExp): Case => [`init --config ${name}`, () => [...initBase(), '--config', cfg(name)], want, { files: { [name]: body } }];

const karmada = () => ['--kubeconfig', env.kubeconfigPath];
const join = (...a: string[]) => () => ['join', ...a, ...karmada(), '--cluster-kubeconfig', env.kubeconfigPath];
const unjoin = (...a: string[]) => () => ['unjoin', ...a, ...karmada()];
const endpoint = () => `127.0.0.1:${env.host.port}`;
const register = (...a: string[]) => () => ['register', endpoint(), '--kubeconfig', env.kubeconfigPath, '--token', TOKEN, '--discovery-token-ca-cert-hash', `sha256:${HEX}`, ...a];
const registerAt = (ep: string) => () => ['register', ep, '--kubeconfig', env.kubeconfigPath, '--token', TOKEN, '--discovery-token-ca-cert-hash', `sha256:${HEX}`];
const token = (...a: string[]) => () => ['token', ...a, ...karmada()];
const addons = (...a: string[]) => () => ['addons', ...a, '--kubeconfig', env.kubeconfigPath, '--karmada-kubeconfig', env.kubeconfigPath];
const deinit = (...a: string[]) => () => ['deinit', '--kubeconfig', env.kubeconfigPath, '--force', ...a];
const ops = (...a: string[]) => () => [...a, ...karmada()];
const NR = { noRequests: true };

const CASES: Case[] = [
  // init: names
  ['init --namespace uppercase', init('--namespace', 'Karmada'), '"--namespace" flag: must be a lowercase RFC 1123 label'],
  ['init --namespace with a space', init('--namespace', 'a b'), 'invalid argument "a b" for "--namespace"'],
  ['init --namespace 64 characters', init('--namespace', 'x'.repeat(64)), '"--namespace" flag'],
  ['init --namespace with ESC', init('--namespace', '\u001b[31mred'), 'invalid argument "\\x1b[31mred" for "--namespace"'],
  ['init -n empty', init('-n', ''), '"--namespace" flag'],
  ['init --host-cluster-domain underscore', init('--host-cluster-domain', 'bad_domain'), '"--host-cluster-domain" flag: must be a lowercase RFC 1123 subdomain'],
  ['init --host-cluster-domain double dot', init('--host-cluster-domain', 'a..b'), '"--host-cluster-domain" flag'],
  ['init --image-pull-secrets bad name', init('--image-pull-secrets', 'Bad_Secret'), '"--image-pull-secrets" flag'],
  ['init --etcd-priority-class uppercase', init('--etcd-priority-class', 'Bad'), '"--etcd-priority-class" flag'],
  ['init --karmada-apiserver-priority-class space', init('--karmada-apiserver-priority-class', 'a b'), '"--karmada-apiserver-priority-class" flag'],
  ['init --karmada-webhook-priority-class ESC', init('--karmada-webhook-priority-class', 'x\u001b'), 'invalid argument "x\\x1b"'],
  ['init --storage-classes-name space', init(...pvc.slice(0, 2), '--storage-classes-name', 'Bad Class'), '"--storage-classes-name" flag'],
  // init: IPs
  ['init advertise address with a zone', init('--karmada-apiserver-advertise-address', 'fe80::1%eth0'), '"--karmada-apiserver-advertise-address" flag: must be an IPv4 or IPv6 address without a zone'],
  ['init advertise address 0.0.0.0', init('--karmada-apiserver-advertise-address', '0.0.0.0'), 'not the unspecified address'],
  ['init advertise address ::', init('--karmada-apiserver-advertise-address', '::'), 'not the unspecified address'],
  ['init advertise address three octets', init('--karmada-apiserver-advertise-address', '10.0.0'), '"--karmada-apiserver-advertise-address" flag: must be an IPv4 or IPv6 address'],
  ['init advertise address a hostname', init('--karmada-apiserver-advertise-address', 'host.example.com'), '"--karmada-apiserver-advertise-address" flag'],
  ['init advertise address with a newline', init('--karmada-apiserver-advertise-address', '10.0.0.1\n'), 'invalid argument "10.0.0.1\\n"'],
  ['init --cert-external-ip not an IP', init('--cert-external-ip', '1.2.3.4,nope'), 'invalid argument "nope" for "--cert-external-ip"'],
  ['init --cert-external-ip 0.0.0.0', init('--cert-external-ip', '0.0.0.0'), '"--cert-external-ip" flag: must be an address clients can connect to'],
  ['init --cert-external-ip zone', init('--cert-external-ip', 'fe80::1%eth0'), 'without a zone'],
  ['init --cert-external-ip CIDR', init('--cert-external-ip', '10.0.0.0/24'), '"--cert-external-ip" flag'],
  ['init --cert-external-dns space', init('--cert-external-dns', 'bad name'), '"--cert-external-dns" flag'],
  ['init --cert-external-dns double dot', init('--cert-external-dns', 'a..b'), '"--cert-external-dns" flag'],
  // init: durations
  ['init --cert-validity-period beyond Go', init('--cert-validity-period', '99999999999h'), 'invalid argument "99999999999h" for "--cert-validity-period" flag: time: invalid duration "99999999999h"'],
  ['init --cert-validity-period 0s', init('--cert-validity-period', '0s'), '"--cert-validity-period" flag: must be a positive duration'],
  ['init --cert-validity-period negative', init('--cert-validity-period', '-1h'), '"--cert-validity-period" flag: must be a positive duration'],
  ['init --cert-validity-period 10days', init('--cert-validity-period', '10days'), 'for "--cert-validity-period" flag: time: invalid duration "10days"'],
  ['init --cert-validity-period empty', init('--cert-validity-period', ''), '"--cert-validity-period" flag'],
  // init: enums
  ['init --key-algorithm dsa', init('--key-algorithm', 'dsa'), '"--key-algorithm" flag: must be one of rsa-3072, ecdsa-p256'],
  ['init --image-pull-policy lowercase', init('--image-pull-policy', 'always'), '"--image-pull-policy" flag: must be one of Always, IfNotPresent, Never'],
  ['init --kube-image-mirror-country mars', init('--kube-image-mirror-country', 'mars'), '"--kube-image-mirror-country" flag'],
  ['init --etcd-storage-mode nfs', init('--etcd-storage-mode', 'nfs'), '"--etcd-storage-mode" flag: unsupported etcd-storage-mode'],
  ['init --etcd-storage-mode pvc (case)', init('--etcd-storage-mode', 'pvc'), '"--etcd-storage-mode" flag'],
  ['init --output xml', init('--output', 'xml'), '"--output" flag: must be one of json, yaml'],
  // init: registries and images
  ['init --kube-image-registry space', init('--kube-image-registry', 'my registry'), '"--kube-image-registry" flag: must be a registry'],
  ['init --private-image-registry scheme', init('--private-image-registry', 'https://reg.io'), '"--private-image-registry" flag'],
  ['init --private-image-registry uppercase path', init('--private-image-registry', 'reg.io/UPPER'), '"--private-image-registry" flag'],
  ['init --kube-image-tag space', init('--kube-image-tag', 'v1 2'), '"--kube-image-tag" flag'],
  ['init --etcd-image 100k characters', init('--etcd-image', 'a'.repeat(100_000)), '…" (100000 characters) for "--etcd-image" flag'],
  ['init --etcd-image space', init('--etcd-image', 'etcd image'), '"--etcd-image" flag: must be an image reference'],
  ['init --karmada-apiserver-image uppercase', init('--karmada-apiserver-image', 'X/Y'), '"--karmada-apiserver-image" flag'],
  ['init --karmada-scheduler-image empty tag', init('--karmada-scheduler-image', 'sched:'), '"--karmada-scheduler-image" flag'],
  ['init --karmada-webhook-image bad digest', init('--karmada-webhook-image', 'a@sha256:zz'), '"--karmada-webhook-image" flag'],
  ['init --karmada-controller-manager-image BEL', init('--karmada-controller-manager-image', 'img\u0007'), 'invalid argument "img\\x07"'],
  ['init --karmada-aggregated-apiserver-image double colon', init('--karmada-aggregated-apiserver-image', 'x::y'), '"--karmada-aggregated-apiserver-image" flag'],
  ['init --karmada-kube-controller-manager-image absolute path', init('--karmada-kube-controller-manager-image', '/abs'), '"--karmada-kube-controller-manager-image" flag'],
  // init: integers
  ['init --port 0', init('--port', '0'), '"--port" flag: must be an integer from 30000 to 32767'],
  ['init --port 65536', init('--port', '65536'), '"--port" flag'],
  ['init --port 5443', init('--port', '5443'), '"--port" flag'],
  ['init --port -1', init('--port', '-1'), '"--port" flag'],
  ['init --port abc', init('--port', 'abc'), '"-p, --port" flag: strconv.ParseInt: parsing "abc": invalid syntax'],
  ['init --port 20 digits', init('--port', '99999999999999999999'), 'value out of range'],
  ['init --wait-component-ready-timeout -1', init('--wait-component-ready-timeout', '-1'), '"--wait-component-ready-timeout" flag: must be an integer from 0 to'],
  ['init --wait-component-ready-timeout huge', init('--wait-component-ready-timeout', '9999999999'), '"--wait-component-ready-timeout" flag'],
  ['init --karmada-scheduler-replicas 3000000000', init('--karmada-scheduler-replicas', '3000000000'), '"--karmada-scheduler-replicas" flag: must be an integer from 1 to 2147483647'],
  ['init --karmada-scheduler-replicas -1', init('--karmada-scheduler-replicas', '-1'), '"--karmada-scheduler-replicas" flag'],
  ['init --karmada-apiserver-replicas 0', init('--karmada-apiserver-replicas', '0'), '"--karmada-apiserver-replicas" flag'],
  ['init --karmada-webhook-replicas 2^31', init('--karmada-webhook-replicas', '2147483648'), '"--karmada-webhook-replicas" flag'],
  ['init --karmada-kube-controller-manager-replicas -5', init('--karmada-kube-controller-manager-replicas', '-5'), '"--karmada-kube-controller-manager-replicas" flag'],
  ['init --karmada-aggregated-apiserver-replicas 0', init('--karmada-aggregated-apiserver-replicas', '0'), '"--karmada-aggregated-apiserver-replicas" flag'],
  ['init --karmada-controller-manager-replicas 1e3', init('--karmada-controller-manager-replicas', '1e3'), '"--karmada-controller-manager-replicas" flag'],
  ['init --etcd-replicas 3 with hostPath', init('--etcd-replicas', '3'), 'etcd-replicas can only be 1'],
  ['init --etcd-replicas 0 with PVC', init(...pvc, '--etcd-replicas', '0'), '"--etcd-replicas" flag: must be an integer from 1'],
  ['init --etcd-replicas 3000000000', init(...pvc, '--etcd-replicas', '3000000000'), '"--etcd-replicas" flag'],
  // init: quantities and paths
  ['init PVC without a storage class', init('--etcd-storage-mode', 'PVC'), 'storageClassesName'],
  ['init --etcd-pvc-size 0', init(...pvc, '--etcd-pvc-size', '0'), '"--etcd-pvc-size" flag: must be a size of at least one byte'],
  ['init --etcd-pvc-size lots', init(...pvc, '--etcd-pvc-size', 'lots'), '"--etcd-pvc-size" flag: must be a Kubernetes quantity'],
  ['init --etcd-pvc-size negative', init(...pvc, '--etcd-pvc-size', '-5Gi'), '"--etcd-pvc-size" flag'],
  ['init --etcd-pvc-size with a space', init(...pvc, '--etcd-pvc-size', '5 Gi'), '"--etcd-pvc-size" flag'],
  ['init --etcd-pvc-size 100m', init(...pvc, '--etcd-pvc-size', '100m'), '"--etcd-pvc-size" flag'],
  ['init --etcd-data relative', init('--etcd-data', 'relative/path'), '"--etcd-data" flag: must be an absolute path'],
  ['init --etcd-data empty', init('--etcd-data', ''), 'dataPath is not empty'],
  ['init -d empty', () => ['init', '--kubeconfig', env.kubeconfigPath, '--crds', CRDS, '-d', '', '--karmada-pki', path.join(out, 'pki')], '"--karmada-data" flag'],
  // init: selectors and extra args
  ['init --etcd-node-selector-labels spaces', init('--etcd-node-selector-labels', 'a b c'), '"--etcd-node-selector-labels" flag'],
  ['init --etcd-node-selector-labels no key', init('--etcd-node-selector-labels', '=x'), '"--etcd-node-selector-labels" flag'],
  ['init --etcd-extra-args without --', init('--etcd-extra-args', 'x=1'), '"--etcd-extra-args" flag: no preceding --key found'],
  ['init --etcd-extra-args leading space', init('--etcd-extra-args', ' --a=1'), 'leading/trailing whitespace'],
  ['init --karmada-apiserver-extra-args empty key', init('--karmada-apiserver-extra-args', '--=x'), '"--karmada-apiserver-extra-args" flag'],
  ['init --karmada-scheduler-extra-args ESC', init('--karmada-scheduler-extra-args=--v=4\u001b'), 'invalid argument "--v=4\\x1b"'],
  // init: pairs and external etcd
  ['init --ca-cert-file without key', init('--ca-cert-file', '/x'), 'ca-cert-file and ca-key-file must be used together'],
  ['init --ca-key-file without cert', init('--ca-key-file', '/x'), 'ca-cert-file and ca-key-file must be used together'],
  ['init --external-etcd-servers not a URL', init('--external-etcd-servers', 'not a url'), '"--external-etcd-servers" flag'],
  ['init external etcd cert without key', init('--external-etcd-servers', 'https://e:2379', '--external-etcd-client-cert-path', '/c'), 'both or none'],
  ['init external etcd without CA', init('--external-etcd-servers', 'https://e:2379'), '--external-etcd-ca-cert-path is required'],
  ['init positional argument', init('extra'), 'init takes no arguments, got 1'],
  // init: dry-run-dir
  ['init --dry-run-dir without --dry-run', init('--dry-run-dir', path.join(os.tmpdir(), 'kc-never-made')), '--dry-run-dir is only used with --dry-run'],
  ['init --dry-run (temporary directory) with a missing CRD file', () => ['init', '--dry-run', '--karmada-apiserver-advertise-address', '10.0.0.10', '--crds', path.join(cfgDir, 'nope.tgz'), '--kubeconfig', env.kubeconfigPath], 'nope.tgz'],
  ['init --dry-run with a missing CRD file', () => ['init', '--dry-run', '--dry-run-dir', path.join(out, 'dry'), '--karmada-apiserver-advertise-address', '10.0.0.10', '--crds', path.join(cfgDir, 'nope.tgz'), '--kubeconfig', env.kubeconfigPath], 'nope.tgz'],
  ['init --crds with ESC', init('--crds', '/tmp/\u001b[31mcrds.tgz'), 'invalid argument "/tmp/\\x1b[31mcrds.tgz" for "--crds"'],
  ['init --kubeconfig with ESC', init('--kubeconfig', '/tmp/\u001b]0;x\u0007'), '"--kubeconfig" flag'],
  ['init --karmada-pki with newline', init('--karmada-pki', '/tmp/a\nb'), '"--karmada-pki" flag'],
  ['init --config with ESC', init('--config', '/tmp/\u001bc.yaml'), '"--config" flag'],
  ['init --context with ESC', init('--context', 'ctx\u001b'), '"--context" flag'],
  // init: PKI inputs (read after the host cluster is listed; nothing is written)
  ['init --ca-cert-file missing', () => [...initBase(), '--ca-cert-file', cfg('nope.crt'), '--ca-key-file', cfg('nope.key')], 'nope.crt does not exist; check the path given with --ca-cert-file'],
  ['init --ca-cert-file not PEM', () => [...initBase(), '--ca-cert-file', cfg('garbage.crt'), '--ca-key-file', cfg('garbage.crt')], 'the --ca-cert-file does not contain a PEM certificate', { files: { 'garbage.crt': 'not a certificate\n' } }],
  ['init --ca-cert-file damaged PEM', () => [...initBase(), '--ca-cert-file', cfg('damaged.crt'), '--ca-key-file', cfg('damaged.crt')], 'is not a valid PEM certificate', { files: { 'damaged.crt': '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' } }],
  ['init --ca-cert-file a directory', () => [...initBase(), '--ca-cert-file', cfgDir, '--ca-key-file', cfgDir], 'is a directory'],
  ['init --external-etcd-ca-cert-path missing', init('--external-etcd-servers', 'https://e:2379', '--external-etcd-ca-cert-path', '/nonexistent/ca.crt'), '--external-etcd-ca-cert-path /nonexistent/ca.crt does not exist; check the path given with --external-etcd-ca-cert-path'],
  // init --config
  withConfig('list-where-string.yaml', `${HEAD}spec:\n  certificates:\n    externalIP: 10.0.0.1\n`, 'spec.certificates.externalIP: expected a list of strings, got a string'),
  withConfig('string-replicas.yaml', `${HEAD}spec:\n  etcd:\n    local:\n      replicas: "3"\n`, 'spec.etcd.local.replicas: expected an integer, got a string'),
  withConfig('port-int32.yaml', `${HEAD}spec:\n  components:\n    karmadaAPIServer:\n      networking:\n        port: 99999999999\n`, 'spec.components.karmadaAPIServer.networking.port: 99999999999 is out of range'),
  withConfig('validity-int.yaml', `${HEAD}spec:\n  certificates:\n    validityPeriod: 8760\n`, 'spec.certificates.validityPeriod: expected a duration string'),
  withConfig('selector-list.yaml', `${HEAD}spec:\n  etcd:\n    local:\n      nodeSelectorLabels: [a]\n`, 'spec.etcd.local.nodeSelectorLabels: expected a mapping of strings'),
  withConfig('secrets-mixed.yaml', `${HEAD}spec:\n  images:\n    imagePullSecrets: [a, {b: c}]\n`, 'spec.images.imagePullSecrets[1]: expected a string'),
  withConfig('etcd-scalar.yaml', `${HEAD}spec:\n  etcd: 5\n`, 'spec.etcd: expected a mapping, got an integer'),
  withConfig('extra-args-string.yaml', `${HEAD}spec:\n  components:\n    karmadaScheduler:\n      extraArgs: "--v=4"\n`, 'spec.components.karmadaScheduler.extraArgs: expected a list'),
  withConfig('extra-args-noname.yaml', `${HEAD}spec:\n  components:\n    karmadaScheduler:\n      extraArgs:\n      - value: "4"\n`, 'the extra args[0] name is empty'),
  withConfig('no-kind.yaml', 'spec: {}\n', 'kind and apiVersion is mandatory'),
  withConfig('bad-version.yaml', 'apiVersion: config.karmada.io/v1beta9\nkind: KarmadaInitConfig\n', 'invalid Group or Version'),
  withConfig('bad-kind.yaml', 'apiVersion: config.karmada.io/v1alpha1\nkind: InitConfig\n', 'no KarmadaInitConfig kind was found'),
  withConfig('syntax.yaml', `${HEAD}spec: [\n`, /syntax\.yaml line \d+/),
  withConfig('a-list.yaml', '- a\n- b\n', 'is not a YAML mapping (got a list)'),
  withConfig('a-scalar.yaml', 'hello\n', 'is not a YAML mapping (got a string)'),
  withConfig('empty-first-doc.yaml', `---\n---\n${HEAD}`, 'kind and apiVersion is mandatory'),
  withConfig('aliases.yaml', `${HEAD}a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n`, /alias/i),
  withConfig('bad-namespace.yaml', `${HEAD}spec:\n  components:\n    karmadaAPIServer:\n      networking:\n        namespace: Bad NS\n`, 'invalid argument "Bad NS" for "--namespace"'),
  withConfig('bad-validity.yaml', `${HEAD}spec:\n  certificates:\n    validityPeriod: 99999999999h\n`, '"--cert-validity-period" flag: must be at most'),
  withConfig('zoned-address.yaml', `${HEAD}spec:\n  components:\n    karmadaAPIServer:\n      advertiseAddress: fe80::1%eth0\n`, 'without a zone'),
  withConfig('bad-image.yaml', `${HEAD}spec:\n  components:\n    karmadaWebhook:\n      repository: "my repo"\n      tag: v1\n`, '"--karmada-webhook-image" flag'),
  ['init --config missing file', () => [...initBase(), '--config', cfg('missing.yaml')], 'missing.yaml does not exist; check the path given with --config'],
  ['init --config a directory', () => [...initBase(), '--config', cfgDir], 'is a directory'],
  // join / unjoin
  ['join uppercase name', join('Member1'), 'invalid cluster name(Member1)', NR],
  ['join 49-character name', join('a'.repeat(49)), 'no more than 48 characters', NR],
  ['join name with ESC', join('m\u001b[2J'), 'invalid cluster name "m\\x1b[2J"', NR],
  ['join without a name', join(), 'cluster name is required', NR],
  ['join two names', join('a', 'b'), 'only the cluster name is allowed', NR],
  ['join impersonator', join('impersonator'), 'collides', NR],
  ['join --cluster-namespace bad', join('m1', '--cluster-namespace', 'Bad NS'), '"--cluster-namespace" flag', NR],
  ['join --cluster-provider BEL', join('m1', '--cluster-provider', 'p\u0007'), 'invalid argument "p\\x07" for "--cluster-provider"', NR],
  ['join --cluster-region 300 characters', join('m1', '--cluster-region', 'r'.repeat(300)), '"--cluster-region" flag', NR],
  ['join --cluster-zones newline', join('m1', '--cluster-zones', 'z\n1'), 'invalid argument "z\\n1" for "--cluster-zones"', NR],
  ['join -o xml', join('m1', '-o', 'xml'), /xml/, NR],
  ['join --cluster-context with ESC', join('m1', '--cluster-context', 'c\u001b[0m'), 'invalid argument "c\\x1b[0m" for "--cluster-context"', NR],
  ['join --karmada-context with BEL', join('m1', '--karmada-context', 'k\u0007'), '"--karmada-context" flag', NR],
  ['unjoin --wait 0s', unjoin('m1', '--wait', '0s'), '"--wait" flag: must be a positive duration', NR],
  ['unjoin --wait beyond timers', unjoin('m1', '--wait', '99999999999h'), 'for "--wait" flag: time: invalid duration "99999999999h"', NR],
  ['unjoin --wait abc', unjoin('m1', '--wait', 'abc'), '"--wait" flag', NR],
  ['unjoin name with ESC', unjoin('\u001b'), 'invalid cluster name "\\x1b"', NR],
  ['unjoin without a name', unjoin(), 'cluster name is required', NR],
  ['unregister uppercase name', () => ['unregister', 'Bad', '--cluster-kubeconfig', env.kubeconfigPath], 'invalid cluster name(Bad)', NR],
  ['unregister --wait 0s', () => ['unregister', 'm1', '--cluster-kubeconfig', env.kubeconfigPath, '--wait', '0s'], '"--wait" flag: must be a positive duration', NR],
  ['unregister --agent-name space', () => ['unregister', 'm1', '--cluster-kubeconfig', env.kubeconfigPath, '--agent-name', 'Bad Name'], '"--agent-name" flag', NR],
  ['unregister -n ESC', () => ['unregister', 'm1', '--cluster-kubeconfig', env.kubeconfigPath, '-n', '\u001b'], 'invalid argument "\\x1b" for "--namespace"', NR],
  // register: before any network call
  ['register --token malformed', register('--token', 'bad'), 'the token (3 characters) must be of the form [a-z0-9]{6}.[a-z0-9]{16}', NR],
  ['register --token uppercase', register('--token', 'ABCDEF.0123456789abcdef'), 'must be of the form', NR],
  ['register --token short secret', register('--token', 'abcdef.0123456789abcde'), 'must be of the form', NR],
  ['register --token empty', register('--token', ''), 'token is required', NR],
  ['register pin too short', register('--discovery-token-ca-cert-hash', 'sha256:abc'), '"--discovery-token-ca-cert-hash" flag: must be sha256:<64 hex digits>', NR],
  ['register pin md5', register('--discovery-token-ca-cert-hash', `md5:${HEX}`), '"--discovery-token-ca-cert-hash" flag', NR],
  ['register pin without type', register('--discovery-token-ca-cert-hash', HEX), '"--discovery-token-ca-cert-hash" flag', NR],
  ['register pin non-hex', register('--discovery-token-ca-cert-hash', `sha256:${'g'.repeat(64)}`), '"--discovery-token-ca-cert-hash" flag', NR],
  ['register without pin', () => ['register', endpoint(), '--kubeconfig', env.kubeconfigPath, '--token', TOKEN], 'need to verify CACertHashes', NR],
  ['register endpoint without port', registerAt('host'), 'invalid karmada-apiserver endpoint "host"', NR],
  ['register endpoint port 0', registerAt('10.0.0.1:0'), 'the port must be an integer from 1 to 65535', NR],
  ['register endpoint port 70000', registerAt('10.0.0.1:70000'), 'the port must be an integer from 1 to 65535', NR],
  ['register endpoint with a zone', registerAt('[fe80::1%eth0]:6443'), 'must not carry a zone', NR],
  ['register endpoint http', registerAt('http://10.0.0.1:6443'), 'invalid karmada-apiserver endpoint', NR],
  ['register endpoint 0.0.0.0', registerAt('0.0.0.0:6443'), 'not the unspecified address', NR],
  ['register endpoint with ESC', registerAt('10.0.0.1:64\u001b43'), 'invalid karmada-apiserver endpoint "10.0.0.1:64\\x1b43"', NR],
  ['register without endpoint', () => ['register', '--kubeconfig', env.kubeconfigPath, '--token', TOKEN], 'accepts 1 arg(s), received 0', NR],
  ['register --cluster-name uppercase', register('--cluster-name', 'Bad'), 'invalid cluster name(Bad)', NR],
  ['register --karmada-agent-replicas -1', register('--karmada-agent-replicas', '-1'), '"--karmada-agent-replicas" flag: must be an integer from 0 to 2147483647', NR],
  ['register --karmada-agent-replicas 3000000000', register('--karmada-agent-replicas', '3000000000'), '"--karmada-agent-replicas" flag', NR],
  ['register --cert-expiration-seconds 10', register('--cert-expiration-seconds', '10'), '"--cert-expiration-seconds" flag: must be an integer from 600', NR],
  ['register --cert-expiration-seconds 3000000000', register('--cert-expiration-seconds', '3000000000'), '"--cert-expiration-seconds" flag', NR],
  ['register --karmada-agent-image space', register('--karmada-agent-image', 'a b'), '"--karmada-agent-image" flag', NR],
  ['register --private-image-registry space', register('--private-image-registry', 'r r'), '"--private-image-registry" flag', NR],
  ['register --discovery-timeout 0s', register('--discovery-timeout', '0s'), '"--discovery-timeout" flag: must be a positive duration', NR],
  ['register --discovery-timeout huge', register('--discovery-timeout', '99999999999h'), '"--discovery-timeout" flag', NR],
  ['register --rollout-timeout abc', register('--rollout-timeout', 'abc'), '"--rollout-timeout" flag', NR],
  ['register -n uppercase', register('-n', 'Bad'), '"--namespace" flag', NR],
  ['register --cluster-namespace ESC', register('--cluster-namespace', '\u001b'), 'invalid argument "\\x1b" for "--cluster-namespace"', NR],
  ['register --key-algorithm dsa', register('--key-algorithm', 'dsa'), 'dsa', NR],
  ['register --cluster-zones control', register('--cluster-zones', 'a\u0000b'), '"--cluster-zones" flag', NR],
  // token
  ['token create malformed token', token('create', 'BADTOKEN'), 'must be of the form [a-z0-9]{6}.[a-z0-9]{16}', NR],
  ['token create --ttl abc', token('create', '--ttl', 'abc'), 'for "--ttl" flag: time: invalid duration "abc"', NR],
  ['token create --ttl beyond Go', token('create', '--ttl', '99999999999h'), 'for "--ttl" flag: time: invalid duration "99999999999h"', NR],
  ['token create --ttl negative', token('create', '--ttl', '-1h'), '--ttl must not be negative', NR],
  ['token create --usages bogus', token('create', '--usages', 'bogus'), 'invalid --usages value "bogus"', NR],
  ['token create --groups uppercase', token('create', '--groups', 'system:bootstrappers:UPPER'), 'invalid --groups value', NR],
  ['token create --groups ESC', token('create', '--groups', 'system:bootstrappers:\u001b'), 'invalid argument "system:bootstrappers:\\x1b" for "--groups"', NR],
  ['token create --description ESC', token('create', '--description', '\u001b[2J'), '"--description" flag', NR],
  ['token create two tokens', token('create', TOKEN, TOKEN), /arg/, NR],
  ['token delete malformed', token('delete', 'bad!'), "didn't match pattern", NR],
  ['token delete nothing', token('delete'), 'missing subcommand', NR],
  // addons
  ['addons enable --karmada-search-replicas 3000000000', addons('enable', 'karmada-search', '--karmada-search-replicas', '3000000000'), '"--karmada-search-replicas" flag: must be an integer from 1 to 2147483647', NR],
  ['addons enable --karmada-descheduler-replicas -1', addons('enable', 'karmada-descheduler', '--karmada-descheduler-replicas', '-1'), '"--karmada-descheduler-replicas" flag', NR],
  ['addons enable --karmada-metrics-adapter-replicas 0', addons('enable', 'karmada-metrics-adapter', '--karmada-metrics-adapter-replicas', '0'), '"--karmada-metrics-adapter-replicas" flag', NR],
  ['addons enable --karmada-estimator-replicas 2^31', addons('enable', 'karmada-search', '--karmada-estimator-replicas', '2147483648'), '"--karmada-estimator-replicas" flag', NR],
  ['addons enable --pod-timeout 0', addons('enable', 'karmada-search', '--pod-timeout', '0'), '"--pod-timeout" flag', NR],
  ['addons enable --pod-timeout -5', addons('enable', 'karmada-search', '--pod-timeout', '-5'), '"--pod-timeout" flag', NR],
  ['addons enable --apiservice-timeout huge', addons('enable', 'karmada-search', '--apiservice-timeout', '99999999999'), '"--apiservice-timeout" flag', NR],
  ['addons enable --private-image-registry space', addons('enable', 'karmada-search', '--private-image-registry', 'a b'), '"--private-image-registry" flag', NR],
  ['addons enable --karmada-search-image space', addons('enable', 'karmada-search', '--karmada-search-image', 'x y'), '"--karmada-search-image" flag', NR],
  ['addons enable --karmada-descheduler-image 100k', addons('enable', 'karmada-descheduler', '--karmada-descheduler-image', 'b'.repeat(100_000)), '(100000 characters) for "--karmada-descheduler-image"', NR],
  ['addons enable --search-priority-class uppercase', addons('enable', 'karmada-search', '--search-priority-class', 'Bad'), '"--search-priority-class" flag', NR],
  ['addons enable --host-cluster-domain underscore', addons('enable', 'karmada-search', '--host-cluster-domain', 'a_b'), '"--host-cluster-domain" flag', NR],
  ['addons enable -n uppercase', addons('enable', 'karmada-search', '-n', 'Bad'), '"--namespace" flag', NR],
  ['addons enable unknown addon', addons('enable', 'bogus-addon'), 'addon bogus-addon is not be supported now', NR],
  ['addons enable nothing', addons('enable'), 'addonNames must be not be null', NR],
  ['addons enable estimator without -C', addons('enable', 'karmada-scheduler-estimator'), 'member cluster is needed', NR],
  ['addons enable -C without estimator', addons('enable', 'karmada-search', '-C', 'member1'), 'cluster is needed only when', NR],
  ['addons enable -C uppercase', addons('enable', 'karmada-scheduler-estimator', '-C', 'Member1'), 'invalid member cluster name (--cluster) "Member1"', NR],
  ['addons disable -n space', addons('disable', 'karmada-search', '-n', 'a b'), '"--namespace" flag', NR],
  ['addons list -C ESC', addons('list', '-C', '\u001b'), 'invalid member cluster name (--cluster) "\\x1b"', NR],
  ['addons enable --member-context with ESC', addons('enable', 'karmada-scheduler-estimator', '-C', 'm1', '--member-kubeconfig', '/x', '--member-context', '\u001b'), '"--member-context" flag', NR],
  ['addons list -o xml', addons('list', '-o', 'xml'), /xml/, NR],
  // deinit
  ['deinit --timeout abc', deinit('--timeout', 'abc'), '"--timeout" flag: time: invalid duration "abc"'],
  ['deinit --timeout 0s', deinit('--timeout', '0s'), '"--timeout" flag: must be a positive duration'],
  ['deinit --timeout huge', deinit('--timeout', '99999999999h'), '"--timeout" flag'],
  ['deinit -n uppercase', deinit('-n', 'Bad'), '"--namespace" flag'],
  ['deinit --cleanup-image space', deinit('--cleanup-image', 'a b'), '"--cleanup-image" flag'],
  ['deinit positional argument', deinit('extra'), 'does not take any arguments'],
  ['deinit --context with ESC', deinit('--context', '\u001b[2J'), '"--context" flag'],
  ['deinit -o xml', deinit('-o', 'xml'), /xml/],
  // cordon / uncordon / taint
  ['cordon without a name', ops('cordon'), 'cluster name is required', NR],
  ['cordon name with ESC', ops('cordon', '\u001b[31m'), 'invalid cluster name "\\x1b[31m"', NR],
  ['cordon 300-character name', ops('cordon', 'x'.repeat(300)), '…" (300 characters)', NR],
  ['uncordon name with newline', ops('uncordon', 'a\nb'), 'invalid cluster name "a\\nb"', NR],
  ['taint a bad taint', ops('taint', 'clusters', 'foo', 'bad'), /taint/i, NR],
  ['taint a bad effect', ops('taint', 'clusters', 'foo', 'k=v:Bogus'), /Bogus/, NR],
  ['taint nodes', ops('taint', 'nodes', 'foo', 'k=v:NoSchedule'), /nodes/, NR],
  ['taint cluster name with ESC', ops('taint', 'clusters', '\u001b', 'k=v:NoSchedule'), 'invalid cluster name "\\x1b"', NR],
  ['taint no taints', ops('taint', 'clusters', 'foo'), /taint/i, NR],
];

async function listAll(dir: string): Promise<string[]> {
  return existsSync(dir) ? readdir(dir, { recursive: true }) : [];
}

describe(`bad input: ${CASES.length} cases, each refused cleanly`, () => {
  it('has the size the report names', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(120);
    expect(new Set(CASES.map((c) => c[0])).size).toBe(CASES.length);
  });
  afterEach(async () => {
    // A case that wrongly wrote something fails below; the next one starts clean.
    for (const f of await readdir(out)) await rm(path.join(out, f), { recursive: true, force: true });
  });
  for (const [label, argv, want, o] of CASES) {
    it(label, async () => {
      for (const [name, body] of Object.entries(o?.files ?? {})) await writeFile(cfg(name), body);
      const writes = env.host.writes().length;
      const requests = env.host.requests.length;
      // A private TMPDIR: a refused dry run must leave no temporary directory behind.
      const tmp = await mkdtemp(path.join(os.tmpdir(), 'kc-bad-tmp-'));
      const savedTmp = process.env.TMPDIR;
      process.env.TMPDIR = tmp;
      let r: Awaited<ReturnType<typeof runCli>>;
      try {
        r = await runCli(argv(), { cwd: out, homedir: out, env: { KUBECONFIG: env.kubeconfigPath } });
      } finally {
        if (savedTmp === undefined) delete process.env.TMPDIR;
        else process.env.TMPDIR = savedTmp;
      }
      const leftInTmp = await readdir(tmp);
      await rm(tmp, { recursive: true, force: true });
      expect(r.code, r.stderr).not.toBe(0);
      const errors = r.stderr.split('\n').filter((l) => l.startsWith('error:'));
      expect(errors, r.stderr).toHaveLength(1);
      const line = errors[0];
      if (typeof want === 'string') expect(line).toContain(want);
      else expect(line).toMatch(want);
      expect(line.length, 'the echo is shortened').toBeLessThan(700);
      // eslint-disable-next-line no-control-regex
      expect(r.stderr + r.stdout, 'no raw control characters').not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
      expect(r.stderr + r.stdout).not.toMatch(INTERNAL);
      expect(await listAll(out), 'nothing written locally').toEqual([]);
      expect(env.host.writes().length, 'nothing written to the cluster').toBe(writes);
      if (o?.noRequests) expect(env.host.requests.length, 'no network call').toBe(requests);
      expect(leftInTmp, 'no temporary directory left').toEqual([]);
      expect(existsSync(path.join(os.tmpdir(), 'kc-never-made'))).toBe(false);
    });
  }
});

describe('deinit --delete-etcd-data refuses a hostPath that is not etcd data', () => {
  for (const hostPath of ['/', '/etc', '/var/lib', '/home/alice', '/var/lib/../..', 'relative/etcd']) {
    it(`hostPath ${hostPath}: refused before anything is deleted`, async () => {
      const sts = {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'etcd', namespace: 'karmada-system', labels: { 'karmada.io/bootstrapping': 'app-defaults' } },
        spec: { replicas: 1, selector: { matchLabels: { app: 'etcd' } }, serviceName: 'etcd', template: { metadata: { labels: { app: 'etcd' } }, spec: { nodeName: 'node1', containers: [{ name: 'etcd', image: 'etcd' }], volumes: [{ name: 'etcd-data', hostPath: { path: hostPath, type: 'DirectoryOrCreate' } }] } } },
      };
      if (!env.host.store.get('v1', 'Namespace', undefined, 'karmada-system')) env.host.store.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'karmada-system' } });
      env.host.store.put(sts);
      const writes = env.host.writes().length;
      const r = await runCli(['deinit', '--kubeconfig', env.kubeconfigPath, '--force', '--delete-etcd-data'], { cwd: out });
      expect(r.code).not.toBe(0);
      const line = r.stderr.trim().split('\n').pop()!;
      expect(line).toMatch(/^error: refusing to delete the etcd data at .* on node node1: (a system directory|not an absolute path|a home directory)/);
      expect(env.host.writes().length).toBe(writes);
      expect(env.host.store.get('apps/v1', 'StatefulSet', 'karmada-system', 'etcd')).toBeDefined();
      expect(env.host.sim.completedPods).toEqual([]);
    });
  }
});

describe('the clean-up pod checks for etcd member/ itself', () => {
  it('its command refuses a directory without member/ (exit 3) before rm', async () => {
    const { cleanupScript } = await import('../../src/install/deinit');
    const s = cleanupScript('/var/lib/karmada-etcd');
    expect(s.indexOf('[ ! -d /data/member ]')).toBeGreaterThanOrEqual(0);
    expect(s.indexOf('exit 3')).toBeLessThan(s.indexOf('rm -rf'));
  });
});

// Keep mkdir imported for cases that need a pre-existing directory.
void mkdir;
