/**
 * The images' configuration contracts: how a node's settings become environment variables, where
 * the images keep their data, and how to ask a node whether it is ready.
 *
 * confluentinc/cp-kafka and apache/kafka share one rule: every `KAFKA_*` variable becomes a server
 * property (strip `KAFKA_`, lower-case, `_` -> `.`, `__` -> `_`, `___` -> `-`). cp-zookeeper reads
 * `ZOOKEEPER_*` variables.
 */
import { AdminAccess, adminArgs } from "./admin";
import { brokerReadyCommand } from "./brokerReady";
import { PROBE_PORT } from "./security";
import type { NodeModel } from "./types";

/** Where both Kafka images expect their data volume; a volume is mounted here. */
export const KAFKA_DATA_DIR = "/var/lib/kafka/data";
/**
 * Kafka's log directory, one level below the mount (as Strimzi does): a fresh file system's
 * `lost+found` at the mount's root is then never mistaken for a partition directory.
 */
export const KAFKA_LOG_DIR = `${KAFKA_DATA_DIR}/logs`;
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
    return `${kafkaToolVar(tool)}; "$t" ${args}`;
}

/** A bash command that runs Kafka's `tool` as the cluster's admin (admin.ts): `adminArgs`, then `args`. */
export function adminTool(access: AdminAccess, tool: string, args: string): string {
    return kafkaTool(tool, `${adminArgs(access, tool)} ${args}`);
}

/** Sets `$t` to Kafka's `tool`, in either image family (Confluent's on the PATH, Apache's under /opt/kafka/bin). */
export function kafkaToolVar(tool: string): string {
    return `t=$(command -v ${tool} || echo /opt/kafka/bin/${tool}.sh)`;
}

/**
 * A JVM for a tool that runs as a check, again and again beside the node it asks: a small heap (the
 * tool would otherwise inherit the node's `KAFKA_HEAP_OPTS`), the serial collector and the client
 * compiler only. Measured in a broker container, `kafka-topics --describe`: 0.9-1.1 s of CPU
 * against 1.4-1.6 s with the image's defaults.
 */
const CHECK_JVM = "KAFKA_HEAP_OPTS=-Xmx128m KAFKA_JVM_PERFORMANCE_OPTS='-XX:+UseSerialGC -XX:TieredStopAtLevel=1'";

/** `kafkaTool` for checks (healthchecks, readiness, the roll gates' in-sync check): with `CHECK_JVM`. */
export function kafkaCheckTool(tool: string, args: string): string {
    return `${kafkaToolVar(tool)}; ${CHECK_JVM} "$t" ${args}`;
}

/** A check of a broker, from inside its node, as `access` says (`toolConnection`). */
function brokerCheck(access: AdminAccess, tool: string, args: string): string {
    return kafkaCheckTool(tool, `${adminArgs(access, tool)} ${args}`);
}

/**
 * An ApiVersions request (version 0: size 12, api key 18, version 0, correlation id 1, client id
 * "hc"), as bash's `printf` writes it; and what the answer starts with after its 4-byte size:
 * correlation id 1, error code 0.
 */
const API_VERSIONS_V0 = String.raw`\x00\x00\x00\x0c\x00\x12\x00\x00\x00\x00\x00\x01\x00\x02hc`;
const API_VERSIONS_OK = "000000010000";

/** The same request as bytes, for checks written in TypeScript (the bootstrap reachability wait). */
export function apiVersionsRequest(): Buffer {
    return Buffer.from(
        API_VERSIONS_V0.replace(/\\x([0-9a-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
        "latin1",
    );
}

/** Whether `answer` (after its 4-byte size) is the reply to that request with no error. */
export function apiVersionsAnswered(answer: Buffer): boolean {
    return answer.length >= 10 && answer.subarray(4, 10).toString("hex") === API_VERSIONS_OK;
}

/**
 * How long a cheap check keeps asking (every 0.25 s) before it fails: a node becomes healthy within
 * a quarter of a second of being ready, whatever the engine's schedule (Docker runs checks at their
 * interval, 10 s, also while a node starts; its faster start-up schedule needs API 1.44, which
 * Podman 4 lacks). Well inside the checks' 15 s timeout.
 */
export const CHECK_WAIT_SECONDS = 10;

/** `check` (bash) again and again, in a subshell each time, until it passes or `seconds` pass. */
function waiting(check: string, seconds: number): string {
    return `end=$((SECONDS + ${seconds})); until (${check}); do [ "$SECONDS" -lt "$end" ] || exit 1; sleep 0.25; done`;
}

/**
 * Ready when the broker answers an ApiVersions request with no error on its INTERNAL listener,
 * sent from bash over `/dev/tcp`: `kafka-broker-api-versions` asks the same, but starts a JVM for
 * every check (9 to 13 s on a busy 2-core machine, measured; every few seconds on every broker).
 * A broker accepts connections before it processes requests: an answer not there within 5 s is
 * asked again.
 */
export function brokerHealthcheck(internalPort: number, waitSeconds = CHECK_WAIT_SECONDS): string {
    const once = [
        `exec 3<>/dev/tcp/127.0.0.1/${internalPort}`,
        `printf '${API_VERSIONS_V0}' >&3`,
        `r=$(timeout 5 head -c 10 <&3 | od -An -v -tx1 | tr -d ' \\n')`,
        `[ "\${r:8}" = ${API_VERSIONS_OK} ]`,
    ].join(" && ");
    return waiting(once, waitSeconds);
}

/**
 * Prints the partitions that are not fully in sync (a replica out of the ISR, or no leader), and
 * nothing when every partition is: Kafka's own `kafka-topics --describe` reports, asked of a
 * broker from inside it as `access` says (`toolConnection({ inside: broker })`). One run prints
 * both reports (a partition that is in either).
 */
export function outOfSyncPartitions(access: AdminAccess): string {
    return brokerCheck(access, "kafka-topics", "--describe --under-replicated-partitions --unavailable-partitions");
}

/**
 * Kubernetes' readiness probe: a broker is ready when it answers and is caught up, in the ISR of
 * every partition it holds a replica of (brokerReady.ts: one Metadata request from bash, no JVM).
 * Other nodes use their healthcheck.
 */
export function readinessCommand(node: NodeModel): string {
    if (!node.roles.includes("broker")) return node.healthcheck;
    // No JVM: one Metadata request over bash (brokerReady.ts), to INTERNAL, or on a secured broker
    // to PROBE (PLAINTEXT on its loopback), where the caller may describe topics (PROBE_ACLS).
    const port = node.security ? PROBE_PORT : node.listeners.find((l) => l.name === "INTERNAL")!.port;
    return brokerReadyCommand(port, node.id);
}

/** Ready when the controller reports the quorum's status, asked as `access` says (`toolConnection`: the node's own quorum). */
export function controllerHealthcheck(access: AdminAccess): string {
    return `${kafkaCheckTool("kafka-metadata-quorum", `${adminArgs(access, "kafka-metadata-quorum")} describe --status`)} > /dev/null`;
}

/**
 * Ready when ZooKeeper answers `srvr` with its mode. `srvr` is the one four-letter word ZooKeeper
 * allows by default, and cp-zookeeper maps no variable that would allow more.
 */
export function zookeeperHealthcheck(clientPort: number, waitSeconds = CHECK_WAIT_SECONDS): string {
    return waiting(`exec 3<>/dev/tcp/127.0.0.1/${clientPort} && echo srvr >&3 && timeout 5 grep -q '^Mode: ' <&3`, waitSeconds);
}

/** Log lines the health checks themselves cause: ZooKeeper logs every `srvr` it answers. */
const CHECK_LOG_NOISE: readonly RegExp[] = [/Processing srvr command from /];

/**
 * The last `count` lines of a container's log that say something: the health checks' own lines left
 * out, so that an error about an unhealthy container shows why rather than the checks that found it.
 */
export function telling(log: string, count: number): string {
    const lines = log.split("\n").filter((l) => l.trim() !== "" && !CHECK_LOG_NOISE.some((n) => n.test(l)));
    return lines.slice(-count).join("\n");
}

/** How many lines of a log to read so that `telling` still has enough once the checks' are left out. */
export const LOG_LINES_READ = 400;
/** A comment line between the settings a launcher sources and what it runs before the image's own launcher. */
export const BEFORE_LAUNCH = "# kafka-env: before the image's launcher";

/**
 * Starts the image's own launcher whichever family it is: Confluent images run
 * `/etc/confluent/docker/run`, Apache's `/etc/kafka/docker/run`. `beforeLaunch` runs first (it may
 * export what only the node's own JVM must see, such as the metrics agent).
 */
export function launchImage(beforeLaunch: readonly string[] = []): string[] {
    return [
        BEFORE_LAUNCH,
        ...beforeLaunch,
        "for run in /etc/confluent/docker/run /etc/kafka/docker/run; do",
        '  if [ -x "$run" ]; then exec "$run"; fi',
        "done",
        'echo "kafka-env: no known launcher in this image" >&2',
        "exit 1",
    ];
}

/**
 * `launchImage` where the environment comes from a file sourced first (Kubernetes), so the image's
 * defaults and checks still apply. `prelude` runs before (it may choose the file).
 */
export function runImageCommand(envFile: string, prelude: readonly string[] = [], beforeLaunch: readonly string[] = []): string {
    return [...prelude, "set -a", `. "${envFile}"`, "set +a", ...launchImage(beforeLaunch)].join("\n");
}
