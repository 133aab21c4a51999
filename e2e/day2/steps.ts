/**
 * Day-2 changes for real, run by the end-to-end scenario (e2e/scenario.test.ts) on the cluster it
 * created: a running cluster takes a change while Kafka's VerifiableProducer writes through it
 * (acks=all, idempotent; see lib/verifier.ts); every acknowledged value must be read back by
 * VerifiableConsumer, every partition must end fully replicated on the brokers that remain, and a
 * following preview must show no changes. The steps run in order; a step relies on the ones before
 * it. One row of figures per change is printed and written to `.e2e/day2.json` (measure.ts).
 */
import { strict as assert } from "node:assert";
import { inspect, leftovers } from "../lib/docker";
import { readBack, verify } from "../lib/verifier";
import { replicasOn } from "../lib/watch";
import { Day2Cluster, TOPIC, day2Measure, execKafka } from "./measure";

/**
 * Registers the day-2 steps (mocha `it`s) inside the scenario's `describe` of one mode, after the
 * steps that created the cluster and before the one that destroys it.
 */
export function day2Steps(m: Day2Cluster): void {
    const stack = m.stack;
    const { place, allAcks, through, record, partitions, planned, lastReassignment } = day2Measure(m);
    /** Kafka's tools in a broker reach it over REPLICATION with its certificate on a secured stack. */
    const secured = () => m.logins() !== undefined;

    it("a broker setting change previews as a restart of each broker, and rolls them one at a time", async () => {
        stack.editCluster((c) => (c.replication.numPartitions = 4));
        const brokerNames = [1, 2, 3].map((i) => `${m.env}-kafka-${i}`);
        assert.deepEqual(
            planned(),
            [
                ...brokerNames.map((n) => `replace docker:index/container:Container ${n}`),
                ...brokerNames.map((n) => `update pulumi-nodejs:dynamic/kafka-env:RollGate ${n}-roll`),
                // Combined KRaft nodes are the controller group; their gate waits for all three.
                `update pulumi-nodejs:dynamic/kafka-env:RollGate ${m.env}-${m.mode === "kraft" ? "controllers" : "brokers"}-ready`,
            ].sort(),
        );
        const before = brokerNames.map((n) => inspect(n, "{{.Id}}"));
        const r = record(await through("broker setting (num.partitions 3 → 4)", () => stack.upAsync(), [1, 2, 3]));
        const started = brokerNames.map((n) => Date.parse(inspect(n, "{{.State.StartedAt}}")));
        const gaps = started.slice(1).map((s, i) => (s - started[i]) / 1000);
        console.log(`      restarts ${gaps.map((g) => g.toFixed(0)).join(" s, ")} s apart`);
        assert.ok(
            brokerNames.every((n, i) => inspect(n, "{{.Id}}") !== before[i]),
            "every broker container was replaced",
        );
        assert.ok(
            gaps.every((g) => g > 5),
            `brokers restarted one after the other, in id order (gaps ${gaps.join(", ")} s)`,
        );
        assert.ok(r.fewestBrokersRunning >= 2, `at most one broker down at a time (fewest running: ${r.fewestBrokersRunning})`);
        stack.run(["preview", "--expect-no-changes"]);
    });

    it("scaling out 3 → 4 spreads replicas onto the new broker, restarting none; a new topic spreads over broker 4", async () => {
        stack.editCluster((c) => {
            c.brokers = 4;
            c.topics.push({
                name: "d2-audit",
                partitions: 4,
                replicationFactor: 3,
            });
        });
        // The preview cannot know the new broker's certificate before it is issued: it may plan to replace the others.
        const replacements = planned().filter((s) => s.startsWith("replace docker:index/container:Container")).length;
        const ids = () => [1, 2, 3].map((i) => inspect(`${m.env}-kafka-${i}`, "{{.Id}}"));
        const before = ids();
        record(await through("scale out 3 → 4", () => stack.upAsync(), [1, 2, 3, 4]), lastReassignment());
        assert.deepEqual(ids(), before, "the brokers that stay keep their containers (their certificates are kept)");
        console.log(`      the preview planned ${replacements} container replacements; pulumi up replaced none`);
        const onFour = replicasOn(await partitions(), 4);
        assert.ok(
            onFour.some((p) => p.startsWith(`${TOPIC}-`)),
            `broker 4 took a share of ${TOPIC} (it holds ${onFour.join(", ")})`,
        );
        assert.ok(onFour.filter((p) => p.startsWith("d2-audit-")).length >= 2, `d2-audit spreads over broker 4 (${onFour.join(", ")})`);
        stack.run(["preview", "--expect-no-changes"]);
    });

    it("scaling down 4 → 3 moves broker 4's replicas to the others before its container goes", async () => {
        const onFour = replicasOn(await partitions(), 4);
        assert.ok(onFour.length > 0);
        stack.editCluster((c) => (c.brokers = 3));
        const steps = planned();
        assert.ok(steps.includes(`delete docker:index/container:Container ${m.env}-kafka-4`), steps.join("\n"));
        assert.ok(steps.includes(`update pulumi-nodejs:dynamic/kafka-env:BrokerSet ${m.env}-broker-set`), steps.join("\n"));
        record(await through("scale down 4 → 3", () => stack.upAsync(), [1, 2, 3]), `${lastReassignment()} (broker 4 held ${onFour.length} replicas)`);
        const left = leftovers(m.env);
        assert.deepEqual(
            left.containers.filter((c) => c.endsWith("-kafka-4")),
            [],
        );
        assert.deepEqual(
            left.volumes.filter((v) => v.includes("-kafka-4-")),
            [],
            "broker 4's volume is removed with it",
        );
        stack.run(["preview", "--expect-no-changes"]);
    });

    if (m.mode === "kraft") {
        it("an upgrade 4.0 → 4.1 rolls the nodes, then raises metadata.version; a downgrade is refused", async () => {
            const features = () => execKafka(`${m.env}-kafka-1`, "kafka-features", "describe", secured());
            assert.match(features(), /Feature: metadata.version\s+SupportedMinVersion: \S+\s+SupportedMaxVersion: \S+\s+FinalizedVersionLevel: 4\.0/);
            stack.editCluster((c) => (c.images.kafka = "localhost/kafka-env/kafka:4.1-local"));
            const steps = planned();
            for (const i of [1, 2, 3]) assert.ok(steps.includes(`replace docker:index/container:Container ${m.env}-kafka-${i}`), steps.join("\n"));
            assert.ok(steps.includes(`update pulumi-nodejs:dynamic/kafka-env:VersionStep ${m.env}-version`), steps.join("\n"));
            const r = record(await through("upgrade Kafka 4.0 → 4.1", () => stack.upAsync(), [1, 2, 3]));
            assert.ok(r.fewestBrokersRunning >= 2, `at most one broker down at a time (fewest running: ${r.fewestBrokersRunning})`);
            const after = features();
            console.log(
                `      ${after
                    .split("\n")
                    .find((l) => l.includes("metadata.version"))
                    ?.trim()}`,
            );
            assert.match(after, /Feature: metadata.version\s+SupportedMinVersion: \S+\s+SupportedMaxVersion: \S+\s+FinalizedVersionLevel: 4\.1/);
            stack.run(["preview", "--expect-no-changes"]);
            stack.assertPreviewRefused((c) => (c.images.kafka = "localhost/kafka-env/kafka:4.0-local"), /downgrade from Kafka 4.1 to 4.0/, "the downgrade");
            stack.run(["preview", "--expect-no-changes"]);
        });
    }

    if (m.mode === "zookeeper") {
        it("an upgrade 3.8 → 3.9 is refused unless the protocol is pinned; pinned, it rolls, and a second roll raises the protocol; a downgrade is refused", async () => {
            const NEW = "localhost/kafka-env/cp-kafka:7.9-local";
            const brokerNames = [1, 2, 3].map((i) => `${m.env}-kafka-${i}`);
            const protocol = () =>
                execKafka(brokerNames[0], "kafka-configs", "--entity-type brokers --entity-name 1 --describe --all", secured())
                    .split("\n")
                    .map((l) => l.trim())
                    .find((l) => l.startsWith("inter.broker.protocol.version=")) ?? "no inter.broker.protocol.version";
            assert.match(protocol(), /^inter.broker.protocol.version=3\.8/);
            stack.assertPreviewRefused(
                (c) => (c.images.kafka = NEW),
                /upgrades Kafka 3.8 → 3.9 in ZooKeeper mode without pinning the inter-broker protocol/,
                "the unpinned upgrade",
            );

            stack.editCluster((c) => {
                c.images.kafka = NEW;
                c.brokerConfig = { ...(c.brokerConfig ?? {}), "inter.broker.protocol.version": "3.8" };
            });
            const rolls = () => {
                const steps = planned();
                for (const n of brokerNames) assert.ok(steps.includes(`replace docker:index/container:Container ${n}`), steps.join("\n"));
            };
            rolls();
            const first = record(await through("upgrade Kafka 3.8 → 3.9, protocol kept at 3.8", () => stack.upAsync(), [1, 2, 3]));
            assert.ok(first.fewestBrokersRunning >= 2, `at most one broker down at a time (fewest running: ${first.fewestBrokersRunning})`);
            console.log(`      ${protocol()}`);
            assert.match(protocol(), /^inter.broker.protocol.version=3\.8/);
            stack.run(["preview", "--expect-no-changes"]);

            stack.editCluster((c) => {
                delete c.brokerConfig["inter.broker.protocol.version"];
                if (Object.keys(c.brokerConfig).length === 0) delete c.brokerConfig;
            });
            rolls();
            const second = record(await through("inter.broker.protocol.version 3.8 → 3.9 (second roll)", () => stack.upAsync(), [1, 2, 3]));
            assert.ok(second.fewestBrokersRunning >= 2, `at most one broker down at a time (fewest running: ${second.fewestBrokersRunning})`);
            console.log(`      ${protocol()}`);
            assert.match(protocol(), /^inter.broker.protocol.version=3\.9/);
            stack.run(["preview", "--expect-no-changes"]);

            stack.assertPreviewRefused((c) => (c.images.kafka = "localhost/kafka-env/cp-kafka:7.8-local"), /downgrade from Kafka 3.9 to 3.8/, "the downgrade");
            stack.run(["preview", "--expect-no-changes"]);
        });
    }

    it("switching mode on the running cluster is refused by the preview, with the way to recreate it", () => {
        const saved = stack.snapshotConfig();
        stack.editCluster((c) => {
            // The other mode's images (a zookeeper image is refused in KRaft mode); kafka-ui's stays.
            if (m.mode === "zookeeper") {
                c.mode = "kraft";
                c.images = { kafka: "localhost/kafka-env/kafka:4.1-local", kafkaUi: c.images.kafkaUi };
            } else {
                c.mode = "zookeeper";
                c.images = {
                    kafka: "localhost/kafka-env/cp-kafka:7.9-local",
                    zookeeper: "localhost/kafka-env/cp-zookeeper:7.9-local",
                    kafkaUi: c.images.kafkaUi,
                };
            }
        });
        const preview = stack.run(["preview"], { allowFailure: true });
        stack.restoreConfig(saved);
        assert.notEqual(preview.code, 0, "the preview fails");
        assert.match(preview.stdout + preview.stderr, /kafka-env refuses this change: mode \w+ → \w+ on a cluster that holds data/);
        assert.match(preview.stdout + preview.stderr, /pulumi destroy/);
        stack.run(["preview", "--expect-no-changes"]);
    });

    it("every value acknowledged in any step is still there", async () => {
        const reads = await readBack(`${m.env}-verifier-consumer`, place(), TOPIC, new Set(allAcks.map((a) => a.value)).size);
        const verdict = verify(allAcks, reads);
        if (verdict.lost.length > 0) {
            // where the missing values were written, and what the brokers hold there now
            const byPartition = new Map<number, number>();
            for (const a of verdict.lost) byPartition.set(a.partition, (byPartition.get(a.partition) ?? 0) + 1);
            console.log(`      missing per partition: ${[...byPartition].map(([p, n]) => `${p}: ${n}`).join(", ")}; read ${reads.length}`);
            for (const tool of [
                ["kafka-topics", `--describe --topic ${TOPIC}`],
                ["kafka-get-offsets", `--topic ${TOPIC} --time -2`],
                ["kafka-get-offsets", `--topic ${TOPIC} --time -1`],
            ]) {
                try {
                    console.log(execKafka(`${m.env}-kafka-1`, tool[0], tool[1], secured()).replace(/^/gm, "      "));
                } catch (e) {
                    console.log(`      ${tool[0]}: ${String(e).slice(0, 300)}`);
                }
            }
        }
        assert.deepEqual(verdict.lost.slice(0, 20), [], `${verdict.lost.length} of ${verdict.acknowledged} acknowledged values were not read back`);
        console.log(`      ${verdict.acknowledged} acknowledged values in all, none lost`);
    });
}
