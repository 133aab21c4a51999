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

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$script_dir/../.." && pwd)"
cache="${KAFKA_ENV_CACHE:-$HOME/.cache/kafka-env}"

readonly TOOL=pulumi-cli
# shellcheck source=e2e/toolchain/pulumi-go.sh
source "$script_dir/pulumi-go.sh"
parse_force "$@"

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

go_setup "$cache"
mkdir -p "$cache/pulumi"

work="$(mktemp -d "${TMPDIR:-/tmp}/kafka-env-pulumi-cli.XXXXXX")"
stage="$cache/pulumi/.staging-$requested.$$"
cleanup() { rm -rf "$work" "$stage"; }
trap cleanup EXIT
go_work_init "$work"

# --- Resolve versions --------------------------------------------------------

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
