/**
 * What a change of one setting does to a running cluster: `safe`, `restart` (which nodes) or
 * `dangerous` (data loss, blocked writes, a different cluster), with a one-line reason. Day-2
 * knowledge, kept in the model next to the restart plan it builds on. What the cluster guard
 * refuses is not decided here: `withRefusals` (verdict.ts) lays the guard's refusals over these.
 */
import { day2Facts, kafkaVersionOf, showVersion, versionStep } from "./day2";
import { ResolvedConfig, ResolvedTopic } from "./resolve";
import { groupTemplates } from "./nodeTemplates";
import { OPEN_ADDRESSES, authenticated, securityVerdict } from "./securityRisks";
import { topicSettings } from "./topicSettings";
import { isBroker } from "./types";
import { ChangeContext, Verdict, dangerous, restart, restartsFor, safe, withRestarts } from "./verdict";

/** `cluster.replication.<key>` -> the broker property it sets. */
const REPLICATION_PROPERTIES: Readonly<Record<string, string>> = {
    defaultReplicationFactor: "default.replication.factor",
    minInsyncReplicas: "min.insync.replicas",
    numPartitions: "num.partitions",
    offsetsTopicReplicationFactor: "offsets.topic.replication.factor",
    transactionStateLogReplicationFactor: "transaction.state.log.replication.factor",
    transactionStateLogMinIsr: "transaction.state.log.min.isr",
};

/** The verdict on a cluster-level setting (`cluster.<...>`, topics excepted). */
export function clusterVerdict(c: ChangeContext, path: string, before: unknown, after: unknown): Verdict {
    const key = path.slice("cluster.".length);
    const kafkaNodes = (r: { roles: readonly string[] }) => !r.roles.includes("zookeeper");
    if (key === "name")
        return dangerous("every container, volume and object name derives from it: a new cluster is created and the old one is deleted with its data");
    // Mode, quorum, ensemble and cluster id of a cluster the guard has deployed read `refused`
    // (verdict.ts); these verdicts are for a new guard (another name or target).
    if (key === "mode")
        return dangerous(
            `${String(before)} → ${String(after)} is a different cluster: metadata and data are not migrated, and the nodes cannot start on the old volumes`,
        );
    if (key === "brokers") return brokerCount(c, before as number, after as number);
    if (key === "replication.minInsyncReplicas") {
        const blocked = blockedByMinIsr(c.after.config, after as number);
        const rolls = restartsFor(c, ["min.insync.replicas"]);
        return blocked ? withRestarts(dangerous(`${blocked}: one broker down blocks every acks=all write there`), rolls) : rolls;
    }
    if (key === "replication.transactionStateLogMinIsr" && (after as number) >= c.after.config.replication.transactionStateLogReplicationFactor) {
        const factor = c.after.config.replication.transactionStateLogReplicationFactor;
        return withRestarts(
            dangerous(
                `transaction.state.log.min.isr ${String(after)} ≥ transaction.state.log.replication.factor ${factor}: one broker down blocks every transaction commit`,
            ),
            restartsFor(c, ["transaction.state.log.min.isr"]),
        );
    }
    if (key.startsWith("replication.")) return restartsFor(c, [REPLICATION_PROPERTIES[key.slice("replication.".length)]]);
    if (key === "zookeeper.nodes") return dangerous("resizing a ZooKeeper ensemble by restarting it can split it: keep the size, or recreate the cluster");
    if (["kraft.controllers", "kraft.dedicatedControllers"].includes(key))
        return dangerous("the KRaft controller quorum changes: a static quorum cannot gain or lose voters by a restart");
    if (key === "kraft.clusterId") return dangerous("the volumes are formatted for the old cluster id: the nodes refuse to start on them");
    if (key === "listeners.bindAddress") return bindAddress(c, after as string);
    if (key === "images.kafka") return kafkaImage(c, before as string, after as string);
    if (key === "images.zookeeper") return restartsFor(c, ["image"], (r) => r.roles.includes("zookeeper"));
    if (key === "images.kafkaUi" || key.startsWith("kafkaUi.")) return safe("kafka-ui is recreated; the brokers are untouched");
    if (key === "heapOpts") return restartsFor(c, ["KAFKA_HEAP_OPTS"], kafkaNodes);
    if (key === "rebalanceOnScaleOut")
        return safe(
            after ? "brokers that join take a fair share of the topics' replicas" : "brokers that join stay empty until partitions are reassigned by hand",
        );
    if (key === "protectTopics")
        return safe(
            after
                ? "topics are protected: removing one or lowering its partitions stops pulumi up"
                : "topics are no longer protected: removing one or lowering its partitions will delete it and its data",
        );
    if (key.startsWith("brokerConfig[")) return brokerSetting(c, JSON.parse(key.slice("brokerConfig[".length, -1)) as string);
    if (key.startsWith("security.")) return securityVerdict(c, key, before, after);
    if (key.startsWith("metrics.")) return metricsVerdict(c, key);
    return restartsFor(c, "any");
}

/** The agent is loaded at a node's start: turning it on or off, or changing it while on, restarts every node. */
function metricsVerdict(c: ChangeContext, key: string): Verdict {
    const [was, is] = [c.before.config.metrics.enabled, c.after.config.metrics.enabled];
    if (!was && !is) return safe("metrics are off: nothing runs with this setting");
    const nodes = c.after.model.nodes.map((n) => n.name).join(", ");
    if (key === "metrics.hostPort" && c.after.target !== "docker") return safe("not used on Kubernetes (pods serve /metrics on their own address)");
    return restart(`every node ${key === "metrics.enabled" ? (is ? "loads" : "drops") : "reloads"} the metrics agent at start: restarts ${nodes}`);
}

function brokerCount(c: ChangeContext, before: number, after: number): Verdict {
    const names = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `kafka-${from + i + 1}`).join(", ");
    const docker = c.after.target === "docker";
    const many = Math.abs(after - before) > 1;
    // On Kubernetes the brokers' pods share one template naming their settings ConfigMap (one env file
    // per kind of broker, nodeTemplates.ts): a broker of the same kind leaves it as it is; a new kind
    // (KRaft's first broker-only node, a LoadBalancer address) changes it, and the StatefulSet rolls.
    const files = (side: ChangeContext["before"]) => JSON.stringify(groupTemplates(side.model.nodes.filter(isBroker)));
    const roll = docker || files(c.before) === files(c.after) ? "" : "; the other brokers restart one at a time (their settings ConfigMap changes)";
    if (after > before) {
        return safe(
            c.after.config.rebalanceOnScaleOut
                ? `${names(before, after)} join${many ? "" : "s"}, then a fair share of the topics' replicas moves onto ${many ? "them" : "it"} (rebalanceOnScaleOut)${roll}`
                : `${names(before, after)} join${many ? "" : "s"} empty: existing partitions stay where they are until reassigned${roll}`,
        );
    }
    const leaving = `${names(after, before)} ${many ? "are" : "is"} removed`;
    const gate = "(pulumi up stops before anything moves when a partition has more replicas than the brokers that stay)";
    const replicas = `after ${many ? "their" : "its"} replicas move to the brokers that stay ${gate}`;
    if (docker) return dangerous(`${leaving} with ${many ? "their data volumes" : "its data volume"}, ${replicas}`);
    return dangerous(
        `${leaving} ${replicas}${c.after.config.mode === "kraft" ? ", and unregistered" : ""}${roll}; ` +
            `${many ? "their claims are" : "its claim is"} kept (whenScaled: Retain): delete ${many ? "them" : "it"} by hand, or a later scale-out reuses the old data`,
    );
}

function bindAddress(c: ChangeContext, after: string): Verdict {
    if (c.after.target !== "docker") return safe("not used on Kubernetes (Services expose the brokers)");
    const rolls = restartsFor(c, ["published"]);
    const ui = c.after.config.kafkaUi;
    if (OPEN_ADDRESSES.includes(after) && authenticated(c.after.config) && ui.enabled && ui.username === undefined) {
        return withRestarts(
            dangerous(
                "published ports open on every network interface: kafka-ui has no login (kafkaUi.username), so anyone who reaches this machine uses Kafka through it",
            ),
            rolls,
        );
    }
    if (OPEN_ADDRESSES.includes(after) && !authenticated(c.after.config)) {
        return withRestarts(
            dangerous(
                "published ports (brokers, kafka-ui, ZooKeeper) open on every network interface: anyone who reaches this machine reaches Kafka, with no authentication",
            ),
            rolls,
        );
    }
    return rolls;
}

function kafkaImage(c: ChangeContext, before: string, after: string): Verdict {
    const rolls = restartsFor(c, ["image"], (r) => !r.roles.includes("zookeeper"));
    const [from, to] = [kafkaVersionOf(before), kafkaVersionOf(after)];
    if (from && to && (to.major < from.major || (to.major === from.major && to.minor < from.minor))) {
        return withRestarts(
            dangerous(`Kafka ${showVersion(from)} → ${showVersion(to)} is a downgrade: data and metadata written by the newer release may not be readable`),
            rolls,
        );
    }
    if (from && to && to.major !== from.major) {
        return withRestarts(
            dangerous(
                `Kafka ${showVersion(from)} → ${showVersion(to)} crosses a major version: removed features and protocols; upgrade one major step at a time and read the upgrade notes`,
            ),
            rolls,
        );
    }
    if (from && to && rolls.severity === "restart" && showVersion(from) !== showVersion(to)) {
        const step = versionStep(c.after.model.mode, before, after, day2Facts(c.after.model).interBrokerProtocol);
        const then = step.kind === "upgrade" && c.after.model.mode === "zookeeper" ? ` (then ${step.finalize})` : "";
        return restart(`Kafka ${showVersion(from)} → ${showVersion(to)} upgrade${then}; ${rolls.reason}`);
    }
    return rolls;
}

/** Topics (and internal topics) where `minIsr` ≥ the replication factor, as a sentence; undefined when none. */
function blockedByMinIsr(config: ResolvedConfig, minIsr: number): string | undefined {
    const names = config.topics
        .filter((t) => t.config["min.insync.replicas"] === undefined && minIsr >= t.replicationFactor)
        .map((t) => `"${t.name}" (replication factor ${t.replicationFactor})`);
    if (minIsr >= config.replication.offsetsTopicReplicationFactor)
        names.push(`__consumer_offsets (replication factor ${config.replication.offsetsTopicReplicationFactor})`);
    if (names.length === 0) return undefined;
    return `min.insync.replicas ${minIsr} ≥ the replication factor of ${names.length > 3 ? `${names.length} topics, e.g. ${names.slice(0, 3).join(", ")}` : names.join(", ")}`;
}

function brokerSetting(c: ChangeContext, property: string): Verdict {
    const rolls = restartsFor(c, [property]);
    const danger = topicSettings.brokerDefaultRisk(property, c.before.config.brokerConfig, c.after.config.brokerConfig);
    return danger ? withRestarts(dangerous(`${danger}, for every topic without its own setting`), rolls) : rolls;
}

/**
 * The verdict on a topic change. `key` is the path below the topic (`.partitions`,
 * `.config["retention.ms"]`), empty when the whole topic is added or removed.
 */
export function topicVerdict(c: ChangeContext, name: string, key: string, before?: ResolvedTopic, after?: ResolvedTopic): Verdict {
    if (!before && after) {
        const minIsr = effectiveMinIsr(c.after.config, after);
        const summary = `new topic: ${after.partitions} partitions, replication factor ${after.replicationFactor}`;
        return minIsr >= after.replicationFactor
            ? dangerous(`${summary}, min.insync.replicas ${minIsr} ≥ replication factor: one broker down blocks every acks=all write to it`)
            : safe(summary);
    }
    if (!before || !after)
        return dangerous(`topic "${name}" removed: the kafka provider deletes it and all its data (a protected topic stops pulumi up instead)`);
    if (key === ".partitions") {
        return after.partitions > before.partitions
            ? safe(
                  `more partitions: keyed messages will map to other partitions, so a key's new messages may land on a different partition than its old ones (per-key order breaks across the change)`,
              )
            : dangerous(
                  `Kafka cannot remove partitions: the topic would be deleted and recreated, losing its data (a protected topic stops pulumi up; the Kubernetes topics Job fails)`,
              );
    }
    if (key === ".replicationFactor") {
        const minIsr = effectiveMinIsr(c.after.config, after);
        const blocked =
            minIsr >= after.replicationFactor
                ? `; min.insync.replicas ${minIsr} ≥ ${after.replicationFactor}: one broker down blocks every acks=all write`
                : "";
        return dangerous(`replicas are reassigned: data is copied between brokers, or replicas are dropped (fewer copies survive a broker loss)${blocked}`);
    }
    if (key === ".protect")
        return safe(
            after.protect
                ? "protected: removing it or lowering its partitions stops pulumi up"
                : "no longer protected: removing it or lowering its partitions will delete it and its data",
        );
    const property = JSON.parse(key.slice(".config[".length, -1)) as string;
    if (property === "min.insync.replicas") {
        const minIsr = effectiveMinIsr(c.after.config, after);
        if (minIsr >= after.replicationFactor)
            return dangerous(
                `min.insync.replicas ${minIsr} ≥ replication factor ${after.replicationFactor}: one broker down blocks every acks=all write to it`,
            );
    }
    const danger = topicSettings.topicRisk(
        property,
        c.before.config.brokerConfig,
        c.after.config.brokerConfig,
        before.config[property],
        after.config[property],
    );
    return danger ? dangerous(danger) : safe("topic config, applied in place without a restart");
}

function effectiveMinIsr(config: ResolvedConfig, topic: ResolvedTopic): number {
    const own = topic.config["min.insync.replicas"];
    return own !== undefined ? Number(own) : config.replication.minInsyncReplicas;
}
