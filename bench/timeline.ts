/**
 * What the engine and each node's own logs say about a start-up: when a container started, when
 * the node logged itself ready, when its healthcheck first passed. Shared by the profile
 * (bench/profile.ts) and the start-up benchmark (bench/e2e-startup.ts).
 */
import { docker, inspect } from "../e2e/lib/docker";
import { NodeModel } from "../components/model";

/** The first log line that means "ready", by role: printed once the node serves requests. */
const READY: Record<string, RegExp> = {
    // ZooKeeperServer.startup ends with the request processors; `srvr` answers from then on.
    zookeeper: /PrepRequestProcessor \(sid:\d+\) started|Snapshot taken in/,
    // KafkaServer (ZooKeeper mode) and KafkaRaftServer/BrokerServer (KRaft) after request processing is enabled.
    broker: /\[KafkaServer id=\d+\] started|Kafka Server started|Transition from STARTING to STARTED/,
    controller: /\[ControllerServer id=\d+\] Finished waiting for the controller|Kafka Server started|Transition from STARTING to STARTED/,
};

export interface NodeTimes {
    readonly container: string;
    /** Epoch milliseconds. */
    readonly started: number;
    readonly ready?: number;
    readonly healthy?: number;
}

/** `2026-11-28T12:00:00.123456789Z` (or with an offset) -> epoch ms; Date only takes milliseconds. */
export function parseTime(s: string): number {
    const t = Date.parse(
        s
            .trim()
            .replace(/(\.\d{3})\d+/, "$1")
            .replace(/ \+0000 UTC$/, "Z")
            .replace(" ", "T"),
    );
    if (Number.isNaN(t)) throw new Error(`cannot parse time ${JSON.stringify(s)}`);
    return t;
}

/**
 * A log line's time: Kafka's and ZooKeeper's own log4j stamp (`[2026-11-28 12:52:32,842]`, the
 * containers run in UTC) to the millisecond, else the engine's (Podman's has whole seconds).
 */
function lineTime(line: string): number {
    const log4j = /\[(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d),(\d{3})\]/.exec(line);
    return log4j ? parseTime(`${log4j[1]}T${log4j[2]}.${log4j[3]}Z`) : parseTime(line.slice(0, line.indexOf(" ")));
}

function readyPattern(node: Pick<NodeModel, "roles">): RegExp {
    return READY[node.roles.includes("broker") ? "broker" : node.roles.includes("controller") ? "controller" : "zookeeper"];
}

/** The container's start, its node's first "ready" log line and its first passing healthcheck. */
export function nodeTimes(container: string, node: Pick<NodeModel, "roles">): NodeTimes {
    const started = parseTime(inspect(container, "{{.State.StartedAt}}"));
    const pattern = readyPattern(node);
    const logs = docker(["logs", "--timestamps", container], { allowFailure: true }).split("\n");
    const line = logs.find((l) => pattern.test(l));
    const ready = line ? lineTime(line) : undefined;
    const health = JSON.parse(inspect(container, "{{json .State.Health}}") || "null") as { Log?: { End: string; ExitCode: number }[] } | null;
    const passed = (health?.Log ?? []).filter((l) => l.ExitCode === 0).map((l) => parseTime(l.End));
    return { container, started, ready, healthy: passed.length > 0 ? Math.min(...passed) : undefined };
}

/**
 * The floor of a start-up: the slowest chain of "container start -> ready" over the nodes that
 * must wait for each other (ZooKeeper, then the brokers; KRaft nodes all start together).
 */
export function floorSeconds(nodes: readonly { node: Pick<NodeModel, "roles">; times: NodeTimes }[]): number {
    const span = (t: NodeTimes) => ((t.ready ?? t.healthy ?? t.started) - t.started) / 1000;
    const slowest = (xs: typeof nodes) => Math.max(0, ...xs.map((x) => span(x.times)));
    const zookeeper = nodes.filter((x) => x.node.roles.includes("zookeeper"));
    return slowest(zookeeper) + slowest(nodes.filter((x) => !x.node.roles.includes("zookeeper")));
}

export function median(xs: readonly number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    const mid = Math.floor(s.length / 2);
    return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
