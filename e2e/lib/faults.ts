/**
 * Faults the way Kafka's system tests inject them (tests/kafkatest: `clean_shutdown`,
 * `hard_shutdown`, `hard_bounce`), from outside the container, and the waits that say a node is
 * back: restarted by its restart policy, healthy, settled, and every replica in sync again.
 */
import { docker, inspect, waitFor } from "./docker";
import { Brokers, fullyInSync } from "./kafka";

/** SIGKILL of the container's main process from the host: a crash the restart policy sees. */
export function crash(container: string): void {
    const pid = inspect(container, "{{.State.Pid}}");
    if (!/^[1-9][0-9]*$/.test(pid)) throw new Error(`${container} has no running process (pid "${pid}")`);
    process.kill(Number(pid), "SIGKILL");
}

export function restartCount(container: string): number {
    return Number(inspect(container, "{{.RestartCount}}"));
}

/**
 * Waits until `container` restarted (more than `restartsBefore` restarts), is healthy, and stayed
 * so for `settleSeconds` without another restart. A ZooKeeper-mode broker restarted before its old
 * session expired cannot register and exits again: "back" means it stopped doing that.
 */
export async function waitBack(container: string, restartsBefore: number, settleSeconds = 20, timeoutSeconds = 300): Promise<number> {
    const start = Date.now();
    let restarts = restartCount(container);
    let stableSince = Date.now();
    await waitFor(
        `${container} to restart, become healthy and stay up ${settleSeconds} s`,
        () => {
            const now = restartCount(container);
            const healthy = inspect(container, "{{.State.Running}} {{.State.Health.Status}}") === "true healthy";
            if (now !== restarts || !healthy) {
                restarts = now;
                stableSince = Date.now();
            }
            return now > restartsBefore && healthy && Date.now() - stableSince >= settleSeconds * 1000;
        },
        timeoutSeconds,
    );
    return (Date.now() - start) / 1000;
}

/** Waits until the (cleanly stopped and started) container is running and healthy. */
export async function waitHealthy(container: string, timeoutSeconds = 300): Promise<number> {
    return waitFor(`${container} to be healthy`, () => inspect(container, "{{.State.Running}} {{.State.Health.Status}}") === "true healthy", timeoutSeconds);
}

/** Waits until every partition of every topic has all its replicas in sync. */
export async function waitInSync(bootstrapServers: Brokers, topics: readonly string[], replicas: number, timeoutSeconds = 300): Promise<number> {
    return waitFor(
        `every replica of ${topics.join(", ")} in sync`,
        async () => {
            for (const t of topics) if (!(await fullyInSync(bootstrapServers, t, replicas))) return false;
            return true;
        },
        timeoutSeconds,
    );
}

/** The ZooKeeper container whose `srvr` says `Mode: leader`. */
export function zookeeperLeader(containers: readonly string[], clientPort = 2181): string {
    const check = `exec 3<>/dev/tcp/127.0.0.1/${clientPort} && echo srvr >&3 && grep '^Mode: ' <&3`;
    const leader = containers.find((c) => docker(["exec", c, "bash", "-c", check], { allowFailure: true }).includes("Mode: leader"));
    if (!leader) throw new Error(`no ZooKeeper leader among ${containers.join(", ")}`);
    return leader;
}

/** Node id of the active KRaft controller, asked of a controller's own quorum endpoint. */
export function activeController(container: string, controllerPort: number): number {
    const tool = `t=$(command -v kafka-metadata-quorum || echo /opt/kafka/bin/kafka-metadata-quorum.sh); "$t" --bootstrap-controller localhost:${controllerPort} describe --status`;
    const out = docker(["exec", container, "bash", "-c", tool]);
    const m = /LeaderId:\s+(\d+)/.exec(out);
    if (!m) throw new Error(`no LeaderId in ${container}'s quorum status:\n${out}`);
    return Number(m[1]);
}
