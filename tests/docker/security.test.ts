/**
 * A secured cluster on Docker, under mocks (the dev stack with SCRAM, TLS, ACLs and a read-only
 * kafka-ui): the files each container gets and how, the tools' connection, the step that stores
 * kafka-env's own credentials and what waits for it, the provider's login, the users and ACLs, and
 * the outputs. Secret values are the mocks' made-up ones (tools/graph/mocks.ts).
 */
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { Recorded, promiseOf, runProgram, stackConfig, withCluster } from "../../tools/graph/mocks";
import { TYPES, byType, envMap } from "../harness";
import { isWrappedSecret } from "../security/registered";

const SECURED = withCluster(stackConfig("dev"), (c) => {
    c.security = { authentication: "scram-sha-512", tls: true, authorization: true };
    c.users = [
        {
            name: "orders-app",
            acls: [
                { resource: "topic", name: "orders", operations: ["Write", "Describe"] },
                { resource: "group", name: "orders-", patternType: "prefixed", operations: ["Read"] },
            ],
        },
    ];
    c.kafkaUi = { ...c.kafkaUi, readOnly: true };
});
const short = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);
/** A secret input's value (the mocks see secrets wrapped), and whether it was one. */
const reveal = (v: unknown): [unknown, boolean] => (isWrappedSecret(v) ? [(v as { value: unknown }).value, true] : [v, false]);

describe("a secured cluster on Docker (SCRAM-SHA-512, TLS, ACLs)", function () {
    this.timeout(60_000);
    let resources: Recorded[];
    let result: Awaited<ReturnType<typeof runProgram>>["result"];
    const one = (type: string, name: string) => byType(resources, type).get(name)!;

    before(async () => {
        ({ resources, result } = await runProgram(SECURED, "dev"));
    });

    it("uploads each Kafka node's CA, client properties and key before it starts; the key as a secret only its user reads", () => {
        const [uploads, secret] = reveal(one(TYPES.container, "kafka-dev-kafka-2").inputs.uploads);
        assert.equal(secret, true, "the uploads hold a key: the whole input is secret");
        assert.deepEqual(uploads, [
            { file: "/etc/kafka/secrets/ca.crt", content: "mock CA certificate", permissions: "0444" },
            {
                file: "/etc/kafka/secrets/client.properties",
                content:
                    "security.protocol=SSL\nssl.keystore.type=PEM\nssl.keystore.location=/etc/kafka/secrets/node.pem\nssl.truststore.type=PEM\nssl.truststore.location=/etc/kafka/secrets/ca.crt\n",
                permissions: "0444",
            },
            { file: "/etc/kafka/secrets/node.pem", content: "mock keystore of kafka-2", permissions: "0400", owner: "1000", group: "1000" },
        ]);
        assert.equal(one(TYPES.container, "kafka-dev-zookeeper-1").inputs.uploads, undefined, "ZooKeeper is protected by the network only");
    });

    it("keeps every secret out of the nodes' environment, which previews and the diff print", () => {
        for (const [name, c] of byType(resources, TYPES.container)) {
            if (name.endsWith("kafka-ui")) continue;
            const [envs, secret] = reveal(c.inputs.envs);
            assert.equal(secret, false, name);
            assert.ok(!JSON.stringify(envs).includes("mock-password") && !JSON.stringify(envs).includes("mock keystore"), name);
        }
        const env = envMap(one(TYPES.container, "kafka-dev-kafka-1").inputs.envs as string[]);
        assert.equal(env.KAFKA_LISTENER_SECURITY_PROTOCOL_MAP, "EXTERNAL:SASL_SSL,INTERNAL:SASL_SSL,PROBE:PLAINTEXT,REPLICATION:SSL");
        assert.equal(env.KAFKA_SSL_KEYSTORE_LOCATION, "/etc/kafka/secrets/node.pem");
    });

    it("the tools reach their broker over REPLICATION with the node's certificate: the roll gates' check, the broker set, the version step", () => {
        const admin = { bootstrap: "localhost:29094", commandConfig: "/etc/kafka/secrets/client.properties" };
        const gate = one(TYPES.rollGate, "kafka-dev-kafka-2-roll");
        assert.match(gate.inputs.inSync.command, /--bootstrap-server localhost:29094 --command-config \/etc\/kafka\/secrets\/client\.properties --describe/);
        assert.deepEqual(one(TYPES.brokerSet, "kafka-dev-broker-set").inputs.admin, admin);
        assert.deepEqual(one("pulumi-nodejs:dynamic/kafka-env:VersionStep", "kafka-dev-version").inputs.admin, admin);
    });

    it("stores kafka-env's own credentials after the version step, with the passwords as a secret; topics, users and ACLs come after", () => {
        const own = one("pulumi-nodejs:dynamic/kafka-env:OwnCredentials", "kafka-dev-own-credentials");
        assert.ok(own.options!.dependsOn.map(short).includes("kafka-dev-version"));
        const [passwords, secret] = reveal(own.inputs.passwords);
        assert.equal(secret, true);
        assert.deepEqual(passwords, { "kafka-env-admin": "mock-password-of-kafka-env-admin", "kafka-env-ui": "mock-password-of-kafka-env-ui" });
        assert.equal(own.inputs.container, "kafka-dev-kafka-1");
        assert.deepEqual(own.inputs.clients, { bootstrap: "kafka-1:29092,kafka-2:29092,kafka-3:29092", protocol: "SASL_SSL" });
        for (const r of resources.filter((x) => [TYPES.topic, "kafka:index/acl:Acl", "kafka:index/userScramCredential:UserScramCredential"].includes(x.type))) {
            assert.ok(r.options!.dependsOn.map(short).includes("kafka-dev-own-credentials"), r.name);
        }
    });

    it("the provider trusts the CA, verifies host names and logs in as kafka-env's admin; the password a secret", () => {
        const p = one(TYPES.kafkaProvider, "kafka-dev-topics-kafka").inputs;
        const [password, secret] = reveal(p.saslPassword);
        assert.deepEqual(
            { ...p, saslPassword: password, version: undefined },
            {
                bootstrapServers: JSON.stringify(["localhost:9092", "localhost:9093", "localhost:9094"]),
                tlsEnabled: "true",
                caCert: "mock CA certificate",
                skipTlsVerify: "false",
                saslMechanism: "scram-sha512",
                saslUsername: "kafka-env-admin",
                saslPassword: "mock-password-of-kafka-env-admin",
                timeout: "120",
                version: undefined,
            },
        );
        assert.equal(secret, true);
    });

    it("gives each user a SCRAM credential and each ACL operation its own binding, kafka-ui's read-only user its ACLs", () => {
        const credential = one("kafka:index/userScramCredential:UserScramCredential", "kafka-dev-access-user-orders-app").inputs;
        assert.deepEqual(reveal(credential.password), ["mock-password-of-orders-app", true]);
        assert.deepEqual(
            { ...credential, password: undefined },
            { username: "orders-app", scramMechanism: "SCRAM-SHA-512", scramIterations: 8192, password: undefined },
        );
        const acls = [...byType(resources, "kafka:index/acl:Acl").keys()].sort();
        assert.deepEqual(acls, [
            "kafka-dev-access-acl-kafka-env-ui-cluster-literal-kafka-cluster-Describe",
            "kafka-dev-access-acl-kafka-env-ui-cluster-literal-kafka-cluster-DescribeConfigs",
            "kafka-dev-access-acl-kafka-env-ui-group-literal-_-684888c0-Describe",
            "kafka-dev-access-acl-kafka-env-ui-group-literal-_-684888c0-Read",
            "kafka-dev-access-acl-kafka-env-ui-topic-literal-_-684888c0-Describe",
            "kafka-dev-access-acl-kafka-env-ui-topic-literal-_-684888c0-DescribeConfigs",
            "kafka-dev-access-acl-kafka-env-ui-topic-literal-_-684888c0-Read",
            "kafka-dev-access-acl-orders-app-group-prefixed-orders--Read",
            "kafka-dev-access-acl-orders-app-topic-literal-orders-Describe",
            "kafka-dev-access-acl-orders-app-topic-literal-orders-Write",
        ]);
        assert.deepEqual(one("kafka:index/acl:Acl", "kafka-dev-access-acl-orders-app-group-prefixed-orders--Read").inputs, {
            aclPrincipal: "User:orders-app",
            aclHost: "*",
            aclOperation: "Read",
            aclPermissionType: "Allow",
            aclResourceType: "Group",
            aclResourceName: "orders-",
            resourcePatternTypeFilter: "Prefixed",
        });
    });

    it("kafka-ui logs in as its read-only user (the JAAS line a secret) and trusts the uploaded CA", () => {
        const ui = one(TYPES.container, "kafka-dev-kafka-ui");
        const [envs, secret] = reveal(ui.inputs.envs);
        assert.equal(secret, true);
        const env = envMap(envs as string[]);
        assert.equal(
            env.KAFKA_CLUSTERS_0_PROPERTIES_SASL_JAAS_CONFIG,
            'org.apache.kafka.common.security.scram.ScramLoginModule required username="kafka-env-ui" password="mock-password-of-kafka-env-ui";',
        );
        assert.equal(env.KAFKA_CLUSTERS_0_PROPERTIES_SSL_TRUSTSTORE_LOCATION, "/etc/kafka-ui/ca.crt");
        assert.deepEqual(reveal(ui.inputs.uploads)[0], [{ file: "/etc/kafka-ui/ca.crt", content: "mock CA certificate", permissions: "0444" }]);
    });

    it("exports the CA, the certificates' expiry, and the users' and the admin's credentials as secrets", async () => {
        assert.equal(await promiseOf(result.caCertificate!), "mock CA certificate");
        assert.equal(await promiseOf(result.certificateExpiry!), "2099-01-01T00:00:00.000Z");
        assert.deepEqual(await promiseOf(result.userCredentials!), {
            "orders-app": { username: "orders-app", password: "mock-password-of-orders-app", mechanism: "SCRAM-SHA-512" },
        });
        assert.deepEqual(await promiseOf(result.adminCredentials!), {
            username: "kafka-env-admin",
            password: "mock-password-of-kafka-env-admin",
            mechanism: "SCRAM-SHA-512",
        });
        assert.equal(await pulumi.isSecret(result.userCredentials!), true);
        assert.equal(await pulumi.isSecret(result.adminCredentials!), true);
    });

    it("an unsecured cluster exports none of them and keeps every step's inputs as before", async () => {
        const { result: plain, resources: r } = await runProgram(stackConfig("dev"), "dev");
        assert.deepEqual(
            Object.keys(plain).filter((k) => k !== "components"),
            ["bootstrapServers", "internalBootstrapServers", "kafkaUiUrl", "zookeeperConnect"],
        );
        assert.equal(byType(r, TYPES.brokerSet).get("kafka-dev-broker-set")!.inputs.admin, undefined);
        assert.equal(byType(r, "pulumi-nodejs:dynamic/kafka-env:OwnCredentials").size, 0);
        const provider = byType(r, TYPES.kafkaProvider).get("kafka-dev-topics-kafka")!.inputs;
        assert.deepEqual([provider.tlsEnabled, provider.saslUsername, provider.caCert], ["false", undefined, undefined]);
    });
});
