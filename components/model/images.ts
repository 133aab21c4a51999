/**
 * The images' configuration contracts: how a node's settings become environment variables, where
 * the images keep their data, and how to ask a node whether it is ready.
 *
 * confluentinc/cp-kafka and apache/kafka share one rule: every `KAFKA_*` variable becomes a server
 * property (strip `KAFKA_`, lower-case, `_` -> `.`, `__` -> `_`, `___` -> `-`). cp-zookeeper reads
 * `ZOOKEEPER_*` variables.
 */

/** Where both Kafka images keep their log directory; a volume is mounted here. */
export const KAFKA_DATA_DIR = "/var/lib/kafka/data";
/** Where cp-zookeeper keeps its snapshots and its transaction log. */
export const ZOOKEEPER_DATA_DIR = "/var/lib/zookeeper/data";
export const ZOOKEEPER_LOG_DIR = "/var/lib/zookeeper/log";

/** `log.retention.hours` -> `KAFKA_LOG_RETENTION_HOURS`, the inverse of the images' rule. */
export function kafkaEnvName(property: string): string {
    return `KAFKA_${property.replace(/_/g, "__").replace(/-/g, "___").replace(/\./g, "_").toUpperCase()}`;
}

/** The inverse, as the images apply it; used by tests to prove the round trip. */
export function kafkaPropertyName(env: string): string {
    return env
        .replace(/^KAFKA_/, "")
        .toLowerCase()
        .replace(/___/g, "-")
        .replace(/__/g, "\u0000")
        .replace(/_/g, ".")
        .replace(/\u0000/g, "_");
}

/**
 * Runs a Kafka command-line tool whichever image layout is present: Confluent puts
 * `kafka-topics` on PATH, Apache ships `/opt/kafka/bin/kafka-topics.sh`.
 */
export function kafkaTool(tool: string, args: string): string {
    return `t=$(command -v ${tool} || echo /opt/kafka/bin/${tool}.sh); "$t" ${args}`;
}

/** Ready when the broker answers an ApiVersions request on its INTERNAL listener. */
export function brokerHealthcheck(internalPort: number): string {
    return `${kafkaTool("kafka-broker-api-versions", `--bootstrap-server localhost:${internalPort}`)} > /dev/null`;
}

/** Ready when the controller reports the quorum's status. */
export function controllerHealthcheck(controllerPort: number): string {
    return `${kafkaTool("kafka-metadata-quorum", `--bootstrap-controller localhost:${controllerPort} describe --status`)} > /dev/null`;
}

/** Ready when ZooKeeper answers `srvr` (whitelisted by default) with its mode. */
export function zookeeperHealthcheck(clientPort: number): string {
    return `exec 3<>/dev/tcp/127.0.0.1/${clientPort} && echo srvr >&3 && grep -q '^Mode: ' <&3`;
}
