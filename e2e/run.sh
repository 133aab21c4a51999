#!/usr/bin/env bash
# `npm run test:e2e`: the end-to-end tests, for real (`e2e/run.sh FILE.test.ts`: one suite;
# `e2e/run.sh bench`: the startup benchmark; `e2e/run.sh profile`: the critical path of one `pulumi up`). Installs and starts a Docker-compatible
# engine (Podman), builds (or reuses, cached by version) the Pulumi CLI, the Node.js language host
# and the docker and kafka provider plugins, builds the local Kafka images, runs the scenario in
# e2e/*.test.ts, and stops the engine. Fails loudly when any of that cannot be done: it never
# passes by skipping.
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf '\n== e2e: %s\n' "$*" >&2; }
CACHE=${KAFKA_ENV_CACHE:-$HOME/.cache/kafka-env}
t0=$SECONDS

log "engine packages"
bash e2e/engine/install.sh

log "Pulumi CLI and Node.js language host"
PULUMI_BIN=$(bash e2e/toolchain/pulumi-cli.sh | tail -n 1)
[ -x "$PULUMI_BIN/pulumi" ] || { echo "no pulumi in $PULUMI_BIN" >&2; exit 1; }
# Dynamic providers (kafka-env's guards and waiters) run through pulumi-resource-pulumi-nodejs, which
# Pulumi's release archives ship beside the CLI; here it comes from the project's @pulumi/pulumi.
export PATH="$PULUMI_BIN:$PWD/node_modules/@pulumi/pulumi:$PATH"

log "provider plugins"
export PULUMI_HOME="$CACHE/pulumi-home"
export PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
while read -r name version path; do
    [ -x "$path" ] || { echo "plugin $name: no binary at $path" >&2; exit 1; }
    if ! pulumi plugin ls 2>/dev/null | grep -qE "^$name +resource +$version "; then
        pulumi plugin install resource "$name" "$version" -f "$path" >/dev/null
    fi
done < <(bash e2e/toolchain/pulumi-providers.sh | grep -E '^[a-z]+ [0-9.]+ /')
pulumi version
pulumi plugin ls

log "local Kafka images"
bash e2e/images/build.sh
# The JMX exporter agent (Maven Central, cached) for the suites that enable metrics.
bash e2e/k8s/build.sh jmx
export KAFKA_ENV_JMX_AGENT; KAFKA_ENV_JMX_AGENT=$(. e2e/k8s/versions.sh && echo "$K8S_JMX_AGENT")

log "engine"
ENGINE_DIR=$(mktemp -d /tmp/kenv-engine.XXXX)
eval "$(bash e2e/engine/start.sh "$ENGINE_DIR")"
trap 'bash e2e/engine/stop.sh "$ENGINE_DIR" --purge >/dev/null 2>&1 || true; rm -rf "$ENGINE_DIR"' EXIT
docker version --format 'engine: {{.Server.Version}} (API {{.Server.APIVersion}})'

if [ "${1:-}" = "bench" ]; then
    log "benchmark: pulumi up vs a docker script (setup took $((SECONDS - t0)) s)"
    npx ts-node --transpile-only bench/e2e-startup.ts
elif [ "${1:-}" = "profile" ]; then
    log "profile of one pulumi up (setup took $((SECONDS - t0)) s)"
    npx ts-node --transpile-only bench/profile.ts
else
    # Test files given (`npm run test:faults`) run alone; otherwise every e2e/*.test.ts runs.
    specs=()
    for a in "$@"; do case "$a" in *.test.ts) specs+=("$a") ;; esac; done
    [ ${#specs[@]} -gt 0 ] || set -- "$@" e2e/*.test.ts
    log "tests (setup took $((SECONDS - t0)) s)"
    npx mocha --config e2e/.mocharc.json "$@"
fi
log "done in $((SECONDS - t0)) s"
