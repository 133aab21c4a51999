/**
 * Builds the cluster model from a valid resolved configuration. Pure: the only input from the
 * target is `Addressing`, which says how nodes are reached.
 */
import { ResolvedConfig } from "./resolve";
import { sortKeys } from "./resolve";
import {
    KAFKA_DATA_DIR,
    KAFKA_LOG_DIR,
    ZOOKEEPER_DATA_DIR,
    ZOOKEEPER_LOG_DIR,
    brokerHealthcheck,
    controllerHealthcheck,
    kafkaEnvName,
    zookeeperHealthcheck,
} from "./images";
import { Addressing, ClusterModel, KafkaUiModel, Listener, NodeModel, PublishedPort, Role } from "./types";
import { DEFAULTS } from "./defaults";
import {
    PROBE_PORT,
    clusterSecurity,
    interBrokerListener,
    isSecured,
    kafkaUiSecurity,
    listenerProtocol,
    securityFiles,
    securityListeners,
    securityProperties,
    tlsNames,
} from "./security";
import { toolConnection } from "./toolConnection";

/** Dedicated KRaft controllers take node ids from here up, clear of broker ids. */
export const CONTROLLER_ID_BASE = 1000;
/**
 * Tools that only bootstrap (the topic provider, the topics Job) get the first three brokers: enough
 * to survive a broker being down, and adding a broker then leaves their settings unchanged.
 */
export function bootstrapSubset<T>(servers: readonly T[]): T[] {
    return servers.slice(0, 3);
}

/** Port kafka-ui listens on inside its container. */
export const KAFKA_UI_PORT = 8080;

interface KafkaNodeSpec {
    readonly name: string;
    readonly id: number;
    readonly roles: readonly Role[];
    /** Position among brokers (0-based), for broker nodes. */
    readonly brokerIndex?: number;
}

export function buildModel(c: ResolvedConfig, addressing: Addressing): ClusterModel {
    const specs = kafkaNodeSpecs(c);
    const zookeeper = c.zookeeper ? zookeeperNodes(c, addressing) : [];
    const zookeeperConnect = zookeeper.map((z) => `${z.host}:${c.zookeeper!.clientPort}`).join(",") || undefined;
    const voters = specs
        .filter((s) => s.roles.includes("controller"))
        .map((s) => `${s.id}@${addressing.internalHost(s.name)}:${c.listeners.controllerPort}`)
        .join(",");
    const kafka = specs.map((s) => kafkaNode(c, s, addressing, { zookeeperConnect, voters }));
    const brokers = kafka.filter((n) => n.roles.includes("broker"));
    const advertised = (name: string) => brokers.map((b) => b.listeners.find((l) => l.name === name)?.advertised).filter((a): a is string => !!a);
    const internalBootstrapServers = advertised("INTERNAL");
    const security = clusterSecurity(c);
    const clientBootstrapServers = addressing.bootstrapHost ? [`${addressing.bootstrapHost()}:${c.listeners.internalPort}`] : internalBootstrapServers;

    return {
        name: c.name,
        mode: c.mode,
        nodes: [...zookeeper, ...kafka],
        bootstrapServers: advertised("EXTERNAL"),
        internalBootstrapServers,
        clientBootstrapServers,
        zookeeperConnect,
        clusterId: c.kraft?.clusterId,
        topics: c.topics,
        rebalanceOnScaleOut: c.rebalanceOnScaleOut,
        kafkaUi: c.kafkaUi.enabled ? kafkaUi(c, clientBootstrapServers) : undefined,
        ...(security ? { security } : {}),
        metrics: c.metrics.enabled
            ? { port: c.metrics.port, agentJar: c.metrics.agentJar, hostPort: c.metrics.hostPort, hostIp: c.listeners.bindAddress }
            : undefined,
    };
}

/** Kafka nodes in a stable order: dedicated controllers first, then brokers, each by id. */
export function kafkaNodeSpecs(c: ResolvedConfig): KafkaNodeSpec[] {
    const specs: KafkaNodeSpec[] = [];
    const kraft = c.kraft;
    if (kraft?.dedicatedControllers) {
        for (let i = 1; i <= kraft.controllers; i++) {
            specs.push({ name: `controller-${i}`, id: CONTROLLER_ID_BASE + i, roles: ["controller"] });
        }
    }
    for (let i = 1; i <= c.brokers; i++) {
        const combined = kraft !== undefined && !kraft.dedicatedControllers && i <= kraft.controllers;
        const roles: Role[] = combined ? ["broker", "controller"] : ["broker"];
        specs.push({ name: `kafka-${i}`, id: i, roles, brokerIndex: i - 1 });
    }
    return specs;
}

/**
 * Every listener name the node binds or uses, mapped to its protocol. In KRaft mode that includes
 * CONTROLLER on broker-only nodes too: they reach the quorum through it, and Kafka refuses to start
 * when a `controller.listener.names` entry is missing from a non-empty map.
 */
function protocolMap(c: ResolvedConfig, listeners: readonly Listener[]): string {
    const names = new Set(listeners.map((l) => l.name));
    if (c.mode === "kraft") names.add("CONTROLLER");
    return [...names]
        .sort()
        .map((n) => `${n}:${listenerProtocol(c.security, n)}`)
        .join(",");
}

function kafkaNode(c: ResolvedConfig, spec: KafkaNodeSpec, addressing: Addressing, cluster: { zookeeperConnect?: string; voters: string }): NodeModel {
    const host = addressing.internalHost(spec.name);
    const isBroker = spec.roles.includes("broker");
    const isController = spec.roles.includes("controller");
    const external = spec.brokerIndex !== undefined ? addressing.external(spec.brokerIndex) : undefined;

    const listeners: Listener[] = [];
    if (isBroker) listeners.push({ name: "INTERNAL", port: c.listeners.internalPort, advertised: `${host}:${c.listeners.internalPort}` });
    if (isBroker && external) listeners.push({ name: "EXTERNAL", port: external.containerPort, advertised: `${external.host}:${external.port}` });
    if (isController) listeners.push({ name: "CONTROLLER", port: c.listeners.controllerPort });
    listeners.push(...securityListeners(c, spec.roles, host));

    const properties: Record<string, string> = {
        ...(isBroker ? c.brokerConfig : {}),
        ...securityProperties(c, spec.roles, listeners),
        listeners: listeners.map((l) => `${l.name}://${l.bind ?? "0.0.0.0"}:${l.port}`).join(","),
        "listener.security.protocol.map": protocolMap(c, listeners),
        "log.dirs": KAFKA_LOG_DIR,
    };
    if (isBroker) {
        Object.assign(properties, replicationProperties(c), {
            "advertised.listeners": listeners
                .filter((l) => l.advertised)
                .map((l) => `${l.name}://${l.advertised}`)
                .join(","),
            "inter.broker.listener.name": interBrokerListener(c.security),
        });
    }
    if (c.mode === "zookeeper") {
        Object.assign(properties, { "broker.id": String(spec.id), "zookeeper.connect": cluster.zookeeperConnect! });
    } else {
        Object.assign(properties, {
            "node.id": String(spec.id),
            "process.roles": spec.roles.join(","),
            "controller.listener.names": "CONTROLLER",
            "controller.quorum.voters": cluster.voters,
        });
    }

    const env: Record<string, string> = { KAFKA_HEAP_OPTS: c.heapOpts };
    for (const [key, value] of Object.entries(properties)) env[kafkaEnvName(key)] = value;
    if (c.kraft) env.CLUSTER_ID = c.kraft.clusterId;

    const secured = isSecured(c.security);
    const node: NodeModel = {
        name: spec.name,
        id: spec.id,
        roles: spec.roles,
        image: c.images.kafka,
        listeners,
        properties: sortKeys(properties),
        env: sortKeys(env),
        published: external?.publish ? [external.publish] : [],
        volumes: [{ name: "data", path: KAFKA_DATA_DIR }],
        healthcheck: "",
        probePort: listeners[0].port,
        host,
        ...(secured ? { security: { files: securityFiles(c.security), tlsNames: tlsNames(host, listeners, addressing.aliases?.(spec.name)) } } : {}),
    };
    const healthcheck = isBroker ? brokerHealthcheck(secured ? PROBE_PORT : c.listeners.internalPort) : controllerHealthcheck(toolConnection({ inside: node }));
    return { ...node, healthcheck };
}

function replicationProperties(c: ResolvedConfig): Record<string, string> {
    const r = c.replication;
    return {
        "default.replication.factor": String(r.defaultReplicationFactor),
        "min.insync.replicas": String(r.minInsyncReplicas),
        "num.partitions": String(r.numPartitions),
        "offsets.topic.replication.factor": String(r.offsetsTopicReplicationFactor),
        "transaction.state.log.replication.factor": String(r.transactionStateLogReplicationFactor),
        "transaction.state.log.min.isr": String(r.transactionStateLogMinIsr),
    };
}

function zookeeperNodes(c: ResolvedConfig, addressing: Addressing): NodeModel[] {
    const zk = c.zookeeper!;
    const names = Array.from({ length: zk.nodes }, (_, i) => `zookeeper-${i + 1}`);
    const servers = names.map((n) => `${addressing.internalHost(n)}:2888:3888`).join(";");
    return names.map((name, i) => {
        const properties: Record<string, string> = {
            clientPort: String(zk.clientPort),
            tickTime: String(DEFAULTS.zookeeper.tickTime),
            initLimit: String(DEFAULTS.zookeeper.initLimit),
            syncLimit: String(DEFAULTS.zookeeper.syncLimit),
            dataDir: ZOOKEEPER_DATA_DIR,
            dataLogDir: ZOOKEEPER_LOG_DIR,
        };
        names.forEach((n, j) => {
            if (zk.nodes > 1) properties[`server.${j + 1}`] = `${addressing.internalHost(n)}:2888:3888`;
        });
        const env: Record<string, string> = {
            KAFKA_HEAP_OPTS: DEFAULTS.zookeeperHeapOpts,
            ZOOKEEPER_CLIENT_PORT: String(zk.clientPort),
            ZOOKEEPER_INIT_LIMIT: String(DEFAULTS.zookeeper.initLimit),
            ZOOKEEPER_SERVER_ID: String(i + 1),
            ZOOKEEPER_SYNC_LIMIT: String(DEFAULTS.zookeeper.syncLimit),
            ZOOKEEPER_TICK_TIME: String(DEFAULTS.zookeeper.tickTime),
        };
        if (zk.nodes > 1) env.ZOOKEEPER_SERVERS = servers;
        const published: PublishedPort[] =
            zk.hostPort !== undefined && i === 0 ? [{ containerPort: zk.clientPort, hostPort: zk.hostPort, hostIp: c.listeners.bindAddress }] : [];
        return {
            name,
            id: i + 1,
            roles: ["zookeeper"],
            image: c.images.zookeeper!,
            listeners: [],
            properties: sortKeys(properties),
            env: sortKeys(env),
            published,
            volumes: [
                { name: "data", path: ZOOKEEPER_DATA_DIR },
                { name: "log", path: ZOOKEEPER_LOG_DIR },
            ],
            healthcheck: zookeeperHealthcheck(zk.clientPort),
            probePort: zk.clientPort,
            host: addressing.internalHost(name),
        };
    });
}

function kafkaUi(c: ResolvedConfig, internalBootstrapServers: readonly string[]): KafkaUiModel {
    const ui = c.kafkaUi;
    const env: Record<string, string> = {
        DYNAMIC_CONFIG_ENABLED: "false",
        KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS: internalBootstrapServers.join(","),
        KAFKA_CLUSTERS_0_NAME: ui.clusterName,
        KAFKA_CLUSTERS_0_READONLY: String(ui.readOnly),
        SERVER_PORT: String(KAFKA_UI_PORT),
    };
    if (ui.username !== undefined) {
        env.AUTH_TYPE = "LOGIN_FORM";
        env.SPRING_SECURITY_USER_NAME = ui.username;
    }
    const security = kafkaUiSecurity(c);
    Object.assign(env, security?.env);
    return {
        name: "kafka-ui",
        image: c.images.kafkaUi,
        port: KAFKA_UI_PORT,
        published: { containerPort: KAFKA_UI_PORT, hostPort: ui.port, hostIp: c.listeners.bindAddress },
        env: sortKeys(env),
        username: ui.username,
        ...(security ? { security: security.model } : {}),
    };
}
