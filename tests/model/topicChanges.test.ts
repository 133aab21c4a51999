/**
 * Every severity rule of a topic change (and of the replication defaults topics follow), as a
 * table: the change, the path it shows under, its severity and its reason, word for word.
 */
import { ALL, BASE, Case, Cluster, checkCases, edit, topic } from "./sides";

const CASES: Case[] = [
    [
        "partitions raised: safe, keyed messages move",
        BASE,
        edit((c) => (topic(c, "orders").partitions = 12)),
        'cluster.topics["orders"].partitions',
        "safe",
        "more partitions: keyed messages will map to other partitions, so a key's new messages may land on a different partition than its old ones (per-key order breaks across the change)",
    ],
    [
        "partitions lowered: dangerous",
        BASE,
        edit((c) => (topic(c, "orders").partitions = 3)),
        'cluster.topics["orders"].partitions',
        "dangerous",
        "Kafka cannot remove partitions: the topic would be deleted and recreated, losing its data (a protected topic stops pulumi up; the Kubernetes topics Job fails)",
    ],
    [
        "topic removed: dangerous",
        BASE,
        edit((c) => (c.topics = c.topics.filter((t: Cluster) => t.name !== "orders"))),
        'cluster.topics["orders"]',
        "dangerous",
        'topic "orders" removed: the kafka provider deletes it and all its data (a protected topic stops pulumi up instead)',
    ],
    [
        "topic added: safe",
        BASE,
        edit((c) => c.topics.push({ name: "refunds", partitions: 3 })),
        'cluster.topics["refunds"]',
        "safe",
        "new topic: 3 partitions, replication factor 3",
    ],
    [
        "topic added with min.insync.replicas ≥ its factor: dangerous",
        BASE,
        edit((c) => c.topics.push({ name: "refunds", partitions: 3, replicationFactor: 2 })),
        'cluster.topics["refunds"]',
        "dangerous",
        "new topic: 3 partitions, replication factor 2, min.insync.replicas 2 ≥ replication factor: one broker down blocks every acks=all write to it",
    ],
    [
        "replication factor changed: dangerous",
        BASE,
        edit((c) => (topic(c, "orders").replicationFactor = 2)),
        'cluster.topics["orders"].replicationFactor',
        "dangerous",
        "replicas are reassigned: data is copied between brokers, or replicas are dropped (fewer copies survive a broker loss); min.insync.replicas 2 ≥ 2: one broker down blocks every acks=all write",
    ],
    [
        "min.insync.replicas raised to the replication factor: dangerous, and the brokers restart",
        BASE,
        edit((c) => (c.replication.minInsyncReplicas = 3)),
        "cluster.replication.minInsyncReplicas",
        "dangerous",
        `min.insync.replicas 3 ≥ the replication factor of 4 topics, e.g. "customers.compacted" (replication factor 3), "orders" (replication factor 3), "payments" (replication factor 3): one broker down blocks every acks=all write there; ${ALL}`,
    ],
    ["min.insync.replicas lowered: restart", BASE, edit((c) => (c.replication.minInsyncReplicas = 1)), "cluster.replication.minInsyncReplicas", "restart", ALL],
    [
        "a topic's own min.insync.replicas at its factor: dangerous",
        BASE,
        edit((c) => (topic(c, "orders").config = { "min.insync.replicas": "3" })),
        'cluster.topics["orders"].config["min.insync.replicas"]',
        "dangerous",
        "min.insync.replicas 3 ≥ replication factor 3: one broker down blocks every acks=all write to it",
    ],
    [
        "retention.ms lowered: dangerous",
        BASE,
        edit((c) => (topic(c, "payments").config["retention.ms"] = "86400000")),
        'cluster.topics["payments"].config["retention.ms"]',
        "dangerous",
        "retention 7 d → 1 d: records older than 1 d are deleted",
    ],
    [
        "retention.ms raised: safe",
        BASE,
        edit((c) => (topic(c, "payments").config["retention.ms"] = "-1")),
        'cluster.topics["payments"].config["retention.ms"]',
        "safe",
        "topic config, applied in place without a restart",
    ],
    [
        "retention.bytes set where it was unlimited: dangerous",
        BASE,
        edit((c) => (topic(c, "orders").config = { "retention.bytes": "1073741824" })),
        'cluster.topics["orders"].config["retention.bytes"]',
        "dangerous",
        "retention unlimited → 1 GiB: each partition keeps at most 1 GiB, older segments are deleted",
    ],
    [
        "cleanup.policy compact → delete: dangerous",
        BASE,
        edit((c) => (topic(c, "customers.compacted").config["cleanup.policy"] = "delete")),
        'cluster.topics["customers.compacted"].config["cleanup.policy"]',
        "dangerous",
        "cleanup.policy compact → delete: records are now deleted by retention instead of kept per key: the latest value of a key expires too",
    ],
    [
        "cleanup.policy delete (default) → compact: dangerous",
        BASE,
        edit((c) => (topic(c, "orders").config = { "cleanup.policy": "compact" })),
        'cluster.topics["orders"].config["cleanup.policy"]',
        "dangerous",
        "cleanup.policy delete → compact: compaction keeps only the latest record of each key (older ones are deleted) and refuses records without a key",
    ],
    [
        "unclean leader election turned on: dangerous",
        BASE,
        edit((c) => (topic(c, "orders").config = { "unclean.leader.election.enable": "true" })),
        'cluster.topics["orders"].config["unclean.leader.election.enable"]',
        "dangerous",
        "unclean leader election on: an out-of-sync replica may become leader, and acknowledged writes can be lost",
    ],
    [
        "unclean leader election turned off: safe",
        edit((c) => (topic(c, "orders").config = { "unclean.leader.election.enable": "true" })),
        BASE,
        'cluster.topics["orders"].config["unclean.leader.election.enable"]',
        "safe",
        "topic config, applied in place without a restart",
    ],
    [
        "another topic config: safe",
        BASE,
        edit((c) => (topic(c, "orders").config = { "max.message.bytes": "2097152" })),
        'cluster.topics["orders"].config["max.message.bytes"]',
        "safe",
        "topic config, applied in place without a restart",
    ],
];

describe("topic changes in Kafka terms: severity and reason of every rule", () => {
    checkCases(CASES);
});
