import type { CliFlag, CommandSpec } from './spec';
import { dedent } from './spec';
import { KARMADA_VERSION } from '../version';

const NAMES = ['karmada-descheduler', 'karmada-metrics-adapter', 'karmada-scheduler-estimator', 'karmada-search', 'all'];

const COMMON: CliFlag[] = [
  { name: 'namespace', shorthand: 'n', type: 'string', default: 'karmada-system', usage: 'namespace where Karmada components are installed.' },
  { name: 'kubeconfig', type: 'string', default: '', usage: 'Path to the host cluster kubeconfig file.' },
  { name: 'context', type: 'string', default: '', usage: 'The name of the kubeconfig context to use.' },
  { name: 'karmada-kubeconfig', type: 'string', default: '/etc/karmada/karmada-apiserver.config', usage: 'Path to the karmada control plane kubeconfig file.' },
  { name: 'karmada-context', type: 'string', default: '', usage: 'The name of the karmada control plane kubeconfig context to use.' },
  { name: 'cluster', shorthand: 'C', type: 'string', default: '', usage: 'Name of the member cluster that enables or disables the scheduler estimator.' },
];

const image = (name: string, usage: string): CliFlag => ({ name, type: 'string', default: `docker.io/karmada/${name.replace(/-image$/, '')}:${KARMADA_VERSION}`, usage });
const int = (name: string, def: number, usage: string): CliFlag => ({ name, type: 'int', default: def, usage });
const str = (name: string, def: string, usage: string): CliFlag => ({ name, type: 'string', default: def, usage });
const completeNames = (_c: unknown, args: string[]) => NAMES.filter((n) => !args.includes(n));

const enable: CommandSpec = {
  name: 'enable',
  use: 'ADDON_NAME...',
  short: 'Enable Karmada addons from Kubernetes',
  long: dedent(`
    Enable Karmada addons from Kubernetes.

    Addons are enabled in a fixed order (scheduler-estimator, search, metrics-adapter, descheduler), each
    waited for until ready; a failure names the pods and why. Enabling the scheduler estimator also makes
    karmada-scheduler and karmada-descheduler use it. Re-running enable is safe.`),
  example: dedent(`
    # Enable Karmada all addons except karmada-scheduler-estimator to Kubernetes cluster
    {{program}} addons enable all

    # Enable Karmada search to Kubernetes cluster
    {{program}} addons enable karmada-search

    # Enable karmada search and descheduler to Kubernetes cluster
    {{program}} addons enable karmada-search karmada-descheduler

    # Enable karmada search and scheduler-estimator of cluster member1 to Kubernetes cluster
    {{program}} addons enable karmada-search karmada-scheduler-estimator -C member1 --member-kubeconfig /etc/karmada/member.config --member-context member1

    # Specify the host cluster kubeconfig
    {{program}} addons enable karmada-search --kubeconfig /root/.kube/config

    # Specify the Karmada control plane kubeconfig
    {{program}} addons enable karmada-search --karmada-kubeconfig /etc/karmada/karmada-apiserver.config

    # Specify the karmada-search image
    {{program}} addons enable karmada-search --karmada-search-image docker.io/karmada/karmada-search:latest

    # Specify private image registry
    {{program}} addons enable karmada-search --private-image-registry registry.cn-hangzhou.aliyuncs.com/google_containers`),
  flags: [
    ...COMMON,
    str('private-image-registry', '', 'Private image registry where pull images from. If set, all required images will be downloaded from it, it would be useful in offline installation scenarios.'),
    int('pod-timeout', 120, 'Wait pod ready timeout, in seconds.'),
    int('apiservice-timeout', 30, 'Wait apiservice ready timeout, in seconds.'),
    str('member-kubeconfig', '', "Member cluster's kubeconfig which to deploy scheduler estimator"),
    str('member-context', '', "Member cluster's context which to deploy scheduler estimator (default: the kubeconfig's current context)"),
    str('host-cluster-domain', 'cluster.local', 'The cluster domain of karmada host cluster. (e.g. --host-cluster-domain=host.karmada)'),
    image('karmada-descheduler-image', 'karmada-descheduler image'),
    int('karmada-descheduler-replicas', 1, 'karmada descheduler replica set'),
    str('descheduler-priority-class', 'system-node-critical', 'The priority class name for the component karmada-descheduler.'),
    image('karmada-scheduler-estimator-image', 'karmada-scheduler-estimator image'),
    int('karmada-estimator-replicas', 1, 'karmada-scheduler-estimator replica set'),
    str('estimator-priority-class', 'system-node-critical', 'The priority class name for the component karmada-scheduler-estimator.'),
    int('karmada-metrics-adapter-replicas', 1, 'karmada-metrics-adapter replica set'),
    image('karmada-metrics-adapter-image', 'karmada-metrics-adapter image'),
    str('metrics-adapter-priority-class', 'system-node-critical', 'The priority class name for the component karmada-metrics-adapter.'),
    int('karmada-search-replicas', 1, 'Karmada-search replica set'),
    image('karmada-search-image', 'karmada-search image'),
    str('search-priority-class', 'system-node-critical', 'The priority class name for the component karmada-search.'),
  ],
  args: [0, -1],
  completeArgs: completeNames,
  async run({ ctx, flags, args, explicit }) {
    const { enableOptions, runEnable } = await import('../addons/addons');
    const r = await runEnable(ctx, args, enableOptions(flags, explicit));
    for (const a of r.enabled) ctx.stdout.write(`addon ${a.addon}${a.cluster ? ` for member cluster ${a.cluster}` : ''} enabled\n`);
  },
};

const disable: CommandSpec = {
  name: 'disable',
  use: 'ADDON_NAME...',
  short: 'Disable karmada addons from Kubernetes',
  long: 'Disable Karmada addons from Kubernetes. Each object is reported as deleted or as not found.',
  example: dedent(`
    # Disable Karmada all addons except karmada-scheduler-estimator on Kubernetes cluster
    {{program}} addons disable all

    # Disable Karmada search on Kubernetes cluster
    {{program}} addons disable karmada-search

    # Disable Karmada search and descheduler on Kubernetes cluster
    {{program}} addons disable karmada-search karmada-descheduler

    # Disable karmada search and scheduler-estimator of member1 cluster to Kubernetes cluster
    {{program}} addons disable karmada-search karmada-scheduler-estimator --cluster member1`),
  flags: [...COMMON, { name: 'force', shorthand: 'f', type: 'bool', default: false, usage: 'Disable addons without prompting for confirmation.' }],
  args: [0, -1],
  completeArgs: completeNames,
  async run({ ctx, flags, args }) {
    const { commonOptions, runDisable } = await import('../addons/addons');
    await runDisable(ctx, args, { ...commonOptions(flags), force: Boolean(flags.force) });
  },
};

const list: CommandSpec = {
  name: 'list',
  short: 'List karmada addons from Kubernetes',
  long: 'List Karmada addons from Kubernetes. A check that fails marks its row "unknown" (with the reason on stderr) instead of failing the whole list.',
  example: dedent(`
    # List Karmada all addons installed in Kubernetes cluster
    {{program}} addons list

    # List Karmada all addons included scheduler estimator of member1 installed in Kubernetes cluster
    {{program}} addons list -C member1`),
  flags: [...COMMON, { name: 'output', shorthand: 'o', type: 'string', default: '', usage: 'Output format: json or yaml.', complete: () => ['json', 'yaml'] }],
  args: [0, -1],
  async run({ ctx, flags }) {
    const { commonOptions, runList } = await import('../addons/addons');
    const { parseOutputFormat } = await import('../ui/output');
    return runList(ctx, commonOptions(flags), parseOutputFormat(flags.output));
  },
};

export const addonsCommand: CommandSpec = {
  name: 'addons',
  short: 'Enable or disable a Karmada addon',
  long: dedent(`
    Enable or disable a Karmada addon.

     These addons are currently supported:

     1. karmada-descheduler
     2. karmada-metrics-adapter
     3. karmada-scheduler-estimator
     4. karmada-search`),
  example: dedent(`
    # Enable or disable Karmada addons to the karmada-host cluster
    {{program}} addons enable karmada-search`),
  children: [disable, enable, list],
};

export const deinitCommand: CommandSpec = {
  name: 'deinit',
  short: 'Remove the Karmada control plane from the Kubernetes cluster.',
  long: dedent(`
    Remove the Karmada control plane from the Kubernetes cluster.

    Removes what init and the addons created in the namespace (and, with --purge-namespace, the namespace),
    and the karmada.io/etcd node label, listing everything first. --delete-etcd-data also wipes the etcd
    hostPath data on its node; --delete-local-files removes the kubeconfig and certificates init wrote.`),
  example: dedent(`
    # Remove Karmada from the Kubernetes cluster.
    {{program}} deinit

    # See what would be removed
    {{program}} deinit --dry-run

    # Remove everything, etcd data and local files included, without prompting
    {{program}} deinit --purge-namespace --delete-etcd-data --delete-local-files --force`),
  flags: [
    { name: 'namespace', shorthand: 'n', type: 'string', default: 'karmada-system', usage: 'namespace where Karmada components are installed.' },
    { name: 'kubeconfig', type: 'string', default: '', usage: 'Path to the host cluster kubeconfig file.' },
    { name: 'context', type: 'string', default: '', usage: 'The name of the kubeconfig context to use' },
    { name: 'dry-run', type: 'bool', default: false, usage: 'Run the command in dry-run mode: list what would be removed, delete nothing.' },
    { name: 'force', shorthand: 'f', type: 'bool', default: false, usage: 'Reset cluster without prompting for confirmation.' },
    { name: 'purge-namespace', type: 'bool', default: false, usage: 'Run the command with purge-namespace, the namespace which Karmada components were installed will be deleted.' },
    { name: 'delete-etcd-data', type: 'bool', default: false, usage: 'Also delete the etcd hostPath data on its node, through a short-lived pod pinned to that node.' },
    { name: 'delete-local-files', type: 'bool', default: false, usage: 'Also delete the kubeconfig and certificates init wrote under --karmada-data and --karmada-pki.' },
    { name: 'karmada-data', shorthand: 'd', type: 'string', default: '/etc/karmada', usage: 'Karmada data path used by init (for --delete-local-files).' },
    { name: 'karmada-pki', type: 'string', default: '/etc/karmada/pki', usage: 'Karmada pki path used by init (for --delete-local-files).' },
    { name: 'cleanup-image', type: 'string', default: 'docker.io/library/busybox:1.36', usage: 'Image of the etcd data clean-up pod (for --delete-etcd-data).' },
    { name: 'timeout', type: 'duration', default: '2m0s', usage: 'How long to wait for the etcd data clean-up pod.' },
    { name: 'output', shorthand: 'o', type: 'string', default: '', usage: 'Output format: json or yaml (the plan, and what was removed).', complete: () => ['json', 'yaml'] },
  ],
  args: [0, -1],
  async run({ ctx, flags, args }) {
    const { deinitOptionsFromFlags, runDeinit } = await import('../install/deinit');
    return runDeinit(ctx, deinitOptionsFromFlags(args, flags));
  },
};
