import { strict as assert } from "node:assert";
import { ClusterConfig } from "../../components/model";
import { CLUSTER_SHAPE, Shape, checkShape, closest } from "../../components/model/shape";

type DeepRequired<T> = T extends (infer U)[]
    ? DeepRequired<U>[]
    : T extends Record<string, string>
      ? T
      : T extends object
        ? { [K in keyof T]-?: DeepRequired<T[K]> }
        : T;

/** Every key of `ClusterConfig`, set: the compiler fails here when a key is added to the interface. */
const EVERY_KEY: DeepRequired<ClusterConfig> = {
    name: "x",
    mode: "kraft",
    brokers: 3,
    replication: {
        defaultReplicationFactor: 3,
        minInsyncReplicas: 2,
        numPartitions: 3,
        offsetsTopicReplicationFactor: 3,
        transactionStateLogReplicationFactor: 3,
        transactionStateLogMinIsr: 2,
    },
    zookeeper: { nodes: 1, clientPort: 2181, hostPort: 2181 },
    kraft: { controllers: 3, dedicatedControllers: false, clusterId: "MkU3OEVBNTcwNTJENDM2Qk" },
    listeners: { internalPort: 1, controllerPort: 2, externalPort: 3, advertisedHost: "h", bindAddress: "127.0.0.1", replicationPort: 4 },
    images: { kafka: "k:1", zookeeper: "z:1", kafkaUi: "u:1" },
    heapOpts: "-Xmx1g",
    brokerConfig: { "a.b": "c" },
    topics: [{ name: "t", partitions: 1, replicationFactor: 1, config: { "a.b": "c" }, protect: true }],
    protectTopics: true,
    rebalanceOnScaleOut: false,
    kafkaUi: { enabled: true, port: 8080, readOnly: false, clusterName: "c", username: "u" },
    security: {
        authentication: "scram-sha-512",
        tls: true,
        authorization: true,
        certificates: { validityDays: 365, renewalDays: 30, caValidityDays: 1825 },
    },
    users: [{ name: "u", acls: [{ resource: "topic", name: "t", patternType: "prefixed", operations: ["Read"], permission: "deny", host: "*" }] }],
    metrics: { enabled: true, port: 9404, agentJar: "/a.jar", hostPort: 19404 },
};

function keysOf(value: unknown, path: string): string[] {
    if (Array.isArray(value)) return keysOf(value[0], `${path}[]`);
    if (typeof value !== "object" || value === null) return [];
    return Object.entries(value).flatMap(([k, v]) => [`${path}.${k}`, ...keysOf(v, `${path}.${k}`)]);
}

function shapeKeys(shape: Shape, path: string): string[] {
    if (shape.kind === "list") return shapeKeys(shape.of, `${path}[]`);
    if (shape.kind !== "object") return [];
    return Object.entries(shape.fields).flatMap(([k, s]) => [`${path}.${k}`, ...shapeKeys(s, `${path}.${k}`)]);
}

describe("config shape", () => {
    it("declares exactly the keys of ClusterConfig", () => {
        const fromType = keysOf(EVERY_KEY, "cluster").filter((k) => !/(brokerConfig|config)\.a\.b$/.test(k));
        assert.deepEqual(shapeKeys(CLUSTER_SHAPE, "cluster").sort(), fromType.sort());
    });

    it("accepts a config that sets every key", () => {
        assert.deepEqual(checkShape(EVERY_KEY, CLUSTER_SHAPE, "cluster").problems, []);
    });

    it("drops what fails so later checks see only sound values", () => {
        const { value, problems } = checkShape({ brokers: "3", topics: [{ name: "a" }, { name: "b", partitions: 1 }] }, CLUSTER_SHAPE, "cluster");
        assert.deepEqual(value, { topics: [{ name: "b", partitions: 1 }] });
        assert.equal(problems.length, 2);
    });

    it("suggests near keys and nothing for far ones", () => {
        assert.equal(closest("replicationFactr", ["defaultReplicationFactor", "numPartitions"]), "defaultReplicationFactor");
        assert.equal(closest("Brokers", ["brokers", "mode"]), "brokers");
        assert.equal(closest("zzzzzz", ["brokers", "mode"]), undefined);
    });
});
