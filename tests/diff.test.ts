/**
 * Reviewable diffs: compare the mocked resource graphs before and after one config change, and
 * assert the exact set of resources a preview would show as added, removed or changed.
 */
import { strict as assert } from "node:assert";
import { deployEnvironment } from "../components/stackConfig";
import { graphDiff } from "../tools/graph/diff";
import { Recorded, runMocked, stackConfig, withCluster } from "../tools/graph/mocks";

async function graph(config: Record<string, string>, stack: string): Promise<Recorded[]> {
    return (await runMocked(config, deployEnvironment, { stack })).resources;
}

const T = {
    topic: "kafka:index/topic:Topic",
    container: "docker:index/container:Container",
    volume: "docker:index/volume:Volume",
    job: "kubernetes:batch/v1:Job",
    sts: "kubernetes:apps/v1:StatefulSet",
    configMap: "kubernetes:core/v1:ConfigMap",
    deployment: "kubernetes:apps/v1:Deployment",
    gate: "pulumi-nodejs:dynamic/kafka-env:RollGate",
    brokerSet: "pulumi-nodejs:dynamic/kafka-env:BrokerSet",
    teardown: "pulumi-nodejs:dynamic/kafka-env:Teardown",
    ready: "pulumi-nodejs:dynamic/kafka-env:WorkloadReady",
    guard: "pulumi-nodejs:dynamic/kafka-env:TopicGuard",
    drain: "pulumi-nodejs:dynamic/kafka-env:BrokerDrain",
    settle: "pulumi-nodejs:dynamic/kafka-env:BrokerSettle",
};
const none = { added: [], removed: [], changed: [] };

for (const stack of ["dev", "k8s"]) {
    describe(`diffs of the ${stack} stack`, () => {
        const base = stackConfig(stack);
        let baseline: Recorded[];
        before(async () => {
            baseline = await graph(base, stack);
        });

        it("a second run changes nothing", async () => {
            assert.deepEqual(graphDiff(baseline, await graph(base, stack)), none);
        });

        it("one changed topic setting is one update", async () => {
            const after = await graph(
                withCluster(base, (c) => (c.topics.find((t: { name: string }) => t.name === "payments").config["retention.ms"] = "86400000")),
                stack,
            );
            const expected = stack === "dev" ? [`${T.topic}::kafka-dev-topics-payments`] : [`${T.job}::kafka-dev-topics`, `${T.ready}::kafka-dev-topics-ready`];
            assert.deepEqual(graphDiff(baseline, after), { ...none, changed: expected });
        });

        it("more partitions on one topic is one update (and the guard's record of the counts)", async () => {
            const after = await graph(
                withCluster(base, (c) => (c.topics.find((t: { name: string }) => t.name === "orders").partitions = 12)),
                stack,
            );
            const expected =
                stack === "dev"
                    ? [`${T.topic}::kafka-dev-topics-orders`, `${T.guard}::kafka-dev-topics-guard`].sort()
                    : [`${T.job}::kafka-dev-topics`, `${T.ready}::kafka-dev-topics-ready`];
            assert.deepEqual(graphDiff(baseline, after), { ...none, changed: expected });
        });

        it("one more topic is one addition (and the guard's record of the counts)", async () => {
            const after = await graph(
                withCluster(base, (c) => c.topics.push({ name: "refunds", partitions: 3 })),
                stack,
            );
            const expected =
                stack === "dev"
                    ? { ...none, added: [`${T.topic}::kafka-dev-topics-refunds`], changed: [`${T.guard}::kafka-dev-topics-guard`] }
                    : { ...none, changed: [`${T.job}::kafka-dev-topics`, `${T.ready}::kafka-dev-topics-ready`] };
            assert.deepEqual(graphDiff(baseline, after), expected);
        });

        it("one more broker adds it, and changes only the settings that list brokers", async () => {
            const after = await graph(
                withCluster(base, (c) => (c.brokers = 4)),
                stack,
            );
            const expected =
                stack === "dev"
                    ? {
                          added: [`${T.container}::kafka-dev-kafka-4`, `${T.volume}::kafka-dev-kafka-4-data`, `${T.gate}::kafka-dev-kafka-4-roll`],
                          removed: [],
                          // kafka-ui's bootstrap list names every broker; the brokers' gate waits for one more;
                          // the broker set spreads replicas onto the new broker; the teardown stops one more.
                          changed: [
                              `${T.container}::kafka-dev-kafka-ui`,
                              `${T.brokerSet}::kafka-dev-broker-set`,
                              `${T.gate}::kafka-dev-brokers-ready`,
                              `${T.teardown}::kafka-dev-teardown`,
                          ],
                      }
                    : {
                          added: [],
                          removed: [],
                          // replicas 3 -> 4 (the settings ConfigMap stays: the brokers' one env file serves the
                          // new pod too), waited for; kafka-ui is untouched (it bootstraps from the bootstrap
                          // Service); the day-2 steps follow the broker ids (nothing leaves: the drain moves
                          // nothing; the settle spreads).
                          changed: [
                              `${T.drain}::kafka-dev-brokers-drain`,
                              `${T.settle}::kafka-dev-brokers-settle`,
                              `${T.sts}::kafka-dev-kafka`,
                              `${T.ready}::kafka-dev-kafka-ready`,
                          ].sort(),
                      };
            assert.deepEqual(graphDiff(baseline, after), expected);
            if (stack === "k8s") {
                // Only the replica count: the pod template is the same, so the three brokers do not restart.
                const spec = (rs: Recorded[]) => rs.find((r) => r.type === T.sts && r.name === "kafka-dev-kafka")!.inputs.spec;
                assert.deepEqual({ ...spec(after), replicas: 3 }, spec(baseline));
            }
        });
    });
}
