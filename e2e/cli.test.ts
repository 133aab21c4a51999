/**
 * What a user sees when a stack's config has problems: the real Pulumi CLI runs the program on a
 * stack with four mistakes, and its output is compared word for word (the progress ticker's `@`
 * lines, whose timing varies, left out). The problems are printed once, as a list, with no stack
 * trace and no colour codes, and the command fails. The program stops before any resource, so this
 * needs only the CLI and its Node.js language host on the PATH (no engine, no plugin).
 */
import { strict as assert } from "node:assert";
import { PulumiStack } from "./lib/pulumi";

const STACK = "cli-config-problems";

const CONFIG = {
    "kafka_env:target": "docker",
    "kafka-env:cluster": {
        heapOpts: "512m",
        topics: [{ name: "orders", partitions: 3, config: { "cleanup.policy": "compacted", "retention.ms": "-5" } }],
    },
};

const PROBLEMS = [
    "    error: kafka-env configuration has 4 problems:",
    '      - kafka_env:target: is in the config namespace "kafka_env", which kafka-env does not read (the stack would get the defaults); did you mean "kafka-env:target"?',
    '      - cluster.heapOpts: is "512m", which is not a JVM flag (JVM flags start with "-"); for a 512m heap write "-Xmx512m -Xms512m"',
    '      - cluster.topics["orders"].config.cleanup.policy: is "compacted"; for Kafka 4.1, cleanup.policy is a comma-separated list of "compact", "delete": did you mean "compact"?',
    '      - cluster.topics["orders"].config.retention.ms: is "-5"; for Kafka 4.1, retention.ms must be at least -1',
];

const EXPECTED = [
    `Previewing update (${STACK}):`,
    "",
    ` +  pulumi:pulumi:Stack kafka-env-${STACK} create `,
    ` +  pulumi:pulumi:Stack kafka-env-${STACK} create error: kafka-env configuration has 4 problems:`,
    ` +  pulumi:pulumi:Stack kafka-env-${STACK} create 1 error`,
    "Diagnostics:",
    `  pulumi:pulumi:Stack (kafka-env-${STACK}):`,
    ...PROBLEMS,
    "",
    "Resources:",
    "    + 1 to create",
    "    1 errored",
    "",
    "",
].join("\n");

/** Without the progress ticker (`@ previewing update....`), whose place among the lines varies. */
const withoutTicker = (out: string) =>
    out
        .split("\n")
        .filter((line) => !line.startsWith("@ "))
        .join("\n");

describe("the Pulumi CLI on a stack with config problems", function () {
    this.timeout(180_000);
    const stack = new PulumiStack(STACK, CONFIG);
    before(() => stack.init());
    after(() => stack.remove());

    for (const command of [["preview"], ["up", "--yes"]]) {
        it(`pulumi ${command.join(" ")} prints the problems once, without a stack trace or colours, and fails`, () => {
            const r = stack.run(command, { allowFailure: true });
            assert.notEqual(r.code, 0);
            assert.equal(r.stderr, "");
            assert.equal(withoutTicker(r.stdout), EXPECTED);
            assert.ok(!r.stdout.includes("\u001b["), "no terminal colour codes");
        });
    }
});
