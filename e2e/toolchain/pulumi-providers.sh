#!/usr/bin/env bash
# Build the Pulumi resource provider plugins `pulumi-resource-kafka` and
# `pulumi-resource-docker` from Go modules (through the Go module proxy) and
# cache them outside the repository, keyed by version:
#
#   ${KAFKA_ENV_CACHE:-$HOME/.cache/kafka-env}/plugins/<name>-v<version>/pulumi-resource-<name>
#
# The versions are those of the installed npm SDKs (`pulumi.version` in
# node_modules/@pulumi/{kafka,docker}/package.json), so run `npm ci` first.
#
# Usage:  e2e/toolchain/pulumi-providers.sh [kafka] [docker]   (default: both)
# Prints one line per plugin at the end: `<name> <version> <path>`.
# Idempotent: a plugin whose binary is already cached is not rebuilt.
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
# github.com/kreuzwerker/terraform-provider-docker). So this script writes a
# small wrapper module per plugin: a main package that maps the upstream
# Terraform provider onto the Pulumi package's tokens and property names (the
# ones the npm SDK uses) and serves it with tfbridge.Main. The mapping tables
# below are the small set of overrides on top of the bridge's standard naming.
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

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache="${KAFKA_ENV_CACHE:-$HOME/.cache/kafka-env}"
plugins_dir="$cache/plugins"

log() { printf '[pulumi-providers] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

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
# in place of hashicorp's (a `replace` in their go.mod files).
SDK_FORK_REPLACE='github.com/hashicorp/terraform-plugin-sdk/v2 => github.com/pulumi/terraform-plugin-sdk/v2 v2.0.0-20260318212141-5525259d096b'

# --- Go environment ----------------------------------------------------------

setup_go() {
  if [[ -z ${GO:-} ]]; then
    if [[ -x /usr/local/go/bin/go ]]; then GO=/usr/local/go/bin/go; else GO="$(command -v go)" || die "no go found"; fi
  fi
  export GOTOOLCHAIN=local
  export GOMODCACHE="$cache/go/mod" GOCACHE="$cache/go/build" GOPATH="$cache/go/path"
  # -mod=mod: the wrapper modules resolve their requirements at build time.
  export GOFLAGS="-mod=mod -buildvcs=false"
  # The checksum database is a separate server from the module proxy: when it
  # cannot be reached, module hashes are recorded without checking them against it.
  local sumdb
  sumdb="$("$GO" env GOSUMDB)"
  sumdb="${sumdb%% *}"     # "name[+key] [url]" -> "name[+key]"
  sumdb="${sumdb%%+*}"     # -> "name"
  if [[ $sumdb != off ]] &&
    ! { command -v curl >/dev/null && curl -fsS --max-time 5 -o /dev/null "https://$sumdb/latest" 2>/dev/null; }; then
    log "checksum database $sumdb unreachable: GOSUMDB=off (module hashes are not checked against it)"
    export GOSUMDB=off
  fi
  mkdir -p "$GOMODCACHE" "$GOCACHE" "$GOPATH"
}

# module_dir MODULE@VERSION: download a module, print its (read-only) directory.
module_dir() {
  local out dir
  out="$("$GO" mod download -json "$1")" || die "go mod download $1 failed: $out"
  dir="$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' <<<"$out")"
  [[ -n $dir && -d $dir ]] || die "go mod download $1: $out"
  printf '%s\n' "$dir"
}

# --- Wrapper modules -----------------------------------------------------------
# Each writer fills the (empty) directory $1 with a module whose main package
# is the plugin. `main.version` is stamped with -ldflags at build time.

write_kafka() {
  local dir="$1"
  cat >"$dir/go.mod" <<EOF
module kafka-env.local/pulumi-resource-kafka

go 1.25

require (
	$UPSTREAM_MOD $UPSTREAM_VER
	github.com/pulumi/pulumi-terraform-bridge/v3 $BRIDGE
)

replace $SDK_FORK_REPLACE
EOF
  cat >"$dir/main.go" <<'EOF'
// pulumi-resource-kafka: github.com/Mongey/terraform-provider-kafka served as
// the Pulumi package "kafka" through the Terraform bridge. Generated by
// e2e/toolchain/pulumi-providers.sh.
package main

import (
	"strings"
	"unicode"

	"github.com/Mongey/terraform-provider-kafka/kafka"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge/tokens"
	shimv2 "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfshim/sdk-v2"
)

var version = "0.0.0-dev" // set with -ldflags "-X main.version=..."

// envDefault: the provider setting defaults to the first set variable, else to value.
func envDefault(value interface{}, vars ...string) *tfbridge.SchemaInfo {
	return &tfbridge.SchemaInfo{Default: &tfbridge.DefaultInfo{EnvVars: vars, Value: value}}
}

func main() {
	info := tfbridge.ProviderInfo{
		P:       shimv2.NewProvider(kafka.Provider()),
		Name:    "kafka",
		Version: version,
		Config: map[string]*tfbridge.SchemaInfo{
			"sasl_mechanism":  envDefault("plain", "KAFKA_SASL_MECHANISM"),
			"skip_tls_verify": envDefault(false, "KAFKA_SKIP_VERIFY"),
			"tls_enabled":     envDefault(true, "KAFKA_ENABLE_TLS"),
		},
		Resources: map[string]*tfbridge.ResourceInfo{
			// The SDK renames these two Acl inputs.
			"kafka_acl": {Fields: map[string]*tfbridge.SchemaInfo{
				"resource_name": {Name: "aclResourceName"},
				"resource_type": {Name: "aclResourceType"},
			}},
		},
	}
	// Resources are kafka:index/<lowerName>:<Name>; functions are kafka:index:get<Name>.
	info.MustComputeTokens(tokens.SingleModule("kafka_", "index", func(module, name string) (string, error) {
		if strings.HasPrefix(name, "get") {
			return "kafka:" + module + ":" + name, nil
		}
		return "kafka:" + module + "/" + string(unicode.ToLower(rune(name[0]))) + name[1:] + ":" + name, nil
	}))
	tfbridge.Main("kafka", version, info, nil)
}
EOF
}

write_docker() {
  local dir="$1" src
  # The upstream provider keeps its Terraform provider in an internal package
  # and declares its module path as github.com/terraform-providers/...: copy
  # it into the wrapper and add a `shim` package that exposes the provider.
  src="$(module_dir "$UPSTREAM_MOD@$UPSTREAM_VER")"
  cp -R "$src" "$dir/upstream"
  chmod -R u+w "$dir/upstream"
  local upstream_path
  upstream_path="$(sed -n 's/^module[[:space:]]\{1,\}//p' "$dir/upstream/go.mod")"
  mkdir -p "$dir/upstream/shim"
  cat >"$dir/upstream/shim/shim.go" <<EOF
// Package shim exposes the SDKv2 provider of the internal provider package.
// Generated by e2e/toolchain/pulumi-providers.sh.
package shim

import (
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"

	"$upstream_path/internal/provider"
)

// NewProvider returns the Terraform (SDKv2) docker provider.
func NewProvider(version string) *schema.Provider { return provider.New(version)() }
EOF
  cat >"$dir/go.mod" <<EOF
module kafka-env.local/pulumi-resource-docker

go 1.25

require (
	$upstream_path v0.0.0
	github.com/pulumi/pulumi-terraform-bridge/v3 $BRIDGE
)

replace (
	$SDK_FORK_REPLACE
	$upstream_path => ./upstream
)
EOF
  sed "s#@UPSTREAM_PATH@#$upstream_path#; s#@UPSTREAM_VER@#$UPSTREAM_VER#" >"$dir/main.go" <<'EOF'
// pulumi-resource-docker: the Terraform docker provider (kreuzwerker) served
// as the Pulumi package "docker" through the Terraform bridge. Generated by
// e2e/toolchain/pulumi-providers.sh.
package main

import (
	"context"

	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge/tokens"
	shimv2 "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfshim/sdk-v2"

	"@UPSTREAM_PATH@/shim"
)

var version = "0.0.0-dev" // set with -ldflags "-X main.version=..."

func res(name string) *tfbridge.ResourceInfo {
	return &tfbridge.ResourceInfo{Tok: tfbridge.MakeResource("docker", "index", name)}
}

func fn(name string) *tfbridge.DataSourceInfo {
	return &tfbridge.DataSourceInfo{Tok: tfbridge.MakeDataSource("docker", "index", name)}
}

func main() {
	container := res("Container")
	container.DeleteBeforeReplace = true
	container.Fields = map[string]*tfbridge.SchemaInfo{
		"command":           {Name: "command"}, // one command: not pluralised
		"networks_advanced": {Name: "networksAdvanced"},
	}
	remoteImage := res("RemoteImage")
	remoteImage.Fields = map[string]*tfbridge.SchemaInfo{"name": {Name: "name"}}

	info := tfbridge.ProviderInfo{
		P:       shimv2.NewProvider(shim.NewProvider("@UPSTREAM_VER@")),
		Name:    "docker",
		Version: version,
		Config: map[string]*tfbridge.SchemaInfo{
			"host": {Default: &tfbridge.DefaultInfo{
				EnvVars: []string{"DOCKER_HOST"},
				ComputeDefault: func(context.Context, tfbridge.ComputeDefaultOptions) (interface{}, error) {
					return "unix:///var/run/docker.sock", nil
				},
			}},
			"registry_auth": {Name: "registryAuth", MaxItemsOne: tfbridge.False()},
		},
		// Names that differ from the bridge's standard mapping (docker_x -> docker:index/x:X).
		Resources: map[string]*tfbridge.ResourceInfo{
			"docker_config":    res("ServiceConfig"),
			"docker_container": container,
			"docker_image":     remoteImage,
		},
		DataSources: map[string]*tfbridge.DataSourceInfo{
			"docker_image": fn("getRemoteImage"),
		},
	}
	info.MustComputeTokens(tokens.SingleModule("docker_", "index", tokens.MakeStandard("docker")))
	tfbridge.Main("docker", version, info, nil)
}
EOF
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
  local name="$1" version="$2" dest="$3"
  pins "$name" "$version"
  mkdir -p "$cache/work" "$(dirname "$dest")"
  # A subshell, so that its EXIT trap removes the work directory however it ends.
  (
    start=$SECONDS
    work="$(mktemp -d "$cache/work/$name-v$version.XXXXXX")"
    trap 'rm -rf "$work"' EXIT
    log "building pulumi-resource-$name $version (bridge $BRIDGE, $UPSTREAM_MOD $UPSTREAM_VER) in $work"
    "write_$name" "$work"
    cd "$work"
    # Not `go mod tidy`: that also resolves the tests of dependencies, whose
    # modules (e.g. pulumi-java, via the bridge's tfgen) the proxy does not serve.
    "$GO" build -trimpath -ldflags "-s -w -X main.version=$version" -o "$work/pulumi-resource-$name" . ||
      die "building pulumi-resource-$name $version failed (see the go output above)"
    smoke_test "$work/pulumi-resource-$name" || die "pulumi-resource-$name $version does not start"
    # Install atomically: a concurrent reader never sees a half-written binary.
    mv "$work/pulumi-resource-$name" "$dest.tmp.$$"
    mv "$dest.tmp.$$" "$dest"
    log "built pulumi-resource-$name $version in $((SECONDS - start)) s"
  )
}

main() {
  local names=("$@") name version dest
  ((${#names[@]})) || names=(kafka docker)
  local -a results=() todo=()
  for name in "${names[@]}"; do
    case "$name" in kafka | docker) ;; *) die "unknown plugin '$name' (kafka, docker)" ;; esac
    version="$(sdk_version "$name")"
    dest="$plugins_dir/$name-v$version/pulumi-resource-$name"
    results+=("$name $version $dest")
    [[ -x $dest ]] || todo+=("$name $version $dest")
  done

  if ((${#todo[@]})); then
    setup_go
    mkdir -p "$plugins_dir"
    # One builder at a time per cache (flock from util-linux, when present).
    if command -v flock >/dev/null; then
      exec 9>"$plugins_dir/.lock"
      flock 9
    fi
    local entry
    for entry in "${todo[@]}"; do
      read -r name version dest <<<"$entry"
      # Another run may have built it while this one waited for the lock.
      [[ -x $dest ]] || build_plugin "$name" "$version" "$dest"
    done
  fi

  printf '%s\n' "${results[@]}"
}

main "$@"
