/**
 * Memory on Kubernetes (components/kubernetes/config.ts): each JVM's heap leaves room under its
 * memory limit, a request stays within its limit, and a memory size is not written in thousandths
 * of a byte. Every rule, word for word.
 */
import { strict as assert } from "node:assert";
import { HEAP_SHARE_OF_LIMIT } from "../../components/kubernetes/resources";
import { Problem } from "../../components/model";
import { planEnvironment } from "../../components/plan";
import { planProblems } from "../planProblems";

const problemsOf = (cluster: unknown, kubernetes: unknown) => planProblems({ values: { target: "kubernetes", cluster, kubernetes }, stack: "k8s" });

const limits = (workload: string, memory: string, request = memory) => ({ resources: { [workload]: { requests: { memory: request }, limits: { memory } } } });
const ZK = { mode: "zookeeper" };

const CASES: [rule: string, cluster: unknown, kubernetes: unknown, expected: Problem[]][] = [
    [
        "a broker heap above 75% of the limit",
        { heapOpts: "-Xms2g -Xmx2g" },
        limits("kafka", "512Mi"),
        [
            {
                path: "kubernetes.resources.kafka.limits.memory",
                message:
                    'is "512Mi" but the brokers\' heap is 2 GiB (-Xmx2g in cluster.heapOpts): a heap may take at most 75% of the memory limit (384 MiB here), the rest is the JVM\'s own memory; raise the limit to at least "2731Mi" or lower -Xmx to 384m',
            },
        ],
    ],
    [
        "a dedicated controller heap above 75% of the limit",
        { kraft: { dedicatedControllers: true }, heapOpts: "-Xmx700m" },
        limits("controller", "768Mi"),
        [
            {
                path: "kubernetes.resources.controller.limits.memory",
                message:
                    'is "768Mi" but the controllers\' heap is 700 MiB (-Xmx700m in cluster.heapOpts): a heap may take at most 75% of the memory limit (576 MiB here), the rest is the JVM\'s own memory; raise the limit to at least "934Mi" or lower -Xmx to 576m',
            },
        ],
    ],
    [
        "ZooKeeper's fixed heap above 75% of the limit",
        ZK,
        limits("zookeeper", "300Mi"),
        [
            {
                path: "kubernetes.resources.zookeeper.limits.memory",
                message:
                    'is "300Mi" but ZooKeeper\'s heap is 256 MiB (-Xmx256m, set by kafka-env): a heap may take at most 75% of the memory limit (225 MiB here), the rest is the JVM\'s own memory; raise the limit to at least "342Mi"',
            },
        ],
    ],
    [
        "a limit set alone below the default request",
        {},
        { resources: { kafka: { limits: { memory: "768Mi" } } } },
        [
            {
                path: "kubernetes.resources.kafka.requests.memory",
                message:
                    'is "1Gi", above the limit "768Mi" (kubernetes.resources.kafka.limits.memory), which Kubernetes refuses; set the request to "768Mi" or less',
            },
        ],
    ],
    [
        "a memory size in thousandths of a byte",
        {},
        limits("kafkaUi", "512m", "256Mi"),
        [{ path: "kubernetes.resources.kafkaUi.limits.memory", message: 'is "512m", which Kubernetes reads as thousandths of a byte; write "512Mi"' }],
    ],
];

describe("memory on Kubernetes", () => {
    for (const [rule, cluster, kubernetes, expected] of CASES) {
        it(`refuses ${rule}`, () => {
            assert.deepEqual(problemsOf(cluster, kubernetes), expected);
        });
    }

    it(`accepts the defaults, and a heap of exactly ${HEAP_SHARE_OF_LIMIT * 100}% of the limit`, () => {
        assert.deepEqual(problemsOf({}, {}), []);
        assert.deepEqual(problemsOf({ ...ZK, kraft: undefined }, {}), []);
        assert.deepEqual(problemsOf({ kraft: { dedicatedControllers: true } }, {}), []);
        assert.deepEqual(problemsOf({ heapOpts: "-Xmx768m" }, limits("kafka", "1Gi")), []);
        assert.deepEqual(problemsOf({ heapOpts: "-XX:MaxRAMPercentage=75" }, limits("kafka", "512Mi")), [], "no -Xmx: nothing to compare");
    });

    it("leaves Docker stacks alone: no memory limits there", () => {
        assert.doesNotThrow(() => planEnvironment({ values: { cluster: { heapOpts: "-Xmx4g" } }, stack: "dev" }));
    });
});
