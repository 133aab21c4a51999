/**
 * Every default of kafka-env, stated once. `resolve.ts` is the only reader.
 */
import { Mode } from "./config";

/** Images pinned per mode: Confluent 7.9.x is the last line that runs ZooKeeper mode. */
export const DEFAULT_IMAGES: Record<Mode, { kafka: string; zookeeper?: string }> = {
    zookeeper: {
        kafka: "confluentinc/cp-kafka:7.9.3",
        zookeeper: "confluentinc/cp-zookeeper:7.9.3",
    },
    kraft: {
        kafka: "apache/kafka:4.1.1",
    },
};

export const DEFAULTS = {
    mode: "kraft" as Mode,
    brokers: 3,
    /** Topic replication never defaults above this, whatever the broker count (Strimzi's examples). */
    maxDefaultReplicationFactor: 3,
    numPartitions: 3,
    heapOpts: "-Xms512m -Xmx512m",
    zookeeperHeapOpts: "-Xms128m -Xmx256m",
    protectTopics: true,
    rebalanceOnScaleOut: true,
    zookeeper: {
        nodes: 1,
        clientPort: 2181,
        tickTime: 2000,
        initLimit: 5,
        syncLimit: 2,
    },
    kraft: {
        dedicatedControllers: false,
    },
    listeners: {
        internalPort: 29092,
        controllerPort: 29093,
        externalPort: 9092,
        advertisedHost: "localhost",
        bindAddress: "127.0.0.1",
        replicationPort: 29094,
    },
    metrics: {
        enabled: false,
        port: 9404,
    },
    kafkaUi: {
        enabled: true,
        image: "ghcr.io/kafbat/kafka-ui:v1.5.0",
        port: 8080,
        readOnly: false,
    },
    security: {
        authentication: "none",
        tls: false,
        authorization: false,
        certificates: { validityDays: 365, renewalDays: 30, caValidityDays: 1825 },
    },
    acl: { patternType: "literal", permission: "allow", host: "*", clusterName: "kafka-cluster" },
} as const;

/** Default replication factor for a broker count: every broker up to three. */
export function defaultReplicationFactor(brokers: number): number {
    return Math.max(1, Math.min(brokers, DEFAULTS.maxDefaultReplicationFactor));
}

/** Default min.insync.replicas: 2 for a replication factor of 3 or more (one replica may fail), else 1. */
export function defaultMinInsyncReplicas(replicationFactor: number): number {
    return replicationFactor >= 3 ? 2 : 1;
}

/** Default controller quorum: three when there are enough nodes to host them, else one. */
export function defaultControllers(brokers: number, dedicated: boolean): number {
    return dedicated || brokers >= 3 ? 3 : 1;
}
