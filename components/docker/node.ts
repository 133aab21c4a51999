/**
 * One model node as one container: stable name and host name, named volumes for its data,
 * a restart policy, and a healthcheck the container must pass before it counts as created.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { MetricsModel, NodeFile, NodeModel, PublishedPort } from "../model";
import { launchImage } from "../model/images";
import { METRICS_JAR, agentLaunchLines, rulesFile, rulesKind } from "../model/metrics";
import { agentDigest, readAgentJar } from "../metricsAgent";
import { metricsRules } from "../model/metricsRules";
import { shellQuote } from "../model/topicScript";
import type { ClusterSecrets } from "../security/clusterSecrets";

export interface NodeContainerArgs {
    readonly environment: string;
    readonly node: NodeModel;
    readonly image: pulumi.Input<string>;
    readonly network: pulumi.Input<string>;
    /** Extra environment (secrets), merged after the model's. */
    readonly secretEnv?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** Metrics (the JMX exporter agent), with the node's position in the model (its published port). */
    readonly metrics?: MetricsModel & { readonly index: number };
    /** Files written into the container before it starts (`uploads`): its keys and certificates. Default: none. */
    readonly uploads?: docker.types.input.ContainerUpload[];
}

/**
 * With metrics, the agent's jar and rules are uploaded into the container, and the container's
 * command adds the agent to `KAFKA_OPTS` of the node's own JVM just before the image's run script
 * (a tool run with `docker exec` does not load it).
 */
function metricsSettings(node: NodeModel, m: NodeContainerArgs["metrics"]): { command?: string[]; uploads: docker.types.input.ContainerUpload[] } {
    if (!m) return { uploads: [] };
    const kind = rulesKind(node);
    return {
        command: ["bash", "-c", launchImage(agentLaunchLines(m.port, kind)).join("\n")],
        uploads: [
            { file: METRICS_JAR, source: m.agentJar, sourceHash: agentDigest(readAgentJar(m.agentJar)) },
            { file: rulesFile(kind), content: metricsRules(kind) },
        ],
    };
}

/**
 * The healthcheck timings shared by every node. JVMs on a busy laptop can take a minute to come
 * up: failures in the first minute do not count, and 20 more are allowed before "unhealthy".
 * Written as the engine reports durations back (Go's format), so a preview shows no difference.
 */
/** Seconds a node has to stop cleanly before it is killed, when its container is replaced or removed. */
export const DESTROY_GRACE_SECONDS = 120;

export const HEALTHCHECK = { interval: "10s", timeout: "15s", startPeriod: "1m0s", retries: 20 } as const;

/**
 * The shell form (`CMD-SHELL`) with the check quoted for `sh`: Podman re-splits the arguments of
 * the exec form on spaces (`["CMD","bash","-c","a b"]` becomes `bash -c a b`), the shell form
 * it keeps whole; Docker runs both alike.
 */
export function healthcheckTest(check: string): string[] {
    return ["CMD-SHELL", `bash -c ${shellQuote(check)}`];
}

export function nodeContainer(args: NodeContainerArgs, opts: pulumi.CustomResourceOptions): docker.Container {
    const { environment, node } = args;
    const containerName = `${environment}-${node.name}`;
    const metrics = metricsSettings(node, args.metrics);
    const uploads = [...metrics.uploads, ...(args.uploads ?? [])];
    const volumes = node.volumes.map(
        (v) =>
            [
                v,
                // Its own resource, so replacing the container (a new image, new settings) keeps the data.
                new docker.Volume(`${containerName}-${v.name}`, { name: `${containerName}-${v.name}`, labels: labels(environment, node.name) }, opts),
            ] as const,
    );
    return new docker.Container(
        containerName,
        {
            name: containerName,
            hostname: node.name,
            image: args.image,
            envs: envList(node.env, args.secretEnv),
            networksAdvanced: [{ name: args.network, aliases: [node.name] }],
            ports: [
                ...node.published.map(portMapping),
                ...(args.metrics?.hostPort !== undefined
                    ? [portMapping({ containerPort: args.metrics.port, hostPort: args.metrics.hostPort + args.metrics.index, hostIp: args.metrics.hostIp })]
                    : []),
            ],
            ...(metrics.command ? { command: metrics.command } : {}),
            volumes: volumes.map(([v, volume]) => ({ volumeName: volume.name, containerPath: v.path })),
            // New contents replace the container: renewed certificates roll the nodes through their gates.
            ...(uploads.length > 0 ? { uploads } : {}),
            restart: "unless-stopped",
            // The images declare more VOLUMEs than the data directory: drop those anonymous ones with the container.
            removeVolumes: true,
            healthcheck: { tests: healthcheckTest(node.healthcheck), ...HEALTHCHECK },
            // Health is awaited by the node's RollGate, not here: a new KRaft quorum's first node
            // cannot be healthy before the others exist, and the nodes start one after the other.
            // Stopped with SIGTERM and time to finish (a broker's controlled shutdown moves its
            // leaderships away first), never killed outright.
            destroyGraceSeconds: DESTROY_GRACE_SECONDS,
            labels: labels(environment, node.name, node.roles.join(",")),
        },
        opts,
    );
}

export function portMapping(p: PublishedPort): docker.types.input.ContainerPort {
    return { internal: p.containerPort, external: p.hostPort, ip: p.hostIp, protocol: "tcp" };
}

/** `KEY=value` strings in key order, so the same env always previews the same. */
export function envList(env: Readonly<Record<string, string>>, secretEnv?: pulumi.Input<Record<string, pulumi.Input<string>>>): pulumi.Input<string[]> {
    const plain = Object.entries(env).map(([k, v]) => `${k}=${v}`);
    if (secretEnv === undefined) return plain;
    return pulumi.output(secretEnv).apply((secrets) => [...plain, ...Object.entries(secrets).map(([k, v]) => `${k}=${v}`)].sort());
}

export function labels(environment: string, node: string, roles?: string): docker.types.input.ContainerLabel[] {
    const all: Record<string, string | undefined> = {
        "kafka-env.environment": environment,
        "kafka-env.node": node,
        "kafka-env.roles": roles,
    };
    return Object.entries(all)
        .filter((e): e is [string, string] => e[1] !== undefined)
        .map(([label, value]) => ({ label, value }));
}

/**
 * The user both Kafka image families run as (`appuser`, uid 1000): it alone may read a key. The
 * other files are readable by any user (kafka-ui's image runs as its own).
 */
const IMAGE_USER = "1000";

/** `files` as uploads, their contents from the cluster's secrets (`holder`: whose keystore); a secret file stays secret. */
export function uploads(files: readonly NodeFile[], secrets: ClusterSecrets, holder: string): docker.types.input.ContainerUpload[] {
    return files.map((f) =>
        f.secret
            ? { file: f.path, content: secrets.content(f, holder), permissions: "0400", owner: IMAGE_USER, group: IMAGE_USER }
            : { file: f.path, content: secrets.content(f, holder), permissions: "0444" },
    );
}
