/**
 * The program: read the stack's config, plan the model, and hand it to the target's adapter.
 * Every config problem (top-level keys included) is reported at once, before any resource exists.
 */
import * as pulumi from "@pulumi/pulumi";
import { DockerKafkaCluster } from "./docker/cluster";
import { dockerAddressing } from "./docker/addressing";
import { KafkaTopics } from "./kafka/topics";
import { ClusterModel, ConfigError, Problem, Target, planCluster } from "./model";
import { closest } from "./model/shape";

/** Top-level keys of the `kafka-env` config namespace. */
const KNOWN_KEYS = ["target", "cluster", "kafkaUiPassword"] as const;
const TARGETS: readonly Target[] = ["docker", "kubernetes"];

export interface EnvironmentOutputs {
    readonly bootstrapServers: pulumi.Output<string>;
    readonly internalBootstrapServers: pulumi.Output<string>;
    readonly kafkaUiUrl: pulumi.Output<string | undefined>;
    readonly zookeeperConnect: pulumi.Output<string | undefined>;
    /** The component resources, for tests and for programs that build on this one. */
    readonly components: { readonly cluster: DockerKafkaCluster; readonly topics?: KafkaTopics };
}

export function deployEnvironment(): EnvironmentOutputs {
    const config = new pulumi.Config("kafka-env");
    const problems = checkTopLevelKeys(Object.keys(pulumi.runtime.allConfig()));
    const target = config.get("target") ?? "docker";
    if (!(TARGETS as readonly string[]).includes(target)) {
        problems.push({ path: "target", message: `is "${target}"; use "docker" or "kubernetes"` });
    }
    const password = config.getSecret("kafkaUiPassword");
    const input = { cluster: config.getObject<unknown>("cluster"), stack: pulumi.getStack(), hasKafkaUiPassword: password !== undefined };

    let model: ClusterModel | undefined;
    try {
        model = planCluster(input, dockerAddressing);
    } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        problems.push(...e.problems);
    }
    if (problems.length > 0 || model === undefined) throw new ConfigError(problems);
    if (target !== "docker") throw new ConfigError([{ path: "target", message: `"${target}" is not available in this version; use "docker"` }]);

    const cluster = new DockerKafkaCluster(model.name, { model, kafkaUiPassword: password });
    let topics: KafkaTopics | undefined;
    if (model.topics.length > 0) {
        topics = new KafkaTopics(`${model.name}-topics`, {
            bootstrapServers: [...model.bootstrapServers],
            topics: model.topics,
            brokersReady: [...cluster.brokers],
        });
    }
    return {
        bootstrapServers: cluster.bootstrapServers,
        internalBootstrapServers: cluster.internalBootstrapServers,
        kafkaUiUrl: cluster.kafkaUiUrl,
        zookeeperConnect: cluster.zookeeperConnect,
        components: { cluster, topics },
    };
}

/** Unknown keys in the `kafka-env` namespace are typos: refuse them, with the likely key. */
function checkTopLevelKeys(allKeys: readonly string[]): Problem[] {
    const problems: Problem[] = [];
    for (const full of allKeys) {
        if (!full.startsWith("kafka-env:")) continue;
        const key = full.slice("kafka-env:".length);
        if ((KNOWN_KEYS as readonly string[]).includes(key)) continue;
        const guess = closest(key, KNOWN_KEYS);
        problems.push({
            path: key,
            message: guess ? `unknown key; did you mean "kafka-env:${guess}"?` : `unknown key; known keys are ${KNOWN_KEYS.join(", ")}`,
        });
    }
    return problems;
}
