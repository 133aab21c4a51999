import { strict as assert } from "node:assert";
import { ConfigError, Problem, resolveConfig } from "../../components/model";

/** The problems a raw `kafka-env:cluster` value produces (empty when valid). */
export function problemsOf(cluster: unknown, hasKafkaUiPassword = false): Problem[] {
    try {
        resolveConfig({ cluster, stack: "test", hasKafkaUiPassword });
        return [];
    } catch (e) {
        if (e instanceof ConfigError) return [...e.problems];
        throw e;
    }
}

interface Case {
    readonly rule: string;
    readonly cluster: Record<string, unknown>;
    readonly path: string;
    /** A fragment the message must contain: the value, the limit or the fix. */
    readonly says: RegExp;
}

const zk = { mode: "zookeeper" };

const CASES: Case[] = [
    { rule: "no brokers", cluster: { brokers: 0 }, path: "cluster.brokers", says: /at least 1 broker/ },
    { rule: "negative brokers", cluster: { brokers: -2 }, path: "cluster.brokers", says: /-2/ },
    {
        rule: "default replication factor above brokers",
        cluster: { brokers: 3, replication: { defaultReplicationFactor: 5 } },
        path: "cluster.replication.defaultReplicationFactor",
        says: /is 5 but only 3 brokers are configured; set it to 3 or fewer/,
    },
    {
        rule: "offsets topic replication above brokers",
        cluster: { brokers: 1, replication: { offsetsTopicReplicationFactor: 3, defaultReplicationFactor: 1 } },
        path: "cluster.replication.offsetsTopicReplicationFactor",
        says: /only 1 broker is configured/,
    },
    {
        rule: "transaction state replication above brokers",
        cluster: { brokers: 2, replication: { transactionStateLogReplicationFactor: 3 } },
        path: "cluster.replication.transactionStateLogReplicationFactor",
        says: /set it to 2 or fewer/,
    },
    {
        rule: "min ISR above brokers",
        cluster: { brokers: 3, replication: { minInsyncReplicas: 4 } },
        path: "cluster.replication.minInsyncReplicas",
        says: /is 4 but only 3 brokers/,
    },
    {
        rule: "min ISR above the replication factor",
        cluster: { brokers: 3, replication: { defaultReplicationFactor: 2, minInsyncReplicas: 3 } },
        path: "cluster.replication.minInsyncReplicas",
        says: /above defaultReplicationFactor 2.*acks=all/,
    },
    {
        rule: "transaction log min ISR above its replication factor",
        cluster: { brokers: 3, replication: { transactionStateLogReplicationFactor: 1, transactionStateLogMinIsr: 2 } },
        path: "cluster.replication.transactionStateLogMinIsr",
        says: /set it to 1 or fewer/,
    },
    { rule: "zero partitions default", cluster: { replication: { numPartitions: 0 } }, path: "cluster.replication.numPartitions", says: /at least 1/ },
    { rule: "empty topic name", cluster: { topics: [{ name: "", partitions: 1 }] }, path: "cluster.topics[0].name", says: /empty/ },
    { rule: "topic named .", cluster: { topics: [{ name: ".", partitions: 1 }] }, path: 'cluster.topics["."].name', says: /Kafka refuses/ },
    { rule: "topic named ..", cluster: { topics: [{ name: "..", partitions: 1 }] }, path: 'cluster.topics[".."].name', says: /Kafka refuses/ },
    {
        rule: "topic name too long",
        cluster: { topics: [{ name: "t".repeat(250), partitions: 1 }] },
        path: `cluster.topics["${"t".repeat(250)}"].name`,
        says: /250 characters long; Kafka allows at most 249/,
    },
    {
        rule: "topic name with bad characters",
        cluster: { topics: [{ name: "orders/eu west", partitions: 1 }] },
        path: 'cluster.topics["orders/eu west"].name',
        says: /contains "\/", " "; topic names may use only/,
    },
    {
        rule: "duplicate topic",
        cluster: {
            topics: [
                { name: "orders", partitions: 1 },
                { name: "orders", partitions: 2 },
            ],
        },
        path: 'cluster.topics["orders"].name',
        says: /listed more than once/,
    },
    {
        rule: "topics colliding on '.' and '_'",
        cluster: {
            topics: [
                { name: "a.b", partitions: 1 },
                { name: "a_b", partitions: 1 },
            ],
        },
        path: 'cluster.topics["a_b"].name',
        says: /collides with "a.b"/,
    },
    { rule: "zero partitions", cluster: { topics: [{ name: "t", partitions: 0 }] }, path: 'cluster.topics["t"].partitions', says: /at least 1 partition/ },
    {
        rule: "topic replication above brokers",
        cluster: { brokers: 3, topics: [{ name: "t", partitions: 1, replicationFactor: 4 }] },
        path: 'cluster.topics["t"].replicationFactor',
        says: /is 4 but only 3 brokers/,
    },
    {
        rule: "topic replication below min ISR",
        cluster: { brokers: 3, topics: [{ name: "t", partitions: 1, replicationFactor: 1 }] },
        path: 'cluster.topics["t"].replicationFactor',
        says: /below cluster.replication.minInsyncReplicas 2/,
    },
    {
        rule: "topic min ISR above its replication factor",
        cluster: { brokers: 3, topics: [{ name: "t", partitions: 1, config: { "min.insync.replicas": "3" }, replicationFactor: 2 }] },
        path: 'cluster.topics["t"].replicationFactor',
        says: /its config min.insync.replicas 3/,
    },
    {
        rule: "published ports collide (kafka-ui on a broker port)",
        cluster: { brokers: 3, kafkaUi: { port: 9093 } },
        path: "cluster.kafkaUi.port",
        says: /host port 9093, which listeners.externalPort \(broker 2\) already uses/,
    },
    {
        rule: "published ports collide (ZooKeeper on kafka-ui's port)",
        cluster: { ...zk, zookeeper: { hostPort: 8080 } },
        path: "cluster.zookeeper.hostPort",
        says: /8080, which kafkaUi.port already uses/,
    },
    {
        rule: "internal listener inside the external range",
        cluster: { brokers: 3, listeners: { internalPort: 9093 } },
        path: "cluster.listeners.internalPort",
        says: /inside the external ports 9092-9094/,
    },
    { rule: "even ZooKeeper ensemble", cluster: { ...zk, zookeeper: { nodes: 2 } }, path: "cluster.zookeeper.nodes", says: /odd number/ },
    { rule: "even KRaft quorum", cluster: { kraft: { controllers: 4 }, brokers: 5 }, path: "cluster.kraft.controllers", says: /odd number of controllers/ },
    {
        rule: "combined quorum larger than the brokers",
        cluster: { brokers: 1, kraft: { controllers: 3 }, replication: { defaultReplicationFactor: 1 } },
        path: "cluster.kraft.controllers",
        says: /set it to 1 or set cluster.kraft.dedicatedControllers to true/,
    },
    { rule: "bad cluster id", cluster: { kraft: { clusterId: "not-an-id" } }, path: "cluster.kraft.clusterId", says: /22 characters/ },
    { rule: "kraft keys in ZooKeeper mode", cluster: { ...zk, kraft: { controllers: 3 } }, path: "cluster.kraft", says: /cluster.mode is "zookeeper"/ },
    {
        rule: "ZooKeeper keys in KRaft mode",
        cluster: { mode: "kraft", zookeeper: { nodes: 3 } },
        path: "cluster.zookeeper",
        says: /remove cluster.zookeeper or set cluster.mode to "zookeeper"/,
    },
    {
        rule: "ZooKeeper image in KRaft mode",
        cluster: { images: { zookeeper: "confluentinc/cp-zookeeper:7.9.3" } },
        path: "cluster.images.zookeeper",
        says: /runs no ZooKeeper/,
    },
    { rule: "latest image", cluster: { images: { kafka: "apache/kafka:latest" } }, path: "cluster.images.kafka", says: /not pinned/ },
    { rule: "untagged image", cluster: { images: { kafkaUi: "ghcr.io/kafbat/kafka-ui" } }, path: "cluster.images.kafkaUi", says: /not pinned/ },
    {
        rule: "KRaft-only image in ZooKeeper mode",
        cluster: { ...zk, images: { kafka: "confluentinc/cp-kafka:8.0.0" } },
        path: "cluster.images.kafka",
        says: /cannot run ZooKeeper mode/,
    },
    {
        rule: "owned broker property",
        cluster: { brokerConfig: { "advertised.listeners": "PLAINTEXT://x:1" } },
        path: "cluster.brokerConfig.advertised.listeners",
        says: /managed by kafka-env/,
    },
    {
        rule: "replication in brokerConfig",
        cluster: { brokerConfig: { "min.insync.replicas": "2" } },
        path: "cluster.brokerConfig.min.insync.replicas",
        says: /set cluster.replication.minInsyncReplicas instead/,
    },
    { rule: "bad bind address", cluster: { listeners: { bindAddress: "localhost" } }, path: "cluster.listeners.bindAddress", says: /IP address/ },
    { rule: "bad environment name", cluster: { name: "Kafka_Dev" }, path: "cluster.name", says: /lower-case letters/ },
    {
        rule: "login without a password",
        cluster: { kafkaUi: { username: "admin" } },
        path: "cluster.kafkaUi.username",
        says: /pulumi config set --secret kafkaUiPassword/,
    },
    // Shape: unknown keys and wrong types.
    {
        rule: "typo in a replication key",
        cluster: { replication: { replicationFactr: 3 } },
        path: "cluster.replication.replicationFactr",
        says: /did you mean "defaultReplicationFactor"/,
    },
    {
        rule: "typo in a topic key",
        cluster: { topics: [{ name: "t", partitions: 1, replicationFactr: 3 }] },
        path: "cluster.topics[0].replicationFactr",
        says: /did you mean "replicationFactor"/,
    },
    { rule: "typo at the top", cluster: { broker: 3 }, path: "cluster.broker", says: /did you mean "brokers"/ },
    {
        rule: "key in the wrong place",
        cluster: { minInsyncReplicas: 2 },
        path: "cluster.minInsyncReplicas",
        says: /did you mean cluster.replication.minInsyncReplicas/,
    },
    { rule: "unknown mode", cluster: { mode: "kraftt" }, path: "cluster.mode", says: /one of "zookeeper", "kraft"/ },
    { rule: "brokers as a string", cluster: { brokers: "three" }, path: "cluster.brokers", says: /must be a whole number/ },
    {
        rule: "topic config value not a string",
        cluster: { topics: [{ name: "t", partitions: 1, config: { "retention.ms": 1000 } }] },
        path: "cluster.topics[0].config.retention.ms",
        says: /write "1000" in quotes/,
    },
    { rule: "topic without partitions", cluster: { topics: [{ name: "t" }] }, path: "cluster.topics[0].partitions", says: /is required/ },
    { rule: "port out of range", cluster: { listeners: { externalPort: 70000 } }, path: "cluster.listeners.externalPort", says: /at most 65535/ },
];

describe("validation", () => {
    for (const c of CASES) {
        it(`refuses ${c.rule}`, () => {
            const problems = problemsOf(c.cluster);
            const match = problems.find((p) => p.path === c.path);
            assert.ok(match, `expected a problem at ${c.path}, got ${JSON.stringify(problems, null, 2)}`);
            assert.match(match.message, c.says);
        });
    }

    it("accepts the defaults and a full valid config", () => {
        assert.deepEqual(problemsOf(undefined), []);
        assert.deepEqual(problemsOf({ mode: "zookeeper", brokers: 1 }), []);
        assert.deepEqual(
            problemsOf(
                {
                    mode: "kraft",
                    brokers: 5,
                    kraft: { controllers: 3, dedicatedControllers: true },
                    topics: [{ name: "a.b-c_D", partitions: 12, replicationFactor: 3, config: { "cleanup.policy": "compact" } }],
                    kafkaUi: { username: "admin" },
                },
                true,
            ),
            [],
        );
    });

    it("reports every problem at once, before building anything", () => {
        const problems = problemsOf({
            brokers: 2,
            replication: { defaultReplicationFactor: 3, replicationFactr: 1 },
            topics: [{ name: "bad name", partitions: 0 }],
            kraft: { controllers: 2 },
            kafkaUi: { port: 9093 },
        });
        const paths = problems.map((p) => p.path).sort();
        assert.deepEqual(paths, [
            "cluster.kafkaUi.port",
            "cluster.kraft.controllers",
            "cluster.replication.defaultReplicationFactor",
            "cluster.replication.replicationFactr",
            'cluster.topics["bad name"].name',
            'cluster.topics["bad name"].partitions',
        ]);
    });

    it("formats the error with one line per problem", () => {
        assert.throws(
            () => resolveConfig({ cluster: { brokers: 0, replication: { numPartitions: 0 } }, stack: "s", hasKafkaUiPassword: false }),
            (e: Error) => {
                assert.match(e.message, /^kafka-env configuration has 2 problems:\n {2}- cluster\.brokers: .*\n {2}- cluster\.replication\.numPartitions: /);
                return true;
            },
        );
    });
});
