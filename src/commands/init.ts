import type { CommandSpec } from './spec';
import { INIT_FLAGS } from '../install/options';
import { dedent } from './spec';

export const initCommand: CommandSpec = {
  name: 'init',
  short: 'Install the Karmada control plane in a Kubernetes cluster',
  long: dedent(`
    Install the Karmada control plane in a Kubernetes cluster.

    By default, the images and CRD tarball are downloaded remotely. For offline installation, you can
    set '--private-image-registry' and '--crds'.

    Re-running init is safe: it converges an install that failed half-way, reuses the existing PKI,
    and changes nothing on a healthy install. '--dry-run' renders everything without a cluster.`),
  example: dedent(`
    # Install Karmada in Kubernetes cluster
    # The karmada-apiserver binds the master node's IP by default
    {{program}} init

    # China mainland registry mirror can be specified by using kube-image-mirror-country
    {{program}} init --kube-image-mirror-country=cn

    # Kube registry can be specified by using kube-image-registry
    {{program}} init --kube-image-registry=registry.cn-hangzhou.aliyuncs.com/google_containers

    # Specify the URL to download CRD tarball
    {{program}} init --crds https://github.com/karmada-io/karmada/releases/download/v1.18.2/crds.tar.gz

    # Specify the local CRD tarball
    {{program}} init --crds /root/crds.tar.gz

    # Use PVC to persistent storage etcd data
    {{program}} init --etcd-storage-mode PVC --storage-classes-name {StorageClassesName}

    # Use hostPath to persistent storage etcd data. For data security, only 1 etcd pod can run in hostPath mode
    {{program}} init --etcd-storage-mode hostPath  --etcd-replicas 1

    # Use hostPath to persistent storage etcd data but select nodes by labels
    {{program}} init --etcd-storage-mode hostPath --etcd-node-selector-labels karmada.io/etcd=true

    # Private registry can be specified for all images
    {{program}} init --etcd-image local.registry.com/library/etcd:3.6.6-0

    # Specify Karmada API Server IP address. If not set, the address on the master node will be used.
    {{program}} init --karmada-apiserver-advertise-address 192.168.1.2

    # Deploy highly available(HA) karmada
    {{program}} init --karmada-apiserver-replicas 3 --etcd-replicas 3 --etcd-storage-mode PVC --storage-classes-name {StorageClassesName}

    # Single-node cluster whose only node is a tainted control-plane node
    {{program}} init --tolerate-control-plane-taints

    # Render every object without touching any cluster
    {{program}} init --dry-run --karmada-apiserver-advertise-address 10.0.0.10 --crds /root/crds.tar.gz`),
  flags: INIT_FLAGS,
  args: [0, 0],
  async run({ ctx, flags }) {
    const { runInitCommand } = await import('../install/init-command');
    return runInitCommand(ctx, flags);
  },
};
