/**
 * examples/typescript as a user runs it: `npm pack` of this checkout, the example copied into an
 * empty project that installs that tarball (and its own @pulumi packages from the registry), then
 * `pulumi up` on Docker with the program's own Docker provider, a produce and consume through the
 * component's bootstrapServers, `pulumi destroy`, and nothing of the environment left.
 *
 * By hand: flock /tmp/kafka-env-e2e.lock bash e2e/run.sh e2e/examples/typescript.test.ts
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { leftovers } from "../lib/docker";
import { consumeAll, produce } from "../lib/kafka";
import { PROJECT_DIR, PulumiStack } from "../lib/pulumi";
import { timed } from "./timed";

const EXAMPLE = path.join(PROJECT_DIR, "examples", "typescript");
const PORT = 19492;

describe("examples/typescript, with the packed kafka-env, on Docker", function () {
    this.timeout(30 * 60 * 1000);
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "kafka-env-ts-example-"));

    before(() => {
        const packed = timed("npm pack", () =>
            JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", work], { cwd: PROJECT_DIR, encoding: "utf8" })),
        ) as { filename: string }[];
        for (const f of ["index.ts", "Pulumi.yaml", "tsconfig.json"]) fs.copyFileSync(path.join(EXAMPLE, f), path.join(work, f));
        const manifest = JSON.parse(fs.readFileSync(path.join(EXAMPLE, "package.json"), "utf8")) as { dependencies: Record<string, string> };
        manifest.dependencies["kafka-env"] = `file:./${packed[0].filename}`;
        fs.writeFileSync(path.join(work, "package.json"), JSON.stringify(manifest, null, 2));
        timed("npm install (the tarball, the example's packages)", () =>
            execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], { cwd: work, stdio: ["ignore", "ignore", "inherit"] }),
        );
    });

    after(() => fs.rmSync(work, { recursive: true, force: true }));

    it("deploys, carries messages, and destroys, through the program's own Docker provider", async () => {
        const ns = "kafka-env-example-typescript";
        const stack = new PulumiStack("e2e-ts-example", {
            [`${ns}:target`]: "docker",
            [`${ns}:brokers`]: 1,
            [`${ns}:externalPort`]: PORT,
            [`${ns}:protectTopics`]: false,
            // No registry is reachable here: the local stand-in (e2e/images/build.sh) for apache/kafka 4.1.
            [`${ns}:kafkaImage`]: "localhost/kafka-env/kafka:4.1-local",
        });
        stack.projectDir = work;
        try {
            stack.init();
            const up = stack.up();
            console.log(`      pulumi up: ${up.seconds.toFixed(0)} s`);
            const outputs = stack.outputs();
            assert.equal(outputs.bootstrapServers, `localhost:${PORT}`);
            assert.equal(outputs.appPlace, "orders-app");
            const sent = await produce(outputs.bootstrapServers, "orders", 200);
            assert.equal(sent.acknowledged.length, 200);
            const read = await consumeAll(outputs.bootstrapServers, "orders", 200);
            assert.equal(read.length, 200);
            console.log(`      produced and consumed 200 messages on "orders"`);
        } finally {
            const down = stack.run(["destroy", "--yes", "--skip-preview"], { allowFailure: true });
            console.log(`      pulumi destroy: ${down.seconds.toFixed(0)} s, exit ${down.code}`);
            stack.remove();
        }
        assert.deepEqual(leftovers("orders-kafka"), { containers: [], volumes: [], networks: [] });
    });
});
