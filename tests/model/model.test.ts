import { strict as assert } from "node:assert";
import * as fc from "fast-check";
import { dockerAddressing } from "../../components/docker/addressing";
import { ClusterModel, NodeModel, planCluster, resolveConfig, stableClusterId } from "../../components/model";
import { CONTROLLER_ID_BASE } from "../../components/model/cluster";
import { kafkaEnvName, kafkaPropertyName } from "../../components/model/images";

function model(cluster: Record<string, unknown>, stack = "test"): ClusterModel {
    return planCluster({ cluster, stack, hasKafkaUiPassword: false }, dockerAddressing);
}

const node = (m: ClusterModel, name: string): NodeModel => {
    const n = m.nodes.find((x) => x.name === name);
    assert.ok(n, `no node ${name} in ${m.nodes.map((x) => x.name).join(", ")}`);
    return n;
};

describe("defaults", () => {
    it("fit the broker count: replication 1/1 for one broker, 3/2 for three or more", () => {
        const one = resolveConfig({ cluster: { brokers: 1 }, stack: "s", hasKafkaUiPassword: false }).replication;
        assert.deepEqual(one, {
            defaultReplicationFactor: 1,
            minInsyncReplicas: 1,
            numPartitions: 3,
            offsetsTopicReplicationFactor: 1,
            transactionStateLogReplicationFactor: 1,
            transactionStateLogMinIsr: 1,
        });
        const five = resolveConfig({ cluster: { brokers: 5 }, stack: "s", hasKafkaUiPassword: false }).replication;
        assert.equal(five.defaultReplicationFactor, 3);
        assert.equal(five.minInsyncReplicas, 2);
        assert.equal(five.offsetsTopicReplicationFactor, 3);
        assert.equal(five.transactionStateLogMinIsr, 2);
        const two = resolveConfig({ cluster: { brokers: 2 }, stack: "s", hasKafkaUiPassword: false }).replication;
        assert.equal(two.defaultReplicationFactor, 2);
        assert.equal(two.minInsyncReplicas, 1, "two replicas keep writing with one broker down");
    });

    it("name the environment after the stack, pin images per mode, bind to 127.0.0.1", () => {
        const kraft = resolveConfig({ cluster: undefined, stack: "dev", hasKafkaUiPassword: false });
        assert.equal(kraft.name, "kafka-env-dev");
        assert.equal(kraft.mode, "kraft");
        assert.equal(kraft.images.kafka, "apache/kafka:4.1.1");
        assert.equal(kraft.images.zookeeper, undefined);
        assert.equal(kraft.listeners.bindAddress, "127.0.0.1");
        assert.equal(kraft.kraft?.controllers, 3);
        assert.equal(kraft.kraft?.clusterId, stableClusterId("kafka-env-dev"));
        const zk = resolveConfig({ cluster: { mode: "zookeeper" }, stack: "dev", hasKafkaUiPassword: false });
        assert.equal(zk.images.kafka, "confluentinc/cp-kafka:7.9.3");
        assert.equal(zk.images.zookeeper, "confluentinc/cp-zookeeper:7.9.3");
        assert.equal(zk.zookeeper?.nodes, 1);
        assert.equal(zk.kraft, undefined);
        for (const image of [kraft.images.kafka, kraft.images.kafkaUi, zk.images.kafka, zk.images.zookeeper ?? ""]) {
            assert.doesNotMatch(image, /:latest$/);
        }
    });

    it("derive a stable, valid cluster id per environment name", () => {
        assert.equal(stableClusterId("a"), stableClusterId("a"));
        assert.notEqual(stableClusterId("a"), stableClusterId("b"));
        assert.match(stableClusterId("a"), /^[A-Za-z0-9_-]{22}$/);
    });
});

describe("ZooKeeper mode", () => {
    const m = model({ mode: "zookeeper", brokers: 3, zookeeper: { nodes: 3 } });

    it("has ZooKeeper nodes then brokers, with ids from 1", () => {
        assert.deepEqual(
            m.nodes.map((n) => [n.name, n.id, n.roles.join(",")]),
            [
                ["zookeeper-1", 1, "zookeeper"],
                ["zookeeper-2", 2, "zookeeper"],
                ["zookeeper-3", 3, "zookeeper"],
                ["kafka-1", 1, "broker"],
                ["kafka-2", 2, "broker"],
                ["kafka-3", 3, "broker"],
            ],
        );
    });

    it("points every broker at the whole ensemble", () => {
        assert.equal(m.zookeeperConnect, "zookeeper-1:2181,zookeeper-2:2181,zookeeper-3:2181");
        for (const b of m.nodes.filter((n) => n.roles.includes("broker"))) {
            assert.equal(b.env.KAFKA_ZOOKEEPER_CONNECT, m.zookeeperConnect);
            assert.equal(b.env.KAFKA_BROKER_ID, String(b.id));
            assert.equal(b.env.KAFKA_NODE_ID, undefined);
            assert.equal(b.env.CLUSTER_ID, undefined);
        }
    });

    it("lists the ensemble for each ZooKeeper node with its own id", () => {
        const z2 = node(m, "zookeeper-2");
        assert.equal(z2.env.ZOOKEEPER_SERVER_ID, "2");
        assert.equal(z2.env.ZOOKEEPER_SERVERS, "zookeeper-1:2888:3888;zookeeper-2:2888:3888;zookeeper-3:2888:3888");
        assert.deepEqual(
            z2.volumes.map((v) => v.path),
            ["/var/lib/zookeeper/data", "/var/lib/zookeeper/log"],
        );
        assert.match(z2.healthcheck, /srvr/);
    });

    it("gives each broker an INTERNAL and an EXTERNAL listener with its own address", () => {
        const k2 = node(m, "kafka-2");
        assert.deepEqual(k2.listeners, [
            { name: "INTERNAL", port: 29092, advertised: "kafka-2:29092" },
            { name: "EXTERNAL", port: 9093, advertised: "localhost:9093" },
        ]);
        assert.equal(k2.env.KAFKA_LISTENERS, "INTERNAL://0.0.0.0:29092,EXTERNAL://0.0.0.0:9093");
        assert.equal(k2.env.KAFKA_ADVERTISED_LISTENERS, "INTERNAL://kafka-2:29092,EXTERNAL://localhost:9093");
        assert.equal(k2.env.KAFKA_LISTENER_SECURITY_PROTOCOL_MAP, "EXTERNAL:PLAINTEXT,INTERNAL:PLAINTEXT");
        assert.equal(k2.env.KAFKA_INTER_BROKER_LISTENER_NAME, "INTERNAL");
        assert.deepEqual(k2.published, [{ containerPort: 9093, hostPort: 9093, hostIp: "127.0.0.1" }]);
    });

    it("sets every replication setting explicitly on every broker", () => {
        for (const b of m.nodes.filter((n) => n.roles.includes("broker"))) {
            assert.equal(b.properties["default.replication.factor"], "3");
            assert.equal(b.properties["min.insync.replicas"], "2");
            assert.equal(b.properties["offsets.topic.replication.factor"], "3");
            assert.equal(b.properties["transaction.state.log.replication.factor"], "3");
            assert.equal(b.properties["transaction.state.log.min.isr"], "2");
            assert.equal(b.properties["num.partitions"], "3");
            assert.equal(b.properties["log.dirs"], "/var/lib/kafka/data/logs");
        }
    });

    it("exports host and network bootstrap lists in broker order", () => {
        assert.deepEqual(m.bootstrapServers, ["localhost:9092", "localhost:9093", "localhost:9094"]);
        assert.deepEqual(m.internalBootstrapServers, ["kafka-1:29092", "kafka-2:29092", "kafka-3:29092"]);
    });

    it("points kafka-ui at the network listeners, never at localhost", () => {
        assert.equal(m.kafkaUi?.env.KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS, "kafka-1:29092,kafka-2:29092,kafka-3:29092");
        assert.deepEqual(m.kafkaUi?.published, { containerPort: 8080, hostPort: 8080, hostIp: "127.0.0.1" });
    });
});

describe("KRaft mode", () => {
    it("runs combined broker-controllers on the first three of five brokers", () => {
        const m = model({ brokers: 5 });
        assert.deepEqual(
            m.nodes.map((n) => [n.name, n.id, n.roles.join(",")]),
            [
                ["kafka-1", 1, "broker,controller"],
                ["kafka-2", 2, "broker,controller"],
                ["kafka-3", 3, "broker,controller"],
                ["kafka-4", 4, "broker"],
                ["kafka-5", 5, "broker"],
            ],
        );
        const voters = "1@kafka-1:29093,2@kafka-2:29093,3@kafka-3:29093";
        for (const n of m.nodes) {
            assert.equal(n.env.KAFKA_CONTROLLER_QUORUM_VOTERS, voters);
            assert.equal(n.env.KAFKA_NODE_ID, String(n.id));
            assert.equal(n.env.CLUSTER_ID, m.clusterId);
            assert.equal(n.env.KAFKA_CONTROLLER_LISTENER_NAMES, "CONTROLLER");
            assert.equal(n.env.KAFKA_ZOOKEEPER_CONNECT, undefined);
        }
        assert.equal(node(m, "kafka-1").env.KAFKA_PROCESS_ROLES, "broker,controller");
        assert.equal(node(m, "kafka-1").env.KAFKA_LISTENERS, "INTERNAL://0.0.0.0:29092,EXTERNAL://0.0.0.0:9092,CONTROLLER://0.0.0.0:29093");
        // The controller listener is never advertised.
        assert.equal(node(m, "kafka-1").env.KAFKA_ADVERTISED_LISTENERS, "INTERNAL://kafka-1:29092,EXTERNAL://localhost:9092");
        assert.equal(node(m, "kafka-5").env.KAFKA_PROCESS_ROLES, "broker");
        assert.equal(node(m, "kafka-5").env.KAFKA_LISTENERS, "INTERNAL://0.0.0.0:29092,EXTERNAL://0.0.0.0:9096");
        assert.equal(m.zookeeperConnect, undefined);
    });

    it("runs dedicated controllers as their own nodes, with ids clear of the brokers'", () => {
        const m = model({ brokers: 3, kraft: { dedicatedControllers: true } });
        assert.deepEqual(
            m.nodes.map((n) => n.name),
            ["controller-1", "controller-2", "controller-3", "kafka-1", "kafka-2", "kafka-3"],
        );
        const c1 = node(m, "controller-1");
        assert.equal(c1.id, CONTROLLER_ID_BASE + 1);
        assert.equal(c1.env.KAFKA_PROCESS_ROLES, "controller");
        assert.equal(c1.env.KAFKA_LISTENERS, "CONTROLLER://0.0.0.0:29093");
        assert.equal(c1.env.KAFKA_ADVERTISED_LISTENERS, undefined, "a controller-only node must not advertise listeners");
        assert.equal(c1.env.KAFKA_DEFAULT_REPLICATION_FACTOR, undefined);
        assert.deepEqual(c1.published, []);
        assert.match(c1.healthcheck, /kafka-metadata-quorum/);
        assert.equal(c1.env.KAFKA_CONTROLLER_QUORUM_VOTERS, "1001@controller-1:29093,1002@controller-2:29093,1003@controller-3:29093");
        // A broker-only node binds no CONTROLLER listener but must map it (found by the fault
        // suite: Kafka refuses to start "Controller listener with name CONTROLLER ... not found").
        const k1 = node(m, "kafka-1");
        assert.equal(k1.env.KAFKA_PROCESS_ROLES, "broker");
        assert.equal(k1.env.KAFKA_LISTENERS, "INTERNAL://0.0.0.0:29092,EXTERNAL://0.0.0.0:9092");
        assert.equal(k1.env.KAFKA_LISTENER_SECURITY_PROTOCOL_MAP, "CONTROLLER:PLAINTEXT,EXTERNAL:PLAINTEXT,INTERNAL:PLAINTEXT");
        assert.equal(node(m, "kafka-1").env.KAFKA_PROCESS_ROLES, "broker");
        assert.match(node(m, "kafka-1").healthcheck, /exec 3<>\/dev\/tcp\/127\.0\.0\.1\/29092 /);
    });

    it("runs a single broker as its own one-voter quorum with replication 1", () => {
        const m = model({ brokers: 1 });
        const k1 = node(m, "kafka-1");
        assert.equal(m.nodes.length, 1);
        assert.equal(k1.env.KAFKA_CONTROLLER_QUORUM_VOTERS, "1@kafka-1:29093");
        assert.equal(k1.env.KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR, "1");
        assert.equal(k1.env.KAFKA_TRANSACTION_STATE_LOG_MIN_ISR, "1");
        assert.deepEqual(m.bootstrapServers, ["localhost:9092"]);
    });
});

describe("settings", () => {
    it("pass brokerConfig through to brokers only, and keep every map sorted", () => {
        const m = model({
            brokers: 3,
            kraft: { dedicatedControllers: true },
            brokerConfig: { "log.retention.hours": "24", "auto.create.topics.enable": "false" },
        });
        assert.equal(node(m, "kafka-2").env.KAFKA_LOG_RETENTION_HOURS, "24");
        assert.equal(node(m, "kafka-2").env.KAFKA_AUTO_CREATE_TOPICS_ENABLE, "false");
        assert.equal(node(m, "controller-1").env.KAFKA_LOG_RETENTION_HOURS, undefined);
        for (const n of m.nodes) {
            for (const map of [n.env, n.properties]) assert.deepEqual(Object.keys(map), Object.keys(map).sort());
        }
    });

    it("follow the configured ports, advertised host and bind address", () => {
        const m = model({ brokers: 2, listeners: { internalPort: 19092, externalPort: 39092, advertisedHost: "kafka.local", bindAddress: "0.0.0.0" } });
        assert.deepEqual(m.bootstrapServers, ["kafka.local:39092", "kafka.local:39093"]);
        assert.deepEqual(m.internalBootstrapServers, ["kafka-1:19092", "kafka-2:19092"]);
        assert.deepEqual(node(m, "kafka-2").published, [{ containerPort: 39093, hostPort: 39093, hostIp: "0.0.0.0" }]);
    });

    it("sort topics by name and apply the default replication factor and protection", () => {
        const m = model({
            brokers: 3,
            protectTopics: false,
            topics: [
                { name: "b", partitions: 1 },
                { name: "a", partitions: 2, replicationFactor: 2, protect: true },
            ],
        });
        assert.deepEqual(m.topics, [
            { name: "a", partitions: 2, replicationFactor: 2, config: {}, protect: true },
            { name: "b", partitions: 1, replicationFactor: 3, config: {}, protect: false },
        ]);
    });

    it("build the same model every time (no clocks, no randomness)", () => {
        const config = { mode: "zookeeper", brokers: 3, topics: [{ name: "t", partitions: 3 }] };
        assert.deepEqual(model(config), model(config));
    });
});

describe("image environment names", () => {
    it("follow the images' rule: '.' -> '_', '_' -> '__', '-' -> '___', upper case", () => {
        assert.equal(kafkaEnvName("log.retention.hours"), "KAFKA_LOG_RETENTION_HOURS");
        assert.equal(kafkaEnvName("listener.name.internal.ssl_key"), "KAFKA_LISTENER_NAME_INTERNAL_SSL__KEY");
        assert.equal(kafkaEnvName("a-b.c"), "KAFKA_A___B_C");
    });

    it("round-trip through the images' decoding for any property name", () => {
        const segment = fc.stringMatching(/^[a-z0-9]+([_-][a-z0-9]+)*$/);
        fc.assert(
            fc.property(fc.array(segment, { minLength: 1, maxLength: 5 }), (parts) => {
                const property = parts.join(".");
                return kafkaPropertyName(kafkaEnvName(property)) === property;
            }),
        );
    });
});
