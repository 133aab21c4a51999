/**
 * The package as another program gets it: `npm pack` (its `prepack` compiles dist/), the tarball
 * installed offline into an empty project outside this repository, then required from there, with
 * no ts-node and no path into these sources.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { Consumer, ROOT } from "./consumer";
import { exampleSources, runExample, typeCheck } from "./example";

const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
};

describe("the packed kafka-env, installed into another project", function () {
    // Pack (with the build) and an offline install: about 20 to 30 s on this project's machines.
    this.timeout(240_000);
    const consumer = new Consumer();

    before(() => consumer.install());
    after(() => consumer.remove());

    it("ships compiled JavaScript with declarations and the Kafka config definitions, no sources", () => {
        const files = consumer.packed.files.map((f) => f.path);
        for (const f of ["package.json", "dist/api.js", "dist/api.d.ts", "dist/components/model/kafkaConfigs/kafka-4.1.json"]) {
            assert.ok(files.includes(f), `${f} is not in the tarball`);
        }
        assert.deepEqual(
            files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts")),
            [],
            "TypeScript sources in the tarball",
        );
        assert.deepEqual(
            files.filter((f) => !f.startsWith("dist/") && !["package.json", "README.md", "LICENSE"].includes(f)),
            [],
            "files outside dist/",
        );
        const undeclared = files.filter((f) => f.endsWith(".js") && !files.includes(f.replace(/\.js$/, ".d.ts")));
        assert.deepEqual(undeclared, [], "compiled modules without declarations");
    });

    it("installs the runtime dependencies, and no TypeScript, ts-node or test tooling", () => {
        const installed = (name: string) => fs.existsSync(path.join(consumer.dir, "node_modules", name, "package.json"));
        assert.deepEqual(
            Object.keys(manifest.dependencies).filter((name) => !installed(name)),
            [],
            "missing dependencies",
        );
        const tooling = ["typescript", "ts-node", "@swc/core", "mocha", "eslint", "prettier"];
        assert.deepEqual(
            tooling.filter((name) => name in manifest.devDependencies),
            tooling,
            "the list names devDependencies",
        );
        assert.deepEqual(tooling.filter(installed), [], "development tooling installed");
    });

    it("plans an environment through require('kafka-env'), Kafka's config definitions included", () => {
        const out = consumer.node(`
            const { planEnvironment, ConfigError } = require("kafka-env");
            const topics = (config) => ({ cluster: { topics: [{ name: "orders", partitions: 3, config }] } });
            const plan = planEnvironment({ values: topics({ "retention.ms": "1000" }), stack: "dev", otherKeys: [] });
            let refusal;
            try {
                planEnvironment({ values: topics({ "retention.msx": "1" }), stack: "dev", otherKeys: [] });
            } catch (e) {
                refusal = e instanceof ConfigError ? e.message : "not a ConfigError: " + e;
            }
            console.log(JSON.stringify({ target: plan.target, nodes: plan.model.nodes.length, refusal }));
        `);
        const result = JSON.parse(out) as { target: string; nodes: number; refusal: string };
        assert.equal(result.target, "docker");
        assert.equal(result.nodes, 3);
        assert.match(result.refusal, /cluster\.topics\["orders"\]\.config\.retention\.msx: is not a topic config/);
    });

    it("loads every compiled module with the declared dependencies alone", () => {
        const out = consumer.node(`
            const fs = require("node:fs");
            const path = require("node:path");
            const dist = path.join(path.dirname(require.resolve("kafka-env/package.json")), "dist");
            const modules = fs.readdirSync(dist, { recursive: true }).filter((f) => f.endsWith(".js"));
            for (const m of modules) require(path.join(dist, m));
            console.log(modules.length);
        `);
        assert.ok(Number(out) > 50, `only ${out.trim()} modules loaded`);
    });

    it("serializes a dynamic resource's provider that runs from the installed package", () => {
        // Pulumi's closure serializer turns each module the provider uses into a require of its path
        // under node_modules (`kafka-env/dist/...`): package.json's `exports` must allow those paths.
        const out = consumer.node(`
            const fs = require("node:fs");
            const pulumi = require("@pulumi/pulumi");
            const { topicGuardProvider } = require("kafka-env/dist/components/guards/topicGuard.js");
            pulumi.runtime.serializeFunction(() => topicGuardProvider, { isFactoryFunction: true }).then(async (f) => {
                fs.writeFileSync("serialized.js", f.text);
                const provider = require("./serialized.js")[f.exportName];
                const grow = await provider.diff("topics", { partitions: { orders: 1 } }, { partitions: { orders: 2 } });
                const shrink = await provider.check({ partitions: { orders: 2 } }, { partitions: { orders: 1 } });
                console.log(JSON.stringify({ requires: [...new Set(f.text.match(/require\\("kafka-env[^"]*"\\)/g))].length, grow, shrink }));
            });
        `);
        const result = JSON.parse(out) as { requires: number; grow: { changes: boolean }; shrink: { failures?: unknown[] } };
        assert.ok(result.requires > 0, "the serialized provider requires nothing from kafka-env");
        assert.equal(result.grow.changes, true);
        assert.equal(result.shrink.failures?.length, 1, "a partition decrease is refused");
    });

    it("type-checks examples/typescript against the package's declarations; each wrong argument fails to compile", () => {
        const { example, wrong, unmarked, marked } = exampleSources();
        assert.deepEqual(typeCheck(consumer, { "index.ts": example, "wrongArgs.ts": wrong }), []);
        const errors = typeCheck(consumer, { "wrongArgs.ts": unmarked });
        assert.deepEqual(
            [...new Set(errors.map((e) => e.line))],
            marked,
            `without its @ts-expect-error markers: ${errors.map((e) => `${e.line}: ${e.message}`).join("\n")}`,
        );
    });

    it("runs examples/typescript under mocks: its KafkaEnvironment's objects all go through the program's own provider", () => {
        const onKubernetes = runExample(consumer, { kubeconfig: "/nonexistent/kubeconfig", context: "theirs" });
        const names = (recorded: typeof onKubernetes, type: string) => recorded.filter((r) => r.type === type).map((r) => r.name);
        const through = (recorded: typeof onKubernetes, prefix: string, provider: string) =>
            recorded.filter((r) => r.type.startsWith(prefix) && !r.provider?.includes(`::${provider}::`)).map((r) => r.name);
        assert.deepEqual(names(onKubernetes, "pulumi:providers:kubernetes"), ["apps"], "a provider besides the program's");
        assert.deepEqual(names(onKubernetes, "kafka-env:index:KafkaEnvironment"), ["orders-kafka"]);
        assert.deepEqual(names(onKubernetes, "kubernetes:apps/v1:StatefulSet"), ["orders-kafka-kafka"]);
        // The namespace, settings, two Services, budget, policy, StatefulSet, topics Job, the app's namespace.
        const kube = onKubernetes.filter((r) => r.type.startsWith("kubernetes:"));
        assert.equal(kube.length, 9, kube.map((r) => r.name).join(", "));
        assert.ok(names(onKubernetes, "kubernetes:core/v1:Namespace").includes("orders-app"));
        assert.deepEqual(through(onKubernetes, "kubernetes:", "apps"), [], "objects not through the program's provider");

        const onDocker = runExample(consumer, { target: "docker", brokers: "1" });
        assert.deepEqual(names(onDocker, "pulumi:providers:docker"), ["engine"]);
        assert.deepEqual(names(onDocker, "docker:index/network:Network").sort(), ["orders-app", "orders-kafka-network"]);
        assert.ok(names(onDocker, "docker:index/container:Container").includes("orders-kafka-kafka-1"));
        assert.deepEqual(through(onDocker, "docker:", "engine"), [], "Docker resources not through the program's provider");
    });
});
