#!/usr/bin/env bash
# CI: a newcomer's first commands, from this clone. `npm run up` of the dev stack with no pulumi
# on PATH (the CLI must come through the fallback: the one e2e/toolchain/ builds into the shared
# cache) and no Docker API (the project's Podman engine must be started); a producer and a consumer
# through the stack's bootstrapServers; `npm run down`; then nothing left: no container, volume or
# network of the environment, no engine, and `git status --porcelain` as before (empty in a clone).
# Uses the toolchain and images the end-to-end tests cached in ~/.cache/kafka-env: about a minute.
set -euo pipefail
cd "$(dirname "$0")/../.."
t0=$SECONDS
die() { printf 'e2e/dev: %s\n' "$*" >&2; exit 1; }

# Every PATH entry that holds a pulumi goes: only the fallback may find one.
keep=()
IFS=: read -ra dirs <<<"$PATH"
for d in "${dirs[@]}"; do [ -x "$d/pulumi" ] || keep+=("$d"); done
PATH=$(IFS=:; echo "${keep[*]}")
if command -v pulumi >/dev/null; then die "a pulumi is still on PATH: $(command -v pulumi)"; fi
unset DOCKER_HOST PULUMI_CONFIG_PASSPHRASE PULUMI_CONFIG_PASSPHRASE_FILE PULUMI_HOME
# The stack's state on a throw-away backend: never a developer's dev stack in ~/.pulumi.
state=$(mktemp -d /tmp/kafka-env-dev-state.XXXXXX)
export PULUMI_BACKEND_URL="file://$state"
log=$(mktemp /tmp/kafka-env-dev-up.XXXXXX)
before=$(git status --porcelain)

cleanup() {   # after a failure: the environment and its engine must not outlive the run
    if [ -n "${up_done:-}" ] && [ -z "${down_done:-}" ]; then npm run down >&2 || true; fi
    rm -rf "$state" "$log"
}
trap cleanup EXIT

up_done=1
npm run up 2>&1 | tee "$log"
grep -q '^Pulumi CLI: none on PATH' "$log" || die "npm run up did not use the fallback Pulumi CLI"
grep -q "starting the project's Podman engine" "$log" || die "npm run up did not start the project's engine"
npx ts-node --transpile-only e2e/dev/roundtrip.ts
npm run down
down_done=1

[ ! -e "${KAFKA_ENV_DEV_ENGINE_DIR:-/tmp/kafka-env-dev-engine}" ] || die "the engine npm run up started is still recorded"
after=$(git status --porcelain)
[ "$after" = "$before" ] || die "the checkout changed: $(diff <(echo "$before") <(echo "$after") || true)"
echo "e2e/dev: npm run up, produce/consume, npm run down, clean checkout: $((SECONDS - t0)) s"
