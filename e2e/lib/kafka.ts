/**
 * A real Node.js Kafka client from the host, through the stack's `bootstrapServers`:
 * @platformatic/kafka (maintained, pure JavaScript), the client the README shows. kafkajs is not
 * used here: its last release loses acknowledged writes when a partition leader moves during a
 * send (see e2e/experiments/ and the README's "Connecting clients").
 */
import { Admin, Consumer, MessagesStreamModes, Producer, stringDeserializers, stringSerializers } from "@platformatic/kafka";
import { explained } from "./clientErrors";
import { ClientLogin } from "./security";

export interface Message {
    readonly key: string;
    readonly seq: number;
}

/** What a producer run saw: messages whose send was acknowledged, and sends that failed. */
export interface Produced {
    readonly acknowledged: readonly Message[];
    readonly failedSends: number;
}

const CLIENT_ID = "kafka-env-e2e";

/** Where a client connects: bootstrap servers (`host:port,...`), with a login on a secured stack. */
export type Brokers = string | { readonly servers: string; readonly login?: ClientLogin };

export function serversOf(b: Brokers): string {
    return typeof b === "string" ? b : b.servers;
}

/**
 * The connection options of a client of `b`: TLS that trusts the stack's CA and verifies the host
 * name (Node's `tls.connect` checks the name it dials), and SCRAM.
 */
export function connection(b: Brokers) {
    const login = typeof b === "string" ? undefined : b.login;
    return {
        bootstrapBrokers: serversOf(b).split(","),
        ...(login?.ca ? { tls: { ca: login.ca } } : {}),
        ...(login ? { sasl: { mechanism: login.mechanism, username: login.username, password: login.password } } : {}),
    };
}

export interface ProduceOptions {
    /** Distinct keys, used in turn. Default 10. */
    readonly keys?: number;
    /** Number of the first message (continues an earlier run's sequence). Default 0. */
    readonly from?: number;
    /** Messages per send. Default 100. */
    readonly batch?: number;
    /** Pause between sends, to keep writing for a while (through a fault). Default 0. */
    readonly paceMs?: number;
}

/**
 * Produces `count` keyed messages (`keys` keys, a sequence number per key) with acks=all and an
 * idempotent producer, in batches of `batch`. A batch whose send fails after the client's
 * retries is counted, not retried by hand: only acknowledged messages are promised back.
 */
export async function produce(bootstrapServers: Brokers, topic: string, count: number, options: ProduceOptions = {}): Promise<Produced> {
    const { keys = 10, from = 0, batch = 100, paceMs = 0 } = options;
    const producer = newProducer(bootstrapServers);
    const acknowledged: Message[] = [];
    let failedSends = 0;
    try {
        for (let i = from; i < from + count; i += batch) {
            const messages: Message[] = [];
            for (let j = i; j < Math.min(i + batch, from + count); j++) messages.push({ key: `key-${j % keys}`, seq: Math.floor(j / keys) });
            try {
                await producer.send({ messages: messages.map((m) => ({ topic, key: m.key, value: JSON.stringify(m) })) });
                acknowledged.push(...messages);
            } catch {
                failedSends++;
            }
            if (paceMs > 0) await new Promise((r) => setTimeout(r, paceMs));
        }
    } finally {
        await producer.close();
    }
    return { acknowledged, failedSends };
}

/** An idempotent producer (acks=all) that retries for about 30 s before a send fails. */
function newProducer(bootstrapServers: Brokers): Producer<string, string, string, string> {
    return new Producer({
        clientId: CLIENT_ID,
        ...connection(bootstrapServers),
        serializers: stringSerializers,
        idempotent: true,
        acks: -1,
        retries: 60,
        retryDelay: 500,
    });
}

/**
 * Produces keyed messages with acks=all until stopped, retrying a failed batch (same sequence
 * numbers) until it is acknowledged: every sequence number below the returned count was acked.
 */
export function backgroundProducer(bootstrapServers: Brokers, topic: string, from: number, keys = 10): { stop: () => Promise<number> } {
    let running = true;
    let next = from;
    const done = (async () => {
        const producer = newProducer(bootstrapServers);
        try {
            while (running) {
                const messages = [];
                for (let j = next; j < next + 20; j++)
                    messages.push({ topic, key: `key-${j % keys}`, value: JSON.stringify({ key: `key-${j % keys}`, seq: Math.floor(j / keys) }) });
                try {
                    await producer.send({ messages });
                    next += 20;
                } catch {
                    await new Promise((r) => setTimeout(r, 500));
                }
                await new Promise((r) => setTimeout(r, 100));
            }
        } finally {
            await producer.close().catch(() => undefined);
        }
    })();
    return {
        stop: async () => {
            running = false;
            await done;
            return next - from;
        },
    };
}

/**
 * Reads a topic from the beginning with a fresh group until `expected` distinct messages have arrived.
 * Patient as Kafka's verifiable consumer is: right after a roll the group coordinator can be moving
 * or loading its partition for a while, and the client's default (3 retries, 1 s apart) gave up on
 * joining the group there (seen once on Kubernetes: "joinGroup failed 4 times"); it retries for about
 * a minute, within `timeoutMs`.
 */
export async function consumeAll(bootstrapServers: Brokers, topic: string, expected: number, timeoutMs = 120000): Promise<Message[]> {
    const consumer = new Consumer({
        clientId: CLIENT_ID,
        groupId: `e2e-${topic}-${Date.now()}`,
        ...connection(bootstrapServers),
        retries: 60,
        retryDelay: 1000,
        deserializers: stringDeserializers,
    });
    const got: Message[] = [];
    const distinct = new Set<string>();
    try {
        const stream = await consumer
            .consume({ topics: [topic], mode: MessagesStreamModes.EARLIEST, autocommit: false, maxWaitTime: 500 })
            .catch((e: unknown) => Promise.reject(new Error(`${topic}: the consumer could not start: ${explained(e)}`, { cause: e })));
        try {
            await new Promise<void>((resolve, reject) => {
                const timer = setTimeout(() => {
                    void describeShortfall(bootstrapServers, topic, got, expected).then((why) => reject(new Error(why)));
                }, timeoutMs);
                stream.on("error", (e: Error) => {
                    clearTimeout(timer);
                    reject(new Error(`${topic}: the consumer failed: ${explained(e)}`, { cause: e }));
                });
                stream.on("data", (message: { value: string }) => {
                    const m = JSON.parse(message.value) as Message;
                    got.push(m);
                    distinct.add(`${m.key}/${m.seq}`);
                    if (distinct.size >= expected) {
                        clearTimeout(timer);
                        resolve();
                    }
                });
            });
        } finally {
            await stream.close();
        }
    } finally {
        await consumer.close(true);
    }
    return got;
}

/** Messages of `produced` that are not among `got` (by key and sequence number). */
/** Messages `from` .. `from + count - 1` of the key/seq sequence `produce` and `backgroundProducer` write. */
export function sequence(from: number, count: number, keys = 10): Message[] {
    return Array.from({ length: count }, (_, i) => ({ key: `key-${(from + i) % keys}`, seq: Math.floor((from + i) / keys) }));
}

export function missing(produced: readonly Message[], got: readonly Message[]): Message[] {
    const seen = new Set(got.map((m) => `${m.key}/${m.seq}`));
    return produced.filter((m) => !seen.has(`${m.key}/${m.seq}`));
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

interface PartitionState {
    readonly leader: number;
    readonly isr: readonly number[];
}

/** Each partition's leader and ISR, fresh from the brokers; undefined when they cannot be asked. */
async function partitions(bootstrapServers: Brokers, topic: string): Promise<PartitionState[] | undefined> {
    const admin = new Admin({ clientId: CLIENT_ID, ...connection(bootstrapServers), retries: 0 });
    try {
        const meta = await admin.metadata({ topics: [topic], forceUpdate: true });
        return meta.topics.get(topic)?.partitions;
    } catch {
        return undefined;
    } finally {
        await admin.close().catch(() => undefined);
    }
}

export async function partitionCount(bootstrapServers: Brokers, topic: string): Promise<number> {
    const p = await partitions(bootstrapServers, topic);
    if (!p) throw new Error(`cannot read the metadata of ${topic} from ${serversOf(bootstrapServers)}`);
    return p.length;
}

/** True when every partition of `topic` has all `replicas` replicas in sync ("not yet" while brokers restart). */
export async function fullyInSync(bootstrapServers: Brokers, topic: string, replicas: number): Promise<boolean> {
    const p = await partitions(bootstrapServers, topic);
    return p !== undefined && p.every((s) => s.isr.length === replicas);
}

/** Leader broker id of each partition of `topic` (empty when the brokers cannot be asked). */
export async function leaders(bootstrapServers: Brokers, topic: string): Promise<Map<number, number>> {
    const p = await partitions(bootstrapServers, topic);
    return new Map((p ?? []).map((s, i) => [i, s.leader]));
}

/** Why a read came up short: what the brokers hold (end offsets) against what was consumed. */
async function describeShortfall(bootstrapServers: Brokers, topic: string, got: readonly Message[], expected: number): Promise<string> {
    let offsets = "unknown";
    const admin = new Admin({ clientId: CLIENT_ID, ...connection(bootstrapServers) });
    try {
        const count = await partitionCount(bootstrapServers, topic);
        const ends = Array.from({ length: count }, (_, i) => ({ partitionIndex: i, timestamp: -1n }));
        const listed = await admin.listOffsets({ topics: [{ name: topic, partitions: ends }] });
        offsets = listed[0].partitions.map((p) => `p${p.partitionIndex}: ${p.offset}`).join(", ");
    } catch (e) {
        offsets = `unknown (${String(e)})`;
    } finally {
        await admin.close().catch(() => undefined);
    }
    const keys = new Map<string, number>();
    for (const m of got) keys.set(m.key, (keys.get(m.key) ?? 0) + 1);
    const perKey = [...keys]
        .sort()
        .map(([k, n]) => `${k}: ${n}`)
        .join(", ");
    return `consumed ${got.length} of ${expected} messages from ${topic}; end offsets ${offsets}; per key ${perKey}`;
}

/** One partition as the metadata reports it. */
export interface PartitionInfo {
    readonly topic: string;
    readonly partition: number;
    /** -1 when the partition has no leader. */
    readonly leader: number;
    readonly replicas: readonly number[];
    readonly isr: readonly number[];
}

/**
 * Every partition of every topic (Kafka's internal ones included), fresh from the first of the
 * bootstrap brokers that answers (one of them may be down); undefined when none does.
 */
export async function clusterPartitions(bootstrapServers: Brokers): Promise<PartitionInfo[] | undefined> {
    for (const broker of serversOf(bootstrapServers).split(",")) {
        const admin = new Admin({ clientId: CLIENT_ID, ...connection(bootstrapServers), bootstrapBrokers: [broker], retries: 0, connectTimeout: 2000 });
        try {
            const topics = (await admin.listTopics({ includeInternals: true })).sort();
            const meta = await admin.metadata({ topics, forceUpdate: true });
            return topics.flatMap((topic) =>
                (meta.topics.get(topic)?.partitions ?? []).map((p, partition) => ({ topic, partition, leader: p.leader, replicas: p.replicas, isr: p.isr })),
            );
        } catch {
            continue;
        } finally {
            await admin.close().catch(() => undefined);
        }
    }
    return undefined;
}
