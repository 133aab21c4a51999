/**
 * The two sides of a config change for the severity tables (`changes.test.ts`,
 * `topicChanges.test.ts`): a cluster config resolved and built into a model for a target, and
 * each table row checked against `compareClusters`.
 */
import { strict as assert } from "node:assert";
import { dockerAddressing } from "../../components/docker/addressing";
import { kubernetesAddressing } from "../../components/kubernetes/addressing";
import { resolveKubernetes } from "../../components/kubernetes/config";
import { Target, buildModel, resolveConfig } from "../../components/model";
import { compareClusters } from "../../components/model/changes";
import { ClusterSide, Severity } from "../../components/model/verdict";

export function side(cluster: Record<string, unknown>, target: Target = "docker"): ClusterSide {
    const config = resolveConfig({ cluster, stack: "test", hasKafkaUiPassword: false });
    const addressing = target === "docker" ? dockerAddressing(config) : kubernetesAddressing(config, resolveKubernetes(undefined, {}, config.brokers).config);
    return { target, config, model: buildModel(config, addressing) };
}

const TOPICS = [
    { name: "orders", partitions: 6 },
    { name: "payments", partitions: 3, config: { "retention.ms": "604800000" } },
    { name: "customers.compacted", partitions: 3, config: { "cleanup.policy": "compact" } },
];
export const BASE = { name: "kafka-dev", mode: "zookeeper", brokers: 3, replication: { defaultReplicationFactor: 3, minInsyncReplicas: 2 }, topics: TOPICS };
export type Cluster = Record<string, any>;
export const edit = (f: (c: Cluster) => void, base: Cluster = BASE): Cluster => {
    const c = structuredClone(base);
    f(c);
    return c;
};
export const topic = (c: Cluster, name: string) => (c.topics as Cluster[]).find((t) => t.name === name)!;
export const ALL = "restarts kafka-1, kafka-2, kafka-3";
export const KRAFT = { mode: "kraft", brokers: 3, images: { kafka: "apache/kafka:3.9.1" } };

/** [rule, before, after, path, severity, reason]. */
export type Case = [string, Cluster, Cluster, string, Severity, string];

/** Each row: the change at `path` has exactly this severity and reason. */
export function checkCases(cases: readonly Case[]): void {
    for (const [rule, before, after, path, severity, reason] of cases) {
        it(rule, () => {
            const change = compareClusters(side(before), side(after)).find((c) => c.path === path);
            assert.ok(change, `no change at ${path}`);
            assert.deepEqual({ severity: change.severity, reason: change.reason }, { severity, reason });
        });
    }
}
