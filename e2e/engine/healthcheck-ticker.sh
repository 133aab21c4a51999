#!/usr/bin/env bash
# Usage: healthcheck-ticker.sh DIR   (started by start.sh; CONTAINERS_CONF set by it)
# Stands in for the systemd timers that Podman uses to run healthchecks: every ~2 s it runs
# `podman healthcheck run` for each running container whose health is "starting" or
# "unhealthy" during its first START seconds (the start period, where failures do not count:
# readiness is seen within ~2 s), then at the healthcheck interval as Docker does (so `retries`
# failures take retries x interval, not retries x 2 s, on a slow machine), and every ~15 s for
# "healthy" ones (so a process that died or hung is noticed). At most one check per container
# is in flight at a time.
set -u
DIR=$1
export CONTAINERS_CONF="${CONTAINERS_CONF:-$DIR/containers.conf}"
FAST=${E2E_HEALTH_FAST_SECONDS:-2}
SLOW=${E2E_HEALTH_SLOW_SECONDS:-15}
START=${E2E_HEALTH_START_SECONDS:-60}         # the containers' start period
INTERVAL=${E2E_HEALTH_INTERVAL_SECONDS:-10}   # the containers' healthcheck interval
state="$DIR/ticker.d"
mkdir -p "$state"

pc() { podman --cgroup-manager=cgroupfs --runtime runc "$@"; }

trap 'kill $(jobs -p) 2>/dev/null; exit 0' TERM INT

while :; do
  now=$(date +%s)
  # "ID|Up 3 seconds (starting)"; containers without a healthcheck have no "(...)"
  pc ps --no-trunc --format '{{.ID}}|{{.Status}}' 2>>"$DIR/ticker.log" |
  while IFS='|' read -r id status; do
    [ -n "$id" ] || continue
    case "$status" in
      *"(healthy)"*) every=$SLOW; rm -f "$state/$id.first" ;;   # a restart starts a new start period
      *"(starting)"*|*"(unhealthy)"*)
        [ -f "$state/$id.first" ] || echo "$now" >"$state/$id.first"
        if [ $((now - $(cat "$state/$id.first"))) -lt "$START" ]; then every=$FAST; else every=$INTERVAL; fi ;;
      *) continue ;;
    esac
    last=0; [ -f "$state/$id.last" ] && last=$(cat "$state/$id.last")
    [ $((now - last)) -ge "$every" ] || continue
    if [ -f "$state/$id.pid" ] && kill -0 "$(cat "$state/$id.pid")" 2>/dev/null; then
      continue   # previous check still running
    fi
    echo "$now" >"$state/$id.last"
    ( pc healthcheck run "$id" >/dev/null 2>&1; rm -f "$state/$id.pid" ) &
    echo $! >"$state/$id.pid"
  done
  # forget containers that are gone
  for f in "$state"/*.last; do
    [ -e "$f" ] || continue
    id=$(basename "$f" .last)
    pc container exists "$id" 2>/dev/null || rm -f "$state/$id".*
  done
  sleep "$FAST"
done
