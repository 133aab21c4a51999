/**
 * Watching a cluster through a change: a producer that keeps writing with acks=all and remembers
 * every acknowledged message, a watcher that measures how long any partition had no leader and how
 * few broker containers ran, and a reader that checks every acknowledged message is on the brokers.
 */
import { Kafka } from "kafkajs";
import { docker } from "./docker";

export interface ThroughReport {
    readonly acked: number;
    readonly failedSends: number;
    /** Longest time between two acknowledgements (producer stall), seconds. */
    readonly longestStallSeconds: number;
    /** Total time some partition of the topic had no leader (or the metadata could not be read), seconds. */
    readonly leaderlessSeconds: number;
    /** Fewest broker containers running at one time. */
    readonly fewestRunning: number;
    readonly seconds: number;
}

export class Through {
    private readonly acked = new Set<number>();
    private failedSends = 0;
    private stop = false;
    private lastAck = Date.now();
    private longestStall = 0;
    private leaderless = 0;
    private fewestRunning = Number.MAX_SAFE_INTEGER;
    private readonly loops: Promise<void>[] = [];
    private readonly start = Date.now();
    private next = 0;

    /** Starts producing to `topic` and watching; `environment` labels the broker containers. */
    constructor(
        private readonly kafka: Kafka,
        private readonly topic: string,
        private readonly environment: string,
        from = 0,
    ) {
        this.next = from;
        this.loops.push(this.produce(), this.watch());
    }

    /** Acknowledged sequence numbers so far (each message's value is its number). */
    ackedSeqs(): ReadonlySet<number> {
        return this.acked;
    }

    /** The next sequence number a later producer should start from. */
    get nextSeq(): number {
        return this.next;
    }

    async finish(): Promise<ThroughReport> {
        this.stop = true;
        await Promise.all(this.loops);
        return {
            acked: this.acked.size,
            failedSends: this.failedSends,
            longestStallSeconds: this.longestStall / 1000,
            leaderlessSeconds: this.leaderless / 1000,
            fewestRunning: this.fewestRunning,
            seconds: (Date.now() - this.start) / 1000,
        };
    }

    private async produce(): Promise<void> {
        const producer = this.kafka.producer({ allowAutoTopicCreation: false, idempotent: false, maxInFlightRequests: 1 });
        await producer.connect();
        try {
            while (!this.stop) {
                const seqs = Array.from({ length: 10 }, () => this.next++);
                try {
                    await producer.send({
                        topic: this.topic,
                        acks: -1,
                        timeout: 10000,
                        messages: seqs.map((s) => ({ key: `key-${s % 12}`, value: String(s) })),
                    });
                    for (const s of seqs) this.acked.add(s);
                    const now = Date.now();
                    this.longestStall = Math.max(this.longestStall, now - this.lastAck);
                    this.lastAck = now;
                } catch {
                    // Not acknowledged: it may or may not be on the brokers; only acknowledged ones must be.
                    this.failedSends++;
                    await new Promise((r) => setTimeout(r, 200));
                }
                await new Promise((r) => setTimeout(r, 20));
            }
        } finally {
            await producer.disconnect().catch(() => undefined);
        }
    }

    private async watch(): Promise<void> {
        const admin = this.kafka.admin();
        let connected = false;
        while (!this.stop) {
            const t0 = Date.now();
            let ok = false;
            try {
                if (!connected) {
                    await admin.connect();
                    connected = true;
                }
                const meta = await admin.fetchTopicMetadata({ topics: [this.topic] });
                ok = meta.topics[0].partitions.every((p) => p.leader >= 0);
            } catch {
                ok = false;
            }
            const running = docker(
                ["ps", "--filter", `label=kafka-env.environment=${this.environment}`, "--filter", "status=running", "--format", '{{.Label "kafka-env.roles"}}'],
                { allowFailure: true },
            )
                .split("\n")
                .filter((roles) => roles.split(",").includes("broker")).length;
            this.fewestRunning = Math.min(this.fewestRunning, running);
            await new Promise((r) => setTimeout(r, 1000));
            if (!ok) this.leaderless += Date.now() - t0;
        }
        await admin.disconnect().catch(() => undefined);
    }
}

/**
 * Reads `topic` from the beginning until every sequence number in `acked` has been seen; returns
 * the ones never seen (empty when nothing acknowledged was lost).
 */
export async function missingAcked(kafka: Kafka, topic: string, acked: ReadonlySet<number>, timeoutMs = 180000): Promise<number[]> {
    const missing = new Set(acked);
    const consumer = kafka.consumer({ groupId: `e2e-check-${topic}-${Date.now()}`, sessionTimeout: 30000 });
    await consumer.connect();
    try {
        await consumer.subscribe({ topic, fromBeginning: true });
        await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, timeoutMs);
            void consumer.run({
                eachMessage: ({ message }) => {
                    missing.delete(Number(message.value!.toString()));
                    if (missing.size === 0) {
                        clearTimeout(timer);
                        resolve();
                    }
                    return Promise.resolve();
                },
            });
        });
    } finally {
        await consumer.disconnect();
    }
    return [...missing].sort((a, b) => a - b);
}

/** Partitions of every topic whose replicas are not all in the ISR, or that name a broker not in `brokers`. */
export async function replicationProblems(kafka: Kafka, brokers: readonly number[]): Promise<string[]> {
    const admin = kafka.admin();
    await admin.connect();
    try {
        const topics = (await admin.listTopics()).sort();
        const meta = await admin.fetchTopicMetadata({ topics });
        const problems: string[] = [];
        for (const t of meta.topics) {
            for (const p of t.partitions) {
                const where = `${t.name}-${p.partitionId} replicas [${p.replicas.join(",")}] isr [${p.isr.join(",")}] leader ${p.leader}`;
                if (p.isr.length !== p.replicas.length || p.leader < 0) problems.push(`${where}: not fully in sync`);
                else if (p.replicas.some((r) => !brokers.includes(r))) problems.push(`${where}: names a broker not in ${brokers.join(",")}`);
            }
        }
        return problems;
    } finally {
        await admin.disconnect();
    }
}
