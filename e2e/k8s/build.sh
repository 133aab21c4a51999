#!/usr/bin/env bash
# Build (or reuse, cached by version under ${KAFKA_ENV_CACHE:-~/.cache/kafka-env}/k8s) everything the
# local single-node Kubernetes of the e2e tests runs: containerd, runc and the CNI plugins from
# Debian (extracted, not installed), Kubernetes (apiserver, controller-manager, scheduler, kubelet,
# kube-proxy, kubectl), etcd, CoreDNS, crictl and rancher's local-path-provisioner from the Go
# module proxy, the NetworkPolicy controller sigs.k8s.io/kube-network-policies (netpol/), the JMX
# exporter agent from Maven Central, and the images the cluster needs (pause, busybox, coredns,
# local-path-provisioner, kube-network-policies, kubectl for the rack step), made from those
# binaries (no image can be pulled here). Prints each phase's time.
#
#   e2e/k8s/build.sh            # everything that is not cached yet
#   e2e/k8s/build.sh kubernetes # only these phases (debs etcd small netpol jmx kubernetes images)
#
# Go's module and build caches are shared with e2e/toolchain/ ($KAFKA_ENV_CACHE/go). Cold, on a
# loaded 2-core machine: see the README's "End-to-end tests" section.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HERE/versions.sh"
CACHE=${KAFKA_ENV_CACHE:-$HOME/.cache/kafka-env}
GO=${GO:-$( [ -x /usr/local/go/bin/go ] && echo /usr/local/go/bin/go || command -v go)}
export GOTOOLCHAIN=local GOMODCACHE=$CACHE/go/mod GOCACHE=$CACHE/go/build GOPATH=$CACHE/go/path
export GOFLAGS="-mod=mod -buildvcs=false" CGO_ENABLED=0
NICE="nice -n 19"
log() { printf '[k8s-build %(%T)T] %s\n' -1 "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
phase() { # name command...: run one phase, print its time
  local t=$SECONDS; log "$1 ..."; "${@:2}" || die "$1 failed"; log "$1: $((SECONDS - t)) s"
}
# The checksum database is not always reachable from here (the module proxy is).
if [ -z "${GOSUMDB:-}" ] && ! curl -fsS --max-time 5 -o /dev/null https://sum.golang.org/latest 2>/dev/null; then
  export GOSUMDB=off; log "sum.golang.org unreachable: GOSUMDB=off"
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/kafka-env-k8s-build.XXXXXX"); trap 'rm -rf "$WORK"' EXIT

debs() {
  [ -x "$K8S_DEBS/root/usr/bin/containerd" ] && [ -x "$K8S_DEBS/root/usr/lib/cni/bridge" ] && [ -x "$K8S_DEBS/root/bin/busybox" ] && return
  command -v runc >/dev/null || { apt-get update -qq && apt-get install -y -qq runc >/dev/null; }
  mkdir -p "$WORK/debs" "$K8S_DEBS.tmp/root"
  (cd "$WORK/debs" && { apt-get download containerd containernetworking-plugins busybox-static >/dev/null 2>&1 ||
     { apt-get update -qq && apt-get download containerd containernetworking-plugins busybox-static >/dev/null; }; })
  local d; for d in "$WORK"/debs/*.deb; do dpkg-deb -x "$d" "$K8S_DEBS.tmp/root"; basename "$d" >> "$K8S_DEBS.tmp/VERSIONS"; done
  rm -rf "$K8S_DEBS"; mv "$K8S_DEBS.tmp" "$K8S_DEBS"
}

# k8s.io/kubernetes cannot be `go install`ed (its go.mod replaces the staging modules with ./staging):
# a wrapper module requires it and pins each staging module to its published v0.x version.
kubernetes() {
  local bins="kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl" c missing=
  for c in $bins; do [ -x "$K8S_KUBE_BIN/$c" ] || missing=1; done; [ -z "$missing" ] && return
  local v=${KUBE_VERSION#v} mod; mkdir -p "$WORK/kube" "$K8S_KUBE_BIN"; cd "$WORK/kube"
  mod=$($GO mod download -json "k8s.io/kubernetes@$KUBE_VERSION" | sed -n 's/.*"GoMod": "\(.*\)",*/\1/p')
  { printf 'module kafka-env.local/kubernetes\n\ngo 1.24.0\n\nrequire k8s.io/kubernetes %s\n\nreplace (\n' "$KUBE_VERSION"
    sed -n 's#^\t\(k8s.io/[a-z0-9-]*\) => ./staging/.*#\t\1 => \1 v0.'"${v#1.}"'#p' "$mod"; printf ')\n\ntool (\n'
    for c in $bins; do printf '\tk8s.io/kubernetes/cmd/%s\n' "$c"; done; printf ')\n'; } > go.mod
  $NICE $GO mod tidy
  local ld="-s -w" p
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld="$ld -X $p.gitVersion=$KUBE_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$(echo "$v" | cut -d. -f2) -X $p.gitTreeState=clean -X $p.buildDate=1970-01-01T00:00:00Z"
  done
  for c in $bins; do
    [ -x "$K8S_KUBE_BIN/$c" ] && continue
    local t=$SECONDS; $NICE $GO build -trimpath -ldflags "$ld" -o "$K8S_KUBE_BIN/$c.tmp" "k8s.io/kubernetes/cmd/$c"
    mv "$K8S_KUBE_BIN/$c.tmp" "$K8S_KUBE_BIN/$c"; log "  $c: $((SECONDS - t)) s"
  done
}

etcd() {
  [ -x "$K8S_ETCD_BIN/etcd" ] && return
  mkdir -p "$WORK/etcd" "$K8S_ETCD_BIN"; cd "$WORK/etcd"
  printf 'module kafka-env.local/etcd\n\ngo 1.26.0\n\nrequire go.etcd.io/etcd/server/v3 %s\n\ntool go.etcd.io/etcd/server/v3\n' "$ETCD_VERSION" > go.mod
  $NICE $GO mod tidy && $NICE $GO build -trimpath -ldflags '-s -w' -o "$K8S_ETCD_BIN/etcd.tmp" go.etcd.io/etcd/server/v3
  mv "$K8S_ETCD_BIN/etcd.tmp" "$K8S_ETCD_BIN/etcd"
}

goinstall() { # dir binary module@version
  [ -x "$1/$2" ] && return; mkdir -p "$1.tmp"
  GOBIN="$1.tmp" GOFLAGS=-buildvcs=false $NICE $GO install -trimpath -ldflags '-s -w' "$3" && mkdir -p "$1" && mv "$1.tmp/$2" "$1/$2" && rmdir "$1.tmp"
}
small() {
  goinstall "$K8S_COREDNS_BIN" coredns "github.com/coredns/coredns@$COREDNS_VERSION"
  goinstall "$K8S_CRICTL_BIN" crictl "sigs.k8s.io/cri-tools/cmd/crictl@$CRICTL_VERSION"
  goinstall "$K8S_LOCAL_PATH_BIN" local-path-provisioner "github.com/rancher/local-path-provisioner@$LOCAL_PATH_VERSION"
}

# The controller queues new connections with nftables' `queue` statement, which needs the kernel's
# nft_queue; these machines' kernels have the xtables NFQUEUE target (and nft_compat) instead:
# the module is built with each queue statement rewritten to that target (netpol/nfqueue_compat.go).
netpol() {
  [ -x "$K8S_KNP_BIN/kube-network-policies" ] && return
  local src; src=$($GO mod download -json "sigs.k8s.io/kube-network-policies@$KNP_VERSION" | sed -n 's/.*"Dir": "\(.*\)",*/\1/p')
  mkdir -p "$WORK/knp" "$K8S_KNP_BIN"; cp -r "$src" "$WORK/knp/src"; chmod -R u+w "$WORK/knp/src"
  cp "$HERE/netpol/nfqueue_compat.go" "$WORK/knp/src/pkg/networkpolicy/"
  sed -i -e 's/^\(\t*\)queue,$/\1compatQueue(queue),/' -e 's/^\(\t*\)\(&expr.Queue{.*}\),$/\1compatQueue(\2),/' "$WORK/knp/src/pkg/networkpolicy/"{controller,dnsagent}.go
  grep -q 'compatQueue(queue)' "$WORK/knp/src/pkg/networkpolicy/controller.go" || { log "the queue rewrite found nothing to rewrite"; return 1; }
  cd "$WORK/knp/src" && $NICE $GO build -trimpath -ldflags '-s -w' -o "$K8S_KNP_BIN/kube-network-policies.tmp" ./cmd &&
    mv "$K8S_KNP_BIN/kube-network-policies.tmp" "$K8S_KNP_BIN/kube-network-policies"
}

jmx() {
  [ -s "$K8S_JMX_AGENT" ] && return
  mkdir -p "$(dirname "$K8S_JMX_AGENT")"
  mvn -B -q dependency:copy -Dartifact="io.prometheus.jmx:jmx_prometheus_javaagent:$JMX_AGENT_VERSION" \
    -DoutputDirectory="$(dirname "$K8S_JMX_AGENT")" -Dmaven.repo.local="$CACHE/m2" >/dev/null
  [ -s "$K8S_JMX_AGENT" ]
}

image() { # tar name:tag entrypoint-json [cmd-json]: the root file system is $WORK/r
  python3 "$HERE/mkimage.py" "$WORK/r" "$K8S_IMAGES/$1.tmp" "${@:2}" >/dev/null && mv "$K8S_IMAGES/$1.tmp" "$K8S_IMAGES/$1"
}
images() {
  mkdir -p "$K8S_IMAGES"; local r=$WORK/r
  if [ ! -f "$K8S_IMAGES/pause-$KUBE_VERSION.tar" ]; then
    local src; src=$($GO mod download -json "k8s.io/kubernetes@$KUBE_VERSION" | sed -n 's/.*"Dir": "\(.*\)",*/\1/p')/build/pause/linux/pause.c
    rm -rf "$r" && mkdir -p "$r" && gcc -Os -static -DVERSION=kafka-env -o "$r/pause" "$src" && strip "$r/pause"
    image "pause-$KUBE_VERSION.tar" kafka-env-k8s/pause:3.10 '["/pause"]'
  fi
  if [ ! -f "$K8S_IMAGES/busybox.tar" ]; then
    rm -rf "$r" && mkdir -p "$r/bin" "$r/etc" "$r/tmp" && cp "$K8S_DEBS/root/bin/busybox" "$r/bin/"
    local a; for a in sh ls cat echo sleep wget nslookup hostname ip ps mkdir rm chown chmod stat id nc; do ln -s busybox "$r/bin/$a"; done
    echo 'root:x:0:0:root:/root:/bin/sh' > "$r/etc/passwd"; echo 'root:x:0:' > "$r/etc/group"
    image busybox.tar kafka-env-k8s/busybox:1 '[]' '["/bin/sh"]'
  fi
  if [ ! -f "$K8S_IMAGES/coredns-$COREDNS_VERSION.tar" ]; then
    rm -rf "$r" && mkdir -p "$r/etc/coredns" "$r/tmp" && cp "$K8S_COREDNS_BIN/coredns" "$r/coredns"
    image "coredns-$COREDNS_VERSION.tar" "kafka-env-k8s/coredns:${COREDNS_VERSION#v}" '["/coredns"]'
  fi
  if [ ! -f "$K8S_IMAGES/local-path-provisioner-$LOCAL_PATH_VERSION.tar" ]; then
    rm -rf "$r" && mkdir -p "$r/usr/bin" "$r/tmp" "$r/etc" && cp "$K8S_LOCAL_PATH_BIN/local-path-provisioner" "$r/usr/bin/"
    echo 'root:x:0:0:root:/root:/bin/sh' > "$r/etc/passwd"
    image "local-path-provisioner-$LOCAL_PATH_VERSION.tar" "kafka-env-k8s/local-path-provisioner:${LOCAL_PATH_VERSION#v}" '["/usr/bin/local-path-provisioner"]'
  fi
  if [ ! -f "$K8S_IMAGES/kube-network-policies-$KNP_VERSION.tar" ]; then
    rm -rf "$r" && mkdir -p "$r/bin" "$r/tmp" && cp "$K8S_KNP_BIN/kube-network-policies" "$r/bin/netpol"
    image "kube-network-policies-$KNP_VERSION.tar" "kafka-env-k8s/kube-network-policies:${KNP_VERSION#v}" '["/bin/netpol"]'
  fi
  # The rack step's image: sh (busybox) and kubectl, as an upstream kubectl image with a shell.
  if [ ! -f "$K8S_IMAGES/kubectl-$KUBE_VERSION.tar" ]; then
    rm -rf "$r" && mkdir -p "$r/bin" "$r/tmp" && cp "$K8S_DEBS/root/bin/busybox" "$K8S_KUBE_BIN/kubectl" "$r/bin/"
    local a; for a in sh cat printf echo tr sed; do ln -s busybox "$r/bin/$a"; done
    image "kubectl-$KUBE_VERSION.tar" "kafka-env-k8s/kubectl:${KUBE_VERSION#v}" '[]' '["/bin/sh"]'
  fi
  rm -rf "$r"
}

t0=$SECONDS
want() { [ ${#PHASES[@]} -eq 0 ] || [[ " ${PHASES[*]} " == *" $1 "* ]]; }
PHASES=("$@")
want debs && phase "debian packages (containerd, CNI plugins, busybox)" debs
want etcd && phase "etcd $ETCD_VERSION" etcd
want small && phase "coredns $COREDNS_VERSION, crictl $CRICTL_VERSION, local-path-provisioner $LOCAL_PATH_VERSION" small
want kubernetes && phase "kubernetes $KUBE_VERSION" kubernetes
want netpol && phase "kube-network-policies $KNP_VERSION (NetworkPolicy controller)" netpol
want jmx && phase "JMX exporter agent $JMX_AGENT_VERSION (Maven Central)" jmx
want images && phase "images" images
log "cluster build done in $((SECONDS - t0)) s (cache: $K8S_CACHE)"
