/**
 * The Docker roll under mocks: every node's container waits for the gate of the node before it,
 * in the model's roll order, so a change that replaces several containers replaces them one at
 * a time; and a change restarts exactly the nodes `restartPlan` names.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { deployEnvironment } from "../../components/stackConfig";
import { dockerAddressing } from "../../components/docker/addressing";
import { planCluster } from "../../components/model";
import { restartPlan } from "../../components/model/restarts";
import { day2Facts } from "../../components/model/day2";
import { guardProvider } from "../../components/guards/clusterGuard";
import { inputsDiff } from "../../components/dynamic/diff";
import { graphDiff } from "../../tools/graph/diff";
import { Recorded, runMocked, stackConfig, withCluster } from "../../tools/graph/mocks";
import { TYPES, byType } from "../harness";

const DEV = stackConfig("dev");
const short = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

async function graph(config: Record<string, string>): Promise<Recorded[]> {
    return (await runMocked(config, deployEnvironment, { stack: "dev" })).resources;
}

/** Container -> what it waits for, and gate -> the container it watches. */
function chain(resources: readonly Recorded[]): string[] {
    const containers = byType(resources, TYPES.container);
    const gates = byType(resources, TYPES.rollGate);
    const links: string[] = [];
    for (const [name, c] of containers) {
        if (name.endsWith("kafka-ui")) continue;
        const waits = c.options!.dependsOn.map(short).filter((d) => gates.has(d));
        links.push(`${name} after ${waits.join(",") || "nothing"}`);
    }
    return links;
}

function kraft(cluster: Record<string, unknown>): Record<string, string> {
    return withCluster(DEV, (c) => {
        for (const k of Object.keys(c)) delete c[k];
        Object.assign(c, { name: "kafka-dev", mode: "kraft", ...cluster });
    });
}

describe("Docker roll chain", () => {
    it("ZooKeeper mode: ZooKeeper, its ready gate, then the brokers one by one", async () => {
        assert.deepEqual(chain(await graph(DEV)), [
            "kafka-dev-zookeeper-1 after nothing",
            "kafka-dev-kafka-1 after kafka-dev-zookeepers-ready",
            "kafka-dev-kafka-2 after kafka-dev-kafka-1-roll",
            "kafka-dev-kafka-3 after kafka-dev-kafka-2-roll",
        ]);
    });

    it("KRaft, dedicated controllers: controllers one by one, then brokers", async () => {
        const links = chain(await graph(kraft({ brokers: 2, kraft: { dedicatedControllers: true } })));
        assert.deepEqual(links, [
            "kafka-dev-controller-1 after nothing",
            "kafka-dev-controller-2 after kafka-dev-controller-1-roll",
            "kafka-dev-controller-3 after kafka-dev-controller-2-roll",
            "kafka-dev-kafka-1 after kafka-dev-controllers-ready",
            "kafka-dev-kafka-2 after kafka-dev-kafka-1-roll",
        ]);
    });

    it("KRaft, combined: the quorum's nodes first, then the other brokers", async () => {
        const links = chain(await graph(kraft({ brokers: 4 })));
        assert.deepEqual(links.slice(2), ["kafka-dev-kafka-3 after kafka-dev-kafka-2-roll", "kafka-dev-kafka-4 after kafka-dev-controllers-ready"]);
    });

    it("each gate watches its container's id, waits for health and, after a restart, for every partition in sync", async () => {
        const resources = await graph(DEV);
        const gates = byType(resources, TYPES.rollGate);
        assert.deepEqual([...gates.keys()].sort(), [
            "kafka-dev-brokers-ready",
            "kafka-dev-kafka-1-roll",
            "kafka-dev-kafka-2-roll",
            "kafka-dev-kafka-3-roll",
            "kafka-dev-zookeeper-1-roll",
            "kafka-dev-zookeepers-ready",
        ]);
        const k2 = gates.get("kafka-dev-kafka-2-roll")!;
        assert.equal(k2.inputs.containerId, "kafka-dev-kafka-2-id");
        assert.deepEqual(k2.inputs.healthy, ["kafka-dev-kafka-2"]);
        assert.equal(k2.inputs.waitOnCreate, false, "a new cluster's first node cannot be healthy alone");
        assert.deepEqual(k2.inputs.inSync.containers, ["kafka-dev-kafka-1", "kafka-dev-kafka-3", "kafka-dev-kafka-2"], "a broker that stayed up answers first");
        // One kafka-topics run, with both reports and a small JVM (a stand-in tool records how it was called).
        const bin = fs.mkdtempSync(path.join(os.tmpdir(), "kafka-env-insync-"));
        try {
            fs.writeFileSync(path.join(bin, "kafka-topics"), `#!/bin/bash\necho "$KAFKA_HEAP_OPTS|$KAFKA_JVM_PERFORMANCE_OPTS|$*" >> ${bin}/calls\n`, {
                mode: 0o755,
            });
            const r = spawnSync("bash", ["-c", k2.inputs.inSync.command], {
                env: { PATH: `${bin}:/usr/bin:/bin`, KAFKA_HEAP_OPTS: "-Xms512m -Xmx512m" },
                encoding: "utf8",
            });
            assert.equal(r.status, 0, r.stderr);
            assert.deepEqual(fs.readFileSync(path.join(bin, "calls"), "utf8").trim().split("\n"), [
                "-Xmx128m|-XX:+UseSerialGC -XX:TieredStopAtLevel=1|--bootstrap-server localhost:29092 --describe --under-replicated-partitions --unavailable-partitions",
            ]);
        } finally {
            fs.rmSync(bin, { recursive: true, force: true });
        }
        assert.equal(k2.inputs.settings["min.insync.replicas"], "2");
        const ready = gates.get("kafka-dev-brokers-ready")!;
        assert.equal(ready.inputs.containerId, "kafka-dev-kafka-1-id,kafka-dev-kafka-2-id,kafka-dev-kafka-3-id");
        assert.deepEqual(ready.inputs.healthy, ["kafka-dev-kafka-1", "kafka-dev-kafka-2", "kafka-dev-kafka-3"]);
        assert.equal(ready.inputs.waitOnCreate, true);
        assert.equal(ready.inputs.timeoutSeconds, 300);
    });

    it("the broker set comes last: it follows the broker ids, drains leaving brokers and spreads onto new ones", async () => {
        const resources = await graph(withCluster(DEV, (c) => (c.rebalanceOnScaleOut = false)));
        const set = byType(resources, TYPES.brokerSet).get("kafka-dev-broker-set")!;
        assert.deepEqual(set.inputs.brokers, [1, 2, 3]);
        assert.deepEqual(set.inputs.containers, { 1: "kafka-dev-kafka-1", 2: "kafka-dev-kafka-2", 3: "kafka-dev-kafka-3" });
        assert.equal(set.inputs.internalPort, 29092);
        assert.equal(set.inputs.rebalanceOnScaleOut, false);
        assert.deepEqual(set.options!.dependsOn.map(short), ["kafka-dev-brokers-ready"]);
        const version = byType(resources, "pulumi-nodejs:dynamic/kafka-env:VersionStep").get("kafka-dev-version")!;
        assert.deepEqual(version.options!.dependsOn.map(short), ["kafka-dev-broker-set"], "the version step comes after the roll and the moves");
        assert.deepEqual(
            { ...version.inputs, __provider: undefined },
            {
                __provider: undefined,
                mode: "zookeeper",
                image: "confluentinc/cp-kafka:7.9.3",
                container: "kafka-dev-kafka-1",
                internalPort: 29092,
            },
        );
        const on = byType(await graph(DEV), TYPES.brokerSet).get("kafka-dev-broker-set")!;
        assert.equal(on.inputs.rebalanceOnScaleOut, true, "spreading onto new brokers is the default");
    });

    it("the guard comes first: no node starts before it, and it holds the facts refusals depend on", async () => {
        const resources = await graph(DEV);
        const guard = byType(resources, "pulumi-nodejs:dynamic/kafka-env:ClusterGuard").get("kafka-dev-guard")!;
        assert.deepEqual(
            { ...guard.inputs, __provider: undefined },
            { __provider: undefined, mode: "zookeeper", zookeeperNodes: 1, kafkaImage: "confluentinc/cp-kafka:7.9.3" },
        );
        const zk = byType(resources, TYPES.container).get("kafka-dev-zookeeper-1")!;
        assert.ok(zk.options!.dependsOn.map(short).includes("kafka-dev-guard"));
    });

    it("the guard's check refuses a mode switch and a downgrade (so the preview fails), and takes a first deployment", async () => {
        const facts = (cluster: Record<string, unknown>) => day2Facts(planCluster({ cluster, stack: "dev", hasKafkaUiPassword: false }, dockerAddressing));
        const check = (olds: object, news: object) => guardProvider.check!(olds, news);
        const zk = facts({ mode: "zookeeper" });
        assert.deepEqual((await check({}, zk)).failures, []);
        assert.deepEqual((await check(zk, facts({ mode: "zookeeper", brokers: 4 }))).failures, []);
        const switched = (await check(zk, facts({ mode: "kraft" }))).failures!;
        assert.equal(switched.length, 1);
        assert.match(switched[0].reason, /^kafka-env refuses this change: mode zookeeper → kraft on a cluster that holds data/);
        const down = (await check(facts({ mode: "kraft" }), facts({ mode: "kraft", images: { kafka: "apache/kafka:4.0.0" } }))).failures!;
        assert.match(down[0].reason, /downgrade from Kafka 4.1 to 4.0/);
    });

    it("a gate is updated, never replaced, when its container is (so it waits instead of starting afresh)", async () => {
        const old = { container: "c", containerId: "a", healthy: ["c"], __provider: "x" };
        const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
        assert.deepEqual(await inputsDiff(old, { ...old, containerId: unknown }), { changes: true, replaces: [], deleteBeforeReplace: false });
        assert.equal(
            (await inputsDiff(old, { healthy: ["c"], containerId: "a", container: "c", __provider: "y" })).changes,
            false,
            "key order and provider code do not count",
        );
        assert.equal((await inputsDiff({ brokers: [1], lastReassignment: { partitions: 3 } }, { brokers: [1] }, ["lastReassignment"])).changes, false);
    });

    const CHANGES: [string, (c: any) => void][] = [
        ["a broker setting", (c) => (c.replication = { ...c.replication, numPartitions: 4 })],
        ["the Kafka image", (c) => (c.images = { ...c.images, kafka: "confluentinc/cp-kafka:7.9.4" })],
        ["the ZooKeeper image", (c) => (c.images = { ...c.images, zookeeper: "confluentinc/cp-zookeeper:7.9.4" })],
        ["a topic", (c) => c.topics.push({ name: "refunds", partitions: 3 })],
    ];
    for (const [change, edit] of CHANGES) {
        it(`${change} changes exactly the containers of the nodes restartPlan names, and their gates`, async () => {
            const after = withCluster(DEV, edit);
            const model = (config: Record<string, string>) =>
                planCluster({ cluster: JSON.parse(config["kafka-env:cluster"]), stack: "dev", hasKafkaUiPassword: false }, dockerAddressing);
            const planned = restartPlan(model(DEV), model(after)).map((r) => `kafka-dev-${r.node}`);
            const diff = graphDiff(await graph(DEV), await graph(after));
            const changed = (type: string) => diff.changed.filter((k) => k.startsWith(`${type}::`)).map((k) => k.slice(type.length + 2));
            assert.deepEqual(changed(TYPES.container).sort(), [...planned].sort());
            assert.deepEqual(changed(TYPES.rollGate).sort(), planned.map((n) => `${n}-roll`).sort());
        });
    }
});
