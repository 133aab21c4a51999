/**
 * The teardown: under mocks, where it sits in the graph (after every node container, and before
 * the topics' provider, so a destroy deletes the topics first and the containers after it); and its delete, run with a stand-in `docker` CLI that
 * records when each stop began and ended.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { deployEnvironment } from "../../components/stackConfig";
import { teardownProvider } from "../../components/docker/teardown";
import { runMocked, stackConfig, withCluster } from "../../tools/graph/mocks";
import { TYPES, byType } from "../harness";

const DEV = stackConfig("dev");
const short = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

describe("Docker teardown", () => {
    it("depends on every node container, the topics depend on it, and it stops brokers before ZooKeeper", async () => {
        const { resources } = await runMocked(DEV, deployEnvironment, { stack: "dev" });
        const teardown = byType(resources, "pulumi-nodejs:dynamic/kafka-env:Teardown").get("kafka-dev-teardown")!;
        assert.deepEqual(teardown.inputs.groups, [["kafka-dev-kafka-1", "kafka-dev-kafka-2", "kafka-dev-kafka-3"], ["kafka-dev-zookeeper-1"]]);
        assert.equal(teardown.inputs.graceSeconds, 120);
        const nodes = [...byType(resources, TYPES.container).keys()].filter((n) => !n.endsWith("kafka-ui"));
        const deps = teardown.options!.dependsOn.map(short);
        for (const n of nodes) assert.ok(deps.includes(n), `waits for ${n}`);
        // A resource is deleted before those it depends on: the topics must depend on the teardown,
        // or it stops the brokers while the topics still need them.
        const topics = [...byType(resources, TYPES.topic).values()];
        assert.ok(topics.length > 0);
        for (const t of topics) {
            assert.ok(!deps.includes(t.name), `not after ${t.name}`);
            assert.ok(t.options!.dependsOn.map(short).includes("kafka-dev-teardown"), `${t.name} waits for the teardown`);
            assert.match(t.provider ?? "", /pulumi:providers:kafka::kafka-dev-topics-kafka::/);
        }
    });

    it("in KRaft mode with combined nodes, stops all of them together", async () => {
        const kraft = withCluster(DEV, (c) => {
            c.mode = "kraft";
            delete c.zookeeper;
            c.images = { kafka: "apache/kafka:4.1.1" };
        });
        const { resources } = await runMocked(kraft, deployEnvironment, { stack: "dev" });
        const teardown = byType(resources, "pulumi-nodejs:dynamic/kafka-env:Teardown").get("kafka-dev-teardown")!;
        assert.deepEqual(teardown.inputs.groups, [["kafka-dev-kafka-1", "kafka-dev-kafka-2", "kafka-dev-kafka-3"]]);
    });

    it("is updated, never replaced, when the nodes change", async () => {
        const diff = await teardownProvider.diff!("teardown", { groups: [["a"]], graceSeconds: 120 }, { groups: [["a", "b"]], graceSeconds: 120 });
        assert.deepEqual([diff.changes, diff.replaces], [true, []]);
    });

    describe("delete", () => {
        const bin = fs.mkdtempSync(path.join(os.tmpdir(), "kafka-env-teardown-"));
        const savedPath = process.env.PATH;
        before(() => {
            // `docker stop -t N name`: log start and end with a timestamp; "gone" fails, as for a removed container.
            const script = `#!/bin/bash\necho "start $4 $3 $(date +%s%N)" >> ${bin}/log\nsleep 0.4\necho "end $4 $(date +%s%N)" >> ${bin}/log\n[ "$4" != gone ]\n`;
            fs.writeFileSync(path.join(bin, "docker"), script, { mode: 0o755 });
            process.env.PATH = `${bin}:${savedPath}`;
        });
        after(() => {
            process.env.PATH = savedPath;
            fs.rmSync(bin, { recursive: true, force: true });
        });

        it("stops each group all at once, the next group only after it; a container already gone does not fail it", async () => {
            await teardownProvider.delete!("teardown", { groups: [["k1", "k2", "gone"], ["zk1"]], graceSeconds: 120 });
            const events = fs
                .readFileSync(path.join(bin, "log"), "utf8")
                .trim()
                .split("\n")
                .map((l) => l.split(" "));
            const at = (what: string, name: string) => Number(events.find((e) => e[0] === what && e[1] === name)![what === "start" ? 3 : 2]);
            assert.deepEqual(
                events.filter((e) => e[0] === "start").map((e) => e[2]),
                ["120", "120", "120", "120"],
                "with the containers' grace",
            );
            const brokers = ["k1", "k2", "gone"];
            // together: every broker's stop began before the first one ended
            assert.ok(Math.max(...brokers.map((b) => at("start", b))) < Math.min(...brokers.map((b) => at("end", b))), events.join("\n"));
            // then ZooKeeper, once all of them ended
            assert.ok(at("start", "zk1") > Math.max(...brokers.map((b) => at("end", b))), events.join("\n"));
        });
    });
});
