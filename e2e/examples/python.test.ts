/**
 * examples/python through the real CLI: the plugin package's schema from `pulumi package get-schema`
 * (plugin/pulumi-resource-kafka-env, @pulumi/pulumi's run-plugin on plugin/), its Python SDK from
 * pulumi-sdkgen-python, installed with `pulumi` from PyPI into a virtualenv, then the program
 * previewed and deployed on Docker (its KafkaEnvironment constructed in the plugin), and destroyed.
 *
 * By hand (it installs from PyPI): flock /tmp/kafka-env-e2e.lock bash e2e/run.sh e2e/examples/python.test.ts
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_DIR, PulumiStack } from "../lib/pulumi";
import { timed } from "./timed";

const EXAMPLE = path.join(PROJECT_DIR, "examples", "python");
const PLUGIN = path.join(PROJECT_DIR, "plugin", "pulumi-resource-kafka-env");
/** The `pulumi` package from PyPI: the SDK the generated code asks for (>=3.269). */
const PYTHON_SDK = "pulumi==3.272.0";

describe("examples/python, through the SDK generated from kafka-env's schema", function () {
    this.timeout(30 * 60 * 1000);
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "kafka-env-python-"));
    const venv = path.join(work, "venv");
    const saved = { PATH: process.env.PATH, VIRTUAL_ENV: process.env.VIRTUAL_ENV };

    before(() => {
        const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { cwd: PROJECT_DIR, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
        const bin = timed("Python host and SDK generator (e2e/toolchain/pulumi-python.sh)", () =>
            run("bash", ["e2e/toolchain/pulumi-python.sh"]).trim().split("\n").pop()!,
        );
        process.env.PATH = `${bin}:${process.env.PATH}`;
        const schema = timed("pulumi package get-schema", () => run("pulumi", ["package", "get-schema", PLUGIN]));
        const parsed = JSON.parse(schema) as { name: string; resources: Record<string, unknown> };
        assert.deepEqual([parsed.name, Object.keys(parsed.resources)], ["kafka-env", ["kafka-env:index:KafkaEnvironment"]]);
        fs.writeFileSync(path.join(work, "schema.json"), schema);
        timed("pulumi-sdkgen-python", () => run(path.join(bin, "pulumi-sdkgen-python"), [path.join(work, "schema.json"), path.join(work, "sdk")]));
        timed("virtualenv", () => run("python3", ["-m", "venv", venv]));
        timed(`pip install ${PYTHON_SDK} and the SDK`, () =>
            run(path.join(venv, "bin", "pip"), ["install", "--quiet", "--disable-pip-version-check", PYTHON_SDK, path.join(work, "sdk")]),
        );
        // The v3.68 Python host reads no `virtualenv` option from this CLI: the virtualenv goes first on PATH.
        process.env.PATH = `${path.join(venv, "bin")}:${process.env.PATH}`;
        process.env.VIRTUAL_ENV = venv;
    });

    after(() => {
        process.env.PATH = saved.PATH;
        if (saved.VIRTUAL_ENV === undefined) delete process.env.VIRTUAL_ENV;
        else process.env.VIRTUAL_ENV = saved.VIRTUAL_ENV;
        fs.rmSync(work, { recursive: true, force: true });
    });

    it("previews the KafkaEnvironment and its containers, deploys it, and destroys it", () => {
        const stack = new PulumiStack("e2e-python", {
            "kafka-env-example-python:externalPort": 19392,
            "kafka-env-example-python:protectTopics": false,
            // No registry is reachable here: the local stand-in (e2e/images/build.sh) for apache/kafka 4.1.
            "kafka-env-example-python:kafkaImage": "localhost/kafka-env/kafka:4.1-local",
        });
        stack.projectDir = EXAMPLE;
        try {
            stack.init();
            const steps = timed("pulumi preview (Python program, component in the plugin)", () => stack.previewSteps());
            const created = (type: string) => steps.filter(([op, t]) => op === "create" && t === type).map(([, , name]) => name);
            assert.deepEqual(created("kafka-env:index:KafkaEnvironment"), ["orders-kafka"]);
            assert.deepEqual(created("kafka-env:docker:KafkaCluster"), ["orders-kafka"]);
            assert.ok(created("docker:index/container:Container").includes("orders-kafka-kafka-1"), JSON.stringify(steps));
            const up = stack.up();
            console.log(`      pulumi up: ${up.seconds.toFixed(0)} s`);
            assert.equal(stack.outputs().bootstrapServers, "localhost:19392");
        } finally {
            const down = stack.run(["destroy", "--yes", "--skip-preview"], { allowFailure: true });
            console.log(`      pulumi destroy: ${down.seconds.toFixed(0)} s, exit ${down.code}`);
            stack.remove();
            fs.rmSync(path.join(EXAMPLE, "Pulumi.e2e-python.yaml"), { force: true });
        }
    });
});
