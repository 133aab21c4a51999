/**
 * Kafka's own durability check, as its system tests (tests/kafkatest, replication_test.py) and
 * Jepsen's Kafka analysis make it: `VerifiableProducer` prints one JSON event per acknowledged
 * send (value, partition, offset), `VerifiableConsumer --verbose` one per record it reads, and
 * every value whose send was acknowledged must be read back. Both tools run in containers on the
 * cluster network from the broker image itself: the check depends on no JavaScript client.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { docker, waitFor } from "./docker";
import { ClientLogin, clientProperties } from "./security";

const PRODUCER_CONFIG = path.join(__dirname, "..", "verifier", "producer.properties");

/** An acknowledged send, as `producer_send_success` reports it. */
export interface Ack {
    readonly value: string;
    readonly partition: number;
    readonly offset: number;
    /** When the acknowledgement arrived (ms since the epoch). */
    readonly timestamp: number;
}

/** A record read back, as `record_data` reports it. */
export interface Read {
    readonly value: string;
    readonly partition: number;
    readonly offset: number;
}

export interface ProducerLog {
    readonly acks: readonly Ack[];
    /** `producer_send_error` events: sends the producer gave up on (never acknowledged). */
    readonly errors: number;
}

/** Where the tools run: the cluster's container network and an image that ships them. */
export interface ToolPlace {
    readonly network: string;
    readonly image: string;
    /** Bootstrap servers on that network (INTERNAL listeners). */
    readonly bootstrap: string;
    /** How the tools log in, on a secured stack (the admin). */
    readonly login?: ClientLogin;
}

/**
 * Runs an image's tool (Confluent name on PATH, or Apache's `.sh`) in a container on the cluster
 * network as its only process (`exec`: `docker stop` reaches the JVM), its JSON events written to
 * a file in a host directory (read as they come, without going through the engine's log API).
 */
class ToolContainer {
    readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "kafka-env-verifier-"));

    constructor(
        readonly name: string,
        private readonly place: ToolPlace,
    ) {
        fs.chmodSync(this.dir, 0o777); // the tools run as the image's user
        if (place.login?.ca) fs.writeFileSync(path.join(this.dir, "ca.crt"), place.login.ca);
    }

    /**
     * A client properties file the tool reads (`--producer.config`, `--consumer.config`): `base`, and
     * the login on a secured stack. Its path in the container.
     */
    config(name: string, base = ""): string {
        fs.writeFileSync(path.join(this.dir, name), base + clientProperties(this.place.login, "/verifier-out/ca.crt"));
        return `/verifier-out/${name}`;
    }

    start(tool: string, args: readonly string[]): void {
        docker(["rm", "-f", "-v", this.name], { allowFailure: true });
        docker([
            "run",
            "-d",
            "--name",
            this.name,
            "--network",
            this.place.network,
            "-v",
            `${this.dir}:/verifier-out`,
            "-e",
            "KAFKA_HEAP_OPTS=-Xmx192m",
            "--entrypoint",
            "bash",
            this.place.image,
            "-c",
            `exec "$(command -v ${tool} || echo /opt/kafka/bin/${tool}.sh)" "$@" > /verifier-out/events.jsonl`,
            tool,
            ...args,
        ]);
    }

    private lines(name: string): string[] {
        const file = path.join(this.dir, "events.jsonl");
        if (!fs.existsSync(file)) return [];
        const marker = `"name":"${name}"`;
        return fs
            .readFileSync(file, "utf8")
            .split("\n")
            .filter((line) => line.startsWith("{") && line.includes(marker));
    }

    /** How many events called `name` were written so far. */
    count(name: string): number {
        return this.lines(name).length;
    }

    /** The events called `name` written so far. */
    events<T>(name: string): T[] {
        return this.lines(name).map((line) => JSON.parse(line) as T);
    }

    /** Stops the tool (SIGTERM, then SIGKILL after `graceSeconds`); fails with its last lines if it wrote nothing. */
    stop(graceSeconds: number): void {
        docker(["stop", "-t", String(graceSeconds), this.name], { allowFailure: true });
        const logs = docker(["logs", "--tail", "20", this.name], { allowFailure: true });
        docker(["rm", "-f", "-v", this.name], { allowFailure: true });
        if (!fs.existsSync(path.join(this.dir, "events.jsonl"))) throw new Error(`${this.name} wrote no events; its last lines:\n${logs}`);
    }

    remove(): void {
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}

/**
 * A producer that runs at a steady rate until stopped, with the durability settings of Kafka's
 * `verifiable_producer.py` (acks=-1, idempotence, unbounded retries, 5 requests in flight).
 */
export class VerifiableProducer {
    private readonly tool: ToolContainer;

    /**
     * `valuePrefix`: values are written `<prefix>.<n>` instead of `<n>`, so that several producer
     * runs on one topic (one per step of a test) write distinct values.
     */
    constructor(
        container: string,
        private readonly place: ToolPlace,
        private readonly topic: string,
        private readonly throughput = 200,
        private readonly valuePrefix?: number,
    ) {
        this.tool = new ToolContainer(container, place);
    }

    start(): void {
        this.tool.start("kafka-verifiable-producer", [
            "--bootstrap-server",
            this.place.bootstrap,
            "--topic",
            this.topic,
            "--throughput",
            String(this.throughput),
            "--max-messages",
            "-1",
            "--producer.config",
            this.tool.config("producer.properties", fs.readFileSync(PRODUCER_CONFIG, "utf8")),
            ...(this.valuePrefix === undefined ? [] : ["--value-prefix", String(this.valuePrefix)]),
        ]);
    }

    /** Acknowledged sends so far. */
    acked(): number {
        return this.tool.count("producer_send_success");
    }

    /** Waits until `count` more sends are acknowledged (the producer is running and writing). */
    async waitForAcks(count: number, timeoutSeconds = 120): Promise<void> {
        const target = this.acked() + count;
        await waitFor(`${this.tool.name} to have ${target} acknowledged sends`, () => this.acked() >= target, timeoutSeconds);
    }

    /** Stops it cleanly (SIGTERM: the tool closes its producer, which finishes every send in flight) and returns its log. */
    stop(): ProducerLog {
        this.tool.stop(60);
        const log = { acks: this.tool.events<Ack>("producer_send_success"), errors: this.tool.count("producer_send_error") };
        this.tool.remove();
        return log;
    }
}

/**
 * Reads `topic` from the beginning with `VerifiableConsumer --verbose` until it has read
 * `atLeast` records, or the timeout passed (a short read is the caller's verdict to make).
 */
export async function readBack(container: string, place: ToolPlace, topic: string, atLeast: number, timeoutSeconds = 180): Promise<Read[]> {
    const tool = new ToolContainer(container, place);
    tool.start("kafka-verifiable-consumer", [
        "--bootstrap-server",
        place.bootstrap,
        "--topic",
        topic,
        "--group-id",
        `${container}-${Date.now()}`,
        "--reset-policy",
        "earliest",
        "--verbose",
        ...(place.login ? ["--consumer.config", tool.config("consumer.properties")] : []),
    ]);
    try {
        await waitFor(`${container} to read ${atLeast} records of ${topic}`, () => tool.count("record_data") >= atLeast, timeoutSeconds).catch(() =>
            // the caller's verdict says what is missing; this says the reader gave up, not the broker
            console.log(`      ${container}: read ${tool.count("record_data")} of ${atLeast} records of ${topic} within ${timeoutSeconds} s`),
        );
        tool.stop(10);
        return tool.events<Read>("record_data");
    } finally {
        tool.remove();
    }
}

export interface Verdict {
    readonly acknowledged: number;
    /** Acknowledged values never read back, with where the broker said it wrote them. */
    readonly lost: readonly Ack[];
    /** Values read more than once. */
    readonly duplicated: number;
}

/** Every acknowledged value must have been read; duplicates are counted. */
export function verify(acks: readonly Ack[], reads: readonly Read[]): Verdict {
    const seen = new Map<string, number>();
    for (const r of reads) seen.set(r.value, (seen.get(r.value) ?? 0) + 1);
    return {
        acknowledged: acks.length,
        lost: acks.filter((a) => !seen.has(a.value)),
        duplicated: [...seen.values()].reduce((n, times) => n + times - 1, 0),
    };
}

/**
 * The longest time any partition went without an acknowledged send while the producer ran: how
 * long writes to it were blocked (leader failover, or the whole cluster unavailable).
 */
export function longestAckGap(acks: readonly Ack[]): { seconds: number; partition: number } {
    const byPartition = new Map<number, number[]>();
    for (const a of acks) byPartition.set(a.partition, [...(byPartition.get(a.partition) ?? []), a.timestamp]);
    let worst = { seconds: 0, partition: -1 };
    for (const [partition, times] of byPartition) {
        times.sort((x, y) => x - y);
        for (let i = 1; i < times.length; i++) {
            const gap = (times[i] - times[i - 1]) / 1000;
            if (gap > worst.seconds) worst = { seconds: gap, partition };
        }
    }
    return worst;
}

/**
 * Looks for lost values in the replicas' data files: `grep` of the raw segment files of the
 * partition in each broker container (records are not compressed). Names the brokers that hold it.
 */
export function searchReplicas(lost: readonly Ack[], topic: string, brokers: readonly string[], dataDir: string): string[] {
    return lost.slice(0, 20).map((a) => {
        const holders = brokers.filter((b) => {
            const dir = `${dataDir}/${topic}-${a.partition}`;
            const out = docker(["exec", b, "bash", "-c", `grep -l -a -F -- "$0" "$1"/*.log 2>/dev/null || true`, a.value, dir], { allowFailure: true });
            return out.length > 0;
        });
        return `value ${a.value} (acknowledged at partition ${a.partition} offset ${a.offset}): ${holders.length > 0 ? `in the data files of ${holders.join(", ")}` : "in no replica's data files"}`;
    });
}
