/**
 * `npm run diff` rates a head config that Kafka would refuse (a topic config value, a heap that is
 * not JVM flags, a mistyped namespace) as invalid, with the model's messages, and fails the check.
 */
import { strict as assert } from "node:assert";
import { run } from "../../tools/diff/cli";
import { TempRepo } from "./repo";

describe("npm run diff on a config Kafka would refuse", function () {
    this.timeout(60000);
    const repo = new TempRepo();
    after(() => repo.remove());

    it("reports every problem as invalid and exits 2 with --fail-on dangerous", async () => {
        repo.writeStack("dev", { "kafka-env:cluster": { brokers: 3, topics: [{ name: "orders", partitions: 3 }] } });
        repo.commit("base");
        repo.writeStack("dev", {
            "kafka_env:target": "docker",
            "kafka-env:cluster": {
                brokers: 3,
                heapOpts: "512m",
                topics: [{ name: "orders", partitions: 3, config: { "cleanup.policy": "compacted", "retention.bytes": "1GB" } }],
            },
        });
        const r = await run(["--base", "HEAD", "--format", "json", "--fail-on", "dangerous", "--no-resources"], repo.dir);
        assert.equal(r.status, 2);
        assert.deepEqual(
            (JSON.parse(r.stdout) as { path: string; severity: string; reason: string }[]).map((e) => [e.path, e.severity, e.reason]),
            [
                [
                    "cluster.heapOpts",
                    "invalid",
                    'head: is "512m", which is not a JVM flag (JVM flags start with "-"); for a 512m heap write "-Xmx512m -Xms512m"',
                ],
                [
                    'cluster.topics["orders"].config.cleanup.policy',
                    "invalid",
                    'head: is "compacted"; for Kafka 4.1, cleanup.policy is a comma-separated list of "compact", "delete": did you mean "compact"?',
                ],
                [
                    'cluster.topics["orders"].config.retention.bytes',
                    "invalid",
                    'head: is "1GB"; for Kafka 4.1, retention.bytes is a whole number of bytes: write "1073741824" for 1 GiB',
                ],
                [
                    "kafka_env:target",
                    "invalid",
                    'head: is in the config namespace "kafka_env", which kafka-env does not read (the stack would get the defaults); did you mean "kafka-env:target"?',
                ],
            ],
        );
    });
});
