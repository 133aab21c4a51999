import { strict as assert } from "node:assert";
import { deployEnvironment } from "../../components/stackConfig";
import { Recorded, runMocked, runProgram, stackConfig } from "../../tools/graph/mocks";
import { TYPES, byType, envMap } from "../harness";

const DEV = stackConfig("dev");

describe("Docker resource graph (Pulumi.dev.yaml)", function () {
    let resources: Recorded[];
    let outputs: Awaited<ReturnType<typeof run>>["outputs"];

    const run = (config: Record<string, string>) => runProgram(config, "dev");

    before(async () => {
        ({ resources, outputs } = await run(DEV));
    });

    it("exports host and network bootstrap lists, kafka-ui and ZooKeeper addresses", () => {
        assert.deepEqual(outputs, {
            bootstrapServers: "localhost:9092,localhost:9093,localhost:9094",
            internalBootstrapServers: "kafka-1:29092,kafka-2:29092,kafka-3:29092",
            kafkaUiUrl: "http://127.0.0.1:8080",
            zookeeperConnect: "zookeeper-1:2181",
        });
    });

    it("creates one network and one container per node plus kafka-ui, with stable names", () => {
        assert.deepEqual([...byType(resources, TYPES.network).keys()], ["kafka-dev-network"]);
        assert.equal(byType(resources, TYPES.network).get("kafka-dev-network")!.inputs.name, "kafka-dev");
        const containers = byType(resources, TYPES.container);
        assert.deepEqual([...containers.keys()].sort(), [
            "kafka-dev-kafka-1",
            "kafka-dev-kafka-2",
            "kafka-dev-kafka-3",
            "kafka-dev-kafka-ui",
            "kafka-dev-zookeeper-1",
        ]);
        for (const [name, c] of containers) {
            assert.equal(c.inputs.name, name);
            assert.deepEqual(c.inputs.networksAdvanced, [{ name: "kafka-dev", aliases: [c.inputs.hostname] }]);
            assert.equal(c.inputs.restart, "unless-stopped");
        }
    });

    it("pins every image and never deletes it on destroy", () => {
        const images = [...byType(resources, TYPES.image).values()];
        assert.deepEqual(images.map((i) => i.inputs.name).sort(), [
            "confluentinc/cp-kafka:7.9.3",
            "confluentinc/cp-zookeeper:7.9.3",
            "ghcr.io/kafbat/kafka-ui:v1.5.0",
        ]);
        for (const i of images) assert.equal(i.inputs.keepLocally, true);
        const broker = byType(resources, TYPES.container).get("kafka-dev-kafka-1")!;
        assert.equal(broker.inputs.image, "sha256:confluentinc/cp-kafka:7.9.3");
    });

    it("configures each broker's listeners, id and replication through env", () => {
        const env = envMap(byType(resources, TYPES.container).get("kafka-dev-kafka-2")!.inputs.envs as string[]);
        assert.equal(env.KAFKA_BROKER_ID, "2");
        assert.equal(env.KAFKA_ZOOKEEPER_CONNECT, "zookeeper-1:2181");
        assert.equal(env.KAFKA_ADVERTISED_LISTENERS, "INTERNAL://kafka-2:29092,EXTERNAL://localhost:9093");
        assert.equal(env.KAFKA_LISTENERS, "INTERNAL://0.0.0.0:29092,EXTERNAL://0.0.0.0:9093");
        assert.equal(env.KAFKA_INTER_BROKER_LISTENER_NAME, "INTERNAL");
        assert.equal(env.KAFKA_DEFAULT_REPLICATION_FACTOR, "3");
        assert.equal(env.KAFKA_MIN_INSYNC_REPLICAS, "2");
        assert.equal(env.KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR, "3");
        const envs = byType(resources, TYPES.container).get("kafka-dev-kafka-2")!.inputs.envs as string[];
        assert.deepEqual(envs, [...envs].sort(), "env is sorted for stable diffs");
    });

    it("publishes one distinct port per broker, on 127.0.0.1 only", () => {
        const containers = byType(resources, TYPES.container);
        const ports = ["kafka-dev-kafka-1", "kafka-dev-kafka-2", "kafka-dev-kafka-3", "kafka-dev-kafka-ui", "kafka-dev-zookeeper-1"].map(
            (n) => containers.get(n)!.inputs.ports as unknown[],
        );
        assert.deepEqual(ports, [
            [{ internal: 9092, external: 9092, ip: "127.0.0.1", protocol: "tcp" }],
            [{ internal: 9093, external: 9093, ip: "127.0.0.1", protocol: "tcp" }],
            [{ internal: 9094, external: 9094, ip: "127.0.0.1", protocol: "tcp" }],
            [{ internal: 8080, external: 8080, ip: "127.0.0.1", protocol: "tcp" }],
            [],
        ]);
    });

    it("keeps data on named volumes, one per data directory", () => {
        const volumes = byType(resources, TYPES.volume);
        assert.deepEqual([...volumes.keys()].sort(), [
            "kafka-dev-kafka-1-data",
            "kafka-dev-kafka-2-data",
            "kafka-dev-kafka-3-data",
            "kafka-dev-zookeeper-1-data",
            "kafka-dev-zookeeper-1-log",
        ]);
        const zk = byType(resources, TYPES.container).get("kafka-dev-zookeeper-1")!;
        assert.deepEqual(zk.inputs.volumes, [
            { volumeName: "kafka-dev-zookeeper-1-data", containerPath: "/var/lib/zookeeper/data" },
            { volumeName: "kafka-dev-zookeeper-1-log", containerPath: "/var/lib/zookeeper/log" },
        ]);
    });

    it("gives every node a real healthcheck and a clean stop, none on kafka-ui", () => {
        for (const [name, c] of byType(resources, TYPES.container)) {
            if (name.endsWith("kafka-ui")) {
                assert.equal(c.inputs.healthcheck, undefined);
                continue;
            }
            // The node's RollGate waits for health (tests/docker/roll.test.ts), not the container.
            assert.equal(c.inputs.wait, undefined, name);
            assert.equal(c.inputs.destroyGraceSeconds, 120, name);
            assert.equal(c.inputs.healthcheck.tests.length, 2);
            assert.equal(c.inputs.healthcheck.tests[0], "CMD-SHELL");
            assert.match(c.inputs.healthcheck.tests[1], /^bash -c '.*'$/s);
        }
        const broker = byType(resources, TYPES.container).get("kafka-dev-kafka-1")!;
        assert.match(broker.inputs.healthcheck.tests[1] as string, /exec 3<>\/dev\/tcp\/127\.0\.0\.1\/29092 /);
        assert.deepEqual(
            { ...broker.inputs.healthcheck, tests: undefined },
            { interval: "10s", timeout: "15s", startPeriod: "1m0s", retries: 20, tests: undefined },
        );
    });

    it("points kafka-ui at the network listeners", () => {
        const ui = envMap(byType(resources, TYPES.container).get("kafka-dev-kafka-ui")!.inputs.envs as string[]);
        assert.equal(ui.KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS, "kafka-1:29092,kafka-2:29092,kafka-3:29092");
        assert.equal(ui.KAFKA_CLUSTERS_0_NAME, "kafka-dev");
    });

    it("manages topics through a plaintext kafka provider on the host listeners", () => {
        const providers = [...byType(resources, TYPES.kafkaProvider).values()];
        assert.equal(providers.length, 1);
        assert.equal(providers[0].inputs.tlsEnabled, "false", "provider config is passed as strings");
        assert.deepEqual(JSON.parse(providers[0].inputs.bootstrapServers as string), ["localhost:9092", "localhost:9093", "localhost:9094"]);
        const topics = byType(resources, TYPES.topic);
        assert.deepEqual([...topics.values()].map((t) => [t.inputs.name, t.inputs.partitions, t.inputs.replicationFactor, t.inputs.config]).sort(), [
            ["customers.compacted", 3, 3, { "cleanup.policy": "compact" }],
            ["orders", 6, 3, {}],
            ["payments", 3, 3, { "retention.ms": "604800000" }],
        ]);
        for (const t of topics.values()) assert.match(t.provider ?? "", /pulumi:providers:kafka::kafka-dev-topics-kafka::/);
    });

    it("protects topics, replaces them only delete-first, and touches them only after the brokers are healthy", () => {
        const urn = (type: string, name: string) => `urn:pulumi:dev::kafka-env::${type}::${name}`;
        // The provider starts at once (it connects on first use); each topic waits for the brokers,
        // and for the teardown, so a destroy deletes the topics before it stops the brokers.
        const provider = [...byType(resources, TYPES.kafkaProvider).values()][0];
        assert.deepEqual([...(provider.options!.dependsOn ?? [])], []);
        for (const topic of byType(resources, TYPES.topic).values()) {
            assert.deepEqual(
                [...topic.options!.dependsOn],
                [
                    urn("kafka-env:kafka:Topics$pulumi-nodejs:dynamic/kafka-env:TopicGuard", "kafka-dev-topics-guard"),
                    urn(`kafka-env:docker:KafkaCluster$pulumi-nodejs:dynamic/kafka-env:VersionStep`, "kafka-dev-version"),
                    urn(`kafka-env:docker:KafkaCluster$pulumi-nodejs:dynamic/kafka-env:Teardown`, "kafka-dev-teardown"),
                ],
                topic.name,
            );
            assert.equal(topic.options!.protect, true, topic.name);
            assert.equal(topic.options!.deleteBeforeReplace, true, topic.name);
        }
        // Brokers start once ZooKeeper is healthy.
        const broker = byType(resources, TYPES.container).get("kafka-dev-kafka-1")!;
        assert.ok(broker.options!.dependsOn.includes(urn(`kafka-env:docker:KafkaCluster$${TYPES.rollGate}`, "kafka-dev-zookeepers-ready")));
        assert.ok(broker.options!.dependsOn.includes(urn(`kafka-env:docker:KafkaCluster$${TYPES.volume}`, "kafka-dev-kafka-1-data")));
    });

    it("leaves topics unprotected when the config says so", async () => {
        const cluster = JSON.parse(DEV["kafka-env:cluster"]) as Record<string, unknown>;
        const { resources } = await runMocked({ ...DEV, "kafka-env:cluster": JSON.stringify({ ...cluster, protectTopics: false }) }, deployEnvironment);
        for (const topic of byType(resources, TYPES.topic).values()) assert.equal(topic.options!.protect, false);
    });

    it("builds an identical graph when run twice", async () => {
        const second = await run(DEV);
        const normalize = (rs: Recorded[]) => JSON.stringify([...rs].sort((a, b) => (a.type + a.name < b.type + b.name ? -1 : 1)));
        assert.equal(normalize(second.resources), normalize(resources));
        assert.deepEqual(second.outputs, outputs);
    });

    it("refuses a broken config with every problem and registers nothing", async () => {
        const broken = {
            ...DEV,
            "kafka-env:cluster": JSON.stringify({
                mode: "zookeeper",
                brokers: 2,
                replication: { defaultReplicationFactor: 3 },
                topics: [{ name: "a b", partitions: 1 }],
            }),
            "kafka-env:clustr": "{}",
        };
        await assert.rejects(runMocked(broken, deployEnvironment), (e: Error) => {
            assert.match(e.message, /3 problems/);
            assert.match(e.message, /clustr: unknown key; did you mean "kafka-env:cluster"\?/);
            assert.match(e.message, /cluster\.replication\.defaultReplicationFactor: is 3 but only 2 brokers/);
            assert.match(e.message, /cluster\.topics\["a b"\]\.name: contains " "/);
            return true;
        });
    });
});
