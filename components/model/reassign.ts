/**
 * Partition reassignment plans, pure: which replicas move where when brokers leave (drain) or join
 * (spread). The day-2 steps (components/day2) read the current assignment from the brokers, plan
 * here, and hand the plan to Kafka's own `kafka-reassign-partitions`.
 */

import { AdminAccess, adminArgs } from "./admin";
import { kafkaToolVar } from "./images";

/** Replica lists by partition, as `kafka-topics --describe` reports them. */
export interface PartitionReplicas {
    readonly topic: string;
    readonly partition: number;
    readonly replicas: readonly number[];
}

/** `kafka-reassign-partitions --reassignment-json-file` input. */
export interface ReassignmentJson {
    readonly version: 1;
    readonly partitions: readonly { topic: string; partition: number; replicas: number[] }[];
}

const byPartition = (a: PartitionReplicas, b: PartitionReplicas) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition);

function load(assignment: readonly PartitionReplicas[], brokers: readonly number[]): Map<number, number> {
    const counts = new Map(brokers.map((b) => [b, 0]));
    for (const p of assignment) for (const r of p.replicas) if (counts.has(r)) counts.set(r, counts.get(r)! + 1);
    return counts;
}

/** The least loaded of `candidates` (ties: lowest id), or undefined. */
function leastLoaded(counts: Map<number, number>, candidates: readonly number[]): number | undefined {
    return [...candidates].sort((a, b) => counts.get(a)! - counts.get(b)! || a - b)[0];
}

export interface DrainPlan {
    readonly moves: readonly PartitionReplicas[];
    /** Partitions with more replicas than the remaining brokers can hold: cannot drain. */
    readonly stuck: readonly string[];
}

/**
 * Moves every replica on `leaving` brokers to the least loaded of `staying` that does not hold the
 * partition yet, keeping each replica's position (so leadership preferences stay where they were).
 */
export function drainPlan(assignment: readonly PartitionReplicas[], leaving: readonly number[], staying: readonly number[]): DrainPlan {
    const counts = load(assignment, staying);
    const moves: PartitionReplicas[] = [];
    const stuck: string[] = [];
    for (const p of [...assignment].sort(byPartition)) {
        if (!p.replicas.some((r) => leaving.includes(r))) continue;
        const replicas = [...p.replicas];
        let ok = true;
        for (let i = 0; i < replicas.length; i++) {
            if (!leaving.includes(replicas[i])) continue;
            const target = leastLoaded(
                counts,
                staying.filter((b) => !replicas.includes(b)),
            );
            if (target === undefined) {
                ok = false;
                break;
            }
            replicas[i] = target;
            counts.set(target, counts.get(target)! + 1);
        }
        if (ok) moves.push({ topic: p.topic, partition: p.partition, replicas });
        else stuck.push(`${p.topic}-${p.partition} (replicas ${p.replicas.join(",")})`);
    }
    return { moves, stuck };
}

/**
 * Evens out the replicas of `assignment` over `brokers` with as few moves as possible: while one
 * broker holds two replicas more than another, one replica moves from the most to the least loaded.
 */
export function spreadPlan(assignment: readonly PartitionReplicas[], brokers: readonly number[]): PartitionReplicas[] {
    const current = new Map([...assignment].sort(byPartition).map((p) => [`${p.topic}\u0000${p.partition}`, { ...p, replicas: [...p.replicas] }]));
    const counts = load(assignment, brokers);
    const moved = new Set<string>();
    for (;;) {
        const sorted = [...brokers].sort((a, b) => counts.get(a)! - counts.get(b)! || a - b);
        const least = sorted[0];
        const most = sorted[sorted.length - 1];
        if (counts.get(most)! - counts.get(least)! <= 1) break;
        // Prefer moving a follower (leadership stays), then any replica.
        const candidates = [...current.entries()].filter(([, p]) => p.replicas.includes(most) && !p.replicas.includes(least));
        const pick = candidates.find(([, p]) => p.replicas[0] !== most) ?? candidates[0];
        if (!pick) break;
        const [key, p] = pick;
        p.replicas[p.replicas.indexOf(most)] = least;
        counts.set(most, counts.get(most)! - 1);
        counts.set(least, counts.get(least)! + 1);
        moved.add(key);
    }
    return [...moved].sort().map((k) => current.get(k)!);
}

export function reassignmentJson(moves: readonly PartitionReplicas[]): ReassignmentJson {
    return { version: 1, partitions: moves.map((m) => ({ topic: m.topic, partition: m.partition, replicas: [...m.replicas] })) };
}

/** Parses `kafka-topics --describe` output (Kafka 3.x and 4.x) into replica lists. */
export function parseDescribe(output: string): PartitionReplicas[] {
    const rows: PartitionReplicas[] = [];
    for (const line of output.split("\n")) {
        const m = /Topic:\s*(\S+)\s+Partition:\s*(\d+)\s+Leader:\s*\S+\s+Replicas:\s*([\d,]+)/.exec(line);
        if (m) rows.push({ topic: m[1], partition: Number(m[2]), replicas: m[3].split(",").map(Number) });
    }
    return rows.sort(byPartition);
}

/**
 * Why brokers `leaving` cannot go: `stuck` partitions (`drainPlan`) have more replicas than the
 * `staying` brokers can hold. Nothing is moved or removed.
 */
export function cannotDrain(leaving: readonly number[], stuck: readonly string[], staying: number, was: number): string {
    return (
        `kafka-env: cannot remove broker ${leaving.join(", ")}: ${stuck.length} partition(s) have more replicas than the ${staying} broker(s) that stay: ` +
        `${stuck.join("; ")}. Lower their replication factor first, or keep ${was} brokers. Nothing was moved or removed.`
    );
}

/**
 * A bash script that starts the reassignment in `$KAFKA_ENV_PLAN` (`reassignmentJson`) and waits
 * until `--verify` no longer reports a partition in progress; it prints the last `--verify` and
 * exits 4 when `timeoutSeconds` pass first. One script rather than a tool run per poll: on
 * Kubernetes each run is a Job (a pod to schedule and a JVM to start, seconds each).
 */
export function reassignScript(access: AdminAccess, timeoutSeconds: number): string {
    return [
        "set -u",
        kafkaToolVar("kafka-reassign-partitions"),
        `printf '%s' "$KAFKA_ENV_PLAN" > /tmp/kafka-env-reassign.json`,
        `args="${adminArgs(access, "kafka-reassign-partitions")} --reassignment-json-file /tmp/kafka-env-reassign.json"`,
        `"$t" $args --execute || exit 1`,
        `end=$((SECONDS + ${timeoutSeconds}))`,
        "while :; do",
        `    out=$("$t" $args --verify 2>&1) || { echo "$out"; exit 1; }`,
        `    if ! grep -qi 'in progress' <<<"$out"; then echo "$out"; exit 0; fi`,
        `    if [ "$SECONDS" -ge "$end" ]; then echo "$out"; echo "kafka-env: the reassignment did not complete within ${timeoutSeconds} s" >&2; exit 4; fi`,
        "    sleep 2",
        "done",
    ].join("\n");
}

/**
 * A bash script that takes brokers `ids` (stopped, emptied) out of a KRaft cluster's metadata with
 * `kafka-cluster unregister`; an id that is not registered any more (a retried update) is fine.
 */
export function unregisterScript(access: AdminAccess, ids: readonly number[]): string {
    return [
        "set -u",
        kafkaToolVar("kafka-cluster"),
        `for id in ${ids.join(" ")}; do`,
        `    if out=$("$t" unregister ${adminArgs(access, "kafka-cluster")} --id "$id" 2>&1); then echo "unregistered broker $id"`,
        `    elif grep -qiE 'not registered|BrokerIdNotRegistered' <<<"$out"; then echo "broker $id was not registered"`,
        `    else echo "$out"; exit 1; fi`,
        "done",
    ].join("\n");
}
