/**
 * The step that stores kafka-env's own SCRAM credentials (security/ownCredentials.ts), its script
 * run by bash with stand-in Kafka tools on PATH, as `KafkaTools` would run it in a broker.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { KafkaTools } from "../../components/day2/tools";
import { OwnCredentialSettings, ownCredentialSettings, ownUsers, storeOwnCredentials } from "../../components/security/ownCredentials";
import { planCluster } from "../../components/model";
import { dockerAddressing } from "../../components/docker/addressing";

interface Ran {
    readonly out: string;
    readonly calls: string[];
    /** The client properties kafka-broker-api-versions was given, as it read them. */
    readonly login?: string;
}

/** Stand-in tools: kafka-configs logs its call (or fails echoing it); api-versions refuses `refusals` times, then lists the brokers. */
async function run(olds: OwnCredentialSettings | undefined, news: OwnCredentialSettings, opts: { refusals?: number; configsFail?: boolean } = {}) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "own-credentials-"));
    const tool = (name: string, body: string) =>
        fs.writeFileSync(path.join(dir, name), `#!/usr/bin/env bash\necho "${name} $*" >> ${dir}/calls\n${body}\n`, { mode: 0o755 });
    tool("kafka-configs", opts.configsFail ? 'echo "Invalid config(s): $*"; exit 1' : 'echo "Completed updating config for user."');
    const apiVersions = [
        `cat "\${@: -1}" > ${dir}/login`,
        `n=$(cat ${dir}/n 2>/dev/null || echo 0); echo $((n+1)) > ${dir}/n`,
        `if [ "$n" -lt ${opts.refusals ?? 0} ]; then echo "kafka-2:29092 (id: 2 rack: null) -> ERROR: org.apache.kafka.common.errors.SaslAuthenticationException"; else echo "kafka-1:29092 (id: 1 rack: null) -> ("; fi`,
    ];
    tool("kafka-broker-api-versions", apiVersions.join("\n"));
    const tools: KafkaTools = {
        admin: { bootstrap: "localhost:29094", commandConfig: "/etc/kafka/secrets/client.properties" },
        run: (what, script, vars = {}) => {
            const r = spawnSync("bash", ["-c", script], { encoding: "utf8", env: { ...process.env, ...vars, PATH: `${dir}:${process.env.PATH}` } });
            if (r.status !== 0) return Promise.reject(new Error(`${what} failed (exit ${r.status}): ${r.stdout}${r.stderr}`));
            return Promise.resolve(r.stdout);
        },
    };
    try {
        const out = await storeOwnCredentials(tools, olds, news);
        const read = (f: string) => (fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f), "utf8") : undefined);
        return { out, calls: read("calls")?.trim().split("\n") ?? [], login: read("login") } as Ran;
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

const SETTINGS: OwnCredentialSettings = {
    mechanism: "SCRAM-SHA-512",
    passwords: { "kafka-env-admin": "pw-admin", "kafka-env-ui": "pw-ui" },
    clients: { bootstrap: "kafka-1:29092,kafka-2:29092", protocol: "SASL_SSL" },
    timeoutSeconds: 30,
};
const ADMIN = "--bootstrap-server localhost:29094 --command-config /etc/kafka/secrets/client.properties --alter";

describe("kafka-env's own credentials, stored once the brokers are ready", () => {
    it("the model's own users and settings: the admin, kafka-ui's user when read-only, the first brokers' INTERNAL addresses", () => {
        const plan = (cluster: object) => planCluster({ cluster, stack: "dev", hasKafkaUiPassword: false }, dockerAddressing);
        const secured = { security: { authentication: "scram-sha-512", tls: true, authorization: true }, brokers: 4 };
        assert.deepEqual(ownUsers(plan(secured)), ["kafka-env-admin"]);
        assert.deepEqual(ownUsers(plan({ ...secured, kafkaUi: { readOnly: true } })), ["kafka-env-admin", "kafka-env-ui"]);
        assert.deepEqual(ownCredentialSettings(plan(secured), 300), {
            mechanism: "SCRAM-SHA-512",
            clients: { bootstrap: "kafka-1:29092,kafka-2:29092,kafka-3:29092", protocol: "SASL_SSL" },
            timeoutSeconds: 300,
        });
        assert.equal(ownCredentialSettings(plan({ security: { tls: true } }), 300), undefined, "TLS alone has no SCRAM users");
    });

    it("a create stores each user's credential as the cluster's own identity, then waits until every broker accepts the admin", async () => {
        const r = await run(undefined, SETTINGS, { refusals: 1 });
        assert.deepEqual(r.calls, [
            `kafka-configs ${ADMIN} --entity-type users --entity-name kafka-env-admin --add-config SCRAM-SHA-512=[iterations=8192,password=pw-admin]`,
            `kafka-configs ${ADMIN} --entity-type users --entity-name kafka-env-ui --add-config SCRAM-SHA-512=[iterations=8192,password=pw-ui]`,
            ...Array(2).fill("kafka-broker-api-versions --bootstrap-server kafka-1:29092,kafka-2:29092 --command-config " + r.calls[2].split(" ").pop()),
        ]);
        assert.equal(
            r.login,
            [
                "security.protocol=SASL_SSL",
                "sasl.mechanism=SCRAM-SHA-512",
                'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="kafka-env-admin" password="pw-admin";',
                "ssl.truststore.type=PEM",
                "ssl.truststore.location=/etc/kafka/secrets/ca.crt",
                "",
            ].join("\n"),
        );
        assert.match(r.out, /every broker accepts kafka-env-admin's login/);
        assert.doesNotMatch(r.out, /pw-/);
    });

    it("an update stores only changed passwords, deletes users gone, and runs nothing when nothing changed", async () => {
        assert.deepEqual((await run(SETTINGS, { ...SETTINGS, timeoutSeconds: 60 })).calls, []);
        const changed = await run(SETTINGS, { ...SETTINGS, passwords: { "kafka-env-admin": "pw-admin" } });
        assert.deepEqual(changed.calls, [`kafka-configs ${ADMIN} --entity-type users --entity-name kafka-env-ui --delete-config SCRAM-SHA-512`]);
        const ui = await run(SETTINGS, { ...SETTINGS, passwords: { ...SETTINGS.passwords, "kafka-env-ui": "pw-ui-2" } });
        assert.deepEqual(ui.calls, [
            `kafka-configs ${ADMIN} --entity-type users --entity-name kafka-env-ui --add-config SCRAM-SHA-512=[iterations=8192,password=pw-ui-2]`,
        ]);
    });

    it("a new mechanism stores every credential anew and deletes the old mechanism's", async () => {
        const r = await run(SETTINGS, { ...SETTINGS, mechanism: "SCRAM-SHA-256", passwords: { "kafka-env-admin": "pw-admin" } });
        assert.deepEqual(r.calls.slice(0, 3), [
            `kafka-configs ${ADMIN} --entity-type users --entity-name kafka-env-admin --add-config SCRAM-SHA-256=[iterations=8192,password=pw-admin]`,
            `kafka-configs ${ADMIN} --entity-type users --entity-name kafka-env-admin --delete-config SCRAM-SHA-512`,
            `kafka-configs ${ADMIN} --entity-type users --entity-name kafka-env-ui --delete-config SCRAM-SHA-512`,
        ]);
        assert.match(r.login!, /sasl.mechanism=SCRAM-SHA-256/);
    });

    it("fails when a broker keeps refusing the admin, and never prints a password when Kafka's tools fail", async () => {
        await assert.rejects(run(undefined, { ...SETTINGS, timeoutSeconds: 0 }, { refusals: 9 }), (e: Error) => {
            assert.match(e.message, /-> ERROR: org.apache.kafka.common.errors.SaslAuthenticationException/);
            assert.match(e.message, /the brokers did not all accept kafka-env-admin's login within 0 s/);
            return true;
        });
        await assert.rejects(run(undefined, SETTINGS, { configsFail: true }), (e: Error) => {
            assert.match(e.message, /Invalid config\(s\): .*password=\(hidden\)/);
            assert.doesNotMatch(e.message, /pw-admin/);
            return true;
        });
    });
});
