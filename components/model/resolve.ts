/**
 * Applies every default once, turning a (shape-checked) `ClusterConfig` into a `ResolvedConfig`
 * in which nothing is optional. Validation and the model read only the resolved form.
 */
import { createHash } from "node:crypto";
import { sortOperations } from "./acls";
import { AclConfig, AclOperation, AclResource, Authentication, ClusterConfig, Mode, TopicConfig, UserConfig } from "./config";
import { METRICS_AGENT } from "./metrics";
import { DEFAULT_IMAGES, DEFAULTS, defaultControllers, defaultMinInsyncReplicas, defaultReplicationFactor } from "./defaults";

export interface ResolvedTopic {
    readonly name: string;
    readonly partitions: number;
    readonly replicationFactor: number;
    /** Sorted by key. */
    readonly config: Readonly<Record<string, string>>;
    readonly protect: boolean;
}

export interface ResolvedSecurity {
    readonly authentication: Authentication;
    readonly tls: boolean;
    readonly authorization: boolean;
    readonly certificates: { readonly validityDays: number; readonly renewalDays: number; readonly caValidityDays: number };
}

/** One ACL pattern of a user: what it may (or may not) do on the resources it names. */
export interface ResolvedAcl {
    readonly resource: AclResource;
    readonly name: string;
    readonly patternType: "literal" | "prefixed";
    /** In Kafka's order, each once. */
    readonly operations: readonly AclOperation[];
    readonly permission: "allow" | "deny";
    readonly host: string;
}

export interface ResolvedUser {
    readonly name: string;
    /** One entry per pattern (resource, name, pattern type, permission, host), sorted by them. */
    readonly acls: readonly ResolvedAcl[];
}

export interface ResolvedConfig {
    readonly name: string;
    readonly mode: Mode;
    readonly brokers: number;
    readonly replication: {
        readonly defaultReplicationFactor: number;
        readonly minInsyncReplicas: number;
        readonly numPartitions: number;
        readonly offsetsTopicReplicationFactor: number;
        readonly transactionStateLogReplicationFactor: number;
        readonly transactionStateLogMinIsr: number;
    };
    /** Present in mode `zookeeper` only. */
    readonly zookeeper?: {
        readonly nodes: number;
        readonly clientPort: number;
        readonly hostPort?: number;
    };
    /** Present in mode `kraft` only. */
    readonly kraft?: {
        readonly controllers: number;
        readonly dedicatedControllers: boolean;
        readonly clusterId: string;
    };
    readonly listeners: {
        readonly internalPort: number;
        readonly controllerPort: number;
        readonly externalPort: number;
        readonly advertisedHost: string;
        readonly bindAddress: string;
        readonly replicationPort: number;
    };
    readonly images: { readonly kafka: string; readonly zookeeper?: string; readonly kafkaUi: string };
    readonly heapOpts: string;
    /** Sorted by key. */
    readonly brokerConfig: Readonly<Record<string, string>>;
    /** Sorted by name. */
    readonly topics: readonly ResolvedTopic[];
    readonly rebalanceOnScaleOut: boolean;
    readonly kafkaUi: {
        readonly enabled: boolean;
        readonly port: number;
        readonly readOnly: boolean;
        readonly clusterName: string;
        readonly username?: string;
    };
    readonly security: ResolvedSecurity;
    /** Sorted by name. */
    readonly users: readonly ResolvedUser[];
    readonly metrics: { readonly enabled: boolean; readonly port: number; readonly agentJar: string; readonly hostPort?: number };
}

/** Facts from outside the config that defaults depend on. */
export interface ResolveContext {
    /** The Pulumi stack name, used in the default `name`. */
    readonly stack: string;
}

export function resolve(config: ClusterConfig, context: ResolveContext): ResolvedConfig {
    const name = config.name ?? `kafka-env-${context.stack}`;
    const mode = config.mode ?? DEFAULTS.mode;
    const brokers = config.brokers ?? DEFAULTS.brokers;
    const r = config.replication ?? {};
    const rf = r.defaultReplicationFactor ?? defaultReplicationFactor(brokers);
    const minIsr = r.minInsyncReplicas ?? defaultMinInsyncReplicas(rf);
    const l = config.listeners ?? {};
    const ui = config.kafkaUi ?? {};
    const protectTopics = config.protectTopics ?? DEFAULTS.protectTopics;
    const dedicated = config.kraft?.dedicatedControllers ?? DEFAULTS.kraft.dedicatedControllers;

    return {
        name,
        mode,
        brokers,
        replication: {
            defaultReplicationFactor: rf,
            minInsyncReplicas: minIsr,
            numPartitions: r.numPartitions ?? DEFAULTS.numPartitions,
            offsetsTopicReplicationFactor: r.offsetsTopicReplicationFactor ?? rf,
            transactionStateLogReplicationFactor: r.transactionStateLogReplicationFactor ?? rf,
            transactionStateLogMinIsr: r.transactionStateLogMinIsr ?? minIsr,
        },
        zookeeper:
            mode === "zookeeper"
                ? {
                      nodes: config.zookeeper?.nodes ?? DEFAULTS.zookeeper.nodes,
                      clientPort: config.zookeeper?.clientPort ?? DEFAULTS.zookeeper.clientPort,
                      hostPort: config.zookeeper?.hostPort,
                  }
                : undefined,
        kraft:
            mode === "kraft"
                ? {
                      controllers: config.kraft?.controllers ?? defaultControllers(brokers, dedicated),
                      dedicatedControllers: dedicated,
                      clusterId: config.kraft?.clusterId ?? stableClusterId(name),
                  }
                : undefined,
        listeners: {
            internalPort: l.internalPort ?? DEFAULTS.listeners.internalPort,
            controllerPort: l.controllerPort ?? DEFAULTS.listeners.controllerPort,
            externalPort: l.externalPort ?? DEFAULTS.listeners.externalPort,
            advertisedHost: l.advertisedHost ?? DEFAULTS.listeners.advertisedHost,
            bindAddress: l.bindAddress ?? DEFAULTS.listeners.bindAddress,
            replicationPort: l.replicationPort ?? DEFAULTS.listeners.replicationPort,
        },
        images: {
            kafka: config.images?.kafka ?? DEFAULT_IMAGES[mode].kafka,
            zookeeper: mode === "zookeeper" ? (config.images?.zookeeper ?? DEFAULT_IMAGES.zookeeper.zookeeper) : undefined,
            kafkaUi: config.images?.kafkaUi ?? DEFAULTS.kafkaUi.image,
        },
        heapOpts: config.heapOpts ?? DEFAULTS.heapOpts,
        brokerConfig: sortKeys(config.brokerConfig ?? {}),
        topics: (config.topics ?? []).map((t) => resolveTopic(t, rf, protectTopics)).sort((a, b) => compare(a.name, b.name)),
        rebalanceOnScaleOut: config.rebalanceOnScaleOut ?? DEFAULTS.rebalanceOnScaleOut,
        kafkaUi: {
            enabled: ui.enabled ?? DEFAULTS.kafkaUi.enabled,
            port: ui.port ?? DEFAULTS.kafkaUi.port,
            readOnly: ui.readOnly ?? DEFAULTS.kafkaUi.readOnly,
            clusterName: ui.clusterName ?? name,
            username: ui.username,
        },
        security: resolveSecurity(config),
        users: (config.users ?? []).map(resolveUser).sort((a, b) => compare(a.name, b.name)),
        metrics: {
            enabled: config.metrics?.enabled ?? DEFAULTS.metrics.enabled,
            port: config.metrics?.port ?? DEFAULTS.metrics.port,
            agentJar: config.metrics?.agentJar ?? METRICS_AGENT.defaultPath,
            hostPort: config.metrics?.hostPort,
        },
    };
}

function resolveSecurity(config: ClusterConfig): ResolvedSecurity {
    const [s, d] = [config.security ?? {}, DEFAULTS.security];
    const cert = s.certificates ?? {};
    return {
        authentication: s.authentication ?? d.authentication,
        tls: s.tls ?? d.tls,
        authorization: s.authorization ?? d.authorization,
        certificates: {
            validityDays: cert.validityDays ?? d.certificates.validityDays,
            renewalDays: cert.renewalDays ?? d.certificates.renewalDays,
            caValidityDays: cert.caValidityDays ?? d.certificates.caValidityDays,
        },
    };
}

/** A user's ACLs with their defaults, one entry per pattern: entries naming the same pattern are merged. */
function resolveUser(user: UserConfig): ResolvedUser {
    const byPattern = new Map<string, ResolvedAcl>();
    for (const acl of (user.acls ?? []).map(resolveAcl)) {
        const key = aclPatternKey(acl);
        const seen = byPattern.get(key);
        byPattern.set(key, seen ? { ...seen, operations: sortOperations([...seen.operations, ...acl.operations]) } : acl);
    }
    return { name: user.name, acls: [...byPattern.entries()].sort(([a], [b]) => compare(a, b)).map(([, acl]) => acl) };
}

function resolveAcl(acl: AclConfig): ResolvedAcl {
    const d = DEFAULTS.acl;
    return {
        resource: acl.resource,
        name: acl.name ?? (acl.resource === "cluster" ? d.clusterName : ""),
        patternType: acl.patternType ?? d.patternType,
        operations: sortOperations(acl.operations),
        permission: acl.permission ?? d.permission,
        host: acl.host ?? d.host,
    };
}

/** What makes an ACL entry distinct apart from its operations: `allow topic literal orders from *`. */
export function aclPatternKey(acl: Omit<ResolvedAcl, "operations">): string {
    return `${acl.permission} ${acl.resource} ${acl.patternType} ${JSON.stringify(acl.name)} from ${acl.host}`;
}

function resolveTopic(topic: TopicConfig, replicationFactor: number, protect: boolean): ResolvedTopic {
    return {
        name: topic.name,
        partitions: topic.partitions,
        replicationFactor: topic.replicationFactor ?? replicationFactor,
        config: sortKeys(topic.config ?? {}),
        protect: topic.protect ?? protect,
    };
}

/**
 * A KRaft cluster id derived from the environment name: the same name always gives the same id,
 * so a preview never shows a changed id, while two environments do not share one by accident.
 */
export function stableClusterId(name: string): string {
    return createHash("sha256").update(`kafka-env/${name}`).digest().subarray(0, 16).toString("base64url");
}

export function sortKeys<T>(record: Readonly<Record<string, T>>): Record<string, T> {
    return Object.fromEntries(Object.entries(record).sort(([a], [b]) => compare(a, b)));
}

/** Locale-independent string order, so output is the same on every machine. */
export function compare(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}
