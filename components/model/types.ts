/**
 * The cluster model: plain data that both targets (Docker, Kubernetes) turn into resources.
 * Nothing here refers to Pulumi; every list is in a stable order and every map has sorted keys.
 */
import { Mode } from "./config";
import { ResolvedAcl, ResolvedSecurity, ResolvedTopic, ResolvedUser } from "./resolve";

export type Role = "zookeeper" | "controller" | "broker";

/** REPLICATION and PROBE exist only when security is on (`security.ts`). */
export type ListenerName = "INTERNAL" | "EXTERNAL" | "CONTROLLER" | "REPLICATION" | "PROBE";

export type Protocol = "PLAINTEXT" | "SASL_PLAINTEXT" | "SSL" | "SASL_SSL";
/** A SASL/SCRAM mechanism, as clients name it. */
export const ScramMechanism = { ScramSha256: "SCRAM-SHA-256", ScramSha512: "SCRAM-SHA-512" } as const;
/** A SASL/SCRAM mechanism, as clients name it. */
export type ScramMechanism = (typeof ScramMechanism)[keyof typeof ScramMechanism];

export interface Listener {
    readonly name: ListenerName;
    /** Port the node binds inside its container or pod. */
    readonly port: number;
    /** Address the node binds; absent: every interface (`0.0.0.0`). */
    readonly bind?: string;
    /** `host:port` the node advertises for this listener; absent for CONTROLLER. */
    readonly advertised?: string;
}

/** A container port published on the host (Docker; ignored on Kubernetes). */
export interface PublishedPort {
    readonly containerPort: number;
    readonly hostPort: number;
    readonly hostIp: string;
}

/** A directory that must outlive the container. */
export interface DataVolume {
    /** Short name, unique per node: `data`, `log`. */
    readonly name: string;
    readonly path: string;
}

export interface NodeModel {
    /** Stable name, also the host name on the container network: `kafka-1`, `controller-1`, `zookeeper-1`. */
    readonly name: string;
    /** `broker.id` / `node.id` for Kafka nodes, `myid` for ZooKeeper nodes. */
    readonly id: number;
    readonly roles: readonly Role[];
    readonly image: string;
    readonly listeners: readonly Listener[];
    /** The node's settings as the software names them (`server.properties` or `zoo.cfg` keys), sorted. */
    readonly properties: Readonly<Record<string, string>>;
    /** The environment the image reads to produce those settings, sorted. */
    readonly env: Readonly<Record<string, string>>;
    readonly published: readonly PublishedPort[];
    readonly volumes: readonly DataVolume[];
    /** Readiness command, run with `bash -c` inside the container. */
    readonly healthcheck: string;
    /** A port that is open while the process lives (liveness). */
    readonly probePort: number;
    /** Host name other nodes use to reach this one. */
    readonly host: string;
    /** Present when any `security` setting is on. */
    readonly security?: NodeSecurityModel;
}

/** Where a file's content comes from: a certificates resource's output, or text the model wrote. */
export type FileSource =
    /** The CA's certificate (PEM). */
    | { readonly kind: "caCertificate" }
    /** The key and certificate chain of the node (by its name) or of the tools identity, as `pemKeystore` writes them. */
    | { readonly kind: "keystore"; readonly holder: "node" | "tools" }
    | { readonly kind: "text"; readonly text: string };

/** A file a node (or a tools Job) reads; a secret one is delivered as a secret (never a ConfigMap, never a plain input). */
export interface NodeFile {
    readonly path: string;
    readonly secret: boolean;
    readonly source: FileSource;
}

export interface NodeSecurityModel {
    /** Sorted by path. */
    readonly files: readonly NodeFile[];
    /** The names the node's certificate covers (DNS names and IP addresses), sorted. */
    readonly tlsNames: readonly string[];
}

export interface ClusterSecurityModel {
    /** The protocol of the client listeners (INTERNAL, EXTERNAL). */
    readonly protocol: Protocol;
    /** With authentication on. */
    readonly mechanism?: ScramMechanism;
    readonly settings: ResolvedSecurity;
    /** The certificates' common names. */
    readonly subjects: { readonly ca: string; readonly node: string; readonly tools: string };
    /** Principals allowed everything (with authorization on). */
    readonly superUsers: readonly string[];
    /** Sorted by name. */
    readonly users: readonly ResolvedUser[];
    /** What a tools Job (Kubernetes) reads, as the tools identity. */
    readonly toolsFiles: readonly NodeFile[];
}

export interface KafkaUiModel {
    readonly name: string;
    readonly image: string;
    /** Port the console listens on inside its container. */
    readonly port: number;
    readonly published: PublishedPort;
    /** Sorted; the login password is added by the target from the Pulumi secret. */
    readonly env: Readonly<Record<string, string>>;
    /** Login user name when the console has a login form. */
    readonly username?: string;
    /** Present when the cluster is secured: how the console connects. */
    readonly security?: KafkaUiSecurityModel;
}

export interface KafkaUiSecurityModel {
    /** The SCRAM user it connects as, with authentication on. */
    readonly user?: string;
    /** The ACLs that user needs (`kafka-env-ui`, when read-only with authorization on). */
    readonly acls?: readonly ResolvedAcl[];
    /** The env variable that must hold `scramJaasConfig(user, password)`, delivered as a secret. */
    readonly secretEnv?: string;
    readonly files: readonly NodeFile[];
}

export interface ClusterModel {
    readonly name: string;
    readonly mode: Mode;
    /** ZooKeeper nodes, then dedicated controllers, then brokers; each group by id. */
    readonly nodes: readonly NodeModel[];
    /** Host-reachable bootstrap servers (EXTERNAL listeners), in broker order. */
    readonly bootstrapServers: readonly string[];
    /** Bootstrap servers on the container or pod network (INTERNAL listeners), in broker order. */
    readonly internalBootstrapServers: readonly string[];
    /**
     * What clients on the container or pod network bootstrap from (kafka-ui, the output
     * `internalBootstrapServers`): the target's one address in front of every broker where it has
     * one (a Kubernetes Service, stable when brokers are added), else `internalBootstrapServers`.
     */
    readonly clientBootstrapServers: readonly string[];
    /** ZooKeeper connect string (mode `zookeeper`). */
    readonly zookeeperConnect?: string;
    /** KRaft cluster id (mode `kraft`). */
    readonly clusterId?: string;
    /** Sorted by name. */
    readonly topics: readonly ResolvedTopic[];
    /** After brokers join, spread the topics' replicas onto them. */
    readonly rebalanceOnScaleOut: boolean;
    readonly kafkaUi?: KafkaUiModel;
    /** Present when any `security` setting is on. */
    readonly security?: ClusterSecurityModel;
    /** Prometheus metrics of every node, when enabled (metrics.ts). */
    readonly metrics?: MetricsModel;
}

export interface MetricsModel {
    /** The port `/metrics` is served on inside each node's container or pod. */
    readonly port: number;
    /** The agent's jar where pulumi runs. */
    readonly agentJar: string;
    /** Docker: node N (model order) publishes `/metrics` on `hostPort + N - 1` of the bind address. */
    readonly hostPort?: number;
    readonly hostIp: string;
}

/** Where a target places the brokers' listeners: the one thing Docker and Kubernetes disagree on. */
export interface Addressing {
    /** Host name other nodes and clients on the same network use for the node called `name`. */
    internalHost(name: string): string;
    /** The EXTERNAL listener of the broker at `index` (0-based), or undefined when brokers are not exposed. */
    external(index: number): ExternalAddress | undefined;
    /** Other names the node called `name` answers to (shorter DNS forms), for its certificate. Default: none. */
    aliases?(name: string): readonly string[];
    /** The host name of one address in front of every broker, where the target has one. */
    bootstrapHost?(): string;
}

export interface ExternalAddress {
    /** What the broker advertises to outside clients. */
    readonly host: string;
    readonly port: number;
    /** Port the EXTERNAL listener binds inside the container. */
    readonly containerPort: number;
    /** Published on the host (Docker), or absent (Kubernetes Services do the exposing). */
    readonly publish?: PublishedPort;
}

export function isBroker(node: NodeModel): boolean {
    return node.roles.includes("broker");
}
