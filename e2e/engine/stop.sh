#!/usr/bin/env bash
# Usage: e2e/engine/stop.sh DIR
# Stops the healthcheck ticker and the Podman API service started by start.sh DIR (by
# their PIDs / process groups) and removes the socket. Containers are not removed here:
# remove them (docker rm -fv ...) before stopping the engine.
set -uo pipefail
die() { printf 'e2e/engine/stop: %s\n' "$*" >&2; exit 1; }
[ $# -eq 1 ] || die "usage: $0 DIR"
[ -d "$1" ] || exit 0
DIR=$(cd "$1" && pwd)

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
