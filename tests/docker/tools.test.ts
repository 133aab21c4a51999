/**
 * `KafkaTools` on Docker, with a stand-in `docker` CLI that runs what `docker exec` would run
 * in the container here instead (and stand-in Kafka tools on PATH): the script and its variables
 * arrive whole, however large the plan, and a failure names what ran and its last output lines.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { dockerTools } from "../../components/docker/tools";
import { reassignScript } from "../../components/model/reassign";

describe("Kafka's tools on Docker (docker exec)", () => {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), "kafka-env-docker-tools-"));
    const savedPath = process.env.PATH;
    before(() => {
        // `docker exec [-i] CONTAINER CMD...`: log the arguments, then run CMD here with the same stdin.
        const docker = `#!/bin/bash\necho "$*" >> ${bin}/docker.log\n[ "$1" = exec ] || exit 2\nshift; [ "$1" = -i ] && shift\nshift\nexec "$@"\n`;
        fs.writeFileSync(path.join(bin, "docker"), docker, { mode: 0o755 });
        // Keeps the plan it was given, and reports the reassignment complete.
        const tool = `#!/bin/bash\necho "$*" >> ${bin}/tool.log\ncase "$*" in *--execute*) cp /tmp/kafka-env-reassign.json ${bin}/plan;; *--verify*) echo "Reassignment of partition audit-1 is completed.";; esac\n`;
        fs.writeFileSync(path.join(bin, "kafka-reassign-partitions"), tool, { mode: 0o755 });
        process.env.PATH = `${bin}:${savedPath}`;
    });
    after(() => {
        process.env.PATH = savedPath;
        fs.rmSync(bin, { recursive: true, force: true });
    });

    it("runs the script in the broker's container against its own INTERNAL listener, the variables and script on stdin", async () => {
        const tools = dockerTools("kafka-dev-kafka-1", { bootstrap: "localhost:29092" });
        assert.deepEqual(tools.admin, { bootstrap: "localhost:29092" });
        // About 200 KB: more than one command-line argument may hold (128 KiB on Linux).
        const partitions = Array.from({ length: 4000 }, (_, i) => ({ topic: `topic-with-a-long-name-${i}`, partition: i, replicas: [1, 2, 3] }));
        const plan = JSON.stringify({ version: 1, partitions });
        const out = await tools.run("reassign", reassignScript(tools.admin, 60), { KAFKA_ENV_PLAN: plan });
        assert.match(out, /is completed/);
        assert.equal(fs.readFileSync(path.join(bin, "plan"), "utf8"), plan);
        assert.deepEqual(fs.readFileSync(path.join(bin, "docker.log"), "utf8").trim().split("\n"), ['exec -i kafka-dev-kafka-1 bash -c eval "$(cat)"']);
        assert.match(
            fs.readFileSync(path.join(bin, "tool.log"), "utf8"),
            /^--bootstrap-server localhost:29092 --reassignment-json-file \/tmp\/kafka-env-reassign\.json --execute$/m,
        );
    });

    it("a failure names what ran, where, its exit code and its last lines (Kafka's tools give the reason on stdout)", async () => {
        const script = 'for i in 1 2 3 4 5 6 7; do echo "line $i"; done; echo "1 out of 1 operation(s) failed" >&2; exit 3';
        await assert.rejects(dockerTools("kafka-dev-kafka-2", { bootstrap: "localhost:29092" }).run("describe", script), (e: Error) => {
            assert.equal(
                e.message,
                "kafka-env: describe in kafka-dev-kafka-2 failed (exit 3): line 3\nline 4\nline 5\nline 6\nline 7\n1 out of 1 operation(s) failed",
            );
            return true;
        });
    });
});
