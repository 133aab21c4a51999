/**
 * Day-2 steps on Kubernetes: where they sit in the graph (guard before every pod, drain before the
 * brokers' StatefulSet, settle and version step after it), what each step runs given what the
 * cluster reports (with stand-in Kafka tools for the Jobs). The scripts the Jobs run: tests/model/day2Scripts.test.ts.
 */
import { strict as assert } from "node:assert";
import { applyDrain, applySettle, applyVersionStep } from "../../components/kubernetes/day2";
import { ClusterHands } from "../../components/kubernetes/tools";
import { guardProvider } from "../../components/guards/clusterGuard";
import { Recorded, runProgram, stackConfig, withCluster } from "../../tools/graph/mocks";
import { TYPES, byType } from "../harness";
import { ToolRun, describeLines, fakeTools } from "../day2/fakeTools";

const K8S = stackConfig("k8s");
const DAY2 = {
    guard: "pulumi-nodejs:dynamic/kafka-env:ClusterGuard",
    drain: "pulumi-nodejs:dynamic/kafka-env:BrokerDrain",
    settle: "pulumi-nodejs:dynamic/kafka-env:BrokerSettle",
    version: "pulumi-nodejs:dynamic/kafka-env:VersionStep",
};
const urn = (r: Recorded) => `${r.type}::${r.name}`;
const one = (resources: Recorded[], type: string) => [...byType(resources, type).values()][0];
const dependsOn = (r: Recorded, on: Recorded) => r.options!.dependsOn.some((u) => u.endsWith(urn(on)));

describe("Kubernetes day-2 steps in the resource graph", () => {
    let resources: Recorded[];
    before(async () => {
        ({ resources } = await runProgram(K8S, "k8s"));
    });

    it("the guard comes before every StatefulSet", () => {
        const guard = one(resources, DAY2.guard);
        assert.deepEqual(guard.inputs.mode, "zookeeper");
        for (const sts of byType(resources, TYPES.statefulSet).values()) assert.ok(dependsOn(sts, guard), sts.name);
    });

    it("the drain comes before the brokers' StatefulSet; the settle after it is ready; the version step last", () => {
        const [drainStep, settleStep, version] = [one(resources, DAY2.drain), one(resources, DAY2.settle), one(resources, DAY2.version)];
        const sts = byType(resources, TYPES.statefulSet);
        const ready = byType(resources, TYPES.ready);
        assert.ok(dependsOn(sts.get("kafka-dev-kafka")!, drainStep));
        assert.ok(!dependsOn(sts.get("kafka-dev-zookeeper")!, drainStep), "ZooKeeper does not wait for the brokers' drain");
        assert.ok(dependsOn(settleStep, ready.get("kafka-dev-kafka-ready")!));
        assert.ok(dependsOn(version, settleStep));
        assert.ok(dependsOn(version, ready.get("kafka-dev-zookeeper-ready")!));
        assert.deepEqual(drainStep.inputs.brokers, [1, 2, 3]);
        assert.deepEqual(drainStep.inputs.pods, { 1: "kafka-dev-kafka-0", 2: "kafka-dev-kafka-1", 3: "kafka-dev-kafka-2" });
        assert.equal(drainStep.inputs.namespace, "kafka");
        assert.equal(drainStep.inputs.kraft, false);
        assert.equal(drainStep.inputs.rebalanceOnScaleOut, true);
        const stepInputs = (r: Recorded) => Object.fromEntries(Object.entries(r.inputs).filter(([k]) => k !== "__provider"));
        assert.deepEqual(stepInputs(settleStep), stepInputs(drainStep));
    });

    it("the broker count changes the drain's, the settle's and the StatefulSet's broker lists together", async () => {
        const { resources: after } = await runProgram(
            withCluster(K8S, (c) => (c.brokers = 4)),
            "k8s",
        );
        for (const step of [DAY2.drain, DAY2.settle]) {
            assert.deepEqual(one(after, step).inputs.brokers, [1, 2, 3, 4]);
            assert.equal(one(after, step).inputs.bootstrap.split(",").length, 4);
            assert.equal(one(after, step).inputs.pods[4], "kafka-dev-kafka-3");
        }
        assert.equal(byType(after, TYPES.statefulSet).get("kafka-dev-kafka")!.inputs.spec.replicas, 4);
    });

    it("rendering manifests registers no step that would run in the cluster (the guard stays)", async () => {
        const { resources: rendered } = await runProgram({ ...K8S, "kafka-env:kubernetes": JSON.stringify({ renderDirectory: "rendered" }) }, "k8s");
        assert.equal(byType(rendered, DAY2.drain).size + byType(rendered, DAY2.settle).size + byType(rendered, DAY2.version).size, 0);
        assert.equal(byType(rendered, DAY2.guard).size, 1);
    });

    it("the guard refuses a mode switch of the Kubernetes stack", async () => {
        const { resources: kraft } = await runProgram(
            withCluster(K8S, (c) => {
                c.mode = "kraft";
                delete c.zookeeper;
            }),
            "k8s",
        );
        const [before, after] = [one(resources, DAY2.guard).inputs, one(kraft, DAY2.guard).inputs];
        const checked = await guardProvider.check!(before, after);
        assert.match(checked.failures![0].reason, /mode zookeeper → kraft on a cluster that holds data/);
    });
});

/** Stand-in hands: Kafka's tools answer `describe` with `assignment` and record every run; pod waits are recorded. */
function hands(describeOutput: string) {
    const calls: ToolRun[] = [];
    const podsWaited: string[] = [];
    const h: ClusterHands = {
        tools: (_place, bootstrap) => fakeTools(bootstrap, describeOutput, calls).tools,
        podGone: (_place, pod) => {
            podsWaited.push(pod);
            return Promise.resolve();
        },
    };
    return { h, calls, podsWaited };
}

const state = (brokers: number[], extra: object = {}) => ({
    namespace: "kafka",
    env: "kafka-dev",
    image: "apache/kafka:4.0.0",
    timeoutSeconds: 600,
    brokers,
    pods: Object.fromEntries(brokers.map((b) => [String(b), `kafka-dev-kafka-${b - 1}`])),
    bootstrap: brokers.map((b) => `kafka-dev-kafka-${b - 1}.h:29092`).join(","),
    kraft: true,
    rebalanceOnScaleOut: true,
    ...extra,
});

describe("Kubernetes day-2 steps, given what the cluster reports", () => {
    const audit = describeLines([
        ["audit", 0, [1, 2, 3]],
        ["audit", 1, [2, 3, 4]],
        ["audit", 2, [3, 4, 1]],
        ["audit", 3, [4, 1, 2]],
    ]);

    it("creating a cluster runs nothing", async () => {
        const { h, calls } = hands(audit);
        await applyDrain(h, undefined, state([1, 2, 3]));
        await applySettle(h, undefined, state([1, 2, 3]));
        assert.deepEqual(calls, []);
    });

    it("scale-in: the drain moves broker 4's replicas to the brokers that stay, through the brokers that stay", async () => {
        const { h, calls } = hands(audit);
        const out = await applyDrain(h, state([1, 2, 3, 4]), state([1, 2, 3]));
        assert.deepEqual(
            calls.map((c) => c.what),
            ["describe", "reassign"],
        );
        assert.match(calls[0].script, /--bootstrap-server kafka-dev-kafka-0\.h:29092,kafka-dev-kafka-1\.h:29092,kafka-dev-kafka-2\.h:29092 --describe$/);
        const plan = JSON.parse(calls[1].env!.KAFKA_ENV_PLAN);
        assert.deepEqual(
            plan.partitions.map((p: { partition: number }) => p.partition),
            [1, 2, 3],
        );
        for (const p of plan.partitions as { replicas: number[] }[]) assert.ok(!p.replicas.includes(4) && new Set(p.replicas).size === 3);
        assert.equal(out.lastReassignment!.reason, "drain broker 4");
        assert.equal(out.lastReassignment!.partitions, 3);
    });

    it("scale-in: refused, before anything moves, when a partition has more replicas than the brokers that stay", async () => {
        const { h, calls } = hands(audit);
        await assert.rejects(
            applyDrain(h, state([1, 2, 3, 4]), state([1, 2])),
            /cannot remove broker 3, 4: 4 partition\(s\) have more replicas than the 2 broker\(s\) that stay.*keep 4 brokers\. Nothing was moved/,
        );
        assert.deepEqual(
            calls.map((c) => c.what),
            ["describe"],
        );
    });

    it("KRaft scale-in: the settle waits for the pod to be gone, then unregisters the broker", async () => {
        const { h, calls, podsWaited } = hands(audit);
        await applySettle(h, state([1, 2, 3, 4]), state([1, 2, 3]));
        assert.deepEqual(podsWaited, ["kafka-dev-kafka-3"]);
        assert.deepEqual(
            calls.map((c) => c.what),
            ["unregister"],
        );
        assert.match(calls[0].script, /for id in 4; do/);
    });

    it("ZooKeeper-mode scale-in: nothing to unregister (the broker's registration goes with its session)", async () => {
        const { h, calls, podsWaited } = hands(audit);
        await applySettle(h, state([1, 2, 3, 4], { kraft: false }), state([1, 2, 3], { kraft: false }));
        assert.deepEqual([calls, podsWaited], [[], []]);
    });

    it("scale-out: the settle spreads the topics' replicas onto the new broker, or leaves it empty when turned off", async () => {
        const before = describeLines([0, 1, 2, 3].map((p) => ["orders", p, [1, 2, 3].map((_, i) => ((p + i) % 3) + 1)]));
        const on = hands(before);
        const out = await applySettle(on.h, state([1, 2, 3]), state([1, 2, 3, 4]));
        assert.deepEqual(
            on.calls.map((c) => c.what),
            ["describe", "reassign"],
        );
        assert.match(on.calls[0].script, /--describe --exclude-internal$/);
        const moved = JSON.parse(on.calls[1].env!.KAFKA_ENV_PLAN).partitions as { replicas: number[] }[];
        assert.equal(moved.filter((p) => p.replicas.includes(4)).length, 3, "broker 4 takes 3 of the 12 replicas");
        assert.equal(out.lastReassignment!.reason, "spread onto broker 4");
        const off = hands(before);
        await applySettle(off.h, state([1, 2, 3], { rebalanceOnScaleOut: false }), state([1, 2, 3, 4], { rebalanceOnScaleOut: false }));
        assert.deepEqual(off.calls, []);
    });

    it("an upgrade 4.0 → 4.1 raises KRaft's metadata.version; ZooKeeper mode and an unchanged image run nothing", async () => {
        const v = (mode: "kraft" | "zookeeper", image: string) => ({ ...state([1, 2, 3]), mode, image });
        const kraft = hands("");
        const out = await applyVersionStep(kraft.h, v("kraft", "apache/kafka:4.0.0"), v("kraft", "apache/kafka:4.1.1"));
        assert.deepEqual(
            kraft.calls.map((c) => c.what),
            ["features"],
        );
        assert.match(kraft.calls[0].script, /upgrade --metadata 4\.1$/);
        assert.match(out.lastStep!, /^4\.0 → 4\.1: kafka-features upgrade --metadata 4\.1/);
        const zk = hands("");
        await applyVersionStep(zk.h, v("zookeeper", "confluentinc/cp-kafka:7.8.0"), v("zookeeper", "confluentinc/cp-kafka:7.9.0"));
        await applyVersionStep(zk.h, v("kraft", "apache/kafka:4.1.1"), v("kraft", "apache/kafka:4.1.1"));
        assert.deepEqual(zk.calls, []);
    });
});
