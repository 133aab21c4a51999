import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ResolvedTopic } from "../../components/model";
import { shellQuote, topicScript } from "../../components/model/topicScript";

/**
 * Runs the topic script with stand-in `kafka-topics` / `kafka-configs` commands on PATH that keep
 * topics in files under a temp dir and log every call, so the script's decisions are observable.
 */
function runScript(topics: ResolvedTopic[], existing: Record<string, number>) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "topic-script-"));
    const bin = path.join(dir, "bin");
    const state = path.join(dir, "state");
    fs.mkdirSync(bin);
    fs.mkdirSync(state);
    for (const [name, partitions] of Object.entries(existing)) fs.writeFileSync(path.join(state, name), String(partitions));
    const fake = (body: string) => `#!/usr/bin/env bash\necho "$(basename "$0") $*" >> ${dir}/calls\n${body}\n`;
    fs.writeFileSync(
        path.join(bin, "kafka-topics"),
        fake(`
topic=""; partitions=""; op=""
while [ $# -gt 0 ]; do case $1 in --topic) topic=$2; shift;; --partitions) partitions=$2; shift;; --describe|--create|--alter) op=$1;; esac; shift; done
case $op in
  --describe) [ -f ${state}/$topic ] || exit 1; echo "Topic: $topic TopicId: x PartitionCount: $(cat ${state}/$topic) ReplicationFactor: 3 Configs:";;
  --create|--alter) echo "$partitions" > ${state}/$topic;;
esac`),
        { mode: 0o755 },
    );
    fs.writeFileSync(path.join(bin, "kafka-configs"), fake("exit 0"), { mode: 0o755 });
    const run = spawnSync("bash", ["-c", topicScript(topics, ["kafka-1:29092", "kafka-2:29092"])], {
        encoding: "utf8",
        env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
    });
    const calls = fs.existsSync(path.join(dir, "calls")) ? fs.readFileSync(path.join(dir, "calls"), "utf8").trim().split("\n") : [];
    const after = Object.fromEntries(fs.readdirSync(state).map((t) => [t, Number(fs.readFileSync(path.join(state, t), "utf8"))]));
    fs.rmSync(dir, { recursive: true, force: true });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr, calls, after };
}

const topic = (name: string, partitions: number, config: Record<string, string> = {}): ResolvedTopic => ({
    name,
    partitions,
    replicationFactor: 3,
    config,
    protect: true,
});

describe("topic script (Kubernetes Job)", () => {
    it("creates missing topics with their settings", () => {
        const r = runScript([topic("orders", 6, { "cleanup.policy": "compact,delete" })], {});
        assert.equal(r.status, 0, r.stderr);
        assert.deepEqual(r.after, { orders: 6 });
        assert.ok(
            r.calls.some((c) =>
                c.includes("--create --if-not-exists --topic orders --partitions 6 --replication-factor 3 --config cleanup.policy=compact,delete"),
            ),
        );
        assert.ok(r.calls.some((c) => c.includes("--bootstrap-server kafka-1:29092,kafka-2:29092")));
        assert.match(r.stdout, /created orders \(6 partitions, replication 3\)/);
    });

    it("sets configs on existing topics, list values in brackets", () => {
        const r = runScript([topic("orders", 6, { "cleanup.policy": "compact,delete", "retention.ms": "1000" })], { orders: 6 });
        assert.equal(r.status, 0, r.stderr);
        const configs = r.calls.filter((c) => c.startsWith("kafka-configs"));
        assert.equal(configs.length, 2);
        assert.ok(configs[0].includes("--entity-type topics --entity-name orders --add-config cleanup.policy=[compact,delete]"));
        assert.ok(configs[1].includes("--add-config retention.ms=1000"));
    });

    it("raises partitions, leaves equal ones alone, and is idempotent", () => {
        const r = runScript([topic("a", 6), topic("b", 3)], { a: 3, b: 3 });
        assert.equal(r.status, 0, r.stderr);
        assert.deepEqual(r.after, { a: 6, b: 3 });
        assert.equal(r.calls.filter((c) => c.includes("--alter")).length, 1);
        assert.equal(r.calls.filter((c) => c.includes("--create")).length, 0);
    });

    it("refuses a partition decrease, names the topic, and deletes nothing", () => {
        const r = runScript([topic("orders", 3), topic("other", 1)], { orders: 6 });
        assert.equal(r.status, 3, "exit 3: refused, retrying cannot help (the Job fails at once)");
        assert.match(r.stderr, /refused: orders has 6 partitions and the config asks for 3/);
        assert.deepEqual(r.after, { orders: 6, other: 1 }, "other topics are still brought up to date");
        assert.ok(!r.calls.some((c) => c.includes("--delete")));
    });

    it("quotes names and values for the shell", () => {
        assert.equal(shellQuote("it's"), `'it'\\''s'`);
        const r = runScript([topic("t", 1, { "message.format": "a'b c" })], {});
        assert.equal(r.status, 0, r.stderr);
        assert.ok(r.calls.some((c) => c.includes("--config message.format=a'b c")));
    });
});
