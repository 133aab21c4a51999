/**
 * Node settings reach the pods by a roll, not a replacement: under mocks, what a settings change
 * changes (and what it leaves alone); the topics Job's failure policy; the waiters. (The readiness
 * probe: brokerReady.test.ts; Pod Security and volumes: podSecurity.test.ts.)
 */
import { strict as assert } from "node:assert";
import { graphDiff } from "../../tools/graph/diff";
import { Recorded, runProgram, stackConfig, withCluster } from "../../tools/graph/mocks";
import { TYPES, byType } from "../harness";

const K8S = stackConfig("k8s");
const KRAFT_DEDICATED = withCluster(K8S, (c) => {
    c.mode = "kraft";
    delete c.zookeeper;
    c.kraft = { dedicatedControllers: true };
});
const graph = async (config: Record<string, string>) => (await runProgram(config, "k8s")).resources;
const lowerMinIsr = (config: Record<string, string>) => withCluster(config, (c) => (c.replication.minInsyncReplicas = 1));
const sts = (rs: readonly Recorded[], group: string) => byType(rs, TYPES.statefulSet).get(`kafka-dev-${group}`)!;
const settingsMap = (rs: readonly Recorded[], group: string) => byType(rs, TYPES.configMap).get(`kafka-dev-${group}-settings`)!;
/** The StatefulSet fields Kubernetes does not let an update change: a change there forces a replacement. */
const IMMUTABLE = ["selector", "serviceName", "podManagementPolicy", "volumeClaimTemplates", "persistentVolumeClaimRetentionPolicy"];

describe("Kubernetes: a node settings change rolls its group alone", () => {
    for (const [mode, config, other] of [
        ["ZooKeeper mode", K8S, "zookeeper"],
        ["KRaft, dedicated controllers", KRAFT_DEDICATED, "controller"],
    ] as const) {
        it(`${mode}: minInsyncReplicas 2 -> 1 changes the brokers' settings, template and waiter; ${other} untouched`, async () => {
            const before = await graph(config);
            const after = await graph(lowerMinIsr(config));
            const ready = "pulumi-nodejs:dynamic/kafka-env:WorkloadReady";
            assert.deepEqual(graphDiff(before, after), {
                added: [],
                removed: [],
                changed: [`${TYPES.statefulSet}::kafka-dev-kafka`, `${TYPES.configMap}::kafka-dev-kafka-settings`, `${ready}::kafka-dev-kafka-ready`].sort(),
            });
            // The ConfigMap is versioned: a new name (so it is created before the old one is deleted), immutable.
            const [cmBefore, cmAfter] = [settingsMap(before, "kafka"), settingsMap(after, "kafka")];
            assert.notEqual(cmAfter.inputs.metadata.name, cmBefore.inputs.metadata.name);
            assert.match(cmAfter.inputs.metadata.name, /^kafka-dev-kafka-settings-[0-9a-f]{10}$/);
            assert.equal(cmAfter.inputs.immutable, true);
            assert.equal(cmAfter.options!.deleteBeforeReplace, false);
            // The StatefulSet is updated in place: only its pod template changes, with the new hash.
            const [a, b] = [sts(before, "kafka").inputs.spec, sts(after, "kafka").inputs.spec];
            for (const field of IMMUTABLE) assert.deepEqual(b[field], a[field], field);
            const hash = b.template.metadata.annotations["kafka-env.io/settings-hash"];
            assert.equal(cmAfter.inputs.metadata.name, `kafka-dev-kafka-settings-${hash}`);
            assert.equal(b.template.spec.volumes[0].configMap.name, cmAfter.inputs.metadata.name);
            assert.notEqual(hash, a.template.metadata.annotations["kafka-env.io/settings-hash"]);
            assert.deepEqual(b.updateStrategy, { type: "RollingUpdate", rollingUpdate: { partition: 0 } });
        });
    }

    it("every group keeps at most one pod down for voluntary disruptions", async () => {
        const rs = await graph(KRAFT_DEDICATED);
        assert.deepEqual(
            [...byType(rs, TYPES.pdb).values()].map((p) => [p.name, p.inputs.spec.maxUnavailable]),
            [
                ["kafka-dev-controller-pdb", 1],
                ["kafka-dev-kafka-pdb", 1],
            ],
        );
    });
});

describe("Kubernetes: waiting for workloads", () => {
    let rs: Recorded[];
    before(async () => {
        rs = await graph({ ...K8S, "kafka-env:kubernetes": JSON.stringify({ readyTimeoutSeconds: 900 }) });
    });

    it("one waiter per StatefulSet, kafka-ui and the topics Job, each after its workload; the provider does not await them", () => {
        const waiters = [...byType(rs, TYPES.ready).values()];
        assert.deepEqual(waiters.map((w) => [w.name, w.inputs.kind, w.inputs.name, w.inputs.timeoutSeconds]).sort(), [
            ["kafka-dev-kafka-ready", "StatefulSet", "kafka-dev-kafka", 900],
            ["kafka-dev-kafka-ui-ready", "Deployment", "kafka-dev-kafka-ui", 900],
            ["kafka-dev-topics-ready", "Job", byType(rs, TYPES.job).get("kafka-dev-topics")!.inputs.metadata.name, 900],
            ["kafka-dev-zookeeper-ready", "StatefulSet", "kafka-dev-zookeeper", 900],
        ]);
        for (const w of waiters)
            assert.ok(
                w.options!.dependsOn.some((u) => u.endsWith(`::${w.name.replace(/-ready$/, "")}`)),
                w.name,
            );
        for (const type of [TYPES.statefulSet, TYPES.deployment, TYPES.job]) {
            for (const r of byType(rs, type).values()) assert.equal(r.inputs.metadata.annotations["pulumi.com/skipAwait"], "true", r.name);
        }
        // The brokers start once ZooKeeper is ready, not merely created.
        assert.ok(sts(rs, "kafka").options!.dependsOn.some((u) => u.endsWith("WorkloadReady::kafka-dev-zookeeper-ready")));
    });

    it("rendering manifests has nothing to wait for", async () => {
        const rendered = await graph({ ...K8S, "kafka-env:kubernetes": JSON.stringify({ renderDirectory: "rendered" }) });
        assert.equal(byType(rendered, TYPES.ready).size, 0);
    });

    it("a changed topic list is a new Job, named after its content, created before the old one is deleted", async () => {
        const job = (r: readonly Recorded[]) => byType(r, TYPES.job).get("kafka-dev-topics")!;
        const more = await graph(
            withCluster({ ...K8S, "kafka-env:kubernetes": JSON.stringify({ readyTimeoutSeconds: 900 }) }, (c) =>
                c.topics.push({ name: "more", partitions: 1 }),
            ),
        );
        assert.match(job(rs).inputs.metadata.name, /^kafka-dev-topics-[0-9a-f]{10}$/);
        assert.notEqual(job(more).inputs.metadata.name, job(rs).inputs.metadata.name);
        assert.ok(!job(more).options!.deleteBeforeReplace);
        assert.equal(byType(more, TYPES.ready).get("kafka-dev-topics-ready")!.inputs.name, job(more).inputs.metadata.name);
    });

    it("the topics Job fails at once on a refusal (exit 3), retries anything else", () => {
        const spec = byType(rs, TYPES.job).get("kafka-dev-topics")!.inputs.spec;
        assert.equal(spec.template.spec.restartPolicy, "Never");
        assert.deepEqual(spec.podFailurePolicy.rules, [{ action: "FailJob", onExitCodes: { containerName: "topics", operator: "In", values: [3] } }]);
        assert.equal(spec.backoffLimit, 4);
    });
});
