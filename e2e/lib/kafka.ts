/** A real Kafka client (kafkajs) from the host, through the stack's `bootstrapServers`. */
import { Kafka, logLevel } from "kafkajs";

export interface Message {
    readonly key: string;
    readonly seq: number;
}

export function client(bootstrapServers: string): Kafka {
    return new Kafka({
        clientId: "kafka-env-e2e",
        brokers: bootstrapServers.split(","),
        logLevel: logLevel.NOTHING,
        retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 5000 },
    });
}

/** Produces `count` keyed messages (`keys` keys, a sequence number per key) with acks=all. */
export async function produce(kafka: Kafka, topic: string, count: number, keys = 10, from = 0): Promise<void> {
    // One request in flight keeps each key's order. kafkajs documents its idempotent mode as
    // experimental, so retries across a broker crash may duplicate (at least once); the readers
    // count distinct messages.
    const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: false, maxInFlightRequests: 1 });
    await producer.connect();
    try {
        const batch = 100;
        for (let i = from; i < from + count; i += batch) {
            const messages = [];
            for (let j = i; j < Math.min(i + batch, from + count); j++) {
                messages.push({ key: `key-${j % keys}`, value: JSON.stringify({ key: `key-${j % keys}`, seq: Math.floor(j / keys) }) });
            }
            await producer.send({ topic, acks: -1, messages });
        }
    } finally {
        await producer.disconnect();
    }
}

/** Reads a topic from the beginning with a fresh group until `expected` distinct messages have arrived. */
export async function consumeAll(kafka: Kafka, topic: string, expected: number, timeoutMs = 120000): Promise<Message[]> {
    const consumer = kafka.consumer({ groupId: `e2e-${topic}-${Date.now()}`, sessionTimeout: 30000 });
    const got: Message[] = [];
    const distinct = new Set<string>();
    await consumer.connect();
    try {
        await consumer.subscribe({ topic, fromBeginning: true });
        await new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => {
                void describeShortfall(kafka, topic, got, expected).then((why) => reject(new Error(why)));
            }, timeoutMs);
            void consumer.run({
                eachMessage: async ({ message }) => {
                    const m = JSON.parse(message.value!.toString()) as Message;
                    got.push(m);
                    distinct.add(`${m.key}/${m.seq}`);
                    if (distinct.size >= expected) {
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
    return got;
}

/** True when every key's sequence numbers arrive in increasing order. */
export function inOrderPerKey(messages: readonly Message[]): boolean {
    const last = new Map<string, number>();
    for (const m of messages) {
        if ((last.get(m.key) ?? -1) >= m.seq) return false;
        last.set(m.key, m.seq);
    }
    return true;
}

export async function partitionCount(kafka: Kafka, topic: string): Promise<number> {
    const admin = kafka.admin();
    await admin.connect();
    try {
        const meta = await admin.fetchTopicMetadata({ topics: [topic] });
        return meta.topics[0].partitions.length;
    } finally {
        await admin.disconnect();
    }
}

/** True when every partition of `topic` has all `replicas` replicas in sync. */
export async function fullyInSync(kafka: Kafka, topic: string, replicas: number): Promise<boolean> {
    // Asked while a broker restarts: any connection error just means "not yet".
    const admin = kafka.admin();
    try {
        await admin.connect();
        const meta = await admin.fetchTopicMetadata({ topics: [topic] });
        return meta.topics[0].partitions.every((p) => p.isr.length === replicas);
    } catch {
        return false;
    } finally {
        await admin.disconnect().catch(() => undefined);
    }
}

/** Why a read came up short: what the brokers hold (end offsets) against what was consumed. */
async function describeShortfall(kafka: Kafka, topic: string, got: readonly Message[], expected: number): Promise<string> {
    let offsets = "unknown";
    const admin = kafka.admin();
    try {
        await admin.connect();
        const ends = await admin.fetchTopicOffsets(topic);
        const total = ends.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
        offsets = `${total} on the brokers (${ends.map((p) => `p${p.partition}: ${p.low}-${p.high}`).join(", ")})`;
    } catch (e) {
        offsets = `unknown (${String(e)})`;
    } finally {
        await admin.disconnect().catch(() => undefined);
    }
    const keys = new Map<string, number>();
    for (const m of got) keys.set(m.key, (keys.get(m.key) ?? 0) + 1);
    const perKey = [...keys].sort().map(([k, n]) => `${k}: ${n}`).join(", ");
    return `consumed ${got.length} of ${expected} messages from ${topic}; ${offsets}; per key ${perKey}`;
}

/** Leader broker id of each partition of `topic` (empty on a connection error). */
export async function leaders(kafka: Kafka, topic: string): Promise<Map<number, number>> {
    const admin = kafka.admin();
    try {
        await admin.connect();
        const meta = await admin.fetchTopicMetadata({ topics: [topic] });
        return new Map(meta.topics[0].partitions.map((p) => [p.partitionId, p.leader]));
    } catch {
        return new Map();
    } finally {
        await admin.disconnect().catch(() => undefined);
    }
}
