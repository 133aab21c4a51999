/**
 * Topic configs and broker properties, checked before anything runs against Kafka's own definitions
 * (`kafkaDefinitions.ts`) for the Kafka release of `images.kafka`: a value Kafka would refuse when
 * the topic is created (or the broker starts) is reported now, with every other problem.
 *
 * Topic configs: a key Kafka does not know is refused (Kafka refuses the topic). Broker properties:
 * the keys kafka-env derives are refused; a key Kafka does not know is refused only when it is a
 * topic config's name, a property of another release only, or a near typo of a known property
 * (Kafka would ignore it); any other key passes (plugins, `listener.name.*` prefixes).
 */
import { Definition, Definitions, Scope, everyLine, refusal, scopeOf } from "./kafkaDefinitions";
import { show } from "./problems";
import { ResolvedConfig } from "./resolve";
import { closest, editDistance } from "./shape";

type Add = (path: string, message: string) => void;

/** Broker properties kafka-env derives itself; `brokerConfig` may not set them. */
const OWNED_PROPERTIES: Readonly<Record<string, string>> = {
    "broker.id": "derived from the node's position",
    "node.id": "derived from the node's position",
    "process.roles": "derived from cluster.mode and cluster.kraft",
    listeners: "derived from cluster.listeners",
    "advertised.listeners": "derived from cluster.listeners",
    "listener.security.protocol.map": "derived from cluster.listeners",
    "inter.broker.listener.name": "derived from cluster.listeners",
    "controller.listener.names": "derived from cluster.listeners",
    "controller.quorum.voters": "derived from cluster.kraft",
    "controller.quorum.bootstrap.servers": "derived from cluster.kraft",
    "zookeeper.connect": "derived from cluster.zookeeper",
    "log.dirs": "the data volume's path",
    "log.dir": "the data volume's path",
    "default.replication.factor": "set cluster.replication.defaultReplicationFactor instead",
    "min.insync.replicas": "set cluster.replication.minInsyncReplicas instead",
    "num.partitions": "set cluster.replication.numPartitions instead",
    "offsets.topic.replication.factor": "set cluster.replication.offsetsTopicReplicationFactor instead",
    "transaction.state.log.replication.factor": "set cluster.replication.transactionStateLogReplicationFactor instead",
    "transaction.state.log.min.isr": "set cluster.replication.transactionStateLogMinIsr instead",
};

/** Sizes Kafka accepts below -1 and reads as "no limit": a value such as -5 is a mistake. */
const NO_LIMIT_BELOW_MINUS_ONE = ["retention.bytes", "log.retention.bytes"];

/** A broker key this close to a known property is taken for a typo of it. */
const BROKER_TYPO_DISTANCE = 2;

export function checkTopicConfigs(c: ResolvedConfig, add: Add): void {
    const scope = scopeOf(c.images.kafka);
    c.topics.forEach((t, i) => {
        const path = `topics[${t.name === "" ? i : show(t.name)}].config`;
        for (const [key, value] of Object.entries(t.config)) {
            const message = unknownTopicConfig(scope, key) ?? valueProblem(scope, "topic", key, value);
            if (message) add(`${path}.${key}`, message);
        }
    });
}

export function checkBrokerConfig(c: ResolvedConfig, add: Add): void {
    const scope = scopeOf(c.images.kafka);
    for (const [key, value] of Object.entries(c.brokerConfig)) {
        const owner = OWNED_PROPERTIES[key];
        const message = owner
            ? `is managed by kafka-env (${owner}); remove it from cluster.brokerConfig`
            : (unknownBrokerProperty(scope, key) ?? valueProblem(scope, "broker", key, value));
        if (message) add(`brokerConfig.${key}`, message);
    }
}

/** Whether a topic config is valid is decided by whichever line's definitions are in scope. */
function valueProblem(scope: Scope, kind: "topic" | "broker", key: string, value: string): string | undefined {
    if (NO_LIMIT_BELOW_MINUS_ONE.includes(key) && /^\s*-\d+\s*$/.test(value) && BigInt(value.trim()) < -1n) {
        return `is ${show(value)}; ${key} is -1 (no limit) or a size in bytes (Kafka reads every negative value as no limit: write -1)`;
    }
    const refusals: { label: string; body?: string }[] = [];
    for (const { label, defs } of scope.lines) {
        const d: Definition | undefined = defs[kind][key];
        if (d) refusals.push({ label, body: refusal(key, d, value) });
    }
    // Refused only when every line that knows the key refuses the value.
    if (refusals.length === 0 || refusals.some((r) => r.body === undefined)) return undefined;
    const same = refusals.every((r) => r.body === refusals[0].body);
    const chosen = refusals[refusals.length - 1];
    return `is ${show(value)}; for ${same && refusals.length === scope.lines.length ? scope.label : chosen.label}, ${chosen.body}`;
}

function unknownTopicConfig(scope: Scope, key: string): string | undefined {
    if (scope.lines.some(({ defs }) => defs.topic[key] !== undefined)) return undefined;
    const newest = scope.lines[scope.lines.length - 1].defs;
    const head = `is not a topic config of ${scope.label}`;
    const topicConfig = Object.entries(newest.topic).find(([, d]) => d.broker === key)?.[0];
    if (topicConfig) return `${head} but the broker property for its default; set "${topicConfig}" here, or ${key} in cluster.brokerConfig`;
    const elsewhere = otherLines(scope, (d) => d.topic[key] !== undefined);
    if (elsewhere) return `${head} (only of ${elsewhere}); remove it`;
    const guess = closest(key, Object.keys(newest.topic));
    return guess ? `${head}; did you mean "${guess}"?` : `${head}, which would refuse the topic; correct its name or remove it`;
}

function unknownBrokerProperty(scope: Scope, key: string): string | undefined {
    if (scope.lines.some(({ defs }) => defs.broker[key] !== undefined)) return undefined;
    const newest = scope.lines[scope.lines.length - 1].defs;
    const head = `is not a broker property of ${scope.label}, which would ignore it`;
    const synonym = newest.topic[key]?.broker;
    if (synonym) return `is a topic config, not a broker property (${scope.label} would ignore it); the brokers' default for every topic is "${synonym}"`;
    const elsewhere = otherLines(scope, (d) => d.broker[key] !== undefined);
    if (elsewhere) return `is not a broker property of ${scope.label} (only of ${elsewhere}), which would ignore it; remove it`;
    const near = Object.keys(newest.broker).filter((k) => editDistance(key, k) <= BROKER_TYPO_DISTANCE);
    return near.length === 1 ? `${head}; did you mean "${near[0]}"?` : undefined;
}

/** `Kafka 3.8, 3.9`: the known lines outside the scope that have the key. */
function otherLines(scope: Scope, has: (d: Definitions) => boolean): string | undefined {
    const inScope = new Set(scope.lines.map((l) => l.line));
    const lines = everyLine().lines.filter((l) => !inScope.has(l.line) && has(l.defs));
    return lines.length > 0 ? `Kafka ${lines.map((l) => l.line).join(", ")}` : undefined;
}
