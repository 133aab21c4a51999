/**
 * `npm run diff` on real git history: a repository with two commits of a stack file, the CLI run as
 * a child process, its exit status, its JSON and markdown, and the same bytes on a second run.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { run } from "../../tools/diff/cli";
import { TempRepo } from "./repo";

const CIPHERTEXT = ["v1:Zm9vYmFyYmF6cXV4", "v1:cXV4YmF6YmFyZm9v"];

/** The realistic change of the README: a topic added, a retention cut, minISR raised to the factor, a broker removed. */
function cluster(after: boolean) {
    return {
        "kafka-env:target": "docker",
        "kafka-env:kafkaUiPassword": { secure: CIPHERTEXT[after ? 1 : 0] },
        "kafka-env:cluster": {
            name: "kafka-dev",
            mode: "zookeeper",
            brokers: after ? 3 : 4,
            replication: { defaultReplicationFactor: 3, minInsyncReplicas: after ? 3 : 2 },
            topics: [
                { name: "orders", partitions: 6 },
                { name: "payments", partitions: 3, config: { "retention.ms": after ? "86400000" : "604800000" } },
                ...(after ? [{ name: "refunds", partitions: 3 }] : []),
            ],
            kafkaUi: { username: "admin" },
        },
    };
}

describe("npm run diff on a real git history", function () {
    this.timeout(120000);
    const repo = new TempRepo();
    let markdown: ReturnType<TempRepo["diff"]>;

    before(() => {
        repo.writeStack("dev", cluster(false));
        repo.commit("base");
        repo.writeStack("dev", cluster(true));
        repo.commit("head");
        markdown = repo.diff("--base", "HEAD~1", "--head", "HEAD", "--fail-on", "dangerous", "--output", path.join(repo.dir, "full.md"));
    });
    after(() => repo.remove());

    it("exits 2 with --fail-on dangerous, prints the comment, and writes the same full report", () => {
        assert.equal(markdown.status, 2, markdown.stderr);
        assert.ok(markdown.stdout.startsWith("<!-- kafka-env-diff -->\n"));
        assert.equal(fs.readFileSync(path.join(repo.dir, "full.md"), "utf8"), markdown.stdout);
        assert.match(markdown.stdout, /\| `dev` \| changed \| 0 \| 5 \| 0 \| 1 \| 1 to create, 8 to update, 4 to replace, 3 to delete \|/);
    });

    it("never prints a secret's ciphertext", () => {
        for (const c of CIPHERTEXT) assert.ok(!markdown.stdout.includes(c.slice(3)));
    });

    it("gives byte-identical output for the same inputs", async () => {
        const again = await run(["--base", "HEAD~1", "--head", "HEAD", "--fail-on", "dangerous", "--output", "full.md"], repo.dir);
        assert.deepEqual(again, { status: 2, stdout: markdown.stdout });
    });

    it("reports each change in JSON, from the working tree by default, and exits 0 without --fail-on", () => {
        const json = repo.diff("--base", "HEAD~1", "--format", "json", "--no-resources");
        assert.equal(json.status, 0, json.stderr);
        const rows = JSON.parse(json.stdout) as { stack: string; path: string; before: unknown; after: unknown; severity: string }[];
        assert.deepEqual(
            rows.map((r) => [r.stack, r.path, r.before, r.after, r.severity]),
            [
                ["dev", "cluster.brokers", 4, 3, "dangerous"],
                ["dev", "cluster.replication.minInsyncReplicas", 2, 3, "dangerous"],
                ["dev", "cluster.replication.transactionStateLogMinIsr", 2, 3, "dangerous"],
                ["dev", 'cluster.topics["payments"].config["retention.ms"]', "604800000", "86400000", "dangerous"],
                ["dev", 'cluster.topics["refunds"]', null, { partitions: 3, replicationFactor: 3, config: {}, protect: true }, "dangerous"],
                ["dev", "kafkaUiPassword", "[secret]", "[secret]", "safe"],
            ],
        );
    });

    it("exits 1 with the reason when the base revision does not exist", () => {
        const r = repo.diff("--no-resources");
        assert.equal(r.status, 1);
        assert.equal(r.stdout, "");
        assert.match(r.stderr, /^kafka-env diff: --base origin\/main: no such revision in .*\(fetch it first: git fetch origin main\)/);
    });

    it("refuses an unknown stack or option with the reason", async () => {
        await assert.rejects(run(["--base", "HEAD", "--stack", "prod", "--no-resources"], repo.dir), {
            name: "ToolError",
            message: "--stack prod: no Pulumi.<stack>.yaml on either side; stacks present: dev",
        });
        await assert.rejects(run(["--format", "html"], repo.dir), { name: "ToolError", message: "--format html: use markdown or json" });
        await assert.rejects(run(["--fail-on", "restart"], repo.dir), { name: "ToolError", message: '--fail-on restart: the only level is "dangerous"' });
    });

    it("reports a stack file added or removed", async () => {
        repo.writeStack("qa", { "kafka-env:cluster": { brokers: 1 } });
        fs.renameSync(path.join(repo.dir, "Pulumi.dev.yaml"), path.join(repo.dir, "dev.yaml.off"));
        try {
            const r = await run(["--base", "HEAD", "--format", "json", "--no-resources"], repo.dir);
            assert.deepEqual(
                (JSON.parse(r.stdout) as { stack: string; path: string; severity: string; reason: string }[]).map((e) => [
                    e.stack,
                    e.path,
                    e.severity,
                    e.reason,
                ]),
                [
                    [
                        "dev",
                        "stack",
                        "safe",
                        "stack file removed: nothing is destroyed by this change; an environment deployed from it stays running, unmanaged (run pulumi destroy on it first if it should go)",
                    ],
                    ["qa", "stack", "safe", "new stack: docker, kraft mode, 1 broker, 0 topics"],
                ],
            );
        } finally {
            fs.rmSync(path.join(repo.dir, "Pulumi.qa.yaml"));
            fs.renameSync(path.join(repo.dir, "dev.yaml.off"), path.join(repo.dir, "Pulumi.dev.yaml"));
        }
    });

    it("reports an invalid config with the model's problems, not a crash", async () => {
        repo.writeStack("dev", { "kafka-env:cluster": { brokers: 3, replication: { minInsyncReplicas: 5 }, topcis: [] } });
        const r = await run(["--base", "HEAD", "--format", "json", "--fail-on", "dangerous", "--no-resources"], repo.dir);
        assert.equal(r.status, 2);
        assert.deepEqual(
            (JSON.parse(r.stdout) as { path: string; severity: string; reason: string }[]).map((e) => [e.path, e.severity, e.reason]),
            [
                ["cluster.replication.minInsyncReplicas", "invalid", "head: is 5 but only 3 brokers are configured; set it to 3 or fewer"],
                ["cluster.topcis", "invalid", 'head: unknown key; did you mean "topics"?'],
                ["kafkaUiPassword", "safe", "secret removed (compared as ciphertext, never decrypted; re-encrypting the same value also shows here)"],
            ],
        );
        repo.git("checkout", "--", "Pulumi.dev.yaml");
    });

    it("reports a change the cluster guard refuses as refused, and exits 2 with --fail-on dangerous", async () => {
        const dev = cluster(true)["kafka-env:cluster"];
        repo.writeStack("dev", { ...cluster(true), "kafka-env:cluster": { ...dev, zookeeper: { nodes: 3 } } });
        try {
            const json = await run(["--base", "HEAD", "--format", "json", "--fail-on", "dangerous", "--no-resources"], repo.dir);
            assert.equal(json.status, 2);
            assert.deepEqual(
                (JSON.parse(json.stdout) as { path: string; severity: string }[]).map((e) => [e.path, e.severity]),
                [["cluster.zookeeper.nodes", "refused"]],
            );
            const markdown = await run(["--base", "HEAD", "--no-resources"], repo.dir);
            assert.equal(markdown.status, 0);
            assert.match(markdown.stdout, / · 1 stack · 1 refused\n/);
            assert.match(markdown.stdout, /\| `dev` \| refused \| 1 \| 0 \| 0 \| 0 \| — \|/);
            assert.match(
                markdown.stdout,
                /\| `dev` \| ⛔ refused \| `cluster\.zookeeper\.nodes` \| `1` \| `3` \| zookeeper\.nodes 1 → 3: resizing the ensemble/,
            );
        } finally {
            repo.git("checkout", "--", "Pulumi.dev.yaml");
        }
    });
});
