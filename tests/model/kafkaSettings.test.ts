/**
 * Topic configs and broker properties against Kafka's own definitions, for the Kafka release of the
 * image in use (components/model/kafkaSettings.ts): every rule, its message word for word.
 */
import { strict as assert } from "node:assert";
import { checkConfig } from "../../components/model";
import { KAFKA_LINES, definitionsOf, scopeOf } from "../../components/model/kafkaDefinitions";

const problemsOf = (cluster: unknown) => checkConfig({ cluster, stack: "test", hasKafkaUiPassword: false }).problems;

const topic = (config: Record<string, string>, extra: Record<string, unknown> = {}) => ({ ...extra, topics: [{ name: "t", partitions: 1, config }] });
const CP_79 = { mode: "zookeeper", images: { kafka: "confluentinc/cp-kafka:7.9.3" } };
const DIGEST = { images: { kafka: "apache/kafka@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" } };
const T = 'cluster.topics["t"].config';

interface Case {
    readonly rule: string;
    readonly cluster: Record<string, unknown>;
    readonly path: string;
    readonly message: string;
}

const CASES: Case[] = [
    // Topic configs, Kafka 4.1 (the default KRaft image, apache/kafka:4.1.1).
    {
        rule: "a cleanup policy Kafka does not have",
        cluster: topic({ "cleanup.policy": "compacted" }),
        path: `${T}.cleanup.policy`,
        message: 'is "compacted"; for Kafka 4.1, cleanup.policy is a comma-separated list of "compact", "delete": did you mean "compact"?',
    },
    {
        rule: "a retention below -1",
        cluster: topic({ "retention.ms": "-5" }),
        path: `${T}.retention.ms`,
        message: 'is "-5"; for Kafka 4.1, retention.ms must be at least -1',
    },
    {
        rule: "a size with a unit",
        cluster: topic({ "retention.bytes": "1GB" }),
        path: `${T}.retention.bytes`,
        message: 'is "1GB"; for Kafka 4.1, retention.bytes is a whole number of bytes: write "1073741824" for 1 GiB',
    },
    {
        rule: "a size below -1 (Kafka would read it as no limit)",
        cluster: topic({ "retention.bytes": "-5" }),
        path: `${T}.retention.bytes`,
        message: 'is "-5"; retention.bytes is -1 (no limit) or a size in bytes (Kafka reads every negative value as no limit: write -1)',
    },
    {
        rule: "a duration with a unit",
        cluster: topic({ "segment.ms": "7d" }),
        path: `${T}.segment.ms`,
        message: 'is "7d"; for Kafka 4.1, segment.ms is a whole number of milliseconds: write "604800000" for 7 d',
    },
    {
        rule: "a compression type Kafka does not have",
        cluster: topic({ "compression.type": "lz5" }),
        path: `${T}.compression.type`,
        message: 'is "lz5"; for Kafka 4.1, compression.type is one of "gzip", "lz4", "producer", "snappy", "uncompressed", "zstd": did you mean "lz4"?',
    },
    {
        rule: "a min.insync.replicas below 1",
        cluster: topic({ "min.insync.replicas": "0" }),
        path: `${T}.min.insync.replicas`,
        message: 'is "0"; for Kafka 4.1, min.insync.replicas must be at least 1',
    },
    {
        rule: "a boolean that is not true or false",
        cluster: topic({ "unclean.leader.election.enable": "yes" }),
        path: `${T}.unclean.leader.election.enable`,
        message: 'is "yes"; for Kafka 4.1, unclean.leader.election.enable is "true" or "false"',
    },
    {
        rule: "a ratio that is not a number",
        cluster: topic({ "min.cleanable.dirty.ratio": "half" }),
        path: `${T}.min.cleanable.dirty.ratio`,
        message: 'is "half"; for Kafka 4.1, min.cleanable.dirty.ratio is a number',
    },
    {
        rule: "a ratio out of its range",
        cluster: topic({ "min.cleanable.dirty.ratio": "1.5" }),
        path: `${T}.min.cleanable.dirty.ratio`,
        message: 'is "1.5"; for Kafka 4.1, min.cleanable.dirty.ratio must be from 0 to 1',
    },
    {
        rule: "a level above its maximum",
        cluster: topic({ "compression.lz4.level": "30" }),
        path: `${T}.compression.lz4.level`,
        message: 'is "30"; for Kafka 4.1, compression.lz4.level must be from 1 to 17',
    },
    {
        rule: "an int beyond Java's int",
        cluster: topic({ "segment.bytes": "3000000000" }),
        path: `${T}.segment.bytes`,
        message: 'is "3000000000"; for Kafka 4.1, segment.bytes is a whole number from -2147483648 to 2147483647',
    },
    {
        rule: "a segment size Kafka 4.1 refuses",
        cluster: topic({ "segment.bytes": "1024" }),
        path: `${T}.segment.bytes`,
        message: 'is "1024"; for Kafka 4.1, segment.bytes must be at least 1048576',
    },
    {
        rule: "a mistyped topic config",
        cluster: topic({ "retention.msx": "1000" }),
        path: `${T}.retention.msx`,
        message: 'is not a topic config of Kafka 4.1; did you mean "retention.ms"?',
    },
    {
        rule: "a broker property as a topic config",
        cluster: topic({ "log.retention.ms": "1000" }),
        path: `${T}.log.retention.ms`,
        message:
            'is not a topic config of Kafka 4.1 but the broker property for its default; set "retention.ms" here, or log.retention.ms in cluster.brokerConfig',
    },
    {
        rule: "a topic config of older lines only",
        cluster: topic({ "message.format.version": "3.0" }),
        path: `${T}.message.format.version`,
        message: "is not a topic config of Kafka 4.1 (only of Kafka 3.8, 3.9); remove it",
    },
    {
        rule: "an unknown topic config like no other",
        cluster: topic({ "colour.of.the.bikeshed": "blue" }),
        path: `${T}.colour.of.the.bikeshed`,
        message: "is not a topic config of Kafka 4.1, which would refuse the topic; correct its name or remove it",
    },
    // The image's release decides.
    {
        rule: "a retention below -1, on cp-kafka 7.9",
        cluster: topic({ "retention.ms": "-5" }, CP_79),
        path: `${T}.retention.ms`,
        message: 'is "-5"; for Kafka 3.9, retention.ms must be at least -1',
    },
    {
        rule: "a retention below -1, on an image whose release is unknown",
        cluster: topic({ "retention.ms": "-5" }, DIGEST),
        path: `${T}.retention.ms`,
        message: 'is "-5"; for Kafka 3.8 to 4.1, retention.ms must be at least -1',
    },
    {
        rule: "a segment size every release refuses, on an image whose release is unknown",
        cluster: topic({ "segment.bytes": "10" }, DIGEST),
        path: `${T}.segment.bytes`,
        message: 'is "10"; for Kafka 4.1, segment.bytes must be at least 1048576',
    },
    // Broker properties.
    {
        rule: "a broker cleanup policy Kafka does not have",
        cluster: { brokerConfig: { "log.cleanup.policy": "compacted" } },
        path: "cluster.brokerConfig.log.cleanup.policy",
        message: 'is "compacted"; for Kafka 4.1, log.cleanup.policy is a comma-separated list of "compact", "delete": did you mean "compact"?',
    },
    {
        rule: "a broker count that is not a number",
        cluster: { brokerConfig: { "num.network.threads": "two" } },
        path: "cluster.brokerConfig.num.network.threads",
        message: 'is "two"; for Kafka 4.1, num.network.threads is a whole number',
    },
    {
        rule: "a broker retention size below -1",
        cluster: { brokerConfig: { "log.retention.bytes": "-2" } },
        path: "cluster.brokerConfig.log.retention.bytes",
        message: 'is "-2"; log.retention.bytes is -1 (no limit) or a size in bytes (Kafka reads every negative value as no limit: write -1)',
    },
    {
        rule: "a mistyped broker property",
        cluster: { brokerConfig: { "log.retention.hour": "24" } },
        path: "cluster.brokerConfig.log.retention.hour",
        message: 'is not a broker property of Kafka 4.1, which would ignore it; did you mean "log.retention.hours"?',
    },
    {
        rule: "a topic config as a broker property",
        cluster: { brokerConfig: { "retention.ms": "1000" } },
        path: "cluster.brokerConfig.retention.ms",
        message: 'is a topic config, not a broker property (Kafka 4.1 would ignore it); the brokers\' default for every topic is "log.retention.ms"',
    },
    {
        rule: "a broker property of older lines only",
        cluster: { brokerConfig: { "zookeeper.session.timeout.ms": "18000" } },
        path: "cluster.brokerConfig.zookeeper.session.timeout.ms",
        message: "is not a broker property of Kafka 4.1 (only of Kafka 3.8, 3.9), which would ignore it; remove it",
    },
];

describe("topic configs and broker properties, against Kafka's definitions", () => {
    for (const c of CASES) {
        it(`refuses ${c.rule}`, () => {
            const problems = problemsOf(c.cluster);
            assert.deepEqual(
                problems.filter((p) => p.path === c.path),
                [{ path: c.path, message: c.message }],
                JSON.stringify(problems, null, 2),
            );
        });
    }

    it("accepts what the image's release accepts", () => {
        const valid = {
            "cleanup.policy": "compact,delete",
            "retention.ms": "-1",
            "retention.bytes": " 1073741824 ",
            "compression.type": "zstd",
            "min.insync.replicas": "2",
            "unclean.leader.election.enable": "FALSE",
            "min.cleanable.dirty.ratio": "0.5",
        };
        assert.deepEqual(problemsOf({ ...topic(valid), brokers: 3 }), []);
        assert.deepEqual(problemsOf(topic({ "segment.bytes": "1024" }, CP_79)), [], "Kafka 3.9 takes segments from 14 bytes");
        assert.deepEqual(problemsOf(topic({ "message.format.version": "3.0" }, CP_79)), []);
        assert.deepEqual(problemsOf(topic({ "message.format.version": "3.0" }, DIGEST)), [], "some release has it");
    });

    it("lets unknown broker keys through unless they are a near typo: plugins and listener prefixes", () => {
        const brokerConfig = {
            "confluent.metrics.reporter.bootstrap.servers": "kafka:9092",
            "listener.name.internal.ssl.client.auth": "required",
            "log.retention.hours": "24",
            "auto.create.topics.enable": "false",
        };
        assert.deepEqual(problemsOf({ brokerConfig }), []);
    });

    it("keeps refusing the broker properties kafka-env derives", () => {
        assert.deepEqual(problemsOf({ brokerConfig: { "node.id": "7" } }), [
            {
                path: "cluster.brokerConfig.node.id",
                message: "is managed by kafka-env (derived from the node's position); remove it from cluster.brokerConfig",
            },
        ]);
    });
});

describe("Kafka's definitions per release line", () => {
    it("has one generated file per supported line, read from that line's release", () => {
        for (const line of KAFKA_LINES) {
            const d = definitionsOf(line);
            assert.ok(d.kafka.startsWith(`${line}.`), `${line}: ${d.kafka}`);
            assert.match(d.generatedBy, /^tools\/kafka-configs\/generate\.sh: .*org\.apache\.kafka:kafka_2\.13:\d+\.\d+\.\d+ from Maven Central/);
            assert.deepEqual(d.topic["min.insync.replicas"], { type: "int", broker: "min.insync.replicas", min: "1" });
            assert.ok(Object.keys(d.broker).length > 300, `${line}: ${Object.keys(d.broker).length} broker properties`);
        }
    });

    it("picks the line from the image's tag, and every line when the tag does not say", () => {
        const lines = (image: string) => scopeOf(image).lines.map((l) => l.line);
        assert.deepEqual(lines("confluentinc/cp-kafka:7.8.1"), ["3.8"]);
        assert.deepEqual(lines("confluentinc/cp-kafka:7.9.3"), ["3.9"]);
        assert.deepEqual(lines("apache/kafka:4.0.0"), ["4.0"]);
        assert.deepEqual(lines("localhost/kafka-env/kafka:4.1-local"), ["4.1"]);
        assert.deepEqual(lines("apache/kafka:3.7.0"), ["3.8", "3.9", "4.0", "4.1"]);
        assert.deepEqual(lines("registry.example/kafka@sha256:00"), ["3.8", "3.9", "4.0", "4.1"]);
        assert.equal(scopeOf("registry.example/kafka@sha256:00").label, "Kafka 3.8 to 4.1");
    });
});
