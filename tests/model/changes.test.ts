/**
 * Every severity rule of a cluster setting's change, as a table: the change, the path it shows
 * under, its severity and its reason, word for word (topics: `topicChanges.test.ts`; what the
 * cluster guard refuses: `refusals.test.ts`).
 */
import { strict as assert } from "node:assert";
import { compareClusters } from "../../components/model/changes";
import { ALL, BASE, Case, KRAFT, checkCases, edit, side } from "./sides";

const CASES: Case[] = [
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
        "mode switched on a renamed cluster (a new guard; the same cluster's is refused): dangerous",
        { mode: "zookeeper" },
        { mode: "kraft", name: "kafka-new" },
        "cluster.mode",
        "dangerous",
        "zookeeper → kraft is a different cluster: metadata and data are not migrated, and the nodes cannot start on the old volumes",
    ],
    [
        "Kafka image downgraded on a renamed cluster (a new guard; the same cluster's is refused): dangerous",
        edit((c) => (c.images = { kafka: "confluentinc/cp-kafka:7.9.3" })),
        edit((c) => ((c.images = { kafka: "confluentinc/cp-kafka:7.8.0" }), (c.name = "kafka-new"))),
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
        "ZooKeeper-mode minor upgrade without the protocol pinned: refused, with the two steps",
        edit((c) => (c.images = { kafka: "confluentinc/cp-kafka:7.8.0" })),
        edit((c) => (c.images = { kafka: "confluentinc/cp-kafka:7.9.3" })),
        "cluster.images.kafka",
        "refused",
        `images.kafka confluentinc/cp-kafka:7.8.0 → confluentinc/cp-kafka:7.9.3 upgrades Kafka 3.8 → 3.9 in ZooKeeper mode without pinning the inter-broker protocol: ` +
            `while the brokers roll, an upgraded broker could not replicate from the ones not yet upgraded. ` +
            `Set brokerConfig "inter.broker.protocol.version": "3.8" in the same change and run \`pulumi up\` (one roll onto the new image); ` +
            `then remove it (or set "3.9") and run \`pulumi up\` again (a second roll raises the protocol)`,
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
    checkCases(CASES);

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
