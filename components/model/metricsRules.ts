/**
 * The JMX exporter's rules: which MBeans become which Prometheus metrics. Kept to the figures
 * operators watch (Strimzi's `kafka-metrics` ConfigMap and Kafka's monitoring guide pick the same):
 * under-replicated, under-min-ISR and offline partitions; ISR shrinks and expands; request rates
 * and latencies by request type; throughput; handler and network idle; the controller's state;
 * the KRaft quorum (raft-metrics) or the ZooKeeper ensemble and the brokers' ZooKeeper sessions.
 * The agent adds the JVM's own (`jvm_*`). `docs/grafana/kafka-env.json` charts these names.
 */
import type { RulesKind } from "./metrics";

interface Rule {
    readonly pattern: string;
    readonly name: string;
    readonly type: "GAUGE" | "COUNTER" | "UNTYPED";
    readonly labels?: Readonly<Record<string, string>>;
}

const KAFKA_RULES: readonly Rule[] = [
    {
        pattern:
            "kafka.server<type=ReplicaManager, name=(UnderReplicatedPartitions|UnderMinIsrPartitionCount|AtMinIsrPartitionCount|OfflineReplicaCount|PartitionCount|LeaderCount)><>Value",
        name: "kafka_server_replicamanager_$1",
        type: "GAUGE",
    },
    {
        pattern: "kafka.server<type=ReplicaManager, name=(IsrShrinksPerSec|IsrExpandsPerSec|FailedIsrUpdatesPerSec)><>Count",
        name: "kafka_server_replicamanager_$1_total",
        type: "COUNTER",
    },
    {
        pattern: "kafka.server<type=ReplicaFetcherManager, name=MaxLag, clientId=Replica><>Value",
        name: "kafka_server_replicafetchermanager_maxlag",
        type: "GAUGE",
    },
    {
        pattern:
            "kafka.controller<type=KafkaController, name=(ActiveControllerCount|OfflinePartitionsCount|PreferredReplicaImbalanceCount|GlobalTopicCount|GlobalPartitionCount|ActiveBrokerCount|FencedBrokerCount)><>Value",
        name: "kafka_controller_kafkacontroller_$1",
        type: "GAUGE",
    },
    {
        pattern: "kafka.controller<type=ControllerStats, name=(UncleanLeaderElectionsPerSec|LeaderElectionRateAndTimeMs)><>Count",
        name: "kafka_controller_controllerstats_$1_total",
        type: "COUNTER",
    },
    {
        pattern:
            "kafka.server<type=raft-metrics><>(current-leader|current-epoch|current-vote|high-watermark|log-end-offset|commit-latency-avg|election-latency-avg|number-unknown-voter-connections)",
        name: "kafka_server_raftmetrics_$1",
        type: "GAUGE",
    },
    {
        pattern: "kafka.server<type=SessionExpireListener, name=(ZooKeeperExpiresPerSec|ZooKeeperDisconnectsPerSec|ZooKeeperAuthFailuresPerSec)><>Count",
        name: "kafka_server_sessionexpirelistener_$1_total",
        type: "COUNTER",
    },
    {
        pattern: "kafka.network<type=RequestMetrics, name=RequestsPerSec, request=(\\w+), version=(\\d+)><>Count",
        name: "kafka_network_requestmetrics_requests_total",
        type: "COUNTER",
        labels: { request: "$1", version: "$2" },
    },
    {
        pattern:
            "kafka.network<type=RequestMetrics, name=(TotalTimeMs|RequestQueueTimeMs|LocalTimeMs|RemoteTimeMs), request=(Produce|FetchConsumer|FetchFollower|Metadata)><>(50thPercentile|99thPercentile)",
        name: "kafka_network_requestmetrics_$1",
        type: "GAUGE",
        labels: { request: "$2", quantile: "0.$3" },
    },
    {
        pattern:
            "kafka.server<type=BrokerTopicMetrics, name=(MessagesInPerSec|BytesInPerSec|BytesOutPerSec|TotalProduceRequestsPerSec|TotalFetchRequestsPerSec|FailedProduceRequestsPerSec|FailedFetchRequestsPerSec)><>Count",
        name: "kafka_server_brokertopicmetrics_$1_total",
        type: "COUNTER",
    },
    {
        pattern: "kafka.server<type=KafkaRequestHandlerPool, name=RequestHandlerAvgIdlePercent><>OneMinuteRate",
        name: "kafka_server_kafkarequesthandlerpool_requesthandleravgidlepercent",
        type: "GAUGE",
    },
    {
        pattern: "kafka.network<type=SocketServer, name=NetworkProcessorAvgIdlePercent><>Value",
        name: "kafka_network_socketserver_networkprocessoravgidlepercent",
        type: "GAUGE",
    },
];

const ZOOKEEPER_RULES: readonly Rule[] = [
    { pattern: "org.apache.ZooKeeperService<name0=StandaloneServer_port(\\d+)><>(\\w+)", name: "zookeeper_$2", type: "GAUGE" },
    { pattern: "org.apache.ZooKeeperService<name0=ReplicatedServer_id(\\d+)><>(\\w+)", name: "zookeeper_$2", type: "GAUGE" },
    {
        pattern: "org.apache.ZooKeeperService<name0=ReplicatedServer_id(\\d+), name1=replica.(\\d+), name2=(\\w+)><>(\\w+)",
        name: "zookeeper_$4",
        type: "GAUGE",
        labels: { replica: "$2", role: "$3" },
    },
];

/** The agent's configuration (YAML; JSON is YAML) for a kind of node, in a stable order. */
export function metricsRules(kind: RulesKind): string {
    const rules = kind === "zookeeper" ? ZOOKEEPER_RULES : KAFKA_RULES;
    return `${JSON.stringify({ lowercaseOutputName: true, lowercaseOutputLabelNames: true, rules }, null, 2)}\n`;
}

/** The metric names the rules can produce (`$n` as a wildcard), lower-cased as the agent writes them. */
export function ruleNames(kind: RulesKind): RegExp[] {
    const rules = kind === "zookeeper" ? ZOOKEEPER_RULES : KAFKA_RULES;
    return rules.map((r) => new RegExp(`^${r.name.toLowerCase().replace(/\$\d/g, "[a-z0-9_]+")}$`));
}
