import { strict as assert } from "node:assert";
import { dockerAddressing } from "../../components/docker/addressing";
import { ClusterModel, planCluster } from "../../components/model";
import { brokerChanges, kafkaVersionOf, refusedChanges, versionStep } from "../../components/model/day2";
import { restartPlan, stopGroups } from "../../components/model/restarts";

function model(cluster: Record<string, unknown>): ClusterModel {
    return planCluster({ cluster, stack: "test", hasKafkaUiPassword: false }, dockerAddressing);
}

const ZK = { mode: "zookeeper", brokers: 3, zookeeper: { nodes: 3 } };
const KRAFT = { mode: "kraft", brokers: 3 };
const DEDICATED = { mode: "kraft", brokers: 3, kraft: { dedicatedControllers: true } };

/** [change, base config, changed config, expected plan as "node: reason; reason"]. */
const CASES: [string, Record<string, unknown>, Record<string, unknown>, string[]][] = [
    ["nothing", ZK, ZK, []],
    [
        "a broker setting restarts every broker, by id, and nothing else",
        ZK,
        { ...ZK, replication: { minInsyncReplicas: 1 } },
        [1, 2, 3].map((i) => `kafka-${i}: min.insync.replicas 2 → 1; transaction.state.log.min.isr 2 → 1`),
    ],
    [
        "a new Kafka image restarts the brokers, not ZooKeeper",
        ZK,
        { ...ZK, images: { kafka: "confluentinc/cp-kafka:7.9.4" } },
        [
            "kafka-1: image confluentinc/cp-kafka:7.9.3 → 7.9.4",
            "kafka-2: image confluentinc/cp-kafka:7.9.3 → 7.9.4",
            "kafka-3: image confluentinc/cp-kafka:7.9.3 → 7.9.4",
        ],
    ],
    [
        "a new ZooKeeper image restarts ZooKeeper only, by id",
        ZK,
        { ...ZK, images: { zookeeper: "confluentinc/cp-zookeeper:7.9.4" } },
        [
            "zookeeper-1: image confluentinc/cp-zookeeper:7.9.3 → 7.9.4",
            "zookeeper-2: image confluentinc/cp-zookeeper:7.9.3 → 7.9.4",
            "zookeeper-3: image confluentinc/cp-zookeeper:7.9.3 → 7.9.4",
        ],
    ],
    [
        "heap options restart the Kafka nodes, not ZooKeeper",
        ZK,
        { ...ZK, heapOpts: "-Xmx1g" },
        [
            "kafka-1: KAFKA_HEAP_OPTS -Xms512m -Xmx512m → -Xmx1g",
            "kafka-2: KAFKA_HEAP_OPTS -Xms512m -Xmx512m → -Xmx1g",
            "kafka-3: KAFKA_HEAP_OPTS -Xms512m -Xmx512m → -Xmx1g",
        ],
    ],
    [
        "an added broker setting reads as set from unset",
        KRAFT,
        { ...KRAFT, brokerConfig: { "log.retention.hours": "24" } },
        ["kafka-1: log.retention.hours (unset) → 24", "kafka-2: log.retention.hours (unset) → 24", "kafka-3: log.retention.hours (unset) → 24"],
    ],
    [
        "dedicated controllers roll before brokers, and brokerConfig reaches brokers only",
        DEDICATED,
        { ...DEDICATED, images: { kafka: "apache/kafka:4.1.2" } },
        [
            "controller-1: image apache/kafka:4.1.1 → 4.1.2",
            "controller-2: image apache/kafka:4.1.1 → 4.1.2",
            "controller-3: image apache/kafka:4.1.1 → 4.1.2",
            "kafka-1: image apache/kafka:4.1.1 → 4.1.2",
            "kafka-2: image apache/kafka:4.1.1 → 4.1.2",
            "kafka-3: image apache/kafka:4.1.1 → 4.1.2",
        ],
    ],
    ["one more broker restarts nobody (it is created, not restarted)", KRAFT, { ...KRAFT, brokers: 4 }, []],
    ["one broker fewer restarts nobody (it is removed)", { ...KRAFT, brokers: 4 }, KRAFT, []],
    ["a topic change restarts nobody", ZK, { ...ZK, topics: [{ name: "t", partitions: 3 }] }, []],
    ["a kafka-ui change restarts nobody", ZK, { ...ZK, kafkaUi: { port: 8081 } }, []],
    [
        "a new external port restarts the brokers whose listeners move",
        { ...ZK, brokers: 2 },
        { ...ZK, brokers: 2, listeners: { externalPort: 9192 } },
        [
            "kafka-1: advertised.listeners INTERNAL://kafka-1:29092,EXTERNAL://localhost:9092 → INTERNAL://kafka-1:29092,EXTERNAL://localhost:9192; listeners INTERNAL://0.0.0.0:29092,EXTERNAL://0.0.0.0:9092 → INTERNAL://0.0.0.0:29092,EXTERNAL://0.0.0.0:9192; published ports 127.0.0.1:9092->9092 → 127.0.0.1:9192->9192",
            "kafka-2: advertised.listeners INTERNAL://kafka-2:29092,EXTERNAL://localhost:9093 → INTERNAL://kafka-2:29092,EXTERNAL://localhost:9193; listeners INTERNAL://0.0.0.0:29092,EXTERNAL://0.0.0.0:9093 → INTERNAL://0.0.0.0:29092,EXTERNAL://0.0.0.0:9193; published ports 127.0.0.1:9093->9093 → 127.0.0.1:9193->9193",
        ],
    ],
];

describe("restartPlan: which nodes restart, why, in what order", () => {
    for (const [change, base, changed, expected] of CASES) {
        it(change, () => {
            const plan = restartPlan(model(base), model(changed));
            assert.deepEqual(
                plan.map((r) => `${r.node}: ${r.reasons.join("; ")}`),
                expected,
            );
        });
    }

    it("carries each node's roles", () => {
        const plan = restartPlan(model(KRAFT), model({ ...KRAFT, heapOpts: "-Xmx1g" }));
        assert.deepEqual(
            plan.map((r) => r.roles.join(",")),
            ["broker,controller", "broker,controller", "broker,controller"],
        );
    });

    it("rolls ZooKeeper before brokers when both change", () => {
        const plan = restartPlan(model(ZK), model({ ...ZK, zookeeper: { nodes: 3, clientPort: 2182 } }));
        assert.deepEqual(
            plan.map((r) => r.node),
            ["zookeeper-1", "zookeeper-2", "zookeeper-3", "kafka-1", "kafka-2", "kafka-3"],
        );
        assert.match(plan[3].reasons.join(), /zookeeper.connect zookeeper-1:2181,.* → zookeeper-1:2182,/);
    });
});

describe("day-2 rules", () => {
    it("names the brokers added, removed and kept", () => {
        assert.deepEqual(brokerChanges(model({ ...KRAFT, brokers: 4 }), model(KRAFT)), { added: [], removed: [4], kept: [1, 2, 3] });
        assert.deepEqual(brokerChanges(model(KRAFT), model({ ...KRAFT, brokers: 5 })), { added: [4, 5], removed: [], kept: [1, 2, 3] });
    });

    const VERSIONS: [string, string | undefined][] = [
        ["apache/kafka:4.1.1", "4.1"],
        ["confluentinc/cp-kafka:7.9.3", "3.9"],
        ["confluentinc/cp-kafka:8.0.0", "4.0"],
        ["localhost/kafka-env/kafka:4.1-local", "4.1"],
        ["localhost/kafka-env/cp-kafka:7.9-local", "3.9"],
        ["registry.local:5000/apache/kafka:4.0.0", "4.0"],
        ["bitnami/kafka:3.9", "3.9"],
        ["example/broker:1.0", undefined],
        ["apache/kafka@sha256:abc", undefined],
    ];
    for (const [image, version] of VERSIONS) {
        it(`reads Kafka ${version ?? "(unknown)"} from ${image}`, () => {
            const v = kafkaVersionOf(image);
            assert.equal(v && `${v.major}.${v.minor}`, version);
        });
    }

    it("steps the version after an upgrade: metadata.version in KRaft, the protocol in ZooKeeper mode", () => {
        assert.deepEqual(versionStep("kraft", "apache/kafka:4.0.0", "apache/kafka:4.1.1"), {
            kind: "upgrade",
            from: "4.0",
            to: "4.1",
            finalize: "kafka-features upgrade --metadata 4.1",
        });
        const zk = versionStep("zookeeper", "confluentinc/cp-kafka:7.8.0", "confluentinc/cp-kafka:7.9.3", "3.8");
        assert.equal(zk.kind, "upgrade");
        assert.match(
            zk.kind === "upgrade" ? zk.finalize : "",
            /^remove brokerConfig inter.broker.protocol.version \(pinned at 3.8\) .* a second roll raises the protocol to 3.9/,
        );
        assert.equal(
            versionStep("zookeeper", "confluentinc/cp-kafka:7.7.0", "confluentinc/cp-kafka:7.9.3", "3.7-IV4").kind,
            "upgrade",
            "pinned at the running release",
        );
        assert.deepEqual(versionStep("kraft", "apache/kafka:4.1.1", "apache/kafka:4.1.2"), { kind: "none" }, "a patch release only rolls");
    });

    it("refuses a downgrade with the reason", () => {
        const step = versionStep("kraft", "apache/kafka:4.1.1", "apache/kafka:4.0.0");
        assert.equal(step.kind, "refused");
        assert.match(step.kind === "refused" ? step.reason : "", /downgrade from Kafka 4.1 to 4.0: .*metadata.version/);
        const refused = refusedChanges(model(KRAFT), model({ ...KRAFT, images: { kafka: "apache/kafka:4.0.0" } }));
        assert.equal(refused.length, 1);
    });

    it("in ZooKeeper mode, takes an upgrade only with the inter-broker protocol pinned at the running release", () => {
        for (const protocol of [undefined, "3.9", "3.9-IV0"]) {
            const step = versionStep("zookeeper", "confluentinc/cp-kafka:7.8.0", "confluentinc/cp-kafka:7.9.3", protocol);
            assert.equal(step.kind, "refused", `protocol ${protocol}`);
            assert.match(step.kind === "refused" ? step.reason : "", /Kafka 3.8 → 3.9 in ZooKeeper mode .*could not replicate/);
            assert.match(
                step.kind === "refused" ? step.reason : "",
                /Set brokerConfig "inter.broker.protocol.version": "3.8" .*then remove it \(or set "3.9"\)/,
            );
        }
        const upgraded = { ...ZK, images: { kafka: "confluentinc/cp-kafka:7.9.3" } };
        const running = { ...ZK, images: { kafka: "confluentinc/cp-kafka:7.8.0" } };
        assert.match(refusedChanges(model(running), model(upgraded)).join(), /without pinning the inter-broker protocol/);
        const pinned = { ...upgraded, brokerConfig: { "inter.broker.protocol.version": "3.8" } };
        assert.deepEqual(refusedChanges(model(running), model(pinned)), []);
        // The second step: the pin removed on the new image; and a patch release needs no pin.
        assert.deepEqual(refusedChanges(model(pinned), model(upgraded)), []);
        assert.deepEqual(refusedChanges(model(upgraded), model({ ...ZK, images: { kafka: "confluentinc/cp-kafka:7.9.4" } })), []);
    });

    it("refuses a mode switch with the way to recreate the cluster", () => {
        const refused = refusedChanges(model(ZK), model(KRAFT));
        assert.equal(refused.length, 1);
        assert.match(refused[0], /^mode zookeeper → kraft on a cluster that holds data/);
        assert.match(refused[0], /pulumi destroy.*pulumi up/);
    });

    it("refuses a change of the KRaft quorum, the cluster id, or the ensemble size", () => {
        assert.match(
            refusedChanges(model({ mode: "kraft", brokers: 1 }), model({ mode: "kraft", brokers: 3 })).join(),
            /controller.quorum.voters 1@kafka-1:29093 →/,
        );
        assert.match(refusedChanges(model(KRAFT), model({ ...KRAFT, kraft: { clusterId: "AAAAAAAAAAAAAAAAAAAAAA" } })).join(), /^kraft.clusterId/);
        assert.match(refusedChanges(model(ZK), model({ ...ZK, zookeeper: { nodes: 1 } })).join(), /^zookeeper.nodes 3 → 1/);
    });

    it("takes scaling, settings and upgrades", () => {
        assert.deepEqual(refusedChanges(model(KRAFT), model({ ...KRAFT, brokers: 4, heapOpts: "-Xmx1g", images: { kafka: "apache/kafka:4.2.0" } })), []);
        assert.deepEqual(refusedChanges(model({ ...ZK, brokers: 4 }), model(ZK)), []);
    });

    it("stops a whole cluster brokers first, all at once, then dedicated controllers, then ZooKeeper", () => {
        assert.deepEqual(stopGroups(model(ZK).nodes), [
            ["kafka-1", "kafka-2", "kafka-3"],
            ["zookeeper-1", "zookeeper-2", "zookeeper-3"],
        ]);
        // Combined nodes hold the quorum: they stop together, so no broker waits for a gone controller.
        assert.deepEqual(stopGroups(model({ ...KRAFT, brokers: 4 }).nodes), [["kafka-1", "kafka-2", "kafka-3", "kafka-4"]]);
        assert.deepEqual(stopGroups(model(DEDICATED).nodes), [
            ["kafka-1", "kafka-2", "kafka-3"],
            ["controller-1", "controller-2", "controller-3"],
        ]);
    });
});
