/**
 * Who may connect and what they may do, as model data (issue 22): per listener its protocol, the
 * server properties, the files and the certificate names each Kafka node gets, and the principals.
 * Pure; with every `security` setting off, nothing here changes a node (all listeners PLAINTEXT).
 *
 * When any setting is on, the cluster's own traffic uses certificates from kafka-env's CA: brokers
 * replicate over a broker-only REPLICATION listener and KRaft nodes talk over CONTROLLER, both SSL
 * with client certificates required. INTERNAL and EXTERNAL carry what the config asks for (SASL
 * SCRAM, TLS, both). A PLAINTEXT PROBE listener on 127.0.0.1 serves the bash health check, which
 * cannot speak TLS.
 *
 * Both image families receive all of it as ordinary `KAFKA_*` variables: their own SSL and SASL
 * blocks run only when KAFKA_ADVERTISED_LISTENERS contains `SSL://` or `SASL_…://`, which
 * kafka-env's listener names never do. Every key is a PEM file without a password, so no secret is
 * ever a setting: settings are kept in state in clear text and printed by previews and the diff.
 */
import { ResolvedAcl, ResolvedConfig, ResolvedSecurity } from "./resolve";
import { ClusterSecurityModel, KafkaUiSecurityModel, Listener, ListenerName, NodeFile, Protocol, Role, ScramMechanism } from "./types";

/** PROBE: PLAINTEXT on 127.0.0.1, for the health check only. */
export const PROBE_PORT = 29095;

/** Who a PROBE caller is: no login, so Kafka's `ANONYMOUS`. */
export const PROBE_PRINCIPAL = "ANONYMOUS";

/**
 * What a PROBE caller may do with authorization on (Kubernetes, where the readiness probe reads
 * which partitions its broker is in sync on): describe topics, from 127.0.0.1 only. Only the node's
 * own loopback reaches PROBE, and every other listener authenticates its callers (SCRAM or a
 * certificate), so `ANONYMOUS` from 127.0.0.1 is a process inside the broker's pod, which can read
 * the node's key anyway.
 */
export const PROBE_ACLS: readonly ResolvedAcl[] = [
    { resource: "topic", name: "*", patternType: "literal", operations: ["Describe"], permission: "allow", host: "127.0.0.1" },
];
/** Where every Kafka node (and a tools Job) finds its key, the CA and its client properties. */
export const TLS_DIR = "/etc/kafka/secrets";
export const TLS_FILES = {
    /** A node's unencrypted key and certificate chain (`ssl.keystore.type=PEM`). */
    nodeKeystore: `${TLS_DIR}/node.pem`,
    /** The CA's certificate: every node's and tool's truststore. */
    ca: `${TLS_DIR}/ca.crt`,
    /** Client properties for tools run inside a node, as the node. */
    nodeClient: `${TLS_DIR}/client.properties`,
    /** The tools certificate's key and chain, in a tools Job. */
    toolsKeystore: `${TLS_DIR}/tools.pem`,
    /** Client properties for a tools Job, as the tools identity. */
    toolsClient: `${TLS_DIR}/tools.properties`,
} as const;

/** kafka-env's own SCRAM user (the topics provider, kafka-ui): a super user. */
export const ADMIN_USER = "kafka-env-admin";
/** kafka-ui's user when `kafkaUi.readOnly`. */
export const UI_USER = "kafka-env-ui";
export const RESERVED_USERS: readonly string[] = [ADMIN_USER, UI_USER];
export const ORGANIZATION = "kafka-env";

/** Whether any setting is on: then the cluster's own traffic uses certificates. */
export function isSecured(s: ResolvedSecurity): boolean {
    return s.authentication !== "none" || s.tls || s.authorization;
}

export function scramMechanism(s: ResolvedSecurity): ScramMechanism | undefined {
    return s.authentication === "none" ? undefined : s.authentication === "scram-sha-256" ? "SCRAM-SHA-256" : "SCRAM-SHA-512";
}

/** The protocol of the client listeners, INTERNAL and EXTERNAL. */
export function clientProtocol(s: ResolvedSecurity): Protocol {
    const sasl = s.authentication !== "none";
    return sasl ? (s.tls ? "SASL_SSL" : "SASL_PLAINTEXT") : s.tls ? "SSL" : "PLAINTEXT";
}

export function listenerProtocol(s: ResolvedSecurity, listener: ListenerName): Protocol {
    if (!isSecured(s)) return "PLAINTEXT";
    if (listener === "INTERNAL" || listener === "EXTERNAL") return clientProtocol(s);
    return listener === "PROBE" ? "PLAINTEXT" : "SSL";
}

/** The certificates' subjects (common names); each holder is `User:CN=<name>,O=kafka-env` to Kafka. */
export function subjects(env: string): { readonly ca: string; readonly node: string; readonly tools: string } {
    return { ca: `${env}-ca`, node: `${env}-node`, tools: `${env}-tools` };
}

export function certificatePrincipal(commonName: string): string {
    return `User:CN=${commonName},O=${ORGANIZATION}`;
}

/** Who may do anything: the nodes, the tools and kafka-env's admin. */
export function superUsers(env: string): string[] {
    const s = subjects(env);
    return [certificatePrincipal(s.node), certificatePrincipal(s.tools), `User:${ADMIN_USER}`];
}

/** The listeners a node adds when secured: REPLICATION and PROBE on brokers; none otherwise. */
export function securityListeners(c: ResolvedConfig, roles: readonly Role[], host: string): Listener[] {
    if (!isSecured(c.security) || !roles.includes("broker")) return [];
    const port = c.listeners.replicationPort;
    return [
        { name: "REPLICATION", port, advertised: `${host}:${port}` },
        { name: "PROBE", port: PROBE_PORT, bind: "127.0.0.1" },
    ];
}

/** The listener brokers replicate over. */
export function interBrokerListener(s: ResolvedSecurity): ListenerName {
    return isSecured(s) ? "REPLICATION" : "INTERNAL";
}

const STANDARD_AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";
const ACL_AUTHORIZER = "kafka.security.authorizer.AclAuthorizer";
const SCRAM_LOGIN = "org.apache.kafka.common.security.scram.ScramLoginModule required;";

/**
 * The server properties security adds to a Kafka node with these listeners, none secret; empty
 * when nothing is on. Brokers and KRaft controllers alike read their key from `node.pem`.
 */
export function securityProperties(c: ResolvedConfig, roles: readonly Role[], listeners: readonly Listener[]): Record<string, string> {
    const s = c.security;
    if (!isSecured(s)) return {};
    const has = (name: ListenerName) => listeners.some((l) => l.name === name);
    const p: Record<string, string> = {
        "ssl.keystore.type": "PEM",
        "ssl.keystore.location": TLS_FILES.nodeKeystore,
        "ssl.truststore.type": "PEM",
        "ssl.truststore.location": TLS_FILES.ca,
        "ssl.endpoint.identification.algorithm": "https",
    };
    if (has("REPLICATION")) p["listener.name.replication.ssl.client.auth"] = "required";
    if (has("CONTROLLER")) p["listener.name.controller.ssl.client.auth"] = "required";
    const mechanism = scramMechanism(s);
    if (mechanism && roles.includes("broker")) {
        p["sasl.enabled.mechanisms"] = mechanism;
        for (const l of listeners.filter((x) => x.name === "INTERNAL" || x.name === "EXTERNAL")) {
            p[`listener.name.${l.name.toLowerCase()}.${mechanism.toLowerCase()}.sasl.jaas.config`] = SCRAM_LOGIN;
        }
    }
    if (s.authorization) {
        p["authorizer.class.name"] = c.mode === "kraft" ? STANDARD_AUTHORIZER : ACL_AUTHORIZER;
        p["super.users"] = superUsers(c.name).join(";");
        p["allow.everyone.if.no.acl.found"] = "false";
    }
    return p;
}

/**
 * Every property `securityProperties` may set, by key or by key pattern, with what sets it:
 * `brokerConfig` may not set them.
 */
export const SECURITY_PROPERTIES: readonly { readonly key: RegExp; readonly owner: string }[] = [
    { key: /^ssl\.(keystore|truststore)\.(type|location|password)$/, owner: "cluster.security: kafka-env's CA and certificates" },
    { key: /^ssl\.key\.password$/, owner: "cluster.security: kafka-env's certificates have no password" },
    { key: /^ssl\.endpoint\.identification\.algorithm$/, owner: "cluster.security: host names are always verified" },
    { key: /^listener\.name\.(replication|controller)\.ssl\.client\.auth$/, owner: "cluster.security: the cluster's own listeners require certificates" },
    { key: /^sasl\.enabled\.mechanisms$/, owner: "cluster.security.authentication" },
    { key: /^listener\.name\.(internal|external)\.scram-sha-(256|512)\.sasl\.jaas\.config$/, owner: "cluster.security.authentication" },
    { key: /^(security\.inter\.broker\.protocol|sasl\.mechanism\.inter\.broker\.protocol)$/, owner: "cluster.security: brokers replicate over REPLICATION" },
    { key: /^(authorizer\.class\.name|super\.users|allow\.everyone\.if\.no\.acl\.found)$/, owner: "cluster.security.authorization" },
];

/** What sets `property` when it is security's, for `brokerConfig`'s check. */
export function securityOwner(property: string): string | undefined {
    return SECURITY_PROPERTIES.find((p) => p.key.test(property))?.owner;
}

/** Client properties that connect with a certificate: what tools read with `--command-config`. */
export function certificateClientProperties(keystore: string): string {
    return [
        "security.protocol=SSL",
        "ssl.keystore.type=PEM",
        `ssl.keystore.location=${keystore}`,
        "ssl.truststore.type=PEM",
        `ssl.truststore.location=${TLS_FILES.ca}`,
        "",
    ].join("\n");
}

/** The files a Kafka node reads when secured; none otherwise. Their contents come from the certificates resource. */
export function securityFiles(s: ResolvedSecurity): NodeFile[] {
    if (!isSecured(s)) return [];
    return [
        { path: TLS_FILES.ca, secret: false, source: { kind: "caCertificate" } },
        { path: TLS_FILES.nodeClient, secret: false, source: { kind: "text", text: certificateClientProperties(TLS_FILES.nodeKeystore) } },
        { path: TLS_FILES.nodeKeystore, secret: true, source: { kind: "keystore", holder: "node" } },
    ];
}

/** The files a tools Job reads (the Kubernetes adapter's Jobs), as the tools identity. */
export function toolsFiles(): NodeFile[] {
    return [
        { path: TLS_FILES.ca, secret: false, source: { kind: "caCertificate" } },
        { path: TLS_FILES.toolsKeystore, secret: true, source: { kind: "keystore", holder: "tools" } },
        { path: TLS_FILES.toolsClient, secret: false, source: { kind: "text", text: certificateClientProperties(TLS_FILES.toolsKeystore) } },
    ];
}

/**
 * The names a node's certificate covers: its host, every host it advertises, and `localhost`
 * (tools inside the node connect there, so health checks in a shared pod template name no pod).
 * Sorted; a LoadBalancer placeholder stays until the adapter substitutes the address.
 */
export function tlsNames(host: string, listeners: readonly Listener[], aliases: readonly string[] = []): string[] {
    const advertised = listeners.map((l) => l.advertised?.replace(/:\d+$/, "")).filter((h): h is string => !!h);
    return [...new Set([host, "localhost", ...aliases, ...advertised])].filter((n) => n !== "").sort();
}

/** The JAAS line a SCRAM client logs in with (`sasl.jaas.config`); passwords are checked to need no escaping. */
export function scramJaasConfig(username: string, password: string): string {
    return `org.apache.kafka.common.security.scram.ScramLoginModule required username="${username}" password="${password}";`;
}

/** The cluster's security as model data; undefined when nothing is on. */
export function clusterSecurity(c: ResolvedConfig): ClusterSecurityModel | undefined {
    const s = c.security;
    if (!isSecured(s)) return undefined;
    const mechanism = scramMechanism(s);
    return {
        protocol: clientProtocol(s),
        ...(mechanism ? { mechanism } : {}),
        settings: s,
        subjects: subjects(c.name),
        superUsers: superUsers(c.name),
        users: c.users,
        toolsFiles: toolsFiles(),
    };
}

/** Where kafka-ui reads the CA's certificate. */
export const KAFKA_UI_CA = "/etc/kafka-ui/ca.crt";
const UI_PROPERTY = "KAFKA_CLUSTERS_0_PROPERTIES_";

/** What a read-only console may do, as `kafka-env-ui` (with authorization on). */
export const UI_ACLS: readonly ResolvedAcl[] = [
    { resource: "cluster", name: "kafka-cluster", patternType: "literal", operations: ["Describe", "DescribeConfigs"], permission: "allow", host: "*" },
    { resource: "group", name: "*", patternType: "literal", operations: ["Read", "Describe"], permission: "allow", host: "*" },
    { resource: "topic", name: "*", patternType: "literal", operations: ["Read", "Describe", "DescribeConfigs"], permission: "allow", host: "*" },
];

/** How kafka-ui connects when the cluster is secured: its env (none secret) and the rest; undefined otherwise. */
export function kafkaUiSecurity(c: ResolvedConfig): { env: Record<string, string>; model: KafkaUiSecurityModel } | undefined {
    const s = c.security;
    if (!isSecured(s)) return undefined;
    const env: Record<string, string> = { [`${UI_PROPERTY}SECURITY_PROTOCOL`]: clientProtocol(s) };
    const mechanism = scramMechanism(s);
    if (mechanism) env[`${UI_PROPERTY}SASL_MECHANISM`] = mechanism;
    if (s.tls) Object.assign(env, { [`${UI_PROPERTY}SSL_TRUSTSTORE_TYPE`]: "PEM", [`${UI_PROPERTY}SSL_TRUSTSTORE_LOCATION`]: KAFKA_UI_CA });
    const readOnlyUser = c.kafkaUi.readOnly && s.authorization;
    const model: KafkaUiSecurityModel = {
        ...(mechanism ? { user: readOnlyUser ? UI_USER : ADMIN_USER, secretEnv: `${UI_PROPERTY}SASL_JAAS_CONFIG` } : {}),
        ...(mechanism && readOnlyUser ? { acls: UI_ACLS } : {}),
        files: s.tls ? [{ path: KAFKA_UI_CA, secret: false, source: { kind: "caCertificate" } }] : [],
    };
    return { env, model };
}
