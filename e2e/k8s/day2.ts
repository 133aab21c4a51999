/**
 * The day-2 steps of the Kubernetes scenario (e2e/k8s/scenario.test.ts), on the cluster its first
 * steps created: a rolling settings change, a scale-out and a scale-in with a producer writing
 * through them, an upgrade (KRaft: 4.0 → 4.1 and its metadata.version; ZooKeeper mode: 3.8 → 3.9 in
 * two rolls, the inter-broker protocol pinned, then raised). Every acknowledged message must be
 * read back, and a following preview must show no changes. The steps run in order; a step relies
 * on the ones before it.
 */
import { strict as assert } from "node:assert";
import { kubectl, pods, restarts, runPod, watchPods } from "../lib/k8s";
import { backgroundProducer, clusterPartitions, consumeAll } from "../lib/kafka";
import { PulumiStack } from "../lib/pulumi";
import { ClientLogin } from "../lib/security";
import { podLogin, withLogin } from "./security";
import { Watch, WatchReport, replicasOn, replicationProblems } from "../lib/watch";
import { Variant, component, seconds, unread } from "./variants";

/** The cluster the steps change: created by the scenario, three brokers, topic `e2e-orders`. */
export interface K8sDay2Cluster {
    readonly variant: Variant;
    readonly stack: PulumiStack;
    /** The stack's outputs, once the cluster is up. */
    readonly outputs: () => Readonly<Record<string, string>>;
    /** How many e2e-orders messages were acknowledged so far (the sequence from 0): each step adds its own. */
    readonly orders: { produced: number };
    /** The admin's login on a secured stack. */
    readonly login: () => ClientLogin | undefined;
}

/**
 * Registers the day-2 steps (mocha `it`s) inside the scenario's `describe` of one variant, after the
 * steps that created the cluster and before the one that destroys it.
 */
export function k8sDay2Steps(m: K8sDay2Cluster): void {
    const { variant: v, stack, orders } = m;
    const ns = v.env; // the stack's namespace is named after the environment
    const broker = (ordinal: number) => `${v.env}-kafka-${ordinal}`;
    const bootstrap = () => withLogin(m.outputs().bootstrapServers, m.login());

    it("a broker setting change rolls the brokers one at a time, caught up before the next; the other groups stay untouched", async () => {
        const otherBefore = pods(ns, component(v.env, v.other)).map((p) => p.uid);
        const stsUid = () => kubectl(["get", "statefulset", "-n", ns, `${v.env}-kafka`, "-o", "jsonpath={.metadata.uid}"]);
        const stsBefore = stsUid();
        stack.editCluster((c) => (c.replication.numPartitions = 4));
        const steps = stack.previewSteps();
        for (const [op, type, name] of steps) {
            assert.match(name, new RegExp(`^${v.env}-kafka-(settings|ready)$|^${v.env}-kafka$`), `${op} ${type} ${name}`);
            if (type.endsWith("StatefulSet")) assert.equal(op, "update");
        }
        const watch = watchPods(ns);
        const producer = backgroundProducer(bootstrap(), "e2e-orders", orders.produced);
        const leadership = new Watch(bootstrap(), "e2e-orders", readyBrokers);
        let acked = 0;
        let up: Awaited<ReturnType<typeof stack.runAsync>>;
        let events: ReturnType<typeof watch.stop>;
        let report: WatchReport;
        try {
            up = await stack.runAsync(["up", "--yes", "--skip-preview"]);
        } finally {
            try {
                events = watch.stop();
                report = await leadership.stop();
            } finally {
                acked = await producer.stop(); // never leave a producer running (it would keep mocha alive)
                orders.produced += acked;
            }
        }
        const rolls = [2, 1, 0].map((i) => ({ pod: broker(i), ...(restarts(events, broker(i))[0] ?? { down: Number.NaN, ready: Number.NaN }) }));
        console.log(`      pulumi up (roll) ${seconds(up.seconds)}; ${acked} messages acknowledged meanwhile; ${leaderless(report)}`);
        for (const r of rolls)
            console.log(`        ${r.pod}: down at ${seconds(r.down)}, ready (caught up) at ${seconds(r.ready)}: ${seconds(r.ready - r.down)}`);
        for (const [i, r] of rolls.entries()) {
            assert.equal(restarts(events, r.pod).length, 1, `${r.pod} restarted once`);
            assert.ok(Number.isFinite(r.ready), `${r.pod} became ready`);
            if (i > 0) assert.ok(r.down >= rolls[i - 1].ready, `${r.pod} went down only after ${rolls[i - 1].pod} was ready again`);
        }
        assert.deepEqual(
            pods(ns, component(v.env, v.other)).map((p) => p.uid),
            otherBefore,
            `${v.other} pods untouched`,
        );
        assert.equal(stsUid(), stsBefore, "the StatefulSet was updated, not replaced");
        const maps = kubectl(["get", "configmaps", "-n", ns, "-l", component(v.env, "kafka"), "-o", "name"]).split("\n");
        assert.equal(maps.length, 1, `one settings ConfigMap left: ${maps.join(",")}`);
        const got = await consumeAll(bootstrap(), "e2e-orders", orders.produced, 180000);
        assert.deepEqual(unread(got, orders.produced), [], "every acknowledged message is read back");
        stack.run(["preview", "--expect-no-changes"]);
    });

    /** Runs `pulumi up` with a producer writing (acks=all) through it; every acknowledged message must be read back. */
    async function upThrough(what: string): Promise<void> {
        const producer = backgroundProducer(bootstrap(), "e2e-orders", orders.produced);
        const leadership = new Watch(bootstrap(), "e2e-orders", readyBrokers);
        let acked = 0;
        let up: Awaited<ReturnType<typeof stack.runAsync>>;
        let report: WatchReport;
        try {
            up = await stack.runAsync(["up", "--yes", "--skip-preview"]);
        } finally {
            try {
                report = await leadership.stop();
            } finally {
                acked = await producer.stop();
                orders.produced += acked;
            }
        }
        console.log(`      ${what}: pulumi up ${seconds(up.seconds)}; ${acked} messages acknowledged meanwhile; ${leaderless(report)}`);
        const got = await consumeAll(bootstrap(), "e2e-orders", orders.produced, 180000);
        assert.deepEqual(unread(got, orders.produced), [], "every acknowledged message is read back");
    }

    /** Every partition, Kafka's internal ones included, fully in sync on `brokers` alone. */
    async function replicatedOn(brokers: number[]) {
        const partitions = (await clusterPartitions(bootstrap()))!;
        assert.deepEqual(replicationProblems(partitions, brokers), [], `every partition fully replicated on brokers ${brokers.join(",")}`);
        return partitions;
    }

    const dayTwo = (type: string) => `pulumi-nodejs:dynamic/kafka-env:${type}`;
    /** Broker pods Ready now (caught up): the leadership watch's count of brokers up (a failed query counts as none missing). */
    const readyBrokers = () => {
        try {
            return pods(ns, component(v.env, "kafka")).filter((p) => p.ready).length;
        } catch {
            return Number.MAX_SAFE_INTEGER;
        }
    };
    /** The downtime figures of a change: the longest time some partition of e2e-orders had no leader (metadata once a second). */
    const leaderless = (r: WatchReport) =>
        `longest leaderless ${r.longestLeaderlessSeconds.toFixed(1)} s (all ${r.leaderlessSeconds.toFixed(1)} s), fewest brokers ready ${r.fewestRunning}`;
    /** The broker pods by name, uid and restart count: the same after a change = not restarted. */
    const brokerPods = () =>
        pods(ns, component(v.env, "kafka"))
            .map((p) => ({ name: p.name, uid: p.uid, restarts: p.restarts }))
            .sort((a, b) => (a.name < b.name ? -1 : 1));

    // Scale 3 → 4 → 3 in both modes (ZooKeeper: drain and spread; KRaft also unregisters the broker that left).
    it("scaling out 3 → 4 spreads the topics' replicas onto the new broker; acks=all writes go on; nothing acknowledged is lost", async () => {
        stack.editCluster((c) => (c.brokers = 4));
        const steps = stack.previewSteps();
        // A new broker: its Service and pod; the brokers' settings ConfigMap serves it as it is; nothing replaced or deleted.
        for (const step of steps) {
            assert.ok(["create", "update"].includes(step[0]), stack.explain(step));
            assert.ok(!step[1].endsWith("ConfigMap"), stack.explain(step));
        }
        assert.ok(
            steps.some(([op, type, name]) => op === "update" && type === dayTwo("BrokerSettle") && name === `${v.env}-brokers-settle`),
            steps.join("; "),
        );
        const running = brokerPods();
        await upThrough("scale out 3 → 4");
        assert.ok(
            pods(ns).some((p) => p.name === broker(3) && p.ready),
            `${broker(3)} ready`,
        );
        assert.deepEqual(
            brokerPods().filter((p) => p.name !== broker(3)),
            running,
            "the three brokers kept running: not restarted",
        );
        const topics = (await replicatedOn([1, 2, 3, 4])).filter((p) => !p.topic.startsWith("__"));
        const onNew = replicasOn(topics, 4);
        const fair = Math.floor(topics.reduce((n, p) => n + p.replicas.length, 0) / 4);
        console.log(`      broker 4 holds replicas of ${onNew.length} partitions (a fair share: ${fair}): ${onNew.join(", ")}`);
        assert.ok(onNew.length >= fair, `broker 4 took a fair share of the topics' replicas (${fair}): ${onNew.join(", ")}`);
        stack.run(["preview", "--expect-no-changes"]);
    });

    it("scaling in 4 → 3 moves broker 4's replicas to the others before its pod goes; its claim is kept; nothing acknowledged is lost", async () => {
        stack.editCluster((c) => (c.brokers = 3));
        const staying = brokerPods().filter((p) => p.name !== broker(3));
        await upThrough("scale in 4 → 3");
        assert.ok(!pods(ns).some((p) => p.name === broker(3)), `${broker(3)} is gone`);
        assert.deepEqual(brokerPods(), staying, "the brokers that stay kept running: not restarted");
        const partitions = await replicatedOn([1, 2, 3]);
        assert.deepEqual(replicasOn(partitions, 4), [], "nothing left on broker 4");
        const claims = kubectl(["get", "pvc", "-n", ns, "-o", "jsonpath={.items[*].metadata.name}"]).split(" ");
        assert.ok(
            claims.some((c) => c.endsWith(`-${broker(3)}`)),
            `the claim of ${broker(3)} is kept (whenScaled: Retain): ${claims.join(",")}`,
        );
        stack.run(["preview", "--expect-no-changes"]);
    });

    // The KRaft variant starts on Kafka 4.0: the upgrade raises metadata.version.
    if (v.mode === "kraft") {
        it("an upgrade 4.0 → 4.1 rolls the nodes, then raises metadata.version; a downgrade is refused", async () => {
            const tool = (t: string) => `$(command -v ${t} || echo /opt/kafka/bin/${t}.sh)`;
            const features = () =>
                runPod(
                    ns,
                    "e2e-features",
                    v.clientImage,
                    [
                        ...podLogin(m.login()).lines,
                        `KAFKA_HEAP_OPTS=-Xmx128m ${tool("kafka-features")} --bootstrap-server '${m.outputs().internalBootstrapServers}' ${podLogin(m.login()).commandConfig} describe`,
                    ].join("\n"),
                    300,
                );
            const level = (text: string) =>
                /Feature: metadata.version\s+SupportedMinVersion: \S+\s+SupportedMaxVersion: \S+\s+FinalizedVersionLevel: (\S+)/.exec(text)?.[1];
            assert.match(level(features()) ?? "", /^4\.0-/);
            stack.editCluster((c) => (c.images.kafka = "localhost/kafka-env/kafka:4.1-local"));
            const steps = stack.previewSteps();
            for (const [op, type, name] of steps) if (type.endsWith("StatefulSet")) assert.equal(op, "update", `${op} ${type} ${name}`);
            assert.ok(
                steps.some(([op, type]) => op === "update" && type === dayTwo("VersionStep")),
                steps.join("; "),
            );
            await upThrough("upgrade Kafka 4.0 → 4.1");
            const after = level(features());
            console.log(`      metadata.version is now ${after}`);
            assert.match(after ?? "", /^4\.1-/);
            stack.run(["preview", "--expect-no-changes"]);
            stack.assertPreviewRefused((c) => (c.images.kafka = "localhost/kafka-env/kafka:4.0-local"), /downgrade from Kafka 4.1 to 4.0/, "the downgrade");
        });
    }

    // ZooKeeper mode starts on Kafka 3.8 and upgrades in Kafka's two rolls: the image with the
    // inter-broker protocol pinned, then the pin removed.
    if (v.mode === "zookeeper") {
        it("an upgrade 3.8 → 3.9 is refused unless the protocol is pinned; pinned, it rolls; a second roll raises the protocol; a downgrade is refused", async () => {
            const OLD = "localhost/kafka-env/cp-kafka:7.8-local";
            const NEW = "localhost/kafka-env/cp-kafka:7.9-local";
            const protocol = () =>
                runPod(
                    ns,
                    "e2e-configs",
                    v.clientImage,
                    [
                        ...podLogin(m.login()).lines,
                        `KAFKA_HEAP_OPTS=-Xmx128m kafka-configs --bootstrap-server '${m.outputs().internalBootstrapServers}' ${podLogin(m.login()).commandConfig} --entity-type brokers --entity-name 1 --describe --all`,
                    ].join("\n"),
                    300,
                )
                    .split("\n")
                    .map((l) => l.trim())
                    .find((l) => l.startsWith("inter.broker.protocol.version=")) ?? "no inter.broker.protocol.version";
            /** Applies `edit` (previewed as an update of the brokers' StatefulSet, nothing replaced) with a producer writing; then the protocol must be `expected`. */
            const roll = async (what: string, edit: (c: any) => void, expected: RegExp) => {
                stack.editCluster(edit);
                const steps = stack.previewSteps();
                for (const [op, type, name] of steps) if (type.endsWith("StatefulSet")) assert.equal(op, "update", `${op} ${type} ${name}`);
                assert.ok(
                    steps.some(([op, type, name]) => op === "update" && type.endsWith("StatefulSet") && name === `${v.env}-kafka`),
                    steps.join("; "),
                );
                await upThrough(what);
                const now = protocol();
                console.log(`      ${now}`);
                assert.match(now, expected);
                stack.run(["preview", "--expect-no-changes"]);
            };
            assert.match(protocol(), /^inter.broker.protocol.version=3\.8/);
            stack.assertPreviewRefused(
                (c) => (c.images.kafka = NEW),
                /upgrades Kafka 3.8 → 3.9 in ZooKeeper mode without pinning the inter-broker protocol/,
                "the unpinned upgrade",
            );
            await roll(
                "upgrade Kafka 3.8 → 3.9, protocol kept at 3.8",
                (c) => {
                    c.images.kafka = NEW;
                    c.brokerConfig = { ...(c.brokerConfig ?? {}), "inter.broker.protocol.version": "3.8" };
                },
                /^inter.broker.protocol.version=3\.8/,
            );
            await roll(
                "inter.broker.protocol.version 3.8 → 3.9 (second roll)",
                (c) => {
                    delete c.brokerConfig["inter.broker.protocol.version"];
                    if (Object.keys(c.brokerConfig).length === 0) delete c.brokerConfig;
                },
                /^inter.broker.protocol.version=3\.9/,
            );
            stack.assertPreviewRefused((c) => (c.images.kafka = OLD), /downgrade from Kafka 3.9 to 3.8/, "the downgrade");
        });
    }
}
