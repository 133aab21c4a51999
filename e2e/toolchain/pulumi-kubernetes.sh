#!/usr/bin/env bash
# Build the Pulumi Kubernetes provider plugin `pulumi-resource-kubernetes` from the Go module proxy
# and cache it outside the repository, keyed by version (as pulumi-providers.sh does for kafka and
# docker):
#
#   ${KAFKA_ENV_CACHE:-$HOME/.cache/kafka-env}/plugins/kubernetes-v<version>/pulumi-resource-kubernetes
#
# Prints `kubernetes <version> <path>` at the end. The version is the installed npm SDK's
# (node_modules/@pulumi/kubernetes, else package-lock.json).
#
# How: the proxy serves exactly one version of github.com/pulumi/pulumi-kubernetes/provider/v4,
# a pseudo-version from January 2026 (PROVIDER_MODULE below); it is labelled with the npm SDK's
# version. Its go.mod replaces the SDK module with ../sdk (a path inside the source repository):
# that replace is dropped (the required SDK version is served), and the embedded schema, which is
# generated and not shipped in the module, is generated with the module's own generate.go.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache="${KAFKA_ENV_CACHE:-$HOME/.cache/kafka-env}"
PROVIDER_MODULE=${PROVIDER_MODULE:-github.com/pulumi/pulumi-kubernetes/provider/v4@v4.0.0-20260115033456-f47bc2d6f199}
log() { printf '[pulumi-kubernetes %(%T)T] %s\n' -1 "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

version() {
  local pkg="$repo_root/node_modules/@pulumi/kubernetes/package.json" lock="$repo_root/package-lock.json" v=""
  if [[ -f $pkg ]]; then
    v="$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$pkg" | head -n 1)"
  elif [[ -f $lock ]]; then
    v="$(awk '/"node_modules\/@pulumi\/kubernetes": *\{/ { f = 1 } f && /"version":/ { gsub(/[",]/, "", $2); print $2; exit }' "$lock")"
  fi
  [[ -n $v ]] || die "cannot find the @pulumi/kubernetes version: run npm ci first"
  printf '%s\n' "$v"
}

label="$(version)"
dest="$cache/plugins/kubernetes-v$label/pulumi-resource-kubernetes"
if [[ ! -x $dest ]]; then
  GO=${GO:-$( [ -x /usr/local/go/bin/go ] && echo /usr/local/go/bin/go || command -v go)}
  export GOTOOLCHAIN=local GOMODCACHE="$cache/go/mod" GOCACHE="$cache/go/build" GOPATH="$cache/go/path"
  export GOFLAGS="-buildvcs=false" CGO_ENABLED=0
  if [[ -z ${GOSUMDB:-} ]] && ! curl -fsS --max-time 5 -o /dev/null https://sum.golang.org/latest 2>/dev/null; then
    export GOSUMDB=off; log "sum.golang.org unreachable: GOSUMDB=off (module hashes are not checked against it)"
  fi
  mkdir -p "$cache/work" "$(dirname "$dest")"
  exec 9>"$cache/plugins/.lock-kubernetes"; flock 9
  if [[ ! -x $dest ]]; then
    t=$SECONDS
    work="$(mktemp -d "$cache/work/kubernetes-v$label.XXXXXX")"
    trap 'rm -rf "$work"' EXIT
    log "building pulumi-resource-kubernetes $label from $PROVIDER_MODULE"
    src="$("$GO" mod download -json "$PROVIDER_MODULE" | sed -n 's/.*"Dir": "\(.*\)",*/\1/p')"
    [[ -d $src ]] || die "go mod download $PROVIDER_MODULE failed"
    cp -r "$src"/. "$work" && chmod -R u+w "$work" && cd "$work"
    "$GO" mod edit -dropreplace github.com/pulumi/pulumi-kubernetes/sdk/v4
    (cd cmd/pulumi-resource-kubernetes && VERSION=$label nice -n 19 "$GO" run -mod=mod ./generate.go) || die "schema generation failed"
    nice -n 19 "$GO" build -mod=mod -trimpath \
      -ldflags "-s -w -X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$label" \
      -o "$work/pulumi-resource-kubernetes" ./cmd/pulumi-resource-kubernetes || die "go build failed"
    mv "$work/pulumi-resource-kubernetes" "$dest.tmp.$$" && mv "$dest.tmp.$$" "$dest"
    log "built pulumi-resource-kubernetes $label in $((SECONDS - t)) s"
  fi
fi
printf 'kubernetes %s %s\n' "$label" "$dest"
