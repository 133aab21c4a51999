/**
 * The configuration contract of kafka-env: what a stack writes under `kafka-env:cluster`.
 *
 * Every key is optional; the default of each is stated here and applied once, in `resolve.ts`.
 * Unknown keys are errors (see `shape.ts`), so a typo never silently falls back to a default.
 */

/** How the brokers agree on cluster metadata. */
export const Mode = { Zookeeper: "zookeeper", Kraft: "kraft" } as const;
/** How the brokers agree on cluster metadata. */
export type Mode = (typeof Mode)[keyof typeof Mode];

/** Where the environment is deployed (`kafka-env:target`). */
export const Target = { Docker: "docker", Kubernetes: "kubernetes" } as const;
/** Where the environment is deployed (`kafka-env:target`). */
export type Target = (typeof Target)[keyof typeof Target];

export interface ClusterConfig {
    /** Prefix of every container, volume, network and Kubernetes object name. Default: `kafka-env-<stack>`. */
    name?: string;
    /** Coordination mode. Default: `kraft`. */
    mode?: Mode;
    /** Number of Kafka brokers. Default: 3. */
    brokers?: number;
    /** Cluster-wide replication and partition defaults. Defaults fit the broker count (see below). */
    replication?: ReplicationConfig;
    /** ZooKeeper ensemble (mode `zookeeper` only). */
    zookeeper?: ZooKeeperConfig;
    /** KRaft controller quorum (mode `kraft` only). */
    kraft?: KRaftConfig;
    /** Listener ports and the address brokers advertise to clients outside the container network. */
    listeners?: ListenersConfig;
    /** Container images. Defaults: pinned per mode (see `defaults.ts`). Never `latest`. */
    images?: ImagesConfig;
    /**
     * JVM heap of each Kafka node (`KAFKA_HEAP_OPTS`): JVM flags, such as `-Xms1g -Xmx1g` (a bare
     * `1g` is refused). On Kubernetes `-Xmx` may take at most 75% of the workload's memory limit.
     * Default: `-Xms512m -Xmx512m`.
     */
    heapOpts?: string;
    /**
     * Extra broker properties (`server.properties` keys, string values), checked against Kafka's own
     * definitions for the image's release (type, range, allowed values; a near typo of a known
     * property is refused). Keys kafka-env owns are refused. Default: none.
     */
    brokerConfig?: Record<string, string>;
    /** Topics managed by kafka-env. Default: none. */
    topics?: TopicConfig[];
    /** Protect topics from deletion and replacement (Pulumi `protect`). Default: true. */
    protectTopics?: boolean;
    /** After brokers join, move a fair share of every topic's replicas (internal topics excepted) onto them. Default: true. */
    rebalanceOnScaleOut?: boolean;
    /** The kafka-ui web console. */
    kafkaUi?: KafkaUiConfig;
    /** Who may connect and what they may do: SCRAM users, TLS and ACLs. Default: all off (PLAINTEXT, no ACLs). */
    security?: SecurityConfig;
    /** Kafka users, each with its SCRAM credential and ACLs; passwords come from the secret `kafka-env:userPasswords` or are generated. Default: none. */
    users?: UserConfig[];
    /** Prometheus metrics of every Kafka and ZooKeeper node (the JMX exporter's Java agent), on both targets. */
    metrics?: MetricsConfig;
}

export interface MetricsConfig {
    /** Load the Prometheus JMX exporter agent into every node's JVM and serve `/metrics`; every node restarts once. Default: false. */
    enabled?: boolean;
    /** The port `/metrics` is served on, in each container or pod. Default: 9404. */
    port?: number;
    /**
     * The agent's jar (io.prometheus.jmx:jmx_prometheus_javaagent 1.0.1, its digest checked) where
     * `pulumi` runs; `mvn dependency:get -Dartifact=io.prometheus.jmx:jmx_prometheus_javaagent:1.0.1`
     * puts it at the default. Default: `~/.m2/repository/io/prometheus/jmx/jmx_prometheus_javaagent/1.0.1/jmx_prometheus_javaagent-1.0.1.jar`.
     */
    agentJar?: string;
    /** Docker only: publish node N's `/metrics` (in model order: ZooKeeper, controllers, brokers) on host port `hostPort + N - 1`. Default: not published. */
    hostPort?: number;
}

export interface ReplicationConfig {
    /** `default.replication.factor`. Default: min(brokers, 3). */
    defaultReplicationFactor?: number;
    /** `min.insync.replicas`. Default: 2 when the replication factor is 3 or more, else 1. */
    minInsyncReplicas?: number;
    /** `num.partitions` for topics created without a count. Default: 3. */
    numPartitions?: number;
    /** `offsets.topic.replication.factor`. Default: the default replication factor. */
    offsetsTopicReplicationFactor?: number;
    /** `transaction.state.log.replication.factor`. Default: the default replication factor. */
    transactionStateLogReplicationFactor?: number;
    /** `transaction.state.log.min.isr`. Default: min.insync.replicas. */
    transactionStateLogMinIsr?: number;
}

export interface ZooKeeperConfig {
    /** Ensemble size, odd. Default: 1. */
    nodes?: number;
    /** Client port inside the container network. Default: 2181. */
    clientPort?: number;
    /** Publish ZooKeeper's client port on the host at this port (Docker only). Default: not published. */
    hostPort?: number;
}

export interface KRaftConfig {
    /** Controller quorum size, odd. Default: 3 with 3 or more brokers (or dedicated controllers), else 1. */
    controllers?: number;
    /** Run controllers as their own nodes instead of on the first brokers. Default: false. */
    dedicatedControllers?: boolean;
    /** The cluster id (22 characters, base64url of 16 bytes). Default: derived from `name`, stable. */
    clusterId?: string;
}

export interface ListenersConfig {
    /** Port of the INTERNAL listener (container or pod network). Default: 29092. */
    internalPort?: number;
    /** Port of the CONTROLLER listener (KRaft). Default: 29093. */
    controllerPort?: number;
    /** Host port of the first broker's EXTERNAL listener; broker N gets externalPort + N - 1. Default: 9092. */
    externalPort?: number;
    /** Host name brokers advertise on the EXTERNAL listener. Default: `localhost`. */
    advertisedHost?: string;
    /** Host address published ports bind to. Default: `127.0.0.1` (use `0.0.0.0` to open them on every interface). */
    bindAddress?: string;
    /** Port of the REPLICATION listener: brokers' own traffic, with certificates, when any `security` setting is on. Default: 29094. */
    replicationPort?: number;
}

export interface ImagesConfig {
    /** Kafka image. Default: `confluentinc/cp-kafka:7.9.3` (zookeeper), `apache/kafka:4.1.1` (kraft). */
    kafka?: string;
    /** ZooKeeper image (mode `zookeeper` only). Default: `confluentinc/cp-zookeeper:7.9.3`. */
    zookeeper?: string;
    /** kafka-ui image. Default: `ghcr.io/kafbat/kafka-ui:v1.5.0`. */
    kafkaUi?: string;
}

export interface TopicConfig {
    /** Topic name: 1-249 characters of `[a-zA-Z0-9._-]`, not `.` or `..`. Required. */
    name: string;
    /** Partition count, at least 1. Can be raised later, never lowered. Required. */
    partitions: number;
    /** Replication factor. Default: the cluster's default replication factor. */
    replicationFactor?: number;
    /**
     * Topic-level configs (`retention.ms`, `cleanup.policy`, ...), values as strings, checked against
     * Kafka's own definitions for the image's release: a key or value Kafka would refuse is refused
     * before anything is deployed. Default: none.
     */
    config?: Record<string, string>;
    /** Override `protectTopics` for this topic. Default: `protectTopics`. */
    protect?: boolean;
}

export interface KafkaUiConfig {
    /** Run kafka-ui. Default: true. */
    enabled?: boolean;
    /** Host port of the web console. Default: 8080. */
    port?: number;
    /** Refuse writes from the console. Default: false. */
    readOnly?: boolean;
    /** Cluster name shown in the console. Default: the environment's `name`. */
    clusterName?: string;
    /** User name of the login form; the password comes from the secret `kafka-env:kafkaUiPassword`. Default: no login. */
    username?: string;
}

/** How clients prove who they are (SASL/SCRAM). */
export const Authentication = { None: "none", ScramSha256: "scram-sha-256", ScramSha512: "scram-sha-512" } as const;
/** How clients prove who they are (SASL/SCRAM). */
export type Authentication = (typeof Authentication)[keyof typeof Authentication];

export interface SecurityConfig {
    /** Client authentication on the INTERNAL and EXTERNAL listeners. Default: `none`. */
    authentication?: Authentication;
    /** TLS on the INTERNAL and EXTERNAL listeners: clients trust the stack output `caCertificate` and verify the brokers' host names. Default: false. */
    tls?: boolean;
    /** Enforce ACLs, denying what no ACL allows; kafka-env's own identities are super users. Needs `authentication`. Default: false. */
    authorization?: boolean;
    /** Lifetimes of the certificates kafka-env issues whenever any setting above is on. */
    certificates?: CertificatesConfig;
}

export interface CertificatesConfig {
    /** Validity of each node's and the tools' certificate, in days. Default: 365. */
    validityDays?: number;
    /** A `pulumi up` this many days or fewer before a certificate expires renews it (rolling the nodes). Default: 30. */
    renewalDays?: number;
    /** Validity of the CA kafka-env generates, in days (not used with `kafka-env:caCertificate`). Default: 1825. */
    caValidityDays?: number;
}

/** A Kafka resource type an ACL applies to. */
export const AclResource = { Topic: "topic", Group: "group", Cluster: "cluster", TransactionalId: "transactionalId" } as const;
/** A Kafka resource type an ACL applies to. */
export type AclResource = (typeof AclResource)[keyof typeof AclResource];

/** Kafka's ACL operations, as `kafka-acls --operation` names them. */
export const AclOperation = {
    All: "All",
    Read: "Read",
    Write: "Write",
    Create: "Create",
    Delete: "Delete",
    Alter: "Alter",
    Describe: "Describe",
    ClusterAction: "ClusterAction",
    DescribeConfigs: "DescribeConfigs",
    AlterConfigs: "AlterConfigs",
    IdempotentWrite: "IdempotentWrite",
} as const;
/** Kafka's ACL operations, as `kafka-acls --operation` names them. */
export type AclOperation = (typeof AclOperation)[keyof typeof AclOperation];

/** How an ACL's name matches resource names. */
export const AclPatternType = { Literal: "literal", Prefixed: "prefixed" } as const;
/** How an ACL's name matches resource names. */
export type AclPatternType = (typeof AclPatternType)[keyof typeof AclPatternType];

/** Whether an ACL allows or denies. */
export const AclPermission = { Allow: "allow", Deny: "deny" } as const;
/** Whether an ACL allows or denies. */
export type AclPermission = (typeof AclPermission)[keyof typeof AclPermission];

export interface UserConfig {
    /** User name (the principal `User:<name>`): 1-64 letters, digits, '.', '_' or '-'. Required. */
    name: string;
    /** What the user may do. Needs `security.authorization`. Default: none. */
    acls?: AclConfig[];
}

export interface AclConfig {
    /** The resource type. Required. */
    resource: AclResource;
    /** The resource's name, `*` for all; `cluster` takes only `kafka-cluster`. Default: `kafka-cluster` for `cluster`, else required. */
    name?: string;
    /** `literal`: the name itself; `prefixed`: every name starting with it. Default: `literal`. */
    patternType?: AclPatternType;
    /** The operations allowed (or denied). Required. */
    operations: AclOperation[];
    /** Whether the ACL allows or denies them; a deny wins over any allow. Default: `allow`. */
    permission?: AclPermission;
    /** The client address it applies to: an IP address, or `*` for any. Default: `*`. */
    host?: string;
}
