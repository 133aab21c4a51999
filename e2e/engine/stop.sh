#!/usr/bin/env bash
# Usage: e2e/engine/stop.sh DIR [--purge]
# Stops the healthcheck ticker and the Podman API service started by start.sh DIR (by
# their PIDs / process groups) and removes the socket.
# Containers keep running without the API service (conmon supervises them). With --purge,
# first removes every container of the default Podman storage (/var/lib/containers), the
# networks they were attached to and every unused volume (images are kept); without it,
# remove your containers (docker rm -fv ...) and networks yourself before stopping.
set -uo pipefail
die() { printf 'e2e/engine/stop: %s\n' "$*" >&2; exit 1; }
[ $# -ge 1 ] && [ $# -le 2 ] || die "usage: $0 DIR [--purge]"
[ $# -eq 1 ] || [ "$2" = "--purge" ] || die "usage: $0 DIR [--purge]"
[ -d "$1" ] || exit 0
DIR=$(cd "$1" && pwd)

if [ "${2-}" = "--purge" ]; then
  export CONTAINERS_CONF="$DIR/containers.conf"
  pc() { podman --cgroup-manager=cgroupfs --runtime runc "$@"; }
  # networks used by our containers (the network list itself is shared with any other
  # podman on this machine, even one with its own storage: never prune it blindly)
  nets=$(for id in $(pc ps -aq); do
           pc inspect "$id" --format '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}'
         done 2>/dev/null | tr ' ' '\n' | grep -v -x -e '' -e podman -e bridge -e host -e none | sort -u)
  # a container in a restart loop can refuse removal for a moment: retry
  for _ in 1 2 3 4 5; do
    ids=$(pc ps -aq)
    [ -n "$ids" ] || break
    # shellcheck disable=SC2086
    pc rm -f -v -t 5 $ids >/dev/null 2>&1 || sleep 1
  done
  [ -z "$(pc ps -aq)" ] || echo "e2e/engine/stop: some containers could not be removed: $(pc ps -a --format '{{.Names}}' | tr '\n' ' ')" >&2
  # ...and kafka-env's own networks (labelled), also those a killed run left without containers
  nets="$nets $(pc network ls --filter label=kafka-env.environment --format '{{.Name}}' 2>/dev/null)"
  for n in $nets; do pc network rm "$n" >/dev/null 2>&1 || true; done
  bash "$(dirname "${BASH_SOURCE[0]}")/netavark-sweep.sh" >&2
  # unused volumes of this storage (/var/lib/containers/storage)
  pc volume prune -f >/dev/null 2>&1 || true
fi

stop_pid() {   # pidfile
  local f=$1 pid
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    # each was started with setsid: its pid is its process group
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null
    fi
  fi
  rm -f "$f"
}
stop_pid "$DIR/ticker.pid"
stop_pid "$DIR/service.pid"
rm -rf "$DIR/podman.sock" "$DIR/ticker.d"
