/**
 * Kubernetes' readiness probe of a broker, without a JVM: one Metadata request (version 0, every
 * topic) to the broker's own listener, sent from bash over `/dev/tcp`, and its answer walked in
 * bash. Ready when the broker answers and is in the ISR of every partition it holds a replica of,
 * the meaning `kafka-topics --describe --under-replicated-partitions` filtered for its own id had
 * (a restarted broker is not ready while it copies what it missed, so a roll waits for it).
 * Metadata v0 is served by every Kafka release kafka-env runs (3.x and 4.x).
 */

/** Metadata v0: size 16, api key 3, version 0, correlation id 1, client id "hc", an empty topic list (= all). */
export const METADATA_V0 = String.raw`\x00\x00\x00\x10\x00\x03\x00\x00\x00\x00\x00\x01\x00\x02hc\x00\x00\x00\x00`;

/** Bash that reads the answer's bytes (`$b`, decimal) at `p`: int16 and int32 into `v`; `name AT LEN` decodes a string into `str`. */
const READERS = [
    "i16() { v=$(( b[p] << 8 | b[p+1] )); p=$(( p + 2 )); }",
    "i32() { v=$(( b[p] << 24 | b[p+1] << 16 | b[p+2] << 8 | b[p+3] )); p=$(( p + 4 )); }",
    "skip() { i16; p=$(( p + v )); }",
    `name() { printf -v h '\\x%02x' "\${b[@]:$1:$2}"; printf -v str '%b' "$h"; }`,
];

/**
 * The probe, run in the pod, where `$HOSTNAME` ends in the StatefulSet ordinal: `firstId` is the
 * node id of ordinal 0. Prints each partition it is out of sync on; exits 1 then, or when the
 * broker does not answer within 5 s.
 */
export function brokerReadyCommand(port: number, firstId: number): string {
    return [
        `me=$(( \${HOSTNAME##*-} + ${firstId} ))`,
        `exec 3<>/dev/tcp/127.0.0.1/${port} || exit 1`,
        `printf '${METADATA_V0}' >&3`,
        "size=$(timeout 5 head -c 4 <&3 | od -An -v -tu1 | tr -s ' \\n' ' ')",
        'read -r a0 a1 a2 a3 <<< "$size"',
        '[ -n "$a3" ] || { echo "no answer on the broker\'s listener"; exit 1; }',
        "n=$(( a0 << 24 | a1 << 16 | a2 << 8 | a3 ))",
        'b=( $(timeout 5 head -c "$n" <&3 | od -An -v -tu1) )',
        '[ "${#b[@]}" -eq "$n" ] || { echo "a short answer: ${#b[@]} of $n bytes"; exit 1; }',
        ...READERS,
        // Correlation id, then the brokers (id, host, port), then the topics.
        "p=4; i32; brokers=$v",
        "for (( k = 0; k < brokers; k++ )); do i32; skip; i32; done",
        "i32; topics=$v; lagging=0",
        "for (( t = 0; t < topics; t++ )); do",
        "  i16; i16; at=$p; len=$v; p=$(( p + v )); i32; parts=$v",
        "  for (( q = 0; q < parts; q++ )); do",
        "    i16; i32; part=$v; i32",
        '    i32; held=0; for (( r = v; r > 0; r-- )); do i32; [ "$v" -eq "$me" ] && held=1; done',
        '    i32; synced=0; for (( r = v; r > 0; r-- )); do i32; [ "$v" -eq "$me" ] && synced=1; done',
        '    if [ "$held" = 1 ] && [ "$synced" = 0 ]; then name "$at" "$len"; echo "not in sync: $str-$part"; lagging=1; fi',
        "  done",
        "done",
        'exit "$lagging"',
    ].join("\n");
}
