/** Resource changes between two recorded graphs: creates, deletes, updates and known replacements. */
import { strict as assert } from "node:assert";
import { compareGraphs } from "../../tools/graph/diff";
import { Recorded } from "../../tools/graph/mocks";
import { TYPES } from "../harness";

const r = (type: string, name: string, inputs: Record<string, unknown>): Recorded => ({ type, name, inputs });
const BASE: Recorded[] = [
    r(TYPES.container, "kafka-1", { envs: ["A=1"], restart: "unless-stopped" }),
    r(TYPES.container, "kafka-2", { envs: ["A=1"], restart: "unless-stopped" }),
    r(TYPES.container, "kafka-3", { envs: ["A=1"] }),
    r(TYPES.topic, "orders", { name: "orders", partitions: 6, config: {} }),
    r(TYPES.topic, "payments", { name: "payments", partitions: 6, config: {} }),
    r(TYPES.configMap, "nodes", { metadata: { name: "nodes" }, data: { a: "1" } }),
    r(TYPES.statefulSet, "kafka", { metadata: { name: "kafka" }, spec: { replicas: 3, volumeClaimTemplates: [{ size: "10Gi" }] } }),
    r(TYPES.statefulSet, "zookeeper", { metadata: { name: "zookeeper" }, spec: { replicas: 1, volumeClaimTemplates: [{ size: "2Gi" }] } }),
];
const HEAD: Recorded[] = [
    r(TYPES.container, "kafka-1", { envs: ["A=2"], restart: "unless-stopped" }),
    r(TYPES.container, "kafka-2", { envs: ["A=1"], restart: "always" }),
    r(TYPES.topic, "orders", { name: "orders", partitions: 12, config: {} }),
    r(TYPES.topic, "payments", { name: "payments", partitions: 3, config: {} }),
    r(TYPES.topic, "refunds", { name: "refunds", partitions: 3, config: {} }),
    r(TYPES.configMap, "nodes", { metadata: { name: "nodes" }, data: { a: "2" } }),
    r(TYPES.statefulSet, "kafka", { metadata: { name: "kafka" }, spec: { replicas: 4, volumeClaimTemplates: [{ size: "10Gi" }] } }),
    r(TYPES.statefulSet, "zookeeper", { metadata: { name: "zookeeper" }, spec: { replicas: 1, volumeClaimTemplates: [{ size: "5Gi" }] } }),
];

describe("resource changes between two graphs", () => {
    it("classifies each resource, sorted by type and name, naming the inputs that differ", () => {
        assert.deepEqual(
            compareGraphs(BASE, HEAD).map((c) => `${c.operation} ${c.type.split(":").pop()} ${c.name} [${c.inputs.join(",")}]`),
            [
                "replace Container kafka-1 [envs]",
                "update Container kafka-2 [restart]",
                "delete Container kafka-3 []",
                "update Topic orders [partitions]",
                "replace Topic payments [partitions]",
                "create Topic refunds []",
                "update StatefulSet kafka [spec]",
                "replace StatefulSet zookeeper [spec]",
                "replace ConfigMap nodes [data]",
            ],
        );
    });

    it("an identical graph has no changes", () => {
        assert.deepEqual(
            compareGraphs(
                BASE,
                BASE.map((x) => ({ ...x, inputs: structuredClone(x.inputs) })),
            ),
            [],
        );
    });

    it("a dynamic resource whose code alone changed has no changes (its diff ignores __provider); other inputs still count", () => {
        const guard = "pulumi-nodejs:dynamic/kafka-env:ClusterGuard";
        const before = [r(guard, "g", { __provider: "code v1", mode: "kraft" }), r(TYPES.container, "c", { __provider: "x", envs: [] })];
        const after = [r(guard, "g", { __provider: "code v2", mode: "kraft" }), r(TYPES.container, "c", { __provider: "y", envs: [] })];
        assert.deepEqual(
            compareGraphs(before, after).map((c) => `${c.operation} ${c.name} [${c.inputs.join(",")}]`),
            ["replace c [__provider]"],
        );
        const moved = [r(guard, "g", { __provider: "code v2", mode: "zookeeper" })];
        assert.deepEqual(
            compareGraphs(before.slice(0, 1), moved).map((c) => `${c.operation} ${c.name} [${c.inputs.join(",")}]`),
            ["update g [mode]"],
        );
    });
});
