/**
 * Users and ACLs on Kubernetes in Job mode (`kubernetes.topics: job`): `KubeAccess` stores what is
 * new and removes what is gone since its last run, its ACL script run by bash with a stand-in
 * `kafka-acls` on PATH, as the tools Job would run it.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { KafkaTools } from "../../components/day2/tools";
import { KubeAccessInputs, applyAccess } from "../../components/kubernetes/access";
import { aclBindings } from "../../components/model/aclBindings";
import { aclOptions } from "../../components/model/aclScript";

const ADMIN = { bootstrap: "p-0.h:29094", commandConfig: "/etc/kafka/secrets/tools.properties" };
const ORDERS = aclBindings("orders-app", [
    { resource: "topic", name: "orders", patternType: "literal", operations: ["Write"], permission: "allow", host: "*" },
    { resource: "group", name: "orders-", patternType: "prefixed", operations: ["Read"], permission: "allow", host: "*" },
]);

function inputs(passwords: Record<string, string>, bindings = ORDERS): KubeAccessInputs {
    return {
        namespace: "kafka",
        env: "kafka-dev",
        image: "apache/kafka:4.1.1",
        timeoutSeconds: 60,
        toolsSecret: "kafka-dev-tools-tls",
        admin: ADMIN,
        mechanism: "SCRAM-SHA-512",
        passwords,
        clients: { bootstrap: "p-0.h:29092", protocol: "SASL_SSL" },
        bindings,
    };
}

/** Runs `applyAccess` with stand-in tools that log every call; resolves to the calls, passwords as the tools saw them. */
async function calls(olds: KubeAccessInputs | undefined, news: KubeAccessInputs): Promise<string[]> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kube-access-"));
    try {
        for (const name of ["kafka-configs", "kafka-acls"]) {
            fs.writeFileSync(path.join(dir, name), `#!/usr/bin/env bash\necho "${name} $*" >> ${dir}/calls\n`, { mode: 0o755 });
        }
        const tools: KafkaTools = {
            admin: ADMIN,
            run: (what, script, vars = {}) => {
                const r = spawnSync("bash", ["-c", script], { encoding: "utf8", env: { ...process.env, ...vars, PATH: `${dir}:${process.env.PATH}` } });
                return r.status === 0 ? Promise.resolve(r.stdout) : Promise.reject(new Error(`${what}: ${r.stdout}${r.stderr}`));
            },
        };
        let asked: unknown[] = [];
        await applyAccess({ tools: (...args) => ((asked = args), tools) }, olds, news);
        assert.deepEqual(asked.slice(1), [ADMIN.bootstrap, ADMIN], "the Jobs connect as the tools identity");
        return fs.existsSync(`${dir}/calls`) ? fs.readFileSync(`${dir}/calls`, "utf8").trim().split("\n") : [];
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

const CONNECT = "--bootstrap-server p-0.h:29094 --command-config /etc/kafka/secrets/tools.properties";

describe("users and ACLs on Kubernetes through Jobs (topics: job)", () => {
    it("names each binding as kafka-acls takes it", () => {
        assert.equal(
            aclOptions(ORDERS[0]),
            "--allow-principal 'User:orders-app' --allow-host '*' --operation Write --topic 'orders' --resource-pattern-type literal",
        );
        const [cluster] = aclBindings("ops", [
            { resource: "cluster", name: "kafka-cluster", patternType: "literal", operations: ["Describe"], permission: "deny", host: "10.0.0.1" },
        ]);
        assert.equal(aclOptions(cluster), "--deny-principal 'User:ops' --deny-host '10.0.0.1' --operation Describe --cluster --resource-pattern-type literal");
    });

    it("a first run stores every credential and adds every binding", async () => {
        assert.deepEqual(await calls(undefined, inputs({ "orders-app": "pw1" })), [
            `kafka-configs ${CONNECT} --alter --entity-type users --entity-name orders-app --add-config SCRAM-SHA-512=[iterations=8192,password=pw1]`,
            `kafka-acls ${CONNECT} --add ${aclOptions(ORDERS[0]).replace(/'/g, "")}`,
            `kafka-acls ${CONNECT} --add ${aclOptions(ORDERS[1]).replace(/'/g, "")}`,
        ]);
    });

    it("later runs do only what changed: a new password, a binding gone, a user gone", async () => {
        const before = inputs({ "orders-app": "pw1", "old-app": "pw2" });
        assert.deepEqual(await calls(before, before), [], "nothing changed: no Job at all");
        assert.deepEqual(await calls(before, inputs({ "orders-app": "pw3", "old-app": "pw2" }, [ORDERS[0]])), [
            `kafka-configs ${CONNECT} --alter --entity-type users --entity-name orders-app --add-config SCRAM-SHA-512=[iterations=8192,password=pw3]`,
            `kafka-acls ${CONNECT} --remove --force ${aclOptions(ORDERS[1]).replace(/'/g, "")}`,
        ]);
        assert.deepEqual(await calls(before, inputs({ "orders-app": "pw1" })), [
            `kafka-configs ${CONNECT} --alter --entity-type users --entity-name old-app --delete-config SCRAM-SHA-512`,
        ]);
    });
});
