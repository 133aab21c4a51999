#!/usr/bin/env bash
# `npm run test:e2e:k8s`: the Kubernetes scenario (e2e/k8s/*.test.ts) on a real single-node
# Kubernetes, for real: builds (or reuses, cached by version) the Pulumi CLI and the kafka and
# kubernetes provider plugins, the cluster (e2e/k8s/build.sh) and the local Kafka images, brings
# the cluster up, loads the images into it, runs the tests inside the cluster's network namespace,
# and ALWAYS takes the cluster down (trap), also on failure. Prints each phase's time. Fails
# loudly when any of that cannot be done (the cluster not starting included): never passes by
# skipping. Extra arguments go to mocha (e.g. --grep zookeeper; a *.test.ts runs that file alone).
set -euo pipefail
cd "$(dirname "$0")/../.."
CACHE=${KAFKA_ENV_CACHE:-$HOME/.cache/kafka-env}
log() { printf '\n== e2e/k8s %(%T)T: %s\n' -1 "$*" >&2; }
t0=$SECONDS
# One cluster per machine (its state, network namespace and addresses are fixed): a second run
# waits here for the first to finish instead of taking the cluster down under it.
exec 9>"${K8S_STATE:-/tmp/kafka-env-k8s}.lock"
flock -n 9 || { log "another Kubernetes end-to-end run holds the cluster; waiting for it"; flock 9; }
# name command...: one timed phase; its failure ends the run (each function checks its own steps:
# errexit does not apply inside a command that is followed by ||)
phase() {
  local t=$SECONDS; log "$1"; "${@:2}" || { log "FAILED: $1 (after $((SECONDS - t)) s)"; exit 1; }; log "$1: $((SECONDS - t)) s"
}

toolchain() {
  PULUMI_BIN=$(bash e2e/toolchain/pulumi-cli.sh | tail -n 1) || return 1
  [ -x "$PULUMI_BIN/pulumi" ] || { echo "no pulumi in $PULUMI_BIN" >&2; return 1; }
  export PATH="$PULUMI_BIN:$PATH" PULUMI_HOME="$CACHE/pulumi-home"
  export PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
  local name version path
  while read -r name version path; do
    [ -x "$path" ] || { echo "plugin $name: no binary at $path" >&2; return 1; }
    pulumi plugin ls 2>/dev/null | grep -qE "^$name +resource +$version " || pulumi plugin install resource "$name" "$version" -f "$path" >/dev/null
  done < <({ bash e2e/toolchain/pulumi-providers.sh kafka; bash e2e/toolchain/pulumi-kubernetes.sh; } | grep -E '^[a-z]+ [0-9.]+ /')
  pulumi version && pulumi plugin ls
}

IMAGES=(localhost/kafka-env/cp-kafka:7.8-local localhost/kafka-env/cp-kafka:7.9-local localhost/kafka-env/cp-zookeeper:7.9-local
        localhost/kafka-env/kafka:4.0-local localhost/kafka-env/kafka:4.1-local localhost/kafka-env/kafka-ui-standin:1)
TARS=()
images() {
  bash e2e/engine/install.sh && bash e2e/images/build.sh || return 1
  # The node's containerd imports docker-archives; `podman save` reads the image store (no engine needed).
  local dir=$CACHE/k8s/local-images img id tar; mkdir -p "$dir"
  for img in "${IMAGES[@]}"; do
    id=$(CONTAINERS_CONF=e2e/engine/containers.conf podman image inspect --format '{{.Id}}' "$img") || return 1
    tar="$dir/$(basename "${img%%:*}")-${id:0:12}.tar"
    if [ ! -s "$tar" ]; then
      CONTAINERS_CONF=e2e/engine/containers.conf podman save --format docker-archive -o "$tar.part" "$img" && mv "$tar.part" "$tar" ||
        { echo "podman save $img failed" >&2; return 1; }
    fi
    TARS+=("$tar")
  done
}

up() {
  trap 'log "cluster down"; bash e2e/k8s/cluster.sh down' EXIT
  local env; env=$(bash e2e/k8s/cluster.sh up) || return 1
  eval "$env"
  bash e2e/k8s/cluster.sh kubectl get nodes -o wide
}

phase "toolchain: Pulumi CLI, kafka and kubernetes plugins" toolchain
phase "cluster build (e2e/k8s/build.sh)" bash e2e/k8s/build.sh
phase "local images (build, podman save)" images
phase "cluster up" up
phase "load ${#TARS[@]} images into the node" bash e2e/k8s/cluster.sh load "${TARS[@]}"
. e2e/k8s/versions.sh
# Tests run inside the cluster's network namespace: kubectl and pulumi reach the API server, kafkajs
# the NodePorts of the node. The dynamic provider of WorkloadReady needs pulumi-resource-pulumi-nodejs.
# Test files given (a *.test.ts argument) run alone; otherwise every e2e/k8s/*.test.ts runs.
specs=()
for a in "$@"; do case "$a" in *.test.ts) specs+=("$a") ;; esac; done
[ ${#specs[@]} -gt 0 ] || set -- "$@" e2e/k8s/*.test.ts
log "scenario (setup took $((SECONDS - t0)) s)"
t=$SECONDS
bash e2e/k8s/cluster.sh run env PATH="$PWD/node_modules/@pulumi/pulumi:$PATH" KUBECONFIG="$KUBECONFIG" \
  KUBECTL="$K8S_KUBE_BIN/kubectl" KAFKA_ENV_JMX_AGENT="$K8S_JMX_AGENT" \
  K8S_ZONE="${K8S_ZONE:-e2e-zone-a}" npx mocha --config e2e/k8s/.mocharc.json "$@"
log "scenario: $((SECONDS - t)) s; total $((SECONDS - t0)) s"
