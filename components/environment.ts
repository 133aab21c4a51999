/**
 * The one builder both callers share: a planned environment (plan.ts) and its secrets in, the
 * target's components out. `KafkaEnvironment` (kafkaEnvironment.ts) calls it for programs of their
 * own; the repository's program reaches it through the same component (stackConfig.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import type { DockerKafkaCluster } from "./docker/cluster";
import { KafkaAccess } from "./kafka/access";
import { kafkaApi } from "./kafka/api";
import { KafkaTopics } from "./kafka/topics";
import type { KubernetesKafkaCluster } from "./kubernetes/cluster";
import { ClusterOutputs, outputsOf } from "./outputs";
import { EnvironmentPlan } from "./plan";
import { SecurityConfig } from "./security/clusterSecrets";

/** The component resources, for tests and for programs that build on this one. */
export interface EnvironmentComponents {
    readonly cluster: DockerKafkaCluster | KubernetesKafkaCluster;
    readonly topics?: KafkaTopics;
    readonly access?: KafkaAccess;
}

export interface EnvironmentOutputs extends ClusterOutputs {
    readonly components: EnvironmentComponents;
}

/** The secret inputs: kafka-ui's password, and a secured cluster's passwords and CA. */
export interface EnvironmentSecrets {
    readonly kafkaUiPassword?: pulumi.Input<string>;
    readonly security?: SecurityConfig;
}

/**
 * The environment's top-level components under `opts.parent`. Each keeps the URN it had at the top
 * of the stack (an alias), so a stack deployed before the `KafkaEnvironment` existed keeps its resources.
 */
export function createEnvironment(plan: EnvironmentPlan, secrets: EnvironmentSecrets, opts: pulumi.ComponentResourceOptions): EnvironmentOutputs {
    const { kubernetes, model } = plan;
    const password = secrets.kafkaUiPassword;
    const security = model.security ? (secrets.security ?? {}) : undefined;
    // Each adapter is loaded only when its target is selected: the Kubernetes one (with
    // @pulumi/kubernetes) takes about half a second to load, on every `pulumi up` of a Docker stack.
    if (kubernetes) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const k8s = require("./kubernetes/cluster") as typeof import("./kubernetes/cluster");
        const k8sCluster = new k8s.KubernetesKafkaCluster(
            model.name,
            { model, kubernetes, kafkaUiPassword: password, ...(security ? { security } : {}) },
            opts,
        );
        const access = k8sCluster.access instanceof KafkaAccess ? k8sCluster.access : undefined;
        return {
            ...outputsOf(k8sCluster),
            components: { cluster: k8sCluster, topics: k8sCluster.topics instanceof KafkaTopics ? k8sCluster.topics : undefined, access },
        };
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const dockerAdapter = require("./docker/cluster") as typeof import("./docker/cluster");
    const docker = new dockerAdapter.DockerKafkaCluster(model.name, { model, kafkaUiPassword: password, ...(security ? { security } : {}) }, opts);
    const { topics, access } = kafkaApi(
        {
            model,
            bootstrapServers: [...model.bootstrapServers],
            secrets: docker.secrets,
            // They depend on the teardown: destroyed, they go first, while the brokers still run.
            brokersReady: [docker.ready, docker.teardown],
        },
        opts,
    );
    return { ...outputsOf(docker), components: { cluster: docker, topics, access } };
}
