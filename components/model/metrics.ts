/**
 * Prometheus metrics on both targets: the Prometheus JMX exporter's Java agent (1.0.1, the newest
 * release on Maven Central) in every Kafka and ZooKeeper JVM, serving `/metrics` on its own port,
 * with rules for the figures operators watch (rules.ts beside this file has them).
 *
 * The agent is not in the upstream images: both targets bring the jar from where `pulumi` runs
 * (Docker uploads it into each container, Kubernetes mounts it from ConfigMaps). It is added to
 * the node's own JVM only: the launcher exports `KAFKA_OPTS` with the agent just before the image's
 * run script, so a tool started beside the node (`docker exec`, `kubectl exec`) does not load an
 * agent that would find the port taken and stop.
 */
import * as os from "node:os";
import * as path from "node:path";

/** The agent on Maven Central, and the digest the jar must have. */
export const METRICS_AGENT = {
    artifact: "io.prometheus.jmx:jmx_prometheus_javaagent:1.0.1",
    sha256: "7d61f737fd661610ccc14aea79764faa1ea94a340cbc8f0029b3d2edea3d80c1",
    /** Where `mvn dependency:get -Dartifact=...` puts it. */
    defaultPath: path.join(os.homedir(), ".m2/repository/io/prometheus/jmx/jmx_prometheus_javaagent/1.0.1/jmx_prometheus_javaagent-1.0.1.jar"),
} as const;

/** Where, inside a node, the agent and its rules are: one directory, written before the JVM starts. */
export const METRICS_DIR = "/kafka-env/metrics";
export const METRICS_JAR = `${METRICS_DIR}/jmx_prometheus_javaagent.jar`;

export type RulesKind = "kafka" | "zookeeper";

export function rulesKind(node: { readonly roles: readonly string[] }): RulesKind {
    return node.roles.includes("zookeeper") ? "zookeeper" : "kafka";
}

/** The rules file of a node, in `METRICS_DIR`. */
export function rulesFile(kind: RulesKind): string {
    return `${METRICS_DIR}/${kind}.yaml`;
}

/** The JVM option that loads the agent, serving `port` with the rules of `kind`. */
export function agentOption(port: number, kind: RulesKind): string {
    return `-javaagent:${METRICS_JAR}=${port}:${rulesFile(kind)}`;
}

/**
 * Bash that adds the agent to `KAFKA_OPTS` (after whatever it holds, such as a JAAS file) in the
 * launcher only, just before the image's run script starts the JVM.
 */
export function agentLaunchLines(port: number, kind: RulesKind): string[] {
    return [`export KAFKA_OPTS="\${KAFKA_OPTS:+$KAFKA_OPTS }${agentOption(port, kind)}"`];
}

/** Where `/metrics` of a node is, as a URL from the same network. */
export function metricsUrl(host: string, port: number): string {
    return `http://${host}:${port}/metrics`;
}
