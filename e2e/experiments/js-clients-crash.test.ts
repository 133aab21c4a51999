/**
 * The experiment that decides why acknowledged writes went missing when a ZooKeeper-mode broker
 * crashed (`npm run experiment:clients`; not part of CI: kafkajs's loss depends on timing).
 *
 * Per trial, on the fault stack's ZooKeeper-mode cluster: a client produces keyed batches with
 * acks=all at a steady pace while the leader of partition 0 is killed (SIGKILL from the host).
 * Recorded: which partitions each `send()` reported writing against the partitions its messages'
 * keys map to; each partition's end offset before and after; what Kafka's own consumer reads back
 * (VerifiableConsumer, no JavaScript involved). Clients: kafkajs 2.2.4 (its last release) and
 * @platformatic/kafka. Kafka's own producer under the same crash is the fault suite's
 * "hard bounce" row (e2e/faults.test.ts).
 *
 * What it asserts: for kafkajs, every acknowledged-but-lost message belongs to a `send()` that
 * resolved without reporting its partition (the client skipped that partition's batch: the
 * mechanism of tulios/kafkajs#1303); for @platformatic/kafka, nothing acknowledged is lost.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { Kafka, Partitioners, logLevel } from "kafkajs";
import { Admin } from "@platformatic/kafka";
import { crash, restartCount, waitBack, waitInSync } from "../lib/faults";
import { Message, leaders, produce } from "../lib/kafka";
import { PROJECT_DIR, PulumiStack } from "../lib/pulumi";
import { ToolPlace, readBack } from "../lib/verifier";

const STACK = "e2e-faults-zk";
const ENV = "kafka-faults-zk";
const TOPIC = "faults-bounce";
const PARTITIONS = 3;
const TRIALS = Number(process.env.EXPERIMENT_TRIALS ?? 3);
const MESSAGES = 1500;

interface Trial {
    readonly client: string;
    readonly trial: number;
    readonly acknowledged: number;
    readonly lost: number;
    /** Lost messages whose send() resolved without reporting their partition. */
    readonly lostInSkippedPartition: number;
    /** send() calls that resolved without reporting a partition their messages map to. */
    readonly sendsMissingAPartition: number;
    readonly failedSends: number;
    /** Per partition: end offset growth during the trial, and acknowledged messages on it (kafkajs: its own partitioner). */
    readonly growth: readonly number[];
    readonly ackedPerPartition: readonly number[];
}

const key = (m: Message) => `${m.key}/${m.seq}`;

async function endOffsets(bootstrap: string): Promise<number[]> {
    const admin = new Admin({ clientId: "kafka-env-experiment", bootstrapBrokers: bootstrap.split(",") });
    try {
        const req = Array.from({ length: PARTITIONS }, (_, i) => ({ partitionIndex: i, timestamp: -1n }));
        const listed = await admin.listOffsets({ topics: [{ name: TOPIC, partitions: req }] });
        return listed[0].partitions.sort((a, b) => a.partitionIndex - b.partitionIndex).map((p) => Number(p.offset));
    } finally {
        await admin.close();
    }
}

/** kafkajs as the old scenario used it: acks=-1, one request in flight, not idempotent. */
async function produceKafkajs(
    bootstrap: string,
    from: number,
): Promise<{ acked: Message[]; partitionOf: Map<string, number>; missingSends: number; skipped: Set<string>; failed: number }> {
    const kafka = new Kafka({
        clientId: "kafka-env-experiment",
        brokers: bootstrap.split(","),
        logLevel: logLevel.NOTHING,
        retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 5000 },
    });
    const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: false, maxInFlightRequests: 1 });
    const partitioner = Partitioners.DefaultPartitioner();
    const partitionMetadata = Array.from({ length: PARTITIONS }, (_, i) => ({ partitionId: i, leader: 0, partitionErrorCode: 0, replicas: [], isr: [] }));
    const acked: Message[] = [];
    const partitionOf = new Map<string, number>();
    const skipped = new Set<string>();
    let missingSends = 0;
    let failed = 0;
    await producer.connect();
    try {
        for (let i = from; i < from + MESSAGES; i += 50) {
            const batch: Message[] = [];
            for (let j = i; j < i + 50; j++) batch.push({ key: `key-${j % 10}`, seq: Math.floor(j / 10) });
            for (const m of batch) partitionOf.set(key(m), partitioner({ topic: TOPIC, partitionMetadata, message: { key: m.key, value: "" } }));
            try {
                const result = await producer.send({ topic: TOPIC, acks: -1, messages: batch.map((m) => ({ key: m.key, value: JSON.stringify(m) })) });
                const reported = new Set(result.map((r) => r.partition));
                const expected = new Set(batch.map((m) => partitionOf.get(key(m))!));
                const absent = [...expected].filter((p) => !reported.has(p));
                if (absent.length > 0) {
                    missingSends++;
                    for (const m of batch) if (absent.includes(partitionOf.get(key(m))!)) skipped.add(key(m));
                }
                acked.push(...batch);
            } catch {
                failed++;
            }
            await new Promise((r) => setTimeout(r, 1000));
        }
    } finally {
        await producer.disconnect();
    }
    return { acked, partitionOf, missingSends, skipped, failed };
}

describe("experiment: JavaScript clients through a ZooKeeper-mode leader crash", function () {
    this.timeout(60 * 60 * 1000);
    const stack = new PulumiStack(STACK);
    const trials: Trial[] = [];
    let bootstrap: string;
    let place: ToolPlace;
    let next = 0;

    before(() => {
        stack.init();
        stack.up();
        const outputs = stack.outputs();
        bootstrap = outputs.bootstrapServers;
        place = { network: ENV, image: "localhost/kafka-env/cp-kafka:7.9-local", bootstrap: outputs.internalBootstrapServers };
    });

    after(() => {
        const file = path.join(PROJECT_DIR, ".e2e", "js-clients-crash.json");
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, JSON.stringify(trials, null, 2) + "\n");
        stack.editCluster((c) => (c.protectTopics = false));
        stack.up({ allowFailure: true });
        stack.run(["destroy", "--yes", "--skip-preview"], { allowFailure: true });
        stack.remove();
    });

    /** Crashes partition 0's leader 3 s after `writing` starts; returns once the cluster is whole again. */
    async function throughCrash<T>(writing: (from: number) => Promise<T>): Promise<{ result: T; before: number[]; after: number[] }> {
        const before = await endOffsets(bootstrap);
        const victim = `${ENV}-kafka-${(await leaders(bootstrap, TOPIC)).get(0)}`;
        const restarts = restartCount(victim);
        const from = next;
        next += MESSAGES;
        const running = writing(from);
        await new Promise((r) => setTimeout(r, 3000));
        crash(victim);
        const result = await running;
        await waitBack(victim, restarts);
        await waitInSync(bootstrap, [TOPIC], 3);
        return { result, before, after: await endOffsets(bootstrap) };
    }

    async function readAll(): Promise<Set<string>> {
        const ends = await endOffsets(bootstrap);
        const reads = await readBack(
            `${ENV}-experiment-consumer`,
            place,
            TOPIC,
            ends.reduce((a, b) => a + b, 0),
        );
        return new Set(reads.map((r) => key(JSON.parse(r.value) as Message)));
    }

    function record(
        client: string,
        trial: number,
        acked: Message[],
        partitionOf: Map<string, number>,
        skipped: Set<string>,
        missingSends: number,
        failed: number,
        before: number[],
        after: number[],
        read: Set<string>,
    ): Trial {
        const lost = acked.filter((m) => !read.has(key(m)));
        const t: Trial = {
            client,
            trial,
            acknowledged: acked.length,
            lost: lost.length,
            lostInSkippedPartition: lost.filter((m) => skipped.has(key(m))).length,
            sendsMissingAPartition: missingSends,
            failedSends: failed,
            growth: after.map((a, i) => a - before[i]),
            ackedPerPartition:
                partitionOf.size === 0 ? [] : Array.from({ length: PARTITIONS }, (_, p) => acked.filter((m) => partitionOf.get(key(m)) === p).length),
        };
        trials.push(t);
        console.log(`      ${JSON.stringify(t)}`);
        return t;
    }

    for (let trial = 1; trial <= TRIALS; trial++) {
        it(`kafkajs, trial ${trial}: every lost acknowledged message was in a partition its send() skipped`, async () => {
            const { result: r, before, after } = await throughCrash((from) => produceKafkajs(bootstrap, from));
            const t = record("kafkajs 2.2.4", trial, r.acked, r.partitionOf, r.skipped, r.missingSends, r.failed, before, after, await readAll());
            assert.equal(t.lost, t.lostInSkippedPartition, "losses not explained by a skipped partition");
        });

        it(`@platformatic/kafka, trial ${trial}: nothing acknowledged is lost`, async () => {
            const partitionOf = new Map<string, number>();
            const { result: r, before, after } = await throughCrash((from) => produce(bootstrap, TOPIC, MESSAGES, { from, batch: 50, paceMs: 1000 }));
            const t = record("@platformatic/kafka", trial, [...r.acknowledged], partitionOf, new Set(), 0, r.failedSends, before, after, await readAll());
            assert.equal(t.lost, 0, `${t.lost} acknowledged messages were not read back`);
        });
    }
});
