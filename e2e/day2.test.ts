/**
 * Day-2 changes for real (`npm run test:e2e -- --grep day-2`): a running cluster takes a change
 * while a producer writes through it with acks=all; every acknowledged message must be read back,
 * every partition must end fully replicated on the brokers that remain, and a following preview
 * must show no changes. Each mode runs the steps in order; a step relies on the ones before it.
 */
import { strict as assert } from "node:assert";
import { Kafka } from "kafkajs";
import { docker, inspect, leftovers } from "./lib/docker";
import { client } from "./lib/kafka";
import { PulumiStack } from "./lib/pulumi";
import { Through, ThroughReport, missingAcked, replicationProblems } from "./lib/through";

const MODES = [
    { mode: "zookeeper", stack: "e2e-day2-zk", env: "kafka-d2-zk" },
    { mode: "kraft", stack: "e2e-day2-kraft", env: "kafka-d2-kraft" },
];
const TOPIC = "d2-orders";

/** Runs one of Kafka's tools in a container of either image family. */
function execKafka(container: string, tool: string, args: string): string {
    return docker(["exec", container, "bash", "-c", `t=$(command -v ${tool} || echo /opt/kafka/bin/${tool}.sh); "$t" ${args}`]);
}

function report(change: string, r: ThroughReport, extra = ""): void {
    console.log(
        `      ${change}: ${r.seconds.toFixed(0)} s; acked ${r.acked}, failed sends ${r.failedSends}; ` +
            `no leader for ${r.leaderlessSeconds.toFixed(1)} s; longest producer stall ${r.longestStallSeconds.toFixed(1)} s; ` +
            `fewest brokers running ${r.fewestRunning}${extra}`,
    );
}

for (const m of MODES) {
    describe(`day-2 changes, ${m.mode} mode (${m.stack})`, function () {
        this.timeout(20 * 60 * 1000);
        const stack = new PulumiStack(m.stack);
        let kafka: Kafka;
        /** Every message acknowledged in any step, checked again at the end. */
        const acked = new Set<number>();
        let next = 0;

        /** Runs `change` with a producer writing through it; checks nothing acknowledged was lost. */
        async function through(change: () => Promise<unknown>, brokers: number[]): Promise<ThroughReport> {
            const t = new Through(kafka, TOPIC, m.env, next);
            await new Promise((r) => setTimeout(r, 3000));
            try {
                await change();
            } catch (e) {
                await t.finish();
                throw e;
            }
            await new Promise((r) => setTimeout(r, 3000));
            const r = await t.finish();
            next = t.nextSeq;
            for (const s of t.ackedSeqs()) acked.add(s);
            assert.ok(r.acked > 0, "the producer got acknowledgements");
            assert.deepEqual(await missingAcked(kafka, TOPIC, t.ackedSeqs()), [], "every acknowledged message is read back");
            assert.deepEqual(await replicationProblems(kafka, brokers), [], "every partition fully replicated on the remaining brokers");
            return r;
        }

        before(() => {
            assert.ok(process.env.DOCKER_HOST, "DOCKER_HOST must point at the engine (npm run test:e2e sets it)");
            stack.init();
        });

        after(function () {
            if (leftovers(m.env).containers.length > 0) {
                stack.editCluster((c) => (c.protectTopics = false));
                stack.up({ allowFailure: true });
                stack.run(["destroy", "--yes", "--skip-preview"], { allowFailure: true });
            }
            stack.remove();
        });

        it("pulumi up creates the cluster", () => {
            const up = stack.up();
            console.log(`      pulumi up: ${up.seconds.toFixed(0)} s`);
            kafka = client(stack.outputs().bootstrapServers);
        });

        it("a broker setting change previews as a restart of each broker, and rolls them one at a time", async () => {
            stack.editCluster((c) => (c.replication.numPartitions = 4));
            const steps = planned();
            const brokerNames = [1, 2, 3].map((i) => `${m.env}-kafka-${i}`);
            assert.deepEqual(
                steps,
                [
                    ...brokerNames.map((n) => `replace docker:index/container:Container ${n}`),
                    ...brokerNames.map((n) => `update pulumi-nodejs:dynamic/kafka-env:RollGate ${n}-roll`),
                    // Combined KRaft nodes are the controller group; their gate waits for all three.
                    `update pulumi-nodejs:dynamic/kafka-env:RollGate ${m.env}-${m.mode === "kraft" ? "controllers" : "brokers"}-ready`,
                ].sort(),
            );
            const before = brokerNames.map((n) => inspect(n, "{{.Id}}"));
            const r = await through(() => stack.upAsync(), [1, 2, 3]);
            const started = brokerNames.map((n) => Date.parse(inspect(n, "{{.State.StartedAt}}")));
            const gaps = started.slice(1).map((s, i) => (s - started[i]) / 1000);
            report("broker setting (num.partitions 3 → 4)", r, `; restarts ${gaps.map((g) => g.toFixed(0)).join(" s, ")} s apart`);
            assert.ok(brokerNames.every((n, i) => inspect(n, "{{.Id}}") !== before[i]), "every broker container was replaced");
            assert.ok(gaps.every((g) => g > 5), `brokers restarted one after the other, in id order (gaps ${gaps.join(", ")} s)`);
            assert.ok(r.fewestRunning >= 2, `at most one broker down at a time (fewest running: ${r.fewestRunning})`);
            stack.run(["preview", "--expect-no-changes"]);
        });

        it("scaling out 3 → 4 spreads replicas onto the new broker; a new topic spreads over broker 4", async () => {
            const r = await through(() => {
                stack.editCluster((c) => {
                    c.brokers = 4;
                    c.topics.push({ name: "d2-audit", partitions: 4, replicationFactor: 3 });
                });
                return stack.upAsync();
            }, [1, 2, 3, 4]);
            const moved = lastReassignment();
            report("scale out 3 → 4", r, `; ${moved}`);
            const onFour = await replicasOn(4);
            assert.ok(onFour.some((p) => p.startsWith("d2-orders-")), `broker 4 took a share of d2-orders (it holds ${onFour.join(", ")})`);
            assert.ok(onFour.filter((p) => p.startsWith("d2-audit-")).length >= 2, `d2-audit spreads over broker 4 (${onFour.join(", ")})`);
            stack.run(["preview", "--expect-no-changes"]);
        });

        it("scaling down 4 → 3 moves broker 4's replicas to the others before its container goes", async () => {
            const onFour = await replicasOn(4);
            assert.ok(onFour.length > 0);
            stack.editCluster((c) => (c.brokers = 3));
            const steps = planned();
            assert.ok(steps.includes(`delete docker:index/container:Container ${m.env}-kafka-4`), steps.join("\n"));
            assert.ok(steps.includes(`update pulumi-nodejs:dynamic/kafka-env:BrokerSet ${m.env}-broker-set`), steps.join("\n"));
            const r = await through(() => stack.upAsync(), [1, 2, 3]);
            report("scale down 4 → 3", r, `; ${lastReassignment()} (broker 4 held ${onFour.length} replicas)`);
            assert.deepEqual(leftovers(m.env).containers.filter((c) => c.endsWith("-kafka-4")), []);
            stack.run(["preview", "--expect-no-changes"]);
        });

        if (m.mode === "kraft") {
            it("an upgrade 4.0 → 4.1 rolls the nodes, then raises metadata.version; a downgrade is refused", async () => {
                const features = () => execKafka(`${m.env}-kafka-1`, "kafka-features", "--bootstrap-server localhost:29092 describe");
                assert.match(features(), /Feature: metadata.version\s+SupportedMinVersion: \S+\s+SupportedMaxVersion: \S+\s+FinalizedVersionLevel: 4\.0/);
                stack.editCluster((c) => (c.images.kafka = "localhost/kafka-env/kafka:4.1-local"));
                const steps = planned();
                for (const i of [1, 2, 3]) assert.ok(steps.includes(`replace docker:index/container:Container ${m.env}-kafka-${i}`), steps.join("\n"));
                const r = await through(() => stack.upAsync(), [1, 2, 3]);
                report("upgrade Kafka 4.0 → 4.1", r);
                assert.ok(r.fewestRunning >= 2, `at most one broker down at a time (fewest running: ${r.fewestRunning})`);
                const after = features();
                console.log(`      ${after.split("\n").find((l) => l.includes("metadata.version"))?.trim()}`);
                assert.match(after, /Feature: metadata.version\s+SupportedMinVersion: \S+\s+SupportedMaxVersion: \S+\s+FinalizedVersionLevel: 4\.1/);
                stack.run(["preview", "--expect-no-changes"]);
                const saved = stack.snapshotConfig();
                stack.editCluster((c) => (c.images.kafka = "localhost/kafka-env/kafka:4.0-local"));
                const down = stack.run(["preview"], { allowFailure: true });
                stack.restoreConfig(saved);
                assert.notEqual(down.code, 0);
                assert.match(down.stdout + down.stderr, /downgrade from Kafka 4.1 to 4.0/);
            });
        }

        it("switching mode on the running cluster is refused by the preview, with the way to recreate it", () => {
            const saved = stack.snapshotConfig();
            stack.editCluster((c) => {
                if (m.mode === "zookeeper") {
                    c.mode = "kraft";
                    c.images = { kafka: "localhost/kafka-env/kafka:4.1-local" };
                } else {
                    c.mode = "zookeeper";
                    c.images = { kafka: "localhost/kafka-env/cp-kafka:7.9-local", zookeeper: "localhost/kafka-env/cp-zookeeper:7.9-local" };
                }
            });
            const preview = stack.run(["preview"], { allowFailure: true });
            stack.restoreConfig(saved);
            assert.notEqual(preview.code, 0, "the preview fails");
            assert.match(preview.stdout + preview.stderr, /kafka-env refuses this change: mode \w+ → \w+ on a cluster that holds data/);
            assert.match(preview.stdout + preview.stderr, /pulumi destroy/);
            stack.run(["preview", "--expect-no-changes"]);
        });

        it("every message acknowledged in any step is still there", async () => {
            assert.deepEqual(await missingAcked(kafka, TOPIC, acked), []);
            console.log(`      ${acked.size} acknowledged messages in all, none lost`);
        });

        /** The preview's steps as "op type name"; a replacement counts once, as `replace`. */
        function planned(): string[] {
            return stack
                .previewSteps()
                .filter(([op]) => op !== "create-replacement" && op !== "delete-replaced")
                .map((s) => s.join(" "));
        }

        /** What the broker set moved last, from the stack's state. */
        function lastReassignment(): string {
            const state = JSON.parse(stack.run(["stack", "export"]).stdout) as { deployment: { resources: { type: string; outputs?: Record<string, any> }[] } };
            const set = state.deployment.resources.find((x) => x.type === "pulumi-nodejs:dynamic/kafka-env:BrokerSet");
            const last = set?.outputs?.lastReassignment as { reason: string; partitions: number; seconds: number } | undefined;
            return last ? `reassignment "${last.reason}": ${last.partitions} partitions in ${last.seconds.toFixed(1)} s` : "no reassignment";
        }

        async function replicasOn(broker: number): Promise<string[]> {
            const admin = kafka.admin();
            await admin.connect();
            try {
                const meta = await admin.fetchTopicMetadata({ topics: await admin.listTopics() });
                return meta.topics.flatMap((t) => t.partitions.filter((p) => p.replicas.includes(broker)).map((p) => `${t.name}-${p.partitionId}`)).sort();
            } finally {
                await admin.disconnect();
            }
        }
    });
}
