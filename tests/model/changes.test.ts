/**
 * Every severity rule of a config change, as a table: the change, the path it shows under, its
 * severity and its reason, word for word.
 */
import { strict as assert } from "node:assert";
import { dockerAddressing } from "../../components/docker/addressing";
import { kubernetesAddressing } from "../../components/kubernetes/addressing";
import { resolveKubernetes } from "../../components/kubernetes/config";
import { Target, buildModel, resolveConfig } from "../../components/model";
import { Change, ClusterSide, compareClusters } from "../../components/model/changes";

function side(cluster: Record<string, unknown>, target: Target = "docker"): ClusterSide {
    const config = resolveConfig({ cluster, stack: "test", hasKafkaUiPassword: false });
    const addressing = target === "docker" ? dockerAddressing(config) : kubernetesAddressing(config, resolveKubernetes(undefined, {}, config.brokers).config);
    return { target, config, model: buildModel(config, addressing) };
}

const TOPICS = [
    { name: "orders", partitions: 6 },
    { name: "payments", partitions: 3, config: { "retention.ms": "604800000" } },
    { name: "customers.compacted", partitions: 3, config: { "cleanup.policy": "compact" } },
];
const BASE = { name: "kafka-dev", mode: "zookeeper", brokers: 3, replication: { defaultReplicationFactor: 3, minInsyncReplicas: 2 }, topics: TOPICS };
type Cluster = Record<string, any>;
const edit = (f: (c: Cluster) => void, base: Cluster = BASE): Cluster => {
    const c = structuredClone(base);
    f(c);
    return c;
};
const topic = (c: Cluster, name: string) => (c.topics as Cluster[]).find((t) => t.name === name)!;
const ALL = "restarts kafka-1, kafka-2, kafka-3";
const KRAFT = { mode: "kraft", brokers: 3, images: { kafka: "apache/kafka:3.9.1" } };

/** [rule, before, after, path, severity, reason]. */
const CASES: [string, Cluster, Cluster, string, Change["severity"], string][] = [
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
    [
        "broker removed: dangerous",
        edit((c) => (c.brokers = 4)),
        BASE,
        "cluster.brokers",
        "dangerous",
        "kafka-4 is removed with its data volume, after its replicas move to the brokers that stay (pulumi up stops before anything moves when a partition has more replicas than the brokers that stay)",
    ],
    [
        "broker added: safe",
        BASE,
        edit((c) => (c.brokers = 4)),
        "cluster.brokers",
        "safe",
        "kafka-4 joins, then a fair share of the topics' replicas moves onto it (rebalanceOnScaleOut)",
    ],
    [
        "broker added without rebalancing: safe",
        edit((c) => (c.rebalanceOnScaleOut = false)),
        edit((c) => ((c.brokers = 4), (c.rebalanceOnScaleOut = false))),
        "cluster.brokers",
        "safe",
        "kafka-4 joins empty: existing partitions stay where they are until reassigned",
    ],
    [
        "rebalancing on scale-out turned off: safe",
        BASE,
        edit((c) => (c.rebalanceOnScaleOut = false)),
        "cluster.rebalanceOnScaleOut",
        "safe",
        "brokers that join stay empty until partitions are reassigned by hand",
    ],
    [
        "mode switched: dangerous",
        { mode: "zookeeper" },
        { mode: "kraft" },
        "cluster.mode",
        "dangerous",
        "zookeeper → kraft is a different cluster: metadata and data are not migrated, and the nodes cannot start on the old volumes",
    ],
    [
        "Kafka image downgraded: dangerous",
        edit((c) => (c.images = { kafka: "confluentinc/cp-kafka:7.9.3" })),
        edit((c) => (c.images = { kafka: "confluentinc/cp-kafka:7.8.0" })),
        "cluster.images.kafka",
        "dangerous",
        `Kafka 3.9 → 3.8 is a downgrade: data and metadata written by the newer release may not be readable; ${ALL}`,
    ],
    [
        "Kafka image across a major version: dangerous",
        KRAFT,
        { ...KRAFT, images: { kafka: "apache/kafka:4.1.1" } },
        "cluster.images.kafka",
        "dangerous",
        `Kafka 3.9 → 4.1 crosses a major version: removed features and protocols; upgrade one major step at a time and read the upgrade notes; ${ALL}`,
    ],
    ["Kafka patch release: restart", KRAFT, { ...KRAFT, images: { kafka: "apache/kafka:3.9.2" } }, "cluster.images.kafka", "restart", ALL],
    [
        "Kafka minor upgrade: restart, naming the versions",
        { ...KRAFT, images: { kafka: "apache/kafka:4.0.0" } },
        { ...KRAFT, images: { kafka: "apache/kafka:4.1.1" } },
        "cluster.images.kafka",
        "restart",
        `Kafka 4.0 → 4.1 upgrade; ${ALL}`,
    ],
    [
        "ZooKeeper-mode minor upgrade without the protocol pinned: dangerous, refused with the two steps",
        edit((c) => (c.images = { kafka: "confluentinc/cp-kafka:7.8.0" })),
        edit((c) => (c.images = { kafka: "confluentinc/cp-kafka:7.9.3" })),
        "cluster.images.kafka",
        "dangerous",
        `refused: images.kafka confluentinc/cp-kafka:7.8.0 → confluentinc/cp-kafka:7.9.3 upgrades Kafka 3.8 → 3.9 in ZooKeeper mode without pinning the inter-broker protocol: ` +
            `while the brokers roll, an upgraded broker could not replicate from the ones not yet upgraded. ` +
            `Set brokerConfig "inter.broker.protocol.version": "3.8" in the same change and run \`pulumi up\` (one roll onto the new image); ` +
            `then remove it (or set "3.9") and run \`pulumi up\` again (a second roll raises the protocol); ${ALL}`,
    ],
    [
        "ZooKeeper-mode minor upgrade with the protocol pinned: restart, naming the second step",
        edit((c) => (c.images = { kafka: "confluentinc/cp-kafka:7.8.0" })),
        edit((c) => {
            c.images = { kafka: "confluentinc/cp-kafka:7.9.3" };
            c.brokerConfig = { "inter.broker.protocol.version": "3.8" };
        }),
        "cluster.images.kafka",
        "restart",
        `Kafka 3.8 → 3.9 upgrade (then remove brokerConfig inter.broker.protocol.version (pinned at 3.8) and run \`pulumi up\` again: a second roll raises the protocol to 3.9); ${ALL}`,
    ],
    [
        "ports bound to 0.0.0.0: dangerous",
        BASE,
        edit((c) => (c.listeners = { bindAddress: "0.0.0.0" })),
        "cluster.listeners.bindAddress",
        "dangerous",
        `published ports (brokers, kafka-ui, ZooKeeper) open on every network interface: anyone who reaches this machine reaches Kafka, with no authentication; ${ALL}`,
    ],
    [
        "a broker's retention default lowered: dangerous, and the brokers restart",
        BASE,
        edit((c) => (c.brokerConfig = { "log.retention.hours": "24" })),
        'cluster.brokerConfig["log.retention.hours"]',
        "dangerous",
        `retention 7 d → 1 d: records older than 1 d are deleted, for every topic without its own setting; ${ALL}`,
    ],
    [
        "another broker setting: restart",
        BASE,
        edit((c) => (c.brokerConfig = { "message.max.bytes": "2097152" })),
        'cluster.brokerConfig["message.max.bytes"]',
        "restart",
        ALL,
    ],
    ["heap: restart", BASE, edit((c) => (c.heapOpts = "-Xmx1g")), "cluster.heapOpts", "restart", ALL],
    [
        "kafka-ui port: safe",
        BASE,
        edit((c) => (c.kafkaUi = { port: 8081 })),
        "cluster.kafkaUi.port",
        "safe",
        "kafka-ui is recreated; the brokers are untouched",
    ],
    [
        "environment renamed: dangerous",
        BASE,
        edit((c) => (c.name = "kafka-dev2")),
        "cluster.name",
        "dangerous",
        "every container, volume and object name derives from it: a new cluster is created and the old one is deleted with its data",
    ],
];

describe("config changes in Kafka terms: severity and reason of every rule", () => {
    for (const [rule, before, after, path, severity, reason] of CASES) {
        it(rule, () => {
            const change = compareClusters(side(before), side(after)).find((c) => c.path === path);
            assert.ok(change, `no change at ${path}`);
            assert.deepEqual({ severity: change.severity, reason: change.reason }, { severity, reason });
        });
    }

    it("no change, no entries", () => {
        assert.deepEqual(compareClusters(side(BASE), side(structuredClone(BASE))), []);
    });

    it("bindAddress is not used on Kubernetes: safe there", () => {
        const change = compareClusters(
            side(BASE, "kubernetes"),
            side(
                edit((c) => (c.listeners = { bindAddress: "0.0.0.0" })),
                "kubernetes",
            ),
        );
        assert.deepEqual(change.find((c) => c.path === "cluster.listeners.bindAddress")?.severity, "safe");
    });

    it("brokers removed on Kubernetes: drained first, the others untouched, their claims kept", () => {
        const change = compareClusters(
            side(
                edit((c) => (c.brokers = 5)),
                "kubernetes",
            ),
            side(BASE, "kubernetes"),
        ).find((c) => c.path === "cluster.brokers");
        assert.deepEqual(
            change?.reason,
            "kafka-4, kafka-5 are removed after their replicas move to the brokers that stay (pulumi up stops before anything moves when a partition has more replicas than the brokers that stay); " +
                "their claims are kept (whenScaled: Retain): delete them by hand, or a later scale-out reuses the old data",
        );
    });

    it("KRaft on Kubernetes: the first broker-only node rolls the combined nodes; more of it do not", () => {
        const kraft = edit((c) => Object.assign(c, { mode: "kraft", brokers: 3, kraft: { controllers: 3 }, images: { kafka: "apache/kafka:4.1.1" } }));
        const reason = (from: number, to: number) =>
            compareClusters(
                side(
                    edit((c) => (c.brokers = from), kraft),
                    "kubernetes",
                ),
                side(
                    edit((c) => (c.brokers = to), kraft),
                    "kubernetes",
                ),
            ).find((c) => c.path === "cluster.brokers")?.reason;
        assert.match(reason(3, 4) ?? "", /; the other brokers restart one at a time \(their settings ConfigMap changes\)$/);
        assert.doesNotMatch(reason(4, 5) ?? "", /restart/);
        assert.doesNotMatch(reason(5, 4) ?? "", /restart/);
        assert.match(reason(4, 3) ?? "", /the other brokers restart one at a time/);
    });

    it("resolved values: a default that follows another key shows as its own change", () => {
        const changes = compareClusters(side(BASE), side(edit((c) => (c.replication.minInsyncReplicas = 1))));
        assert.deepEqual(
            changes.map((c) => [c.path, c.before, c.after]),
            [
                ["cluster.replication.minInsyncReplicas", 2, 1],
                ["cluster.replication.transactionStateLogMinIsr", 2, 1],
            ],
        );
    });
});
