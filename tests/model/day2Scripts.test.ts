/** The bash scripts of the day-2 steps (reassignment, unregistering), run with stand-in Kafka tools. */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { adminArgs } from "../../components/model/admin";
import { adminTool } from "../../components/model/images";
import { reassignScript, unregisterScript } from "../../components/model/reassign";

/** Runs a day-2 script with stand-in Kafka tools (bash scripts on PATH) that log their calls. */
function runWithTools(script: string, tools: Record<string, string>, env: Record<string, string> = {}) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "day2-script-"));
    for (const [name, body] of Object.entries(tools)) {
        fs.writeFileSync(path.join(dir, name), `#!/usr/bin/env bash\necho "$(basename "$0") $*" >> ${dir}/calls\n${body}\n`, { mode: 0o755 });
    }
    const r = spawnSync("bash", ["-c", script], { encoding: "utf8", env: { ...process.env, ...env, PATH: `${dir}:${process.env.PATH}`, STATE: dir } });
    const calls = fs.existsSync(path.join(dir, "calls")) ? fs.readFileSync(path.join(dir, "calls"), "utf8").trim().split("\n") : [];
    fs.rmSync(dir, { recursive: true, force: true });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, calls };
}

describe("the day-2 scripts (Kubernetes Jobs; unregistering on Docker too)", () => {
    // Reports "in progress" on the first two --verify calls, then complete.
    const reassignTool = `case "$*" in *--execute*) cat /tmp/kafka-env-reassign.json > "$STATE/plan";; *--verify*) n=$(cat "$STATE/n" 2>/dev/null || echo 0); echo $((n+1)) > "$STATE/n"; if [ "$n" -lt 2 ]; then echo "Reassignment of partition audit-1 is still in progress."; else echo "Reassignment of partition audit-1 is completed."; fi;; esac`;

    it("the reassignment starts the plan and polls --verify until nothing is in progress", () => {
        const r = runWithTools(
            reassignScript({ bootstrap: "b:29092" }, 60),
            { "kafka-reassign-partitions": reassignTool },
            { KAFKA_ENV_PLAN: '{"version":1,"partitions":[]}' },
        );
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.calls.filter((c) => c.includes("--verify")).length, 3);
        assert.match(r.calls[0], /--bootstrap-server b:29092 --reassignment-json-file \/tmp\/kafka-env-reassign\.json --execute/);
        assert.match(r.stdout, /is completed/);
    });

    it("the reassignment fails with the last --verify when it is not done in time", () => {
        const r = runWithTools(
            reassignScript({ bootstrap: "b:29092" }, 0),
            { "kafka-reassign-partitions": `case "$*" in *--verify*) echo "Reassignment of partition audit-1 is still in progress.";; esac` },
            { KAFKA_ENV_PLAN: "{}" },
        );
        assert.equal(r.status, 4);
        assert.match(r.stdout, /still in progress/);
        assert.match(r.stderr, /did not complete within 0 s/);
    });

    it("unregistering takes each broker out, accepts one already gone, and fails on anything else", () => {
        const tool = `case "$*" in *"--id 5"*) echo "org.apache.kafka.common.errors.BrokerIdNotRegisteredException: Broker ID 5 is not currently registered" >&2; exit 1;; *"--id 6"*) echo "TimeoutException" >&2; exit 1;; esac`;
        const ok = runWithTools(unregisterScript({ bootstrap: "b:29092" }, [4, 5]), { "kafka-cluster": tool });
        assert.equal(ok.status, 0, ok.stdout);
        assert.deepEqual(ok.calls, [
            "kafka-cluster unregister --bootstrap-server b:29092 --id 4",
            "kafka-cluster unregister --bootstrap-server b:29092 --id 5",
        ]);
        assert.match(ok.stdout, /unregistered broker 4\nbroker 5 was not registered/);
        const bad = runWithTools(unregisterScript({ bootstrap: "b:29092" }, [6]), { "kafka-cluster": tool });
        assert.equal(bad.status, 1);
        assert.match(bad.stdout, /TimeoutException/);
    });

    it("every tool call connects as the admin: today the address alone; with a client properties file, each tool's flag for it", () => {
        assert.equal(adminArgs({ bootstrap: "b:29092" }, "kafka-topics"), "--bootstrap-server b:29092");
        const secured = { bootstrap: "b:29093", commandConfig: "/etc/kafka-env/admin.properties" };
        assert.equal(adminArgs(secured, "kafka-reassign-partitions"), "--bootstrap-server b:29093 --command-config /etc/kafka-env/admin.properties");
        assert.equal(adminArgs(secured, "kafka-cluster"), "--bootstrap-server b:29093 --config /etc/kafka-env/admin.properties");
        assert.match(
            adminTool(secured, "kafka-features", "upgrade --metadata 4.1"),
            /"\$t" --bootstrap-server b:29093 --command-config \S+ upgrade --metadata 4\.1$/,
        );
        assert.match(unregisterScript(secured, [4]), /unregister --bootstrap-server b:29093 --config \/etc\/kafka-env\/admin\.properties --id "\$id"/);
        assert.match(
            reassignScript(secured, 60),
            /args="--bootstrap-server b:29093 --command-config \/etc\/kafka-env\/admin\.properties --reassignment-json-file/,
        );
    });
});
