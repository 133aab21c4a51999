/**
 * The program: read the stack's config, plan the model, and hand it to the target's adapter.
 * Every config problem (top-level keys and target settings included) is reported at once, before
 * any resource exists.
 */
import * as pulumi from "@pulumi/pulumi";
import { DockerKafkaCluster } from "./docker/cluster";
import { dockerAddressing } from "./docker/addressing";
import { KafkaTopics } from "./kafka/topics";
import { KubernetesKafkaCluster } from "./kubernetes/cluster";
import { kubernetesAddressing } from "./kubernetes/addressing";
import { ResolvedKubernetes, resolveKubernetes } from "./kubernetes/config";
import { ConfigError, Problem, ResolvedConfig, Target, buildModel, resolveConfig } from "./model";
import { closest } from "./model/shape";
import { ClusterOutputs, outputsOf } from "./outputs";

/** Top-level keys of the `kafka-env` config namespace, and the target they belong to. */
const KNOWN_KEYS: Readonly<Record<string, Target | "any">> = {
    target: "any",
    cluster: "any",
    kafkaUiPassword: "any",
    namespace: "kubernetes",
    kubernetes: "kubernetes",
};
const TARGETS: readonly Target[] = ["docker", "kubernetes"];

export interface EnvironmentOutputs extends ClusterOutputs {
    /** The component resources, for tests and for programs that build on this one. */
    readonly components: {
        readonly cluster: DockerKafkaCluster | KubernetesKafkaCluster;
        readonly topics?: KafkaTopics;
    };
}

export function deployEnvironment(): EnvironmentOutputs {
    const config = new pulumi.Config("kafka-env");
    const target = config.get("target") ?? "docker";
    const problems = checkTopLevelKeys(Object.keys(pulumi.runtime.allConfig()), target);
    if (!(TARGETS as readonly string[]).includes(target)) {
        problems.push({ path: "target", message: `is "${target}"; use "docker" or "kubernetes"` });
    }
    const password = config.getSecret("kafkaUiPassword");

    let cluster: ResolvedConfig | undefined;
    try {
        cluster = resolveConfig({ cluster: config.getObject<unknown>("cluster"), stack: pulumi.getStack(), hasKafkaUiPassword: password !== undefined });
    } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        problems.push(...e.problems);
    }
    let kubernetes: ResolvedKubernetes | undefined;
    if (target === "kubernetes") {
        const resolved = resolveKubernetes(config.get("namespace"), config.getObject<unknown>("kubernetes"), cluster?.brokers ?? 1);
        kubernetes = resolved.config;
        problems.push(...resolved.problems);
    }
    if (problems.length > 0 || cluster === undefined) throw new ConfigError(problems);

    if (kubernetes) {
        const model = buildModel(cluster, kubernetesAddressing(cluster, kubernetes));
        const k8sCluster = new KubernetesKafkaCluster(model.name, { model, kubernetes, kafkaUiPassword: password });
        return { ...outputsOf(k8sCluster), components: { cluster: k8sCluster, topics: k8sCluster.topics instanceof KafkaTopics ? k8sCluster.topics : undefined } };
    }
    const model = buildModel(cluster, dockerAddressing(cluster));
    const docker = new DockerKafkaCluster(model.name, { model, kafkaUiPassword: password });
    const topics =
        model.topics.length > 0
            ? new KafkaTopics(`${model.name}-topics`, {
                  bootstrapServers: [...model.bootstrapServers],
                  topics: model.topics,
                  brokersReady: [docker.ready],
              })
            : undefined;
    return { ...outputsOf(docker), components: { cluster: docker, topics } };
}

/** Unknown keys in the `kafka-env` namespace are typos, and a target's keys need that target. */
function checkTopLevelKeys(allKeys: readonly string[], target: string): Problem[] {
    const problems: Problem[] = [];
    const known = Object.keys(KNOWN_KEYS);
    for (const full of allKeys) {
        if (!full.startsWith("kafka-env:")) continue;
        const key = full.slice("kafka-env:".length);
        const owner = KNOWN_KEYS[key];
        if (owner === undefined) {
            const guess = closest(key, known);
            problems.push({
                path: key,
                message: guess ? `unknown key; did you mean "kafka-env:${guess}"?` : `unknown key; known keys are ${known.join(", ")}`,
            });
        } else if (owner !== "any" && owner !== target) {
            problems.push({ path: key, message: `applies to target "${owner}" but kafka-env:target is "${target}"; remove it or change the target` });
        }
    }
    return problems;
}
