#!/usr/bin/env bash
# A/B of the program's compile cache (components/compileCache.ts) on a deployed stack: a no-change
# `pulumi preview`, alternately with the cache and with NODE_DISABLE_COMPILE_CACHE=1, N times each
# (PREVIEW_RUNS, default 8); prints every run's wall time and the medians. Run as the PROFILE_HOOK
# of bench/profile.ts (`PROFILE_HOOK='bash bench/previewCache.sh' bash e2e/run.sh profile`), which
# leaves the stack up and passes its state and config.
set -euo pipefail
: "${PROFILE_STATE_DIR:?run as PROFILE_HOOK of bench/profile.ts}" "${PROFILE_CONFIG_FILE:?}" "${PROFILE_STACK:?}"
export PULUMI_BACKEND_URL="file://$PROFILE_STATE_DIR" PULUMI_CONFIG_PASSPHRASE=kafka-env-e2e
runs=${PREVIEW_RUNS:-8}
# One no-change preview; prints "<label> <wall s> <CPU s of pulumi and everything it ran>".
preview() { # label env-arguments...
    local TIMEFORMAT="%R %U %S" t
    t=$( { time env "${@:2}" pulumi preview --stack "$PROFILE_STACK" --config-file "$PROFILE_CONFIG_FILE" --non-interactive --expect-no-changes >/dev/null; } 2>&1 )
    awk -v l="$1" '{ printf "%s %.2f %.2f\n", l, $1, $2 + $3 }' <<<"$t"
}
CACHE=(-u NODE_DISABLE_COMPILE_CACHE)
NO_CACHE=(NODE_DISABLE_COMPILE_CACHE=1)
preview warm-up "${CACHE[@]}" >/dev/null
results=()
for i in $(seq 1 "$runs"); do
    if (( i % 2 )); then
        results+=("$(preview cache "${CACHE[@]}")" "$(preview no-cache "${NO_CACHE[@]}")")
    else
        results+=("$(preview no-cache "${NO_CACHE[@]}")" "$(preview cache "${CACHE[@]}")")
    fi
done
echo "label wall-s cpu-s"
printf '%s\n' "${results[@]}"
for label in cache no-cache; do
    for col in 2 3; do
        printf '%s\n' "${results[@]}" | awk -v l="$label" -v c="$col" '$1 == l { print $c }' | sort -n |
            awk -v l="$label" -v c="$col" '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "median %s %s: %.2f s (%d runs)\n", l, (c == 2 ? "wall" : "CPU"), m, NR }'
    done
done
