/**
 * How the day-2 resources reach a Docker engine: `KafkaTools` as `docker exec` in a running broker
 * container, whose image has the tools, against that broker on localhost as `toolConnection` says
 * (INTERNAL; REPLICATION with the node's certificate once the cluster is secured). The script and
 * its variables go in on stdin, so a large reassignment plan meets no argument-size limit and no
 * password is ever an argument; and `docker stop` for a broker that leaves.
 */
import { KafkaTools } from "../day2/tools";
import { AdminAccess } from "../model/admin";
import { shellQuote } from "../model/topicScript";
import { dockerCli } from "./cli";
import { DESTROY_GRACE_SECONDS } from "./node";

/** What bash runs: the whole of stdin, read before anything runs (so no tool can read the script as its input). */
const FROM_STDIN = 'eval "$(cat)"';

/** Kafka's tools in `container`, reaching its broker as `admin` says (`toolConnection({ inside: broker })`). */
export function dockerTools(container: string, admin: AdminAccess): KafkaTools {
    return {
        admin,
        run: async (what, script, vars = {}) => {
            const assignments = Object.entries(vars).map(([name, value]) => `${name}=${shellQuote(value)}\n`);
            const r = await dockerCli(["exec", "-i", container, "bash", "-c", FROM_STDIN], `${assignments.join("")}${script}\n`);
            if (r.code === 0) return r.stdout;
            // Kafka's tools print the reason on stdout and only a summary on stderr ("1 out of 1 operation(s) failed").
            const tail = (text: string) => text.trim().split("\n").slice(-5).join("\n");
            throw new Error(`kafka-env: ${what} in ${container} failed (exit ${r.code}): ${`${tail(r.stdout)}\n${tail(r.stderr)}`.trim()}`);
        },
    };
}

/** How the steps reach the engine (replaced in unit tests). */
export interface DockerHands {
    /** Kafka's tools in a broker container, reaching it as `admin` says. */
    tools(container: string, admin: AdminAccess): KafkaTools;
    /** Stops a container with the nodes' grace; Pulumi removes it afterwards. */
    stop(container: string): Promise<void>;
}

/**
 * How a tools step reaches its broker: `admin` once the cluster is secured (`toolConnection`), else
 * `localhost:<internalPort>` (the inputs of steps deployed before security existed stay as they were).
 */
export interface BrokerToolInputs {
    readonly internalPort: number;
    readonly admin?: AdminAccess;
}

export function brokerAccess(inputs: BrokerToolInputs): AdminAccess {
    return inputs.admin ?? { bootstrap: `localhost:${inputs.internalPort}` };
}

export const dockerEngine: DockerHands = {
    tools: dockerTools,
    stop: async (container) => void (await dockerCli(["stop", "-t", String(DESTROY_GRACE_SECONDS), container])),
};
