/**
 * The program: read the stack's config, plan the model (`plan.ts`), and hand it to the target's
 * adapter. Every config problem (namespaces, top-level keys and target settings included) is
 * reported at once, before any resource exists, as plain text (no stack trace).
 */
import * as pulumi from "@pulumi/pulumi";
import type { DockerKafkaCluster } from "./docker/cluster";
import { KafkaAccess } from "./kafka/access";
import { kafkaApi } from "./kafka/api";
import { KafkaTopics } from "./kafka/topics";
import type { KubernetesKafkaCluster } from "./kubernetes/cluster";
import { ClusterOutputs, outputsOf } from "./outputs";
import { ConfigError } from "./model";
import { planEnvironment } from "./plan";
import { SecurityConfig } from "./security/clusterSecrets";
import { plainSdkStacks } from "./stackTraces";

/** Keys whose values are objects (the rest are strings). */
const OBJECT_KEYS: readonly string[] = ["cluster", "kubernetes"];
const SECRET_KEYS: readonly string[] = ["kafkaUiPassword", "caCertificate", "caKey"];

export interface EnvironmentOutputs extends ClusterOutputs {
    /** The component resources, for tests and for programs that build on this one. */
    readonly components: {
        readonly cluster: DockerKafkaCluster | KubernetesKafkaCluster;
        readonly topics?: KafkaTopics;
        readonly access?: KafkaAccess;
    };
}

export function deployEnvironment(): EnvironmentOutputs {
    plainSdkStacks();
    const config = new pulumi.Config("kafka-env");
    const password = config.getSecret("kafkaUiPassword");
    const values: Record<string, unknown> = {};
    const otherKeys: string[] = [];
    for (const full of Object.keys(pulumi.runtime.allConfig())) {
        if (!full.startsWith("kafka-env:")) {
            otherKeys.push(full);
            continue;
        }
        const key = full.slice("kafka-env:".length);
        // A secret is only checked for presence here (and userPasswords for its user names); its value stays an Output.
        if (key === "userPasswords") values[key] = userNames(pulumi.runtime.allConfig()[full]);
        else values[key] = SECRET_KEYS.includes(key) ? true : OBJECT_KEYS.includes(key) ? config.getObject<unknown>(key) : config.get(key);
    }
    const { kubernetes, model } = forPeople(() => planEnvironment({ values, stack: pulumi.getStack(), otherKeys }));

    // Each adapter is loaded only when its target is selected: the Kubernetes one (with
    // @pulumi/kubernetes) takes about half a second to load, on every `pulumi up` of a Docker stack.
    if (kubernetes) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const k8s = require("./kubernetes/cluster") as typeof import("./kubernetes/cluster");
        const security = model.security ? securityConfig(config) : undefined;
        const k8sCluster = new k8s.KubernetesKafkaCluster(model.name, { model, kubernetes, kafkaUiPassword: password, ...(security ? { security } : {}) });
        const access = k8sCluster.access instanceof KafkaAccess ? k8sCluster.access : undefined;
        return {
            ...outputsOf(k8sCluster),
            components: { cluster: k8sCluster, topics: k8sCluster.topics instanceof KafkaTopics ? k8sCluster.topics : undefined, access },
        };
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const dockerAdapter = require("./docker/cluster") as typeof import("./docker/cluster");
    const security = model.security ? securityConfig(config) : undefined;
    const docker = new dockerAdapter.DockerKafkaCluster(model.name, { model, kafkaUiPassword: password, ...(security ? { security } : {}) });
    const { topics, access } = kafkaApi({
        model,
        bootstrapServers: [...model.bootstrapServers],
        secrets: docker.secrets,
        // They depend on the teardown: destroyed, they go first, while the brokers still run.
        brokersReady: [docker.ready, docker.teardown],
    });
    return { ...outputsOf(docker), components: { cluster: docker, topics, access } };
}

/**
 * Config problems become a `pulumi.RunError`, which the Pulumi CLI prints as its message alone: the
 * list of problems once, without a stack trace or the error's fields.
 */
function forPeople<T>(plan: () => T): T {
    try {
        return plan();
    } catch (e) {
        if (e instanceof ConfigError) throw new pulumi.RunError(e.message);
        throw e;
    }
}

/**
 * The secret config of a secured cluster, as secret outputs. `userPasswords` that is not a map (set
 * whole as one secret string, not with `--path`) counts as none: its names cannot reach the model either.
 */
function securityConfig(config: pulumi.Config): SecurityConfig {
    const passwords = config.getSecret("userPasswords");
    const caCertificate = config.getSecret("caCertificate");
    const caKey = config.getSecret("caKey");
    return {
        ...(passwords ? { userPasswords: passwords.apply(passwordMap) } : {}),
        ...(caCertificate && caKey ? { ca: pulumi.all([caCertificate, caKey]).apply(([certPem, keyPem]) => ({ certPem, keyPem })) } : {}),
    };
}

function passwordMap(json: string): Record<string, string> {
    try {
        const parsed: unknown = JSON.parse(json);
        if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, string>;
    } catch {
        // Not a map: see securityConfig.
    }
    return {};
}

/** `kafka-env:userPasswords` with each password replaced by `true`: only the names reach the model. */
function userNames(json: string): unknown {
    try {
        const parsed: unknown = JSON.parse(json);
        if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) return Object.fromEntries(Object.keys(parsed).map((name) => [name, true]));
    } catch {
        // Not a map: the names cannot be known.
    }
    return true;
}
