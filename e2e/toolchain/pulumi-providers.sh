#!/usr/bin/env bash
# Build the Pulumi resource provider plugins `pulumi-resource-kafka` and
# `pulumi-resource-docker` from Go modules (through the Go module proxy) and
# cache them outside the repository, keyed by version:
#
#   ${KAFKA_ENV_CACHE:-$HOME/.cache/kafka-env}/plugins/<name>-v<version>/pulumi-resource-<name>
#
# with, beside each binary, `pulumi-resource-<name>.key`: a hash of its inputs
# (providers/<name>/, the pins, the build flags, this script).
# The versions are those of the installed npm SDKs (`pulumi.version` in
# node_modules/@pulumi/{kafka,docker}/package.json), so run `npm ci` first.
#
# Usage:  e2e/toolchain/pulumi-providers.sh [kafka] [docker]   (default: both)
# Prints one line per plugin at the end: `<name> <version> <path>`.
# Idempotent: a plugin whose binary is cached with the same inputs key is not
# rebuilt; a change of its inputs rebuilds it (Go's build cache, under the same
# cache root, keeps that quick).
#
# How the plugins are built
# -------------------------
# Pulumi's own provider modules (github.com/pulumi/pulumi-kafka/provider/v3,
# github.com/pulumi/pulumi-docker/provider/v5) are NOT served by the module
# proxy reachable here (every version answers "403 This module version is not
# available"). Everything they are made of is served, though: the Terraform
# bridge (github.com/pulumi/pulumi-terraform-bridge/v3), Pulumi's fork of the
# Terraform plugin SDK, and the upstream Terraform providers
# (github.com/Mongey/terraform-provider-kafka,
# github.com/kreuzwerker/terraform-provider-docker). So each plugin is a small
# wrapper module, e2e/toolchain/providers/<name>/: a main package that maps the
# upstream Terraform provider onto the Pulumi package's tokens and property
# names (the ones the npm SDK uses) and serves it with tfbridge.Main. Its
# mapping tables are the small set of overrides on top of the bridge's standard
# naming. `go vet` checks it before it is built; `npm run lint` runs gofmt on it.
#
# Every resource and function token and every top-level property name of these
# plugins was checked against @pulumi/kafka 3.13.2 and @pulumi/docker 5.2.0.
# Differences from the official plugins (none matter for Node programs that use
# the bridged resources):
#   - no embedded Pulumi schema: `GetSchema` answers empty and provider config
#     is not type-checked against a schema (the bridge skips it when absent);
#   - docker: the native `docker.Image` (build-and-push) resource of
#     pulumi-docker is not implemented; every Terraform-bridged resource
#     (Container, Network, Volume, RemoteImage, ...) and function is.
#
# Environment:
#   KAFKA_ENV_CACHE  cache root (default $HOME/.cache/kafka-env); Go's module and
#                    build caches live under $KAFKA_ENV_CACHE/go/
#   GO               go binary (default /usr/local/go/bin/go, else `go` on PATH)
#   GOPROXY, GOSUMDB as usual; GOSUMDB is set to off when its server cannot be
#                    reached (the module proxy is reachable, the checksum DB is not)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"
cache="${KAFKA_ENV_CACHE:-$HOME/.cache/kafka-env}"
plugins_dir="$cache/plugins"

readonly TOOL=pulumi-providers
# shellcheck source=pulumi-go.sh
source "$here/pulumi-go.sh"

# --- Which versions ----------------------------------------------------------

# sdk_version NAME: the `pulumi.version` of node_modules/@pulumi/NAME/package.json
# (the plugin version the SDK asks the engine for).
sdk_version() {
  local pkg="$repo_root/node_modules/@pulumi/$1/package.json" v
  [[ -f $pkg ]] || die "$pkg not found: run 'npm ci' first"
  # The first "version" after the line opening the "pulumi": { ... } object.
  v="$(awk '/"pulumi"[[:space:]]*:[[:space:]]*\{/ { inside = 1 }
            inside && /"version"[[:space:]]*:/ {
              sub(/.*"version"[[:space:]]*:[[:space:]]*"/, ""); sub(/".*/, ""); print; exit }' "$pkg")"
  [[ -n $v ]] || die "no pulumi.version in $pkg"
  printf '%s\n' "$v"
}

# Pin table: plugin version -> the Go modules it is built from. Add a row when
# the npm SDK is upgraded (the matching upstream version is in the provider's
# release notes / go.mod). Sets BRIDGE, UPSTREAM_MOD, UPSTREAM_VER.
pins() {
  local name="$1" version="$2"
  case "$name@$version" in
    kafka@3.13.2)
      BRIDGE=v3.133.0
      UPSTREAM_MOD=github.com/Mongey/terraform-provider-kafka
      UPSTREAM_VER=v0.13.1 ;;
    docker@5.2.0)
      BRIDGE=v3.137.0
      UPSTREAM_MOD=github.com/kreuzwerker/terraform-provider-docker
      UPSTREAM_VER=v0.0.0-20260916201441-96d331c98ff4 ;;
    *) die "no pins for $name $version: add a row to pins() in ${BASH_SOURCE[0]}" ;;
  esac
}

# Pulumi's fork of the Terraform plugin SDK, which every bridged provider uses
# in place of hashicorp's (a `replace` in their go.mod files; `go mod edit -replace` form).
SDK_FORK_REPLACE='github.com/hashicorp/terraform-plugin-sdk/v2=github.com/pulumi/terraform-plugin-sdk/v2@v2.0.0-20260318212141-5525259d096b'

# --- Go environment ----------------------------------------------------------
# go_setup (pulumi-go.sh, shared with pulumi-cli.sh and pulumi-python.sh) picks the go
# command and points Go's module and build caches at $cache/go/.

# module_dir MODULE@VERSION: download a module, print its (read-only) directory.
module_dir() {
  local out dir
  out="$("$GO" mod download -json "$1")" || die "go mod download $1 failed: $out"
  dir="$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' <<<"$out")"
  [[ -n $dir && -d $dir ]] || die "go mod download $1: $out"
  printf '%s\n' "$dir"
}

# --- Wrapper modules -----------------------------------------------------------
# e2e/toolchain/providers/<name>/ is a Go module whose main package is the
# plugin. The versions it is built from are added here, with `go mod edit`, from
# the pins above; a provider folder holding upstream/ gets a copy of the upstream
# module there (the go.mod replaces the upstream module path with ./upstream).

# ldflags NAME VERSION: the linker flags that stamp the versions into main
# (main.upstreamVersion, the Terraform provider's, is used by the docker plugin;
# the linker ignores -X for a variable a program does not have).
ldflags() { printf '%s' "-s -w -X main.version=$2 -X main.upstreamVersion=$UPSTREAM_VER"; }

# inputs_key NAME VERSION: a hash of everything the binary is built from (the
# provider's folder, the pins, the build flags, this script), stored beside the
# cached binary: a change of any of them rebuilds the plugin.
inputs_key() {
  { printf '%s\n' "$BRIDGE $UPSTREAM_MOD $UPSTREAM_VER $SDK_FORK_REPLACE" "$(ldflags "$1" "$2")"
    cd "$here" && find "providers/$1" pulumi-providers.sh -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
  } | sha256sum | cut -c1-16
}

# prepare_module NAME DIR: fill the (empty) directory DIR with the module to build.
prepare_module() {
  local name="$1" dir="$2" src
  cp -R "$here/providers/$name/." "$dir/"
  local -a edits=(-replace="$SDK_FORK_REPLACE" -require="github.com/pulumi/pulumi-terraform-bridge/v3@$BRIDGE")
  if [[ -d $dir/upstream ]]; then
    src="$(module_dir "$UPSTREAM_MOD@$UPSTREAM_VER")"
    cp -R "$src/." "$dir/upstream/"
    chmod -R u+w "$dir/upstream"
  else
    edits+=(-require="$UPSTREAM_MOD@$UPSTREAM_VER")
  fi
  (cd "$dir" && "$GO" mod edit "${edits[@]}")
}

# --- Build, check, install -----------------------------------------------------

# smoke_test BINARY: a plugin started with no arguments prints its gRPC port on
# stdout and then serves until killed.
smoke_test() {
  local bin="$1" out pid port=""
  out="$(mktemp)"
  "$bin" >"$out" 2>"$out.err" &
  pid=$!
  for _ in $(seq 1 300); do  # up to 30 s
    port="$(head -n1 "$out" | tr -d '[:space:]')"
    [[ -n $port ]] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [[ ! $port =~ ^[0-9]+$ ]]; then
    log "$bin did not print a port; stdout: $(cat "$out"); stderr: $(cat "$out.err")"
    rm -f "$out" "$out.err"
    return 1
  fi
  rm -f "$out" "$out.err"
  log "smoke test: $(basename "$bin") listened on port $port"
}

build_plugin() {
  local name="$1" version="$2" dest="$3" key="$4"
  pins "$name" "$version"
  mkdir -p "$cache/work" "$(dirname "$dest")"
  # A subshell, so that its EXIT trap removes the work directory however it ends.
  (
    start=$SECONDS
    work="$(mktemp -d "$cache/work/$name-v$version.XXXXXX")"
    trap 'rm -rf "$work"' EXIT
    log "building pulumi-resource-$name $version (bridge $BRIDGE, $UPSTREAM_MOD $UPSTREAM_VER) in $work"
    prepare_module "$name" "$work"
    cd "$work"
    # Not `go mod tidy`: that also resolves the tests of dependencies, whose
    # modules (e.g. pulumi-java, via the bridge's tfgen) the proxy does not serve;
    # vet and build fill go.mod in (-mod=mod). Vetted: the main package and the
    # shim package in ./upstream, if any.
    local -a pkgs=(.)
    [[ ! -d upstream/shim ]] || pkgs+=("$(sed -n 's/^module[[:space:]]\{1,\}//p' upstream/go.mod)/shim")
    "$GO" vet "${pkgs[@]}" || die "go vet of pulumi-resource-$name $version failed (see above)"
    "$GO" build -trimpath -ldflags "$(ldflags "$name" "$version")" -o "$work/pulumi-resource-$name" . ||
      die "building pulumi-resource-$name $version failed (see the go output above)"
    smoke_test "$work/pulumi-resource-$name" || die "pulumi-resource-$name $version does not start"
    # Install atomically (a concurrent reader never sees a half-written binary),
    # the binary first, then the key that marks it current.
    mv "$work/pulumi-resource-$name" "$dest.tmp.$$"
    mv "$dest.tmp.$$" "$dest"
    printf '%s\n' "$key" >"$dest.key.tmp.$$"
    mv "$dest.key.tmp.$$" "$dest.key"
    log "built pulumi-resource-$name $version in $((SECONDS - start)) s"
  )
}

# current BINARY KEY: the cached binary exists and was built from these inputs.
current() { [[ -x $1 && -f $1.key && $(<"$1.key") == "$2" ]]; }

main() {
  local names=("$@") name version dest key
  ((${#names[@]})) || names=(kafka docker)
  local -a results=() todo=()
  for name in "${names[@]}"; do
    case "$name" in kafka | docker) ;; *) die "unknown plugin '$name' (kafka, docker)" ;; esac
    version="$(sdk_version "$name")"
    dest="$plugins_dir/$name-v$version/pulumi-resource-$name"
    pins "$name" "$version"
    key="$(inputs_key "$name" "$version")"
    results+=("$name $version $dest")
    current "$dest" "$key" || todo+=("$name $version $dest $key")
  done

  if ((${#todo[@]})); then
    go_setup "$cache"
    mkdir -p "$plugins_dir"
    # One builder at a time per cache (flock from util-linux, when present).
    if command -v flock >/dev/null; then
      exec 9>"$plugins_dir/.lock"
      flock 9
    fi
    local entry
    for entry in "${todo[@]}"; do
      read -r name version dest key <<<"$entry"
      # Another run may have built it while this one waited for the lock.
      current "$dest" "$key" || build_plugin "$name" "$version" "$dest" "$key"
    done
  fi

  printf '%s\n' "${results[@]}"
}

main "$@"
