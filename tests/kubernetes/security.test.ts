/**
 * A secured cluster on Kubernetes, under mocks (the k8s stack with SCRAM, TLS, ACLs and a read-only
 * kafka-ui; topics and access through Jobs, then through the provider): the Secrets and what each
 * holds, how each pod finds its own files, the tools' connection in every Job, the steps that store
 * credentials and ACLs, and that no secret is ever a ConfigMap, an env value or a plain input.
 * Secret values are the mocks' made-up ones (tools/graph/mocks.ts).
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Recorded, withCluster } from "../../tools/graph/mocks";
import { TYPES, byType } from "../harness";
import { isWrappedSecret, plainOccurrences } from "../security/registered";
import { userSecretName } from "../../components/kubernetes/secrets";
import { schemaErrors } from "./schema";
import { K8S, manifests, run } from "./stackGraph";

const SECURED = withCluster(K8S, (c) => {
    c.security = { authentication: "scram-sha-512", tls: true, authorization: true };
    c.users = [{ name: "orders-app", acls: [{ resource: "topic", name: "orders", operations: ["Write", "Describe"] }] }];
    c.kafkaUi = { ...c.kafkaUi, readOnly: true };
});
const PROVIDER = withCluster(
    SECURED,
    (k) => {
        k.topics = "provider";
        k.external = { type: "NodePort", advertisedHost: "10.250.0.1", nodePortBase: 30092 };
    },
    "kafka-env:kubernetes",
);
const reveal = (v: unknown): [unknown, boolean] => (isWrappedSecret(v) ? [(v as { value: unknown }).value, true] : [v, false]);
const short = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);
const SECRET_VALUES = ["mock-password", "mock keystore"];
const REPLICATION = ["kafka-dev-kafka-0", "kafka-dev-kafka-1", "kafka-dev-kafka-2"].map((p) => `${p}.kafka-dev-kafka-headless.kafka.svc.cluster.local:29094`);
const TOOLS_ADMIN = { bootstrap: REPLICATION.join(","), commandConfig: "/etc/kafka/secrets/tools.properties" };

describe("a secured cluster on Kubernetes (SCRAM-SHA-512, TLS, ACLs)", function () {
    this.timeout(60_000);
    let resources: Recorded[];
    const one = (type: string, name: string) => byType(resources, type).get(name)!;
    const pod = (group: string) => one(TYPES.statefulSet, `kafka-dev-${group}`).inputs.spec.template;

    before(async () => {
        ({ resources } = await run(SECURED));
    });

    it("keeps each node group's files in its own Secret: shared files once, each node's key under its ordinal", () => {
        const secret = one(TYPES.secret, "kafka-dev-kafka-tls").inputs;
        assert.equal(secret.metadata.name, "kafka-dev-kafka-tls");
        const [data, wrapped] = reveal(secret.stringData);
        assert.equal(wrapped, true, "it holds keys: all of it is secret");
        assert.deepEqual(Object.keys(data as object).sort(), ["0.node.pem", "1.node.pem", "2.node.pem", "ca.crt", "client.properties"]);
        assert.equal((data as Record<string, string>)["1.node.pem"], "mock keystore of kafka-2");
        assert.equal(byType(resources, TYPES.secret).has("kafka-dev-zookeeper-tls"), false, "ZooKeeper is protected by the network only");
        const sts = one(TYPES.statefulSet, "kafka-dev-kafka");
        assert.ok(sts.options!.dependsOn.map(short).includes("kafka-dev-kafka-tls"), "the pods start once their Secret exists");
    });

    it("mounts the Secret read-only, copies the pod's own files into memory, and rolls the pods on a new certificate generation", () => {
        const spec = pod("kafka").spec;
        assert.deepEqual(
            spec.volumes.filter((v: { name: string }) => v.name.startsWith("tls")),
            [
                { name: "tls-source", secret: { secretName: "kafka-dev-kafka-tls", defaultMode: 0o440 } },
                { name: "tls", emptyDir: { medium: "Memory", sizeLimit: "1Mi" } },
            ],
        );
        const mounts = spec.containers[0].volumeMounts.filter((m: { name: string }) => m.name.startsWith("tls"));
        assert.deepEqual(mounts, [
            { name: "tls-source", mountPath: "/etc/kafka-env-tls", readOnly: true },
            { name: "tls", mountPath: "/etc/kafka/secrets" },
        ]);
        assert.equal(pod("kafka").metadata.annotations["kafka-env.io/tls-generation"], "1");
        assert.equal(pod("zookeeper").metadata.annotations["kafka-env.io/tls-generation"], undefined);
    });

    it("each pod of the shared template ends up with its own key, readable by its user only", () => {
        const command: string = pod("kafka").spec.containers[0].command[2];
        const prelude = command.slice(0, command.indexOf("set -a"));
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kafka-env-tls-"));
        try {
            const [source, target, config] = ["source", "secrets", "config"].map((d) => path.join(dir, d));
            for (const d of [source, target, config]) fs.mkdirSync(d);
            for (const f of ["ca.crt", "client.properties", "0.node.pem", "1.node.pem", "2.node.pem"])
                fs.writeFileSync(path.join(source, f), `content of ${f}`);
            const script = prelude.split("/etc/kafka-env-tls").join(source).split("/etc/kafka/secrets").join(target).split("/etc/kafka-env").join(config);
            // Twice: a restarted container finds its earlier copies (the key read-only) and replaces them.
            for (let i = 0; i < 2; i++) execFileSync("env", ["-i", "HOSTNAME=kafka-dev-kafka-1", "bash", "-c", script]);
            assert.equal(fs.readFileSync(path.join(target, "node.pem"), "utf8"), "content of 1.node.pem");
            assert.equal(fs.readFileSync(path.join(target, "ca.crt"), "utf8"), "content of ca.crt");
            assert.equal(fs.statSync(path.join(target, "node.pem")).mode & 0o777, 0o400);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("runs its dynamic resources (certificates, passwords, steps) with their own provider, never the Kubernetes one", () => {
        const dynamic = resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"));
        assert.ok(dynamic.some((r) => r.type.endsWith(":Credentials")) && dynamic.some((r) => r.type.endsWith(":ClusterCertificates")));
        for (const r of dynamic) assert.doesNotMatch(r.provider ?? "", /kubernetes/, `${r.type} ${r.name}`);
    });

    it("puts no secret in any ConfigMap, env value or plain input", () => {
        for (const r of resources) {
            for (const value of SECRET_VALUES) assert.deepEqual(plainOccurrences(r.inputs, value), [], `${r.type} ${r.name}`);
        }
        for (const cm of byType(resources, TYPES.configMap).values()) assert.doesNotMatch(JSON.stringify(cm.inputs), /mock-password|mock keystore|PRIVATE KEY/);
    });

    it("the topics Job and the day-2 steps connect as the tools identity over REPLICATION, with its client properties", () => {
        const job = one(TYPES.job, "kafka-dev-topics").inputs.spec.template.spec;
        const script: string = job.containers[0].command[2];
        assert.match(script, new RegExp(`BOOTSTRAP='${REPLICATION.join(",")}'`));
        assert.match(script, /--bootstrap-server "\$BOOTSTRAP" --command-config \/etc\/kafka\/secrets\/tools\.properties/);
        assert.deepEqual(job.volumes, [{ name: "tls", secret: { secretName: "kafka-dev-tools-tls", defaultMode: 0o440 } }]);
        assert.deepEqual(job.containers[0].volumeMounts, [{ name: "tls", mountPath: "/etc/kafka/secrets", readOnly: true }]);
        const [tools, wrapped] = reveal(one(TYPES.secret, "kafka-dev-tools-tls").inputs.stringData);
        assert.equal(wrapped, true);
        assert.deepEqual(Object.keys(tools as object).sort(), ["ca.crt", "tools.pem", "tools.properties"]);
        for (const [type, name] of [
            ["BrokerDrain", "kafka-dev-brokers-drain"],
            ["BrokerSettle", "kafka-dev-brokers-settle"],
        ]) {
            const inputs = one(`pulumi-nodejs:dynamic/kafka-env:${type}`, name).inputs;
            assert.deepEqual([inputs.admin, inputs.toolsSecret], [TOOLS_ADMIN, "kafka-dev-tools-tls"], name);
        }
        assert.deepEqual(one("pulumi-nodejs:dynamic/kafka-env:VersionStep", "kafka-dev-version").inputs.admin, TOOLS_ADMIN);
    });

    it("stores kafka-env's own credentials after the version step, then the users and ACLs and the topics, passwords as secrets", () => {
        const own = one("pulumi-nodejs:dynamic/kafka-env:OwnCredentials", "kafka-dev-own-credentials");
        assert.ok(own.options!.dependsOn.map(short).includes("kafka-dev-version"));
        assert.deepEqual(reveal(own.inputs.passwords), [
            { "kafka-env-admin": "mock-password-of-kafka-env-admin", "kafka-env-ui": "mock-password-of-kafka-env-ui" },
            true,
        ]);
        assert.deepEqual(own.inputs.admin, TOOLS_ADMIN);
        const access = one("pulumi-nodejs:dynamic/kafka-env:KubeAccess", "kafka-dev-access");
        assert.deepEqual(reveal(access.inputs.passwords), [{ "orders-app": "mock-password-of-orders-app" }, true]);
        assert.deepEqual(
            access.inputs.bindings.map((b: { key: string }) => b.key),
            [
                "orders-app-topic-literal-orders-Write",
                "orders-app-topic-literal-orders-Describe",
                "kafka-env-ui-cluster-literal-kafka-cluster-Describe",
                "kafka-env-ui-cluster-literal-kafka-cluster-DescribeConfigs",
                "kafka-env-ui-group-literal-_-684888c0-Read",
                "kafka-env-ui-group-literal-_-684888c0-Describe",
                "kafka-env-ui-topic-literal-_-684888c0-Read",
                "kafka-env-ui-topic-literal-_-684888c0-Describe",
                "kafka-env-ui-topic-literal-_-684888c0-DescribeConfigs",
                // The readiness probe, over PROBE: describe topics, from the broker's own loopback only.
                "ANONYMOUS-topic-literal-_-684888c0-Describe-host-127.0.0.1",
            ],
        );
        assert.deepEqual(access.inputs.bindings.at(-1), {
            key: "ANONYMOUS-topic-literal-_-684888c0-Describe-host-127.0.0.1",
            principal: "User:ANONYMOUS",
            resourceType: "Topic",
            resourceName: "*",
            patternType: "Literal",
            operation: "Describe",
            permission: "Allow",
            host: "127.0.0.1",
        });
        for (const name of ["kafka-dev-access", "kafka-dev-topics"]) {
            const r = resources.find((x) => x.name === name && x.type !== TYPES.ready)!;
            assert.ok(r.options!.dependsOn.map(short).includes("kafka-dev-own-credentials"), name);
        }
    });

    it("gives each user a Secret with its login as Strimzi does, and clients the CA's certificate", () => {
        const user = one(TYPES.secret, "kafka-dev-user-orders-app").inputs;
        assert.equal(user.metadata.name, "kafka-dev-user-orders-app");
        assert.deepEqual(reveal(user.stringData), [
            {
                username: "orders-app",
                password: "mock-password-of-orders-app",
                mechanism: "SCRAM-SHA-512",
                "sasl.jaas.config":
                    'org.apache.kafka.common.security.scram.ScramLoginModule required username="orders-app" password="mock-password-of-orders-app";',
            },
            true,
        ]);
        assert.deepEqual(reveal(one(TYPES.secret, "kafka-dev-cluster-ca-cert").inputs.stringData)[0], { "ca.crt": "mock CA certificate" });
        // Any valid user name makes a DNS label; names that would share one are refused (validateSecurity.ts).
        assert.deepEqual(
            ["orders_App.1", "a..b", "x-", "Team.Orders__v2"].map((u) => userSecretName("kafka-dev", u)),
            ["kafka-dev-user-orders-app-1", "kafka-dev-user-a-b", "kafka-dev-user-x", "kafka-dev-user-team-orders-v2"],
        );
    });

    it("kafka-ui logs in from a Secret and trusts the CA mounted where its settings say", () => {
        const spec = one(TYPES.deployment, "kafka-dev-kafka-ui").inputs.spec.template.spec;
        const env = spec.containers[0].env;
        assert.deepEqual(
            env.find((e: { name: string }) => e.name === "KAFKA_CLUSTERS_0_PROPERTIES_SASL_JAAS_CONFIG"),
            {
                name: "KAFKA_CLUSTERS_0_PROPERTIES_SASL_JAAS_CONFIG",
                valueFrom: { secretKeyRef: { name: "kafka-dev-kafka-ui-kafka-login", key: "sasl.jaas.config" } },
            },
        );
        assert.deepEqual(spec.volumes[1], { name: "ca", secret: { secretName: "kafka-dev-cluster-ca-cert", items: [{ key: "ca.crt", path: "ca.crt" }] } });
        assert.deepEqual(spec.containers[0].volumeMounts[1], { name: "ca", mountPath: "/etc/kafka-ui", readOnly: true });
        // By fixed names, waiting for both Secrets: a name from an output would be unknown in the preview of a scale-out.
        const waits = one(TYPES.deployment, "kafka-dev-kafka-ui").options!.dependsOn.map(short);
        assert.deepEqual(waits.sort(), ["kafka-dev-cluster-ca-cert", "kafka-dev-kafka-ui-kafka-login", "kafka-dev-namespace"]);
        const provider = [...byType(resources, TYPES.k8sProvider).values()];
        assert.deepEqual(
            provider.map((p) => String(p.inputs.enableSecretMutable)),
            ["true"],
            "Secrets change in place: a new node's certificate updates its group's Secret",
        );
        const [login, wrapped] = reveal(one(TYPES.secret, "kafka-dev-kafka-ui-kafka-login").inputs.stringData);
        assert.deepEqual(
            [login, wrapped],
            [
                {
                    "sasl.jaas.config":
                        'org.apache.kafka.common.security.scram.ScramLoginModule required username="kafka-env-ui" password="mock-password-of-kafka-env-ui";',
                },
                true,
            ],
        );
    });

    it("lets the tool Jobs reach REPLICATION through the NetworkPolicy, and renders only schema-valid objects", () => {
        const policies = [...byType(resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy").values()];
        const ingress = policies.find((p) => p.inputs.metadata.name === "kafka-dev-kafka")!.inputs.spec.ingress;
        const replication = ingress.find((r: { ports: { port: number }[] }) => r.ports.some((p) => p.port === 29094) && JSON.stringify(r).includes("day2"));
        assert.ok(replication, JSON.stringify(ingress));
        assert.deepEqual(schemaErrors(manifests(resources)), []);
    });

    it("certificates name LoadBalancer addresses, never their placeholders", async () => {
        const lb = withCluster(PROVIDER, (k) => (k.external = { type: "LoadBalancer" }), "kafka-env:kubernetes");
        const { resources: r } = await run(lb);
        const names = byType(r, "pulumi-nodejs:dynamic/kafka-env:ClusterCertificates").get("kafka-dev-certificates")!.inputs.nodes;
        assert.deepEqual(Object.keys(names), ["kafka-1", "kafka-2", "kafka-3"]);
        // Under mocks a Service has no address yet: the placeholder goes, the pod's and the bootstrap Service's names stay.
        assert.doesNotMatch(JSON.stringify(names), /__kafka_env_lb_/);
        assert.ok(names["kafka-2"].includes("kafka-dev-kafka-1.kafka-dev-kafka-headless.kafka.svc.cluster.local"));
        assert.ok(names["kafka-2"].includes("kafka-dev-kafka-bootstrap.kafka.svc"));
    });

    it("with topics through the provider: the provider logs in as the admin over TLS, the bootstrap check speaks TLS", async () => {
        const { resources: r } = await run(PROVIDER);
        const reachable = byType(r, TYPES.reachable).get("kafka-dev-bootstrap-reachable")!;
        assert.equal(reachable.inputs.caCertificate, "mock CA certificate");
        const provider = byType(r, TYPES.kafkaProvider).get("kafka-dev-topics-kafka")!.inputs;
        assert.deepEqual([provider.tlsEnabled, provider.caCert, provider.saslUsername], ["true", "mock CA certificate", "kafka-env-admin"]);
        assert.ok(byType(r, "kafka:index/userScramCredential:UserScramCredential").has("kafka-dev-access-user-orders-app"));
        assert.equal(byType(r, "pulumi-nodejs:dynamic/kafka-env:KubeAccess").size, 0);
        const probe = byType(r, "kafka:index/acl:Acl").get("kafka-dev-access-acl-ANONYMOUS-topic-literal-_-684888c0-Describe-host-127.0.0.1")!.inputs;
        assert.deepEqual([probe.aclPrincipal, probe.aclHost, probe.aclOperation, probe.aclResourceName], ["User:ANONYMOUS", "127.0.0.1", "Describe", "*"]);
        assert.ok(reachable.options!.dependsOn.map(short).includes("kafka-dev-own-credentials"));
    });
});
