/**
 * Semantic checks on a resolved configuration. Each rule adds problems; none throws, so a user
 * sees every mistake at once (as Strimzi's validators and Bitnami's `validateValues` do).
 */
import { isIP } from "node:net";
import { ClusterConfig } from "./config";
import { heapOptsProblem } from "./heap";
import { checkBrokerConfig, checkTopicConfigs } from "./kafkaSettings";
import { Problem, show } from "./problems";
import { ResolvedConfig, ResolvedTopic } from "./resolve";

/** Facts about secrets, which live outside `kafka-env:cluster`. */
export interface ValidateContext {
    /** Whether the secret `kafka-env:kafkaUiPassword` is set. */
    readonly hasKafkaUiPassword: boolean;
}

/** Replication keys whose defaults come from other keys. */
const DERIVED_REPLICATION_KEYS: readonly string[] = ["offsetsTopicReplicationFactor", "transactionStateLogReplicationFactor", "transactionStateLogMinIsr"];

const TOPIC_NAME = /^[a-zA-Z0-9._-]+$/;
const MAX_TOPIC_NAME = 249;
const ENV_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const MAX_ENV_NAME = 40;
const CLUSTER_ID = /^[A-Za-z0-9_-]{22}$/;

export function validate(raw: ClusterConfig, c: ResolvedConfig, context: ValidateContext): Problem[] {
    const problems: Problem[] = [];
    const add = (path: string, message: string) => problems.push({ path: `cluster.${path}`, message });

    checkName(c, add);
    checkBrokers(c, add);
    checkReplication(raw, c, add);
    checkModeKeys(raw, c, add);
    checkQuorum(c, add);
    checkImages(c, add);
    checkListeners(c, add);
    checkPorts(c, add);
    checkHeapOpts(c, add);
    checkBrokerConfig(c, add);
    checkTopics(raw, c, add);
    checkTopicConfigs(c, add);
    checkKafkaUi(c, context, add);
    return problems;
}

type Add = (path: string, message: string) => void;

function checkName(c: ResolvedConfig, add: Add) {
    if (!ENV_NAME.test(c.name) || c.name.length > MAX_ENV_NAME) {
        add("name", `is ${show(c.name)}; use at most ${MAX_ENV_NAME} lower-case letters, digits and '-', starting and ending with a letter or digit`);
    }
}

function checkBrokers(c: ResolvedConfig, add: Add) {
    if (c.brokers < 1) add("brokers", `is ${c.brokers}; a cluster needs at least 1 broker`);
}

function checkReplication(raw: ClusterConfig, c: ResolvedConfig, add: Add) {
    const r = c.replication;
    const atMostBrokers = (key: keyof typeof r) => {
        // A value derived from another key is that key's problem, reported once, there.
        if (raw.replication?.[key] === undefined && DERIVED_REPLICATION_KEYS.includes(key)) return;
        if (r[key] < 1) add(`replication.${key}`, `is ${r[key]}; set it to at least 1`);
        else if (c.brokers >= 1 && r[key] > c.brokers) {
            add(`replication.${key}`, `is ${r[key]} but only ${brokerCount(c.brokers)} configured; set it to ${c.brokers} or fewer`);
        }
    };
    atMostBrokers("defaultReplicationFactor");
    atMostBrokers("offsetsTopicReplicationFactor");
    atMostBrokers("transactionStateLogReplicationFactor");
    atMostBrokers("minInsyncReplicas");
    atMostBrokers("transactionStateLogMinIsr");
    if (r.numPartitions < 1) add("replication.numPartitions", `is ${r.numPartitions}; set it to at least 1`);
    if (r.minInsyncReplicas > r.defaultReplicationFactor && r.minInsyncReplicas <= c.brokers) {
        add(
            "replication.minInsyncReplicas",
            `is ${r.minInsyncReplicas}, above defaultReplicationFactor ${r.defaultReplicationFactor}: producers with acks=all could never write; set it to ${r.defaultReplicationFactor} or fewer`,
        );
    }
    if (r.transactionStateLogMinIsr > r.transactionStateLogReplicationFactor && r.transactionStateLogMinIsr <= c.brokers) {
        add(
            "replication.transactionStateLogMinIsr",
            `is ${r.transactionStateLogMinIsr}, above transactionStateLogReplicationFactor ${r.transactionStateLogReplicationFactor}; set it to ${r.transactionStateLogReplicationFactor} or fewer`,
        );
    }
}

function checkModeKeys(raw: ClusterConfig, c: ResolvedConfig, add: Add) {
    const other = c.mode === "zookeeper" ? "kraft" : "zookeeper";
    if (raw[other] !== undefined) {
        add(other, `is set but cluster.mode is "${c.mode}"; remove cluster.${other} or set cluster.mode to "${other}"`);
    }
    if (c.mode === "kraft" && raw.images?.zookeeper !== undefined) {
        add("images.zookeeper", `is set but cluster.mode is "kraft", which runs no ZooKeeper; remove it or set cluster.mode to "zookeeper"`);
    }
}

function checkQuorum(c: ResolvedConfig, add: Add) {
    if (c.zookeeper) {
        const n = c.zookeeper.nodes;
        if (n < 1 || n % 2 === 0) {
            add("zookeeper.nodes", `is ${n}; a ZooKeeper ensemble needs an odd number of nodes (1, 3 or 5) to keep a majority`);
        }
    }
    if (c.kraft) {
        const { controllers, dedicatedControllers, clusterId } = c.kraft;
        if (controllers < 1 || controllers % 2 === 0) {
            add("kraft.controllers", `is ${controllers}; a KRaft quorum needs an odd number of controllers (1, 3 or 5) to keep a majority`);
        } else if (!dedicatedControllers && c.brokers >= 1 && controllers > c.brokers) {
            add(
                "kraft.controllers",
                `is ${controllers} but only ${brokerCount(c.brokers)} configured to host them; set it to ${largestOddAtMost(c.brokers)} or set cluster.kraft.dedicatedControllers to true`,
            );
        }
        if (!CLUSTER_ID.test(clusterId)) {
            add("kraft.clusterId", `is ${show(clusterId)}; a cluster id is 22 characters of base64url (the output of 'kafka-storage random-uuid')`);
        }
    }
}

function checkImages(c: ResolvedConfig, add: Add) {
    const images: [string, string | undefined][] = [
        ["images.kafka", c.images.kafka],
        ["images.zookeeper", c.images.zookeeper],
        ["images.kafkaUi", c.images.kafkaUi],
    ];
    for (const [path, image] of images) {
        if (image === undefined) continue;
        const tag = imageTag(image);
        if (!image.includes("@") && (tag === undefined || tag === "latest")) {
            add(path, `is ${show(image)}, which is not pinned; name a version tag (for example ${show(`${image.split(":")[0]}:1.2.3`)}) or a digest`);
        }
    }
    if (c.mode === "zookeeper") {
        const major = majorVersion(c.images.kafka);
        const repo = c.images.kafka.split(/[:@]/)[0];
        if (major !== undefined && ((repo.endsWith("cp-kafka") && major >= 8) || (repo.endsWith("apache/kafka") && major >= 4))) {
            add(
                "images.kafka",
                `is ${show(c.images.kafka)}, which cannot run ZooKeeper mode (cp-kafka 8 and Apache Kafka 4 are KRaft only); use confluentinc/cp-kafka:7.9.x or set cluster.mode to "kraft"`,
            );
        }
    }
}

function checkListeners(c: ResolvedConfig, add: Add) {
    const l = c.listeners;
    if (isIP(l.bindAddress) === 0) {
        add("listeners.bindAddress", `is ${show(l.bindAddress)}; use an IP address such as "127.0.0.1" (host only) or "0.0.0.0" (every interface)`);
    }
    if (l.advertisedHost.trim() === "" || /[\s/:]/.test(l.advertisedHost)) {
        add("listeners.advertisedHost", `is ${show(l.advertisedHost)}; use a bare host name or address such as "localhost"`);
    }
    if (c.mode === "kraft" && l.controllerPort === l.internalPort) {
        add("listeners.controllerPort", `is ${l.controllerPort}, the same as listeners.internalPort; give each listener its own port`);
    }
    const lastExternal = l.externalPort + c.brokers - 1;
    for (const [key, p] of [
        ["internalPort", l.internalPort],
        ["controllerPort", l.controllerPort],
    ] as const) {
        if (key === "controllerPort" && c.mode !== "kraft") continue;
        if (c.brokers >= 1 && p >= l.externalPort && p <= lastExternal) {
            add(`listeners.${key}`, `is ${p}, inside the external ports ${l.externalPort}-${lastExternal} of the brokers; choose a port outside that range`);
        }
    }
    if (lastExternal > 65535) {
        add("listeners.externalPort", `is ${l.externalPort}; with ${brokerCount(c.brokers)} the last external port would be ${lastExternal}, above 65535`);
    }
}

function checkPorts(c: ResolvedConfig, add: Add) {
    const published: [string, number][] = [];
    for (let i = 0; i < c.brokers; i++) published.push([`listeners.externalPort (broker ${i + 1})`, c.listeners.externalPort + i]);
    if (c.kafkaUi.enabled) published.push(["kafkaUi.port", c.kafkaUi.port]);
    if (c.zookeeper?.hostPort !== undefined) published.push(["zookeeper.hostPort", c.zookeeper.hostPort]);
    const m = c.metrics;
    const nodes = c.brokers + (c.zookeeper?.nodes ?? 0) + (c.kraft?.dedicatedControllers ? c.kraft.controllers : 0);
    if (m.enabled && m.hostPort !== undefined) for (let i = 0; i < nodes; i++) published.push([`metrics.hostPort (node ${i + 1})`, m.hostPort + i]);
    const inside: [string, number][] = [
        ["listeners.internalPort", c.listeners.internalPort],
        ["listeners.controllerPort", c.listeners.controllerPort],
        ["listeners.externalPort", c.listeners.externalPort],
        ["zookeeper.clientPort", c.zookeeper?.clientPort ?? -1],
    ];
    const taken = inside.find(([, p]) => p === m.port);
    if (m.enabled && taken) add("metrics.port", `is ${m.port}, the port of ${taken[0]}; give /metrics a port of its own`);
    const seen = new Map<number, string>();
    for (const [path, port] of published) {
        const first = seen.get(port);
        if (first !== undefined) {
            add(path.split(" ")[0], `publishes host port ${port}, which ${first} already uses; give each published port its own number`);
        } else {
            seen.set(port, path);
        }
    }
}

function checkHeapOpts(c: ResolvedConfig, add: Add) {
    const problem = heapOptsProblem(c.heapOpts);
    if (problem) add("heapOpts", problem);
}

function checkTopics(raw: ClusterConfig, c: ResolvedConfig, add: Add) {
    const explicitRf = new Set((raw.topics ?? []).filter((t) => t.replicationFactor !== undefined).map((t) => t.name));
    const byName = new Map<string, number>();
    const byMetricName = new Map<string, string>();
    c.topics.forEach((t, i) => {
        const path = `topics[${t.name === "" ? i : show(t.name)}]`;
        checkTopicName(t, path, add);
        const seen = byName.get(t.name);
        byName.set(t.name, (seen ?? 0) + 1);
        if (seen === 1) add(`${path}.name`, `${show(t.name)} is listed more than once; list each topic once`);
        const metricName = t.name.replace(/\./g, "_");
        const clash = byMetricName.get(metricName);
        if (clash !== undefined && clash !== t.name) {
            add(
                `${path}.name`,
                `${show(t.name)} collides with ${show(clash)}: Kafka treats '.' and '_' alike in metric names and refuses the second; rename one`,
            );
        }
        byMetricName.set(metricName, t.name);
        if (t.partitions < 1) add(`${path}.partitions`, `is ${t.partitions}; a topic needs at least 1 partition`);
        checkTopicReplication(c, t, path, explicitRf.has(t.name), add);
    });
}

function checkTopicName(t: ResolvedTopic, path: string, add: Add) {
    const n = t.name;
    if (n === "") add(`${path}.name`, "is empty; give the topic a name");
    else if (n === "." || n === "..") add(`${path}.name`, `is ${show(n)}, which Kafka refuses; choose another name`);
    else if (n.length > MAX_TOPIC_NAME) add(`${path}.name`, `is ${n.length} characters long; Kafka allows at most ${MAX_TOPIC_NAME}`);
    else if (!TOPIC_NAME.test(n)) {
        const bad = [...new Set(n.replace(/[a-zA-Z0-9._-]/g, ""))].map((ch) => show(ch)).join(", ");
        add(`${path}.name`, `contains ${bad}; topic names may use only letters, digits, '.', '_' and '-'`);
    }
}

/** `explicit`: the topic sets its own factor; an inherited default was checked with the cluster's. */
function checkTopicReplication(c: ResolvedConfig, t: ResolvedTopic, path: string, explicit: boolean, add: Add) {
    const own = t.config["min.insync.replicas"];
    if (!explicit && own === undefined) return;
    if (t.replicationFactor < 1) {
        add(`${path}.replicationFactor`, `is ${t.replicationFactor}; set it to at least 1`);
        return;
    }
    if (c.brokers >= 1 && t.replicationFactor > c.brokers) {
        add(`${path}.replicationFactor`, `is ${t.replicationFactor} but only ${brokerCount(c.brokers)} configured; set it to ${c.brokers} or fewer`);
        return;
    }
    const minIsr = own !== undefined ? Number(own) : c.replication.minInsyncReplicas;
    // A value Kafka refuses is reported with the topic's other configs (checkTopicConfigs).
    if (!Number.isInteger(minIsr) || minIsr < 1) return;
    if (minIsr > t.replicationFactor) {
        const source = own !== undefined ? "its config min.insync.replicas" : "cluster.replication.minInsyncReplicas";
        add(
            `${path}.replicationFactor`,
            `is ${t.replicationFactor}, below ${source} ${minIsr}: producers with acks=all could never write; raise the replication factor or set the topic's config "min.insync.replicas" to ${t.replicationFactor}`,
        );
    }
}

function checkKafkaUi(c: ResolvedConfig, context: ValidateContext, add: Add) {
    if (c.kafkaUi.enabled && c.kafkaUi.username !== undefined && !context.hasKafkaUiPassword) {
        add("kafkaUi.username", "is set but the secret kafka-env:kafkaUiPassword is not; run `pulumi config set --secret kafkaUiPassword <password>`");
    }
}

function brokerCount(n: number): string {
    return n === 1 ? "1 broker is" : `${n} brokers are`;
}

function largestOddAtMost(n: number): number {
    return n % 2 === 1 ? n : n - 1;
}

function imageTag(image: string): string | undefined {
    const lastSegment = image.slice(image.lastIndexOf("/") + 1);
    const colon = lastSegment.indexOf(":");
    return colon === -1 ? undefined : lastSegment.slice(colon + 1);
}

function majorVersion(image: string): number | undefined {
    const match = /^v?(\d+)\./.exec(imageTag(image) ?? "");
    return match ? Number(match[1]) : undefined;
}
