#!/usr/bin/env bash
# Build the Pulumi CLI (`pulumi`) and the Node.js language host
# (`pulumi-language-nodejs`) from Go modules, and cache them outside the repo.
#
# The `pulumi` npm package only downloads the CLI on first use, which cannot
# work on machines that reach nothing but package registries. Both programs
# are Go code published as Go modules, so we build them with the local Go
# toolchain through the Go module proxy instead.
#
# Usage:
#   e2e/toolchain/pulumi-cli.sh [--force]
#   PATH="$(e2e/toolchain/pulumi-cli.sh | tail -n 1):$PATH"
#
# The last line on stdout is the bin directory holding `pulumi` and
# `pulumi-language-nodejs`; progress goes to stderr. When the binaries for the
# requested version are already cached the script prints the path and exits
# at once (--force rebuilds them).
#
# Environment:
#   KAFKA_ENV_CACHE     cache root (default $HOME/.cache/kafka-env). Binaries go
#                       to $KAFKA_ENV_CACHE/pulumi/v<version>/bin; Go's module
#                       and build caches live under $KAFKA_ENV_CACHE/go/ (shared
#                       with pulumi-providers.sh).
#   PULUMI_CLI_VERSION  version to build (default: the version of the installed
#                       npm package @pulumi/pulumi, e.g. 3.270.0).
#   GO                  the go command (default /usr/local/go/bin/go, else `go`).
#
# Version choice:
#   - CLI: module github.com/pulumi/pulumi/pkg/v3 at the requested version. If
#     the module proxy does not serve that exact version (it served no zip for
#     pkg/v3 v3.270.0 when this was written), the oldest served release newer
#     than it is built instead: a newer CLI runs programs written against an
#     older Node.js SDK. The cache directory stays keyed by the requested
#     version; $dir/VERSIONS records what was actually built.
#   - Node.js language host: since pulumi v3.69 it is its own, untagged module
#     (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3),
#     which the module proxy reachable here does not serve at any version. The
#     last release that shipped it inside the SDK module (sdk/v3 v3.68.0,
#     package .../sdk/v3/nodejs/cmd/pulumi-language-nodejs) is built instead.
#     The CLI falls back to the older RPCs it implements (GetRequiredPlugins
#     instead of GetRequiredPackages), and the npm package's program runner
#     still takes the arguments it passes. That is enough for a TypeScript
#     program with providers on a file backend; newer host-only features
#     (`pulumi install`, packages declared in Pulumi.yaml, TypeScript-authored
#     plugins and policy packs) are not covered.
#
# Not built: pulumi-analyzer-policy (policy packs) and the dynamic-provider
# launcher pulumi-resource-pulumi-nodejs (only for pulumi.dynamic.Resource).

set -euo pipefail

readonly CLI_MODULE=github.com/pulumi/pulumi/pkg/v3
readonly SDK_MODULE=github.com/pulumi/pulumi/sdk/v3
readonly CLI_PACKAGE=$CLI_MODULE/cmd/pulumi
# Last SDK release that contains the Node.js language host (see above).
readonly NODEJS_HOST_SDK_VERSION=v3.68.0
readonly NODEJS_HOST_PACKAGE=$SDK_MODULE/nodejs/cmd/pulumi-language-nodejs
# Flags of Pulumi's release builds; the version is stamped per binary.
readonly BUILD_TAGS=osusergo,grpcnotrace
readonly VERSION_VAR=$SDK_MODULE/go/common/version.Version

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$script_dir/../.." && pwd)"
cache="${KAFKA_ENV_CACHE:-$HOME/.cache/kafka-env}"

log() { printf 'pulumi-cli: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

force=false
case "${1:-}" in
  "") ;;
  -f | --force) force=true ;;
  *) die "usage: $0 [--force]" ;;
esac

# --- Which version -----------------------------------------------------------

# npm_sdk_version: the installed @pulumi/pulumi version, read without Node
# (from node_modules, else from package-lock.json).
npm_sdk_version() {
  local pkg="$repo_root/node_modules/@pulumi/pulumi/package.json"
  local lock="$repo_root/package-lock.json" v=""
  if [[ -f $pkg ]]; then
    v="$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$pkg" | head -n 1)"
  elif [[ -f $lock ]]; then
    v="$(awk '/"node_modules\/@pulumi\/pulumi": *\{/ { f = 1 }
              f && /"version":/ { gsub(/[",]/, "", $2); print $2; exit }' "$lock")"
  fi
  [[ -n $v ]] || die "cannot find the @pulumi/pulumi version: run npm ci first, or set PULUMI_CLI_VERSION"
  printf '%s\n' "$v"
}

requested="${PULUMI_CLI_VERSION:-$(npm_sdk_version)}"
requested="v${requested#v}"
[[ $requested =~ ^v3\.[0-9]+\.[0-9]+$ ]] || die "unexpected Pulumi version '$requested' (want 3.x.y)"

dest="$cache/pulumi/$requested"
bin="$dest/bin"

installed() { [[ -x $bin/pulumi && -x $bin/pulumi-language-nodejs ]]; }

if ! $force && installed; then
  log "cached: $(tr '\n' ' ' 2>/dev/null <"$dest/VERSIONS" || true)"
  printf '%s\n' "$bin"
  exit 0
fi

# --- Go environment ----------------------------------------------------------

if [[ -z ${GO:-} ]]; then
  if [[ -x /usr/local/go/bin/go ]]; then GO=/usr/local/go/bin/go; else GO="$(command -v go)" || die "no go command found"; fi
fi
export GOTOOLCHAIN=local
export GOMODCACHE="$cache/go/mod" GOCACHE="$cache/go/build" GOPATH="$cache/go/path"
export GOPROXY="${GOPROXY:-https://proxy.golang.org}"
# -mod=mod: the throw-away wrapper modules below have no go.sum; go fills it in
# (still checking every module against the checksum database, see below).
export GOFLAGS="-mod=mod -buildvcs=false"
# Static binaries that need no C compiler.
export CGO_ENABLED=0
mkdir -p "$GOMODCACHE" "$GOCACHE" "$GOPATH" "$cache/pulumi"

# http_ok URL: true when URL answers 2xx within a few seconds.
http_ok() {
  if command -v curl >/dev/null; then
    curl -fsS --max-time 10 -o /dev/null "$1" 2>/dev/null
  elif command -v wget >/dev/null; then
    wget -q -T 10 -O /dev/null "$1" 2>/dev/null
  else
    return 2
  fi
}

# The go command reaches the checksum database through the module proxy when
# the proxy supports that, else directly. If neither answers, turn checking off
# (module hashes are then recorded in go.sum unverified) rather than fail.
if [[ -z ${GOSUMDB:-} && -z ${GONOSUMDB:-} ]]; then
  sumdb="$("$GO" env GOSUMDB)"
  sumdb="${sumdb%% *}"
  sumdb="${sumdb%%+*}"
  proxy="${GOPROXY%%[,|]*}"
  if [[ $sumdb == off ]]; then
    :
  elif http_ok "$proxy/sumdb/$sumdb/supported" || http_ok "https://$sumdb/latest"; then
    :
  elif [[ $? -eq 2 ]]; then
    log "neither curl nor wget: leaving the checksum database setting as it is"
  else
    log "checksum database $sumdb unreachable: GOSUMDB=off (hashes are not verified)"
    export GOSUMDB=off
  fi
fi

# --- Helpers -----------------------------------------------------------------

work="$(mktemp -d "${TMPDIR:-/tmp}/kafka-env-pulumi-cli.XXXXXX")"
stage="$cache/pulumi/.staging-$requested.$$"
cleanup() { rm -rf "$work" "$stage"; }
trap cleanup EXIT

# served_versions MODULE: the plain release versions the proxy lists, oldest first.
served_versions() {
  (cd "$work/probe" && "$GO" list -m -versions "$1") | tr ' ' '\n' | grep -E '^v[0-9]+\.[0-9]+\.[0-9]+$' | sort -V
}

# copy_replaces GOMOD: apply the replace and exclude directives of a dependency's
# go.mod to the wrapper module in the current directory. Replacements that point
# at a local directory (`../sdk`) only make sense inside the source repository;
# the caller requires those modules at a matching version instead.
copy_replaces() {
  awk '
    { sub(/\/\/.*/, "") }
    /^(replace|exclude)[ \t]*\(/ { blk = $1; next }
    blk != "" && /^[ \t]*\)/    { blk = ""; next }
    blk != "" && NF             { print blk, $0; next }
    /^(replace|exclude)[ \t]/   { print }
  ' "$1" | while read -r kind rest; do
    if [[ $kind == exclude ]]; then
      read -r mod ver <<<"$rest"
      "$GO" mod edit -exclude="$mod@$ver"
      continue
    fi
    local old="${rest%%=>*}" new="${rest#*=>}"
    read -r -a old <<<"$old"
    read -r -a new <<<"$new"
    case "${new[0]}" in ./* | ../* | /*) log "  skip local replace ${old[0]} => ${new[0]}"; continue ;; esac
    log "  replace ${old[*]} => ${new[*]}"
    "$GO" mod edit -replace="$(IFS=@; echo "${old[*]}")=$(IFS=@; echo "${new[*]}")"
  done
}

# gomod_of MODULE@VERSION: path of that module's go.mod in the module cache.
gomod_of() {
  (cd "$work/probe" && "$GO" mod download -json "$1") | sed -n 's/^[[:space:]]*"GoMod": *"\([^"]*\)".*/\1/p'
}

# build_in_wrapper NAME PACKAGE VERSION OUTPUT MODULE@VERSION...: build PACKAGE
# in a fresh module that requires the given modules and copies the replaces of
# the first one; stamp VERSION into the binary.
build_in_wrapper() {
  local name="$1" package="$2" version="$3" output="$4"
  shift 4
  local dir="$work/$name" m
  mkdir -p "$dir"
  (
    cd "$dir"
    "$GO" mod init "kafka-env.local/build/$name" 2>/dev/null
    for m in "$@"; do "$GO" mod edit -require="$m"; done
    copy_replaces "$(gomod_of "$1")"
    log "building $package ($version)"
    "$GO" build -trimpath -tags "$BUILD_TAGS" \
      -ldflags "-s -w -X $VERSION_VAR=$version" -o "$output" "$package"
  )
}

# --- Resolve versions --------------------------------------------------------

mkdir -p "$work/probe"
(cd "$work/probe" && "$GO" mod init kafka-env.local/probe 2>/dev/null)

# The oldest served release >= the requested one, for both the CLI module and
# the SDK module it is built with (they are released together).
cli_version=""
cli_served="$(served_versions "$CLI_MODULE")"
sdk_served="$(served_versions "$SDK_MODULE")"
for v in $cli_served; do
  if [[ "$(printf '%s\n%s\n' "$requested" "$v" | sort -V | head -n 1)" == "$requested" ]] &&
    grep -qx -- "$v" <<<"$sdk_served"; then
    cli_version="$v"
    break
  fi
done
[[ -n $cli_version ]] || die "the module proxy serves no $CLI_MODULE release >= $requested"
if [[ $cli_version != "$requested" ]]; then
  log "$CLI_MODULE@$requested is not served by the module proxy; building $cli_version instead"
fi

# --- Build -------------------------------------------------------------------

rm -rf "$stage"
mkdir -p "$stage/bin"

build_in_wrapper pulumi "$CLI_PACKAGE" "$cli_version" "$stage/bin/pulumi" \
  "$CLI_MODULE@$cli_version" "$SDK_MODULE@$cli_version"

build_in_wrapper pulumi-language-nodejs "$NODEJS_HOST_PACKAGE" "$NODEJS_HOST_SDK_VERSION" \
  "$stage/bin/pulumi-language-nodejs" "$SDK_MODULE@$NODEJS_HOST_SDK_VERSION"

"$stage/bin/pulumi" version >/dev/null || die "the built pulumi binary does not run"

cat >"$stage/VERSIONS" <<EOF
requested=$requested
pulumi=$cli_version
pulumi-language-nodejs=$NODEJS_HOST_SDK_VERSION
go=$("$GO" env GOVERSION)
EOF

# Swap the finished directory in; a concurrent run that finished first wins.
if $force; then rm -rf "$dest"; fi
if ! installed; then
  rm -rf "$dest"
  mv "$stage" "$dest"
fi

log "installed: $(tr '\n' ' ' <"$dest/VERSIONS")"
printf '%s\n' "$bin"
