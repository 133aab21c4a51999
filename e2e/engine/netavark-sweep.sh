#!/usr/bin/env bash
# Usage: e2e/engine/netavark-sweep.sh
# Removes what netavark left behind for containers and networks that no longer exist: host-port
# forwards in iptables, and aardvark-dns name files.
#
# Why: a published port (-p 127.0.0.1:19192:19192) is a DNAT rule in the host's nat table,
# appended to NETAVARK-HOSTPORT-DNAT with the container's id in its comment. If a container goes
# without its network teardown (a killed engine, a purge racing a restart), its rule stays. The
# next container publishing the same port gets its rule appended *after* the stale one, so
# connections to 127.0.0.1:19192 go to the old, gone address: "connect: no route to host"
# (seen in CI: the KRaft scenario's topics could not reach broker 1 on a fresh cluster).
#
# Only rules naming a container unknown to this Podman storage are removed, with the per-network
# DNAT rules for the same port; prints one line per removed forward. Never fails the caller.
#
# The same happens to name resolution: netavark keeps one aardvark-dns file per network (first line:
# the gateway address aardvark-dns answers on, then one line per container). A file a killed run
# left behind outlives its network, and a network created later under the same name has its
# containers appended to it, behind the old gateway address: aardvark-dns answers on an address
# that no bridge has, and no container resolves another's name (seen in CI: a ZooKeeper ensemble
# never formed, "UnknownHostException: zookeeper-2"). Files of networks that no longer exist, or
# whose gateway is not the network's, are removed.
set -uo pipefail
pc() { podman --cgroup-manager=cgroupfs --runtime runc "$@"; }

aardvark=/run/containers/networks/aardvark-dns
if [ -d "$aardvark" ] && networks=$(pc network ls --format '{{.Name}}' 2>/dev/null); then
  for f in "$aardvark"/*; do
    [ -f "$f" ] || continue
    net=$(basename "$f")
    [ "$net" = aardvark.pid ] && continue
    gateway=$(head -n 1 "$f" | tr -d '[:space:]')
    if grep -qxF -- "$net" <<<"$networks"; then
      gateways=$(pc network inspect "$net" --format '{{range .Subnets}}{{.Gateway}} {{end}}' 2>/dev/null) || continue
      grep -qw -- "$gateway" <<<"$gateways" && continue
    fi
    rm -f "$f" && echo "e2e/engine: removed aardvark-dns's stale names of network $net (gateway $gateway)"
  done
fi

command -v iptables >/dev/null 2>&1 || exit 0
iptables -t nat -S NETAVARK-HOSTPORT-DNAT >/dev/null 2>&1 || exit 0

known=$(pc ps -aq --no-trunc 2>/dev/null) || exit 0

del() { eval "iptables -t nat ${1/#-A /-D }"; }   # an `iptables -S` line, quoted comment included

iptables -t nat -S NETAVARK-HOSTPORT-DNAT | grep -- '^-A .* id: [0-9a-f]\{64\}' | while IFS= read -r rule; do
  id=$(sed -n 's/.* id: \([0-9a-f]\{64\}\).*/\1/p' <<<"$rule")
  grep -qx "$id" <<<"$known" && continue
  port=$(sed -n 's/.*--dport \([0-9]*\) .*/\1/p' <<<"$rule")
  chain=$(sed -n 's/.* -j \(NETAVARK-DN-[0-9A-Fa-f]*\).*/\1/p' <<<"$rule")
  del "$rule" || continue
  echo "e2e/engine: removed netavark's stale forward of port $port (container ${id:0:12} is gone)"
  [ -n "$chain" ] && [ -n "$port" ] || continue
  iptables -t nat -S "$chain" 2>/dev/null | grep -- "^-A .*--dport $port " | while IFS= read -r r; do del "$r"; done
  # the chain itself goes once nothing uses it (-X refuses while it is referenced)
  if [ "$(iptables -t nat -S "$chain" 2>/dev/null | grep -c '^-A')" = 0 ]; then
    iptables -t nat -X "$chain" 2>/dev/null || true
  fi
done
exit 0
