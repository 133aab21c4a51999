#!/bin/bash
# The node: containerd and kubelet in one private mount namespace, started by cluster.sh as
#   nsenter --net=/run/netns/NS unshare -m --propagation slave node.sh STATE
# (kubelet's volume mounts must be visible to containerd; they all vanish with the namespace).
# kubelet insists on vm.overcommit_memory=1, kernel.panic=10, kernel.panic_on_oops=1 (host-global
# sysctls): it is shown those values through private bind mounts, so the host keeps its own.
set -u
STATE=$1
. "$STATE/env"   # PATH, KUBE_BIN, NODE, NODE_IP
echo 1 > "$STATE/run/one"; echo 10 > "$STATE/run/ten"
mount --bind "$STATE/run/one" /proc/sys/vm/overcommit_memory
mount --bind "$STATE/run/ten" /proc/sys/kernel/panic
mount --bind "$STATE/run/one" /proc/sys/kernel/panic_on_oops
containerd --config "$STATE/etc/containerd.toml" > "$STATE/logs/containerd.log" 2>&1 &
echo $! > "$STATE/run/containerd.pid"
for _ in $(seq 100); do [ -S "$STATE/containerd/containerd.sock" ] && break; sleep 0.1; done
for t in "$STATE"/preload/*.tar; do ctr -a "$STATE/containerd/containerd.sock" -n k8s.io images import "$t" >/dev/null; done
"$KUBE_BIN/kubelet" --config="$STATE/etc/kubelet.yaml" --kubeconfig="$STATE/pki/kubelet.kubeconfig" \
  --root-dir="$STATE/kubelet/root" --cert-dir="$STATE/kubelet/certs" --hostname-override="$NODE" \
  --node-ip="$NODE_IP" > "$STATE/logs/kubelet.log" 2>&1 &
echo $! > "$STATE/run/kubelet.pid"
wait
