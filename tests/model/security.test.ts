/**
 * What security makes of each node, over mode × {none, scram, scram+tls, tls} × node kind: the
 * listeners and their protocols, the properties, the env both image families read, the files and
 * the certificate names; and that no secret is ever a setting.
 */
import { strict as assert } from "node:assert";
import { dockerAddressing } from "../../components/docker/addressing";
import { kubernetesAddressing } from "../../components/kubernetes/addressing";
import { resolveKubernetes } from "../../components/kubernetes/config";
import { ClusterModel, NodeModel, buildModel, resolveConfig } from "../../components/model";
import { kafkaEnvName } from "../../components/model/images";
import { PROBE_PORT, certificatePrincipal, scramJaasConfig } from "../../components/model/security";

const VARIANTS = {
    none: {},
    scram: { authentication: "scram-sha-512" },
    "scram+tls": { authentication: "scram-sha-512", tls: true, authorization: true },
    tls: { tls: true },
} as const;
type Variant = keyof typeof VARIANTS;
const CLIENT: Record<Variant, string> = { none: "PLAINTEXT", scram: "SASL_PLAINTEXT", "scram+tls": "SASL_SSL", tls: "SSL" };

/** Node kinds and a cluster that has each: [kind, mode, cluster, node name]. */
const KINDS: [string, string, Record<string, unknown>, string][] = [
    ["ZooKeeper-mode broker", "zookeeper", { mode: "zookeeper", brokers: 1 }, "kafka-1"],
    ["KRaft broker and controller", "kraft", { brokers: 4, kraft: { controllers: 3 } }, "kafka-1"],
    ["KRaft broker only", "kraft", { brokers: 4, kraft: { controllers: 3 } }, "kafka-4"],
    ["KRaft controller only", "kraft", { brokers: 1, kraft: { controllers: 1, dedicatedControllers: true } }, "controller-1"],
];

function docker(cluster: Record<string, unknown>, security: object): ClusterModel {
    const config = resolveConfig({ cluster: { name: "env", ...cluster, security }, stack: "s", hasKafkaUiPassword: false });
    return buildModel(config, dockerAddressing(config));
}

function kubernetes(cluster: Record<string, unknown>, security: object, external: object = { type: "NodePort", advertisedHost: "10.250.0.1" }): ClusterModel {
    const config = resolveConfig({ cluster: { name: "env", ...cluster, security }, stack: "s", hasKafkaUiPassword: false });
    return buildModel(config, kubernetesAddressing(config, resolveKubernetes("ns", { external }, config.brokers).config));
}

const nodeOf = (m: ClusterModel, name: string): NodeModel => m.nodes.find((n) => n.name === name)!;

/** The protocol map kafka-env must write for this node kind and variant. */
function expectedMap(kind: string, variant: Variant): string {
    const secured = variant !== "none";
    const cluster = secured ? "SSL" : "PLAINTEXT";
    const client = CLIENT[variant];
    if (kind === "KRaft controller only") return `CONTROLLER:${cluster}`;
    const entries = [`EXTERNAL:${client}`, `INTERNAL:${client}`, ...(secured ? ["PROBE:PLAINTEXT", `REPLICATION:SSL`] : [])];
    return [...(kind.startsWith("KRaft") ? [`CONTROLLER:${cluster}`] : []), ...entries].join(",");
}

describe("security in the model: mode × setting × node kind", () => {
    for (const [kind, , cluster, name] of KINDS) {
        for (const variant of Object.keys(VARIANTS) as Variant[]) {
            it(`${kind}, ${variant}`, () => {
                const node = nodeOf(docker(cluster, VARIANTS[variant]), name);
                const secured = variant !== "none";
                const broker = node.roles.includes("broker");
                const p = node.properties;
                assert.equal(p["listener.security.protocol.map"], expectedMap(kind, variant));
                if (broker) {
                    assert.equal(p["inter.broker.listener.name"], secured ? "REPLICATION" : "INTERNAL");
                    const extra = secured ? `,REPLICATION://0.0.0.0:29094,PROBE://127.0.0.1:${PROBE_PORT}` : "";
                    const ctl = node.roles.includes("controller") ? ",CONTROLLER://0.0.0.0:29093" : "";
                    assert.equal(p.listeners, `INTERNAL://0.0.0.0:29092,EXTERNAL://0.0.0.0:${9091 + node.id}${ctl}${extra}`);
                    const advertised = `INTERNAL://${name}:29092,EXTERNAL://localhost:${9091 + node.id}${secured ? `,REPLICATION://${name}:29094` : ""}`;
                    assert.equal(p["advertised.listeners"], advertised);
                    // Both images' own SSL and SASL blocks key on these strings; kafka-env's listener names never match them.
                    assert.doesNotMatch(node.env.KAFKA_ADVERTISED_LISTENERS, /SSL:\/\/|SASL_.*:\/\//);
                    assert.match(node.healthcheck, new RegExp(`/dev/tcp/127.0.0.1/${secured ? PROBE_PORT : 29092} `));
                } else {
                    assert.match(
                        node.healthcheck,
                        secured
                            ? /--bootstrap-controller localhost:29093 --command-config \/etc\/kafka\/secrets\/client.properties describe/
                            : /--bootstrap-controller localhost:29093 describe/,
                    );
                }
                const ssl = Object.keys(p).filter((k) => /^(ssl|sasl|listener\.name|authorizer|super|allow\.everyone)/.test(k));
                if (!secured) {
                    assert.deepEqual(ssl, []);
                    assert.equal(node.security, undefined);
                    return;
                }
                assert.deepEqual(
                    ssl.filter((k) => k.startsWith("ssl.")).map((k) => `${k}=${p[k]}`),
                    [
                        "ssl.endpoint.identification.algorithm=https",
                        "ssl.keystore.location=/etc/kafka/secrets/node.pem",
                        "ssl.keystore.type=PEM",
                        "ssl.truststore.location=/etc/kafka/secrets/ca.crt",
                        "ssl.truststore.type=PEM",
                    ],
                );
                assert.equal(p["listener.name.replication.ssl.client.auth"], broker ? "required" : undefined);
                assert.equal(p["listener.name.controller.ssl.client.auth"], node.roles.includes("controller") ? "required" : undefined);
                const sasl = variant.startsWith("scram") && broker;
                assert.equal(p["sasl.enabled.mechanisms"], sasl ? "SCRAM-SHA-512" : undefined);
                for (const l of ["internal", "external"]) {
                    const jaas = p[`listener.name.${l}.scram-sha-512.sasl.jaas.config`];
                    assert.equal(jaas, sasl ? "org.apache.kafka.common.security.scram.ScramLoginModule required;" : undefined);
                }
                const authorizer = kind.startsWith("KRaft")
                    ? "org.apache.kafka.metadata.authorizer.StandardAuthorizer"
                    : "kafka.security.authorizer.AclAuthorizer";
                assert.equal(p["authorizer.class.name"], variant === "scram+tls" ? authorizer : undefined);
                assert.equal(
                    p["super.users"],
                    variant === "scram+tls" ? "User:CN=env-node,O=kafka-env;User:CN=env-tools,O=kafka-env;User:kafka-env-admin" : undefined,
                );
                assert.deepEqual(
                    node.security?.files.map((f) => `${f.path} ${f.secret ? "secret" : "plain"} ${f.source.kind}`),
                    [
                        "/etc/kafka/secrets/ca.crt plain caCertificate",
                        "/etc/kafka/secrets/client.properties plain text",
                        "/etc/kafka/secrets/node.pem secret keystore",
                    ],
                );
                assert.deepEqual(node.security?.tlsNames, broker ? [name, "localhost"].sort() : [name, "localhost"]);
            });
        }
    }

    it("hands every property to both image families as KAFKA_* variables, and no secret as a setting", () => {
        for (const [, , cluster] of KINDS) {
            for (const m of [docker(cluster, VARIANTS["scram+tls"]), kubernetes(cluster, VARIANTS["scram+tls"])]) {
                for (const node of m.nodes.filter((n) => !n.roles.includes("zookeeper"))) {
                    for (const [key, value] of Object.entries(node.properties)) assert.equal(node.env[kafkaEnvName(key)], value, `${node.name} ${key}`);
                    const settings = JSON.stringify([node.properties, node.env]);
                    assert.doesNotMatch(settings, /password|PASSWORD|PRIVATE KEY|CREDENTIALS|KAFKA_OPTS/);
                }
            }
        }
    });

    it("covers every advertised name on both targets, the LoadBalancer placeholder included", () => {
        const secured = VARIANTS.tls;
        const k8s = kubernetes({ brokers: 3 }, secured);
        // On Kubernetes, a broker also answers to its pod's shorter DNS forms and the bootstrap Service's.
        // Every form down to the first label, without the cluster domain's own labels (`cluster.local`).
        const forms = (fqdn: string) => [
            ...fqdn
                .split(".")
                .slice(0, -2)
                .map((_, i, p) => p.slice(0, i + 1).join(".")),
            fqdn,
        ];
        const bootstrap = forms("env-kafka-bootstrap.ns.svc.cluster.local");
        const pod = (ordinal: number) => forms(`env-kafka-${ordinal}.env-kafka-headless.ns.svc.cluster.local`);
        const host = "env-kafka-0.env-kafka-headless.ns.svc.cluster.local";
        assert.deepEqual(nodeOf(k8s, "kafka-1").security?.tlsNames, ["10.250.0.1", ...pod(0), ...bootstrap, "localhost"].sort());
        assert.ok(nodeOf(k8s, "kafka-1").security?.tlsNames.includes(host));
        const lb = kubernetes({ brokers: 3 }, secured, { type: "LoadBalancer" });
        assert.deepEqual(nodeOf(lb, "kafka-2").security?.tlsNames, ["__kafka_env_lb_1__", ...pod(1), ...bootstrap, "localhost"].sort());
        const inside = kubernetes({ brokers: 1 }, secured, { type: "none" });
        assert.deepEqual(nodeOf(inside, "kafka-1").security?.tlsNames, [...pod(0), ...bootstrap, "localhost"].sort());
        const d = docker({ brokers: 1, listeners: { advertisedHost: "192.168.1.20" } }, secured);
        assert.deepEqual(nodeOf(d, "kafka-1").security?.tlsNames, ["192.168.1.20", "kafka-1", "localhost"]);
    });

    it("adds the names an addressing says a node also answers to", () => {
        const config = resolveConfig({ cluster: { name: "env", brokers: 1, security: VARIANTS.tls }, stack: "s", hasKafkaUiPassword: false });
        const m = buildModel(config, { ...dockerAddressing(config), aliases: (name) => [`${name}.short`] });
        assert.deepEqual(nodeOf(m, "kafka-1").security?.tlsNames, ["kafka-1", "kafka-1.short", "localhost"]);
    });

    it("writes the principals and the JAAS line the way Kafka reads them", () => {
        assert.equal(certificatePrincipal("env-node"), "User:CN=env-node,O=kafka-env");
        assert.equal(
            scramJaasConfig("orders-app", "pw"),
            'org.apache.kafka.common.security.scram.ScramLoginModule required username="orders-app" password="pw";',
        );
    });

    it("keeps every node's env free of its own host name, so a Kubernetes group still shares its env files", () => {
        const m = kubernetes({ brokers: 3 }, VARIANTS["scram+tls"]);
        const [a, b] = [nodeOf(m, "kafka-2"), nodeOf(m, "kafka-3")];
        const differing = Object.keys(a.env).filter((k) => a.env[k] !== b.env[k]);
        assert.deepEqual(differing, ["KAFKA_ADVERTISED_LISTENERS", "KAFKA_NODE_ID"]);
    });

    it("describes the cluster's security once: protocol, mechanism, principals, users and the tools' files", () => {
        const m = docker({ brokers: 1, users: [{ name: "orders-app" }] }, VARIANTS["scram+tls"]);
        assert.deepEqual(
            { ...m.security, settings: undefined, toolsFiles: m.security?.toolsFiles.map((f) => f.path) },
            {
                protocol: "SASL_SSL",
                mechanism: "SCRAM-SHA-512",
                settings: undefined,
                subjects: { ca: "env-ca", node: "env-node", tools: "env-tools" },
                superUsers: ["User:CN=env-node,O=kafka-env", "User:CN=env-tools,O=kafka-env", "User:kafka-env-admin"],
                users: [{ name: "orders-app", acls: [] }],
                toolsFiles: ["/etc/kafka/secrets/ca.crt", "/etc/kafka/secrets/tools.pem", "/etc/kafka/secrets/tools.properties"],
            },
        );
        assert.equal(docker({ brokers: 1 }, VARIANTS.none).security, undefined);
        const tools = m.security!.toolsFiles.find((f) => f.path.endsWith("tools.properties"))!.source;
        assert.deepEqual(tools, {
            kind: "text",
            text: "security.protocol=SSL\nssl.keystore.type=PEM\nssl.keystore.location=/etc/kafka/secrets/tools.pem\nssl.truststore.type=PEM\nssl.truststore.location=/etc/kafka/secrets/ca.crt\n",
        });
    });

    it("connects kafka-ui as the admin, or as kafka-env-ui with read-only ACLs, trusting the CA over TLS", () => {
        const ui = (security: object, readOnly = false) => docker({ brokers: 1, kafkaUi: { readOnly } }, security).kafkaUi!;
        const full = ui(VARIANTS["scram+tls"]);
        const props = Object.fromEntries(Object.entries(full.env).filter(([k]) => k.startsWith("KAFKA_CLUSTERS_0_PROPERTIES_")));
        assert.deepEqual(props, {
            KAFKA_CLUSTERS_0_PROPERTIES_SASL_MECHANISM: "SCRAM-SHA-512",
            KAFKA_CLUSTERS_0_PROPERTIES_SECURITY_PROTOCOL: "SASL_SSL",
            KAFKA_CLUSTERS_0_PROPERTIES_SSL_TRUSTSTORE_LOCATION: "/etc/kafka-ui/ca.crt",
            KAFKA_CLUSTERS_0_PROPERTIES_SSL_TRUSTSTORE_TYPE: "PEM",
        });
        assert.deepEqual(
            { ...full.security, files: full.security?.files.length },
            { user: "kafka-env-admin", secretEnv: "KAFKA_CLUSTERS_0_PROPERTIES_SASL_JAAS_CONFIG", files: 1 },
        );
        const readOnly = ui(VARIANTS["scram+tls"], true).security!;
        assert.equal(readOnly.user, "kafka-env-ui");
        assert.deepEqual(
            readOnly.acls?.map((a) => `${a.resource}:${a.name} ${a.operations.join(",")}`),
            ["cluster:kafka-cluster Describe,DescribeConfigs", "group:* Read,Describe", "topic:* Read,Describe,DescribeConfigs"],
        );
        assert.deepEqual(ui(VARIANTS.tls).security, { files: [{ path: "/etc/kafka-ui/ca.crt", secret: false, source: { kind: "caCertificate" } }] });
        assert.equal(ui(VARIANTS.none).security, undefined);
    });
});
