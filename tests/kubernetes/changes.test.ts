/** Severity and reason of changes to the target and the Kubernetes settings. */
import { strict as assert } from "node:assert";
import { compareEnvironments } from "../../components/changes";
import { planEnvironment } from "../../components/plan";

const CLUSTER = { name: "kafka-dev", mode: "zookeeper", brokers: 3 };
const K8S = { target: "kubernetes", namespace: "kafka", cluster: CLUSTER, kubernetes: { storage: { size: "10Gi" } } };
type Values = Record<string, any>;
const edit = (f: (v: Values) => void, base: Values = K8S): Values => {
    const v = structuredClone(base);
    f(v);
    return v;
};
const BROKERS = "restarts kafka-1, kafka-2, kafka-3";
const SCRAM = edit((v) => (v.cluster = { ...CLUSTER, security: { authentication: "scram-sha-512" } }));

/** [rule, before, after, path, severity, reason]. */
const CASES: [string, Values, Values, string, string, string][] = [
    [
        "target switched: dangerous",
        { cluster: CLUSTER },
        K8S,
        "target",
        "dangerous",
        "docker → kubernetes is a different cluster: a new one is created and the old one is deleted with its data",
    ],
    [
        "namespace changed: dangerous",
        K8S,
        edit((v) => (v.namespace = "kafka2")),
        "namespace",
        "dangerous",
        "every object moves to another namespace: a new cluster with new volumes is created, and the old one is deleted with its data",
    ],
    [
        "broker removed: dangerous, drained first, its claim kept",
        edit((v) => (v.cluster = { ...CLUSTER, brokers: 4 })),
        K8S,
        "cluster.brokers",
        "dangerous",
        "kafka-4 is removed after its replicas move to the brokers that stay (pulumi up stops before anything moves when a partition has more replicas than the brokers that stay); " +
            "its claim is kept (whenScaled: Retain): delete it by hand, or a later scale-out reuses the old data",
    ],
    [
        "broker added: safe, spread onto it",
        K8S,
        edit((v) => (v.cluster = { ...CLUSTER, brokers: 4 })),
        "cluster.brokers",
        "safe",
        "kafka-4 joins, then a fair share of the topics' replicas moves onto it (rebalanceOnScaleOut)",
    ],
    [
        "volume size changed: dangerous",
        K8S,
        edit((v) => (v.kubernetes.storage.size = "20Gi")),
        "kubernetes.storage.size",
        "dangerous",
        "volumeClaimTemplates cannot change: the StatefulSets are replaced (their pods stop at once), and existing volumes keep their old size and class",
    ],
    [
        "broker pod resources: restart, the brokers",
        K8S,
        edit((v) => (v.kubernetes.resources = { kafka: { limits: { memory: "2Gi" } } })),
        "kubernetes.resources.kafka.limits.memory",
        "restart",
        `the pod template changes: ${BROKERS}`,
    ],
    [
        "topics from the provider to the Job: dangerous",
        edit((v) => (v.kubernetes.topics = "provider")),
        K8S,
        "kubernetes.topics",
        "dangerous",
        "the kafka:Topic resources leave the program: the provider deletes those topics and their data (protected topics stop pulumi up)",
    ],
    [
        "the namespace no longer created by the program: dangerous",
        K8S,
        edit((v) => (v.kubernetes.createNamespace = false)),
        "kubernetes.createNamespace",
        "dangerous",
        "the Namespace leaves the program: pulumi deletes it, and Kubernetes deletes everything in it",
    ],
    [
        "external access with authentication: restart, the brokers whose listeners change",
        SCRAM,
        edit((v) => (v.kubernetes.external = { type: "NodePort", advertisedHost: "node-1" }), SCRAM),
        "kubernetes.external.type",
        "restart",
        BROKERS,
    ],
    [
        "external access without authentication: dangerous, and the brokers restart",
        K8S,
        edit((v) => (v.kubernetes.external = { type: "NodePort", advertisedHost: "node-1" })),
        "kubernetes.external.type",
        "dangerous",
        "brokers reachable from outside the Kubernetes cluster (NodePort) without authentication: anyone who reaches a node's address can read, write and delete every topic; " +
            `set cluster.security.authentication; ${BROKERS}`,
    ],
    [
        "LoadBalancer: dangerous, and no placeholder in the reason",
        K8S,
        edit((v) => (v.kubernetes.external = { type: "LoadBalancer" })),
        "kubernetes.external.type",
        "dangerous",
        "brokers reachable from outside the Kubernetes cluster (LoadBalancer) without authentication: anyone who reaches a node's address can read, write and delete every topic; " +
            `set cluster.security.authentication; ${BROKERS}`,
    ],
    [
        "external access closed: restart",
        edit((v) => (v.kubernetes.external = { type: "NodePort", advertisedHost: "node-1" })),
        K8S,
        "kubernetes.external.type",
        "restart",
        BROKERS,
    ],
    [
        "source ranges: safe",
        edit((v) => (v.kubernetes.external = { type: "LoadBalancer" })),
        edit((v) => (v.kubernetes.external = { type: "LoadBalancer", sourceRanges: ["10.0.0.0/8"] })),
        "kubernetes.external.sourceRanges",
        "safe",
        "the brokers' Services (and the NetworkPolicy's sources) change in place; no pod restarts",
    ],
    [
        "NetworkPolicies off: safe, and says what opens",
        K8S,
        edit((v) => (v.kubernetes.networkPolicy = { enabled: false })),
        "kubernetes.networkPolicy.enabled",
        "safe",
        "the NetworkPolicies are deleted: any pod in the cluster reaches every port of every node",
    ],
    [
        "a node selector: restart, every node",
        K8S,
        edit((v) => (v.kubernetes.pods = { nodeSelector: { pool: "kafka" } })),
        "kubernetes.pods.nodeSelector.pool",
        "restart",
        "every pod template changes: restarts zookeeper-1, kafka-1, kafka-2, kafka-3 (kafka-ui is recreated)",
    ],
    [
        "rack awareness: restart, the brokers",
        K8S,
        edit((v) => (v.kubernetes.rack = { enabled: true })),
        "kubernetes.rack.enabled",
        "restart",
        "the brokers' pod template changes (broker.rack at start): restarts kafka-1, kafka-2, kafka-3",
    ],
    [
        "metrics on: restart, every node",
        K8S,
        edit((v) => (v.cluster = { ...CLUSTER, metrics: { enabled: true } })),
        "cluster.metrics.enabled",
        "restart",
        "every node loads the metrics agent at start: restarts zookeeper-1, kafka-1, kafka-2, kafka-3",
    ],
];

describe("target and Kubernetes setting changes", () => {
    for (const [rule, before, after, path, severity, reason] of CASES) {
        it(rule, () => {
            const changes = compareEnvironments(planEnvironment({ values: before, stack: "k8s" }), planEnvironment({ values: after, stack: "k8s" }));
            const change = changes.find((c) => c.path === path);
            assert.ok(change, `no change at ${path}: ${changes.map((c) => c.path).join(", ")}`);
            assert.deepEqual({ severity: change.severity, reason: change.reason }, { severity, reason });
            for (const c of changes) assert.doesNotMatch(c.reason, /__kafka_env_lb_/, `${c.path}: ${c.reason}`);
        });
    }
});
