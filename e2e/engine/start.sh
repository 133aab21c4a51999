#!/usr/bin/env bash
# Usage: e2e/engine/start.sh DIR
# Starts Podman's Docker-compatible API service on unix://DIR/podman.sock plus a
# "healthcheck ticker" (Podman runs healthchecks with systemd timers; there is no systemd
# here, so without it every container with a healthcheck stays "starting" forever).
# Writes DIR/service.pid, DIR/ticker.pid, logs DIR/service.log, DIR/ticker.log.
# On success prints `export DOCKER_HOST=unix://DIR/podman.sock` (for eval); on failure
# exits non-zero with a message on stderr. Stop everything with e2e/engine/stop.sh DIR.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
die() { printf 'e2e/engine/start: %s\n' "$*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: $0 DIR"
mkdir -p "$1" || die "cannot create $1"
DIR=$(cd "$1" && pwd)
sock="$DIR/podman.sock"
[ ${#sock} -lt 100 ] || die "socket path too long for a unix socket (${#sock} chars): $sock; use a shorter DIR"
export DOCKER_HOST="unix://$sock"

command -v podman >/dev/null 2>&1 || die "podman is not installed (run e2e/engine/install.sh)"
command -v runc >/dev/null 2>&1 || die "runc is not installed (run e2e/engine/install.sh)"

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
if alive "$DIR/service.pid" || alive "$DIR/ticker.pid"; then
  die "an engine already runs for $DIR (pids $(cat "$DIR"/*.pid 2>/dev/null | tr '\n' ' ')); stop it with e2e/engine/stop.sh $DIR"
fi

cp "$here/containers.conf" "$DIR/containers.conf"
export CONTAINERS_CONF="$DIR/containers.conf"
rm -f "$sock"
# port forwards a killed run left behind would shadow this run's (see netavark-sweep.sh)
bash "$here/netavark-sweep.sh" >&2

# The service and the ticker get their own sessions (setsid) so that stop.sh can end
# each whole process group; they survive the end of this script's shell.
setsid podman --cgroup-manager=cgroupfs --runtime runc \
  system service --time=0 "unix://$sock" </dev/null >"$DIR/service.log" 2>&1 &
echo $! >"$DIR/service.pid"

api_ok() {
  if command -v docker >/dev/null 2>&1; then
    docker version >/dev/null 2>&1
  else
    curl -fsS --unix-socket "$sock" http://d/_ping >/dev/null 2>&1
  fi
}
ok=""
for _ in $(seq 1 60); do     # up to ~30 s
  if ! alive "$DIR/service.pid"; then break; fi
  if [ -S "$sock" ] && api_ok; then ok=1; break; fi
  sleep 0.5
done
if [ -z "$ok" ]; then
  echo "---- $DIR/service.log" >&2; tail -n 30 "$DIR/service.log" >&2 || true
  if command -v docker >/dev/null 2>&1; then docker version >&2 || true; fi
  "$here/stop.sh" "$DIR" >/dev/null 2>&1 || true
  die "the Podman API service did not answer on $sock"
fi

# Check that a container really runs (catches runc/cgroup/ulimit problems now rather than
# in the first test). Needs a local image with /bin/true: skipped before build.sh has run.
probe=$(podman images --format '{{.Repository}}:{{.Tag}}' 2>/dev/null | grep '^localhost/kafka-env/' | head -n 1 || true)
if [ -n "$probe" ]; then
  if ! out=$(podman --cgroup-manager=cgroupfs --runtime runc run --rm --network none \
               --entrypoint /bin/true "$probe" 2>&1); then
    printf '%s\n' "$out" >&2
    "$here/stop.sh" "$DIR" >/dev/null 2>&1 || true
    die "the engine answers but cannot run a container ($probe)"
  fi
fi

setsid bash "$here/healthcheck-ticker.sh" "$DIR" </dev/null >"$DIR/ticker.log" 2>&1 &
echo $! >"$DIR/ticker.pid"
sleep 0.2
alive "$DIR/ticker.pid" || { tail -n 20 "$DIR/ticker.log" >&2; "$here/stop.sh" "$DIR" >/dev/null 2>&1 || true; die "the healthcheck ticker did not start"; }

echo "export DOCKER_HOST=$DOCKER_HOST"
