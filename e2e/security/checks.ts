/**
 * What a secured stack lets in and keeps out (issue 22), with Kafka's own clients (in containers, on
 * the cluster network for INTERNAL and on the host's for EXTERNAL) and with @platformatic/kafka on
 * the host (EXTERNAL): PLAINTEXT refused on every client port, a wrong password and an unknown user
 * refused at authentication, `orders-app` held to its ACLs, TLS verified against the stack's CA and
 * the host names (another CA refused), and the cluster's own listeners closed to clients (REPLICATION
 * needs a node certificate; PROBE answers only on the node's loopback). Registered by the scenario
 * right after the cluster is up; the ACL removal (aclRemoval.ts) runs last.
 */
import { strict as assert } from "node:assert";
import { Admin, Consumer, MessagesStreamModes, Producer, stringDeserializers, stringSerializers } from "@platformatic/kafka";
import { createCa } from "../../components/security/pki";
import { explained, hasError } from "../lib/clientErrors";
import { Brokers, connection, produce } from "../lib/kafka";
import { ClientLogin, StackLogins, clientProperties } from "../lib/security";
import { ToolResult, ToolRunner, dockerToolRunner, tail } from "./toolChecks";

export interface SecuredCluster {
    readonly env: string;
    /** An image with Kafka's tools. */
    readonly toolImage: string;
    readonly outputs: () => Readonly<Record<string, string>>;
    readonly logins: () => StackLogins;
    /** Where Kafka's tools run. Default: Docker containers on the environment's network and on the host's. */
    readonly tools?: ToolRunner;
    /** The first broker as another client on its network names it. Default: `kafka-1` (Docker). */
    readonly brokerHost?: string;
    /**
     * The first EXTERNAL address by a name or address its certificate does not cover, where there is
     * one to dial. Default: Docker's `localhost` as 127.0.0.1.
     */
    readonly uncovered?: (server: string) => string | undefined;
}

export const USER = "orders-app";
/** Short timeouts: a refused connection fails in seconds instead of a client's default minute. */
const QUICK = "default.api.timeout.ms=10000\nrequest.timeout.ms=5000\n";
const PRODUCE = "--producer-property acks=all --producer-property max.block.ms=20000 --producer-property delivery.timeout.ms=30000";

/** The check passed: `r` failed (or succeeded) and said `expected`. */
function expect(r: ToolResult, ok: boolean, expected: RegExp | undefined, what: string): void {
    assert.equal(r.code === 0 && !/ERROR|Exception/.test(r.output), ok, `${what}: ${tail(r)}`);
    if (expected) assert.match(r.output, expected, `${what}: ${tail(r)}`);
}

/** How a @platformatic/kafka call failed: the error, asserting that it did. */
async function failure(what: string, call: () => Promise<unknown>): Promise<Error> {
    try {
        await call();
    } catch (e) {
        return e as Error;
    }
    assert.fail(`${what} succeeded`);
}

const apiError = (e: Error, id: string) => hasError(e, "apiId", id);
const authError = (e: Error) => hasError(e, "code", "PLT_KFK_AUTHENTICATION") || apiError(e, "SASL_AUTHENTICATION_FAILED");

export function securitySteps(m: SecuredCluster): void {
    const external = () => m.outputs().bootstrapServers;
    const as = (login: ClientLogin | undefined, servers = external()): Brokers => ({ servers, login });
    const user = () => m.logins().users[USER];
    let tools: Record<string, ToolResult> = {};

    it(`Kafka's own clients: PLAINTEXT, a wrong password, an unknown user and another CA are refused; ${USER} is held to its ACLs`, async () => {
        const { admin, ca } = m.logins();
        await produce(as(admin), "payments", 1);
        const internal = m.outputs().internalBootstrapServers;
        const files = {
            "ca.crt": ca,
            "other-ca.crt": createCa("kafka-env-e2e-other-ca", 1, new Date()).certPem,
            "plaintext.properties": `security.protocol=PLAINTEXT\n${QUICK}`,
            "wrong-password.properties": clientProperties({ ...user(), password: `not-${user().password}` }, "/checks/ca.crt") + QUICK,
            "unknown-user.properties": clientProperties({ ...user(), username: "nobody" }, "/checks/ca.crt") + QUICK,
            "orders-app.properties": clientProperties(user(), "/checks/ca.crt") + QUICK,
            "admin.properties": clientProperties(admin, "/checks/ca.crt") + QUICK,
            "other-ca.properties": clientProperties(admin, "/checks/other-ca.crt") + QUICK,
            "no-certificate.properties": `security.protocol=SSL\nssl.truststore.type=PEM\nssl.truststore.location=/checks/ca.crt\n${QUICK}`,
        };
        const list = (bootstrap: string, props: string) => `tool kafka-topics --bootstrap-server ${bootstrap} --command-config /checks/${props} --list`;
        const write = (topic: string) =>
            `printf 'from-kafka-tools\\n' | tool kafka-console-producer --bootstrap-server ${internal} --producer.config /checks/orders-app.properties --topic ${topic} ${PRODUCE}`;
        const read = (topic: string, group: string) =>
            `tool kafka-console-consumer --bootstrap-server ${internal} --consumer.config /checks/orders-app.properties --topic ${topic} --group ${group} --from-beginning --max-messages 1 --timeout-ms 30000`;
        const t0 = Date.now();
        const run = m.tools ?? dockerToolRunner(m.env, m.toolImage);
        const broker = m.brokerHost ?? "kafka-1";
        tools = run("cluster", files, [
            { name: "plaintext", command: list(internal, "plaintext.properties") },
            { name: "wrong password", command: list(internal, "wrong-password.properties") },
            { name: "unknown user", command: list(internal, "unknown-user.properties") },
            { name: "write orders", command: write("orders") },
            { name: "read payments", command: read("payments", "orders-e2e-tools") },
            { name: "write payments", command: write("payments") },
            { name: "read orders as other", command: read("orders", "other") },
            { name: "another CA", command: list(internal, "other-ca.properties") },
            { name: "REPLICATION without a certificate", command: list(`${broker}:29094`, "no-certificate.properties") },
            { name: "PROBE from another container", command: `timeout 5 bash -c 'exec 3<>/dev/tcp/${broker}/29095' && echo connected` },
        ]);
        const host = run("host", files, [
            { name: "external plaintext", command: list(external(), "plaintext.properties") },
            { name: "external, trusting the CA", command: list(external(), "admin.properties") },
        ]);
        console.log(`      ${Object.keys(tools).length + Object.keys(host).length} tool runs in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
        expect(tools["plaintext"], false, undefined, "PLAINTEXT to INTERNAL");
        expect(host["external plaintext"], false, undefined, "PLAINTEXT to EXTERNAL");
        expect(tools["wrong password"], false, /SaslAuthenticationException/, "a wrong password");
        expect(tools["unknown user"], false, /SaslAuthenticationException/, "an unknown user");
        expect(tools["write orders"], true, undefined, `${USER} writes orders`);
        expect(tools["read payments"], true, /Processed a total of 1 messages/, `${USER} reads payments`);
        expect(tools["write payments"], false, /TopicAuthorizationException/, `${USER} writes payments`);
        expect(tools["read orders as other"], false, /GroupAuthorizationException/, `${USER} reads orders as group other`);
        expect(tools["another CA"], false, /SslAuthenticationException|SSLHandshakeException/, "a client trusting another CA");
        expect(host["external, trusting the CA"], true, /^orders$/m, "a client trusting caCertificate, through EXTERNAL");
        expect(tools["REPLICATION without a certificate"], false, undefined, "a client without a certificate on REPLICATION");
        expect(tools["PROBE from another container"], false, undefined, "PROBE from another container");
    });

    it(`@platformatic/kafka: the same refusals through EXTERNAL, ${USER} held to its ACLs, host names verified`, async () => {
        const { admin } = m.logins();
        const servers = external().split(",");
        for (const server of servers) {
            const e = await failure(`PLAINTEXT to ${server}`, () => listTopics(server));
            console.log(`      PLAINTEXT to ${server}: ${explained(e).slice(0, 160)}`);
        }
        for (const [what, login] of [
            ["a wrong password", { ...user(), password: `not-${user().password}` }],
            ["an unknown user", { ...user(), username: "nobody" }],
        ] as const) {
            const e = await failure(what, () => listTopics(as(login)));
            assert.ok(authError(e), `${what}: ${explained(e)}`);
        }
        const producer = new Producer({ clientId: "kafka-env-e2e-security", ...connection(as(user())), serializers: stringSerializers, retries: 0 });
        try {
            await producer.send({ messages: [{ topic: "orders", key: "k", value: "from-platformatic" }] });
            const e = await failure(`${USER} writes payments`, () => producer.send({ messages: [{ topic: "payments", key: "k", value: "x" }] }));
            assert.ok(apiError(e, "TOPIC_AUTHORIZATION_FAILED"), explained(e));
        } finally {
            await producer.close();
        }
        assert.equal(await readOne(as(user()), "payments", "orders-e2e-js"), true, `${USER} reads payments as group orders-e2e-js`);
        const denied = await failure(`${USER} reads orders as group other`, () => readOne(as(user()), "orders", "other"));
        assert.ok(apiError(denied, "GROUP_AUTHORIZATION_FAILED"), explained(denied));
        // TLS: the admin connects through localhost (a name the certificates cover), not through 127.0.0.1, nor trusting another CA.
        assert.ok((await listTopics(as(admin))).includes("orders"));
        const uncovered = (m.uncovered ?? ((s: string) => s.replace("localhost", "127.0.0.1")))(servers[0]);
        if (uncovered) {
            const byAddress = await failure(`${uncovered} for ${servers[0]}`, () => listTopics(as(admin, uncovered)));
            const host = uncovered.slice(0, uncovered.lastIndexOf(":")).replace(/\./g, "\\.");
            assert.match(explained(byAddress), new RegExp(`ERR_TLS_CERT_ALTNAME_INVALID|IP: ${host} is not in the cert's list`));
        } else console.log(`      no address of ${servers[0]} outside its certificate to dial here: host-name mismatch not checked`);
        const other = await failure("another CA", () => listTopics(as({ ...admin, ca: createCa("kafka-env-e2e-other-ca", 1, new Date()).certPem })));
        assert.match(explained(other), /unable to verify|self.signed|UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED/i);
    });
}

async function listTopics(b: Brokers): Promise<string[]> {
    const admin = new Admin({ clientId: "kafka-env-e2e-security", ...connection(b), retries: 0, connectTimeout: 5000, requestTimeout: 10000 });
    try {
        return await admin.listTopics();
    } finally {
        await admin.close().catch(() => undefined);
    }
}

/** Reads one message of `topic` from the beginning as `group`; rejects with the consumer's error. */
async function readOne(b: Brokers, topic: string, group: string): Promise<boolean> {
    const consumer = new Consumer({ clientId: "kafka-env-e2e-security", groupId: group, ...connection(b), deserializers: stringDeserializers, retries: 0 });
    try {
        const stream = await consumer.consume({ topics: [topic], mode: MessagesStreamModes.EARLIEST, autocommit: false, maxWaitTime: 500 });
        try {
            return await new Promise<boolean>((resolve, reject) => {
                const timer = setTimeout(() => reject(new Error(`no message of ${topic} within 30 s`)), 30000);
                stream.on("error", (e: Error) => {
                    clearTimeout(timer);
                    reject(e);
                });
                stream.on("data", () => {
                    clearTimeout(timer);
                    resolve(true);
                });
            });
        } finally {
            await stream.close();
        }
    } finally {
        await consumer.close(true).catch(() => undefined);
    }
}
