/**
 * The brokers' readiness probe, run for real in bash against a stand-in broker that answers its
 * Metadata request: ready when in the ISR of every partition the pod's broker holds.
 */
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { runProgram, stackConfig } from "../../tools/graph/mocks";
import { TYPES, byType } from "../harness";
import { fakeBroker } from "../kafka/fakeBroker";

interface Partition {
    readonly id: number;
    readonly replicas: readonly number[];
    readonly isr: readonly number[];
}

/** A Metadata v0 response: correlation id, brokers, topics with their partitions. */
export function metadataV0(correlationId: number, topics: Readonly<Record<string, readonly Partition[]>>): Buffer {
    const parts: Buffer[] = [];
    const i16 = (v: number) => parts.push(Buffer.from([(v >> 8) & 0xff, v & 0xff]));
    const i32 = (v: number) => {
        const b = Buffer.alloc(4);
        b.writeInt32BE(v);
        parts.push(b);
    };
    const str = (s: string) => (i16(Buffer.byteLength(s)), parts.push(Buffer.from(s)));
    i32(correlationId);
    i32(2);
    for (const id of [1, 2]) (i32(id), str(`kafka-${id}.example`), i32(29092));
    i32(Object.keys(topics).length);
    for (const [name, partitions] of Object.entries(topics)) {
        i16(0);
        str(name);
        i32(partitions.length);
        for (const p of partitions) {
            i16(0);
            i32(p.id);
            i32(p.replicas[0] ?? -1);
            for (const list of [p.replicas, p.isr]) (i32(list.length), list.forEach(i32));
        }
    }
    const body = Buffer.concat(parts);
    const size = Buffer.alloc(4);
    size.writeInt32BE(body.length);
    return Buffer.concat([size, body]);
}

describe("Kubernetes: a broker is ready when it has caught up (no JVM)", () => {
    let probe: string;
    before(async () => {
        const rs = (await runProgram(stackConfig("k8s"), "k8s")).resources;
        probe = byType(rs, TYPES.statefulSet).get("kafka-dev-kafka")!.inputs.spec.template.spec.containers[0].readinessProbe.exec.command[2];
    });

    /** Runs the probe in pod `kafka-dev-kafka-<ordinal>` against a broker answering `answer`. */
    async function run(ordinal: number, answer: Buffer | undefined) {
        const broker = await fakeBroker(() => answer);
        try {
            const script = probe.replace("/dev/tcp/127.0.0.1/29092", `/dev/tcp/127.0.0.1/${broker.port}`);
            assert.notEqual(script, probe, "the probe asks the broker's own INTERNAL listener");
            const child = spawn("bash", ["-c", script], { env: { PATH: "/usr/bin:/bin", HOSTNAME: `kafka-dev-kafka-${ordinal}` } });
            let stdout = "";
            child.stdout.on("data", (d) => (stdout += String(d)));
            const status = await new Promise<number | null>((r) => child.on("close", r));
            return { status, stdout, request: broker.requests[0] };
        } finally {
            broker.close();
        }
    }
    const orders = (...partitions: Partition[]) => ({ orders: partitions, __consumer_offsets: [{ id: 0, replicas: [1, 2, 3], isr: [1, 2, 3] }] });

    it("asks for the metadata of every topic (Metadata v0, empty topic list)", async () => {
        const { request } = await run(0, metadataV0(1, {}));
        assert.equal(request.toString("hex"), "00000010000300000000000100026863" + "00000000");
    });

    it("ready with nothing to hold, when in every ISR, or when only others lag", async () => {
        assert.equal((await run(0, metadataV0(1, {}))).status, 0);
        // Pod ordinal 1 is broker 2: in the ISR of everything it holds; broker 3 lags, not its problem.
        const r = await run(1, metadataV0(1, orders({ id: 0, replicas: [1, 2, 3], isr: [1, 2] }, { id: 1, replicas: [3, 1, 4], isr: [1, 4] })));
        assert.equal(r.status, 0, r.stdout);
    });

    it("not ready while out of the ISR of a partition it holds, and says which", async () => {
        const r = await run(2, metadataV0(1, orders({ id: 0, replicas: [1, 2, 3], isr: [1, 2] }, { id: 4, replicas: [2, 1, 3], isr: [2, 1, 3] })));
        assert.equal(r.status, 1);
        assert.equal(r.stdout.trim(), "not in sync: orders-0");
        // 13 and 31 are not 3.
        assert.equal((await run(2, metadataV0(1, orders({ id: 0, replicas: [13, 31], isr: [13] })))).status, 0);
    });

    it("not ready when the broker closes the connection without an answer", async () => {
        const r = await run(0, Buffer.alloc(0));
        assert.equal(r.status, 1);
        assert.match(r.stdout, /no answer/);
    });
});
