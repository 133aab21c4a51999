/** Reading a stack file without a backend: project defaults, secrets kept as ciphertext only. */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { readStack } from "../../tools/diff/stack";

describe("reading a stack file offline", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kafka-env-stack-"));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const write = (file: string, doc: unknown) => fs.writeFileSync(path.join(dir, file), stringify(doc));

    it("applies the project's config defaults and hides every secure value", () => {
        write("Pulumi.yaml", { name: "kafka-env", config: { "kafka-env:target": { type: "string", default: "docker" } } });
        write("Pulumi.s.yaml", {
            encryptionsalt: "v1:salt",
            config: {
                "kafka-env:kafkaUiPassword": { secure: "v1:cGFzc3dvcmQ=" },
                "kafka-env:cluster": { brokers: 1, kafkaUi: { username: { secure: "v1:dXNlcg==" } } },
            },
        });
        const s = readStack(dir, "s");
        assert.deepEqual(s.problems, undefined);
        assert.equal(s.plan?.target, "docker");
        assert.deepEqual(s.secrets, { kafkaUiPassword: "v1:cGFzc3dvcmQ=", "cluster.kafkaUi.username": "v1:dXNlcg==" });
        assert.equal(s.plan?.cluster.kafkaUi.username, "[secret]");
        assert.deepEqual([...s.secretKeys], ["kafka-env:cluster", "kafka-env:kafkaUiPassword"]);
        assert.ok(!JSON.stringify(s.config).includes("v1:"), "the program never sees a ciphertext");
        assert.match(s.config["kafka-env:kafkaUiPassword"], /^\[secret [0-9a-f]{12}\]$/);
    });

    it("reads kafka-env:userPasswords by user: the names reach the model, the passwords stay ciphertext", () => {
        write("Pulumi.users.yaml", {
            config: {
                "kafka-env:cluster": { brokers: 1, security: { authentication: "scram-sha-512" }, users: [{ name: "orders-app" }] },
                "kafka-env:userPasswords": { "orders-app": { secure: "v1:b3JkZXJz" }, ghost: { secure: "v1:Z2hvc3Q=" } },
            },
        });
        const s = readStack(dir, "users");
        assert.deepEqual(s.secrets, { "userPasswords.orders-app": "v1:b3JkZXJz", "userPasswords.ghost": "v1:Z2hvc3Q=" });
        assert.deepEqual(s.problems, [{ path: "userPasswords.ghost", message: 'is set but cluster.users has no user "ghost"; remove it, or add the user' }]);
    });

    it("a stack file that is not YAML is an invalid config, not a crash", () => {
        fs.writeFileSync(path.join(dir, "Pulumi.bad.yaml"), "config: [unclosed");
        const s = readStack(dir, "bad");
        assert.equal(s.plan, undefined);
        assert.equal(s.problems?.[0].path, "Pulumi.bad.yaml");
        assert.match(s.problems[0].message, /^cannot be read: /);
    });
});
