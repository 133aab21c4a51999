#!/usr/bin/env bash
# Installs, from Debian's packages, what the e2e container engine and the local image
# build need: Podman (serving the Docker API) with runc, netavark/aardvark-dns (user
# networks with name resolution), iptables (port publishing), catatonit (--init),
# mmdebstrap (image root file systems), Maven + a JDK (Kafka jars from Maven Central)
# and the docker CLI when it is missing.
# Idempotent: does nothing when everything is there; quiet unless something fails.
set -euo pipefail

log() { printf 'e2e/engine/install: %s\n' "$*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
  log "must run as root (apt-get install)"; exit 1
fi

# command -> Debian package
declare -A want=(
  [podman]=podman
  [runc]=runc
  [conmon]=conmon
  [/usr/lib/podman/netavark]=netavark
  [/usr/lib/podman/aardvark-dns]=aardvark-dns
  [iptables]=iptables
  [catatonit]=catatonit
  [mmdebstrap]=mmdebstrap
  [mvn]=maven
  [javac]=openjdk-17-jdk-headless
  [unzip]=unzip
)
missing=()
for cmd in "${!want[@]}"; do
  case "$cmd" in
    /*) [ -x "$cmd" ] || missing+=("${want[$cmd]}") ;;
    *) command -v "$cmd" >/dev/null 2>&1 || missing+=("${want[$cmd]}") ;;
  esac
done
# The docker CLI (only a client of the API) when none is on PATH: bookworm has it only
# in docker.io, whose daemon we keep from starting (policy-rc.d below).
if ! command -v docker >/dev/null 2>&1; then
  missing+=(docker.io)
fi
[ "${#missing[@]}" -eq 0 ] && exit 0

export DEBIAN_FRONTEND=noninteractive
out=$(mktemp)
policy_rc=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
  # no package may start a service (dockerd, ...) while we install
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  policy_rc=/usr/sbin/policy-rc.d
fi
trap 'rm -f "$out" $policy_rc' EXIT
install_pkgs() {
  apt-get install -y -q --no-install-recommends "$@" >"$out" 2>&1
}
if ! install_pkgs "${missing[@]}"; then
  # package lists missing or stale: update once, then try again
  if ! apt-get update -q >"$out" 2>&1; then
    cat "$out" >&2; log "apt-get update failed"; exit 1
  fi
  if ! install_pkgs "${missing[@]}"; then
    cat "$out" >&2; log "apt-get install ${missing[*]} failed"; exit 1
  fi
fi
