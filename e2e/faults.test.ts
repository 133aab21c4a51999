/**
 * The fault suite (`npm run test:faults`, part of `npm run test:e2e`): Kafka's promise, checked the
 * way its own system tests check it. With replication factor 3, min.insync.replicas 2, unclean
 * leader election off and acks=all, a write that was acknowledged survives the loss of one node at
 * any moment. Kafka's VerifiableProducer writes at a steady rate *through* each fault and its
 * recovery (it never pauses for it); VerifiableConsumer reads everything back; every acknowledged
 * value must be there. One row of figures per fault is printed and written to `.e2e/faults.json`.
 * The ZooKeeper-mode stack also runs with metrics: every broker's /metrics is scraped, and
 * UnderReplicatedPartitions reads 0 when healthy and more than 0 while a broker is stopped.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { docker, leftovers } from "./lib/docker";
import { activeController, crash, restartCount, waitBack, waitHealthy, waitInSync, zookeeperLeader } from "./lib/faults";
import { leaders } from "./lib/kafka";
import { PROJECT_DIR, PulumiStack } from "./lib/pulumi";
import { ToolPlace, VerifiableProducer, longestAckGap, readBack, searchReplicas, verify } from "./lib/verifier";

type FaultName =
    "hard bounce of a partition leader, 5 times" | "the active controller killed" | "a ZooKeeper leader killed" | "clean stop and start of a broker";

interface FaultStack {
    readonly stack: string;
    readonly env: string;
    readonly mode: string;
    readonly image: string;
    readonly dataDir: string;
    readonly faults: readonly { name: FaultName; topic: string }[];
    /** With metrics: node N's /metrics on this host port + N - 1 (ZooKeeper nodes first, then the brokers). */
    readonly metricsHostPort?: number;
}

const CP = "localhost/kafka-env/cp-kafka:7.9-local";
const AK = "localhost/kafka-env/kafka:4.1-local";
const STACKS: readonly FaultStack[] = [
    {
        stack: "e2e-faults-zk",
        env: "kafka-faults-zk",
        mode: "zookeeper (3-node ensemble)",
        image: CP,
        dataDir: "/var/lib/kafka/data",
        faults: [
            { name: "hard bounce of a partition leader, 5 times", topic: "faults-bounce" },
            { name: "a ZooKeeper leader killed", topic: "faults-controller" },
            { name: "clean stop and start of a broker", topic: "faults-stop" },
        ],
        metricsHostPort: 19492,
    },
    {
        stack: "e2e-faults-kraft",
        env: "kafka-faults-kraft",
        mode: "kraft (combined)",
        image: AK,
        dataDir: "/var/lib/kafka/data",
        faults: [
            { name: "hard bounce of a partition leader, 5 times", topic: "faults-bounce" },
            { name: "the active controller killed", topic: "faults-controller" },
            { name: "clean stop and start of a broker", topic: "faults-stop" },
        ],
    },
    {
        stack: "e2e-faults-kraft-dedicated",
        env: "kafka-faults-kraftd",
        mode: "kraft (dedicated controllers)",
        image: AK,
        dataDir: "/var/lib/kafka/data",
        faults: [{ name: "the active controller killed", topic: "faults-controller" }],
    },
];

const CONTROLLER_PORT = 29093;
const RESULTS = path.join(PROJECT_DIR, ".e2e", "faults.json");
interface Row {
    readonly fault: FaultName;
    readonly mode: string;
    readonly acknowledged: number;
    readonly lost: number;
    readonly duplicated: number;
    readonly sendErrors: number;
    /** Longest time a partition had no acknowledged send. */
    readonly failoverSeconds: number;
    /** Per fault injected: from the fault until the node was back and every replica in sync. */
    readonly inSyncSeconds: readonly number[];
}
const results: Row[] = [];

/** Polls `read` every second until `ok(value)`, for at most `seconds`; fails with the last value. */
async function waitForValue(read: () => Promise<number>, ok: (v: number) => boolean, seconds: number): Promise<number> {
    const end = Date.now() + seconds * 1000;
    let v = await read();
    while (!ok(v) && Date.now() < end) {
        await new Promise((r) => setTimeout(r, 1000));
        v = await read();
    }
    assert.ok(ok(v), `still ${v} after ${seconds} s`);
    return v;
}

after(() => {
    fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
    fs.writeFileSync(RESULTS, JSON.stringify(results, null, 2) + "\n");
    console.log("\n  fault | mode | acknowledged | lost | duplicated | failover s | back in sync s");
    for (const r of results)
        console.log(`  ${r.fault} | ${r.mode} | ${r.acknowledged} | ${r.lost} | ${r.duplicated} | ${r.failoverSeconds} | ${r.inSyncSeconds.join(", ")}`);
});

for (const s of STACKS) {
    describe(`faults, ${s.mode} (${s.stack})`, function () {
        this.timeout(20 * 60 * 1000);
        const stack = new PulumiStack(s.stack);
        let bootstrap: string;
        let place: ToolPlace;
        const container = (node: string) => `${s.env}-${node}`;
        const brokers = [1, 2, 3].map((n) => container(`kafka-${n}`));

        /** Under-replicated partitions on broker `n`'s /metrics (ZooKeeper mode: after the three ZooKeeper nodes). */
        const underReplicated = async (n: number) => {
            const r = await fetch(`http://127.0.0.1:${s.metricsHostPort! + 3 + n - 1}/metrics`, { signal: AbortSignal.timeout(10000) });
            const line = (await r.text()).split("\n").find((l) => l.startsWith("kafka_server_replicamanager_underreplicatedpartitions "));
            assert.ok(line, `broker ${n} /metrics has UnderReplicatedPartitions`);
            return Number(line.split(" ").pop());
        };

        before(async () => {
            assert.ok(process.env.DOCKER_HOST, "DOCKER_HOST must point at the engine (npm run test:e2e sets it)");
            stack.init();
            if (s.metricsHostPort !== undefined) {
                assert.ok(process.env.KAFKA_ENV_JMX_AGENT, "KAFKA_ENV_JMX_AGENT must name the JMX exporter agent's jar (e2e/run.sh sets it)");
                stack.editCluster((c) => (c.metrics = { enabled: true, agentJar: process.env.KAFKA_ENV_JMX_AGENT, hostPort: s.metricsHostPort }));
            }
            stack.up();
            if (s.metricsHostPort !== undefined)
                for (const n of [1, 2, 3]) assert.equal(await underReplicated(n), 0, `broker ${n}: healthy, nothing under-replicated`);
            const outputs = stack.outputs();
            bootstrap = outputs.bootstrapServers;
            place = { network: s.env, image: s.image, bootstrap: outputs.internalBootstrapServers };
        });

        after(() => {
            if (leftovers(s.env).containers.length > 0) {
                stack.editCluster((c) => (c.protectTopics = false));
                stack.up({ allowFailure: true });
                stack.run(["destroy", "--yes", "--skip-preview"], { allowFailure: true });
            }
            assert.deepEqual(leftovers(s.env), { containers: [], volumes: [], networks: [] });
            stack.remove();
        });

        /** The broker leading partition 0 of `topic` now. */
        async function leaderOf(topic: string): Promise<string> {
            const id = (await leaders(bootstrap, topic)).get(0);
            assert.ok(id !== undefined, `partition 0 of ${topic} has a leader`);
            return container(`kafka-${id}`);
        }

        /** Crashes (kill -9) `victim`, and waits for the restart policy to bring it back in sync. */
        async function crashAndRecover(victim: string, topic: string): Promise<number> {
            const restarts = restartCount(victim);
            const start = Date.now();
            crash(victim);
            await waitBack(victim, restarts);
            await waitInSync(bootstrap, [topic], 3);
            return (Date.now() - start) / 1000;
        }

        async function inject(fault: FaultName, topic: string): Promise<number[]> {
            switch (fault) {
                case "hard bounce of a partition leader, 5 times": {
                    const times: number[] = [];
                    for (let i = 0; i < 5; i++) times.push(await crashAndRecover(await leaderOf(topic), topic));
                    return times;
                }
                case "a ZooKeeper leader killed":
                    return [await crashAndRecover(zookeeperLeader([1, 2, 3].map((n) => container(`zookeeper-${n}`))), topic)];
                case "the active controller killed": {
                    const dedicated = s.stack.endsWith("dedicated");
                    const asked = dedicated ? container("controller-1") : brokers[0];
                    const id = activeController(asked, CONTROLLER_PORT);
                    return [await crashAndRecover(container(dedicated ? `controller-${id - 1000}` : `kafka-${id}`), topic)];
                }
                case "clean stop and start of a broker": {
                    const victim = await leaderOf(topic);
                    const start = Date.now();
                    docker(["stop", "-t", "60", victim]);
                    const stopped = Date.now();
                    if (s.metricsHostPort !== undefined) {
                        // The brokers that stay lead its partitions now, without it in their ISR.
                        const others = [1, 2, 3].filter((n) => container(`kafka-${n}`) !== victim);
                        const sum = async () => (await Promise.all(others.map(underReplicated))).reduce((a, b) => a + b, 0);
                        const urp = await waitForValue(sum, (v) => v > 0, 30);
                        console.log(`      while ${victim} is stopped: ${urp} under-replicated partitions on the others' /metrics`);
                    }
                    await new Promise((r) => setTimeout(r, Math.max(0, 10000 - (Date.now() - stopped))));
                    docker(["start", victim]);
                    await waitHealthy(victim);
                    await waitInSync(bootstrap, [topic], 3);
                    if (s.metricsHostPort !== undefined) {
                        const all = async () => (await Promise.all([1, 2, 3].map(underReplicated))).reduce((a, b) => a + b, 0);
                        assert.equal(await waitForValue(all, (v) => v === 0, 60), 0, "none left once it is back in sync");
                    }
                    return [(Date.now() - start) / 1000];
                }
            }
        }

        for (const f of s.faults) {
            it(`${f.name}: every acknowledged write is read back`, async () => {
                const producer = new VerifiableProducer(`${s.env}-verifier-producer`, place, f.topic);
                producer.start();
                await producer.waitForAcks(1000);
                const recovery = await inject(f.name, f.topic);
                // Keep writing after the recovery too: the producer never paused for the fault.
                await producer.waitForAcks(1000);
                const log = producer.stop();
                const reads = await readBack(`${s.env}-verifier-consumer`, place, f.topic, new Set(log.acks.map((a) => a.value)).size);
                const verdict = verify(log.acks, reads);
                const gap = longestAckGap(log.acks);
                const row: Row = {
                    fault: f.name,
                    mode: s.mode,
                    acknowledged: verdict.acknowledged,
                    lost: verdict.lost.length,
                    duplicated: verdict.duplicated,
                    sendErrors: log.errors,
                    failoverSeconds: Number(gap.seconds.toFixed(1)),
                    inSyncSeconds: recovery.map((t) => Number(t.toFixed(0))),
                };
                results.push(row);
                console.log(`      ${JSON.stringify(row)}`);
                assert.ok(verdict.acknowledged >= 2000, `the producer kept writing (${verdict.acknowledged} acknowledged)`);
                assert.deepEqual(
                    verdict.lost.length === 0 ? [] : searchReplicas(verdict.lost, f.topic, brokers, s.dataDir),
                    [],
                    `${verdict.lost.length} acknowledged writes were not read back`,
                );
                assert.equal(verdict.duplicated, 0, "an idempotent producer writes no duplicates");
            });
        }
    });
}
