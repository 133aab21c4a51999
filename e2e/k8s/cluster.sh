#!/usr/bin/env bash
# A real single-node Kubernetes for the e2e tests, from what e2e/k8s/build.sh built: etcd,
# kube-apiserver, controller-manager, scheduler, kube-proxy, and a node (containerd + runc + kubelet)
# with CoreDNS, rancher's local-path-provisioner as the default StorageClass and
# sigs.k8s.io/kube-network-policies enforcing NetworkPolicies; the node is labelled with a zone
# (topology.kubernetes.io/zone=$K8S_ZONE). Everything runs in its own network namespace; nothing
# (routes, bridges, iptables, sysctls) changes on the host.
#
#   cluster.sh up              # fresh state; prints `export KUBECONFIG=...` for eval
#   cluster.sh load IMAGE.tar  # import a docker-archive into the node (there is no registry)
#   cluster.sh run CMD...      # run CMD inside the namespace (API server https://10.250.0.1:6443)
#   cluster.sh kubectl ARGS... # kubectl inside the namespace
#   cluster.sh down            # stop everything this script started; remove its state
#
# State lives in $K8S_STATE (default /tmp/kafka-env-k8s), removed by `down`. Each phase's time is
# printed. Adapted from the k8s-local notes (../shared/k8s-local).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HERE/versions.sh"
STATE=${K8S_STATE:-/tmp/kafka-env-k8s}
NS=${K8S_NETNS:-kafka-env-k8s}
NODE=kafka-env-node NODE_IP=10.250.0.1 ZONE=${K8S_ZONE:-e2e-zone-a}
NSX="nsenter --net=/run/netns/$NS"
export KUBECONFIG=$STATE/pki/admin.kubeconfig
log() { printf '[k8s %(%T)T] %s\n' -1 "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
kc() { $NSX "$K8S_KUBE_BIN/kubectl" "$@"; }

template() { sed -e "s#@STATE@#$STATE#g" -e "s#@DEBS@#$K8S_DEBS#g" -e "s#@RUNC@#$(command -v runc)#g" "$1"; }
start() { # name cmd...: in the background, own session, pid file, log file
  local n=$1; shift
  setsid nohup nice -n 5 "$@" > "$STATE/logs/$n.log" 2>&1 < /dev/null &
  echo $! > "$STATE/run/$n.pid"
}

prepare() {
  local c; for c in kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl; do
    [ -x "$K8S_KUBE_BIN/$c" ] || die "$K8S_KUBE_BIN/$c missing: run e2e/k8s/build.sh"; done
  [ -x "$K8S_ETCD_BIN/etcd" ] && [ -x "$K8S_DEBS/root/usr/bin/containerd" ] || die "cluster not built: run e2e/k8s/build.sh"
  [ -e "$STATE/run" ] && die "$STATE exists: a cluster is up (or was not taken down): $0 down"
  mkdir -p "$STATE"/{etc,logs,run,cni/net.d,cni/ipam,kubelet/root,kubelet/logs,kubelet/certs,containerd,local-path,preload}
  PKI=$STATE/pki NODE=$NODE NODEIP=$NODE_IP bash "$HERE/mkcerts.sh" >/dev/null
  template "$HERE/etc/containerd.toml" > "$STATE/etc/containerd.toml"
  template "$HERE/etc/cni.conflist" > "$STATE/cni/net.d/10-kafka-env.conflist"
  template "$HERE/etc/kubelet.yaml" > "$STATE/etc/kubelet.yaml"
  template "$HERE/etc/kube-proxy.yaml" > "$STATE/etc/kube-proxy.yaml"
  echo "nameserver 127.0.0.1" > "$STATE/etc/resolv.conf"
  printf 'export PATH=%q\nKUBE_BIN=%q NODE=%q NODE_IP=%q\n' "$K8S_DEBS/root/usr/bin:$K8S_KUBE_BIN:/usr/sbin:/usr/bin:/sbin:/bin" \
    "$K8S_KUBE_BIN" "$NODE" "$NODE_IP" > "$STATE/env"
  ln -s "$K8S_IMAGES"/*.tar "$STATE/preload/"
}

network() {
  ip netns list | grep -qw "^$NS" && die "network namespace $NS exists: $0 down"
  ip netns add "$NS"
  ip -n "$NS" link set lo up
  ip -n "$NS" link add node0 type bridge; ip -n "$NS" addr add "$NODE_IP/24" dev node0; ip -n "$NS" link set node0 up
  $NSX sysctl -qw net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1   # both per network namespace
}

control_plane() {
  local P=$STATE/pki
  start etcd $NSX "$K8S_ETCD_BIN/etcd" --name kafka-env --data-dir "$STATE/etcd" --listen-client-urls http://127.0.0.1:2379 \
    --advertise-client-urls http://127.0.0.1:2379 --listen-peer-urls http://127.0.0.1:2380 \
    --initial-advertise-peer-urls http://127.0.0.1:2380 --initial-cluster kafka-env=http://127.0.0.1:2380 \
    --unsafe-no-fsync=true --quota-backend-bytes 4294967296
  start kube-apiserver $NSX "$K8S_KUBE_BIN/kube-apiserver" --etcd-servers=http://127.0.0.1:2379 \
    --bind-address=0.0.0.0 --secure-port=6443 --advertise-address=$NODE_IP \
    --service-cluster-ip-range=10.96.0.0/16 --service-node-port-range=30000-32767 --client-ca-file=$P/ca.crt \
    --tls-cert-file=$P/apiserver.crt --tls-private-key-file=$P/apiserver.key \
    --kubelet-client-certificate=$P/apiserver-kubelet-client.crt --kubelet-client-key=$P/apiserver-kubelet-client.key \
    --kubelet-preferred-address-types=InternalIP,Hostname \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file=$P/sa.pub --service-account-signing-key-file=$P/sa.key \
    --authorization-mode=Node,RBAC --enable-admission-plugins=NodeRestriction --allow-privileged=true --profiling=false
  local i; for i in $(seq 240); do kc get --raw /readyz >/dev/null 2>&1 && break; sleep 0.5; done
  kc get --raw /readyz >/dev/null || die "kube-apiserver not ready: $(tail -n 20 "$STATE/logs/kube-apiserver.log")"
  start kube-controller-manager $NSX "$K8S_KUBE_BIN/kube-controller-manager" --kubeconfig=$P/controller-manager.kubeconfig \
    --authentication-kubeconfig=$P/controller-manager.kubeconfig --authorization-kubeconfig=$P/controller-manager.kubeconfig \
    --bind-address=127.0.0.1 --leader-elect=false --use-service-account-credentials=true \
    --service-account-private-key-file=$P/sa.key --root-ca-file=$P/ca.crt \
    --cluster-signing-cert-file=$P/ca.crt --cluster-signing-key-file=$P/ca.key \
    --allocate-node-cidrs=true --cluster-cidr=10.244.0.0/16 --node-cidr-mask-size=24 --service-cluster-ip-range=10.96.0.0/16
  start kube-scheduler $NSX "$K8S_KUBE_BIN/kube-scheduler" --kubeconfig=$P/scheduler.kubeconfig \
    --authentication-kubeconfig=$P/scheduler.kubeconfig --authorization-kubeconfig=$P/scheduler.kubeconfig \
    --bind-address=127.0.0.1 --leader-elect=false
  start kube-proxy $NSX "$K8S_KUBE_BIN/kube-proxy" --config="$STATE/etc/kube-proxy.yaml"
}

node() {
  start node $NSX unshare -m --propagation slave "$HERE/node.sh" "$STATE"
  local i; for i in $(seq 240); do kc get "node/$NODE" >/dev/null 2>&1 && break; sleep 0.5; done
  kc wait --for=condition=Ready "node/$NODE" --timeout=180s >/dev/null || die "node not Ready: $(tail -n 20 "$STATE/logs/kubelet.log")"
}

addons() {
  sed "s#@COREDNS_IMAGE@#kafka-env-k8s/coredns:${COREDNS_VERSION#v}#" "$HERE/manifests/coredns.yaml" | kc apply -f - >/dev/null
  sed -e "s#@IMAGE@#kafka-env-k8s/local-path-provisioner:${LOCAL_PATH_VERSION#v}#" -e "s#@PATH@#$STATE/local-path#" \
    "$HERE/manifests/local-path-storage.yaml" | kc apply -f - >/dev/null
  sed "s#@IMAGE@#kafka-env-k8s/kube-network-policies:${KNP_VERSION#v}#" "$HERE/manifests/kube-network-policies.yaml" | kc apply -f - >/dev/null
  kc label node "$NODE" "topology.kubernetes.io/zone=$ZONE" --overwrite >/dev/null
  kc -n kube-system rollout status deploy/coredns --timeout=180s >/dev/null || die "coredns not ready: $(kc -n kube-system logs deploy/coredns --tail=20 2>&1)"
  kc -n kube-system rollout status ds/kube-network-policies --timeout=180s >/dev/null ||
    die "kube-network-policies not ready: $(kc -n kube-system logs ds/kube-network-policies --tail=20 2>&1)"
  kc -n local-path-storage rollout status deploy/local-path-provisioner --timeout=180s >/dev/null ||
    die "local-path-provisioner not ready: $(kc -n local-path-storage logs deploy/local-path-provisioner --tail=20 2>&1)"
}

phase() { local t=$SECONDS; "${@:2}"; log "$1: $((SECONDS - t)) s"; }
up() {
  local t0=$SECONDS
  phase "state and certificates" prepare
  phase "network namespace" network
  phase "etcd and kube-apiserver ready; controller-manager, scheduler, kube-proxy started" control_plane
  phase "node Ready (containerd, kubelet, preloaded images)" node
  phase "CoreDNS, local-path-provisioner and kube-network-policies ready; node zone $ZONE" addons
  log "cluster up in $((SECONDS - t0)) s: Kubernetes $(kc version -o json | sed -n 's/.*"gitVersion": "\(v[^"]*\)".*/\1/p' | tail -n1), kubeconfig $KUBECONFIG"
  echo "export KUBECONFIG=$KUBECONFIG"
}

killpid() { # name: the process of that pid file, gently then hard
  local f=$STATE/run/$1.pid p i; [ -f "$f" ] || return 0; p=$(cat "$f")
  kill "$p" 2>/dev/null || true
  for i in $(seq 150); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$p" 2>/dev/null || true; rm -f "$f"
}
descendants() { # pid...: every process below them
  local p c; for p in "$@"; do
    for c in $(grep -l -E "^[0-9]+ \(.*\) . $p " /proc/[0-9]*/stat 2>/dev/null | cut -d/ -f3); do echo "$c"; descendants "$c"; done
  done
}
down() {
  local t=$SECONDS shims
  killpid kubelet
  # containerd's shims outlive it by design: ours are those started with our socket; their
  # descendants are the pods' processes. Nothing else on the machine is touched.
  shims=$(grep -l -a -F "$STATE/containerd/containerd.sock" /proc/[0-9]*/cmdline 2>/dev/null | cut -d/ -f3 || true)
  # shellcheck disable=SC2046
  [ -n "$shims" ] && kill -9 $(descendants $shims) $shims 2>/dev/null || true
  killpid containerd; killpid node
  local n; for n in kube-proxy kube-scheduler kube-controller-manager kube-apiserver etcd; do killpid "$n"; done
  sleep 1
  for c in /sys/fs/cgroup/*/kubepods; do [ -d "$c" ] && find "$c" -depth -type d -exec rmdir {} + 2>/dev/null || true; done
  ip netns del "$NS" 2>/dev/null || true
  rmdir /run/containerd/s /run/containerd/fifo /run/containerd 2>/dev/null || true   # containerd 1.6's fixed shim socket dir
  [ -d "$STATE" ] && { umount -R "$STATE" 2>/dev/null || true; rm -rf "${STATE:?}"; }
  log "down in $((SECONDS - t)) s"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  load) shift; for f in "$@"; do t=$SECONDS
      nsenter --mount="/proc/$(cat "$STATE/run/containerd.pid")/ns/mnt" "$K8S_DEBS/root/usr/bin/ctr" -a "$STATE/containerd/containerd.sock" \
        -n k8s.io images import "$(realpath "$f")" >/dev/null || die "loading $f failed"; log "loaded $f in $((SECONDS - t)) s"; done ;;
  run) shift; exec $NSX "$@" ;;
  kubectl) shift; kc "$@" ;;
  *) echo "usage: $0 up|down|load IMAGE.tar...|run CMD...|kubectl ARGS..." >&2; exit 2 ;;
esac
