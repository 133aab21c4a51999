# Helpers shared by the scripts that build Pulumi's Go programs from the Go module
# proxy (pulumi-cli.sh, pulumi-python.sh). Set TOOL (the prefix of progress lines) and
# source it; call `parse_force "$@"`, then `go_setup CACHE` and `go_work_init WORK`.
#
# Every program is built in a throw-away wrapper module under $work that requires the
# released modules at exact versions and copies their replace/exclude directives, so
# that no go.mod of this repository pins Pulumi's dependency graph.

# Flags of Pulumi's release builds; the version is stamped per binary.
readonly PULUMI_BUILD_TAGS=osusergo,grpcnotrace
readonly PULUMI_VERSION_VAR=github.com/pulumi/pulumi/sdk/v3/go/common/version.Version

log() { printf '%s: %s\n' "$TOOL" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# parse_force ARGS...: force=true for -f or --force, false for nothing; else usage.
parse_force() {
  force=false
  case "${1:-}" in
    "") ;;
    -f | --force) force=true ;;
    *) die "usage: $0 [--force]" ;;
  esac
}

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

# go_setup CACHE: pick the go command ($GO, else /usr/local/go/bin/go, else `go`) and
# point its module and build caches at CACHE/go/.
go_setup() {
  local cache="$1" sumdb proxy
  if [[ -z ${GO:-} ]]; then
    if [[ -x /usr/local/go/bin/go ]]; then GO=/usr/local/go/bin/go; else GO="$(command -v go)" || die "no go command found"; fi
  fi
  export GOTOOLCHAIN=local
  export GOMODCACHE="$cache/go/mod" GOCACHE="$cache/go/build" GOPATH="$cache/go/path"
  export GOPROXY="${GOPROXY:-https://proxy.golang.org}"
  # -mod=mod: the throw-away wrapper modules have no go.sum; go fills it in
  # (still checking every module against the checksum database, see below).
  export GOFLAGS="-mod=mod -buildvcs=false"
  # Static binaries that need no C compiler.
  export CGO_ENABLED=0
  mkdir -p "$GOMODCACHE" "$GOCACHE" "$GOPATH"

  # The go command reaches the checksum database through the module proxy when
  # the proxy supports that, else directly. If neither answers, turn checking off
  # (module hashes are then recorded in go.sum unverified) rather than fail.
  [[ -z ${GOSUMDB:-} && -z ${GONOSUMDB:-} ]] || return 0
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
}

# go_work_init WORK: use WORK (an empty directory the caller removes) for the wrapper
# modules, with a probe module in WORK/probe for `go list` and `go mod download`.
go_work_init() {
  work="$1"
  mkdir -p "$work/probe"
  (cd "$work/probe" && "$GO" mod init kafka-env.local/probe 2>/dev/null)
}

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

# module_json MODULE@VERSION FIELD: a field (Dir, GoMod, ...) of `go mod download -json`.
module_json() {
  (cd "$work/probe" && "$GO" mod download -json "$1") | sed -n "s/^[[:space:]]*\"$2\": *\"\([^\"]*\)\".*/\1/p"
}

# build_in_wrapper NAME PACKAGE VERSION OUTPUT MODULE@VERSION...: build PACKAGE
# in a fresh module that requires the given modules and copies the replaces of
# the first one; stamp VERSION into the binary. PACKAGE is an import path, or a
# directory of this repository holding a main package and its go.mod.
build_in_wrapper() {
  local name="$1" package="$2" version="$3" output="$4"
  shift 4
  local dir="$work/$name" m
  mkdir -p "$dir"
  (
    cd "$dir"
    if [[ -d $package ]]; then
      cp -R "$package/." .
      package=.
    else
      "$GO" mod init "kafka-env.local/build/$name" 2>/dev/null
    fi
    for m in "$@"; do "$GO" mod edit -require="$m"; done
    copy_replaces "$(module_json "$1" GoMod)"
    # This repository's own Go (a directory, not a released module) is vetted first.
    if [[ $package == . ]]; then "$GO" vet -tags "$PULUMI_BUILD_TAGS" . || die "go vet of $name failed (see above)"; fi
    log "building $name from $package ($version)"
    "$GO" build -trimpath -tags "$PULUMI_BUILD_TAGS" \
      -ldflags "-s -w -X $PULUMI_VERSION_VAR=$version" -o "$output" "$package"
  )
}
